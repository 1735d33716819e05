import {
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose'
import { delay, HttpResponse, http } from 'msw'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createJwksCache,
  createMemoryJwksStore,
  type JwksCache,
  type JwksCacheEvent,
  type JwksCacheOptions,
  JwksError,
  type JwksFetchEvent,
  type JwksSnapshot,
  type JwksStore,
} from '../../../src/index.js'
import { server } from '../msw.js'

const JWKS_URI = 'https://example.okta.com/oauth2/default/v1/keys'
const T0 = 1_700_000_000_000

interface Key {
  kid: string
  privateKey: CryptoKey
  jwk: JWK
}

async function makeKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return {
    kid,
    privateKey: privateKey as CryptoKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  }
}

function sign(key: Key, kid = key.kid) {
  return new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid }).sign(key.privateKey)
}

function signWithoutKid(key: Key) {
  return new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256' }).sign(key.privateKey)
}

// jose's key resolver takes the header and the flattened token.
async function resolve(cache: JwksCache, token: string) {
  const [protectedHeader, payload, signature] = token.split('.') as [string, string, string]
  return cache.getKey(decodeProtectedHeader(token), {
    protected: protectedHeader,
    payload,
    signature,
  })
}

interface Deferred {
  promise: Promise<void>
  release: () => void
}

function deferred(): Deferred {
  let release!: () => void
  const promise = new Promise<void>((r) => {
    release = r
  })
  return { promise, release }
}

type Mode = 'ok' | 'down' | 'garbage' | 'slow' | 'refused'

// Time is fake: timeouts, the slow endpoint's 1 s and the waits that check
// nothing more happened run on vitest's clock (Date stays real; the caches
// get their own clock). setImmediate stays real, to let the process run.
beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
  })
})
afterEach(() => {
  vi.useRealTimers()
})

/** Let every promise that can settle without time passing settle. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Let `ms` of fake time pass, firing the timers due, then let the process run. */
async function elapse(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
  await tick()
}

/** Run fake time from timer to timer until `promise` settles (no further); hand it back. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let settled = false
  promise.then(
    () => {
      settled = true
    },
    () => {
      settled = true
    },
  )
  for (;;) {
    await tick()
    if (settled || vi.getTimerCount() === 0) return promise
    await vi.advanceTimersToNextTimerAsync()
  }
}

let published: JWK[]
let hits: number
let mode: Mode
let cacheControl: string | undefined
let gate: Deferred | undefined
beforeEach(() => {
  published = []
  hits = 0
  mode = 'ok'
  cacheControl = undefined
  gate = undefined
  server.use(
    http.get(JWKS_URI, async () => {
      hits++
      if (gate) await gate.promise
      if (mode === 'down') return HttpResponse.json({ errorCode: 'E0000009' }, { status: 503 })
      if (mode === 'garbage')
        return new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } })
      if (mode === 'refused') return HttpResponse.error()
      if (mode === 'slow') await delay(1_000)
      return HttpResponse.json(
        { keys: published },
        cacheControl === undefined ? {} : { headers: { 'cache-control': cacheControl } },
      )
    }),
  )
})

let k1: Key
let k2: Key
let k3: Key
let ec: JWK
beforeAll(async () => {
  ;[k1, k2, k3] = await Promise.all([makeKey('k1'), makeKey('k2'), makeKey('k3')])
  const { publicKey } = await generateKeyPair('ES256', { extractable: true })
  ec = { ...(await exportJWK(publicKey)), kid: 'ec1', alg: 'ES256', use: 'sig' }
})

/** A cache on a clock the test moves, recording its events. */
function setup(options: Partial<JwksCacheOptions> = {}) {
  const clock = { t: T0 }
  const events: JwksCacheEvent[] = []
  const cache = createJwksCache({
    jwksUri: JWKS_URI,
    now: () => clock.t,
    onEvent: (event) => events.push(event),
    ...options,
  })
  const ofType = <T extends JwksCacheEvent['type']>(type: T) =>
    events.filter((e): e is Extract<JwksCacheEvent, { type: T }> => e.type === type)
  return { cache, clock, events, ofType, fetches: () => ofType('fetch') }
}

/** Wait until `n` fetches have completed (each one reports a fetch event, ok or not). */
async function fetchesSettled(fetches: () => JwksFetchEvent[], n: number): Promise<void> {
  for (let i = 0; i < 1_000 && fetches().length < n; i++) {
    await tick()
    if (fetches().length < n && vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync()
  }
  expect(fetches()).toHaveLength(n)
}

const rs = (kid: string) => ({ alg: 'RS256', kid })
const noMatch = { code: 'ERR_JWKS_NO_MATCHING_KEY' }
const unavailable = { code: 'ERR_JWKS_UNAVAILABLE' }

describe('Cache-Control freshness', () => {
  it('honours a max-age shorter than maxAge: refreshes after it, not before', async () => {
    published = [k1.jwk]
    cacheControl = 'public, max-age=120'
    const { cache, clock, fetches } = setup({ maxAge: 600_000, minAge: 30_000 })
    await cache.resolve(rs('k1'))
    const snapshot = cache.export()!
    expect(snapshot.fetchedAt).toBe(T0)
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(120_000)
    clock.t = T0 + 120_000
    await expect(cache.resolve(rs('k1'))).resolves.toHaveLength(1)
    expect(cache.peek(rs('k1'))).toHaveLength(1)
    await elapse(5)
    expect(hits).toBe(1)
    clock.t = T0 + 120_001
    await expect(cache.resolve(rs('k1'))).resolves.toHaveLength(1)
    await fetchesSettled(fetches, 2)
    expect(hits).toBe(2)
    expect(fetches()[1]).toMatchObject({ reason: 'expired', ok: true })
    expect(cache.export()!.fetchedAt).toBe(T0 + 120_001)
  })

  it("caps a very long max-age (Okta's max-age=3832304, must-revalidate) at maxAge", async () => {
    published = [k1.jwk]
    cacheControl = 'max-age=3832304, must-revalidate'
    const { cache, clock, fetches } = setup({ maxAge: 600_000 })
    await cache.reload()
    const snapshot = cache.export()!
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(600_000)
    clock.t = T0 + 600_000
    await cache.resolve(rs('k1'))
    expect(hits).toBe(1)
    clock.t = T0 + 600_001
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, 2)
    expect(hits).toBe(2)
  })

  it.each(['no-cache', 'no-store', 'private, no-cache, max-age=300', 'no-store, max-age=300'])(
    'uses minAge for Cache-Control: %s',
    async (value) => {
      published = [k1.jwk]
      cacheControl = value
      const { cache, clock, fetches } = setup({ maxAge: 600_000, minAge: 30_000 })
      await cache.reload()
      const snapshot = cache.export()!
      expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(30_000)
      clock.t = T0 + 30_000
      await cache.resolve(rs('k1'))
      expect(hits).toBe(1)
      clock.t = T0 + 30_001
      await cache.resolve(rs('k1'))
      await fetchesSettled(fetches, 2)
      expect(hits).toBe(2)
    },
  )

  it.each(['max-age=5', 'max-age=0'])('raises %s to minAge', async (value) => {
    published = [k1.jwk]
    cacheControl = value
    const { cache, clock, fetches } = setup({ maxAge: 600_000, minAge: 30_000 })
    await cache.reload()
    const snapshot = cache.export()!
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(30_000)
    clock.t = T0 + 29_999
    await cache.resolve(rs('k1'))
    expect(hits).toBe(1)
    clock.t = T0 + 30_001
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, 2)
    expect(hits).toBe(2)
  })

  it.each([
    ['MAX-AGE=120', 120_000],
    ['max-age="120"', 120_000],
    ['public, max-age = 120', 120_000],
    ['max-age=abc', 600_000],
    ['s-maxage=60', 600_000],
    ['max-age=99999999999999999999', 600_000],
  ])('parses Cache-Control %s as a lifetime of %i ms', async (value, ttl) => {
    published = [k1.jwk]
    cacheControl = value
    const { cache } = setup({ maxAge: 600_000, minAge: 30_000 })
    await cache.reload()
    const snapshot = cache.export()!
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(ttl)
  })

  it('uses maxAge without a Cache-Control header', async () => {
    published = [k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 90_000 })
    await cache.reload()
    const snapshot = cache.export()!
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(90_000)
    clock.t = T0 + 90_000
    await cache.resolve(rs('k1'))
    expect(hits).toBe(1)
    clock.t = T0 + 90_001
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, 2)
    expect(hits).toBe(2)
  })
})

describe('single-flight', () => {
  it('500 concurrent resolves on a cold cache make exactly one request', async () => {
    published = [k1.jwk]
    gate = deferred()
    const { cache, fetches } = setup()
    const all = Promise.all(Array.from({ length: 500 }, () => cache.resolve(rs('k1'))))
    await vi.waitFor(() => expect(hits).toBe(1))
    // Cold and still loading: peek cannot answer.
    expect(cache.peek(rs('k1'))).toBeUndefined()
    expect(cache.jwks).toBeUndefined()
    gate.release()
    const results = await all
    expect(results).toHaveLength(500)
    for (const keys of results) expect(keys).toEqual([k1.jwk])
    // Every caller got the very same key object.
    expect(new Set(results.map((keys) => keys[0])).size).toBe(1)
    expect(hits).toBe(1)
    expect(fetches()).toMatchObject([{ reason: 'cold', ok: true, keyCount: 1 }])
  })

  it('peek answers undefined on a cold cache and starts no request', async () => {
    published = [k1.jwk]
    const { cache } = setup()
    const answers = Array.from({ length: 20 }, () => cache.peek(rs('k1')))
    expect(answers.every((a) => a === undefined)).toBe(true)
    await elapse(20)
    expect(hits).toBe(0)
  })
})

describe('rotation', () => {
  it('the first unknown kid refetches at once and the new key is returned', async () => {
    published = [k1.jwk]
    const { cache, ofType } = setup()
    await cache.resolve(rs('k1'))
    published = [k2.jwk, k1.jwk]
    const keys = await cache.resolve(rs('k2'))
    expect(keys).toEqual([k2.jwk])
    expect(hits).toBe(2)
    expect(ofType('unknown-kid')).toEqual([{ type: 'unknown-kid', kid: 'k2', refetched: true }])
    expect(ofType('rotation')).toEqual([{ type: 'rotation', added: ['k2'], removed: [] }])
    expect(ofType('fetch').map((e) => e.reason)).toEqual(['cold', 'unknown-kid'])
  })

  it('within the cooldown further unknown kids cause no request; after it one more refetch', async () => {
    published = [k1.jwk]
    const { cache, clock, ofType } = setup({ cooldown: 30_000 })
    await cache.resolve(rs('k1'))
    await expect(cache.resolve(rs('x1'))).rejects.toMatchObject(noMatch)
    expect(hits).toBe(2)
    // A key published now is not seen until the cooldown ends (the price of the bound).
    published = [k1.jwk, k3.jwk]
    clock.t = T0 + 10_000
    await expect(cache.resolve(rs('x2'))).rejects.toMatchObject(noMatch)
    clock.t = T0 + 29_999
    await expect(cache.resolve(rs('x3'))).rejects.toMatchObject(noMatch)
    expect(hits).toBe(2)
    clock.t = T0 + 30_000
    await expect(cache.resolve(rs('k3'))).resolves.toEqual([k3.jwk])
    expect(hits).toBe(3)
    // And the cooldown starts over.
    await expect(cache.resolve(rs('x4'))).rejects.toMatchObject(noMatch)
    expect(hits).toBe(3)
    expect(ofType('unknown-kid').map((e) => [e.kid, e.refetched])).toEqual([
      ['x1', true],
      ['x2', false],
      ['x3', false],
      ['k3', true],
      ['x4', false],
    ])
  })

  it('unknown-kid lookups during an in-flight miss refetch join it; a legit new kid among them resolves', async () => {
    published = [k1.jwk]
    const { cache, fetches } = setup()
    await cache.resolve(rs('k1'))
    published = [k1.jwk, k2.jwk]
    gate = deferred()
    const kids = ['f1', 'k2', 'f2', 'f3', 'k2', 'f4']
    const settled = Promise.allSettled(kids.map((kid) => cache.resolve(rs(kid))))
    await vi.waitFor(() => expect(hits).toBe(2))
    gate.release()
    const results = await settled
    expect(hits).toBe(2)
    expect(fetches()).toHaveLength(2)
    results.forEach((r, i) => {
      if (kids[i] === 'k2') expect(r).toEqual({ status: 'fulfilled', value: [k2.jwk] })
      else expect(r).toMatchObject({ status: 'rejected', reason: noMatch })
    })
  })
})

describe('negative kid cache', () => {
  const forged = (n: number) =>
    Array.from({ length: n }, (_, i) => `forged-${i}-${Math.random().toString(36).slice(2)}`)

  it('1000 distinct forged kids in a burst on a warm cache cost at most one request', async () => {
    published = [k1.jwk]
    const { cache } = setup()
    await cache.resolve(rs('k1'))
    expect(hits).toBe(1)
    const kids = forged(1_000)
    expect(new Set(kids).size).toBe(1_000)
    const results = await Promise.allSettled(kids.map((kid) => cache.resolve(rs(kid))))
    expect(hits - 1).toBeLessThanOrEqual(1)
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    for (const r of results) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(JwksError)
      expect((r as PromiseRejectedResult).reason).toMatchObject(noMatch)
    }
    // A second burst of the same kids costs nothing.
    const again = await Promise.allSettled(kids.map((kid) => cache.resolve(rs(kid))))
    expect(again.every((r) => r.status === 'rejected')).toBe(true)
    expect(hits - 1).toBeLessThanOrEqual(1)
  })

  it('1000 distinct forged kids on a cold cache cost only the load', async () => {
    published = [k1.jwk]
    const { cache, fetches, ofType } = setup()
    const results = await Promise.allSettled(forged(1_000).map((kid) => cache.resolve(rs(kid))))
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject(noMatch)
    // The key set was fetched for these very lookups: refetching could not help.
    expect(hits).toBe(1)
    expect(fetches()).toMatchObject([{ reason: 'cold', ok: true }])
    expect(ofType('unknown-kid').filter((e) => e.refetched)).toHaveLength(0)
    // The key the cold fetch brought still resolves.
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(1)
  })

  it('an unknown kid is remembered only until the next refetch is allowed', async () => {
    published = [k1.jwk]
    const { cache, clock, ofType } = setup({ cooldown: 30_000 })
    await cache.resolve(rs('k1'))
    await expect(cache.resolve(rs('a'))).rejects.toMatchObject(noMatch) // refetch at T0
    clock.t = T0 + 20_000
    await expect(cache.resolve(rs('b'))).rejects.toMatchObject(noMatch) // remembered until T0+30s
    await expect(cache.resolve(rs('b'))).rejects.toMatchObject(noMatch)
    expect(hits).toBe(2)
    // The cooldown is over: b may be a key rotated in meanwhile, so it refetches once...
    clock.t = T0 + 35_000
    published = [k1.jwk, { ...k1.jwk, kid: 'b' }]
    await expect(cache.resolve(rs('b'))).resolves.toHaveLength(1)
    expect(hits).toBe(3)
    // ...and c, seen inside the new cooldown, costs nothing.
    await expect(cache.resolve(rs('c'))).rejects.toMatchObject(noMatch)
    expect(hits).toBe(3)
    expect(ofType('unknown-kid').map((e) => [e.kid, e.refetched])).toEqual([
      ['a', true],
      ['b', false],
      ['b', false],
      ['b', true],
      ['c', false],
    ])
  })

  it('maxUnknownKids bounds memory without letting evicted kids cost requests', async () => {
    published = [k1.jwk]
    const { cache, clock, ofType } = setup({ cooldown: 30_000, maxUnknownKids: 2 })
    await cache.resolve(rs('k1'))
    await expect(cache.resolve(rs('a'))).rejects.toMatchObject(noMatch) // refetch, lastMiss T0
    clock.t = T0 + 20_000
    // A capacity of 2 keeps only the last two; the cooldown still holds for the evicted ones.
    for (const kid of ['b', 'c', 'd', 'b']) {
      await expect(cache.resolve(rs(kid))).rejects.toMatchObject(noMatch)
    }
    expect(hits).toBe(2)
    expect(
      ofType('unknown-kid')
        .slice(-4)
        .map((e) => e.refetched),
    ).toEqual([false, false, false, false])
    // After the cooldown one of them refetches once, for all.
    clock.t = T0 + 35_000
    await expect(cache.resolve(rs('b'))).rejects.toMatchObject(noMatch)
    await expect(cache.resolve(rs('c'))).rejects.toMatchObject(noMatch)
    expect(hits).toBe(3)
  })

  it('a kid that appears in a later fetch is forgotten by the negative cache', async () => {
    published = [k1.jwk]
    const { cache, clock } = setup({ cooldown: 30_000, maxAge: 600_000 })
    await cache.resolve(rs('k1'))
    await expect(cache.resolve(rs('k2'))).rejects.toMatchObject(noMatch)
    published = [k1.jwk, k2.jwk]
    clock.t = T0 + 1_000
    await cache.reload()
    await expect(cache.resolve(rs('k2'))).resolves.toEqual([k2.jwk])
    expect(hits).toBe(3)
  })
})

describe('outages and stale-while-revalidate', () => {
  it('past expiresAt peek still answers and starts one background refresh', async () => {
    published = [k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 60_000 })
    await cache.resolve(rs('k1'))
    clock.t = T0 + 60_001
    gate = deferred()
    for (let i = 0; i < 50; i++) expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
    for (let i = 0; i < 50; i++) await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    await vi.waitFor(() => expect(hits).toBe(2))
    gate.release()
    await fetchesSettled(fetches, 2)
    expect(fetches()[1]).toMatchObject({ reason: 'expired', ok: true })
    expect(cache.export()!.expiresAt).toBe(T0 + 60_001 + 60_000)
    expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
    await elapse(10)
    expect(hits).toBe(2)
  })

  it.each([
    ['down', 'ERR_JWKS_UNAVAILABLE'],
    ['garbage', 'ERR_JWKS_UNAVAILABLE'],
    ['refused', 'ERR_JWKS_UNAVAILABLE'],
    ['slow', 'ERR_TIMEOUT'],
  ] as const)(
    'known keys keep resolving within maxStale while the endpoint is %s',
    async (m, code) => {
      published = [k1.jwk]
      const { cache, clock, fetches, ofType } = setup({
        maxAge: 60_000,
        maxStale: 3_600_000,
        timeout: 50,
      })
      const token = await sign(k1)
      await resolve(cache, token)
      mode = m
      clock.t = T0 + 120_000
      await expect(resolve(cache, token)).resolves.toBeDefined()
      expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
      await fetchesSettled(fetches, 2)
      expect(fetches()[1]).toMatchObject({ reason: 'expired', ok: false, error: { code } })
      expect(ofType('stale')).toHaveLength(1)
      expect(ofType('stale')[0]).toMatchObject({ staleForMs: 60_000, error: { code } })
      // Still within maxStale: keys verify, and the failed background fetch made one request.
      clock.t = T0 + 60_000 + 3_600_000
      await expect(resolve(cache, token)).resolves.toBeDefined()
      await fetchesSettled(fetches, 3)
      expect(hits).toBe(3)
      expect(fetches()[2]).toMatchObject({ reason: 'retry', ok: false })
    },
  )

  it('background retries back off 1 s, 2 s, 4 s … capped at the cooldown, then recover', async () => {
    published = [k1.jwk]
    const { cache, clock, fetches, ofType } = setup({
      maxAge: 60_000,
      cooldown: 5_000,
    })
    await cache.resolve(rs('k1'))
    mode = 'down'
    let t = T0 + 60_001
    clock.t = t
    await cache.resolve(rs('k1')) // first background attempt
    await fetchesSettled(fetches, 2)
    expect(hits).toBe(2)
    let n = 2
    for (const wait of [1_000, 2_000, 4_000, 5_000, 5_000]) {
      // Before the next retry is due: lookups answer from the stale keys, no request.
      clock.t = t + wait - 1
      for (let i = 0; i < 5; i++) expect(await cache.resolve(rs('k1'))).toEqual([k1.jwk])
      expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
      await elapse(5)
      expect(hits).toBe(n)
      // Due: one retry.
      t += wait
      clock.t = t
      expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
      await cache.resolve(rs('k1'))
      n++
      await fetchesSettled(fetches, n)
      expect(hits).toBe(n)
      expect(fetches()[n - 1]).toMatchObject({ reason: 'retry', ok: false })
    }
    expect(ofType('stale')).toHaveLength(n - 1)
    // The endpoint recovers: the next retry refreshes the keys.
    mode = 'ok'
    published = [k1.jwk, k2.jwk]
    t += 5_000
    clock.t = t
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, n + 1)
    expect(fetches()[n]).toMatchObject({ reason: 'retry', ok: true, keyCount: 2 })
    expect(cache.export()).toMatchObject({ fetchedAt: t, expiresAt: t + 60_000 })
    expect(cache.peek(rs('k2'))).toEqual([k2.jwk])
    // Fresh again: no request until the new expiry.
    clock.t = t + 60_000
    await cache.resolve(rs('k1'))
    await elapse(5)
    expect(hits).toBe(n + 1)
  })

  it('past expiresAt + maxStale a lookup must fetch and fails when the endpoint is down', async () => {
    published = [k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 60_000, maxStale: 600_000 })
    await cache.resolve(rs('k1'))
    mode = 'down'
    clock.t = T0 + 60_000 + 600_001
    expect(cache.peek(rs('k1'))).toBeUndefined()
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(hits).toBe(2)
    expect(fetches()[1]).toMatchObject({ reason: 'expired', ok: false })
    // Within the back-off: fails fast, no request.
    clock.t += 999
    const error = await cache.resolve(rs('k1')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JwksError)
    expect(error).toMatchObject(unavailable)
    expect((error as Error).cause).toMatchObject(unavailable)
    expect(hits).toBe(2)
    // Back up after the back-off: the lookup fetches and succeeds.
    mode = 'ok'
    clock.t += 1
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(3)
  })

  it('a cold cache while the endpoint is down fails fast within the back-off window', async () => {
    published = [k1.jwk]
    mode = 'refused'
    const { cache, clock } = setup()
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(hits).toBe(1)
    const burst = await Promise.allSettled(
      Array.from({ length: 100 }, () => cache.resolve(rs('k1'))),
    )
    expect(burst.every((r) => r.status === 'rejected')).toBe(true)
    expect(hits).toBe(1)
    clock.t = T0 + 999
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(hits).toBe(1)
    clock.t = T0 + 1_000
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(hits).toBe(2)
    // The second failure doubles the back-off.
    clock.t = T0 + 2_999
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(hits).toBe(2)
    mode = 'ok'
    clock.t = T0 + 3_000
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(3)
  })

  it.each([
    ['the cache option', { timeout: 50 }, undefined],
    ['the call option', {}, { timeout: 50 }],
  ] as const)(
    'a slow endpoint fails a resolve with ERR_TIMEOUT after %s',
    async (_, options, call) => {
      published = [k1.jwk]
      mode = 'slow'
      const { cache } = setup(options)
      const started = performance.now()
      const error = await settle(cache.resolve(rs('k1'), call).catch((e: unknown) => e))
      const elapsed = performance.now() - started
      expect(error).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
      expect(elapsed).toBeGreaterThanOrEqual(45)
      expect(elapsed).toBeLessThan(900) // the endpoint answers after 1 s: it did not wait for it
      expect(hits).toBe(1)
    },
  )
})

describe('per-call timeouts on a shared fetch', () => {
  it('a caller joining a fetch under way stops waiting after its own timeout', async () => {
    published = [k1.jwk]
    mode = 'slow'
    const { cache } = setup()
    const first = cache.resolve(rs('k1'))
    await vi.waitFor(() => expect(hits).toBe(1))
    const started = performance.now()
    await expect(settle(cache.resolve(rs('k1'), { timeout: 50 }))).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
      timeout: 50,
    })
    await expect(settle(cache.reload({ timeout: 50 }))).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
    })
    expect(performance.now() - started).toBeLessThan(900)
    await expect(settle(first)).resolves.toEqual([k1.jwk])
    expect(hits).toBe(1)
  })

  it("a starter's short timeout does not fail the callers that join its fetch", async () => {
    published = [k1.jwk]
    mode = 'slow'
    const { cache, fetches } = setup()
    const short = cache.resolve(rs('k1'), { timeout: 50 })
    const patient = cache.resolve(rs('k1'))
    const patientReload = cache.reload()
    await expect(settle(short)).rejects.toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
    await expect(settle(patient)).resolves.toEqual([k1.jwk])
    await expect(patientReload).resolves.toEqual({ keys: [k1.jwk] })
    expect(hits).toBe(1)
    expect(fetches()).toMatchObject([{ reason: 'cold', ok: true }])
  })

  it('a caller timing out on an unknown-kid refetch gets ERR_TIMEOUT; the kid is not remembered', async () => {
    published = [k1.jwk]
    const { cache, fetches } = setup()
    await cache.resolve(rs('k1'))
    published = [k1.jwk, k2.jwk]
    mode = 'slow'
    await expect(settle(cache.resolve(rs('k2'), { timeout: 50 }))).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
    })
    await fetchesSettled(fetches, 2)
    expect(fetches()[1]).toMatchObject({ reason: 'unknown-kid', ok: true })
    await expect(cache.resolve(rs('k2'))).resolves.toEqual([k2.jwk])
    expect(hits).toBe(2)
  })

  it('an invalid call timeout is refused with ERR_INVALID_OPTION and counts as no failure', async () => {
    published = [k1.jwk]
    const { cache, fetches } = setup()
    await expect(cache.reload({ timeout: 0 })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    })
    await fetchesSettled(fetches, 1)
    expect(fetches()[0]).toMatchObject({ ok: true })
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(1)
  })
})

describe('key identity and selection', () => {
  it('a refresh returning the same keys keeps the same JWK objects', async () => {
    published = [k1.jwk, k2.jwk]
    const { cache, clock, ofType } = setup()
    const [before] = await cache.resolve(rs('k1'))
    expect(cache.holds(before!)).toBe(true)
    clock.t += 1_000
    await cache.reload()
    expect(hits).toBe(2)
    const [after] = await cache.resolve(rs('k1'))
    expect(after).toBe(before)
    expect(cache.holds(before!)).toBe(true)
    expect(ofType('rotation')).toEqual([])
  })

  it('a key removed from the set is no longer held', async () => {
    published = [k1.jwk, k2.jwk]
    const { cache, ofType } = setup()
    const [one] = await cache.resolve(rs('k1'))
    const [two] = await cache.resolve(rs('k2'))
    published = [k2.jwk, k3.jwk]
    await cache.reload()
    expect(cache.holds(one!)).toBe(false)
    expect(cache.holds(two!)).toBe(true)
    expect(cache.holds({ ...two! })).toBe(false) // identity, not equality
    expect(cache.peek(rs('k1'))).toBeUndefined()
    expect(ofType('rotation')).toEqual([{ type: 'rotation', added: ['k3'], removed: ['k1'] }])
  })

  it('peek selects by kid, algorithm family, curve, alg and use', async () => {
    const plain = { ...k2.jwk, kid: 'plain' }
    delete plain.alg
    delete plain.use
    const rs384 = { ...k3.jwk, kid: 'r384', alg: 'RS384' }
    const enc = { ...k3.jwk, kid: 'enc1', use: 'enc' }
    delete enc.alg
    const opsEncrypt = { ...k3.jwk, kid: 'ops1', key_ops: ['encrypt'] }
    const opsVerify = { ...k3.jwk, kid: 'ops2', key_ops: ['verify'] }
    const oct = { kty: 'oct', k: 'c2VjcmV0', kid: 'oct1', alg: 'HS256' }
    published = [k1.jwk, ec, plain, rs384, enc, opsEncrypt, opsVerify, oct]
    const { cache, fetches } = setup()
    await cache.reload()
    expect(fetches()[0]).toMatchObject({ keyCount: 5 }) // k1, ec1, plain, r384, ops2
    expect(cache.jwks?.keys).toHaveLength(8) // as the server sent it
    expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
    expect(cache.peek({ alg: 'RS256', kid: 'ec1' })).toBeUndefined()
    expect(cache.peek({ alg: 'ES256', kid: 'ec1' })).toEqual([ec])
    expect(cache.peek({ alg: 'ES384', kid: 'ec1' })).toBeUndefined() // P-256 key
    expect(cache.peek({ alg: 'ES256', kid: 'k1' })).toBeUndefined()
    expect(cache.peek({ alg: 'PS256', kid: 'k1' })).toBeUndefined() // alg on the JWK is RS256
    expect(cache.peek({ alg: 'PS256', kid: 'plain' })).toEqual([plain])
    expect(cache.peek({ alg: 'RS512', kid: 'plain' })).toEqual([plain])
    expect(cache.peek({ alg: 'RS256', kid: 'r384' })).toBeUndefined()
    expect(cache.peek({ alg: 'RS384', kid: 'r384' })).toEqual([rs384])
    expect(cache.peek({ alg: 'RS256', kid: 'enc1' })).toBeUndefined()
    expect(cache.peek({ alg: 'RS256', kid: 'ops1' })).toBeUndefined()
    expect(cache.peek({ alg: 'RS256', kid: 'ops2' })).toEqual([opsVerify])
    expect(cache.peek({ alg: 'HS256', kid: 'oct1' })).toBeUndefined()
    expect(cache.peek({ alg: 'none', kid: 'k1' })).toBeUndefined()
    expect(cache.peek({ alg: 'EdDSA', kid: 'k1' })).toBeUndefined()
    // Without a kid: every candidate for the algorithm.
    expect(cache.peek({ alg: 'RS256' })).toEqual([k1.jwk, plain, opsVerify])
    expect(cache.peek({ alg: 'ES256' })).toEqual([ec])
    expect(cache.peek({ alg: 'ES512' })).toBeUndefined()
    expect(hits).toBe(1)
  })
})

describe('getKey', () => {
  it('works as the key argument of jose.jwtVerify', async () => {
    published = [k1.jwk, k2.jwk]
    const { cache } = setup()
    const first = await jwtVerify(await sign(k1), cache.getKey)
    expect(first.payload.sub).toBe('x')
    expect(first.protectedHeader.kid).toBe('k1')
    const second = await jwtVerify(await sign(k2), cache.getKey)
    expect(second.protectedHeader.kid).toBe('k2')
    // A token signed by a key not in the set, naming a listed kid: the signature fails.
    await expect(jwtVerify(await sign(k3, 'k1'), cache.getKey)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
    expect(hits).toBe(1)
    // The imported key is reused for the same JWK and alg.
    expect(await resolve(cache, await sign(k1))).toBe(await resolve(cache, await sign(k1)))
  })

  it('a token without kid: one candidate verifies, two candidates are refused', async () => {
    published = [k1.jwk]
    const { cache } = setup()
    await expect(jwtVerify(await signWithoutKid(k1), cache.getKey)).resolves.toBeDefined()
    published = [k1.jwk, k2.jwk]
    await cache.reload()
    const error = await jwtVerify(await signWithoutKid(k1), cache.getKey).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JwksError)
    expect(error).toMatchObject(noMatch)
  })

  it('a key that cannot be imported rejects with ERR_JWKS_NO_MATCHING_KEY, and is retried', async () => {
    const zero = Buffer.alloc(32).toString('base64url')
    const bad = { kty: 'EC', crv: 'P-256', x: zero, y: zero, kid: 'bad', alg: 'ES256' }
    published = [bad]
    const { cache } = setup()
    const header = { alg: 'ES256', kid: 'bad' }
    const token = { protected: '', payload: '', signature: '' }
    for (let i = 0; i < 2; i++) {
      const error = await cache.getKey(header, token).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(JwksError)
      expect(error).toMatchObject({ ...noMatch, cause: { name: 'DataError' } })
    }
    await expect(cache.getKey({ kid: 'bad' }, token)).rejects.toMatchObject(noMatch) // no alg
    expect(hits).toBe(1)
  })

  it('a token whose kid is unknown rejects with ERR_JWKS_NO_MATCHING_KEY', async () => {
    published = [k1.jwk]
    const { cache } = setup()
    const error = await jwtVerify(await sign(k2), cache.getKey).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JwksError)
    expect(error).toMatchObject(noMatch)
  })
})

describe('persistence', () => {
  it('export() then import() into a fresh cache resolves with no request', async () => {
    published = [k1.jwk, k2.jwk]
    const a = setup()
    await a.cache.resolve(rs('k1'))
    const snapshot = a.cache.export()!
    expect(snapshot).toEqual({
      version: 1,
      jwksUri: JWKS_URI,
      jwks: { keys: [k1.jwk, k2.jwk] },
      fetchedAt: T0,
      expiresAt: T0 + 600_000,
    })
    // export() hands out a copy.
    snapshot.jwks.keys.push(k3.jwk)
    expect(a.cache.jwks?.keys).toHaveLength(2)
    snapshot.jwks.keys.pop()
    // A JSON round trip, as a real store would do.
    const b = setup()
    b.clock.t = T0 + 1_000
    const copy = JSON.parse(JSON.stringify(snapshot)) as JwksSnapshot
    expect(b.cache.import(copy)).toBe(true)
    // import() takes a copy.
    copy.jwks.keys.length = 0
    expect(b.cache.jwks?.keys).toHaveLength(2)
    await expect(b.cache.resolve(rs('k2'))).resolves.toEqual([k2.jwk])
    expect(b.cache.export()).toEqual(snapshot)
    expect(hits).toBe(1)
    // import() is not reported as a store or snapshot import.
    expect(b.ofType('import')).toEqual([])
  })

  const good = (): JwksSnapshot => ({
    version: 1,
    jwksUri: JWKS_URI,
    jwks: { keys: [k1.jwk] },
    fetchedAt: T0 - 1_000,
    expiresAt: T0 + 599_000,
  })

  it.each([
    ['another jwksUri', () => ({ ...good(), jwksUri: 'https://other.okta.com/oauth2/v1/keys' })],
    ['no keys array', () => ({ ...good(), jwks: {} })],
    ['keys that are not objects', () => ({ ...good(), jwks: { keys: ['x'] } })],
    ['version 2', () => ({ ...good(), version: 2 })],
    ['a NaN fetchedAt', () => ({ ...good(), fetchedAt: Number.NaN })],
    ['a NaN expiresAt', () => ({ ...good(), expiresAt: Number.NaN })],
    ['a null expiresAt (NaN after JSON)', () => ({ ...good(), expiresAt: null })],
    ['a string fetchedAt', () => ({ ...good(), fetchedAt: String(T0) })],
    ['null', () => null],
    [
      'a snapshot past expiresAt + maxStale',
      () => ({ ...good(), fetchedAt: T0 - 100_000, expiresAt: T0 - 86_400_001 }),
    ],
  ])('import refuses %s', async (_, make) => {
    published = [k1.jwk]
    const { cache } = setup()
    expect(cache.import(make() as unknown as JwksSnapshot)).toBe(false)
    expect(cache.jwks).toBeUndefined()
    expect(cache.export()).toBeUndefined()
    expect(cache.peek(rs('k1'))).toBeUndefined()
    await cache.resolve(rs('k1'))
    expect(hits).toBe(1)
  })

  it('import accepts a snapshot past expiresAt but within maxStale (and refreshes it in the background)', async () => {
    published = [k1.jwk]
    const { cache, fetches } = setup()
    expect(cache.import({ ...good(), expiresAt: T0 - 86_400_000 })).toBe(true)
    expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
    await fetchesSettled(fetches, 1)
    expect(fetches()[0]).toMatchObject({ reason: 'expired', ok: true })
    expect(hits).toBe(1)
  })

  it('import refuses a snapshot older than the keys already held', async () => {
    published = [k1.jwk]
    const { cache } = setup()
    await cache.reload()
    expect(cache.import({ ...good(), jwks: { keys: [k2.jwk] } })).toBe(false)
    expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
    expect(cache.peek(rs('k2'))).toBeUndefined()
  })

  it("caps an imported snapshot's expiresAt at fetchedAt + maxAge", async () => {
    published = [k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 60_000 })
    expect(cache.import({ ...good(), fetchedAt: T0, expiresAt: T0 + 86_400_000 })).toBe(true)
    expect(cache.export()).toMatchObject({ fetchedAt: T0, expiresAt: T0 + 60_000 })
    clock.t = T0 + 60_000
    await cache.resolve(rs('k1'))
    expect(hits).toBe(0)
    clock.t = T0 + 60_001
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, 1)
    expect(hits).toBe(1)
  })

  it('the snapshot option seeds the cache at construction', async () => {
    published = [k1.jwk]
    const fresh = setup({ snapshot: good() })
    expect(fresh.ofType('import')).toEqual([{ type: 'import', source: 'snapshot', used: true }])
    expect(fresh.cache.peek(rs('k1'))).toEqual([k1.jwk])
    await expect(fresh.cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(0)
    const old = setup({ snapshot: { ...good(), expiresAt: T0 - 86_400_001 } })
    expect(old.ofType('import')).toEqual([{ type: 'import', source: 'snapshot', used: false }])
    expect(old.cache.peek(rs('k1'))).toBeUndefined()
    await expect(old.cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(1)
  })

  it('a memory store shared by two caches: the second one starts without a request', async () => {
    published = [k1.jwk]
    const store = createMemoryJwksStore()
    const a = setup({ store })
    await a.cache.resolve(rs('k1'))
    expect(hits).toBe(1)
    const b = setup({ store })
    b.clock.t = T0 + 5_000
    await expect(b.cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(1)
    expect(b.ofType('import')).toEqual([{ type: 'import', source: 'store', used: true }])
    expect(b.cache.export()).toEqual(a.cache.export())
    // The store hands out copies: mutating one does not change what it holds.
    const copy = (await store.get(JWKS_URI))!
    copy.jwks.keys.length = 0
    expect((await store.get(JWKS_URI))!.jwks.keys).toHaveLength(1)
    // A store entry for another URI is not shared.
    expect(await store.get('https://other.okta.com/keys')).toBeUndefined()
  })

  it('an unknown kid: a cache takes newer keys another saved to the store, without a request', async () => {
    published = [k1.jwk]
    const store = createMemoryJwksStore()
    const a = setup({ store })
    const b = setup({ store })
    await a.cache.resolve(rs('k1'))
    b.clock.t = T0 + 1_000
    await b.cache.resolve(rs('k1'))
    expect(hits).toBe(1)
    // The server rotates; a sees the new kid first and fetches (its store copy is no newer).
    published = [k1.jwk, k2.jwk]
    a.clock.t = T0 + 2_000
    await expect(a.cache.resolve(rs('k2'))).resolves.toEqual([k2.jwk])
    expect(hits).toBe(2)
    // b reads the store before refetching and finds the kid there.
    b.clock.t = T0 + 3_000
    await expect(b.cache.resolve(rs('k2'))).resolves.toEqual([k2.jwk])
    expect(hits).toBe(2)
    expect(b.fetches()).toEqual([])
    expect(b.ofType('rotation')).toEqual([{ type: 'rotation', added: ['k2'], removed: [] }])
    // A kid the store does not have either: b fetches.
    b.clock.t = T0 + 40_000
    await expect(b.cache.resolve(rs('k9'))).rejects.toMatchObject(noMatch)
    expect(hits).toBe(3)
  })

  it('a refresh takes fresh keys another cache saved to the store, without a request', async () => {
    published = [k1.jwk]
    const store = createMemoryJwksStore()
    const a = setup({ store })
    const b = setup({ store })
    await a.cache.resolve(rs('k1'))
    await b.cache.resolve(rs('k1'))
    expect(hits).toBe(1)
    // Past the 10 min refresh time: a refreshes in the background (a fetch).
    a.clock.t = T0 + 700_000
    await a.cache.resolve(rs('k1'))
    await fetchesSettled(a.fetches, 2)
    expect(hits).toBe(2)
    // b is due too, and takes a's fresh snapshot from the store instead.
    b.clock.t = T0 + 710_000
    await b.cache.resolve(rs('k1'))
    for (let i = 0; i < 20; i++) await tick()
    expect(hits).toBe(2)
    expect(b.ofType('import')).toEqual([
      { type: 'import', source: 'store', used: true },
      { type: 'import', source: 'store', used: true },
    ])
    expect(b.cache.export()!.fetchedAt).toBe(T0 + 700_000)
  })

  it('a store with a stale entry is reported unused and the cache fetches', async () => {
    published = [k1.jwk]
    const store = createMemoryJwksStore()
    await store.set(JWKS_URI, { ...good(), expiresAt: T0 - 86_400_001 })
    const { cache, ofType } = setup({ store })
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(1)
    expect(ofType('import')).toEqual([{ type: 'import', source: 'store', used: false }])
    expect((await store.get(JWKS_URI))!.fetchedAt).toBe(T0)
  })

  it.each([
    ['get', 'throws'],
    ['get', 'rejects'],
    ['set', 'throws'],
    ['set', 'rejects'],
  ] as const)(
    'a store whose %s %s reports store-error and the cache still works',
    async (op, how) => {
      published = [k1.jwk]
      const failure = new Error(`store ${op} failed`)
      const fail = () => {
        if (how === 'throws') throw failure
        return Promise.reject(failure)
      }
      const store: JwksStore = {
        get: op === 'get' ? fail : () => undefined,
        set: op === 'set' ? fail : () => {},
      }
      const { cache, ofType } = setup({ store })
      await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
      expect(hits).toBe(1)
      await vi.waitFor(() =>
        expect(ofType('store-error')).toEqual([
          { type: 'store-error', operation: op, error: failure },
        ]),
      )
      await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
      expect(hits).toBe(1)
    },
  )

  it('concurrent cold lookups read the store once and fetch once', async () => {
    published = [k1.jwk]
    const get = vi.fn<JwksStore['get']>(async () => {
      await delay(5)
      return undefined
    })
    const set = vi.fn<JwksStore['set']>()
    const { cache } = setup({ store: { get, set } })
    const results = await settle(
      Promise.all(Array.from({ length: 100 }, () => cache.resolve(rs('k1')))),
    )
    expect(results.every((keys) => keys[0] === results[0]![0])).toBe(true)
    expect(get).toHaveBeenCalledTimes(1)
    expect(get).toHaveBeenCalledWith(JWKS_URI)
    expect(set).toHaveBeenCalledTimes(1)
    expect(hits).toBe(1)
  })

  it('store.set is called with a snapshot after each successful fetch, not after a failure', async () => {
    published = [k1.jwk]
    const set = vi.fn<JwksStore['set']>()
    const store: JwksStore = { get: () => undefined, set }
    const { cache, clock } = setup({ store })
    await cache.resolve(rs('k1'))
    expect(set).toHaveBeenCalledTimes(1)
    expect(set).toHaveBeenLastCalledWith(JWKS_URI, {
      version: 1,
      jwksUri: JWKS_URI,
      jwks: { keys: [k1.jwk] },
      fetchedAt: T0,
      expiresAt: T0 + 600_000,
    })
    published = [k1.jwk, k2.jwk]
    clock.t = T0 + 1_000
    await cache.reload()
    expect(set).toHaveBeenCalledTimes(2)
    expect(set.mock.calls[1]![1]).toMatchObject({
      fetchedAt: T0 + 1_000,
      jwks: { keys: [k1.jwk, k2.jwk] },
    })
    mode = 'down'
    await expect(cache.reload()).rejects.toMatchObject(unavailable)
    expect(set).toHaveBeenCalledTimes(2)
  })
})

describe('events', () => {
  it('fetch events carry the reason: cold, unknown-kid, manual, expired, retry', async () => {
    published = [k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 60_000, cooldown: 30_000 })
    await cache.resolve(rs('k1')) // cold
    await expect(cache.resolve(rs('zz'))).rejects.toMatchObject(noMatch) // unknown-kid
    await cache.reload() // manual
    clock.t = T0 + 60_001
    mode = 'down'
    await cache.resolve(rs('k1')) // expired (fails in the background)
    await fetchesSettled(fetches, 4)
    mode = 'ok'
    clock.t = T0 + 61_001
    await cache.resolve(rs('k1')) // retry
    await fetchesSettled(fetches, 5)
    expect(fetches().map((e) => [e.reason, e.ok])).toEqual([
      ['cold', true],
      ['unknown-kid', true],
      ['manual', true],
      ['expired', false],
      ['retry', true],
    ])
    for (const e of fetches()) {
      expect(e.durationMs).toBeGreaterThanOrEqual(0)
      if (e.ok) {
        expect(e.keyCount).toBe(1)
        expect(e.error).toBeUndefined()
      } else {
        expect(e.error).toBeInstanceOf(JwksError)
        expect(e.error).toMatchObject(unavailable)
        expect(e.keyCount).toBeUndefined()
      }
    }
  })

  it('stale, rotation, unknown-kid and import events', async () => {
    published = [k1.jwk]
    const { cache, clock, events } = setup({ maxAge: 60_000 })
    await cache.resolve(rs('k1'))
    published = [k2.jwk]
    await expect(cache.resolve(rs('k2'))).resolves.toEqual([k2.jwk])
    await expect(cache.resolve(rs('nope'))).rejects.toMatchObject(noMatch)
    mode = 'garbage'
    clock.t = T0 + 70_000
    expect(cache.peek(rs('k2'))).toEqual([k2.jwk])
    await vi.waitFor(() => expect(events.at(-1)?.type).toBe('stale'))
    const b = setup({ snapshot: cache.export()! })
    const all = [...events, ...b.events].map(({ type, ...rest }) =>
      type === 'fetch' ? { type, reason: (rest as JwksFetchEvent).reason } : { type, ...rest },
    )
    expect(all).toEqual([
      { type: 'fetch', reason: 'cold' },
      { type: 'unknown-kid', kid: 'k2', refetched: true },
      { type: 'rotation', added: ['k2'], removed: ['k1'] },
      { type: 'fetch', reason: 'unknown-kid' },
      { type: 'unknown-kid', kid: 'nope', refetched: false },
      { type: 'fetch', reason: 'expired' },
      { type: 'stale', staleForMs: 10_000, error: expect.objectContaining(unavailable) },
      { type: 'import', source: 'snapshot', used: true },
    ])
  })

  it('an unknown-kid event for a token without kid names the kid as empty', async () => {
    published = [k1.jwk]
    const { cache, ofType } = setup()
    await cache.reload()
    await expect(cache.resolve({ alg: 'ES256' })).rejects.toMatchObject(noMatch)
    expect(ofType('unknown-kid')).toEqual([{ type: 'unknown-kid', kid: '', refetched: true }])
  })

  it('an onEvent that throws does not break resolution', async () => {
    published = [k1.jwk]
    const onEvent = vi.fn((_event: JwksCacheEvent) => {
      throw new Error('observer failed')
    })
    const { cache, clock } = setup({ onEvent, maxAge: 60_000 })
    const token = await sign(k1)
    await expect(jwtVerify(token, cache.getKey)).resolves.toBeDefined()
    await expect(cache.resolve(rs('unknown'))).rejects.toMatchObject(noMatch)
    await expect(cache.reload()).resolves.toEqual({ keys: [k1.jwk] })
    mode = 'down'
    clock.t = T0 + 60_001
    await expect(jwtVerify(token, cache.getKey)).resolves.toBeDefined()
    await vi.waitFor(() => expect(onEvent.mock.calls.some(([e]) => e.type === 'stale')).toBe(true))
    await expect(cache.reload()).rejects.toMatchObject(unavailable)
    expect(onEvent.mock.calls.length).toBeGreaterThanOrEqual(6)
  })

  it('events carry no key material beyond kids', async () => {
    published = [k1.jwk]
    const store: JwksStore = {
      get: () => {
        throw new Error('nope')
      },
      set: () => {},
    }
    const { cache, clock, events } = setup({ maxAge: 60_000, store })
    await cache.resolve(rs('k1'))
    published = [k2.jwk]
    await cache.resolve(rs('k2'))
    await expect(cache.resolve(rs('forged'))).rejects.toMatchObject(noMatch)
    mode = 'down'
    clock.t = T0 + 60_001
    cache.peek(rs('k2'))
    await vi.waitFor(() => expect(events.some((e) => e.type === 'stale')).toBe(true))
    events.push(...setup({ snapshot: cache.export()! }).events)
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(['store-error', 'fetch', 'unknown-kid', 'rotation', 'stale', 'import']),
    )
    for (const event of events) {
      const json = JSON.stringify(event)
      expect(json).not.toContain('"n":')
      expect(json).not.toContain('"e":')
      expect(json).not.toContain(k1.jwk.n)
      expect(json).not.toContain(k2.jwk.n)
    }
  })
})

describe('reload()', () => {
  it('bypasses the back-off', async () => {
    published = [k1.jwk]
    mode = 'down'
    const { cache, fetches } = setup()
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable) // fails fast
    expect(hits).toBe(1)
    await expect(cache.reload()).rejects.toMatchObject(unavailable)
    expect(hits).toBe(2)
    mode = 'ok'
    await expect(cache.reload()).resolves.toEqual({ keys: [k1.jwk] })
    expect(hits).toBe(3)
    expect(fetches().map((e) => [e.reason, e.ok])).toEqual([
      ['cold', false],
      ['manual', false],
      ['manual', true],
    ])
    // Success clears the failure state: the back-off is gone.
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([k1.jwk])
    expect(hits).toBe(3)
  })

  it("a caller's abort rejects only that caller with ERR_ABORTED", async () => {
    published = [k1.jwk]
    gate = deferred()
    const { cache } = setup()
    const controller = new AbortController()
    const aborted = cache.reload({ signal: controller.signal })
    const abortedResolve = cache.resolve(rs('k1'), { signal: controller.signal })
    const other = cache.resolve(rs('k1'))
    const otherReload = cache.reload()
    await vi.waitFor(() => expect(hits).toBe(1))
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    await expect(abortedResolve).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    gate.release()
    await expect(other).resolves.toEqual([k1.jwk])
    await expect(otherReload).resolves.toEqual({ keys: [k1.jwk] })
    expect(hits).toBe(1)
    // The abort left no failure behind: no back-off, keys present.
    expect(cache.peek(rs('k1'))).toEqual([k1.jwk])
    await expect(cache.reload()).resolves.toEqual({ keys: [k1.jwk] })
    expect(hits).toBe(2)
  })
})

describe('reloads after a key rotation (reloadCachesOf)', () => {
  it('does not join a fetch that started before the rotation was published', async () => {
    const { reloadCachesOf } = await import('../../../src/jwks/registry.js')
    const uri = 'https://rotation.example.com/oauth2/default/v1/keys'
    let keys: JWK[] = [k1.jwk]
    let calls = 0
    const hold = deferred()
    server.use(
      http.get(uri, async () => {
        calls++
        const seen = keys // what the server had when the request arrived
        if (calls === 1) await hold.promise
        return HttpResponse.json({ keys: seen })
      }),
    )
    const cache = createJwksCache({ jwksUri: uri })
    const early = cache.reload() // in flight before the rotation
    await vi.waitFor(() => expect(calls).toBe(1))
    keys = [k2.jwk, k1.jwk] // the rotation is published
    const reloading = reloadCachesOf(uri)
    hold.release()
    await early
    expect(await reloading).toBeGreaterThanOrEqual(1)
    expect(calls).toBe(2)
    expect(cache.jwks?.keys.map((k) => k.kid)).toEqual(['k2', 'k1'])
  })
})
