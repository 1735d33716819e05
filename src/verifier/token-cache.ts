import type { JwksCache } from '../jwks/types.js'
import { deepFreeze } from '../lib/freeze.js'
import type { JWK } from '../lib/wire-types.js'

// The verified-token cache (VerifierOptions.tokenCache): results by the exact
// token, valid until the earlier of the token's expiry and its key leaving
// the key set. Requirements are still checked on every call (access tokens),
// or are part of what an entry answers for (ID tokens, see id-token.ts).

interface CacheEntry<T> {
  result: T
  jwk: JWK
  cache: JwksCache
  until: number
}

/** @internal Verified results by token, at most `max` of them, oldest dropped first. */
export class TokenCache<T extends object> {
  readonly #entries = new Map<string, CacheEntry<T>>()
  readonly #max: number

  constructor(max: number) {
    this.#max = max
  }

  /** How many entries it holds. */
  get size(): number {
    return this.#entries.size
  }

  /** The cached result for `token`, while it is valid; an invalid entry is dropped. */
  get(token: string, now: () => number): T | undefined {
    const hit = this.#entries.get(token)
    if (hit === undefined) return undefined
    if (hit.until > now() && hit.cache.holds(hit.jwk)) return hit.result
    this.#entries.delete(token)
    return undefined
  }

  /** Cache `result`, verified with `jwk` of `cache`, until `until` (ms). Freezes it. */
  set(token: string, result: T, jwk: JWK, cache: JwksCache, until: number): void {
    // Every later call with this token gets this very object: freeze it all
    // (claims, scopes, nested values) once, here, not on each hit.
    deepFreeze(result)
    const entries = this.#entries
    if (entries.size >= this.#max && !entries.has(token)) {
      // The oldest entry: the first in insertion order.
      for (const oldest of entries.keys()) {
        entries.delete(oldest)
        break
      }
    }
    entries.set(token, { result, jwk, cache, until })
  }

  /** Drop `token`. */
  delete(token: string): void {
    this.#entries.delete(token)
  }
}
