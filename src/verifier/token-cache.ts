import type { JwksCache } from '../jwks/types.js'
import { deepFreeze } from '../lib/freeze.js'
import type { JWK } from '../lib/wire-types.js'
import type { VerifiedAccessToken } from './types.js'

// The verified-token cache (VerifierOptions.tokenCache): results by the exact
// token, valid until the earlier of the token's expiry and its key leaving
// the key set. Requirements are still checked on every call.

interface CacheEntry {
  result: VerifiedAccessToken
  jwk: JWK | undefined
  cache: JwksCache | undefined
  until: number
}

/** @internal Verified results by token, at most `max` of them, oldest dropped first. */
export class TokenCache {
  readonly #entries = new Map<string, CacheEntry>()
  readonly #max: number

  constructor(max: number) {
    this.#max = max
  }

  /** The cached result for `token`, while it is valid; an invalid entry is dropped. */
  get(token: string, now: () => number): VerifiedAccessToken | undefined {
    const hit = this.#entries.get(token)
    if (hit) {
      if (
        hit.until > now() &&
        (hit.cache === undefined || (hit.jwk !== undefined && hit.cache.holds(hit.jwk)))
      ) {
        return hit.result
      }
      this.#entries.delete(token)
    }
    return undefined
  }

  /** Cache `result`, verified with `jwk` of `cache`, until `until` (ms). Freezes it. */
  set(token: string, result: VerifiedAccessToken, jwk: JWK, cache: JwksCache, until: number): void {
    // Every later call with this token gets this very object: freeze it all
    // (claims, scopes, nested values) once, here, not on each hit.
    deepFreeze(result)
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(token, { result, jwk, cache, until })
  }

  /** Drop `token`. */
  delete(token: string): void {
    this.#entries.delete(token)
  }
}
