// Size fixture (@okta/okta-auth-js/core, Okta's smaller entry without IDX,
// Authn and MyAccount): identical to okta-auth-js.ts but for the import path.
import { OktaAuth } from '@okta/okta-auth-js/core'

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
