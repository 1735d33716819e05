import { randomBase64url } from '../lib/base64url.js'
import type { AuthContext } from './context.js'
import { call } from './protocol.js'

// Sign-out: revoke (best effort), forget the tokens here and in other tabs,
// and go to the server's logout endpoint with the ID token as hint.

/** Options of {@link BrowserAuth.signOut}. */
export interface SignOutOptions {
  /** Revoke the access and refresh tokens first (best effort). Default: true. */
  revoke?: boolean
  /** Override the `postLogoutRedirectUri` option. */
  postLogoutRedirectUri?: string
  /** Navigate to the logout URL. Default: `location.assign`; `false` to only return it. */
  navigate?: ((url: string) => void) | false
}

/** What {@link BrowserAuth.signOut} resolves to. */
export interface SignOutResult {
  /** The logout URL (with `id_token_hint`, `post_logout_redirect_uri` and `state`), when the server has one and there was an ID token. */
  logoutUrl?: string
  /** The `state` sent to the logout endpoint. */
  state?: string
}

/** @internal {@link BrowserAuth.signOut}. */
export async function signOut(
  ctx: AuthContext,
  request: SignOutOptions = {},
): Promise<SignOutResult> {
  const held = await ctx.tokens.getTokens()
  // Signing out locally never depends on the server being reachable.
  const m = await ctx.metadata().catch(() => undefined)
  if (held && m?.revocation_endpoint && request.revoke !== false) {
    const revoke = (token: string, hint: string) =>
      call(ctx.transport, 'the revocation request', m.revocation_endpoint as string, {
        token,
        token_type_hint: hint,
        client_id: ctx.clientId,
      }).catch(() => undefined)
    await Promise.all([
      revoke(held.accessToken, 'access_token'),
      held.refreshToken && revoke(held.refreshToken, 'refresh_token'),
    ])
  }
  await ctx.tokens.clear()
  const result: SignOutResult = {}
  const back = request.postLogoutRedirectUri ?? ctx.options.postLogoutRedirectUri
  if (m?.end_session_endpoint && held?.idToken) {
    const url = new URL(m.end_session_endpoint)
    result.state = randomBase64url()
    url.searchParams.set('id_token_hint', held.idToken)
    if (back) url.searchParams.set('post_logout_redirect_uri', back)
    url.searchParams.set('state', result.state)
    result.logoutUrl = url.href
  }
  const target = result.logoutUrl ?? back
  if (target && request.navigate !== false) {
    ;(request.navigate ?? ((u: string) => location.assign(u)))(target)
  }
  return result
}
