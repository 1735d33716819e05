// The events a JWKS cache reports through onEvent, and what they carry.
// The fake endpoint, keys and helpers are in cache-harness.ts.
import { jwtVerify } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import {
  type JwksCacheEvent,
  JwksError,
  type JwksFetchEvent,
  type JwksStore,
} from '../../../src/index.js'
import {
  fetchesSettled,
  jwks,
  keyring,
  noMatch,
  rs,
  setup,
  sign,
  T0,
  unavailable,
  useJwksHarness,
} from './cache-harness.js'

useJwksHarness()

describe('events', () => {
  it('fetch events carry the reason: cold, unknown-kid, manual, expired, retry', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 60_000, cooldown: 30_000 })
    await cache.resolve(rs('k1')) // cold
    await expect(cache.resolve(rs('zz'))).rejects.toMatchObject(noMatch) // unknown-kid
    await cache.reload() // manual
    clock.t = T0 + 60_001
    jwks.mode = 'down'
    await cache.resolve(rs('k1')) // expired (fails in the background)
    await fetchesSettled(fetches, 4)
    jwks.mode = 'ok'
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
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, events } = setup({ maxAge: 60_000 })
    await cache.resolve(rs('k1'))
    jwks.published = [keyring.k2.jwk]
    await expect(cache.resolve(rs('k2'))).resolves.toEqual([keyring.k2.jwk])
    await expect(cache.resolve(rs('nope'))).rejects.toMatchObject(noMatch)
    jwks.mode = 'garbage'
    clock.t = T0 + 70_000
    expect(cache.peek(rs('k2'))).toEqual([keyring.k2.jwk])
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
    jwks.published = [keyring.k1.jwk]
    const { cache, ofType } = setup()
    await cache.reload()
    await expect(cache.resolve({ alg: 'ES256' })).rejects.toMatchObject(noMatch)
    expect(ofType('unknown-kid')).toEqual([{ type: 'unknown-kid', kid: '', refetched: true }])
  })

  it('an onEvent that throws does not break resolution', async () => {
    jwks.published = [keyring.k1.jwk]
    const onEvent = vi.fn((_event: JwksCacheEvent) => {
      throw new Error('observer failed')
    })
    const { cache, clock } = setup({ onEvent, maxAge: 60_000 })
    const token = await sign(keyring.k1)
    await expect(jwtVerify(token, cache.getKey)).resolves.toBeDefined()
    await expect(cache.resolve(rs('unknown'))).rejects.toMatchObject(noMatch)
    await expect(cache.reload()).resolves.toEqual({ keys: [keyring.k1.jwk] })
    jwks.mode = 'down'
    clock.t = T0 + 60_001
    await expect(jwtVerify(token, cache.getKey)).resolves.toBeDefined()
    await vi.waitFor(() => expect(onEvent.mock.calls.some(([e]) => e.type === 'stale')).toBe(true))
    await expect(cache.reload()).rejects.toMatchObject(unavailable)
    expect(onEvent.mock.calls.length).toBeGreaterThanOrEqual(6)
  })

  it('events carry no key material beyond kids', async () => {
    jwks.published = [keyring.k1.jwk]
    const store: JwksStore = {
      get: () => {
        throw new Error('nope')
      },
      set: () => {},
    }
    const { cache, clock, events } = setup({ maxAge: 60_000, store })
    await cache.resolve(rs('k1'))
    jwks.published = [keyring.k2.jwk]
    await cache.resolve(rs('k2'))
    await expect(cache.resolve(rs('forged'))).rejects.toMatchObject(noMatch)
    jwks.mode = 'down'
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
      expect(json).not.toContain(keyring.k1.jwk.n)
      expect(json).not.toContain(keyring.k2.jwk.n)
    }
  })
})
