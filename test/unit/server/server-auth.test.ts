import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import { Readable } from 'node:stream'
import { HttpResponse, http } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AuthorizationRequestError,
  AuthorizationResponseError,
  CallbackError,
  type Client,
  InvalidOptionError,
  InvalidResponseError,
  NetworkError,
  OAuthResponseError,
  TimeoutError,
  TokenValidationError,
} from '../../../src/index.js'
import {
  createServerAuth,
  type ServerAuth,
  type ServerAuthOptions,
  type ServerRedirect,
  type ServerTransaction,
  type SessionData,
  toHttpResponse,
} from '../../../src/server/index.js'
import type { OktaOrg } from '../../../src/testing/index.js'
import { HOSTILE_RETURN_TO, SAFE_RETURN_TO } from '../lib/return-to-cases.js'
import { server } from '../msw.js'
import {
  authorize,
  CookieJar,
  cookieHeader,
  formPost,
  HTTP_REDIRECT,
  HTTPS_REDIRECT,
  makeOrg,
  parseForm,
  SECRET,
  USER,
  useOrg,
  webClient,
} from './helpers.js'

let shared: OktaOrg
let org: OktaOrg
let client: Client
let clock: number
beforeAll(async () => {
  shared = await makeOrg()
})
beforeEach(async () => {
  org = shared
  org.signOut()
  server.use(...org.handlers)
  client = await webClient(org)
  clock = Date.now()
})

function makeAuth(options: Partial<ServerAuthOptions> = {}): ServerAuth {
  return createServerAuth(client, {
    secret: SECRET,
    redirectUri: HTTP_REDIRECT,
    postLogoutRedirectUri: 'http://localhost:3000/',
    now: () => clock,
    ...options,
  })
}

/** Every error message seen, to check that none leaks a secret value. */
const messages: string[] = []
async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise
  } catch (err) {
    messages.push((err as Error).message)
    return err as Error & { code?: string }
  }
  throw new Error('expected a rejection')
}

function nodeRequest(
  body: string | Buffer,
  headers: Record<string, string>,
  method = 'POST',
): IncomingMessage {
  const req = new IncomingMessage(new Socket())
  req.method = method
  req.url = '/callback'
  req.headers = headers
  req.push(body)
  req.push(null)
  return req
}

describe('form_post round trip against the emulated org', () => {
  it('login → authorize page → POST the form with the transaction cookie → tokens and returnTo', async () => {
    const auth = makeAuth()
    const { login, action, fields, cookie } = await authorize(auth, '/orders?page=2')
    expect(login.url.searchParams.get('response_mode')).toBe('form_post')
    expect(login.url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(login.url.searchParams.get('scope')).toBe('openid profile email offline_access')
    expect(action).toBe(HTTP_REDIRECT)
    expect(Object.keys(fields).sort()).toEqual(['code', 'state'])

    const outcome = await auth.callback(formPost(action, fields, cookie))
    expect(outcome.returnTo).toBe('/orders?page=2')
    expect(outcome.tokens.idTokenClaims?.sub).toBe(USER.id)
    expect(outcome.tokens.refreshToken).toEqual(expect.any(String))
    expect(outcome.cookies).toHaveLength(2)
    expect(outcome.cookies[0]).toMatch(/^okta-txn\.[\w-]{16}=; Max-Age=0; /)
    expect(outcome.cookies[1]).toMatch(/^okta-session=/)
    const response = outcome.response()
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/orders?page=2')
    expect(response.headers.getSetCookie()).toEqual(outcome.cookies)

    const session = await auth.session.read(formPost(action, {}, cookieHeader(outcome.cookies)))
    expect(session?.accessToken).toBe(outcome.tokens.accessToken)
    expect(session?.idTokenClaims?.email).toBe(USER.login)
  })

  it('login().response() is a 302 to the authorize URL with the cookie', async () => {
    const login = await makeAuth().login()
    const response = login.response()
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(login.url.href)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.getSetCookie()).toEqual(login.cookies)
  })

  it('keeps several sign-ins apart (one cookie per state)', async () => {
    const auth = makeAuth()
    const a = await authorize(auth, '/a')
    const b = await authorize(auth, '/b')
    expect(a.cookie.split('=')[0]).not.toBe(b.cookie.split('=')[0])
    const both = `${a.cookie}; ${b.cookie}`
    expect((await auth.callback(formPost(b.action, b.fields, both))).returnTo).toBe('/b')
    expect((await auth.callback(formPost(a.action, a.fields, both))).returnTo).toBe('/a')
  })

  it('accepts a Node IncomingMessage, streamed', async () => {
    const auth = makeAuth()
    const { fields, cookie } = await authorize(auth)
    const req = nodeRequest(new URLSearchParams(fields).toString(), {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      cookie,
    })
    const outcome = await auth.callback(req)
    expect(outcome.tokens.idTokenClaims?.sub).toBe(USER.id)
  })

  it('accepts a Node request whose body a framework already parsed (object or string)', async () => {
    const auth = makeAuth()
    const one = await authorize(auth)
    const parsed = Object.assign(Readable.from([]), {
      method: 'POST',
      url: '/callback',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: one.cookie },
      body: { ...one.fields },
    })
    expect((await auth.callback(parsed)).tokens.accessToken).toEqual(expect.any(String))

    const two = await authorize(auth)
    const text = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: two.cookie },
      body: new URLSearchParams(two.fields).toString(),
    }
    expect((await auth.callback(text)).tokens.accessToken).toEqual(expect.any(String))
  })
})

describe('query mode', () => {
  it('accepts the callback as a GET with query parameters', async () => {
    const auth = makeAuth({ responseMode: 'query' })
    const login = await auth.login({ returnTo: '/q' })
    expect(login.url.searchParams.get('response_mode')).toBe('query')
    const redirect = await fetch(login.url, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    const location = redirect.headers.get('location')!
    const request = new Request(location, { headers: { cookie: cookieHeader(login.cookies) } })
    const outcome = await auth.callback(request)
    expect(outcome.returnTo).toBe('/q')
    expect(outcome.tokens.idTokenClaims?.sub).toBe(USER.id)
  })

  it('accepts a Node GET with the query in req.url', async () => {
    const auth = makeAuth({ responseMode: 'query' })
    const login = await auth.login()
    const location = new URL(
      (await fetch(login.url, { redirect: 'manual' })).headers.get('location')!,
    )
    const req = nodeRequest('', { cookie: cookieHeader(login.cookies) }, 'GET')
    req.url = `${location.pathname}${location.search}`
    expect((await auth.callback(req)).tokens.accessToken).toEqual(expect.any(String))
  })

  it('refuses a POST in query mode (405)', async () => {
    const auth = makeAuth({ responseMode: 'query' })
    const { fields, cookie } = await authorize(makeAuth())
    const err = await rejection(auth.callback(formPost(HTTP_REDIRECT, fields, cookie)))
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 405 })
  })
})

describe('rejections', () => {
  it('refuses GET and PUT for form_post (405)', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const get = new Request(`${action}?${new URLSearchParams(fields)}`, { headers: { cookie } })
    const err = await rejection(auth.callback(get))
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 405 })
    expect(toHttpResponse(err).status).toBe(405)
    const put = await rejection(auth.callback(formPost(action, fields, cookie, { method: 'PUT' })))
    expect(put).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 405 })
    // The transaction was not consumed by the refused requests.
    expect((await auth.callback(formPost(action, fields, cookie))).tokens).toBeDefined()
  })

  it('refuses JSON and multipart bodies (415)', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const json = new Request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(fields),
    })
    expect(await rejection(auth.callback(json))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
      status: 415,
    })
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.set(k, v)
    const multipart = new Request(action, { method: 'POST', headers: { cookie }, body: form })
    expect(multipart.headers.get('content-type')).toMatch(/^multipart\/form-data/)
    const err = await rejection(auth.callback(multipart))
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 415 })
    expect(toHttpResponse(err).status).toBe(415)
    const none = nodeRequest('code=x', { cookie })
    expect(await rejection(auth.callback(none))).toMatchObject({ status: 415 })
  })

  it('refuses an oversized body (413): declared, streamed without a length, and from Node', async () => {
    const auth = makeAuth({ maxBodyBytes: 1024 })
    const { action, fields, cookie } = await authorize(auth)
    const big = { ...fields, pad: 'x'.repeat(2000) }
    const declared = await rejection(auth.callback(formPost(action, big, cookie)))
    expect(declared).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 413 })
    expect(toHttpResponse(declared).status).toBe(413)

    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        if (pulled > 100) controller.close()
        else controller.enqueue(new TextEncoder().encode('a'.repeat(512)))
      },
    })
    const chunked = new Request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(await rejection(auth.callback(chunked))).toMatchObject({ status: 413 })
    expect(pulled).toBeLessThan(10)

    const node = nodeRequest(new URLSearchParams(big).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
    })
    expect(await rejection(auth.callback(node))).toMatchObject({ status: 413 })
    const parsed = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: big,
    }
    expect(await rejection(auth.callback(parsed))).toMatchObject({ status: 413 })
  })

  it('refuses a callback without the transaction cookie', async () => {
    const auth = makeAuth()
    const { action, fields } = await authorize(auth)
    const err = await rejection(auth.callback(formPost(action, fields, 'unrelated=1')))
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_MISSING' })
    expect(toHttpResponse(err)).toMatchObject({ status: 400 })
  })

  it('refuses a tampered cookie (one character flipped) and a forged one (another secret)', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const [name, value] = cookie.split('=') as [string, string]
    const i = Math.floor(value.length / 2)
    const flipped = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1)
    const err = await rejection(auth.callback(formPost(action, fields, `${name}=${flipped}`)))
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_TAMPERED' })
    expect(err.message).not.toContain(flipped)

    const other = makeAuth({ secret: 'another-secret-of-at-least-32-characters!!' })
    const forged = await authorize(other)
    const err2 = await rejection(auth.callback(formPost(action, forged.fields, forged.cookie)))
    expect(err2).toMatchObject({ code: 'ERR_TRANSACTION_TAMPERED' })

    const garbage = await rejection(auth.callback(formPost(action, fields, `${name}=not.a.jwe`)))
    expect(garbage).toMatchObject({ code: 'ERR_TRANSACTION_TAMPERED' })
  })

  it('refuses an expired transaction cookie', async () => {
    const auth = makeAuth({ transactionTtl: 60_000 })
    const { action, fields, cookie, login } = await authorize(auth)
    expect(login.cookies[0]).toContain('Max-Age=60;')
    clock += 61_000
    const err = await rejection(auth.callback(formPost(action, fields, cookie)))
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_EXPIRED' })
  })

  it('refuses a replayed callback (same cookie twice)', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    await auth.callback(formPost(action, fields, cookie))
    const err = await rejection(auth.callback(formPost(action, fields, cookie)))
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_REUSED' })
  })

  it('refuses a state that matches no pending sign-in, or no state at all', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const wrong = await rejection(
      auth.callback(formPost(action, { ...fields, state: 'another-state' }, cookie)),
    )
    expect(wrong).toMatchObject({ code: 'ERR_STATE_MISMATCH', parameter: 'state' })
    const { state: _state, ...stateless } = fields
    const none = await rejection(auth.callback(formPost(action, stateless, cookie)))
    expect(none).toMatchObject({ code: 'ERR_STATE_MISMATCH' })
    const twice = new URLSearchParams(fields)
    twice.append('state', fields.state!)
    const dup = await rejection(
      auth.callback(
        new Request(action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: twice,
        }),
      ),
    )
    expect(dup).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED' })
  })

  it('refuses a cookie moved under another state’s name (state mismatch)', async () => {
    const auth = makeAuth()
    const a = await authorize(auth)
    const b = await authorize(auth)
    const swapped = `${b.cookie.split('=')[0]}=${a.cookie.slice(a.cookie.indexOf('=') + 1)}`
    const err = await rejection(auth.callback(formPost(b.action, b.fields, swapped)))
    expect(err).toMatchObject({ code: 'ERR_STATE_MISMATCH' })
  })

  it('maps an error response from the server (access_denied) to 401', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const err = await rejection(
      auth.callback(formPost(action, { state: fields.state!, error: 'access_denied' }, cookie)),
    )
    expect(err).toMatchObject({ code: 'ERR_AUTHORIZATION_RESPONSE', error: 'access_denied' })
    const answer = toHttpResponse(err)
    expect(answer.status).toBe(401)
    expect(await answer.response().text()).toBe('sign-in was not completed (access_denied)')
  })

  it('never puts a cookie, code or token in an error message or HTTP answer', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const outcome = await auth.callback(formPost(action, fields, cookie))
    await rejection(auth.callback(formPost(action, fields, cookie)))
    const secrets = [
      cookie.slice(cookie.indexOf('=') + 1),
      fields.code!,
      outcome.tokens.accessToken,
      outcome.tokens.refreshToken!,
      outcome.cookies[1]!.split(';')[0]!.split('=')[1]!,
    ]
    expect(messages.length).toBeGreaterThan(5)
    for (const message of messages) {
      for (const secret of secrets) expect(message).not.toContain(secret)
      expect(message).not.toMatch(/eyJ/)
    }
    for (const m of messages) expect(toHttpResponse(new Error(m)).message).toBe('internal error')
  })
})

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

describe('options', () => {
  it('refuses a secret under 32 characters or bytes', () => {
    expect(() => makeAuth({ secret: 'too-short' })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ secret: new Uint8Array(31) })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ secret: crypto.getRandomValues(new Uint8Array(32)) })).not.toThrow()
    expect(() => makeAuth({ secret: 42 as unknown as string })).toThrow(InvalidOptionError)
  })

  it('refuses an http redirect URI off loopback, bad modes and bad numbers', () => {
    expect(() => makeAuth({ redirectUri: 'http://app.example.com/callback' })).toThrow(
      expect.objectContaining({ code: 'ERR_INSECURE_URL' }),
    )
    expect(() => makeAuth({ redirectUri: 'not a url' })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ responseMode: 'fragment' as 'query' })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ maxBodyBytes: -1 })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ cookies: { sessionName: 'a b' } })).toThrow(InvalidOptionError)
  })

  it.each(HOSTILE_RETURN_TO.filter(([, value]) => value !== null))(
    'refuses returnTo (%s) in both call shapes',
    async (_why, returnTo) => {
      const auth = makeAuth()
      const request = new Request('http://localhost:3000/login')
      for (const attempt of [
        auth.login({ returnTo: returnTo as string }),
        auth.login(request, { returnTo: returnTo as string }),
      ]) {
        const err = await rejection(attempt)
        expect(err).toBeInstanceOf(InvalidOptionError)
        expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION' })
      }
    },
  )

  it.each(SAFE_RETURN_TO)('keeps returnTo %j through the sign-in', async (returnTo) => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth, returnTo)
    const outcome = await auth.callback(formPost(action, fields, cookie))
    expect(outcome.returnTo).toBe(returnTo)
    expect(outcome.response().headers.get('location')).toBe(returnTo)
  })

  it('passes authorization request options through, and their errors', async () => {
    const auth = makeAuth()
    const { url } = await auth.login({
      scope: 'openid email',
      loginHint: USER.login,
      prompt: 'login',
    })
    expect(url.searchParams.get('scope')).toBe('openid email')
    expect(url.searchParams.get('login_hint')).toBe(USER.login)
    await expect(auth.login({ state: 'bad state!' })).rejects.toBeInstanceOf(
      AuthorizationRequestError,
    )
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
    const tokens = org.requestCount('token')
    const err = await rejection(
      auth.callback(formPost(dropped.action, dropped.fields, jar.header())),
    )
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_STATE_MISMATCH', parameter: 'state' })
    expect(org.requestCount('token')).toBe(tokens)
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
      clock += 1000
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
    clock += 61_000
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

describe('stores', () => {
  it('a transaction store keeps the transaction; take() makes it one-use', async () => {
    const map = new Map<string, ServerTransaction>()
    const auth = makeAuth({
      transactionStore: {
        set: (key, txn) => void map.set(key, txn),
        take: (key) => {
          const txn = map.get(key)
          map.delete(key)
          return txn
        },
      },
    })
    const { action, fields, cookie, login } = await authorize(auth, '/stored')
    expect(map.size).toBe(1)
    expect(login.cookies[0]!.length).toBeLessThan(400)
    // A second process (a new ServerAuth on the same store) gets it once.
    const other = makeAuth({
      transactionStore: {
        set: () => {},
        take: (key) => {
          const txn = map.get(key)
          map.delete(key)
          return txn
        },
      },
    })
    expect((await other.callback(formPost(action, fields, cookie))).returnTo).toBe('/stored')
    expect(await rejection(auth.callback(formPost(action, fields, cookie)))).toMatchObject({
      code: 'ERR_TRANSACTION_REUSED',
    })
  })

  it('a session too large for a cookie throws ERR_SESSION_TOO_LARGE; a session store fixes it', async () => {
    const big = { ...USER, profile: { ...USER.profile, name: 'N'.repeat(3000) } }
    org = await useOrg([big])
    client = await webClient(org)
    const plain = makeAuth()
    const a = await authorize(plain)
    expect(await rejection(plain.callback(formPost(a.action, a.fields, a.cookie)))).toMatchObject({
      code: 'ERR_SESSION_TOO_LARGE',
    })

    const sessions = new Map<string, SessionData>()
    const stored = makeAuth({
      sessionStore: {
        get: (id) => sessions.get(id),
        set: (id, data) => void sessions.set(id, data),
        delete: (id) => void sessions.delete(id),
      },
    })
    const b = await authorize(stored)
    const outcome = await stored.callback(formPost(b.action, b.fields, b.cookie))
    expect(sessions.size).toBe(1)
    expect(outcome.cookies[1]!.length).toBeLessThan(400)
    const cookie = cookieHeader(outcome.cookies)
    expect((await stored.session.read(cookie))?.idTokenClaims?.name).toHaveLength(3000)
    const refreshed = await stored.session.refresh(cookie, { force: true })
    expect(refreshed?.refreshed).toBe(true)
    expect(sessions.size).toBe(1)
    const out = await stored.logout(cookieHeader(refreshed!.cookies))
    expect(sessions.size).toBe(0)
    expect(out.cookies[0]).toContain('Max-Age=0')
  })
})

describe('session', () => {
  async function signedIn(auth: ServerAuth) {
    const { action, fields, cookie } = await authorize(auth)
    const outcome = await auth.callback(formPost(action, fields, cookie))
    return { outcome, cookie: cookieHeader(outcome.cookies) }
  }

  it('reads nothing without a cookie, with a foreign or expired cookie', async () => {
    const auth = makeAuth({ sessionTtl: 60_000 })
    expect(await auth.session.read(new Request('http://localhost:3000/'))).toBeUndefined()
    const { cookie } = await signedIn(auth)
    expect(await auth.session.read(cookie)).toBeDefined()
    const other = makeAuth({ secret: 'another-secret-of-at-least-32-characters!!' })
    expect(await other.session.read(cookie)).toBeUndefined()
    clock += 61_000
    expect(await auth.session.read(cookie)).toBeUndefined()
    expect(await auth.session.refresh(cookie)).toBeUndefined()
  })

  it('reads the session from a Node request', async () => {
    const auth = makeAuth()
    const { cookie, outcome } = await signedIn(auth)
    const req = nodeRequest('', { cookie }, 'GET')
    expect((await auth.session.read(req))?.refreshToken).toBe(outcome.tokens.refreshToken)
  })

  it('refreshes only near expiry (or when forced), rotating the refresh token', async () => {
    const auth = makeAuth()
    const { cookie, outcome } = await signedIn(auth)
    const early = await auth.session.refresh(cookie)
    expect(early).toMatchObject({ refreshed: false, cookies: [] })
    clock = outcome.tokens.expiresAt! * 1000 - 30_000
    const late = await auth.session.refresh(cookie)
    expect(late?.refreshed).toBe(true)
    expect(late?.session.refreshToken).not.toBe(outcome.tokens.refreshToken)
    expect(late?.session.accessToken).not.toBe(outcome.tokens.accessToken)
    expect(late?.session.idTokenClaims?.sub).toBe(USER.id)
    expect(late?.cookies[0]).toMatch(/^okta-session=/)
    const reread = await auth.session.read(cookieHeader(late!.cookies))
    expect(reread?.refreshToken).toBe(late?.session.refreshToken)
  })

  it('logout revokes the tokens, clears the cookie and redirects to the logout endpoint', async () => {
    const auth = makeAuth()
    const { cookie, outcome } = await signedIn(auth)
    expect((await client.introspect(outcome.tokens.accessToken)).active).toBe(true)
    const out = await auth.logout(cookie, { state: 'bye' })
    expect(out.url.origin + out.url.pathname).toBe(`${org.issuer()}/v1/logout`)
    expect(out.url.searchParams.get('id_token_hint')).toBe(outcome.tokens.idToken)
    expect(out.url.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:3000/')
    expect(out.url.searchParams.get('state')).toBe('bye')
    expect(out.cookies).toEqual(['okta-session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax'])
    expect(out.response().status).toBe(302)
    expect((await client.introspect(outcome.tokens.accessToken)).active).toBe(false)
    expect((await client.introspect(outcome.tokens.refreshToken!)).active).toBe(false)
    const end = await fetch(out.url, { redirect: 'manual' })
    expect(end.headers.get('location')).toBe('http://localhost:3000/?state=bye')
  })

  it('logout without a session goes to the post-logout URL; revocation failures are ignored', async () => {
    const auth = makeAuth()
    const none = await auth.logout(new Request('http://localhost:3000/logout'))
    expect(none.url.href).toBe('http://localhost:3000/')
    const { cookie } = await signedIn(auth)
    org.misbehave('revoke', { status: 503 })
    const out = await auth.logout(cookie)
    expect(out.url.pathname).toBe('/oauth2/default/v1/logout')
  })

  it('with a sessionStore, a session cookie captured before logout is dead after it (read and refresh)', async () => {
    const sessions = new Map<string, SessionData>()
    const auth = makeAuth({
      sessionStore: {
        get: (id) => sessions.get(id),
        set: (id, data) => void sessions.set(id, data),
        delete: (id) => void sessions.delete(id),
      },
    })
    const { cookie } = await signedIn(auth)
    // Another copy from before a refresh (refresh moves the session to a new id).
    const refreshed = await auth.session.refresh(cookie, { force: true })
    const current = cookieHeader(refreshed!.cookies)
    expect(await auth.session.read(cookie)).toBeUndefined()
    expect(await auth.session.read(current)).toBeDefined()
    const captured = current
    const out = await auth.logout(current)
    expect(out.cookies).toEqual(['okta-session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax'])
    expect(sessions.size).toBe(0)
    // The attacker replays the captured cookie.
    expect(await auth.session.read(captured)).toBeUndefined()
    expect(await auth.session.refresh(captured)).toBeUndefined()
    expect(await auth.session.refresh(captured, { force: true })).toBeUndefined()
    expect(
      await auth.session.read(
        new Request('http://localhost:3000/', { headers: { cookie: captured } }),
      ),
    ).toBeUndefined()
    // A second logout with it finds nothing to end.
    expect((await auth.logout(captured)).url.href).toBe('http://localhost:3000/')
  })

  it('without a sessionStore (the documented trade-off), a captured cookie still reads after logout, but its tokens are revoked', async () => {
    const auth = makeAuth()
    const { cookie } = await signedIn(auth)
    await auth.logout(cookie)
    const replayed = await auth.session.read(cookie)
    expect(replayed).toBeDefined()
    expect((await client.introspect(replayed!.accessToken)).active).toBe(false)
    const err = await rejection(auth.session.refresh(cookie, { force: true }))
    expect(err).toMatchObject({ error: 'invalid_grant' })
  })

  it('password sign-in (legacy) makes a session', async () => {
    const auth = makeAuth()
    const result = await auth.password({ username: USER.login, password: USER.password })
    expect(result.session.idTokenClaims?.sub).toBe(USER.id)
    const read = await auth.session.read(cookieHeader(result.cookies))
    expect(read?.accessToken).toBe(result.session.accessToken)
    const err = await rejection(auth.password({ username: USER.login, password: 'wrong' }))
    expect(err).toMatchObject({ error: 'invalid_grant' })
    expect(toHttpResponse(err).status).toBe(401)
    expect(err.message).not.toContain('wrong')
  })
})

describe('toHttpResponse', () => {
  it('maps every kind of error to a status and a fixed, safe message', async () => {
    const cases: [unknown, number][] = [
      [new CallbackError('x', { code: 'ERR_TRANSACTION_TAMPERED' }), 400],
      [
        new AuthorizationResponseError(undefined, {
          error: 'login_required',
          errorDescription: 'secret',
        }),
        401,
      ],
      [
        new TokenValidationError('x', {
          code: 'ERR_NONCE_MISMATCH',
          token: 'id_token',
          reason: 'x',
        }),
        401,
      ],
      [new OAuthResponseError(undefined, { error: 'invalid_grant', status: 400 }), 401],
      [new OAuthResponseError(undefined, { error: 'invalid_client', status: 401 }), 502],
      [new NetworkError('x'), 502],
      [new InvalidResponseError('x', { status: 200 }), 502],
      [new InvalidResponseError('x', { status: 200, code: 'ERR_RESPONSE_TOO_LARGE' }), 502],
      [new TimeoutError('x', { timeout: 10 }), 504],
      [new InvalidOptionError('x'), 500],
      [new Error('eyJsecret'), 500],
      ['a string', 500],
    ]
    for (const [err, status] of cases) {
      const answer = toHttpResponse(err)
      expect(answer.status).toBe(status)
      expect(answer.message).not.toMatch(/secret|eyJ/)
      const response = answer.response()
      expect(response.status).toBe(status)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(await response.text()).toBe(answer.message)
    }
  })

  it('a server fault is never a caller mistake: a token endpoint answering token_type "mac" → InvalidResponseError → 502', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    // The hostile token endpoint: a well-formed answer with a token type nobody asked for.
    server.use(
      http.post(`${org.issuer()}/v1/token`, () =>
        HttpResponse.json({
          access_token: 'at-from-a-hostile-server',
          token_type: 'mac',
          expires_in: 3600,
          scope: 'openid',
        }),
      ),
    )
    const err = await rejection(auth.callback(formPost(action, fields, cookie)))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).not.toBeInstanceOf(InvalidOptionError)
    const answer = toHttpResponse(err)
    expect(answer.status).toBe(502)
    expect(answer.message).not.toContain('at-from-a-hostile-server')
  })

  it('a token endpoint answering more than 1 MiB → ERR_RESPONSE_TOO_LARGE → 502', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    server.use(
      http.post(`${org.issuer()}/v1/token`, () =>
        HttpResponse.json({
          access_token: 'at',
          token_type: 'Bearer',
          padding: 'p'.repeat(2 * 1024 * 1024),
        }),
      ),
    )
    const err = await rejection(auth.callback(formPost(action, fields, cookie)))
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    expect(toHttpResponse(err).status).toBe(502)
  })

  it('sends Allow with a 405', async () => {
    const post = makeAuth()
    const get = await rejection(post.callback(new Request(HTTP_REDIRECT)))
    expect(toHttpResponse(get).response().headers.get('allow')).toBe('POST')
    const query = makeAuth({ responseMode: 'query' })
    const put = await rejection(query.callback(new Request(HTTP_REDIRECT, { method: 'PUT' })))
    expect(toHttpResponse(put).response().headers.get('allow')).toBe('GET')
  })
})
