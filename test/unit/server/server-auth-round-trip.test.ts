// A whole sign-in against the emulated org, in both response modes: login,
// the authorize page, the callback (form_post POST or query GET; Web or Node
// requests) and the session it leaves. The harness is in server-auth-harness.ts.
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { authorize, cookieHeader, formPost, HTTP_REDIRECT, USER } from './helpers.js'
import { makeAuth, nodeRequest, rejection, useServerAuthHarness } from './server-auth-harness.js'

useServerAuthHarness()

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
    // The form carried a real code: neither it nor any token is quoted back.
    expect(err.message).not.toContain(fields.code!)
    expect(err.message).not.toMatch(/eyJ/)
  })
})
