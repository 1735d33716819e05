// Popup sign-in over okta_post_message in headless Chromium: the happy path,
// hostile messages while the popup is pending, a popup closed by the user,
// and a Cross-Origin-Opener-Policy on the authorization server's page.
import type { Page, Request as PwRequest } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { TokenSet } from '../../src/browser/index.js'
import type { ReceivedMessage } from './app/api.js'
import {
  errorOf,
  isAuthorize,
  pendingOutcome,
  resultOf,
  startPopupSignIn,
  USER_ID,
  useHarness,
} from './harness.js'

const h = useHarness()

/** The next authorize request (in any page of the context) and its `state`. */
async function nextAuthorize(predicate: (r: PwRequest) => boolean = () => true) {
  const request = await h.context.waitForEvent('request', {
    predicate: (r) => isAuthorize(r) && predicate(r),
    timeout: 10_000,
  })
  const url = new URL(request.url())
  return { url, state: url.searchParams.get('state')! }
}

/** Frame a page that posts `data` to the app window. */
async function frame(page: Page, src: string, data: unknown): Promise<void> {
  await page.evaluate(
    (s) => {
      const f = document.createElement('iframe')
      f.src = s
      document.body.append(f)
    },
    `${src}?data=${encodeURIComponent(JSON.stringify(data))}`,
  )
}

/** Wait until the app window received a message matching `predicate` (bounded). */
async function received(page: Page, origin: string, code: string): Promise<void> {
  await page.waitForFunction(
    ([o, c]) =>
      window.app.messages.some((m) => m.origin === o && (m.data as { code?: string })?.code === c),
    [origin, code] as const,
    { timeout: 10_000 },
  )
}

const messages = (page: Page) =>
  page.evaluate(() => window.app.messages) as Promise<ReceivedMessage[]>

/** Token requests the context sent, with their form. */
function tokenRequests(): URLSearchParams[] {
  const forms: URLSearchParams[] = []
  h.context.on('request', (r) => {
    if (r.url().endsWith('/v1/token') && r.method() === 'POST')
      forms.push(new URLSearchParams(r.postData() ?? ''))
  })
  return forms
}

function expectSignedIn(tokens: TokenSet) {
  expect(tokens.accessToken).toEqual(expect.any(String))
  expect(tokens.tokenType).toBe('Bearer')
  expect(tokens.idTokenClaims).toMatchObject({
    sub: USER_ID,
    iss: h.issuer,
    aud: '0oaspa0000000000000',
  })
}

/**
 * A popup sign-in with a forgery in its way: the authorization server's
 * answer held for `delay` ms, the popup sent through `hostile` (see the
 * harness's `authServerExtras`), or, once the popup's authorize request is
 * out, a frame of `frameFrom` posting its real state with `code: 'forged'`
 * to the app window. Expects the real answer to sign in with exactly one
 * token request, which never carried the forged code; returns the popup's
 * real state, the token request forms and the messages the app received.
 */
async function signInPastForgery(options: {
  delay?: number
  hostile?: 'origin' | 'state'
  frameFrom?: string
}) {
  const page = await h.openApp(h.context)
  const forms = tokenRequests()
  const tokensBefore = h.org.requestCount('token')
  // Hold the authorization server's answer while the forgery lands.
  if (options.delay !== undefined) h.org.misbehave('authorize', { delay: options.delay })
  const authorize = nextAuthorize((r) => !r.url().includes('hostile='))
  await startPopupSignIn(page, options.hostile ? { extra: { hostile: options.hostile } } : {})
  const { state } = await authorize
  if (options.frameFrom !== undefined) {
    await frame(page, `${options.frameFrom}/forge`, { state, code: 'forged' })
    await received(page, options.frameFrom, 'forged')
  }

  const tokens = resultOf(await pendingOutcome<TokenSet>(page))
  expectSignedIn(tokens)
  expect(h.org.requestCount('token')).toBe(tokensBefore + 1)
  expect(forms.map((f) => f.get('code'))).not.toContain('forged')
  return { state, forms, messages: await messages(page) }
}

describe('popup sign-in over okta_post_message', () => {
  it('signs in: the popup posts the response, closes, and the tokens are returned and stored', async () => {
    const page = await h.openApp(h.context)
    const tokensBefore = h.org.requestCount('token')
    const authorize = nextAuthorize()
    const popup = await startPopupSignIn(page)
    const closed = popup.waitForEvent('close', { timeout: 15_000 })
    const { url } = await authorize
    expect(url.searchParams.get('response_mode')).toBe('okta_post_message')
    expect(url.searchParams.get('response_type')).toBe('code')
    expect(url.searchParams.get('redirect_uri')).toBe(`${h.app}/callback`)

    const tokens = resultOf(await pendingOutcome<TokenSet>(page))
    expectSignedIn(tokens)
    await closed
    expect(popup.isClosed()).toBe(true)
    expect(h.org.requestCount('token')).toBe(tokensBefore + 1)
    const held = await page.evaluate(() => window.app.auth!.tokens.getTokens())
    expect(held?.accessToken).toBe(tokens.accessToken)
    // The answer came from the authorization server's origin, with our state.
    const answers = (await messages(page)).filter((m) => m.origin === h.authOrigin)
    expect(answers).toHaveLength(1)
    expect(answers[0]?.data).toMatchObject({ state: url.searchParams.get('state') })
    expect(h.pageErrors).toEqual([])
  })

  describe('hostile messages while the popup is pending are ignored; the real answer completes', () => {
    it('(a) wrong origin: a frame of another origin posts the real state with a forged code', async () => {
      const { messages: all } = await signInPastForgery({ delay: 2000, frameFrom: h.hostile })
      const forged = all.findIndex((m) => m.origin === h.hostile)
      const real = all.findIndex((m) => m.origin === h.authOrigin)
      expect(forged).toBeGreaterThanOrEqual(0)
      expect(real).toBeGreaterThan(forged)
    })

    it("(a') wrong origin, right window: the popup detours through another origin, which posts the real state with a forged code", async () => {
      const { state, messages: all } = await signInPastForgery({ hostile: 'origin' })
      // The popup did post the real state from the hostile origin, first.
      expect(all.map((m) => [m.origin, (m.data as { state: string }).state])).toEqual([
        [h.hostile, state],
        [h.authOrigin, state],
      ])
    })

    it('(b) wrong source: a frame of the authorization server origin posts the real state with a forged code', async () => {
      // Right origin, right state; only the window is not the popup.
      const { forms, messages: all } = await signInPastForgery({
        delay: 2000,
        frameFrom: h.authOrigin,
      })
      const fromAuth = all.filter((m) => m.origin === h.authOrigin)
      expect(fromAuth.map((m) => (m.data as { code: string }).code)).toEqual([
        'forged',
        forms[0]?.get('code'),
      ])
    })

    it('(c) wrong state: the popup itself posts another state first', async () => {
      const { state, messages: all } = await signInPastForgery({ delay: 300, hostile: 'state' })
      // Both came from the popup, on the authorization server's origin: the wrong state first.
      const fromAuth = all.filter((m) => m.origin === h.authOrigin)
      expect(fromAuth.map((m) => (m.data as { state: string }).state)).toEqual([
        'not-the-state',
        state,
      ])
    })
  })

  it('a popup closed by the user rejects ERR_POPUP_CLOSED at once, well before the popup timeout', async () => {
    // The COOP heuristic ("closed within popupSeveredWithin of opening =
    // severed") shrunk to 1 ms: the popup is closed well after that, so
    // no need to wait out the 3 s default.
    const page = await h.openApp(h.context, '/', { popupSeveredWithin: 1 })
    const tokensBefore = h.org.requestCount('token')
    // The authorization server never answers in time: the user gives up.
    h.org.misbehave('authorize', { delay: 10_000 })
    const authorize = nextAuthorize()
    const popup = await startPopupSignIn(page, { timeout: 45_000 })
    await authorize
    const closedAt = Date.now()
    await popup.close()
    const error = errorOf(await pendingOutcome(page, 5000))
    const latency = Date.now() - closedAt
    expect(error).toMatchObject({
      name: 'BrowserAuthError',
      code: 'ERR_POPUP_CLOSED',
      isBrowserAuthError: true,
    })
    expect(error.openerSevered).toBeUndefined()
    expect(latency).toBeLessThan(1500)
    expect(h.org.requestCount('token')).toBe(tokensBefore)
  })
})

describe('Cross-Origin-Opener-Policy on the authorization server page', () => {
  // `extra: { coop }` sends the popup to a "login page" of the authorization
  // server with `Cross-Origin-Opener-Policy: same-origin`, which continues to
  // the emulator's real answer after `coop` ms. Chromium (observed: 156) moves
  // the popup to another browsing context group: `window.opener` is null in
  // it and the app's handle reports `closed === true` from then on, while the
  // window stays open (`win.close()` cannot reach it either).

  it('okta_post_message: the severed popup cannot answer → ERR_POPUP_CLOSED with openerSevered, quickly', async () => {
    const page = await h.openApp(h.context)
    const tokensBefore = h.org.requestCount('token')
    const started = Date.now()
    const popup = await startPopupSignIn(page, { extra: { coop: '300' } })
    const error = errorOf(await pendingOutcome(page, 10_000))
    expect(error).toMatchObject({
      name: 'BrowserAuthError',
      code: 'ERR_POPUP_CLOSED',
      openerSevered: true,
    })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(h.org.requestCount('token')).toBe(tokensBefore)
    // Not closed: out of the app's reach, the popup goes on to the server's
    // answer, which has no opener to post to.
    expect(popup.isClosed()).toBe(false)
    await popup.waitForURL(
      (u) => u.pathname.endsWith('/v1/authorize') && !u.searchParams.has('coop'),
    )
    await popup.waitForLoadState('load')
    expect(await popup.evaluate(() => window.opener)).toBeNull()
    expect(h.org.requestCount('token')).toBe(tokensBefore)
  })

  it('popupSeveredWithin is the window of that heuristic: shorter than the page load, the severed popup reads as closed by the user', async () => {
    const page = await h.openApp(h.context, '/', { popupSeveredWithin: 50 })
    await startPopupSignIn(page, { extra: { coop: '300' } })
    const error = errorOf(await pendingOutcome(page, 10_000))
    expect(error).toMatchObject({ name: 'BrowserAuthError', code: 'ERR_POPUP_CLOSED' })
    expect(error.openerSevered).toBeUndefined()
  })

  it('relayUri: the same-origin relay page hands the response over BroadcastChannel and sign-in succeeds', async () => {
    const page = await h.openApp(h.context)
    const tokensBefore = h.org.requestCount('token')
    const authorize = nextAuthorize((r) => !r.url().includes('coop='))
    const popup = await startPopupSignIn(page, {
      extra: { coop: '300' },
      relayUri: `${h.app}/relay`,
    })
    const closed = popup.waitForEvent('close', { timeout: 15_000 })
    const { url } = await authorize
    expect(url.searchParams.get('response_mode')).toBe('fragment')
    expect(url.searchParams.get('redirect_uri')).toBe(`${h.app}/relay`)
    const tokens = resultOf(await pendingOutcome<TokenSet>(page, 15_000))
    expectSignedIn(tokens)
    expect(h.org.requestCount('token')).toBe(tokensBefore + 1)
    // relayCallback() closed the relay page itself.
    await closed
    // Nothing came by postMessage: the popup had no opener.
    expect((await messages(page)).filter((m) => m.origin === h.authOrigin)).toEqual([])
  })

  // A COOP-severed popup reads closed as soon as the login page loads; with
  // a relay the wait goes on (until the timeout) so a slow login still lands.
  it('relayUri with a login slower than 2 s still succeeds', async () => {
    const page = await h.openApp(h.context)
    await startPopupSignIn(page, { extra: { coop: '4000' }, relayUri: `${h.app}/relay` })
    const tokens = resultOf(await pendingOutcome<TokenSet>(page, 15_000))
    expectSignedIn(tokens)
  })
})
