// Two tabs of the app in headless Chromium, tokens in localStorage: a renewal
// both need at the same moment goes to the token endpoint once (Web Locks +
// BroadcastChannel), and both end up with the same new tokens.
import type { Page, Request as PwRequest } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppOptions } from './app/api.js'
import { popupSignIn, resultOf, useHarness, within } from './harness.js'

const h = useHarness()

const OPTIONS: AppOptions = {
  tokenStorage: 'local',
  scope: 'openid profile email offline_access',
}

const heldToken = (page: Page) =>
  page.evaluate(async () => (await window.app.auth!.tokens.getTokens())?.accessToken)

describe('two tabs', () => {
  it('need a refresh at the same moment → exactly one refresh request; both get the new token; the other tab hears tokensChanged', async () => {
    const { context } = h
    const tabA = await h.openApp(context, '/', OPTIONS)
    const signedIn = resultOf(await popupSignIn(tabA))
    expect(signedIn.refreshToken).toEqual(expect.any(String))
    const tabB = await h.openApp(context, '/', OPTIONS)
    expect(await heldToken(tabB)).toBe(signedIn.accessToken)

    // Make the access token due for renewal (within the 60 s margin) in both tabs.
    await tabA.evaluate(async () => {
      const auth = window.app.auth!
      const held = (await auth.tokens.getTokens())!
      await auth.tokens.setTokens({ ...held, expiresAt: Math.floor(Date.now() / 1000) + 20 })
    })
    await expect
      .poll(
        () => tabB.evaluate(async () => (await window.app.auth!.tokens.getTokens())?.expiresAt),
        {
          timeout: 5000,
        },
      )
      .toBeLessThan(Date.now() / 1000 + 30)
    await tabA.evaluate(() => {
      window.app.events.length = 0
    })
    await tabB.evaluate(() => {
      window.app.events.length = 0
    })

    const refreshes: PwRequest[] = []
    context.on('request', (r) => {
      if (r.url().endsWith('/v1/token') && r.method() === 'POST') refreshes.push(r)
    })
    const tokensBefore = h.org.requestCount('token')
    // A slow token endpoint keeps the first renewal under way while the other tab asks.
    h.org.misbehave('token', { delay: 500 })
    const at = Date.now() + 400
    const [a, b] = await within(
      Promise.all([
        tabA.evaluate((t) => window.app.getAccessTokenAt(t), at),
        tabB.evaluate((t) => window.app.getAccessTokenAt(t), at),
      ]),
      15_000,
      'getAccessToken in both tabs',
    )
    const tokenA = resultOf(a)
    const tokenB = resultOf(b)
    expect(tokenA).toEqual(expect.any(String))
    expect(tokenA).not.toBe(signedIn.accessToken)
    expect(tokenB).toBe(tokenA)

    expect(h.org.requestCount('token')).toBe(tokensBefore + 1)
    expect(refreshes).toHaveLength(1)
    expect(new URLSearchParams(refreshes[0]!.postData() ?? '').get('grant_type')).toBe(
      'refresh_token',
    )
    // Both tabs hold the same new tokens, rotated refresh token included.
    const [heldA, heldB] = await Promise.all(
      [tabA, tabB].map((tab) => tab.evaluate(() => window.app.auth!.tokens.getTokens())),
    )
    expect(heldA?.accessToken).toBe(tokenA)
    expect(heldB).toEqual(heldA)
    expect(heldA?.refreshToken).not.toBe(signedIn.refreshToken)

    // The tab that did not refresh was told.
    const refresher = refreshes[0]!.frame().page()
    const other = refresher === tabA ? tabB : tabA
    expect(await other.evaluate(() => window.app.events)).toContainEqual({
      type: 'tokensChanged',
      accessToken: tokenA,
    })
    expect(h.pageErrors).toEqual([])
  })
})
