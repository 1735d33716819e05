import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'
import { type OktaOrgState, randomId } from '../org.js'
import { authenticateClient } from './client-auth.js'
import { NO_STORE, oauthError, readForm } from './http.js'

// The pushed authorization request endpoint, `/v1/par` (RFC 9126): the
// request_uri it returns is good for one authorization request, 60 s.

/** @internal Answer a pushed authorization request. */
export async function par(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  const form = await readForm(request)
  const client = await authenticateClient(state, request, form, `${server.base}/v1/par`)
  if (form.has('request_uri'))
    return oauthError(400, 'invalid_request', 'request_uri is not allowed in a pushed request.')
  form.set('client_id', client.clientId)
  const requestUri = `urn:okta:${randomId(32)}`
  state.pushed.set(requestUri, { params: form, exp: state.now() + 60 })
  return HttpResponse.json(
    { request_uri: requestUri, expires_in: 60 },
    { status: 201, headers: NO_STORE },
  )
}
