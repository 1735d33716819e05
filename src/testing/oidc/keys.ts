import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'

// The JWKS endpoint, `/v1/keys`: every published key (ACTIVE, NEXT, EXPIRED).

/** @internal The JWKS answer of a server. */
export function keys(server: ServerState): Response {
  return HttpResponse.json(
    { keys: server.keys.map((k) => k.publicJwk) },
    { headers: { 'cache-control': 'max-age=3832304, must-revalidate' } },
  )
}
