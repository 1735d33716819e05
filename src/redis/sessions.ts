import { InvalidOptionError } from '../errors.js'
import type { SessionData, SessionStore } from '../server/session.js'
import { command, type RedisClientLike, type RedisStoreOptions, redisSettings } from './client.js'
import { sealer } from './seal.js'

// Server-side sessions of `./server` in Redis: every instance reads the same
// session, logout (and a refresh, which moves the session to a new id)
// deletes it everywhere, and the tokens are sealed as in the session cookie.

/** Options of {@link createRedisSessionStore}. */
export interface RedisSessionStoreOptions extends RedisStoreOptions {
  /**
   * Seals the sessions in Redis (they hold the tokens): 32+ characters or
   * bytes. The app's `createServerAuth` secret will do (a separate key is
   * derived from it); every instance needs the same one.
   */
  secret: string | Uint8Array
}

/**
 * A {@link okta-oauth-kit/server!SessionStore} on Redis for
 * `createServerAuth({ sessionStore })`: the cookie carries only a sealed
 * session id; the tokens live under `{prefix}session:{id}` for `sessionTtl`,
 * sealed (AES-256-GCM) with a key derived from `secret`. Any instance reads
 * the session; `logout` deletes it, so a copy of the cookie taken before
 * reads as signed out on every instance.
 *
 * When Redis is down or slower than `timeout`, reading, refreshing and
 * writing a session reject with `StoreError` (`ERR_STORE_UNAVAILABLE`;
 * `toHttpResponse` answers 503): a session is never taken for absent
 * because the store did not answer.
 *
 * @param redis - The app's node-redis or ioredis client (connected), or {@link RedisCommands}.
 * @param options - `secret`, and the key `prefix` and command `timeout`.
 * @returns The store.
 * @throws `InvalidOptionError` for a missing or short secret or an unknown client.
 * @example
 * ```ts
 * import Redis from 'ioredis'
 * import { createRedisSessionStore } from 'okta-oauth-kit/redis'
 * const sessionStore = createRedisSessionStore(new Redis(process.env.REDIS_URL!), {
 *   secret: process.env.COOKIE_SECRET!,
 * })
 * // createServerAuth(client, { secret, redirectUri, sessionStore })
 * ```
 */
export function createRedisSessionStore(
  redis: RedisClientLike,
  options: RedisSessionStoreOptions,
): SessionStore {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options must be an object with a secret')
  }
  const settings = redisSettings(redis, options)
  const seal = sealer(options.secret, 'session')
  const keyOf = (id: string) => `${settings.prefix}session:${id}`
  return {
    async get(id) {
      const key = keyOf(id)
      const value = await command(settings, 'session read', 'get', (r) => r.get(key))
      if (value === null) return undefined
      return (await seal.open(key, value)) as SessionData | undefined
    },
    async set(id, data, ttlMs) {
      const key = keyOf(id)
      const value = await seal.seal(key, data)
      await command(settings, 'session write', 'set', (r) =>
        r.setPx(key, value, Math.max(1, Math.ceil(ttlMs)), false),
      )
    },
    async delete(id) {
      const key = keyOf(id)
      await command(settings, 'session delete', 'delete', (r) => r.del(key))
    },
  }
}
