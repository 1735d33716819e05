// Size fixture (ours): redirect sign-in with PKCE, callback on load, tokens in
// localStorage, a renewed-if-needed access token for an API call, token-change
// events, sign-out. Measured by bench/size.ts, which resolves
// 'okta-oauth-kit/browser' to src/browser/index.ts.
import { createBrowserAuth, webStorage } from 'okta-oauth-kit/browser'

const auth = createBrowserAuth({
  issuer: 'https://example.okta.com/oauth2/default',
  clientId: '0oaspa0000000000000',
  redirectUri: `${location.origin}/callback`,
  tokenStorage: webStorage(localStorage),
})
auth.events.on('tokensChanged', ({ tokens }) => {
  document.body.dataset.signedIn = String(!!tokens)
})
if (auth.isCallback()) {
  const { returnTo } = await auth.handleRedirect()
  history.replaceState(null, '', returnTo ?? '/')
}
document.querySelector('#sign-in')?.addEventListener('click', () => auth.signInWithRedirect())
document.querySelector('#sign-out')?.addEventListener('click', () => auth.signOut())
document.querySelector('#call')?.addEventListener('click', async () => {
  const token = await auth.getAccessToken()
  await fetch('/api', { headers: { authorization: `Bearer ${token}` } })
})
