// Size fixture (oidc-client-ts): the same SPA as okta-oauth-kit.ts. PKCE code
// flow (its default), the user (tokens) in localStorage, automatic silent
// renew, callback on load, user-loaded events, sign-out through the end-session
// endpoint.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts'

const auth = new UserManager({
  authority: 'https://example.okta.com/oauth2/default',
  client_id: '0oaspa0000000000000',
  redirect_uri: `${location.origin}/callback`,
  userStore: new WebStorageStateStore({ store: localStorage }),
  automaticSilentRenew: true,
})
auth.events.addUserLoaded((user) => {
  document.body.dataset.signedIn = String(!user.expired)
})
auth.events.addUserUnloaded(() => {
  document.body.dataset.signedIn = 'false'
})
if (location.pathname === '/callback') {
  await auth.signinRedirectCallback()
  history.replaceState(null, '', '/')
}
document.querySelector('#sign-in')?.addEventListener('click', () => auth.signinRedirect())
document.querySelector('#sign-out')?.addEventListener('click', () => auth.signoutRedirect())
document.querySelector('#call')?.addEventListener('click', async () => {
  const user = await auth.getUser()
  await fetch('/api', { headers: { authorization: `Bearer ${user?.access_token}` } })
})
