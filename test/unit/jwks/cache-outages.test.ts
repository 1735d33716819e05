// A failing or slow JWKS endpoint: stale keys within maxStale, back-off, timeouts
// per call on a shared fetch, and reload() bypassing the back-off or aborted.
// The fake endpoint, keys and helpers are in cache-harness.ts.
import { describe, expect, it, vi } from 'vitest'
import { JwksError } from '../../../src/index.js'
import {
  deferred,
  elapse,
  fetchesSettled,
  jwks,
  keyring,
  resolve,
  rs,
  settle,
  setup,
  sign,
  T0,
  unavailable,
  useJwksHarness,
} from './cache-harness.js'

useJwksHarness()

describe('outages and stale-while-revalidate', () => {
  it('past expiresAt peek still answers and starts one background refresh', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 60_000 })
    await cache.resolve(rs('k1'))
    clock.t = T0 + 60_001
    jwks.gate = deferred()
    for (let i = 0; i < 50; i++) expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
    for (let i = 0; i < 50; i++)
      await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    await vi.waitFor(() => expect(jwks.hits).toBe(2))
    jwks.gate.release()
    await fetchesSettled(fetches, 2)
    expect(fetches()[1]).toMatchObject({ reason: 'expired', ok: true })
    expect(cache.export()!.expiresAt).toBe(T0 + 60_001 + 60_000)
    expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
    await elapse(10)
    expect(jwks.hits).toBe(2)
  })

  it.each([
    ['down', 'ERR_JWKS_UNAVAILABLE'],
    ['garbage', 'ERR_JWKS_UNAVAILABLE'],
    ['refused', 'ERR_JWKS_UNAVAILABLE'],
    ['slow', 'ERR_TIMEOUT'],
  ] as const)(
    'known keys keep resolving within maxStale while the endpoint is %s',
    async (m, code) => {
      jwks.published = [keyring.k1.jwk]
      const { cache, clock, fetches, ofType } = setup({
        maxAge: 60_000,
        maxStale: 3_600_000,
        timeout: 50,
      })
      const token = await sign(keyring.k1)
      await resolve(cache, token)
      jwks.mode = m
      clock.t = T0 + 120_000
      await expect(resolve(cache, token)).resolves.toBeDefined()
      expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
      await fetchesSettled(fetches, 2)
      expect(fetches()[1]).toMatchObject({ reason: 'expired', ok: false, error: { code } })
      expect(ofType('stale')).toHaveLength(1)
      expect(ofType('stale')[0]).toMatchObject({ staleForMs: 60_000, error: { code } })
      // Still within maxStale: keys verify, and the failed background fetch made one request.
      clock.t = T0 + 60_000 + 3_600_000
      await expect(resolve(cache, token)).resolves.toBeDefined()
      await fetchesSettled(fetches, 3)
      expect(jwks.hits).toBe(3)
      expect(fetches()[2]).toMatchObject({ reason: 'retry', ok: false })
    },
  )

  it('background retries back off 1 s, 2 s, 4 s … capped at the cooldown, then recover', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, fetches, ofType } = setup({
      maxAge: 60_000,
      cooldown: 5_000,
    })
    await cache.resolve(rs('k1'))
    jwks.mode = 'down'
    let t = T0 + 60_001
    clock.t = t
    await cache.resolve(rs('k1')) // first background attempt
    await fetchesSettled(fetches, 2)
    expect(jwks.hits).toBe(2)
    let n = 2
    for (const wait of [1_000, 2_000, 4_000, 5_000, 5_000]) {
      // Before the next retry is due: lookups answer from the stale keys, no request.
      clock.t = t + wait - 1
      for (let i = 0; i < 5; i++) expect(await cache.resolve(rs('k1'))).toEqual([keyring.k1.jwk])
      expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
      await elapse(5)
      expect(jwks.hits).toBe(n)
      // Due: one retry.
      t += wait
      clock.t = t
      expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
      await cache.resolve(rs('k1'))
      n++
      await fetchesSettled(fetches, n)
      expect(jwks.hits).toBe(n)
      expect(fetches()[n - 1]).toMatchObject({ reason: 'retry', ok: false })
    }
    expect(ofType('stale')).toHaveLength(n - 1)
    // The endpoint recovers: the next retry refreshes the keys.
    jwks.mode = 'ok'
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    t += 5_000
    clock.t = t
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, n + 1)
    expect(fetches()[n]).toMatchObject({ reason: 'retry', ok: true, keyCount: 2 })
    expect(cache.export()).toMatchObject({ fetchedAt: t, expiresAt: t + 60_000 })
    expect(cache.peek(rs('k2'))).toEqual([keyring.k2.jwk])
    // Fresh again: no request until the new expiry.
    clock.t = t + 60_000
    await cache.resolve(rs('k1'))
    await elapse(5)
    expect(jwks.hits).toBe(n + 1)
  })

  it('past expiresAt + maxStale a lookup must fetch and fails when the endpoint is down', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 60_000, maxStale: 600_000 })
    await cache.resolve(rs('k1'))
    jwks.mode = 'down'
    clock.t = T0 + 60_000 + 600_001
    expect(cache.peek(rs('k1'))).toBeUndefined()
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(jwks.hits).toBe(2)
    expect(fetches()[1]).toMatchObject({ reason: 'expired', ok: false })
    // Within the back-off: fails fast, no request.
    clock.t += 999
    const error = await cache.resolve(rs('k1')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JwksError)
    expect(error).toMatchObject(unavailable)
    expect((error as Error).cause).toMatchObject(unavailable)
    expect(jwks.hits).toBe(2)
    // Back up after the back-off: the lookup fetches and succeeds.
    jwks.mode = 'ok'
    clock.t += 1
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(3)
  })

  it('a cold cache while the endpoint is down fails fast within the back-off window', async () => {
    jwks.published = [keyring.k1.jwk]
    jwks.mode = 'refused'
    const { cache, clock } = setup()
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(jwks.hits).toBe(1)
    const burst = await Promise.allSettled(
      Array.from({ length: 100 }, () => cache.resolve(rs('k1'))),
    )
    expect(burst.every((r) => r.status === 'rejected')).toBe(true)
    expect(jwks.hits).toBe(1)
    clock.t = T0 + 999
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(jwks.hits).toBe(1)
    clock.t = T0 + 1_000
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(jwks.hits).toBe(2)
    // The second failure doubles the back-off.
    clock.t = T0 + 2_999
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    expect(jwks.hits).toBe(2)
    jwks.mode = 'ok'
    clock.t = T0 + 3_000
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(3)
  })

  it.each([
    ['the cache option', { timeout: 50 }, undefined],
    ['the call option', {}, { timeout: 50 }],
  ] as const)(
    'a slow endpoint fails a resolve with ERR_TIMEOUT after %s',
    async (_, options, call) => {
      jwks.published = [keyring.k1.jwk]
      jwks.mode = 'slow'
      const { cache } = setup(options)
      const started = performance.now()
      const error = await settle(cache.resolve(rs('k1'), call).catch((e: unknown) => e))
      const elapsed = performance.now() - started
      expect(error).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
      expect(elapsed).toBeGreaterThanOrEqual(45)
      expect(elapsed).toBeLessThan(900) // the endpoint answers after 1 s: it did not wait for it
      expect(jwks.hits).toBe(1)
    },
  )
})

describe('per-call timeouts on a shared fetch', () => {
  it('a caller joining a fetch under way stops waiting after its own timeout', async () => {
    jwks.published = [keyring.k1.jwk]
    jwks.mode = 'slow'
    const { cache } = setup()
    const first = cache.resolve(rs('k1'))
    await vi.waitFor(() => expect(jwks.hits).toBe(1))
    const started = performance.now()
    await expect(settle(cache.resolve(rs('k1'), { timeout: 50 }))).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
      timeout: 50,
    })
    await expect(settle(cache.reload({ timeout: 50 }))).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
    })
    expect(performance.now() - started).toBeLessThan(900)
    await expect(settle(first)).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(1)
  })

  it("a starter's short timeout does not fail the callers that join its fetch", async () => {
    jwks.published = [keyring.k1.jwk]
    jwks.mode = 'slow'
    const { cache, fetches } = setup()
    const short = cache.resolve(rs('k1'), { timeout: 50 })
    const patient = cache.resolve(rs('k1'))
    const patientReload = cache.reload()
    await expect(settle(short)).rejects.toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
    await expect(settle(patient)).resolves.toEqual([keyring.k1.jwk])
    await expect(patientReload).resolves.toEqual({ keys: [keyring.k1.jwk] })
    expect(jwks.hits).toBe(1)
    expect(fetches()).toMatchObject([{ reason: 'cold', ok: true }])
  })

  it('a caller timing out on an unknown-kid refetch gets ERR_TIMEOUT; the kid is not remembered', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, fetches } = setup()
    await cache.resolve(rs('k1'))
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    jwks.mode = 'slow'
    await expect(settle(cache.resolve(rs('k2'), { timeout: 50 }))).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
    })
    await fetchesSettled(fetches, 2)
    expect(fetches()[1]).toMatchObject({ reason: 'unknown-kid', ok: true })
    await expect(cache.resolve(rs('k2'))).resolves.toEqual([keyring.k2.jwk])
    expect(jwks.hits).toBe(2)
  })

  it('an invalid call timeout is refused with ERR_INVALID_OPTION and counts as no failure', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, fetches } = setup()
    await expect(cache.reload({ timeout: 0 })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    })
    await fetchesSettled(fetches, 1)
    expect(fetches()[0]).toMatchObject({ ok: true })
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(1)
  })
})

describe('reload()', () => {
  it('bypasses the back-off', async () => {
    jwks.published = [keyring.k1.jwk]
    jwks.mode = 'down'
    const { cache, fetches } = setup()
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable)
    await expect(cache.resolve(rs('k1'))).rejects.toMatchObject(unavailable) // fails fast
    expect(jwks.hits).toBe(1)
    await expect(cache.reload()).rejects.toMatchObject(unavailable)
    expect(jwks.hits).toBe(2)
    jwks.mode = 'ok'
    await expect(cache.reload()).resolves.toEqual({ keys: [keyring.k1.jwk] })
    expect(jwks.hits).toBe(3)
    expect(fetches().map((e) => [e.reason, e.ok])).toEqual([
      ['cold', false],
      ['manual', false],
      ['manual', true],
    ])
    // Success clears the failure state: the back-off is gone.
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(3)
  })

  it("a caller's abort rejects only that caller with ERR_ABORTED", async () => {
    jwks.published = [keyring.k1.jwk]
    jwks.gate = deferred()
    const { cache } = setup()
    const controller = new AbortController()
    const aborted = cache.reload({ signal: controller.signal })
    const abortedResolve = cache.resolve(rs('k1'), { signal: controller.signal })
    const other = cache.resolve(rs('k1'))
    const otherReload = cache.reload()
    await vi.waitFor(() => expect(jwks.hits).toBe(1))
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    await expect(abortedResolve).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    jwks.gate.release()
    await expect(other).resolves.toEqual([keyring.k1.jwk])
    await expect(otherReload).resolves.toEqual({ keys: [keyring.k1.jwk] })
    expect(jwks.hits).toBe(1)
    // The abort left no failure behind: no back-off, keys present.
    expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
    await expect(cache.reload()).resolves.toEqual({ keys: [keyring.k1.jwk] })
    expect(jwks.hits).toBe(2)
  })
})
