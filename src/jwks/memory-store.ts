import type { JwksSnapshot, JwksStore } from './types.js'

/**
 * A {@link JwksStore} in memory: shared by every cache given it, for the
 * life of the process (e.g. several verifiers or a test suite).
 *
 * @returns A new, empty store.
 * @example
 * ```ts
 * import { createJwksCache, createMemoryJwksStore } from 'okta-oauth-kit'
 * const store = createMemoryJwksStore()
 * const a = createJwksCache({ jwksUri: 'https://example.okta.com/oauth2/default/v1/keys', store })
 * const b = createJwksCache({ jwksUri: 'https://example.okta.com/oauth2/default/v1/keys', store })
 * await a.reload() // b's first verification reads the keys from the store
 * ```
 */
export function createMemoryJwksStore(): JwksStore {
  const map = new Map<string, JwksSnapshot>()
  return {
    get: (uri) => {
      const s = map.get(uri)
      return s && structuredClone(s)
    },
    set: (uri, snapshot) => {
      map.set(uri, structuredClone(snapshot))
    },
  }
}
