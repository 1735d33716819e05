// Key rotation: unknown kids refetch within a cooldown, the negative kid cache
// bounds what forged kids cost, and reloadCachesOf sees a rotation just published.
// The fake endpoint, keys and helpers are in cache-harness.ts.
import type { JWK } from 'jose'
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createJwksCache, JwksError } from '../../../src/index.js'
import { server } from '../msw.js'
import { deferred, jwks, keyring, noMatch, rs, setup, T0, useJwksHarness } from './cache-harness.js'

useJwksHarness()

describe('rotation', () => {
  it('the first unknown kid refetches at once and the new key is returned', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, ofType } = setup()
    await cache.resolve(rs('k1'))
    jwks.published = [keyring.k2.jwk, keyring.k1.jwk]
    const keys = await cache.resolve(rs('k2'))
    expect(keys).toEqual([keyring.k2.jwk])
    expect(jwks.hits).toBe(2)
    expect(ofType('unknown-kid')).toEqual([{ type: 'unknown-kid', kid: 'k2', refetched: true }])
    expect(ofType('rotation')).toEqual([{ type: 'rotation', added: ['k2'], removed: [] }])
    expect(ofType('fetch').map((e) => e.reason)).toEqual(['cold', 'unknown-kid'])
  })

  it('within the cooldown further unknown kids cause no request; after it one more refetch', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, ofType } = setup({ cooldown: 30_000 })
    await cache.resolve(rs('k1'))
    await expect(cache.resolve(rs('x1'))).rejects.toMatchObject(noMatch)
    expect(jwks.hits).toBe(2)
    // A key published now is not seen until the cooldown ends (the price of the bound).
    jwks.published = [keyring.k1.jwk, keyring.k3.jwk]
    clock.t = T0 + 10_000
    await expect(cache.resolve(rs('x2'))).rejects.toMatchObject(noMatch)
    clock.t = T0 + 29_999
    await expect(cache.resolve(rs('x3'))).rejects.toMatchObject(noMatch)
    expect(jwks.hits).toBe(2)
    clock.t = T0 + 30_000
    await expect(cache.resolve(rs('k3'))).resolves.toEqual([keyring.k3.jwk])
    expect(jwks.hits).toBe(3)
    // And the cooldown starts over.
    await expect(cache.resolve(rs('x4'))).rejects.toMatchObject(noMatch)
    expect(jwks.hits).toBe(3)
    expect(ofType('unknown-kid').map((e) => [e.kid, e.refetched])).toEqual([
      ['x1', true],
      ['x2', false],
      ['x3', false],
      ['k3', true],
      ['x4', false],
    ])
  })

  it('unknown-kid lookups during an in-flight miss refetch join it; a legit new kid among them resolves', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, fetches } = setup()
    await cache.resolve(rs('k1'))
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    jwks.gate = deferred()
    const kids = ['f1', 'k2', 'f2', 'f3', 'k2', 'f4']
    const settled = Promise.allSettled(kids.map((kid) => cache.resolve(rs(kid))))
    await vi.waitFor(() => expect(jwks.hits).toBe(2))
    jwks.gate.release()
    const results = await settled
    expect(jwks.hits).toBe(2)
    expect(fetches()).toHaveLength(2)
    results.forEach((r, i) => {
      if (kids[i] === 'k2') expect(r).toEqual({ status: 'fulfilled', value: [keyring.k2.jwk] })
      else expect(r).toMatchObject({ status: 'rejected', reason: noMatch })
    })
  })
})

describe('negative kid cache', () => {
  const forged = (n: number) =>
    Array.from({ length: n }, (_, i) => `forged-${i}-${Math.random().toString(36).slice(2)}`)

  it('1000 distinct forged kids in a burst on a warm cache cost at most one request', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache } = setup()
    await cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(1)
    const kids = forged(1_000)
    expect(new Set(kids).size).toBe(1_000)
    const results = await Promise.allSettled(kids.map((kid) => cache.resolve(rs(kid))))
    expect(jwks.hits - 1).toBeLessThanOrEqual(1)
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    for (const r of results) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(JwksError)
      expect((r as PromiseRejectedResult).reason).toMatchObject(noMatch)
    }
    // A second burst of the same kids costs nothing.
    const again = await Promise.allSettled(kids.map((kid) => cache.resolve(rs(kid))))
    expect(again.every((r) => r.status === 'rejected')).toBe(true)
    expect(jwks.hits - 1).toBeLessThanOrEqual(1)
  })

  it('1000 distinct forged kids on a cold cache cost only the load', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, fetches, ofType } = setup()
    const results = await Promise.allSettled(forged(1_000).map((kid) => cache.resolve(rs(kid))))
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject(noMatch)
    // The key set was fetched for these very lookups: refetching could not help.
    expect(jwks.hits).toBe(1)
    expect(fetches()).toMatchObject([{ reason: 'cold', ok: true }])
    expect(ofType('unknown-kid').filter((e) => e.refetched)).toHaveLength(0)
    // The key the cold fetch brought still resolves.
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(1)
  })

  it('an unknown kid is remembered only until the next refetch is allowed', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, ofType } = setup({ cooldown: 30_000 })
    await cache.resolve(rs('k1'))
    await expect(cache.resolve(rs('a'))).rejects.toMatchObject(noMatch) // refetch at T0
    clock.t = T0 + 20_000
    await expect(cache.resolve(rs('b'))).rejects.toMatchObject(noMatch) // remembered until T0+30s
    await expect(cache.resolve(rs('b'))).rejects.toMatchObject(noMatch)
    expect(jwks.hits).toBe(2)
    // The cooldown is over: b may be a key rotated in meanwhile, so it refetches once...
    clock.t = T0 + 35_000
    jwks.published = [keyring.k1.jwk, { ...keyring.k1.jwk, kid: 'b' }]
    await expect(cache.resolve(rs('b'))).resolves.toHaveLength(1)
    expect(jwks.hits).toBe(3)
    // ...and c, seen inside the new cooldown, costs nothing.
    await expect(cache.resolve(rs('c'))).rejects.toMatchObject(noMatch)
    expect(jwks.hits).toBe(3)
    expect(ofType('unknown-kid').map((e) => [e.kid, e.refetched])).toEqual([
      ['a', true],
      ['b', false],
      ['b', false],
      ['b', true],
      ['c', false],
    ])
  })

  it('maxUnknownKids bounds memory without letting evicted kids cost requests', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, ofType } = setup({ cooldown: 30_000, maxUnknownKids: 2 })
    await cache.resolve(rs('k1'))
    await expect(cache.resolve(rs('a'))).rejects.toMatchObject(noMatch) // refetch, lastMiss T0
    clock.t = T0 + 20_000
    // A capacity of 2 keeps only the last two; the cooldown still holds for the evicted ones.
    for (const kid of ['b', 'c', 'd', 'b']) {
      await expect(cache.resolve(rs(kid))).rejects.toMatchObject(noMatch)
    }
    expect(jwks.hits).toBe(2)
    expect(
      ofType('unknown-kid')
        .slice(-4)
        .map((e) => e.refetched),
    ).toEqual([false, false, false, false])
    // After the cooldown one of them refetches once, for all.
    clock.t = T0 + 35_000
    await expect(cache.resolve(rs('b'))).rejects.toMatchObject(noMatch)
    await expect(cache.resolve(rs('c'))).rejects.toMatchObject(noMatch)
    expect(jwks.hits).toBe(3)
  })

  it('a kid that appears in a later fetch is forgotten by the negative cache', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock } = setup({ cooldown: 30_000, maxAge: 600_000 })
    await cache.resolve(rs('k1'))
    await expect(cache.resolve(rs('k2'))).rejects.toMatchObject(noMatch)
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    clock.t = T0 + 1_000
    await cache.reload()
    await expect(cache.resolve(rs('k2'))).resolves.toEqual([keyring.k2.jwk])
    expect(jwks.hits).toBe(3)
  })
})

describe('reloads after a key rotation (reloadCachesOf)', () => {
  it('does not join a fetch that started before the rotation was published', async () => {
    const { reloadCachesOf } = await import('../../../src/jwks/registry.js')
    const uri = 'https://rotation.example.com/oauth2/default/v1/keys'
    let keys: JWK[] = [keyring.k1.jwk]
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
    keys = [keyring.k2.jwk, keyring.k1.jwk] // the rotation is published
    const reloading = reloadCachesOf(uri)
    hold.release()
    await early
    expect(await reloading).toBeGreaterThanOrEqual(1)
    expect(calls).toBe(2)
    expect(cache.jwks?.keys.map((k) => k.kid)).toEqual(['k2', 'k1'])
  })
})
