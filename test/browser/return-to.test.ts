// returnTo in headless Chromium: the audit's attack, end to end. The app, the
// authorization server and a hostile origin each run on their own
// 127.0.0.1 origin. `/\t/127.0.0.1:{hostile}/x` starts with one `/` and has
// no backslash, but Chromium drops the TAB when it parses the URL, so
// `location.assign` of it after sign-in would land on the hostile origin.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Settled } from './app/api.js'
import { callbackRecord, errorOf, isAuthorize, useHarness, within } from './harness.js'

const h = useHarness()

/** The hostile returnTo for this run: one TAB between the slashes. */
const attack = () => `/\t/${new URL(h.hostile).host}/stolen`

/** Every request a page of the context sends to the hostile origin from now on. */
function hostileRequests(): string[] {
  const seen: string[] = []
  h.context.on('request', (r) => {
    if (r.url().startsWith(h.hostile)) seen.push(r.url())
  })
  return seen
}

/** The outcome /callback recorded (handleRedirect), once the page is there and it settled. */
async function callbackOutcome(page: Page): Promise<Settled> {
  await page.waitForURL((u) => u.origin === h.app && u.pathname === '/callback')
  return (await within(
    page.evaluate(() => window.app.callback),
    10_000,
    'handleRedirect on /callback',
  )) as Settled
}

describe('returnTo cannot leave the app origin', () => {
  it('the value really is hostile here: Chromium resolves it to the hostile origin', async () => {
    const page = await h.openApp(h.context, '/')
    const resolved = await page.evaluate((value) => new URL(value, location.href).origin, attack())
    expect(resolved).toBe(h.hostile)
  })

  it('signInWithRedirect({ returnTo: "/\\t/{hostile}/x" }) is refused with InvalidOptionError; nothing is stored or sent', async () => {
    const page = await h.openApp(h.context, '/', { tokenStorage: 'session' })
    const hostile = hostileRequests()
    const authorize: string[] = []
    page.on('request', (r) => {
      if (isAuthorize(r)) authorize.push(r.url())
    })
    const outcome = (await within(
      page.evaluate(
        (returnTo) => window.app.settle(window.app.auth!.signInWithRedirect({ returnTo })),
        attack(),
      ),
      10_000,
      'signInWithRedirect',
    )) as Settled
    expect(errorOf(outcome)).toMatchObject({
      name: 'InvalidOptionError',
      code: 'ERR_INVALID_OPTION',
    })
    // No transaction was stored, no authorization request made; the page stayed.
    const stored = await page.evaluate(() =>
      Object.keys(sessionStorage).filter((k) => k.startsWith('okta-oauth-kit:txn:')),
    )
    expect(stored).toEqual([])
    expect(authorize).toEqual([])
    expect(new URL(page.url()).origin).toBe(h.app)
    expect(hostile).toEqual([])
    expect(h.pageErrors).toEqual([])
  })

  it('a transaction whose stored returnTo was rewritten mid-flight is refused on /callback (ERR_TRANSACTION_INVALID): no token request, the page stays on the app', async () => {
    const page = await h.openApp(h.context, '/', { tokenStorage: 'session' })
    const hostile = hostileRequests()
    const tokensBefore = h.org.requestCount('token')
    // A legitimate sign-in; between storing the transaction and leaving the
    // page, another script of the origin rewrites its returnTo.
    await page.evaluate((returnTo) => {
      void window.app.auth!.signInWithRedirect({
        returnTo: '/orders',
        navigate: (url) => {
          for (const key of Object.keys(sessionStorage)) {
            if (!key.startsWith('okta-oauth-kit:txn:')) continue
            const txn = JSON.parse(sessionStorage.getItem(key)!)
            sessionStorage.setItem(key, JSON.stringify({ ...txn, returnTo }))
          }
          location.assign(url)
        },
      })
    }, attack())
    const outcome = await callbackOutcome(page)
    expect(errorOf(outcome)).toMatchObject({
      name: 'CallbackError',
      code: 'ERR_TRANSACTION_INVALID',
    })
    const record = await callbackRecord(page)
    expect(record?.stored).toBe(false)
    expect(h.org.requestCount('token')).toBe(tokensBefore)
    // The address bar was cleaned and the page did not move on.
    expect(page.url()).toBe(`${h.app}/callback`)
    expect(hostile).toEqual([])
    expect(h.pageErrors).toEqual([])
  })

  it('the same flow with the stored returnTo untouched lands on it (the control)', async () => {
    const page = await h.openApp(h.context, '/', { tokenStorage: 'session' })
    await page.evaluate(() => {
      void window.app.auth!.signInWithRedirect({ returnTo: '/orders?tab=2' })
    })
    await page.waitForURL(`${h.app}/orders?tab=2`)
    const record = await callbackRecord(page)
    expect(record?.outcome).toMatchObject({ ok: true, value: { returnTo: '/orders?tab=2' } })
  })
})
