import { InvalidOptionError } from '../errors.js'
import type { JwksSnapshot, JwksStore } from '../jwks/types.js'
import { sha256Base64url } from '../lib/base64url.js'
import { command, type RedisClientLike, type RedisStoreOptions, redisSettings } from './client.js'

// The JWKS cache's snapshot in Redis: a new process or function instance
// starts with the fleet's keys (no JWKS request), and keys one instance
// fetched after a rotation reach the others, which read the store before
// refetching for an unknown `kid` or a refresh.

/** Options of {@link createRedisJwksStore}. */
export interface RedisJwksStoreOptions extends RedisStoreOptions {
  /**
   * How long a snapshot stays in Redis after its refresh time, in ms: past
   * it, a cold instance fetches. Keep it at least the caches'
   * `cacheMaxStale` (they refuse older snapshots anyway). Default: 86 400 000 (1 day).
   */
  retention?: number
}

/**
 * A {@link okta-oauth-kit!JwksStore} on Redis for `createJwksCache({ store })`
 * or `createVerifier({ jwks: { store } })`, shared by every process:
 *
 * - a cold process (a new instance, a serverless cold start) loads the
 *   fleet's keys from Redis and verifies without a JWKS request;
 * - each fetch saves its snapshot; before refreshing, or refetching for an
 *   unknown `kid` (a rotation), a cache reads Redis first and takes newer
 *   keys another instance fetched, so a rotation costs the fleet about one
 *   request, not one per process.
 *
 * Keys are public: the snapshot is stored as JSON under
 * `{prefix}jwks:{SHA-256 of the jwks_uri}`. Redis never stops verification:
 * when it is down or slower than `timeout`, the cache reports a
 * `store-error` event and carries on with the keys it holds (no request per
 * call), fetching from the server only as it would without a store.
 *
 * @param redis - The app's node-redis or ioredis client (connected), or {@link RedisCommands}.
 * @param options - The key `prefix`, command `timeout` and `retention`.
 * @returns The store.
 * @throws `InvalidOptionError` for bad options or an unknown client.
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { createVerifier } from 'okta-oauth-kit/verifier'
 * import { createRedisJwksStore } from 'okta-oauth-kit/redis'
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect()
 * const verifier = createVerifier({
 *   issuer: 'https://example.okta.com/oauth2/default',
 *   audience: 'api://default',
 *   jwks: { store: createRedisJwksStore(redis) },
 * })
 * ```
 */
export function createRedisJwksStore(
  redis: RedisClientLike,
  options: RedisJwksStoreOptions = {},
): JwksStore {
  const settings = redisSettings(redis, options)
  const retention = options.retention ?? 86_400_000
  if (!(typeof retention === 'number' && Number.isFinite(retention) && retention > 0)) {
    throw new InvalidOptionError('retention must be a positive number of milliseconds')
  }
  const keyOf = async (jwksUri: string) =>
    `${settings.prefix}jwks:${await sha256Base64url(jwksUri)}`
  return {
    async get(jwksUri) {
      const key = await keyOf(jwksUri)
      const value = await command(settings, 'JWKS read', 'get', (r) => r.get(key))
      if (value === null) return undefined
      try {
        // The cache checks the shape (version, jwks_uri, keys, times) before using it.
        return JSON.parse(value) as JwksSnapshot
      } catch {
        return undefined
      }
    },
    async set(jwksUri, snapshot) {
      const key = await keyOf(jwksUri)
      const ttl = Math.ceil(Math.max(0, snapshot.expiresAt - Date.now()) + retention)
      await command(settings, 'JWKS write', 'set', (r) =>
        r.setPx(key, JSON.stringify(snapshot), ttl, false),
      )
    },
  }
}
