import type { JWK } from 'jose'
import { delay, HttpResponse, http } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJwksCache, InvalidOptionError, JwksError } from '../../../src/index.js'
import { server } from '../msw.js'
import { JWKS_URI, makeKey, resolve, settle, sign } from './cache-harness.js'

// Time is fake (Date aside): the slow endpoint's 300 ms and the timeouts run
// on vitest's clock. setImmediate stays real, to let the process run.
beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
  })
})
afterEach(() => {
  vi.useRealTimers()
})

let published: JWK[]
let hits: number
let mode: 'ok' | 'down' | 'garbage' | 'slow'
beforeEach(() => {
  published = []
  hits = 0
  mode = 'ok'
  server.use(
    http.get(JWKS_URI, async () => {
      hits++
      if (mode === 'down') return HttpResponse.json({ errorCode: 'E0000009' }, { status: 503 })
      if (mode === 'garbage')
        return new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } })
      if (mode === 'slow') await delay(300)
      return HttpResponse.json({ keys: published })
    }),
  )
})

describe('createJwksCache', () => {
  it('shares one request among concurrent cold misses', async () => {
    const k1 = await makeKey('k1')
    published = [k1.jwk]
    const cache = createJwksCache({ jwksUri: JWKS_URI })
    const token = await sign(k1)
    const keys = await Promise.all(Array.from({ length: 50 }, () => resolve(cache, token)))
    expect(keys).toHaveLength(50)
    expect(hits).toBe(1)
  })

  it('refetches at once for the first unknown kid (a fresh rotation verifies on first use)', async () => {
    const [k1, k2] = await Promise.all([makeKey('k1'), makeKey('k2')])
    published = [k1.jwk]
    const cache = createJwksCache({ jwksUri: JWKS_URI })
    await resolve(cache, await sign(k1))
    published = [k2.jwk, k1.jwk]
    await expect(resolve(cache, await sign(k2))).resolves.toBeDefined()
    expect(hits).toBe(2)
  })

  it('refetches for unknown kids at most once per cooldown', async () => {
    const k1 = await makeKey('k1')
    published = [k1.jwk]
    let t = 1_000_000
    const cache = createJwksCache({ jwksUri: JWKS_URI, cooldown: 30_000, now: () => t })
    await resolve(cache, await sign(k1))
    const forged = await Promise.all(['a', 'b', 'c'].map(async (kid) => sign(await makeKey(kid))))
    for (const token of forged) {
      await expect(resolve(cache, token)).rejects.toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      })
    }
    expect(hits).toBe(2) // initial + one refetch; the rest were inside the cooldown
    t += 30_001
    await expect(resolve(cache, forged[0]!)).rejects.toBeInstanceOf(JwksError)
    expect(hits).toBe(3)
  })

  it('refetches keys older than maxAge', async () => {
    const k1 = await makeKey('k1')
    published = [k1.jwk]
    let t = 0
    const cache = createJwksCache({ jwksUri: JWKS_URI, maxAge: 60_000, now: () => t })
    const token = await sign(k1)
    await resolve(cache, token)
    t = 59_000
    await resolve(cache, token)
    expect(hits).toBe(1)
    t = 61_000
    // Past maxAge the stale key still answers and the refresh runs in the background.
    await resolve(cache, token)
    await vi.waitFor(() => expect(hits).toBe(2))
    await vi.waitFor(() => expect(cache.export()?.fetchedAt).toBe(61_000))
  })

  it('keeps verifying with known keys while the endpoint is down, within maxStale', async () => {
    const k1 = await makeKey('k1')
    published = [k1.jwk]
    let t = 0
    const cache = createJwksCache({
      jwksUri: JWKS_URI,
      maxAge: 1_000,
      maxStale: 10_000,
      now: () => t,
    })
    const token = await sign(k1)
    await resolve(cache, token)
    mode = 'down'
    t = 5_000
    await expect(resolve(cache, token)).resolves.toBeDefined()
    t = 20_000
    await expect(resolve(cache, token)).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
  })

  it.each([
    ['down', 'ERR_JWKS_UNAVAILABLE'],
    ['garbage', 'ERR_JWKS_UNAVAILABLE'],
  ] as const)('fails a cold cache with a typed error when the endpoint is %s', async (m, code) => {
    mode = m
    const cache = createJwksCache({ jwksUri: JWKS_URI })
    await expect(resolve(cache, await sign(await makeKey('k1')))).rejects.toMatchObject({ code })
  })

  it('rejects a JSON body that is not a key set', async () => {
    server.use(http.get(JWKS_URI, () => HttpResponse.json({ keys: 'nope' })))
    const cache = createJwksCache({ jwksUri: JWKS_URI })
    await expect(cache.reload()).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
  })

  it('times out a slow endpoint', async () => {
    mode = 'slow'
    const cache = createJwksCache({ jwksUri: JWKS_URI, timeout: 50 })
    await expect(settle(cache.reload())).rejects.toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
  })

  it('a failed load is not cached: after a short back-off the next call tries again', async () => {
    const k1 = await makeKey('k1')
    published = [k1.jwk]
    mode = 'down'
    let t = 0
    const cache = createJwksCache({ jwksUri: JWKS_URI, now: () => t })
    await expect(cache.reload()).rejects.toBeInstanceOf(JwksError)
    mode = 'ok'
    // Within the back-off a cold cache fails fast without a request...
    await expect(resolve(cache, await sign(k1))).rejects.toMatchObject({
      code: 'ERR_JWKS_UNAVAILABLE',
    })
    expect(hits).toBe(1)
    // ...then tries again.
    t = 1_001
    await expect(resolve(cache, await sign(k1))).resolves.toBeDefined()
    expect(hits).toBe(2)
    expect(cache.jwks?.keys).toHaveLength(1)
  })

  it('refuses http: off loopback and accepts it on loopback', () => {
    expect(() => createJwksCache({ jwksUri: 'http://example.com/keys' })).toThrow(
      InvalidOptionError,
    )
    expect(() => createJwksCache({ jwksUri: 'http://127.0.0.1:8080/keys' })).not.toThrow()
    expect(() =>
      createJwksCache({ jwksUri: 'http://example.com/keys', allowInsecureRequests: true }),
    ).not.toThrow()
  })

  it("one caller's abort does not fail a concurrent reload, and each caller can abort its own wait", async () => {
    const k1 = await makeKey('k1')
    published = [k1.jwk]
    mode = 'slow'
    const cache = createJwksCache({ jwksUri: JWKS_URI })
    const controller = new AbortController()
    const aborted = cache.reload({ signal: controller.signal })
    const other = cache.reload()
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    await expect(settle(other)).resolves.toMatchObject({
      keys: [expect.objectContaining({ kid: 'k1' })],
    })
    expect(hits).toBe(1)
    await expect(cache.reload({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    })
    expect(hits).toBe(1)
  })
})
