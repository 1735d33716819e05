import { Redis } from 'ioredis'
import { createClient } from 'redis'
import type { RedisClientLike } from '../../../src/redis/index.js'

// The two clients the stores take, connected to a test redis-server. Each
// test file runs every case with both.

/** A connected client and how to close it, with the raw commands the tests inspect Redis with. */
export interface TestClient {
  readonly name: 'node-redis' | 'ioredis'
  readonly client: RedisClientLike
  /** `GET`, for looking at what a store wrote. */
  raw(key: string): Promise<string | null>
  /** `PTTL`. */
  pttl(key: string): Promise<number>
  /** `KEYS pattern`. */
  keys(pattern: string): Promise<string[]>
  /** `SET key value` (no TTL), to tamper with a stored value. */
  put(key: string, value: string): Promise<void>
  close(): Promise<void>
}

/** The client kinds, for `describe.each`. */
export const CLIENT_KINDS = ['node-redis', 'ioredis'] as const

/** Connect a client of `kind` to the redis-server on `port`. */
export async function connect(
  kind: (typeof CLIENT_KINDS)[number],
  port: number,
): Promise<TestClient> {
  if (kind === 'node-redis') {
    const client = createClient({
      socket: { host: '127.0.0.1', port, reconnectStrategy: false },
    })
    client.on('error', () => {})
    await client.connect()
    return {
      name: kind,
      client,
      raw: (key) => client.get(key),
      pttl: (key) => client.pTTL(key),
      keys: (pattern) => client.keys(pattern),
      put: async (key, value) => void (await client.set(key, value)),
      close: async () => {
        if (client.isOpen) client.destroy()
      },
    }
  }
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 })
  client.on('error', () => {})
  await client.connect()
  return {
    name: kind,
    client,
    raw: (key) => client.get(key),
    pttl: (key) => client.pttl(key),
    keys: (pattern) => client.keys(pattern),
    put: async (key, value) => void (await client.set(key, value)),
    close: async () => client.disconnect(),
  }
}
