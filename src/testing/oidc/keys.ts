import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'
import { keySetJson } from '../model/signing-keys.js'

// The JWKS endpoint, `/v1/keys`: every published key (ACTIVE, NEXT, EXPIRED).

/** @internal The JWKS answer of a server (its JSON made once per set of keys). */
export async function keys(server: ServerState): Promise<Response> {
  // `text` for the Content-Length `json` would set; the type is JSON's.
  return HttpResponse.text(await keySetJson(server), {
    headers: {
      'content-type': 'application/json',
      'cache-control': 'max-age=3832304, must-revalidate',
    },
  })
}
