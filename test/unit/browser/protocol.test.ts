import { inspect } from 'node:util'
import { base64url, SignJWT } from 'jose'
import { delay, HttpResponse, http } from 'msw'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  type BrowserIdTokenOptions,
  type BrowserJwks,
  type BrowserServerMetadata,
  browserJwks,
  call,
  discoverServer,
  idTokenAlgorithms,
  type Transport,
  toTokens,
  verifyIdToken,
} from '../../../src/browser/protocol.js'
import {
  InvalidOptionError,
  InvalidResponseError,
  JwksError,
  NetworkError,
  OAuthResponseError,
  TimeoutError,
  TokenValidationError,
} from '../../../src/errors.js'
import { tokenHash } from '../../../src/jwt/claims.js'
import {
  sha256Base64url as pkceChallenge,
  randomBase64url as random,
} from '../../../src/lib/base64url.js'
import { RESPONSE_LIMITS } from '../../../src/lib/body.js'
import { server } from '../msw.js'
import { makeSigner, type Signer } from '../verifier/helpers.js'

const ISSUER = 'https://idp.example.com/oauth2/default'
const CLIENT_ID = '0oaclient0000000000'
const SUB = '00uuser000000000000'
const NONCE = 'nonce-1'
const JWKS_URI = `${ISSUER}/v1/keys`
const TOKEN_URI = `${ISSUER}/v1/token`
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']

let rs: Signer
let ps: Signer
let es: Signer
let es384: Signer
let ed: Signer
let rsOther: Signer

beforeAll(async () => {
  ;[rs, ps, es, es384, ed, rsOther] = await Promise.all([
    makeSigner('RS256', 'rs-1'),
    makeSigner('PS256', 'ps-1'),
    makeSigner('ES256', 'es-1'),
    makeSigner('ES384', 'es384-1'),
    makeSigner('EdDSA', 'ed-1'),
    makeSigner('RS256', 'rs-2'),
  ])
})

afterEach(() => {
  vi.useRealTimers()
})

/**
 * How `work` rejects once its timeout of `ms` has passed, on fake timers:
 * the timeout is waited out without waiting in real time.
 */
async function rejectionAfter(ms: number, work: () => Promise<unknown>) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const pending = rejection(work())
  await vi.advanceTimersByTimeAsync(ms)
  return pending
}

function transport(overrides: Partial<Transport> = {}): Transport {
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    timeout: 2_000,
    offset: 0,
    ...overrides,
  }
}

/** Serve a key set at JWKS_URI and count the requests; `keys` is read at each request. */
function serveJwks(keys: () => unknown) {
  const hits = { count: 0 }
  server.use(
    http.get(JWKS_URI, () => {
      hits.count++
      return Response.json(keys())
    }),
  )
  return hits
}

const seconds = () => Math.floor(Date.now() / 1000)

/** An ID token signed with jose; `undefined` members of `overrides` are dropped. */
async function mint(
  overrides: Record<string, unknown> = {},
  options: { by?: Signer; header?: Record<string, unknown> } = {},
): Promise<string> {
  const by = options.by ?? rs
  const claims: Record<string, unknown> = standardClaims(overrides)
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name]
  return new SignJWT(claims)
    .setProtectedHeader({ alg: by.alg, kid: by.kid, ...options.header })
    .sign(by.privateKey)
}

const segment = (value: unknown) => base64url.encode(JSON.stringify(value))

/** A compact JWS signed with WebCrypto directly (for what jose refuses to produce). */
async function rawJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: CryptoKey,
  params: AlgorithmIdentifier | EcdsaParams,
): Promise<string> {
  const input = `${segment(header)}.${segment(payload)}`
  const signature = await crypto.subtle.sign(params, key, new TextEncoder().encode(input))
  return `${input}.${base64url.encode(new Uint8Array(signature))}`
}

/** The claims of a valid ID token for the client and nonce, issued now, with `overrides`. */
function standardClaims(overrides: Record<string, unknown> = {}) {
  const t = seconds()
  return {
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: SUB,
    iat: t,
    exp: t + 3600,
    nonce: NONCE,
    ...overrides,
  }
}

function options(
  keys: BrowserJwks,
  extra: Partial<BrowserIdTokenOptions> = {},
): BrowserIdTokenOptions {
  return {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    algorithms: ALGORITHMS,
    keys,
    now: Date.now(),
    tolerance: 60,
    nonce: NONCE,
    ...extra,
  }
}

async function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e) => e,
  )
}

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

describe('bounded reads', () => {
  const MiB = 1024 * 1024

  /** A JSON body of about `bytes` bytes: a token response padded with an extra member. */
  const padded = (bytes: number) =>
    JSON.stringify({ access_token: 'at', token_type: 'Bearer', padding: 'x'.repeat(bytes) })

  /** A body streamed in 64 KiB chunks without Content-Length, up to `total` bytes; counts the chunks pulled. */
  function stream(total: number) {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024))
    const pulled = { chunks: 0 }
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled.chunks * chunk.byteLength >= total) return controller.close()
        pulled.chunks++
        controller.enqueue(chunk)
      },
    })
    return { body, pulled }
  }

  it('refuses a token response over 1 MiB by its Content-Length with ERR_RESPONSE_TOO_LARGE', async () => {
    server.use(http.post(TOKEN_URI, () => new HttpResponse(padded(2 * MiB))))
    const err = await rejection(call(transport(), 'the token request', TOKEN_URI, {}))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', status: 200 })
    expect(err.message).toContain(String(RESPONSE_LIMITS.protocol))
  })

  it('refuses an endless body without Content-Length after the limit, without reading the rest', async () => {
    const { body, pulled } = stream(64 * MiB)
    server.use(http.post(TOKEN_URI, () => new HttpResponse(body, { status: 200 })))
    const err = await rejection(call(transport(), 'the token request', TOKEN_URI, {}))
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    // 1 MiB is 16 chunks; a few more may be in flight, never the 1024 on offer.
    expect(pulled.chunks).toBeLessThan(64)
  })

  it('refuses an oversized error body too (a 500 page), as too large', async () => {
    server.use(
      http.post(TOKEN_URI, () => new HttpResponse('<html>'.repeat(400_000), { status: 500 })),
    )
    expect(await rejection(call(transport(), 'the token request', TOKEN_URI, {}))).toMatchObject({
      code: 'ERR_RESPONSE_TOO_LARGE',
      status: 500,
    })
  })

  it('honours the maxResponseBytes of the transport, both ways', async () => {
    server.use(http.post(TOKEN_URI, () => new HttpResponse(padded(2048))))
    expect(
      await rejection(
        call(transport({ maxResponseBytes: 1024 }), 'the token request', TOKEN_URI, {}),
      ),
    ).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    server.use(http.post(TOKEN_URI, () => new HttpResponse(padded(2 * MiB))))
    const big = (await call(
      transport({ maxResponseBytes: 4 * MiB }),
      'the token request',
      TOKEN_URI,
      {},
    )) as { padding: string }
    expect(big.padding).toHaveLength(2 * MiB)
  })

  it('refuses a key set over 1 MiB: JwksError ERR_JWKS_UNAVAILABLE caused by ERR_RESPONSE_TOO_LARGE', async () => {
    server.use(
      http.get(JWKS_URI, () =>
        HttpResponse.json({ keys: [rs.jwk], padding: 'k'.repeat(RESPONSE_LIMITS.jwks) }),
      ),
    )
    const err = await rejection(browserJwks(transport(), async () => JWKS_URI).key(rs.kid, 'RS256'))
    expect(err).toBeInstanceOf(JwksError)
    expect(err).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
    expect(err.cause).toBeInstanceOf(InvalidResponseError)
    expect(err.cause).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
  })

  it('refuses a streamed key set without Content-Length the same way', async () => {
    const { body, pulled } = stream(64 * MiB)
    server.use(http.get(JWKS_URI, () => new HttpResponse(body)))
    const err = await rejection(browserJwks(transport(), async () => JWKS_URI).key(rs.kid, 'RS256'))
    expect(err).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
    expect(err.cause).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    expect(pulled.chunks).toBeLessThan(64)
  })

  it('refuses a discovery document over the limit', async () => {
    server.use(
      http.get(`${ISSUER}/.well-known/openid-configuration`, () =>
        HttpResponse.json({ issuer: ISSUER, padding: 'd'.repeat(2 * MiB) }),
      ),
    )
    expect(await rejection(discoverServer(transport(), ISSUER))).toMatchObject({
      code: 'ERR_RESPONSE_TOO_LARGE',
    })
  })
})

describe('discoverServer', () => {
  const document = (overrides: Record<string, unknown> = {}) => ({
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/v1/authorize`,
    token_endpoint: TOKEN_URI,
    jwks_uri: JWKS_URI,
    end_session_endpoint: `${ISSUER}/v1/logout`,
    ...overrides,
  })

  function serveDiscovery(issuer: string, body: unknown, status = 200) {
    const hits: string[] = []
    server.use(
      http.get(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, ({ request }) => {
        hits.push(request.url)
        return Response.json(body, { status })
      }),
    )
    return hits
  }

  it('returns the document at {issuer}/.well-known/openid-configuration', async () => {
    const hits = serveDiscovery(ISSUER, document())
    const m = await discoverServer(transport(), ISSUER)
    expect(m).toMatchObject(document())
    expect(hits).toEqual([`${ISSUER}/.well-known/openid-configuration`])
  })

  it('refuses a document for another issuer with ERR_ISSUER_MISMATCH', async () => {
    serveDiscovery(ISSUER, document({ issuer: 'https://evil.example.com/oauth2/default' }))
    const err = await rejection(discoverServer(transport(), ISSUER))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.code).toBe('ERR_ISSUER_MISMATCH')
  })

  it.each(['authorization_endpoint', 'token_endpoint', 'jwks_uri'])(
    'refuses a document without %s',
    async (member) => {
      serveDiscovery(ISSUER, document({ [member]: undefined }))
      const err = await rejection(discoverServer(transport(), ISSUER))
      expect(err).toBeInstanceOf(InvalidResponseError)
      expect(err.code).toBe('ERR_INVALID_RESPONSE')
      expect(err.message).toContain(member)
    },
  )

  it('refuses a document whose token_endpoint is not a string', async () => {
    serveDiscovery(ISSUER, document({ token_endpoint: 42 }))
    expect(await rejection(discoverServer(transport(), ISSUER))).toBeInstanceOf(
      InvalidResponseError,
    )
  })

  it.each([[['an', 'array']], ['a string'], [null]])(
    'refuses a body that is not a JSON object: %j',
    async (body) => {
      serveDiscovery(ISSUER, body)
      const err = await rejection(discoverServer(transport(), ISSUER))
      expect(err).toBeInstanceOf(InvalidResponseError)
    },
  )

  it('reports a 404 as InvalidResponseError with the status', async () => {
    serveDiscovery(ISSUER, { errorCode: 'E0000007' }, 404)
    expect(await rejection(discoverServer(transport(), ISSUER))).toMatchObject({ status: 404 })
  })

  it('trailing slash: one slash in the URL, and not significant on either side (one issuer rule)', async () => {
    // The configured issuer ends with a slash, the document's too: one slash in the path.
    const slashed = 'https://idp.example.com/'
    const hits = serveDiscovery(slashed, document({ issuer: slashed }))
    expect((await discoverServer(transport(), slashed)).issuer).toBe(slashed)
    expect(hits).toEqual(['https://idp.example.com/.well-known/openid-configuration'])
    // Configured with a slash, published without: the same issuer; the published one is kept.
    const withSlash = serveDiscovery(`${ISSUER}/`, document())
    expect((await discoverServer(transport(), `${ISSUER}/`)).issuer).toBe(ISSUER)
    expect(withSlash).toEqual([`${ISSUER}/.well-known/openid-configuration`])
    // And the other way round.
    serveDiscovery(ISSUER, document({ issuer: `${ISSUER}/` }))
    expect((await discoverServer(transport(), ISSUER)).issuer).toBe(`${ISSUER}/`)
    // Nothing else is folded: two slashes, another path, another case.
    for (const other of [
      `${ISSUER}//`,
      `${ISSUER}/x`,
      ISSUER.toUpperCase().replace('HTTPS', 'https'),
    ]) {
      serveDiscovery(ISSUER, document({ issuer: other }))
      expect(await rejection(discoverServer(transport(), ISSUER)), other).toMatchObject({
        code: 'ERR_ISSUER_MISMATCH',
      })
    }
    serveDiscovery(ISSUER, document({ issuer: 42 }))
    expect(await rejection(discoverServer(transport(), ISSUER))).toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
    })
  })

  it('refuses an insecure issuer before any request', async () => {
    const fetch = vi.fn(async () => Response.json(document()))
    const err = await rejection(
      discoverServer(transport({ fetch }), 'http://idp.example.com/oauth2/default'),
    )
    expect(err).toMatchObject({ code: 'ERR_INSECURE_URL' })
    expect(fetch).not.toHaveBeenCalled()
  })
})

describe('toTokens', () => {
  it('maps the members and computes expiresAt from the given now (seconds, floored)', () => {
    const now = 1_700_000_000_987
    expect(
      toTokens(
        {
          access_token: 'at',
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'openid profile',
          refresh_token: 'rt',
          id_token: 'id',
          extra: 'ignored',
        },
        now,
      ),
    ).toEqual({
      accessToken: 'at',
      tokenType: 'Bearer',
      expiresIn: 3600,
      expiresAt: 1_700_000_000 + 3600,
      scope: 'openid profile',
      refreshToken: 'rt',
      idToken: 'id',
    })
  })

  it('leaves expiresAt out without expires_in, and accepts expires_in 0', () => {
    expect(toTokens({ access_token: 'at', token_type: 'Bearer' }, 0)).toEqual({
      accessToken: 'at',
      tokenType: 'Bearer',
    })
    expect(
      toTokens({ access_token: 'at', token_type: 'Bearer', expires_in: 0 }, 5_000),
    ).toMatchObject({
      expiresIn: 0,
      expiresAt: 5,
    })
  })

  it.each([
    ['no body', undefined],
    ['null', null],
    ['a string', 'access_token'],
    ['no access_token', { token_type: 'Bearer' }],
    ['no token_type', { access_token: 'at' }],
    ['a numeric access_token', { access_token: 1, token_type: 'Bearer' }],
    ['a numeric token_type', { access_token: 'at', token_type: 1 }],
    ['a string expires_in', { access_token: 'at', token_type: 'Bearer', expires_in: '3600' }],
    ['a negative expires_in', { access_token: 'at', token_type: 'Bearer', expires_in: -1 }],
    ['a null expires_in', { access_token: 'at', token_type: 'Bearer', expires_in: null }],
    ['a numeric refresh_token', { access_token: 'at', token_type: 'Bearer', refresh_token: 5 }],
    ['an object id_token', { access_token: 'at', token_type: 'Bearer', id_token: {} }],
    ['an array scope', { access_token: 'at', token_type: 'Bearer', scope: ['openid'] }],
  ])('rejects %s with InvalidResponseError', (_name, body) => {
    expect(() => toTokens(body, Date.now())).toThrow(InvalidResponseError)
  })
})

describe('pkceChallenge and random', () => {
  it('computes the RFC 7636 Appendix B challenge', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    )
  })

  it('returns unpadded base64url of the requested entropy, different every time', () => {
    const a = random()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(random()).not.toBe(a)
    expect(random(16)).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })
})

describe('idTokenAlgorithms', () => {
  const meta = (algs?: string[]) =>
    ({
      issuer: ISSUER,
      authorization_endpoint: '',
      token_endpoint: '',
      jwks_uri: '',
      ...(algs && { id_token_signing_alg_values_supported: algs }),
    }) as BrowserServerMetadata

  it('keeps the asymmetric algorithms, drops none and HMAC, defaults to RS256', () => {
    expect(idTokenAlgorithms(meta(['RS256', 'HS256', 'none', 'ES384', 'PS512', 'EdDSA']))).toEqual([
      'RS256',
      'ES384',
      'PS512',
      'EdDSA',
    ])
    expect(idTokenAlgorithms(meta(['HS256', 'none']))).toEqual(['RS256'])
    expect(idTokenAlgorithms(meta())).toEqual(['RS256'])
  })
})

describe('verifyIdToken', () => {
  let jwks: BrowserJwks
  const serveAll = () => serveJwks(() => ({ keys: [rs.jwk, ps.jwk, es.jwk, es384.jwk, ed.jwk] }))

  const reject = async (
    token: string | Promise<string>,
    extra: Partial<BrowserIdTokenOptions> = {},
  ) => rejection(verifyIdToken(await token, options(jwks, extra)))

  /** Expect `token` to verify with `extra` on top of the default options. */
  const accept = async (
    token: string | Promise<string>,
    extra: Partial<BrowserIdTokenOptions> = {},
  ) => expect(verifyIdToken(await token, options(jwks, extra))).resolves.toBeTruthy()

  function fresh() {
    jwks = browserJwks(transport(), async () => JWKS_URI)
  }

  it.each([
    ['RS256', () => rs],
    ['PS256', () => ps],
    ['ES256', () => es],
    ['ES384', () => es384],
    ['EdDSA', () => ed],
  ])('accepts a valid %s token and returns its claims', async (_alg, by) => {
    serveAll()
    fresh()
    const claims = await verifyIdToken(await mint({ name: 'Jane' }, { by: by() }), options(jwks))
    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: CLIENT_ID,
      sub: SUB,
      nonce: NONCE,
      name: 'Jane',
    })
  })

  it('rejects a tampered payload with ERR_JWT_SIGNATURE_INVALID', async () => {
    serveAll()
    fresh()
    const [h, , s] = (await mint()).split('.')
    const forged = segment(standardClaims({ sub: 'admin' }))
    const err = await reject(`${h}.${forged}.${s}`)
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({
      code: 'ERR_JWT_SIGNATURE_INVALID',
      token: 'id_token',
      reason: 'signature',
    })
  })

  it('rejects a token signed by another key under the same kid', async () => {
    serveAll()
    fresh()
    const token = await mint({}, { by: { ...rsOther, kid: rs.kid } })
    expect(await reject(token)).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID' })
  })

  it('rejects an ES256 signature of the wrong length', async () => {
    serveAll()
    fresh()
    const [h, p, s] = (await mint({}, { by: es })).split('.')
    // Prefix a byte: 65 bytes is no raw r||s P-256 signature.
    const bad = base64url.encode(new Uint8Array([0x30, ...base64url.decode(s as string)]))
    expect(await reject(`${h}.${p}.${bad}`)).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID' })
  })

  it('rejects alg none and HS256 with ERR_JWT_ALG_NOT_ALLOWED (algorithms from the metadata)', async () => {
    serveAll()
    fresh()
    const algorithms = idTokenAlgorithms({
      issuer: ISSUER,
      authorization_endpoint: '',
      token_endpoint: '',
      jwks_uri: '',
      id_token_signing_alg_values_supported: ['RS256', 'HS256', 'none'],
    })
    const payload = segment(standardClaims())
    const none = `${segment({ alg: 'none' })}.${payload}.c2ln`
    expect(await reject(none, { algorithms })).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
      claim: 'alg',
    })
    // HS256 keyed with the public key's bytes: the algorithm-confusion attack.
    const hs = await new SignJWT(standardClaims())
      .setProtectedHeader({ alg: 'HS256', kid: rs.kid })
      .sign(new TextEncoder().encode(JSON.stringify(rs.jwk)))
    expect(await reject(hs, { algorithms })).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
      claim: 'alg',
    })
    // A header without alg.
    expect(await reject(`${segment({ kid: rs.kid })}.${payload}.c2ln`)).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
    })
  })

  // BUG (reported): the canonical unsecured JWS (`alg: none`, empty signature)
  // fails the signature-shape check first and comes out as ERR_JWT_MALFORMED;
  // the core validateIdToken reports ERR_JWT_ALG_NOT_ALLOWED for the same token.
  // Refused either way; flip to `it` once the alg check runs before the shape check.
  it('refuses an unsecured JWS (alg none, empty signature) with ERR_JWT_ALG_NOT_ALLOWED', async () => {
    serveAll()
    fresh()
    const none = `${segment({ alg: 'none' })}.${segment(standardClaims())}.`
    expect(await reject(none)).toMatchObject({ code: 'ERR_JWT_ALG_NOT_ALLOWED', claim: 'alg' })
  })

  it('refuses an unsecured JWS (alg none, empty signature) in any case', async () => {
    serveAll()
    fresh()
    const none = `${segment({ alg: 'none' })}.${segment(standardClaims())}.`
    expect(await reject(none)).toBeInstanceOf(TokenValidationError)
  })

  // BUG (reported): the browser key lookup does not tie the curve to the
  // algorithm (RFC 7518 §3.4: ES256 is P-256), so an ES256 token signed with a
  // P-384 key verifies; the core refuses it (ERR_JWKS_NO_MATCHING_KEY).
  // Flip to `it` once `find` checks `crv`.
  it('refuses an ES256 token signed with a P-384 key', async () => {
    serveJwks(() => ({ keys: [{ ...es384.jwk, alg: undefined, kid: 'p384' }] }))
    fresh()
    const token = await rawJws({ alg: 'ES256', kid: 'p384' }, standardClaims(), es384.privateKey, {
      name: 'ECDSA',
      hash: 'SHA-256',
    } as EcdsaParams)
    expect(await reject(token)).toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' })
  })

  it('rejects an algorithm that is not pinned even when a key would verify it', async () => {
    serveAll()
    fresh()
    expect(await reject(mint({}, { by: ps }), { algorithms: ['RS256'] })).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
    })
  })

  it.each([
    ['iss', { iss: 'https://evil.example.com/oauth2/default' }],
    ['iss', { iss: `${ISSUER}//` }],
    ['iss', { iss: `${ISSUER}/x` }],
    ['iss', { iss: ISSUER.toUpperCase() }],
    ['iss', { iss: ['https://idp.example.com/oauth2/default'] }],
    ['iss', { iss: undefined }],
    ['aud', { aud: 'another-client' }],
    ['aud', { aud: ['another-client', 'a-third'], azp: CLIENT_ID }],
    ['exp', { exp: undefined }],
    ['exp', { exp: '9999999999' }],
    ['iat', { iat: undefined }],
    ['sub', { sub: undefined }],
    ['sub', { sub: '' }],
  ])('rejects a wrong or missing %s with ERR_JWT_CLAIM_INVALID', async (claim, override) => {
    serveAll()
    fresh()
    const err = await reject(mint(override))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim })
  })

  it('iss: a single trailing slash is not significant, either way (one issuer rule)', async () => {
    serveAll()
    fresh()
    await accept(mint({ iss: `${ISSUER}/` }))
    await accept(mint({ iss: ISSUER }), { issuer: `${ISSUER}/` })
    await accept(mint({ iss: `${ISSUER}/` }), { issuer: `${ISSUER}/` })
  })

  it('rejects an expired token beyond the tolerance, accepts one within it', async () => {
    serveAll()
    fresh()
    const t = seconds()
    expect(await reject(mint({ iat: t - 7200, exp: t - 61 }))).toMatchObject({
      code: 'ERR_JWT_EXPIRED',
      claim: 'exp',
    })
    await accept(mint({ iat: t - 7200, exp: t - 30 }))
    // The same token, judged with a clock that runs behind (server-corrected now).
    const late = await mint({ iat: t - 7200, exp: t - 300 })
    expect(await reject(late)).toMatchObject({ code: 'ERR_JWT_EXPIRED' })
    await accept(late, { now: Date.now() - 600_000 })
  })

  it('rejects iat or nbf in the future beyond the tolerance with ERR_JWT_NOT_YET_VALID', async () => {
    serveAll()
    fresh()
    const t = seconds()
    expect(await reject(mint({ iat: t + 120 }))).toMatchObject({
      code: 'ERR_JWT_NOT_YET_VALID',
      claim: 'iat',
    })
    expect(await reject(mint({ nbf: t + 120 }))).toMatchObject({
      code: 'ERR_JWT_NOT_YET_VALID',
      claim: 'nbf',
    })
    await accept(mint({ iat: t + 30, nbf: t + 30 }))
    // A server clock 10 minutes ahead is fine once `now` carries the offset.
    await accept(mint({ iat: t + 600, exp: t + 4200 }), { now: Date.now() + 600_000 })
  })

  it('checks the nonce: mismatch and missing', async () => {
    serveAll()
    fresh()
    expect(await reject(mint({ nonce: 'other' }))).toMatchObject({
      code: 'ERR_NONCE_MISMATCH',
      claim: 'nonce',
      reason: 'mismatch',
    })
    expect(await reject(mint({ nonce: undefined }))).toMatchObject({
      code: 'ERR_NONCE_MISMATCH',
      reason: 'missing',
    })
  })

  it('checks auth_time against maxAge', async () => {
    serveAll()
    fresh()
    const t = seconds()
    expect(await reject(mint({ auth_time: t - 400 }), { maxAge: 300 })).toMatchObject({
      code: 'ERR_AUTH_TIME_TOO_OLD',
      claim: 'auth_time',
    })
    expect(await reject(mint({ auth_time: undefined }), { maxAge: 300 })).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'auth_time',
    })
    await accept(mint({ auth_time: t - 100 }), { maxAge: 300 })
  })

  it('checks at_hash: match (per alg hash), mismatch, and missing when required', async () => {
    serveAll()
    fresh()
    const accessToken = 'access-token-value'
    await accept(mint({ at_hash: await tokenHash(accessToken, 'RS256') }), {
      accessToken,
      requireAtHash: true,
    })
    // ES384 hashes with SHA-384.
    await accept(mint({ at_hash: await tokenHash(accessToken, 'ES384') }, { by: es384 }), {
      accessToken,
      requireAtHash: true,
    })
    expect(
      await reject(mint({ at_hash: await tokenHash(accessToken, 'RS256') }, { by: es384 }), {
        accessToken,
      }),
    ).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'at_hash', reason: 'mismatch' })
    expect(
      await reject(mint({ at_hash: await tokenHash('another', 'RS256') }), { accessToken }),
    ).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'at_hash',
      reason: 'mismatch',
    })
    expect(await reject(mint(), { accessToken, requireAtHash: true })).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'at_hash',
      reason: 'missing',
    })
    // Not required: a missing at_hash is fine.
    await accept(mint(), { accessToken })
  })

  it('checks c_hash: match, mismatch, and missing when required', async () => {
    serveAll()
    fresh()
    const code = 'the-authorization-code'
    await accept(mint({ c_hash: await tokenHash(code, 'RS256') }), { code, requireCHash: true })
    expect(
      await reject(mint({ c_hash: await tokenHash('other-code', 'RS256') }), { code }),
    ).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'c_hash',
    })
    expect(await reject(mint(), { code, requireCHash: true })).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'c_hash',
      reason: 'missing',
    })
  })

  it('checks azp with several audiences', async () => {
    serveAll()
    fresh()
    const aud = [CLIENT_ID, 'api://other']
    expect(await reject(mint({ aud }))).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'azp',
      reason: 'missing',
    })
    expect(await reject(mint({ aud, azp: 'api://other' }))).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'azp',
      reason: 'mismatch',
    })
    expect(await reject(mint({ azp: 'someone-else' }))).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'azp',
    })
    await expect(
      verifyIdToken(await mint({ aud, azp: CLIENT_ID }), options(jwks)),
    ).resolves.toMatchObject({ aud })
  })

  it('checks the expected subject', async () => {
    serveAll()
    fresh()
    expect(await reject(mint(), { expectedSubject: '00uanother' })).toMatchObject({
      code: 'ERR_SUBJECT_MISMATCH',
      claim: 'sub',
    })
    await accept(mint(), { expectedSubject: SUB })
  })

  it.each([
    ['two parts', async () => (await mint()).split('.').slice(0, 2).join('.')],
    ['four parts', async () => `${await mint()}.x`],
    ['an empty string', async () => ''],
    [
      'a non-JSON header',
      async () => `${base64url.encode('{not json')}.${segment(standardClaims())}.c2ln`,
    ],
    ['a JSON array header', async () => `${segment(['RS256'])}.${segment(standardClaims())}.c2ln`],
    [
      'a non-JSON payload',
      async () => `${segment({ alg: 'RS256', kid: 'rs-1' })}.${base64url.encode('nope')}.c2ln`,
    ],
    ['a non-base64 header', async () => `!!!.${segment(standardClaims())}.c2ln`],
    ['a non-base64 payload', async () => `${segment({ alg: 'RS256', kid: 'rs-1' })}.a%b.c2ln`],
    [
      'a non-base64 signature',
      async () => `${segment({ alg: 'RS256', kid: 'rs-1' })}.${segment(standardClaims())}.a+b/c=`,
    ],
    [
      'a payload that is not UTF-8',
      async () =>
        `${segment({ alg: 'RS256', kid: 'rs-1' })}.${base64url.encode(new Uint8Array([0xff, 0xfe]))}.c2ln`,
    ],
  ])('rejects %s with ERR_JWT_MALFORMED before fetching keys', async (_name, token) => {
    const hits = serveAll()
    fresh()
    const err = await reject(token())
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_JWT_MALFORMED', reason: 'malformed' })
    expect(hits.count).toBe(0)
  })

  it('rejects a non-string token with ERR_JWT_MALFORMED', async () => {
    serveAll()
    fresh()
    expect(await reject(Promise.resolve(42 as unknown as string))).toMatchObject({
      code: 'ERR_JWT_MALFORMED',
    })
  })

  it('refuses a crit header even with a valid signature', async () => {
    serveAll()
    fresh()
    const token = await rawJws(
      { alg: 'RS256', kid: rs.kid, crit: ['exp'], exp: 1 },
      standardClaims(),
      rs.privateKey,
      { name: 'RSASSA-PKCS1-v1_5' },
    )
    // The same construction without crit verifies: the refusal is crit's.
    const plain = await rawJws({ alg: 'RS256', kid: rs.kid }, standardClaims(), rs.privateKey, {
      name: 'RSASSA-PKCS1-v1_5',
    })
    await accept(plain)
    expect(await reject(token)).toMatchObject({ code: 'ERR_JWT_MALFORMED', claim: 'crit' })
  })

  it('refuses an RSA-1024 key with ERR_JWKS_NO_MATCHING_KEY', async () => {
    const weak = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair
    const jwk = {
      ...(await crypto.subtle.exportKey('jwk', weak.publicKey)),
      kid: 'weak',
      alg: 'RS256',
      use: 'sig',
    }
    delete jwk.key_ops
    delete jwk.ext
    serveJwks(() => ({ keys: [jwk] }))
    fresh()
    const token = await rawJws({ alg: 'RS256', kid: 'weak' }, standardClaims(), weak.privateKey, {
      name: 'RSASSA-PKCS1-v1_5',
    })
    const err = await reject(token)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
  })
})

describe('browserJwks', () => {
  it('shares one fetch among concurrent lookups and one imported key per kid and alg', async () => {
    const hits = serveJwks(() => ({ keys: [rs.jwk, es.jwk] }))
    const jwks = browserJwks(transport(), async () => JWKS_URI)
    const keys = await Promise.all([
      jwks.key(rs.kid, 'RS256'),
      jwks.key(rs.kid, 'RS256'),
      jwks.key(es.kid, 'ES256'),
      jwks.key(rs.kid, 'RS256'),
    ])
    expect(hits.count).toBe(1)
    expect(keys[0]).toBe(keys[1])
    expect(keys[0]).toBe(keys[3])
    expect(keys[0]?.algorithm.name).toBe('RSASSA-PKCS1-v1_5')
    expect(keys[2]?.algorithm.name).toBe('ECDSA')
    expect(keys[0]?.usages).toEqual(['verify'])
    expect(keys[0]?.extractable).toBe(false)
    expect(await jwks.key(rs.kid, 'RS256')).toBe(keys[0])
    expect(hits.count).toBe(1)
  })

  it('resolves the JWKS URI lazily, once per fetch', async () => {
    const hits = serveJwks(() => ({ keys: [rs.jwk] }))
    const uri = vi.fn(async () => JWKS_URI)
    const jwks = browserJwks(transport(), uri)
    expect(uri).not.toHaveBeenCalled()
    await jwks.key(rs.kid, 'RS256')
    expect(uri).toHaveBeenCalledTimes(1)
    expect(hits.count).toBe(1)
  })

  it('refetches once for an unknown kid, not again within the cooldown, and picks up a rotated key', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_700_000_000_000 })
    let published = [rs.jwk]
    const hits = serveJwks(() => ({ keys: published }))
    const jwks = browserJwks(transport(), async () => JWKS_URI, 1_000)
    await jwks.key(rs.kid, 'RS256')
    expect(hits.count).toBe(1)
    // Unknown right after the first fetch: within the cooldown, no refetch.
    expect(await rejection(jwks.key('unknown', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    expect(hits.count).toBe(1)
    // After the cooldown: exactly one refetch, then none within the next cooldown.
    vi.setSystemTime(Date.now() + 1_500)
    expect(await rejection(jwks.key('unknown', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    expect(hits.count).toBe(2)
    expect(await rejection(jwks.key('unknown-2', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    vi.setSystemTime(Date.now() + 500)
    expect(await rejection(jwks.key('unknown', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    expect(hits.count).toBe(2)
    // The server rotates: the new kid is found after the cooldown, with one fetch shared by concurrent lookups.
    published = [rsOther.jwk, rs.jwk]
    vi.setSystemTime(Date.now() + 1_000)
    const [a, b] = await Promise.all([
      jwks.key(rsOther.kid, 'RS256'),
      jwks.key(rsOther.kid, 'RS256'),
    ])
    expect(hits.count).toBe(3)
    expect(a).toBe(b)
    // A known kid never refetches.
    vi.setSystemTime(Date.now() + 60_000)
    await jwks.key(rs.kid, 'RS256')
    expect(hits.count).toBe(3)
  })

  it('verifies tokens from a rotated key set end to end', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let published = [rs.jwk]
    const hits = serveJwks(() => ({ keys: published }))
    const jwks = browserJwks(transport(), async () => JWKS_URI, 1_000)
    await expect(verifyIdToken(await mint(), options(jwks))).resolves.toBeTruthy()
    published = [rsOther.jwk]
    const rotated = await mint({}, { by: rsOther })
    expect(await rejection(verifyIdToken(rotated, options(jwks)))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    vi.setSystemTime(Date.now() + 1_001)
    await expect(verifyIdToken(rotated, options(jwks, { now: Date.now() }))).resolves.toBeTruthy()
    expect(hits.count).toBe(2)
  })

  it.each([
    ['a 500', () => new HttpResponse('<html>oops</html>', { status: 500 })],
    ['a 503 JSON', () => HttpResponse.json({ errorCode: 'E0000009' }, { status: 503 })],
    ['a network error', () => HttpResponse.error()],
    ['a body without keys', () => HttpResponse.json({ nokeys: [] })],
    ['garbage', () => new HttpResponse('{', { status: 200 })],
  ])(
    'reports %s as ERR_JWKS_UNAVAILABLE, and retries on the next lookup',
    async (_name, answer) => {
      let down = true
      let count = 0
      server.use(
        http.get(JWKS_URI, () => {
          count++
          return down ? answer() : HttpResponse.json({ keys: [rs.jwk] })
        }),
      )
      const jwks = browserJwks(transport(), async () => JWKS_URI)
      const err = await rejection(jwks.key(rs.kid, 'RS256'))
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_UNAVAILABLE')
      expect(err.cause).toBeInstanceOf(Error)
      down = false
      await expect(jwks.key(rs.kid, 'RS256')).resolves.toBeTruthy()
      expect(count).toBe(2)
    },
  )

  it('reports a failing JWKS URI resolution (discovery down) as ERR_JWKS_UNAVAILABLE', async () => {
    const jwks = browserJwks(transport(), async () => {
      throw new NetworkError('discovery failed')
    })
    expect(await rejection(jwks.key('x', 'RS256'))).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
  })

  it('uses a key without kid when exactly one key fits the algorithm', async () => {
    const { kid: _drop, ...bare } = rs.jwk
    const { kid: _drop2, ...bareEc } = es.jwk
    serveJwks(() => ({ keys: [bare, bareEc] }))
    const jwks = browserJwks(transport(), async () => JWKS_URI)
    const token = await mint({}, { header: { kid: undefined } })
    expect(
      JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[0] as string))),
    ).not.toHaveProperty('kid')
    await expect(verifyIdToken(token, options(jwks))).resolves.toMatchObject({ sub: SUB })
    // A token naming a kid finds no kid-less key.
    expect(await rejection(jwks.key('rs-1', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  it('refuses to guess among several kid-less keys', async () => {
    const { kid: _a, ...one } = rs.jwk
    const { kid: _b, ...two } = rsOther.jwk
    serveJwks(() => ({ keys: [one, two] }))
    const jwks = browserJwks(transport(), async () => JWKS_URI)
    expect(await rejection(jwks.key(undefined, 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  it('skips encryption keys, keys pinned to another alg, and keys of another type', async () => {
    serveJwks(() => ({
      keys: [
        { ...rs.jwk, kid: 'enc', use: 'enc' },
        { ...rs.jwk, kid: 'pinned', alg: 'RS512' },
        { ...es.jwk, kid: 'ec' },
        null,
        'junk',
        { ...rs.jwk, kid: 'ok', alg: undefined, use: undefined },
      ],
    }))
    const jwks = browserJwks(transport(), async () => JWKS_URI)
    for (const kid of ['enc', 'pinned', 'ec']) {
      expect(await rejection(jwks.key(kid, 'RS256')), kid).toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      })
    }
    await expect(jwks.key('ok', 'RS256')).resolves.toBeTruthy()
    // An RSA key with no alg serves PS256 too (the JWS header picks the algorithm).
    await expect(jwks.key('ok', 'PS256')).resolves.toMatchObject({ algorithm: { name: 'RSA-PSS' } })
  })
})
