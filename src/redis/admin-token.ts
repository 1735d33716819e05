import type { AdminTokenStore, SharedAdminToken } from '../admin/token-store.js'
import { InvalidOptionError, StoreError } from '../errors.js'
import { randomBase64url } from '../lib/base64url.js'
import { command, type RedisClientLike, type RedisStoreOptions, redisSettings } from './client.js'
import { sealer } from './seal.js'

// The OAuth-for-Okta access token of `./admin`, shared by a fleet: one token
// request per fleet, renewed before expiry. A short lock (`SET NX PX`) lets
// one process request; the others poll for its token, within a bound.

/** Options of {@link createRedisAdminTokenStore}. */
export interface RedisAdminTokenStoreOptions extends RedisStoreOptions {
  /**
   * Seals the access token in Redis: 32+ characters or bytes, the same in
   * every process. A key of its own is derived from it.
   */
  secret: string | Uint8Array
  /**
   * How long the lock of the process requesting a token lasts, in ms: if
   * that process dies, another takes over after this. Keep it above the
   * token request's own timeout. Default: 15 000.
   */
  lockTtl?: number
  /**
   * How long a process waits for another's token request before it gives
   * up with `StoreError` (`ERR_STORE_UNAVAILABLE`, operation `lock`), in
   * ms. Default: 20 000.
   */
  waitTimeout?: number
  /** How often a waiting process looks for the token, in ms. Default: 50. */
  pollInterval?: number
}

/**
 * An {@link okta-oauth-kit/admin!AdminTokenStore} on Redis for
 * `createAdminClient({ auth: { type: 'oauth', …, tokenStore } })`: the
 * processes of a fleet share one OAuth-for-Okta access token.
 *
 * A process needing a token reads `{prefix}admin-token:{key}`; when it is
 * absent or within a minute of expiry, the first process to take the lock
 * (`SET {key}:lock NX PX lockTtl`) requests a new one and stores it (sealed,
 * AES-256-GCM, expiring with the token); the others poll for it every
 * `pollInterval` ms, at most `waitTimeout`. If the requesting process fails,
 * it frees the lock and the next waiter tries; its error reaches its own
 * callers (e.g. `AdminScopeError` for `invalid_scope`).
 *
 * When Redis is down or slower than `timeout`, admin calls reject with
 * `StoreError` (`ERR_STORE_UNAVAILABLE`). A token obtained while the write
 * to Redis fails is still used by the process that obtained it.
 *
 * @param redis - The app's node-redis or ioredis client (connected), or {@link RedisCommands}.
 * @param options - `secret`, lock and wait bounds, key `prefix`, command `timeout`.
 * @returns The store.
 * @throws `InvalidOptionError` for bad options or an unknown client.
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { createAdminClient } from 'okta-oauth-kit/admin'
 * import { createRedisAdminTokenStore } from 'okta-oauth-kit/redis'
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect()
 * const admin = createAdminClient({
 *   orgUrl: 'https://example.okta.com',
 *   auth: {
 *     type: 'oauth',
 *     clientId: '0oa1service',
 *     privateKey: process.env.ADMIN_PRIVATE_KEY!,
 *     scopes: ['okta.authorizationServers.read'],
 *     tokenStore: createRedisAdminTokenStore(redis, { secret: process.env.TOKEN_SECRET! }),
 *   },
 * })
 * ```
 */
export function createRedisAdminTokenStore(
  redis: RedisClientLike,
  options: RedisAdminTokenStoreOptions,
): AdminTokenStore {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options must be an object with a secret')
  }
  const settings = redisSettings(redis, options)
  const seal = sealer(options.secret, 'admin-token')
  const positive = (value: number | undefined, name: string, fallback: number) => {
    if (value === undefined) return fallback
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new InvalidOptionError(`${name} must be a positive number of milliseconds`)
    }
    return value
  }
  const lockTtl = Math.ceil(positive(options.lockTtl, 'lockTtl', 15_000))
  const waitTimeout = positive(options.waitTimeout, 'waitTimeout', 20_000)
  const pollInterval = positive(options.pollInterval, 'pollInterval', 50)
  const keyOf = (key: string) => `${settings.prefix}admin-token:${key}`

  async function read(tokenKey: string, minTtlMs: number): Promise<SharedAdminToken | undefined> {
    const value = await command(settings, 'admin token read', 'get', (r) => r.get(tokenKey))
    if (value === null) return undefined
    const token = (await seal.open(tokenKey, value)) as SharedAdminToken | undefined
    if (!token || !(token.expiresAt - minTtlMs > Date.now())) return undefined
    return token
  }

  return {
    async getToken(key, fetchToken, { minTtlMs }) {
      const tokenKey = keyOf(key)
      const lockKey = `${tokenKey}:lock`
      const deadline = Date.now() + waitTimeout
      for (;;) {
        const held = await read(tokenKey, minTtlMs)
        if (held) return held
        const owner = randomBase64url(16)
        const locked = await command(settings, 'admin token lock', 'lock', (r) =>
          r.setPx(lockKey, owner, lockTtl, true),
        )
        if (locked) {
          const lockedAt = Date.now()
          try {
            // Another process may have stored a token between the read and the lock.
            const again = await read(tokenKey, minTtlMs)
            if (again) return again
            const fresh = await fetchToken()
            const ttl = Math.floor(fresh.expiresAt - Date.now())
            if (ttl > 0) {
              const value = await seal.seal(tokenKey, fresh)
              await command(settings, 'admin token write', 'set', (r) =>
                r.setPx(tokenKey, value, ttl, false),
              ).catch(() => {
                // The token is good: this process uses it; the others fetch their own.
              })
            }
            return fresh
          } finally {
            // Free the lock for the waiters, unless it expired and is another's now.
            if (Date.now() - lockedAt < lockTtl) {
              await command(settings, 'admin token unlock', 'delete', (r) => r.del(lockKey)).catch(
                () => {},
              )
            }
          }
        }
        if (Date.now() + pollInterval > deadline) {
          throw new StoreError(
            `no shared admin token appeared within ${waitTimeout} ms (another process holds the lock)`,
            { operation: 'lock', timeout: waitTimeout },
          )
        }
        await new Promise((resolve) => setTimeout(resolve, pollInterval))
      }
    },
    async forget(key, accessToken) {
      const tokenKey = keyOf(key)
      const value = await command(settings, 'admin token read', 'get', (r) => r.get(tokenKey))
      if (value === null) return
      const token = (await seal.open(tokenKey, value)) as SharedAdminToken | undefined
      if (token?.accessToken === accessToken) {
        await command(settings, 'admin token delete', 'delete', (r) => r.del(tokenKey))
      }
    },
  }
}
