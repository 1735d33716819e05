import { jwtVerify } from 'jose'
import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'
import { verificationKeys } from '../model/signing-keys.js'
import type { OktaOrgState } from '../org.js'
import { NO_STORE } from './http.js'
import { errorPage, page } from './pages.js'

// The logout endpoint, `/v1/logout` (RP-initiated logout).

/** @internal Answer a logout request: end the session of the hint's subject, then redirect or show a page. */
export async function logout(
  state: OktaOrgState,
  server: ServerState,
  query: URLSearchParams,
): Promise<Response> {
  const hint = query.get('id_token_hint')
  if (!hint) return errorPage(400, 'invalid_request', "The 'id_token_hint' parameter is required.")
  let clientId: string
  let subject: unknown
  try {
    const { payload } = await jwtVerify(hint, verificationKeys(server), {
      issuer: server.issuer,
      algorithms: ['RS256'],
      // Okta accepts an expired ID token as a hint.
      currentDate: new Date(0),
      clockTolerance: Number.MAX_SAFE_INTEGER,
    })
    clientId = typeof payload.aud === 'string' ? payload.aud : String(payload.aud?.[0])
    subject = payload.sub
  } catch {
    return errorPage(400, 'invalid_request', "The 'id_token_hint' is not valid.")
  }
  const client = state.clients.get(clientId)
  const target = query.get('post_logout_redirect_uri')
  if (target && !(client?.postLogoutRedirectUris ?? []).includes(target)) {
    return errorPage(
      400,
      'invalid_request',
      "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.",
    )
  }
  // The session ends only if the hint's subject is the signed-in user.
  if (state.sessionUserId !== undefined && state.sessionUserId === subject) state.signOut()
  if (!target) return page('<p>You have been signed out.</p>')
  const url = new URL(target)
  const st = query.get('state')
  if (st !== null) url.searchParams.set('state', st)
  return new HttpResponse(null, { status: 302, headers: { location: url.href, ...NO_STORE } })
}
