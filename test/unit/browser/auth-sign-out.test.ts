// signOut through createBrowserAuth: revocation, the logout URL and
// navigation, and local sign-out when the org cannot be reached. The org and
// helpers are in auth-harness.ts.
import { describe, expect, it, vi } from 'vitest'
import { fixture, follow, makeAuth, signedIn, USER, useAuthHarness } from './auth-harness.js'

const LOGOUT_BACK = 'http://localhost:8080/'

useAuthHarness()

describe('signOut', () => {
  it('revokes both tokens, clears them, and returns the logout URL without navigating', async () => {
    const auth = makeAuth({
      scope: 'openid profile offline_access',
      postLogoutRedirectUri: LOGOUT_BACK,
    })
    const tokens = await signedIn(auth)
    const signedOut = vi.fn()
    auth.events.on('signedOut', signedOut)
    const result = await auth.signOut({ navigate: false })
    expect(fixture.org.requestCount('revoke')).toBe(2)
    expect(fixture.org.tokens.get(tokens.accessToken)?.revoked).toBe(true)
    expect(fixture.org.tokens.get(tokens.refreshToken!)?.revoked).toBe(true)
    expect(await auth.tokens.getTokens()).toBeUndefined()
    expect(await auth.getAccessToken()).toBeUndefined()
    expect(signedOut).toHaveBeenCalledWith({ remote: false })

    const url = new URL(result.logoutUrl!)
    expect(url.origin + url.pathname).toBe(`${fixture.org.issuer()}/v1/logout`)
    expect(url.searchParams.get('id_token_hint')).toBe(tokens.idToken)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(LOGOUT_BACK)
    expect(url.searchParams.get('state')).toBe(result.state)
    expect(result.state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // The org accepts it and sends the user back with the state; the session ends.
    expect(fixture.org.sessionUserId).toBe(USER.id)
    const back = new URL(await follow(url))
    expect(back.origin + back.pathname).toBe(LOGOUT_BACK)
    expect(back.searchParams.get('state')).toBe(result.state)
    expect(fixture.org.sessionUserId).toBeUndefined()
  })

  it('navigates to the logout URL when given a navigate function', async () => {
    const auth = makeAuth()
    await signedIn(auth)
    const navigate = vi.fn()
    const result = await auth.signOut({ navigate })
    expect(navigate).toHaveBeenCalledWith(result.logoutUrl)
    // No postLogoutRedirectUri configured: none sent.
    expect(new URL(result.logoutUrl!).searchParams.has('post_logout_redirect_uri')).toBe(false)
    // Only the access token to revoke.
    expect(fixture.org.requestCount('revoke')).toBe(1)
  })

  it('without an ID token: no logout URL; navigates to postLogoutRedirectUri if configured', async () => {
    const auth = makeAuth({ postLogoutRedirectUri: LOGOUT_BACK })
    await auth.tokens.setTokens({ accessToken: 'opaque-access-token', tokenType: 'Bearer' })
    const result = await auth.signOut({ navigate: false })
    expect(result).toEqual({})
    expect(fixture.org.requestCount('revoke')).toBe(1)
    expect(await auth.tokens.getTokens()).toBeUndefined()

    await auth.tokens.setTokens({ accessToken: 'opaque-access-token', tokenType: 'Bearer' })
    const navigate = vi.fn()
    expect(await auth.signOut({ navigate })).toEqual({})
    expect(navigate).toHaveBeenCalledWith(LOGOUT_BACK)
  })

  it('revoke: false sends no revocation; a failing revocation does not block sign-out', async () => {
    const auth = makeAuth({ scope: 'openid offline_access' })
    await signedIn(auth)
    await auth.signOut({ navigate: false, revoke: false })
    expect(fixture.org.requestCount('revoke')).toBe(0)

    await signedIn(auth)
    fixture.org.misbehave('revoke', { status: 503, times: Number.POSITIVE_INFINITY })
    const result = await auth.signOut({ navigate: false })
    expect(fixture.org.requestCount('revoke')).toBe(2)
    expect(result.logoutUrl).toBeTypeOf('string')
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })

  // Local sign-out must not depend on discovery: offline, with tokens loaded
  // from storage after a reload, the tokens are still cleared (a regression
  // guard; signOut once awaited discovery first and kept them).
  it('clears the tokens even when discovery is unreachable', async () => {
    const auth = makeAuth()
    await auth.tokens.setTokens({ accessToken: 'opaque-access-token', tokenType: 'Bearer' })
    fixture.org.misbehave('discovery', { status: 503, times: Number.POSITIVE_INFINITY })
    await auth.signOut({ navigate: false }).catch(() => undefined)
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })

  it('signed out already: no revocation, no logout URL', async () => {
    const auth = makeAuth()
    expect(await auth.signOut({ navigate: false })).toEqual({})
    expect(fixture.org.requestCount('revoke')).toBe(0)
  })
})
