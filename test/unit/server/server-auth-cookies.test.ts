// The cookies ServerAuth sets (prefix, attributes, names, path) and how it
// bounds the transaction cookies one browser can pile up. The harness is in
// server-auth-harness.ts.
import { describe, expect, it } from 'vitest'
import { CallbackError, InvalidOptionError } from '../../../src/index.js'
import { type ServerAuth, type ServerRedirect, toHttpResponse } from '../../../src/server/index.js'
import {
  authorize,
  CookieJar,
  cookieHeader,
  formPost,
  HTTPS_REDIRECT,
  parseForm,
} from './helpers.js'
import {
  harness,
  makeAuth,
  nodeRequest,
  rejection,
  useServerAuthHarness,
} from './server-auth-harness.js'

useServerAuthHarness()

describe('cookies', () => {
  it('form_post on https: __Host- prefix, HttpOnly, Secure, SameSite=None, Max-Age, Path=/', async () => {
    const auth = makeAuth({ redirectUri: HTTPS_REDIRECT })
    const { cookies } = await auth.login()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatch(
      /^__Host-okta-txn\.[\w-]{16}=[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=None$/,
    )
    const { action, fields, cookie } = await authorize(auth)
    expect(action).toBe(HTTPS_REDIRECT)
    const outcome = await auth.callback(formPost(action, fields, cookie))
    expect(outcome.cookies[0]).toMatch(
      /^__Host-okta-txn\.[\w-]{16}=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=None$/,
    )
    expect(outcome.cookies[1]).toMatch(
      /^__Host-okta-session=[\w.-]+; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    )
  })

  it('form_post on http loopback: Secure and SameSite=None, no __Host- prefix', async () => {
    const { cookies } = await makeAuth().login()
    expect(cookies[0]).toMatch(
      /^okta-txn\.[\w-]{16}=\S+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=None$/,
    )
  })

  it('query on http loopback: SameSite=Lax, not Secure; custom names and path', async () => {
    const auth = makeAuth({
      responseMode: 'query',
      transactionTtl: 120_000,
      cookies: { transactionName: 'txn', sessionName: 'sid', path: '/app' },
    })
    const { cookies } = await auth.login()
    expect(cookies[0]).toMatch(
      /^txn\.[\w-]{16}=\S+; Max-Age=120; Path=\/app; HttpOnly; SameSite=Lax$/,
    )
  })

  it('https with a path other than /: Secure without the __Host- prefix', async () => {
    const { cookies } = await makeAuth({
      redirectUri: HTTPS_REDIRECT,
      cookies: { path: '/app' },
    }).login()
    expect(cookies[0]).toMatch(/^okta-txn\./)
    expect(cookies[0]).toContain('; Secure; SameSite=None')
  })
})

describe('pending transactions per browser', () => {
  const LOGIN = 'http://localhost:3000/login'
  const txnNames = (jar: CookieJar) => jar.names().filter((n) => n.startsWith('okta-txn.'))
  const bytes = (s: string) => new TextEncoder().encode(s).byteLength

  /** The org's answer (the auto-submitted form) to one login's authorization URL. */
  async function answer(login: ServerRedirect) {
    const page = await fetch(login.url)
    expect(page.status).toBe(200)
    return parseForm(await page.text())
  }

  /** `count` logins from the browser of `jar`, each sent with its cookies; the results in order. */
  async function loginMany(auth: ServerAuth, jar: CookieJar, count: number, returnTo = '/page') {
    const logins: ServerRedirect[] = []
    for (let i = 0; i < count; i++) {
      const login = await auth.login(jar.request(LOGIN), { returnTo: `${returnTo}/${i}` })
      jar.apply(login.cookies)
      logins.push(login)
      expect(txnNames(jar).length).toBeLessThanOrEqual(5)
    }
    return logins
  }

  it('30 logins from one browser (the popup attack) leave at most 5 transaction cookies within 6 KiB; the newest completes, a dropped one fails typed', async () => {
    const auth = makeAuth()
    const jar = new CookieJar()
    // Signed in already: the session cookie travels too.
    const first = await authorize(auth)
    jar.apply((await auth.callback(formPost(first.action, first.fields, first.cookie))).cookies)
    const logins = await loginMany(auth, jar, 30)
    expect(txnNames(jar)).toHaveLength(5)
    const txnHeader = jar
      .header()
      .split('; ')
      .filter((c) => c.startsWith('okta-txn.'))
      .join('; ')
    expect(bytes(txnHeader)).toBeLessThanOrEqual(6 * 1024)
    // The whole Cookie header stays far below Node's 16 KiB header limit (431 above it).
    expect(bytes(jar.header())).toBeLessThan(10 * 1024)
    // Each login beyond the fifth deleted the oldest in its own response.
    const deleted = logins[29]!.cookies.slice(1)
    expect(deleted).toHaveLength(1)
    expect(deleted[0]).toMatch(
      /^okta-txn\.[\w-]{16}=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=None$/,
    )

    // The newest sign-in completes, and so does the oldest one kept.
    const newest = await answer(logins[29]!)
    const done = await auth.callback(formPost(newest.action, newest.fields, jar.header()))
    expect(done.returnTo).toBe('/page/29')
    jar.apply(done.cookies)
    const kept = await answer(logins[25]!)
    expect((await auth.callback(formPost(kept.action, kept.fields, jar.header()))).returnTo).toBe(
      '/page/25',
    )

    // A dropped one fails with the existing typed error, before any token request.
    const dropped = await answer(logins[0]!)
    const tokens = harness.org.requestCount('token')
    const err = await rejection(
      auth.callback(formPost(dropped.action, dropped.fields, jar.header())),
    )
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_STATE_MISMATCH', parameter: 'state' })
    expect(harness.org.requestCount('token')).toBe(tokens)
    expect(toHttpResponse(err).status).toBe(400)
  })

  it('a dropped sign-in with no transaction cookie left fails with ERR_TRANSACTION_MISSING (maxPendingTransactions: 1)', async () => {
    const auth = makeAuth({ maxPendingTransactions: 1 })
    const jar = new CookieJar()
    const [older, newer] = await loginMany(auth, jar, 2)
    expect(txnNames(jar)).toHaveLength(1)
    const form = await answer(newer!)
    jar.apply((await auth.callback(formPost(form.action, form.fields, jar.header()))).cookies)
    expect(txnNames(jar)).toEqual([])
    const stale = await answer(older!)
    expect(
      await rejection(auth.callback(formPost(stale.action, stale.fields, jar.header()))),
    ).toMatchObject({ code: 'ERR_TRANSACTION_MISSING' })
  })

  it('bounds the bytes too: large transactions (long returnTo) keep fewer than 5', async () => {
    const auth = makeAuth()
    const jar = new CookieJar()
    await loginMany(auth, jar, 10, `/${'r'.repeat(1500)}`)
    const count = txnNames(jar).length
    expect(count).toBeGreaterThanOrEqual(1)
    expect(count).toBeLessThan(5)
    expect(bytes(jar.header())).toBeLessThanOrEqual(6 * 1024)
  })

  it('keeps the newest by issue time, also when a client sends its cookies in another order', async () => {
    const auth = makeAuth()
    const jar = new CookieJar()
    const logins: ServerRedirect[] = []
    for (let i = 0; i < 8; i++) {
      harness.clock += 1000
      // Newest first: the reverse of what browsers send.
      const cookie = jar.header().split('; ').reverse().join('; ')
      const login = await auth.login(cookie, { returnTo: `/n/${i}` })
      jar.apply(login.cookies)
      logins.push(login)
    }
    expect(txnNames(jar)).toHaveLength(5)
    const newest = await answer(logins[7]!)
    expect(
      (await auth.callback(formPost(newest.action, newest.fields, jar.header()))).returnTo,
    ).toBe('/n/7')
    // 3 to 7 were kept (by iat), 0 to 2 dropped (their place in the header says otherwise).
    const kept = await answer(logins[5]!)
    expect((await auth.callback(formPost(kept.action, kept.fields, jar.header()))).returnTo).toBe(
      '/n/5',
    )
    const dropped = await answer(logins[2]!)
    expect(
      await rejection(auth.callback(formPost(dropped.action, dropped.fields, jar.header()))),
    ).toMatchObject({ code: 'ERR_STATE_MISMATCH' })
  })

  it('clears expired and foreign transaction cookies, and accepts a Node request or a Cookie header', async () => {
    const auth = makeAuth({ transactionTtl: 60_000 })
    const jar = new CookieJar()
    await loginMany(auth, jar, 2)
    jar.apply(['okta-txn.AAAAAAAAAAAAAAAA=forged; Max-Age=600', 'unrelated=1; Max-Age=600'])
    harness.clock += 61_000
    const login = await auth.login(nodeRequest('', { cookie: jar.header() }, 'GET'), {
      returnTo: '/fresh',
    })
    // The new cookie, then the two expired ones and the forged one deleted; others untouched.
    expect(login.cookies).toHaveLength(4)
    jar.apply(login.cookies)
    expect(txnNames(jar)).toHaveLength(1)
    expect(jar.names()).toContain('unrelated')
    const again = await auth.login(jar.header(), { returnTo: '/again' })
    expect(again.cookies).toHaveLength(1)
  })

  it('the form without the request still works (and prunes nothing); options still apply', async () => {
    const auth = makeAuth()
    const plain = await auth.login({ returnTo: '/old' }, { timeout: 5_000 })
    expect(plain.cookies).toHaveLength(1)
    const none = await auth.login()
    expect(none.cookies).toHaveLength(1)
    const form = await answer(plain)
    const cookie = cookieHeader([...plain.cookies, ...none.cookies])
    expect((await auth.callback(formPost(form.action, form.fields, cookie))).returnTo).toBe('/old')
    // And the request-first form takes the same options.
    const withRequest = await auth.login(
      new Request(LOGIN),
      { returnTo: '/new' },
      { timeout: 5_000 },
    )
    expect(withRequest.cookies).toHaveLength(1)
  })

  it('refuses a maxPendingTransactions that is not a positive integer', () => {
    for (const maxPendingTransactions of [0, -1, 1.5, Number.NaN]) {
      expect(() => makeAuth({ maxPendingTransactions })).toThrow(InvalidOptionError)
    }
  })
})
