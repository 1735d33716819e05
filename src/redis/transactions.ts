import { InvalidOptionError } from '../errors.js'
import type { ServerTransaction, ServerTransactionStore } from '../server/transactions.js'
import { command, type RedisClientLike, type RedisStoreOptions, redisSettings } from './client.js'
import { sealer } from './seal.js'

// Sign-in transactions of `./server` in Redis: usable once across every
// instance (GETDEL reads and deletes in one step), sealed like the cookie
// that would otherwise carry them.

/** Options of {@link createRedisTransactionStore}. */
export interface RedisTransactionStoreOptions extends RedisStoreOptions {
  /**
   * Seals the transactions in Redis (they hold the PKCE verifier and nonce):
   * 32+ characters or bytes. The app's `createServerAuth` secret will do
   * (a separate key is derived from it); every instance needs the same one.
   */
  secret: string | Uint8Array
}

/**
 * A {@link okta-oauth-kit/server!ServerTransactionStore} on Redis for
 * `createServerAuth({ transactionStore })`: a callback is accepted once
 * across the whole fleet, whichever instance it reaches (`GETDEL` is
 * atomic), and a replay on another instance fails with `CallbackError`
 * `ERR_TRANSACTION_REUSED`. Keys: `{prefix}txn:{id}`, expiring with the
 * transaction; values sealed (AES-256-GCM) with a key derived from `secret`.
 *
 * When Redis is down or slower than `timeout`, `login` and `callback` reject
 * with `StoreError` (`ERR_STORE_UNAVAILABLE`; `toHttpResponse` answers 503).
 *
 * @param redis - The app's node-redis or ioredis client (connected), or {@link RedisCommands}.
 * @param options - `secret`, and the key `prefix` and command `timeout`.
 * @returns The store.
 * @throws `InvalidOptionError` for a missing or short secret or an unknown client.
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { createRedisTransactionStore } from 'okta-oauth-kit/redis'
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect()
 * const transactionStore = createRedisTransactionStore(redis, { secret: process.env.COOKIE_SECRET! })
 * // createServerAuth(client, { secret, redirectUri, transactionStore })
 * ```
 */
export function createRedisTransactionStore(
  redis: RedisClientLike,
  options: RedisTransactionStoreOptions,
): ServerTransactionStore {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options must be an object with a secret')
  }
  const settings = redisSettings(redis, options)
  const seal = sealer(options.secret, 'transaction')
  const keyOf = (id: string) => `${settings.prefix}txn:${id}`
  return {
    async set(id, txn, ttlMs) {
      const key = keyOf(id)
      const value = await seal.seal(key, txn)
      await command(settings, 'transaction write', 'set', (r) =>
        r.setPx(key, value, Math.max(1, Math.ceil(ttlMs)), false),
      )
    },
    async take(id) {
      const key = keyOf(id)
      const value = await command(settings, 'transaction take', 'take', (r) => r.getDel(key))
      if (value === null) return undefined
      // A value that does not open (another secret, altered) is no transaction of ours.
      return (await seal.open(key, value)) as ServerTransaction | undefined
    },
  }
}
