// Size fixture (@okta/okta-auth-js, default entry): the same SPA as
// okta-oauth-kit.ts. PKCE code flow, tokens in localStorage with auto-renew
// (started services), callback on load, token-change events through the token
// manager and the auth state, sign-out. bench/size.ts bundles it twice: as
// written, and with the import resolved to Okta's smaller
// '@okta/okta-auth-js/core' entry (without IDX, Authn and MyAccount).
import { OktaAuth } from '@okta/okta-auth-js'

const auth = new OktaAuth({
  issuer: 'https://example.okta.com/oauth2/default',
  clientId: '0oaspa0000000000000',
  redirectUri: `${location.origin}/callback`,
  pkce: true,
  tokenManager: { storage: 'localStorage', autoRenew: true },
})
auth.tokenManager.on('renewed', (key) => {
  document.body.dataset.renewed = key
})
auth.authStateManager.subscribe((authState) => {
  document.body.dataset.signedIn = String(!!authState.isAuthenticated)
})
if (auth.isLoginRedirect()) {
  await auth.handleLoginRedirect()
}
await auth.start()
document.querySelector('#sign-in')?.addEventListener('click', () => auth.signInWithRedirect())
document.querySelector('#sign-out')?.addEventListener('click', () => auth.signOut())
document.querySelector('#call')?.addEventListener('click', async () => {
  const token = await auth.getOrRenewAccessToken()
  await fetch('/api', { headers: { authorization: `Bearer ${token}` } })
})
