// Hidden-iframe sign-in (prompt=none over okta_post_message) in headless
// Chromium: new tokens while the emulator has a session, login_required
// without one, and a timeout when the authorization server does not answer.
import { describe, expect, it } from 'vitest'
import type { TokenSet } from '../../src/browser/index.js'
import {
  authorizeRequests,
  errorOf,
  popupSignIn,
  resultOf,
  silentSignIn,
  USER_ID,
  useHarness,
  within,
} from './harness.js'

const h = useHarness()

describe('silent sign-in in a hidden iframe', () => {
  it('renews while the server session lives, then reports login_required once it is gone; no iframe is left behind', async () => {
    const page = await h.openApp(h.context)
    const first = resultOf(await popupSignIn(page))
    const authorize = authorizeRequests(page)

    const silent = resultOf(await silentSignIn(page)) as TokenSet
    expect(silent.accessToken).toEqual(expect.any(String))
    expect(silent.accessToken).not.toBe(first.accessToken)
    expect(silent.idTokenClaims).toMatchObject({ sub: USER_ID, iss: h.issuer })
    expect((await page.evaluate(() => window.app.auth!.tokens.getTokens()))?.accessToken).toBe(
      silent.accessToken,
    )
    expect(await page.evaluate(() => window.app.iframes())).toBe(0)
    expect(authorize[0]?.searchParams.get('prompt')).toBe('none')
    expect(authorize[0]?.searchParams.get('response_mode')).toBe('okta_post_message')

    // The user signs out at the authorization server (another app, another tab).
    h.org.signOut()
    const error = errorOf(
      await silentSignIn(page, undefined, { what: 'signInSilently without a session' }),
    )
    expect(error).toMatchObject({
      name: 'BrowserAuthError',
      code: 'ERR_INTERACTION_REQUIRED',
      error: 'login_required',
      isBrowserAuthError: true,
      // login_required right after a sign-in reads as a withheld session cookie.
      thirdPartyCookiesSuspected: true,
    })
    expect(await page.evaluate(() => window.app.iframes())).toBe(0)
    // The tokens of the silent sign-in are still held: nothing cleared them.
    expect((await page.evaluate(() => window.app.auth!.tokens.getTokens()))?.accessToken).toBe(
      silent.accessToken,
    )
  })

  it('times out when the authorization server does not answer: ERR_IFRAME_TIMEOUT, third-party cookies suspected, iframe removed; renewal then fails fast', async () => {
    const page = await h.openApp(h.context)
    resultOf(await popupSignIn(page))
    h.org.misbehave('authorize', { delay: 8000 })
    const started = Date.now()
    const error = errorOf(
      await silentSignIn(
        page,
        { timeout: 1000 },
        { ms: 10_000, what: 'signInSilently with a slow server' },
      ),
    )
    const elapsed = Date.now() - started
    expect(error).toMatchObject({
      name: 'BrowserAuthError',
      code: 'ERR_IFRAME_TIMEOUT',
      thirdPartyCookiesSuspected: true,
    })
    expect(elapsed).toBeGreaterThanOrEqual(1000)
    expect(elapsed).toBeLessThan(4000)
    expect(await page.evaluate(() => window.app.iframes())).toBe(0)
    expect(await page.evaluate(() => window.app.auth!.thirdPartyCookiesSuspected)).toBe(true)

    // Tokens near expiry without a refresh token: the renewal does not try the
    // iframe again (no authorize request) and the still-valid token is returned.
    const authorizeBefore = h.org.requestCount('authorize')
    const result = await within(
      page.evaluate(async () => {
        const auth = window.app.auth!
        const held = (await auth.tokens.getTokens())!
        const failures: string[] = []
        auth.events.on('renewFailed', ({ error }) =>
          failures.push((error as { code: string }).code),
        )
        await auth.tokens.setTokens({ ...held, expiresAt: Math.floor(Date.now() / 1000) + 20 })
        return { token: await auth.getAccessToken(), held: held.accessToken, failures }
      }),
      10_000,
      'getAccessToken near expiry',
    )
    expect(result.token).toBe(result.held)
    expect(result.failures).toEqual(['ERR_IFRAME_TIMEOUT'])
    expect(h.org.requestCount('authorize')).toBe(authorizeBefore)
    expect(await page.evaluate(() => window.app.iframes())).toBe(0)
  })
})
