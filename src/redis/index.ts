/**
 * `okta-oauth-kit/redis`: shared state for a fleet of processes (several
 * instances behind a load balancer, serverless functions), on the app's own
 * Redis client — node-redis or ioredis, nothing to install:
 *
 * - {@link createRedisTransactionStore}: `./server` sign-in transactions,
 *   usable once across every instance (`GETDEL`);
 * - {@link createRedisSessionStore}: `./server` sessions, server side, ended
 *   everywhere by logout;
 * - {@link createRedisJwksStore}: the JWKS cache's keys, so a cold instance
 *   makes no JWKS request and a rotation is fetched once for the fleet;
 * - {@link createRedisAdminTokenStore}: the `./admin` OAuth-for-Okta token,
 *   one token request per fleet.
 *
 * Keys start with a `prefix` (`okta-oauth-kit:`); tokens, PKCE verifiers
 * and sessions are sealed (AES-256-GCM) with a key derived from a secret.
 * A Redis that is down or slow makes sign-in fail with `StoreError`
 * (`ERR_STORE_UNAVAILABLE`) after `timeout`, while verification keeps using
 * the keys it holds.
 *
 * @example
 * ```ts
 * import { createClient as createRedis } from 'redis'
 * import { createClient, discover } from 'okta-oauth-kit'
 * import { createRedisSessionStore, createRedisTransactionStore } from 'okta-oauth-kit/redis'
 * import { createServerAuth } from 'okta-oauth-kit/server'
 * const redis = await createRedis({ url: process.env.REDIS_URL }).connect()
 * const secret = process.env.COOKIE_SECRET!
 * const client = createClient(await discover('https://example.okta.com/oauth2/default'), {
 *   clientId: '0oa1example',
 *   auth: { method: 'client_secret_basic', clientSecret: process.env.CLIENT_SECRET! },
 * })
 * const auth = createServerAuth(client, {
 *   secret,
 *   redirectUri: 'https://app.example.com/callback',
 *   transactionStore: createRedisTransactionStore(redis, { secret }),
 *   sessionStore: createRedisSessionStore(redis, { secret }),
 * })
 * ```
 *
 * @module okta-oauth-kit/redis
 */
export * from '../errors.js'
export {
  createRedisAdminTokenStore,
  type RedisAdminTokenStoreOptions,
} from './admin-token.js'
export type {
  IoRedisLike,
  NodeRedisLike,
  RedisClientLike,
  RedisCommands,
  RedisStoreOptions,
} from './client.js'
export { createRedisJwksStore, type RedisJwksStoreOptions } from './jwks-store.js'
export { createRedisSessionStore, type RedisSessionStoreOptions } from './sessions.js'
export {
  createRedisTransactionStore,
  type RedisTransactionStoreOptions,
} from './transactions.js'
