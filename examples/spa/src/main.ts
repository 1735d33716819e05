/// <reference types="vite/client" />
/**
 * A single-page app signing in with `okta-oauth-kit/browser`: redirect and
 * popup sign-in (code + PKCE), a token manager that renews on read and
 * coordinates tabs, an API call with the access token, sign-out.
 *
 * Configure it with Vite environment variables (`.env.local`):
 *   VITE_OKTA_ISSUER=https://{yourOrg}.okta.com/oauth2/default
 *   VITE_OKTA_CLIENT_ID=0oa…   (a SPA app: PKCE, no secret)
 * and register `${origin}/callback` as a sign-in redirect URI, `${origin}/`
 * as a sign-out redirect URI, and the origin as a Trusted Origin (CORS).
 */
import {
  createBrowserAuth,
  isOktaOAuthError,
  type TokenSet,
  webStorage,
} from 'okta-oauth-kit/browser'

const issuer = import.meta.env.VITE_OKTA_ISSUER ?? 'http://127.0.0.1:8081/oauth2/default'
const clientId = import.meta.env.VITE_OKTA_CLIENT_ID ?? '0oaspa0000000000000'

const auth = createBrowserAuth({
  issuer,
  clientId,
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  // offline_access: renew with refresh tokens, which work where third-party
  // cookies are blocked (the hidden-iframe renewal needs them).
  scope: 'openid profile email offline_access',
  // Shared by the tabs of this origin; renewals are coordinated across them.
  tokenStorage: webStorage(localStorage),
})

const $ = (id: string) => document.getElementById(id) as HTMLElement
let events = 0

function render(tokens: TokenSet | undefined) {
  const claims = tokens?.idTokenClaims
  $('status').textContent = tokens
    ? `Signed in as ${String(claims?.email ?? claims?.sub)}`
    : 'Signed out'
  $('expiry').textContent = tokens?.expiresAt
    ? `expires at ${new Date(tokens.expiresAt * 1000).toISOString()}`
    : 'none'
}

function fail(err: unknown) {
  // SDK errors carry a stable code and never a token in their message.
  $('error').textContent = isOktaOAuthError(err) ? `${err.code}: ${err.message}` : String(err)
}

auth.events.on('tokensChanged', ({ tokens }) => {
  $('events').textContent = String(++events)
  render(tokens)
})
auth.events.on('renewFailed', ({ error }) => fail(error))

$('sign-in-redirect').addEventListener('click', () => {
  auth.signInWithRedirect({ returnTo: '/' }).catch(fail)
})
// signInWithPopup opens the window synchronously: call it first in the handler.
$('sign-in-popup').addEventListener('click', () => {
  auth.signInWithPopup().catch(fail)
})
$('call-api').addEventListener('click', async () => {
  try {
    const token = await auth.getAccessToken()
    if (!token) throw new Error('sign in first')
    // The "API" here is the server's userinfo endpoint; use your own API.
    const { userinfo_endpoint } = await auth.metadata()
    const response = await fetch(userinfo_endpoint as string, {
      headers: { authorization: `Bearer ${token}` },
    })
    const body = (await response.json()) as { name?: string }
    $('api').textContent = `HTTP ${response.status}: ${body.name ?? 'no name'}`
  } catch (err) {
    fail(err)
  }
})
$('renew').addEventListener('click', () => {
  auth.tokens.renew().catch(fail)
})
$('sign-out').addEventListener('click', () => {
  auth.signOut().catch(fail)
})

try {
  if (auth.isCallback()) {
    const { returnTo } = await auth.handleRedirect()
    history.replaceState(null, '', returnTo ?? '/')
  }
} catch (err) {
  fail(err)
}
render(await auth.tokens.getTokens())
document.body.dataset.ready = 'true'
