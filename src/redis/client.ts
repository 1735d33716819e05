import { InvalidOptionError, StoreError, type StoreOperation, TimeoutError } from '../errors.js'
import { safeCause } from '../lib/cause.js'
import { raceTimeout } from '../lib/http.js'

// The few Redis commands the stores use, over the app's own client: node-redis
// (4 or 5, a client or a cluster), ioredis (a client or a cluster), or any
// object with these commands. No Redis library is imported here, so apps
// without Redis install nothing, and apps with it keep one connection pool.

/**
 * The Redis commands the stores of `okta-oauth-kit/redis` need, as one small
 * interface: pass an object of this shape to use another client (or a test
 * double). node-redis and ioredis clients are adapted to it automatically.
 */
export interface RedisCommands {
  /**
   * `GET key`.
   * @param key - The key.
   * @returns The value, or `null`.
   */
  get(key: string): Promise<string | null>
  /**
   * `SET key value PX ttlMs` (with `NX` when `onlyIfAbsent`).
   * @param key - The key.
   * @param value - The value.
   * @param ttlMs - Its lifetime, in ms (a positive integer).
   * @param onlyIfAbsent - Set only when the key does not exist (`NX`).
   * @returns Whether the value was set (`false` only with `NX` on an existing key).
   */
  setPx(key: string, value: string, ttlMs: number, onlyIfAbsent: boolean): Promise<boolean>
  /**
   * `GETDEL key` (Redis 6.2+): read and delete in one atomic step.
   * @param key - The key.
   * @returns The value it had, or `null`.
   */
  getDel(key: string): Promise<string | null>
  /**
   * `DEL key`.
   * @param key - The key.
   */
  del(key: string): Promise<unknown>
}

/** A node-redis client (4 or 5) or cluster, as far as the stores use it. */
export interface NodeRedisLike {
  /** `GET`. */
  get(key: string): Promise<unknown>
  /** `SET` with node-redis options. */
  set(key: string, value: string, options: { PX: number; NX?: true }): Promise<unknown>
  /** `GETDEL`. */
  getDel(key: string): Promise<unknown>
  /** `DEL`. */
  del(key: string): Promise<unknown>
}

/** An ioredis client or cluster, as far as the stores use it. */
export interface IoRedisLike {
  /** `GET`. */
  get(key: string): Promise<unknown>
  /** `SET key value PX ms`. */
  set(key: string, value: string, px: 'PX', ms: number): Promise<unknown>
  /** `SET key value PX ms NX`. */
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<unknown>
  /** `GETDEL`. */
  getdel(key: string): Promise<unknown>
  /** `DEL`. */
  del(key: string): Promise<unknown>
}

/** What the stores accept: a node-redis client, an ioredis client, or {@link RedisCommands}. */
export type RedisClientLike = NodeRedisLike | IoRedisLike | RedisCommands

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value)

/**
 * @internal
 * The commands of `client`: used as they are when it has `setPx`, adapted
 * when it is a node-redis (`getDel`) or ioredis (`getdel`) client.
 * @throws `InvalidOptionError` for anything else.
 */
export function toCommands(client: unknown): RedisCommands {
  const c = client as Record<string, unknown> | null
  if (typeof c !== 'object' || c === null) {
    throw new InvalidOptionError('redis must be a node-redis or ioredis client')
  }
  if (typeof c.setPx === 'function') return c as unknown as RedisCommands
  if (typeof c.get !== 'function' || typeof c.set !== 'function' || typeof c.del !== 'function') {
    throw new InvalidOptionError('redis must be a node-redis or ioredis client')
  }
  if (typeof c.getDel === 'function') {
    const r = c as unknown as NodeRedisLike
    return {
      get: async (key) => text(await r.get(key)),
      setPx: async (key, value, ttlMs, nx) =>
        (await r.set(key, value, nx ? { PX: ttlMs, NX: true } : { PX: ttlMs })) !== null,
      getDel: async (key) => text(await r.getDel(key)),
      del: (key) => r.del(key),
    }
  }
  if (typeof c.getdel === 'function') {
    const r = c as unknown as IoRedisLike
    return {
      get: async (key) => text(await r.get(key)),
      setPx: async (key, value, ttlMs, nx) =>
        (await (nx ? r.set(key, value, 'PX', ttlMs, 'NX') : r.set(key, value, 'PX', ttlMs))) !==
        null,
      getDel: async (key) => text(await r.getdel(key)),
      del: (key) => r.del(key),
    }
  }
  throw new InvalidOptionError(
    'redis must be a node-redis client (getDel) or an ioredis client (getdel), Redis 6.2+',
  )
}

/** @internal Options every Redis store takes. */
export interface RedisStoreSettings {
  commands: RedisCommands
  prefix: string
  timeout: number
}

/** Options every Redis store of `okta-oauth-kit/redis` takes. */
export interface RedisStoreOptions {
  /**
   * Put before every key, to share a Redis with other apps (or separate two
   * apps). Default: `okta-oauth-kit:`.
   */
  prefix?: string
  /**
   * How long one Redis command may take, in ms, before the store gives up
   * with a `StoreError` (`ERR_STORE_UNAVAILABLE`). A client that is
   * disconnected queues commands (both node-redis and ioredis do by
   * default): this is what bounds the wait. Default: 1 000.
   */
  timeout?: number
}

/** @internal The defaults of {@link RedisStoreOptions}. */
export const REDIS_DEFAULTS = {
  prefix: 'okta-oauth-kit:',
  timeout: 1_000,
} as const

/** @internal Check the common options; throws `InvalidOptionError`. */
export function redisSettings(
  client: unknown,
  options: RedisStoreOptions = {},
): RedisStoreSettings {
  const prefix = options.prefix ?? REDIS_DEFAULTS.prefix
  if (typeof prefix !== 'string') throw new InvalidOptionError('prefix must be a string')
  const timeout = options.timeout ?? REDIS_DEFAULTS.timeout
  if (!(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) {
    throw new InvalidOptionError('timeout must be a positive number of milliseconds')
  }
  return { commands: toCommands(client), prefix, timeout }
}

/**
 * @internal
 * Run one Redis command within `timeout` ms. A failure or a timeout becomes a
 * `StoreError` naming `what` and the operation; the cause keeps the client
 * error's name and code (never a key or value).
 */
export async function command<T>(
  settings: RedisStoreSettings,
  what: string,
  operation: StoreOperation,
  run: (commands: RedisCommands) => Promise<T>,
): Promise<T> {
  try {
    return await raceTimeout(
      `Redis ${what}`,
      Promise.resolve().then(() => run(settings.commands)),
      settings.timeout,
    )
  } catch (err) {
    if (err instanceof TimeoutError) {
      throw new StoreError(`Redis ${what}: no answer within ${settings.timeout} ms`, {
        operation,
        timeout: settings.timeout,
        cause: err,
      })
    }
    throw new StoreError(`Redis ${what} failed`, { operation, cause: safeCause(err) })
  }
}
