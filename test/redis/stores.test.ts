import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreError } from '../../src/errors.js'
import type { JwksSnapshot } from '../../src/jwks/types.js'
import {
  createRedisAdminTokenStore,
  createRedisJwksStore,
  createRedisSessionStore,
  createRedisTransactionStore,
  type RedisCommands,
} from '../../src/redis/index.js'
import type { ServerTransaction } from '../../src/server/transactions.js'
import { CLIENT_KINDS, connect, type TestClient } from './harness/clients.js'
import { type RunningRedis, startRedis } from './harness/redis-server.js'

// Issue 17: each store against a real redis-server, with node-redis 5 and
// with ioredis: what it writes (keys, TTLs, sealed values), one use, the
// prefix, and the options it refuses.

const SECRET = 'redis-store-test-secret-of-32-characters!'
const VERIFIER = 'pkce-verifier-that-must-never-sit-in-redis-in-clear-0123456789'

let redis: RunningRedis
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

const txn = (id: string): ServerTransaction => ({
  id,
  returnTo: '/orders',
  transaction: {
    state: `state-${id}`,
    nonce: 'nonce-value',
    codeVerifier: VERIFIER,
    redirectUri: 'http://127.0.0.1:3000/callback',
  } as unknown as ServerTransaction['transaction'],
})

describe.each(CLIENT_KINDS)('with %s', (kind) => {
  let c: TestClient
  beforeAll(async () => {
    c = await connect(kind, redis.port)
  })
  afterAll(async () => {
    await c?.close()
  })
  const prefix = `t-${kind}:`

  it('transactions: sealed under {prefix}txn:{id}, expiring, taken once', async () => {
    const store = createRedisTransactionStore(c.client, { secret: SECRET, prefix })
    await store.set('abc', txn('abc'), 60_000)
    const raw = await c.raw(`${prefix}txn:abc`)
    expect(raw).toMatch(/^v1\.[\w-]+\.[\w-]+$/)
    expect(raw).not.toContain(VERIFIER)
    expect(raw).not.toContain('nonce-value')
    const ttl = await c.pttl(`${prefix}txn:abc`)
    expect(ttl).toBeGreaterThan(55_000)
    expect(ttl).toBeLessThanOrEqual(60_000)
    const [first, second] = await Promise.all([store.take('abc'), store.take('abc')])
    // Exactly one of two concurrent takes gets it (GETDEL).
    expect([first, second].filter(Boolean)).toEqual([txn('abc')])
    expect(await store.take('abc')).toBeUndefined()
    expect(await c.raw(`${prefix}txn:abc`)).toBeNull()
  })

  it('transactions: a value sealed with another secret or moved to another key does not open', async () => {
    const store = createRedisTransactionStore(c.client, { secret: SECRET, prefix })
    const other = createRedisTransactionStore(c.client, { secret: `${SECRET}-other`, prefix })
    await other.set('x1', txn('x1'), 60_000)
    expect(await store.take('x1')).toBeUndefined()
    await store.set('x2', txn('x2'), 60_000)
    await c.put(`${prefix}txn:x3`, (await c.raw(`${prefix}txn:x2`))!)
    expect(await store.take('x3')).toBeUndefined()
    expect(await store.take('x2')).toEqual(txn('x2'))
  })

  it('sessions: sealed under {prefix}session:{id} with the TTL, shared, deleted', async () => {
    const a = createRedisSessionStore(c.client, { secret: SECRET, prefix })
    const b = createRedisSessionStore(c.client, { secret: SECRET, prefix })
    const data = { accessToken: 'at-secret-value', tokenType: 'Bearer', refreshToken: 'rt-secret' }
    await a.set('s1', data, 3_600_000)
    const raw = await c.raw(`${prefix}session:s1`)
    expect(raw).not.toContain('at-secret-value')
    expect(raw).not.toContain('rt-secret')
    expect(await c.pttl(`${prefix}session:s1`)).toBeGreaterThan(3_500_000)
    expect(await b.get('s1')).toEqual(data)
    await b.delete('s1')
    expect(await a.get('s1')).toBeUndefined()
    expect(await a.get('never')).toBeUndefined()
  })

  it('JWKS: the snapshot as JSON under {prefix}jwks:{hash}, kept past its refresh time', async () => {
    const store = createRedisJwksStore(c.client, { prefix, retention: 120_000 })
    const uri = 'https://example.okta.com/oauth2/default/v1/keys'
    const now = Date.now()
    const snapshot: JwksSnapshot = {
      version: 1,
      jwksUri: uri,
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] },
      fetchedAt: now,
      expiresAt: now + 60_000,
    }
    expect(await store.get(uri)).toBeUndefined()
    await store.set(uri, snapshot)
    expect(await store.get(uri)).toEqual(snapshot)
    const keys = await c.keys(`${prefix}jwks:*`)
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatch(new RegExp(`^${prefix}jwks:[\\w-]{43}$`))
    const ttl = await c.pttl(keys[0]!)
    expect(ttl).toBeGreaterThan(170_000)
    expect(ttl).toBeLessThanOrEqual(180_000)
  })

  it('admin token: concurrent callers, one fetch; sealed; forget drops only the refused token', async () => {
    const store = createRedisAdminTokenStore(c.client, { secret: SECRET, prefix })
    let fetches = 0
    const fetchToken = async () => {
      fetches++
      await new Promise((r) => setTimeout(r, 100))
      return { accessToken: `token-${fetches}`, expiresAt: Date.now() + 3_600_000, scopes: ['a'] }
    }
    const got = await Promise.all(
      Array.from({ length: 10 }, () => store.getToken('k', fetchToken, { minTtlMs: 60_000 })),
    )
    expect(fetches).toBe(1)
    expect(new Set(got.map((t) => t.accessToken))).toEqual(new Set(['token-1']))
    expect(await c.raw(`${prefix}admin-token:k`)).not.toContain('token-1')
    expect(await c.raw(`${prefix}admin-token:k:lock`)).toBeNull()
    await store.forget!('k', 'some-other-token')
    expect((await store.getToken('k', fetchToken, { minTtlMs: 60_000 })).accessToken).toBe(
      'token-1',
    )
    await store.forget!('k', 'token-1')
    expect((await store.getToken('k', fetchToken, { minTtlMs: 60_000 })).accessToken).toBe(
      'token-2',
    )
  })

  it('admin token: renewed when within minTtlMs of expiry; a failed fetch frees the lock', async () => {
    const store = createRedisAdminTokenStore(c.client, { secret: SECRET, prefix: `${prefix}r:` })
    let n = 0
    const short = async () => ({
      accessToken: `short-${++n}`,
      expiresAt: Date.now() + 30_000,
      scopes: [],
    })
    expect((await store.getToken('k', short, { minTtlMs: 10_000 })).accessToken).toBe('short-1')
    expect((await store.getToken('k', short, { minTtlMs: 10_000 })).accessToken).toBe('short-1')
    // Needing more validity than the stored token has left: renewed.
    expect((await store.getToken('k', short, { minTtlMs: 60_000 })).accessToken).toBe('short-2')
    const boom = new Error('token endpoint down')
    await expect(
      store.getToken(
        'k2',
        async () => {
          throw boom
        },
        { minTtlMs: 0 },
      ),
    ).rejects.toBe(boom)
    expect(await c.raw(`${prefix}r:admin-token:k2:lock`)).toBeNull()
  })

  it('admin token: a waiter gives up after waitTimeout with StoreError (lock)', async () => {
    const store = createRedisAdminTokenStore(c.client, {
      secret: SECRET,
      prefix: `${prefix}w:`,
      waitTimeout: 300,
      pollInterval: 20,
    })
    // Another process holds the lock and never stores a token.
    await c.put(`${prefix}w:admin-token:k:lock`, 'someone-else')
    const err = await store
      .getToken('k', async () => ({ accessToken: 'x', expiresAt: Date.now() + 1e6, scopes: [] }), {
        minTtlMs: 0,
      })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect(err).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', operation: 'lock', timeout: 300 })
  })
})

describe('options', () => {
  const commands: RedisCommands = {
    get: async () => null,
    setPx: async () => true,
    getDel: async () => null,
    del: async () => 0,
  }
  it('refuses a missing or short secret, a bad timeout or prefix, and an unknown client', () => {
    expect(() => createRedisSessionStore(commands, { secret: 'short' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    )
    expect(() =>
      createRedisTransactionStore(commands, {} as unknown as { secret: string }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    expect(() => createRedisJwksStore(commands, { timeout: 0 })).toThrow(/timeout/)
    expect(() => createRedisJwksStore(commands, { prefix: 1 as unknown as string })).toThrow(
      /prefix/,
    )
    expect(() => createRedisJwksStore({} as unknown as RedisCommands)).toThrow(
      /node-redis or ioredis/,
    )
    expect(() => createRedisAdminTokenStore(commands, { secret: SECRET, lockTtl: -1 })).toThrow(
      /lockTtl/,
    )
  })

  it('takes any object with the four commands', async () => {
    const seen: string[] = []
    const store = createRedisJwksStore(
      {
        ...commands,
        get: async (key) => {
          seen.push(key)
          return null
        },
      },
      { prefix: 'p:' },
    )
    expect(await store.get('https://example.okta.com/keys')).toBeUndefined()
    expect(seen).toEqual([expect.stringMatching(/^p:jwks:[\w-]{43}$/)])
  })
})
