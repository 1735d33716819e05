import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  AbortError,
  type AdminClientOptions,
  createAdminClient,
  InvalidOptionError,
  OktaApiError,
  type RateLimitInfo,
} from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { CREATE_SERVER_BODY, SERVER_ID } from './fixtures.js'
import {
  API,
  apiCalls,
  gate,
  ORG,
  record,
  rejectionOf,
  SSWS_TOKEN,
  serviceKey,
  sswsClient,
} from './helpers.js'

const SERVER = { id: SERVER_ID, name: 'n', audiences: ['api://default'] }
const ONE_SERVER = `${API}/authorizationServers/${SERVER_ID}`

/** A 429 whose `Date` is `date` and whose reset is `seconds` after it, with the other headers. */
function tooMany(date: Date, seconds: number, extra: Record<string, string> = {}) {
  const epoch = Math.floor(date.getTime() / 1000)
  return HttpResponse.json(
    {
      errorCode: 'E0000047',
      errorSummary: 'API call exceeded rate limit due to too many requests.',
    },
    {
      status: 429,
      headers: {
        date: new Date(epoch * 1000).toUTCString(),
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(epoch + seconds),
        ...extra,
      },
    },
  )
}

/** Answer with each response in turn (the last one repeats). */
function sequence(responses: (() => Response)[]) {
  let i = 0
  return () => responses[Math.min(i++, responses.length - 1)]!()
}

describe('transport: 429 rate limits', () => {
  // The server's clock is far from this machine's: the wait must come from the
  // response's Date, or it would be ~0 (reset in the local past) or decades.
  it.each([
    ['in the past', new Date('2001-09-09T01:46:40Z')],
    ['in the future', new Date('2099-01-01T00:00:00Z')],
  ])('waits X-Rate-Limit-Reset − Date (server clock %s), then retries once', async (_, date) => {
    const seen = record()
    server.use(
      http.get(ONE_SERVER, sequence([() => tooMany(date, 1), () => HttpResponse.json(SERVER)])),
    )
    const started = performance.now()
    const got = await sswsClient().authorizationServers.get(SERVER_ID)
    expect(got).toEqual(SERVER)
    const calls = apiCalls(seen)
    expect(calls).toHaveLength(2)
    const waited = calls[1]!.at - calls[0]!.at
    // 1 s to the reset, plus a little to be past it.
    expect(waited).toBeGreaterThanOrEqual(950)
    expect(waited).toBeLessThan(2_500)
    expect(performance.now() - started).toBeLessThan(3_000)
  })

  it('does not retry a POST that creates (not idempotent): ERR_API_RATE_LIMITED with retryAfter', async () => {
    const seen = record()
    const date = new Date('2030-01-01T00:00:00Z')
    server.use(
      http.post(`${API}/authorizationServers`, () => tooMany(date, 1)),
      http.post(`${ONE_SERVER}/credentials/lifecycle/keyRotate`, () => tooMany(date, 2)),
    )
    const admin = sswsClient()
    const created = await rejectionOf(admin.authorizationServers.create(CREATE_SERVER_BODY))
    expect(created).toBeInstanceOf(OktaApiError)
    expect(created).toMatchObject({
      code: 'ERR_API_RATE_LIMITED',
      status: 429,
      errorCode: 'E0000047',
      retryAfter: 1_100,
      rateLimit: { limit: 100, remaining: 0, reset: date.getTime() / 1000 + 1 },
    })
    const rotated = await rejectionOf(admin.keys.rotate(SERVER_ID))
    expect(rotated).toMatchObject({ code: 'ERR_API_RATE_LIMITED', retryAfter: 2_100 })
    expect(apiCalls(seen).map((c) => c.method)).toEqual(['POST', 'POST'])
  })

  it.each([
    [
      'authorizationServers.activate',
      (a: ReturnType<typeof sswsClient>) => a.authorizationServers.activate(SERVER_ID),
    ],
    [
      'authorizationServers.deactivate',
      (a: ReturnType<typeof sswsClient>) => a.authorizationServers.deactivate(SERVER_ID),
    ],
    [
      'policies.activate',
      (a: ReturnType<typeof sswsClient>) => a.policies.activate(SERVER_ID, 'pol1'),
    ],
    [
      'policyRules.deactivate',
      (a: ReturnType<typeof sswsClient>) => a.policyRules.deactivate(SERVER_ID, 'pol1', 'rul1'),
    ],
  ])('retries %s (a lifecycle POST is idempotent)', async (_, call) => {
    const seen = record()
    const now = new Date()
    server.use(
      http.post(
        `${API}/*`,
        sequence([() => tooMany(now, 0), () => new HttpResponse(null, { status: 204 })]),
      ),
    )
    await expect(call(sswsClient())).resolves.toBeUndefined()
    expect(apiCalls(seen)).toHaveLength(2)
  })

  it('retries PUT and DELETE, and POST through request() only when told it is idempotent', async () => {
    const seen = record()
    const now = new Date()
    server.use(
      http.all(`${API}/*`, sequence([() => tooMany(now, 0), () => HttpResponse.json({ id: 'x' })])),
    )
    const admin = sswsClient()
    await admin.request('POST', '/users/00u1/lifecycle/unlock', { idempotent: true })
    expect(apiCalls(seen)).toHaveLength(2)

    server.use(http.all(`${API}/*`, () => tooMany(now, 0)))
    const err = await rejectionOf(admin.request('POST', '/groups', { body: { profile: {} } }))
    expect(err).toMatchObject({ code: 'ERR_API_RATE_LIMITED' })
    expect(apiCalls(seen)).toHaveLength(3)
  })

  it.each([0, 1, 2])(
    'retry.limit %i: that many retries, then ERR_API_RATE_LIMITED',
    async (limit) => {
      const seen = record()
      server.use(http.get(ONE_SERVER, () => tooMany(new Date(), 0)))
      const err = await rejectionOf(
        sswsClient({ retry: { limit } }).authorizationServers.get(SERVER_ID),
      )
      expect(err).toMatchObject({ code: 'ERR_API_RATE_LIMITED', status: 429 })
      expect(apiCalls(seen)).toHaveLength(limit + 1)
    },
  )

  it('the default is 3 retries', async () => {
    const seen = record()
    server.use(http.get(ONE_SERVER, () => tooMany(new Date(), 0)))
    await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    expect(apiCalls(seen)).toHaveLength(4)
  })

  it('a reset beyond retry.maxDelay is reported at once, without waiting', async () => {
    const seen = record()
    server.use(http.get(ONE_SERVER, () => tooMany(new Date('2040-01-01T00:00:00Z'), 5)))
    const started = performance.now()
    const err = await rejectionOf(
      sswsClient({ retry: { maxDelay: 2_000 } }).authorizationServers.get(SERVER_ID),
    )
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(err).toMatchObject({ code: 'ERR_API_RATE_LIMITED', retryAfter: 5_100 })
    expect(apiCalls(seen)).toHaveLength(1)
  })

  it('the default maxDelay (60 s) refuses a reset 2 minutes away', async () => {
    server.use(http.get(ONE_SERVER, () => tooMany(new Date(), 120)))
    const started = performance.now()
    const err = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(err).toMatchObject({ code: 'ERR_API_RATE_LIMITED', retryAfter: 120_100 })
  })

  it('without X-Rate-Limit-Reset, Retry-After (seconds) is used', async () => {
    const seen = record()
    server.use(
      http.get(
        ONE_SERVER,
        sequence([
          () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '0' } }),
          () => HttpResponse.json(SERVER),
        ]),
      ),
    )
    await sswsClient().authorizationServers.get(SERVER_ID)
    expect(apiCalls(seen)).toHaveLength(2)
  })

  it('aborting while waiting for the reset rejects with AbortError', async () => {
    const seen = record()
    server.use(http.get(ONE_SERVER, () => tooMany(new Date(), 5)))
    const controller = new AbortController()
    const pending = sswsClient().authorizationServers.get(SERVER_ID, { signal: controller.signal })
    await expect.poll(() => seen.length).toBe(1)
    controller.abort()
    const err = await rejectionOf(pending)
    expect(err).toBeInstanceOf(AbortError)
    expect(err.code).toBe('ERR_ABORTED')
    expect(seen).toHaveLength(1)
  })
})

describe('transport: nothing else is retried', () => {
  // ky's own retry would repeat these; the admin client reports them at once.
  it.each([408, 413, 500, 502, 503, 504])('HTTP %i, even with Retry-After', async (status) => {
    const seen = record()
    server.use(
      http.get(
        ONE_SERVER,
        () => new HttpResponse(null, { status, headers: { 'retry-after': '0' } }),
      ),
    )
    const err = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    expect(err).toMatchObject({ name: 'OktaApiError', status })
    expect(apiCalls(seen)).toHaveLength(1)
  })

  it('a network error', async () => {
    let calls = 0
    const admin = sswsClient({
      fetch: async () => {
        calls++
        throw new TypeError('fetch failed')
      },
    })
    const err = await rejectionOf(admin.authorizationServers.get(SERVER_ID))
    expect(err).toMatchObject({ name: 'NetworkError', code: 'ERR_NETWORK' })
    expect(calls).toBe(1)
  })

  it('a timeout', async () => {
    const seen = record()
    server.use(
      http.get(ONE_SERVER, async () => {
        await new Promise((r) => setTimeout(r, 300))
        return HttpResponse.json(SERVER)
      }),
    )
    const err = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID, { timeout: 50 }))
    expect(err).toMatchObject({ name: 'TimeoutError', code: 'ERR_TIMEOUT', timeout: 50 })
    expect(apiCalls(seen)).toHaveLength(1)
  })
})

describe('transport: rate-limit headers', () => {
  it('are exposed on client.rateLimit, to onRateLimit, and on errors', async () => {
    const infos: RateLimitInfo[] = []
    let n = 0
    server.use(
      http.get(ONE_SERVER, () => {
        n++
        if (n === 3) return HttpResponse.json(SERVER) // no headers: the last ones stay
        return HttpResponse.json(n === 4 ? { errorSummary: 'gone' } : SERVER, {
          status: n === 4 ? 404 : 200,
          headers: {
            'x-rate-limit-limit': '600',
            'x-rate-limit-remaining': String(600 - n),
            'x-rate-limit-reset': '1700000000',
          },
        })
      }),
    )
    const admin = sswsClient({ onRateLimit: (info) => infos.push(info) })
    expect(admin.rateLimit).toBeUndefined()
    await admin.authorizationServers.get(SERVER_ID)
    expect(admin.rateLimit).toEqual({ limit: 600, remaining: 599, reset: 1_700_000_000 })
    await admin.authorizationServers.get(SERVER_ID)
    await admin.authorizationServers.get(SERVER_ID)
    expect(admin.rateLimit).toEqual({ limit: 600, remaining: 598, reset: 1_700_000_000 })
    const err = await rejectionOf(admin.authorizationServers.get(SERVER_ID))
    expect(err).toMatchObject({
      code: 'ERR_API_NOT_FOUND',
      rateLimit: { limit: 600, remaining: 596, reset: 1_700_000_000 },
    })
    expect(infos.map((i) => i.remaining)).toEqual([599, 598, 596])
    expect(admin.rateLimit?.remaining).toBe(596)
  })

  it('an onRateLimit that throws does not break the request', async () => {
    server.use(
      http.get(ONE_SERVER, () =>
        HttpResponse.json(SERVER, { headers: { 'x-rate-limit-remaining': '1' } }),
      ),
    )
    const admin = sswsClient({
      onRateLimit: () => {
        throw new Error('observer bug')
      },
    })
    await expect(admin.authorizationServers.get(SERVER_ID)).resolves.toEqual(SERVER)
    expect(admin.rateLimit).toEqual({ remaining: 1 })
  })
})

describe('transport: concurrency', () => {
  it('with concurrency 2, ten parallel gets have at most 2 in flight', async () => {
    let inFlight = 0
    let most = 0
    server.use(
      http.get(`${API}/authorizationServers/:id`, async ({ params }) => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise((r) => setTimeout(r, 25))
        inFlight--
        return HttpResponse.json({ ...SERVER, id: params.id })
      }),
    )
    const admin = sswsClient({ concurrency: 2 })
    const ids = Array.from({ length: 10 }, (_, i) => `aus${i}`)
    const got = await Promise.all(ids.map((id) => admin.authorizationServers.get(id)))
    expect(got.map((s) => s.id)).toEqual(ids)
    expect(most).toBe(2)
  })

  it('the default limit is 10', async () => {
    let inFlight = 0
    let most = 0
    server.use(
      http.get(`${API}/authorizationServers/:id`, async () => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise((r) => setTimeout(r, 25))
        inFlight--
        return HttpResponse.json(SERVER)
      }),
    )
    const admin = sswsClient()
    await Promise.all(Array.from({ length: 15 }, () => admin.authorizationServers.get(SERVER_ID)))
    expect(most).toBe(10)
  })

  it('an aborted waiter leaves the queue: it is never sent, and does not hold a slot', async () => {
    const seen = record()
    const first = gate()
    server.use(
      http.get(`${API}/authorizationServers/:id`, async ({ params }) => {
        if (params.id === 'A') await first.promise
        return HttpResponse.json({ ...SERVER, id: params.id })
      }),
    )
    const admin = sswsClient({ concurrency: 1 })
    const a = admin.authorizationServers.get('A')
    const controller = new AbortController()
    const b = admin.authorizationServers.get('B', { signal: controller.signal })
    const c = admin.authorizationServers.get('C')
    await expect.poll(() => seen.length).toBe(1)
    controller.abort(new Error('user left'))
    const err = await rejectionOf(b)
    expect(err).toBeInstanceOf(AbortError)
    expect(err.message).toBe('authorizationServers.get was aborted')
    first.open()
    expect((await a).id).toBe('A')
    expect((await c).id).toBe('C')
    expect(apiCalls(seen).map((s) => s.url.pathname.split('/').pop())).toEqual(['A', 'C'])
  })

  it('a signal aborted before the call sends nothing', async () => {
    const seen = record()
    const err = await rejectionOf(
      sswsClient().authorizationServers.get(SERVER_ID, { signal: AbortSignal.abort() }),
    )
    expect(err).toBeInstanceOf(AbortError)
    expect(seen).toHaveLength(0)
  })

  it('a slow response fails with TimeoutError after `timeout`', async () => {
    server.use(
      http.get(ONE_SERVER, async () => {
        await new Promise((r) => setTimeout(r, 500))
        return HttpResponse.json(SERVER)
      }),
    )
    const started = performance.now()
    const err = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID, { timeout: 50 }))
    expect(err).toMatchObject({ name: 'TimeoutError', code: 'ERR_TIMEOUT', timeout: 50 })
    expect(performance.now() - started).toBeLessThan(400)
  })
})

describe('transport: options', () => {
  const ssws = { type: 'ssws', token: SSWS_TOKEN } as const
  const make = (options: Record<string, unknown>) => () =>
    createAdminClient({ orgUrl: ORG, auth: ssws, ...options } as AdminClientOptions)

  it.each([
    ['an orgUrl with a path', { orgUrl: `${ORG}/oauth2/default` }],
    ['an orgUrl with a query', { orgUrl: `${ORG}/?x=1` }],
    ['an orgUrl with a fragment', { orgUrl: `${ORG}/#x` }],
    ['an orgUrl that is not a URL', { orgUrl: 'example.okta.com' }],
    ['no auth', { auth: undefined }],
    ['an unknown auth type', { auth: { type: 'basic', token: 'x' } }],
    ['an empty SSWS token', { auth: { type: 'ssws', token: '' } }],
    [
      'an OAuth auth without clientId',
      { auth: { type: 'oauth', privateKey: 'k', scopes: ['okta.apps.read'] } },
    ],
    ['empty scopes', { auth: { type: 'oauth', clientId: 'c', privateKey: 'k', scopes: [] } }],
    [
      'scopes that are not a list',
      { auth: { type: 'oauth', clientId: 'c', privateKey: 'k', scopes: 'okta.apps.read' } },
    ],
    [
      'a scope with a space',
      {
        auth: { type: 'oauth', clientId: 'c', privateKey: 'k', scopes: ['okta.apps.read okta.x'] },
      },
    ],
    ['no private key', { auth: { type: 'oauth', clientId: 'c', scopes: ['okta.apps.read'] } }],
    ['concurrency 0', { concurrency: 0 }],
    ['concurrency 1.5', { concurrency: 1.5 }],
    ['retry.limit -1', { retry: { limit: -1 } }],
    ['retry.maxDelay -5', { retry: { maxDelay: -5 } }],
    ['an onRateLimit that is not a function', { onRateLimit: 'log' }],
  ])('%s → InvalidOptionError', (_, options) => {
    const create = make(options)
    expect(create).toThrow(InvalidOptionError)
    try {
      create()
    } catch (err) {
      expect((err as InvalidOptionError).code).toBe('ERR_INVALID_OPTION')
    }
  })

  it('http: off loopback → ERR_INSECURE_URL; loopback or allowInsecureRequests is fine', () => {
    const err = (() => {
      try {
        make({ orgUrl: 'http://example.okta.com' })()
      } catch (e) {
        return e as InvalidOptionError
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(err?.code).toBe('ERR_INSECURE_URL')
    expect(make({ orgUrl: 'http://localhost:8080' })).not.toThrow()
    expect(make({ orgUrl: 'http://127.0.0.1:3000/' })).not.toThrow()
    expect(make({ orgUrl: 'http://[::1]:3000' })).not.toThrow()
    expect(make({ orgUrl: 'http://example.test', allowInsecureRequests: true })).not.toThrow()
  })

  it('a DPoP option without a key pair → InvalidOptionError at creation', async () => {
    const key = await serviceKey()
    expect(() =>
      createAdminClient({
        orgUrl: ORG,
        auth: {
          type: 'oauth',
          clientId: 'c',
          privateKey: key.pem,
          scopes: ['okta.apps.read'],
          dpop: { keyPair: {} as CryptoKeyPair },
        },
      }),
    ).toThrow(InvalidOptionError)
  })

  it('an org URL with a trailing slash or a URL object is accepted', async () => {
    const seen = record()
    server.use(http.get(ONE_SERVER, () => HttpResponse.json(SERVER)))
    await createAdminClient({ orgUrl: `${ORG}/`, auth: ssws }).authorizationServers.get(SERVER_ID)
    await createAdminClient({ orgUrl: new URL(ORG), auth: ssws }).authorizationServers.get(
      SERVER_ID,
    )
    expect(seen.map((s) => s.url.href)).toEqual([ONE_SERVER, ONE_SERVER])
  })
})
