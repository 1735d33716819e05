// Persistence: export() and import(), the snapshot option, and stores shared by
// caches.
// The fake endpoint, keys and helpers are in cache-harness.ts.
import { delay } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createMemoryJwksStore, type JwksSnapshot, type JwksStore } from '../../../src/index.js'
import {
  fetchesSettled,
  JWKS_URI,
  jwks,
  keyring,
  noMatch,
  rs,
  settle,
  setup,
  T0,
  tick,
  unavailable,
  useJwksHarness,
} from './cache-harness.js'

useJwksHarness()

describe('persistence', () => {
  it('export() then import() into a fresh cache resolves with no request', async () => {
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    const a = setup()
    await a.cache.resolve(rs('k1'))
    const snapshot = a.cache.export()!
    expect(snapshot).toEqual({
      version: 1,
      jwksUri: JWKS_URI,
      jwks: { keys: [keyring.k1.jwk, keyring.k2.jwk] },
      fetchedAt: T0,
      expiresAt: T0 + 600_000,
    })
    // export() hands out a copy.
    snapshot.jwks.keys.push(keyring.k3.jwk)
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
    await expect(b.cache.resolve(rs('k2'))).resolves.toEqual([keyring.k2.jwk])
    expect(b.cache.export()).toEqual(snapshot)
    expect(jwks.hits).toBe(1)
    // import() is not reported as a store or snapshot import.
    expect(b.ofType('import')).toEqual([])
  })

  const good = (): JwksSnapshot => ({
    version: 1,
    jwksUri: JWKS_URI,
    jwks: { keys: [keyring.k1.jwk] },
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
    jwks.published = [keyring.k1.jwk]
    const { cache } = setup()
    expect(cache.import(make() as unknown as JwksSnapshot)).toBe(false)
    expect(cache.jwks).toBeUndefined()
    expect(cache.export()).toBeUndefined()
    expect(cache.peek(rs('k1'))).toBeUndefined()
    await cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(1)
  })

  it('import accepts a snapshot past expiresAt but within maxStale (and refreshes it in the background)', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, fetches } = setup()
    expect(cache.import({ ...good(), expiresAt: T0 - 86_400_000 })).toBe(true)
    expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
    await fetchesSettled(fetches, 1)
    expect(fetches()[0]).toMatchObject({ reason: 'expired', ok: true })
    expect(jwks.hits).toBe(1)
  })

  it('import refuses a snapshot older than the keys already held', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache } = setup()
    await cache.reload()
    expect(cache.import({ ...good(), jwks: { keys: [keyring.k2.jwk] } })).toBe(false)
    expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
    expect(cache.peek(rs('k2'))).toBeUndefined()
  })

  it("caps an imported snapshot's expiresAt at fetchedAt + maxAge", async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache, clock, fetches } = setup({ maxAge: 60_000 })
    expect(cache.import({ ...good(), fetchedAt: T0, expiresAt: T0 + 86_400_000 })).toBe(true)
    expect(cache.export()).toMatchObject({ fetchedAt: T0, expiresAt: T0 + 60_000 })
    clock.t = T0 + 60_000
    await cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(0)
    clock.t = T0 + 60_001
    await cache.resolve(rs('k1'))
    await fetchesSettled(fetches, 1)
    expect(jwks.hits).toBe(1)
  })

  it('the snapshot option seeds the cache at construction', async () => {
    jwks.published = [keyring.k1.jwk]
    const fresh = setup({ snapshot: good() })
    expect(fresh.ofType('import')).toEqual([{ type: 'import', source: 'snapshot', used: true }])
    expect(fresh.cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
    await expect(fresh.cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(0)
    const old = setup({ snapshot: { ...good(), expiresAt: T0 - 86_400_001 } })
    expect(old.ofType('import')).toEqual([{ type: 'import', source: 'snapshot', used: false }])
    expect(old.cache.peek(rs('k1'))).toBeUndefined()
    await expect(old.cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(1)
  })

  it('a memory store shared by two caches: the second one starts without a request', async () => {
    jwks.published = [keyring.k1.jwk]
    const store = createMemoryJwksStore()
    const a = setup({ store })
    await a.cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(1)
    const b = setup({ store })
    b.clock.t = T0 + 5_000
    await expect(b.cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(1)
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
    jwks.published = [keyring.k1.jwk]
    const store = createMemoryJwksStore()
    const a = setup({ store })
    const b = setup({ store })
    await a.cache.resolve(rs('k1'))
    b.clock.t = T0 + 1_000
    await b.cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(1)
    // The server rotates; a sees the new kid first and fetches (its store copy is no newer).
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    a.clock.t = T0 + 2_000
    await expect(a.cache.resolve(rs('k2'))).resolves.toEqual([keyring.k2.jwk])
    expect(jwks.hits).toBe(2)
    // b reads the store before refetching and finds the kid there.
    b.clock.t = T0 + 3_000
    await expect(b.cache.resolve(rs('k2'))).resolves.toEqual([keyring.k2.jwk])
    expect(jwks.hits).toBe(2)
    expect(b.fetches()).toEqual([])
    expect(b.ofType('rotation')).toEqual([{ type: 'rotation', added: ['k2'], removed: [] }])
    // A kid the store does not have either: b fetches.
    b.clock.t = T0 + 40_000
    await expect(b.cache.resolve(rs('k9'))).rejects.toMatchObject(noMatch)
    expect(jwks.hits).toBe(3)
  })

  it('a refresh takes fresh keys another cache saved to the store, without a request', async () => {
    jwks.published = [keyring.k1.jwk]
    const store = createMemoryJwksStore()
    const a = setup({ store })
    const b = setup({ store })
    await a.cache.resolve(rs('k1'))
    await b.cache.resolve(rs('k1'))
    expect(jwks.hits).toBe(1)
    // Past the 10 min refresh time: a refreshes in the background (a fetch).
    a.clock.t = T0 + 700_000
    await a.cache.resolve(rs('k1'))
    await fetchesSettled(a.fetches, 2)
    expect(jwks.hits).toBe(2)
    // b is due too, and takes a's fresh snapshot from the store instead.
    b.clock.t = T0 + 710_000
    await b.cache.resolve(rs('k1'))
    for (let i = 0; i < 20; i++) await tick()
    expect(jwks.hits).toBe(2)
    expect(b.ofType('import')).toEqual([
      { type: 'import', source: 'store', used: true },
      { type: 'import', source: 'store', used: true },
    ])
    expect(b.cache.export()!.fetchedAt).toBe(T0 + 700_000)
  })

  it('a store with a stale entry is reported unused and the cache fetches', async () => {
    jwks.published = [keyring.k1.jwk]
    const store = createMemoryJwksStore()
    await store.set(JWKS_URI, { ...good(), expiresAt: T0 - 86_400_001 })
    const { cache, ofType } = setup({ store })
    await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
    expect(jwks.hits).toBe(1)
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
      jwks.published = [keyring.k1.jwk]
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
      await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
      expect(jwks.hits).toBe(1)
      await vi.waitFor(() =>
        expect(ofType('store-error')).toEqual([
          { type: 'store-error', operation: op, error: failure },
        ]),
      )
      await expect(cache.resolve(rs('k1'))).resolves.toEqual([keyring.k1.jwk])
      expect(jwks.hits).toBe(1)
    },
  )

  it('concurrent cold lookups read the store once and fetch once', async () => {
    jwks.published = [keyring.k1.jwk]
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
    expect(jwks.hits).toBe(1)
  })

  it('store.set is called with a snapshot after each successful fetch, not after a failure', async () => {
    jwks.published = [keyring.k1.jwk]
    const set = vi.fn<JwksStore['set']>()
    const store: JwksStore = { get: () => undefined, set }
    const { cache, clock } = setup({ store })
    await cache.resolve(rs('k1'))
    expect(set).toHaveBeenCalledTimes(1)
    expect(set).toHaveBeenLastCalledWith(JWKS_URI, {
      version: 1,
      jwksUri: JWKS_URI,
      jwks: { keys: [keyring.k1.jwk] },
      fetchedAt: T0,
      expiresAt: T0 + 600_000,
    })
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    clock.t = T0 + 1_000
    await cache.reload()
    expect(set).toHaveBeenCalledTimes(2)
    expect(set.mock.calls[1]![1]).toMatchObject({
      fetchedAt: T0 + 1_000,
      jwks: { keys: [keyring.k1.jwk, keyring.k2.jwk] },
    })
    jwks.mode = 'down'
    await expect(cache.reload()).rejects.toMatchObject(unavailable)
    expect(set).toHaveBeenCalledTimes(2)
  })
})
