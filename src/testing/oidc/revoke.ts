import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'
import type { OktaOrgState } from '../org.js'
import { authenticateClient } from './client-auth.js'
import { NO_STORE, oauthError, readForm } from './http.js'

// The revocation endpoint, `/v1/revoke` (RFC 7009).

/** @internal Answer a revocation request; revoking a refresh token revokes its family. */
export async function revoke(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  const form = await readForm(request)
  const client = await authenticateClient(state, request, form, `${server.base}/v1/revoke`)
  const value = form.get('token')
  if (!value) return oauthError(400, 'invalid_request', 'The token parameter is required.')
  const record = state.tokens.get(value)
  // RFC 7009 §2.2: unknown tokens, and other clients' tokens, are not an error.
  if (record && record.clientId === client.clientId && record.server === server) {
    record.revoked = true
    if (record.kind === 'refresh_token') {
      for (const t of state.tokens.values()) if (t.family === record.family) t.revoked = true
    }
  }
  return new HttpResponse(null, { status: 200, headers: NO_STORE })
}
