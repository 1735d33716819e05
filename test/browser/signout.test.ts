// Sign-out in headless Chromium: revocation, storage cleared here and in the
// other tab, the logout endpoint ends the session and comes back with state.
import { describe, expect, it } from 'vitest'
import { CLIENT_ID, popupSignIn, resultOf, USER_ID, useHarness } from './harness.js'

const h = useHarness()

/** Introspect a token as the SPA (a public client may introspect its own tokens). */
async function introspect(token: string): Promise<{ active: boolean }> {
  const response = await fetch(`${h.issuer}/v1/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: CLIENT_ID }),
    signal: AbortSignal.timeout(5000),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as { active: boolean }
}

describe('sign-out', () => {
  it('revokes both tokens, clears storage (the other tab too), ends the server session and returns with state', async () => {
    const { context } = h
    const options = { tokenStorage: 'local', scope: 'openid profile email offline_access' } as const
    const page = await h.openApp(context, '/', options)
    const tokens = resultOf(await popupSignIn(page))
    expect(tokens.refreshToken).toEqual(expect.any(String))
    const other = await h.openApp(context, '/', options)
    expect(h.org.sessionUserId).toBe(USER_ID)
    expect(await introspect(tokens.accessToken)).toMatchObject({ active: true })
    const revokesBefore = h.org.requestCount('revoke')

    await page.evaluate(() => {
      void window.app.auth!.signOut({
        navigate: (url) => {
          sessionStorage.setItem('app:logout', url)
          location.assign(url)
        },
      })
    })
    await page.waitForURL(
      (u) => u.origin === h.app && u.pathname === '/' && u.searchParams.has('state'),
    )

    // The logout request carried the ID token and came back to the registered URI with its state.
    const logout = new URL((await page.evaluate(() => sessionStorage.getItem('app:logout')))!)
    expect(logout.origin + logout.pathname).toBe(`${h.issuer}/v1/logout`)
    expect(logout.searchParams.get('id_token_hint')).toBe(tokens.idToken)
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${h.app}/`)
    expect(new URL(page.url()).searchParams.get('state')).toBe(logout.searchParams.get('state'))
    expect(h.org.requestCount('logout')).toBe(1)

    // Revoked: both tokens, at the server.
    expect(h.org.requestCount('revoke')).toBe(revokesBefore + 2)
    expect(h.org.tokens.get(tokens.accessToken)?.revoked).toBe(true)
    expect(h.org.tokens.get(tokens.refreshToken!)?.revoked).toBe(true)
    expect(await introspect(tokens.accessToken)).toEqual({ active: false })
    expect(await introspect(tokens.refreshToken!)).toEqual({ active: false })
    // The server session is gone.
    expect(h.org.sessionUserId).toBeUndefined()

    // Storage cleared; the page we came back to holds no tokens.
    expect(await page.evaluate(() => localStorage.getItem('okta-oauth-kit:tokens'))).toBeNull()
    expect(await page.evaluate(() => window.app.auth!.tokens.getTokens())).toBeUndefined()
    // The other tab was told and forgot them too.
    expect(await other.evaluate(() => window.app.events)).toContainEqual({ type: 'tokensChanged' })
    expect(await other.evaluate(() => window.app.auth!.tokens.getTokens())).toBeUndefined()
    expect(h.pageErrors).toEqual([])
  })
})
