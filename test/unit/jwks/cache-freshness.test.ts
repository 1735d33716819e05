// When a JWKS cache fetches: the lifetime Cache-Control gives the keys, and one
// request for many callers.
// The fake endpoint, keys and helpers are in cache-harness.ts.
import { describe, expect, it, vi } from 'vitest'
import {
  deferred,
  elapse,
  fetchesSettled,
  jwks,
  keyring,
  rs,
  setup,
  T0,
  useJwksHarness,
} from './cache-harness.js'

useJwksHarness()

describe('Cache-Control freshness', () => {
  it('honours a max-age shorter than maxAge: refreshes after it, not before', async () => {
    jwks.published = [keyring.k1.jwk]
    jwks.cacheControl = 'public, max-age=120'
    const { cache, clock, fetches } = setup({ maxAge: 600_000, minAge: 30_000 })
    await cache.resolve(rs('k1'))
    const snapshot = cache.export()!
    expect(snapshot.fetchedAt).toBe(T0)
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(120_000)
    clock.t = T0 + 120_000
    await expect(cache.resolve(rs('k1'))).resolves.toHaveLength(1)
    expect(cache.peek(rs('k1'))).toHaveLength(1)
    await elapse(5)
    expect(jwks.hits).toBe(1)
    clock.t = T0 + 120_001
    await expect(cache.resolve(rs('k1'))).resolves.toHaveLength(1)
    await fetchesSettled(fetches, 2)
    expect(jwks.hits).toBe(2)
    expect(fetches()[1]).toMatchObject({ reason: 'expired', ok: true })
    expect(cache.export()!.fetchedAt).toBe(T0 + 120_001)
  })

  it("caps a very long max-age (Okta's max-age=3832304, must-revalidate) at maxAge", async () => {
    jwks.published = [keyring.k1.jwk]
    jwks.cacheControl = 'max-age=3832304, must-revalidate'
    const { cache, clock, fetches } = setup({ maxAge: 600_000 })
    await cache.reload()
    const snapshot = cache.export()!
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(600_000)
    clock.t = T0 + 600_000
    await cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(1)
    clock.t = T0 + 600_001
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, 2)
    expect(jwks.hits).toBe(2)
  })

  it.each(['no-cache', 'no-store', 'private, no-cache, max-age=300', 'no-store, max-age=300'])(
    'uses minAge for Cache-Control: %s',
    async (value) => {
      jwks.published = [keyring.k1.jwk]
      jwks.cacheControl = value
      const { cache, clock, fetches } = setup({ maxAge: 600_000, minAge: 30_000 })
      await cache.reload()
      const snapshot = cache.export()!
      expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(30_000)
      clock.t = T0 + 30_000
      await cache.resolve(rs('k1'))
      expect(jwks.hits).toBe(1)
      clock.t = T0 + 30_001
      await cache.resolve(rs('k1'))
      await fetchesSettled(fetches, 2)
      expect(jwks.hits).toBe(2)
    },
  )

  it.each(['max-age=5', 'max-age=0'])('raises %s to minAge', async (value) => {
    jwks.published = [keyring.k1.jwk]
    jwks.cacheControl = value
    const { cache, clock, fetches } = setup({ maxAge: 600_000, minAge: 30_000 })
    await cache.reload()
    const snapshot = cache.export()!
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(30_000)
    clock.t = T0 + 29_999
    await cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(1)
    clock.t = T0 + 30_001
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, 2)
    expect(jwks.hits).toBe(2)
  })

  it.each([
    ['MAX-AGE=120', 120_000],
    ['max-age="120"', 120_000],
    ['public, max-age = 120', 120_000],
    ['max-age=abc', 600_000],
    ['s-maxage=60', 600_000],
    ['max-age=99999999999999999999', 600_000],
  ])('parses Cache-Control %s as a lifetime of %i ms', async (value, ttl) => {
    jwks.published = [keyring.k1.jwk]
    jwks.cacheControl = value
    const { cache } = setup({ maxAge: 600_000, minAge: 30_000 })
    await cache.reload()
    const snapshot = cache.export()!
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(ttl)
  })

  it('uses maxAge without a Cache-Control header', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 90_000 })
    await cache.reload()
    const snapshot = cache.export()!
    expect(snapshot.expiresAt - snapshot.fetchedAt).toBe(90_000)
    clock.t = T0 + 90_000
    await cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(1)
    clock.t = T0 + 90_001
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, 2)
    expect(jwks.hits).toBe(2)
  })
})

describe('single-flight', () => {
  it('500 concurrent resolves on a cold cache make exactly one request', async () => {
    jwks.published = [keyring.k1.jwk]
    jwks.gate = deferred()
    const { cache, fetches } = setup()
    const all = Promise.all(Array.from({ length: 500 }, () => cache.resolve(rs('k1'))))
    await vi.waitFor(() => expect(jwks.hits).toBe(1))
    // Cold and still loading: peek cannot answer.
    expect(cache.peek(rs('k1'))).toBeUndefined()
    expect(cache.jwks).toBeUndefined()
    jwks.gate.release()
    const results = await all
    expect(results).toHaveLength(500)
    for (const keys of results) expect(keys).toEqual([keyring.k1.jwk])
    // Every caller got the very same key object.
    expect(new Set(results.map((keys) => keys[0])).size).toBe(1)
    expect(jwks.hits).toBe(1)
    expect(fetches()).toMatchObject([{ reason: 'cold', ok: true, keyCount: 1 }])
  })

  it('peek answers undefined on a cold cache and starts no request', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache } = setup()
    const answers = Array.from({ length: 20 }, () => cache.peek(rs('k1')))
    expect(answers.every((a) => a === undefined)).toBe(true)
    await elapse(20)
    expect(jwks.hits).toBe(0)
  })
})
