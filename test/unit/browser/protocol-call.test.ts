// The protocol layer's HTTP call: requests, error answers, timeouts, safe
// errors, the clock offset from Date headers, and the URL rules.
import { inspect } from 'node:util'
import { delay, HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { call } from '../../../src/browser/protocol.js'
import {
  InvalidOptionError,
  InvalidResponseError,
  NetworkError,
  OAuthResponseError,
  TimeoutError,
} from '../../../src/errors.js'
import { server } from '../msw.js'
import {
  ISSUER,
  rejection,
  rejectionAfter,
  TOKEN_URI,
  transport,
  useProtocolHarness,
} from './protocol-harness.js'

useProtocolHarness()

describe('call', () => {
  it('GETs JSON with accept: application/json and returns the parsed body', async () => {
    let accept: string | null = null
    server.use(
      http.get(`${ISSUER}/thing`, ({ request }) => {
        accept = request.headers.get('accept')
        return HttpResponse.json({ hello: 'world', n: 1 })
      }),
    )
    expect(await call(transport(), 'the thing', `${ISSUER}/thing`)).toEqual({
      hello: 'world',
      n: 1,
    })
    expect(accept).toBe('application/json')
  })

  it('POSTs a form urlencoded, with extra headers, and returns undefined for an empty body', async () => {
    let seen: { type: string | null; body: string; custom: string | null } | undefined
    server.use(
      http.post(TOKEN_URI, async ({ request }) => {
        seen = {
          type: request.headers.get('content-type'),
          body: await request.text(),
          custom: request.headers.get('x-custom'),
        }
        return new HttpResponse(null, { status: 200 })
      }),
    )
    const body = await call(
      transport(),
      'the token request',
      TOKEN_URI,
      { a: '1', b: 'x y&z' },
      { 'x-custom': 'yes' },
    )
    expect(body).toBeUndefined()
    expect(seen?.type).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(seen?.body))).toEqual({ a: '1', b: 'x y&z' })
    expect(seen?.custom).toBe('yes')
  })

  it('answers garbage JSON with InvalidResponseError carrying the status', async () => {
    server.use(http.get(`${ISSUER}/garbage`, () => new HttpResponse('{"not json', { status: 200 })))
    const err = await rejection(call(transport(), 'the garbage', `${ISSUER}/garbage`))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 200 })
    expect(err.message).toContain('the garbage')
  })

  it('answers a 500 HTML page with InvalidResponseError status 500', async () => {
    server.use(
      http.get(
        `${ISSUER}/down`,
        () =>
          new HttpResponse('<html><body>Internal error</body></html>', {
            status: 500,
            headers: { 'content-type': 'text/html' },
          }),
      ),
    )
    const err = await rejection(call(transport(), 'the request', `${ISSUER}/down`))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 500 })
  })

  it('answers a non-OAuth JSON error (an Okta error body) with InvalidResponseError and the status', async () => {
    server.use(
      http.get(`${ISSUER}/okta`, () =>
        HttpResponse.json(
          { errorCode: 'E0000009', errorSummary: 'Internal Server Error' },
          { status: 503 },
        ),
      ),
    )
    const err = await rejection(call(transport(), 'the request', `${ISSUER}/okta`))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).not.toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 503 })
  })

  it('answers a 400 OAuth error body with OAuthResponseError and its fields', async () => {
    server.use(
      http.post(TOKEN_URI, () =>
        HttpResponse.json(
          {
            error: 'invalid_grant',
            error_description: 'The refresh token is invalid or expired.',
            error_uri: 'https://idp.example.com/errors/invalid_grant',
          },
          { status: 400 },
        ),
      ),
    )
    const err = await rejection(
      call(transport(), 'the refresh request', TOKEN_URI, { grant_type: 'refresh_token' }),
    )
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'invalid_grant',
      errorDescription: 'The refresh token is invalid or expired.',
      errorUri: 'https://idp.example.com/errors/invalid_grant',
      status: 400,
    })
  })

  it('ignores non-string error_description / error_uri members', async () => {
    server.use(
      http.post(TOKEN_URI, () =>
        HttpResponse.json(
          { error: 'invalid_client', error_description: 42, error_uri: {} },
          { status: 401 },
        ),
      ),
    )
    const err = await rejection(call(transport(), 'the token request', TOKEN_URI, {}))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'invalid_client', status: 401 })
    expect(err.errorDescription).toBeUndefined()
    expect(err.errorUri).toBeUndefined()
  })

  it('answers a 429 with an OAuth body with OAuthResponseError status 429', async () => {
    server.use(
      http.post(TOKEN_URI, () =>
        HttpResponse.json(
          { error: 'slow_down', error_description: 'Too many requests' },
          { status: 429, headers: { 'retry-after': '5' } },
        ),
      ),
    )
    const err = await rejection(call(transport(), 'the token request', TOKEN_URI, {}))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'slow_down', status: 429 })
  })

  it('times out a server that never answers (TimeoutError with the timeout), bounded', async () => {
    server.use(
      http.get(`${ISSUER}/hang`, async () => {
        await delay('infinite')
        return HttpResponse.json({})
      }),
    )
    const started = Date.now()
    const err = await rejectionAfter(40, () =>
      call(transport({ timeout: 40 }), 'the hanging request', `${ISSUER}/hang`),
    )
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 40 })
    expect(err.message).toContain('the hanging request')
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('times out a fetch that honours the signal but never settles by itself', async () => {
    const fetch = vi.fn(
      (_input: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
        }),
    )
    const err = await rejectionAfter(25, () =>
      call(transport({ fetch, timeout: 25 }), 'x', `${ISSUER}/x`),
    )
    expect(err).toBeInstanceOf(TimeoutError)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(fetch.mock.calls[0]?.[1]?.signal).toBeInstanceOf(AbortSignal)
  })

  it('times out a custom fetch that ignores the signal altogether', async () => {
    const fetch = () => new Promise<Response>(() => {})
    const started = Date.now()
    const err = await rejectionAfter(30, () =>
      call(transport({ fetch, timeout: 30 }), 'x', `${ISSUER}/x`),
    )
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 30 })
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('turns a rejected fetch into NetworkError with a safe copy of the cause', async () => {
    const cause = new TypeError('Failed to fetch')
    const err = await rejection(
      call(transport({ fetch: () => Promise.reject(cause) }), 'the token request', TOKEN_URI, {}),
    )
    expect(err).toBeInstanceOf(NetworkError)
    expect(err).toMatchObject({ code: 'ERR_NETWORK' })
    // The platform's generic message is kept, the error itself is not.
    expect(err.cause).not.toBe(cause)
    expect(err.cause).toMatchObject({ name: 'TypeError', message: 'Failed to fetch' })
  })

  it('never keeps a custom fetch error that quotes the request as the cause', async () => {
    const secret = 'rt.refresh-token-value-0123456789'
    const quoting = Object.assign(
      new Error(`POST ${TOKEN_URI} refresh_token=${secret} failed`, {
        cause: { body: `refresh_token=${secret}` },
      }),
      { code: 'E_CUSTOM', request: { body: `refresh_token=${secret}` } },
    )
    for (const fail of [
      () => Promise.reject(quoting),
      // And one that ignores the signal: the timeout fires first.
      () => new Promise<Response>((_, reject) => setTimeout(() => reject(quoting), 300)),
    ]) {
      const err = await rejectionAfter(100, () =>
        call(transport({ fetch: fail, timeout: 100 }), 'the refresh request', TOKEN_URI, {
          grant_type: 'refresh_token',
          refresh_token: secret,
        }),
      )
      expect(err.code === 'ERR_NETWORK' || err.code === 'ERR_TIMEOUT').toBe(true)
      expect(inspect(err, { depth: 10 })).not.toContain(secret)
      expect(JSON.stringify(err)).not.toContain(secret)
    }
    const err = await rejection(
      call(transport({ fetch: () => Promise.reject(quoting) }), 'the refresh request', TOKEN_URI, {
        refresh_token: secret,
      }),
    )
    expect(err.cause).toMatchObject({ name: 'Error', code: 'E_CUSTOM' })
  })

  it('does not keep JSON.parse’s message (it quotes the body) in the cause of a garbage answer', async () => {
    // V8 quotes the first 10 characters: Unexpected token 'e', "eyJsecret!"... is not valid JSON
    const secret = 'eyJsecret!'
    server.use(http.get(`${ISSUER}/garbage`, () => new HttpResponse(secret)))
    const err = await rejection(call(transport(), 'the garbage', `${ISSUER}/garbage`))
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 200 })
    expect(err.cause).toMatchObject({ name: 'SyntaxError' })
    expect(inspect(err, { depth: 10 })).not.toContain(secret)
  })

  it('turns a network failure (msw HttpResponse.error) into NetworkError', async () => {
    server.use(http.get(`${ISSUER}/gone`, () => HttpResponse.error()))
    const err = await rejection(call(transport(), 'the request', `${ISSUER}/gone`))
    expect(err).toBeInstanceOf(NetworkError)
  })

  it('never puts form values (tokens, secrets) in an error message', async () => {
    const form = {
      grant_type: 'refresh_token',
      refresh_token: 'rt-SECRET-VALUE-1234567890',
      code_verifier: 'cv-SECRET-VALUE-0987654321',
      client_secret: 'cs-SECRET-VALUE-abcdef',
    }
    const secrets = Object.values(form).filter((v) => v.includes('SECRET'))
    const answers: [string, () => Response | Promise<Response>][] = [
      ['oauth', () => HttpResponse.json({ error: 'invalid_grant' }, { status: 400 })],
      ['html', () => new HttpResponse('<html/>', { status: 502 })],
      ['json', () => HttpResponse.json({ errorCode: 'E0000009' }, { status: 500 })],
      ['garbage', () => new HttpResponse('nope', { status: 200 })],
      ['network', () => HttpResponse.error()],
      [
        'timeout',
        async () => {
          await delay('infinite')
          return HttpResponse.json({})
        },
      ],
    ]
    for (const [name, answer] of answers) {
      server.use(http.post(TOKEN_URI, answer))
      const err = await rejectionAfter(30, () =>
        call(transport({ timeout: 30 }), 'the token request', TOKEN_URI, form),
      )
      expect(err, name).toBeInstanceOf(Error)
      for (const secret of secrets) {
        expect(err.message, name).not.toContain(secret)
        expect(String(err), name).not.toContain(secret)
        expect(JSON.stringify(err), name).not.toContain(secret)
      }
    }
  })

  it('estimates the clock offset from a Date header 5 minutes ahead', async () => {
    server.use(
      http.get(`${ISSUER}/dated`, () =>
        HttpResponse.json({}, { headers: { date: new Date(Date.now() + 300_000).toUTCString() } }),
      ),
    )
    const t = transport()
    await call(t, 'dated', `${ISSUER}/dated`)
    expect(Math.abs(t.offset - 300_000)).toBeLessThanOrEqual(2_000)
  })

  it('estimates a clock running ahead of the server (Date 5 minutes behind), also from error responses', async () => {
    server.use(
      http.post(TOKEN_URI, () =>
        HttpResponse.json(
          { error: 'invalid_grant' },
          { status: 400, headers: { date: new Date(Date.now() - 300_000).toUTCString() } },
        ),
      ),
    )
    const t = transport()
    await rejection(call(t, 'the token request', TOKEN_URI, {}))
    expect(Math.abs(t.offset + 300_000)).toBeLessThanOrEqual(2_000)
  })

  it('keeps the offset when the Date header is missing, unparseable, or within a second of the estimate', async () => {
    const t = transport({ offset: 1234 })
    server.use(http.get(`${ISSUER}/a`, () => HttpResponse.json({})))
    await call(t, 'a', `${ISSUER}/a`)
    expect(t.offset).toBe(1234)
    server.use(
      http.get(`${ISSUER}/b`, () => HttpResponse.json({}, { headers: { date: 'not a date' } })),
    )
    await call(t, 'b', `${ISSUER}/b`)
    expect(t.offset).toBe(1234)
    // A Date header matching our clock: an estimate near 0, more than a second
    // from 1234 ms, replaces it; the next such answer is within a second and keeps it.
    server.use(
      http.get(`${ISSUER}/c`, () =>
        HttpResponse.json({}, { headers: { date: new Date().toUTCString() } }),
      ),
    )
    await call(t, 'c', `${ISSUER}/c`)
    expect(Math.abs(t.offset)).toBeLessThanOrEqual(1_500)
    const settled = t.offset
    await call(t, 'c', `${ISSUER}/c`)
    expect(t.offset).toBe(settled)
  })

  it('refuses an insecure URL with ERR_INSECURE_URL before any request', async () => {
    const fetch = vi.fn(async () => Response.json({}))
    const err = await rejection(
      call(transport({ fetch }), 'the token request', 'http://example.com/token', { a: 'b' }),
    )
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(err.code).toBe('ERR_INSECURE_URL')
    expect(fetch).not.toHaveBeenCalled()
    const notUrl = await rejection(call(transport({ fetch }), 'the token request', 'not a url'))
    expect(notUrl).toBeInstanceOf(InvalidOptionError)
    expect(notUrl.code).toBe('ERR_INVALID_OPTION')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('allows http: to loopback hosts', async () => {
    const fetch = vi.fn(async () => Response.json({ ok: true }))
    expect(await call(transport({ fetch }), 'local', 'http://localhost:8080/x')).toEqual({
      ok: true,
    })
    expect(await call(transport({ fetch }), 'local', 'http://127.0.0.1:8080/x')).toEqual({
      ok: true,
    })
    expect(fetch).toHaveBeenCalledTimes(2)
  })
})
