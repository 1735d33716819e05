import type { ServerState } from '../model/server-state.js'
import { keySetJson } from '../model/signing-keys.js'
import { jsonTextResponse } from './http.js'

// The JWKS endpoint, `/v1/keys`: every published key (ACTIVE, NEXT, EXPIRED).

/** @internal The JWKS answer of a server (its JSON made once per set of keys). */
export async function keys(server: ServerState): Promise<Response> {
  return jsonTextResponse(await keySetJson(server), {
    headers: { 'cache-control': 'max-age=3832304, must-revalidate' },
  })
}
