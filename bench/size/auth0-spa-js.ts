// Size fixture (@auth0/auth0-spa-js): the same SPA as okta-oauth-kit.ts. PKCE
// code flow (its only flow), the cache in localStorage with refresh tokens,
// callback on load, a renewed-if-needed token from getTokenSilently, sign-out.
// auth0-spa-js has no event API for token changes, so there is no listener.
import { createAuth0Client } from '@auth0/auth0-spa-js'

const auth = await createAuth0Client({
  domain: 'example.us.auth0.com',
  clientId: '0oaspa0000000000000',
  authorizationParams: { redirect_uri: `${location.origin}/callback` },
  cacheLocation: 'localstorage',
  useRefreshTokens: true,
})
if (location.search.includes('code=') && location.search.includes('state=')) {
  const { appState } = await auth.handleRedirectCallback<{ returnTo?: string }>()
  history.replaceState(null, '', appState?.returnTo ?? '/')
}
document.querySelector('#sign-in')?.addEventListener('click', () => auth.loginWithRedirect())
document.querySelector('#sign-out')?.addEventListener('click', () => auth.logout())
document.querySelector('#call')?.addEventListener('click', async () => {
  const token = await auth.getTokenSilently()
  await fetch('/api', { headers: { authorization: `Bearer ${token}` } })
})
