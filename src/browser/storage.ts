/**
 * An asynchronous key-value store of JSON values: where the browser entry
 * keeps tokens and authorization transactions. Every method may return a
 * promise, so a custom store (IndexedDB, an encrypted wrapper, a native
 * bridge) plugs in unchanged.
 */
export interface KeyValueStore {
  /**
   * Read a value.
   * @param key - the key, without any namespace.
   * @returns The stored value, or `undefined` when absent or unreadable.
   */
  get(key: string): Promise<unknown>
  /**
   * Write a value.
   * @param key - the key, without any namespace.
   * @param value - a JSON-compatible value.
   */
  set(key: string, value: unknown): Promise<void>
  /**
   * Delete a value; deleting an absent key is not an error.
   * @param key - the key, without any namespace.
   */
  remove(key: string): Promise<void>
  /**
   * List the keys held (without the namespace). Optional: without it,
   * sweeping expired transactions is a no-op.
   * @returns The keys.
   */
  keys?(): Promise<string[]>
}

/** Where tokens are kept: any {@link KeyValueStore}. */
export type TokenStorage = KeyValueStore

/**
 * A store in this page's memory (the default): tokens vanish on reload and
 * are out of reach of other scripts reading `localStorage`. Values are
 * copied in and out, so callers cannot mutate what is stored.
 *
 * @returns A new, empty store.
 * @example
 * ```ts
 * import { memoryStore } from 'okta-oauth-kit/browser'
 * const store = memoryStore()
 * await store.set('greeting', { hello: 'world' })
 * ```
 */
export function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>()
  return {
    async get(key) {
      return map.has(key) ? structuredClone(map.get(key)) : undefined
    },
    async set(key, value) {
      map.set(key, structuredClone(value))
    },
    async remove(key) {
      map.delete(key)
    },
    async keys() {
      return [...map.keys()]
    },
  }
}

/** Options of {@link webStorage}. */
export interface WebStorageOptions {
  /** Prefix of every key, so the SDK's entries never collide with the app's. Default: `okta-oauth-kit:`. */
  prefix?: string
}

/**
 * A store over a Web Storage object (`sessionStorage` or `localStorage`).
 * Values are JSON under namespaced keys; a value that does not parse (left
 * by another version or another script) is treated as absent and removed.
 *
 * @param storage - `sessionStorage`, `localStorage`, or any `Storage`.
 * @param options - the key prefix.
 * @returns The store.
 * @example
 * ```ts
 * import { webStorage } from 'okta-oauth-kit/browser'
 * const store = webStorage(sessionStorage, { prefix: 'my-app:' })
 * ```
 */
export function webStorage(storage: Storage, options: WebStorageOptions = {}): KeyValueStore {
  const prefix = options.prefix ?? 'okta-oauth-kit:'
  return {
    async get(key) {
      const raw = storage.getItem(prefix + key)
      if (raw === null) return undefined
      try {
        return JSON.parse(raw) as unknown
      } catch {
        storage.removeItem(prefix + key)
        return undefined
      }
    },
    async set(key, value) {
      storage.setItem(prefix + key, JSON.stringify(value))
    },
    async remove(key) {
      storage.removeItem(prefix + key)
    },
    async keys() {
      const keys: string[] = []
      for (let i = 0; i < storage.length; i++) {
        const name = storage.key(i)
        if (name?.startsWith(prefix)) keys.push(name.slice(prefix.length))
      }
      return keys
    },
  }
}
