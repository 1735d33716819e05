// Redirect sign-in in headless Chromium: code + PKCE against the emulator on
// another origin, then a replay of the same callback URL.
import { createHash } from 'node:crypto'
import type { Request as PwRequest } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Settled } from './app/api.js'
import {
  callbackRecord,
  errorOf,
  isAuthorize,
  resultOf,
  USER_ID,
  useHarness,
  within,
} from './harness.js'

const h = useHarness()

describe('redirect sign-in (code + PKCE)', () => {
  it('round trip: authorize → /callback → handleRedirect → tokens stored, returnTo honoured, address bar clean; a replayed callback fails without a token request', async () => {
    const { context } = h
    const page = await h.openApp(context, '/', { tokenStorage: 'session' })
    const requests: PwRequest[] = []
    page.on('request', (r) => requests.push(r))
    const tokensBefore = h.org.requestCount('token')

    const callbackRequest = page.waitForRequest((r) => r.url().startsWith(`${h.app}/callback?`))
    await page.evaluate(() => {
      void window.app.auth!.signInWithRedirect({ returnTo: '/dashboard?tab=2#top' })
    })
    const callbackUrl = (await callbackRequest).url()
    await page.waitForURL(`${h.app}/dashboard?tab=2#top`)

    // The callback page's outcome, recorded before it went on to returnTo.
    const record = await callbackRecord(page)
    expect(record).toBeDefined()
    const result = resultOf(record!.outcome)
    expect(result.returnTo).toBe('/dashboard?tab=2#top')
    expect(record!.stored).toBe(true)
    // handleRedirect removed code and state from the address bar (and history).
    expect(record!.hrefAfter).toBe(`${h.app}/callback`)
    expect(new URL(callbackUrl).searchParams.get('code')).toEqual(expect.any(String))
    expect(new URL(callbackUrl).searchParams.get('state')).toEqual(expect.any(String))

    // The tokens are stored: a new page of the tab reads them from sessionStorage.
    const held = await page.evaluate(() => window.app.auth!.tokens.getTokens())
    expect(held?.accessToken).toEqual(expect.any(String))
    expect(held?.tokenType).toBe('Bearer')
    expect(held?.idTokenClaims).toMatchObject({
      sub: USER_ID,
      iss: h.issuer,
      aud: '0oaspa0000000000000',
    })
    expect(held?.refreshToken).toBeUndefined()
    expect(h.org.requestCount('token')).toBe(tokensBefore + 1)

    // PKCE as seen on the wire: S256 challenge up, the matching verifier down.
    const authorize = new URL(requests.find(isAuthorize)!.url())
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('response_type')).toBe('code')
    expect(authorize.searchParams.get('response_mode')).toBe('query')
    const tokenRequest = requests.find(
      (r) => r.url().endsWith('/v1/token') && r.method() === 'POST',
    )
    const form = new URLSearchParams(tokenRequest!.postData() ?? '')
    expect(form.get('grant_type')).toBe('authorization_code')
    expect(form.get('code')).toBe(new URL(callbackUrl).searchParams.get('code'))
    expect(createHash('sha256').update(form.get('code_verifier')!).digest('base64url')).toBe(
      authorize.searchParams.get('code_challenge'),
    )

    // Back in history: the callback entry holds no code or state.
    await page.goBack()
    expect(page.url()).toBe(`${h.app}/callback`)

    // Replay: load the old callback URL again. The transaction was one use.
    await page.goto(callbackUrl)
    const replay = (await within(
      page.evaluate(() => window.app.callback),
      10_000,
      'handleRedirect of the replay',
    )) as Settled
    const error = errorOf(replay)
    expect(error).toMatchObject({ name: 'CallbackError', code: 'ERR_TRANSACTION_MISSING' })
    expect(h.org.requestCount('token')).toBe(tokensBefore + 1)
    expect(page.url()).toBe(`${h.app}/callback`)
    // The failed replay left the stored tokens alone.
    expect((await page.evaluate(() => window.app.auth!.tokens.getTokens()))?.accessToken).toBe(
      held?.accessToken,
    )
    expect(h.pageErrors).toEqual([])
  })
})
