import type { AuthorizationTransaction } from '../oauth/authorization-request.js'
import { DEFAULT_TRANSACTION_TTL } from './options.js'
import { type KeyValueStore, memoryStore } from './storage.js'

/** Options of {@link createTransactionStore}. */
export interface TransactionStoreOptions {
  /** Where transactions are kept. Default: a {@link memoryStore}. Use `webStorage(sessionStorage)` for redirects. */
  storage?: KeyValueStore
  /** How long a transaction stays usable after its `createdAt`, in ms. Default: 600 000 (10 min), the client's default. */
  ttl?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
}

/**
 * Pending authorization transactions, one per `state`: several tabs and
 * back-button navigation each keep their own, and a response can only
 * consume the transaction it belongs to, once. Named for its entry:
 * `./server` has a {@link okta-oauth-kit/server!ServerTransactionStore} of its own.
 */
export interface BrowserTransactionStore {
  /**
   * Keep a transaction until its response arrives.
   * @param transaction - from `Client.authorizationUrl`.
   */
  save(transaction: AuthorizationTransaction): Promise<void>
  /**
   * Read and delete the transaction of a `state` (one use).
   * @param state - the `state` of the authorization response.
   * @returns The transaction, or `undefined` when unknown, already used or expired (an expired one is removed).
   */
  take(state: string): Promise<AuthorizationTransaction | undefined>
  /**
   * Remove every expired transaction (needs a store with `keys()`).
   * @returns How many were removed.
   */
  sweep(): Promise<number>
}

/**
 * The old name of {@link BrowserTransactionStore}.
 *
 * @deprecated Use {@link BrowserTransactionStore}: `./server` exports a
 * different `TransactionStore` (now `ServerTransactionStore`). Kept so that
 * code written against 0.1 still compiles; it will be removed in a major release.
 */
export type TransactionStore = BrowserTransactionStore

const PREFIX = 'txn:'

/**
 * Create a {@link BrowserTransactionStore}.
 *
 * @param options - storage, TTL and clock.
 * @returns The store.
 * @example
 * ```ts
 * import { createTransactionStore, webStorage } from 'okta-oauth-kit/browser'
 * const transactions = createTransactionStore({ storage: webStorage(sessionStorage) })
 * ```
 */
export function createTransactionStore(
  options: TransactionStoreOptions = {},
): BrowserTransactionStore {
  const storage = options.storage ?? memoryStore()
  const ttl = options.ttl ?? DEFAULT_TRANSACTION_TTL
  const now = options.now ?? Date.now
  const expired = (txn: AuthorizationTransaction) => {
    const t = now()
    // A createdAt far in the future is as suspect as an old one.
    return t - txn.createdAt > ttl || txn.createdAt > t + 60_000
  }
  // States being taken right now: a second take() of the same state in the
  // same tick (a double-mounted callback page) must not read it too.
  const taking = new Set<string>()
  return {
    async save(transaction) {
      await storage.set(PREFIX + transaction.state, transaction)
    },
    async take(state) {
      const key = PREFIX + state
      if (taking.has(key)) return undefined
      taking.add(key)
      try {
        const value = await storage.get(key)
        if (value === undefined) return undefined
        await storage.remove(key)
        if (!isTransaction(value) || value.state !== state || expired(value)) return undefined
        return value
      } finally {
        taking.delete(key)
      }
    },
    async sweep() {
      let removed = 0
      for (const key of (await storage.keys?.()) ?? []) {
        if (!key.startsWith(PREFIX)) continue
        const value = await storage.get(key)
        if (value !== undefined && (!isTransaction(value) || expired(value))) {
          await storage.remove(key)
          removed++
        }
      }
      return removed
    },
  }
}

function isTransaction(value: unknown): value is AuthorizationTransaction {
  const v = value as Partial<AuthorizationTransaction> | null
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.state === 'string' &&
    typeof v.createdAt === 'number'
  )
}
