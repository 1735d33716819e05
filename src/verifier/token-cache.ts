import type { JwksCache } from '../jwks/types.js'
import { deepFreeze } from '../lib/freeze.js'
import type { JWK } from '../lib/wire-types.js'

// The verified-token cache (VerifierOptions.tokenCache): results by the exact
// token, valid until the earlier of the token's expiry and its key leaving
// the key set. Requirements are still checked on every call (access tokens),
// or are part of what an entry answers for (ID tokens, see id-token.ts).
//
// What keeps a miss cheap (a verifier that sees every token once pays
// almost nothing for the cache):
// - Entries are found by the token's last characters (its signature's), not
//   the whole token: a token read from a request is a new string, and
//   hashing ~1 000 characters costs as much as the rest of a lookup. A hit
//   then compares the whole token.
// - A token is stored from its second verification on. The first only marks
//   its fingerprint in a fixed table (no allocation, nothing kept), so tokens
//   seen once are never frozen, stored, evicted or carried through the GC.

/** Characters of the token's end an entry is found by: 144 bits of its signature. */
const KEY_CHARS = 24
/** Characters of the token's end its slot, and the ones before its fingerprint, are read from. */
const PRINT_CHARS = 16

interface CacheEntry<T> {
  token: string
  result: T
  jwk: JWK
  cache: JwksCache
  until: number
}

/** @internal Verified results by token, at most `max` of them, oldest dropped first. */
export class TokenCache<T extends object> {
  readonly #entries = new Map<string, CacheEntry<T>>()
  readonly #max: number
  /** Fingerprints of tokens verified once, by slot; a token's second verification finds its own. */
  readonly #seen: Int32Array
  readonly #mask: number

  constructor(max: number) {
    this.#max = max
    // About `max` slots: a token is stored when it comes back within about
    // as many others as the cache holds (later, it would have been dropped).
    let slots = 64
    while (slots < max && slots < 1 << 20) slots *= 2
    this.#seen = new Int32Array(slots)
    this.#mask = slots - 1
  }

  /** How many entries it holds. */
  get size(): number {
    return this.#entries.size
  }

  /** The cached result for `token`, while it is valid; an invalid entry is dropped. */
  get(token: string, now: () => number): T | undefined {
    const key = token.slice(-KEY_CHARS)
    const hit = this.#entries.get(key)
    if (hit === undefined || hit.token !== token) return undefined
    if (hit.until > now() && hit.cache.holds(hit.jwk)) return hit.result
    this.#entries.delete(key)
    return undefined
  }

  /**
   * Cache `result`, verified with `jwk` of `cache`, until `until` (ms), if
   * `token` was verified before (else only remember that it was). Freezes
   * what it caches.
   * @returns Whether it was cached.
   */
  set(token: string, result: T, jwk: JWK, cache: JwksCache, until: number): boolean {
    // The slot from the last characters, the fingerprint kept in it from the
    // ones before: two tokens collide only if both agree (about 1 in 2^49).
    const end = token.length
    const slot = hash(token, end - PRINT_CHARS, end) & this.#mask
    const print = hash(token, end - 2 * PRINT_CHARS, end - PRINT_CHARS)
    if (this.#seen[slot] !== print) {
      this.#seen[slot] = print
      return false
    }
    // Every later call with this token gets this very object: freeze it all
    // (claims, scopes, nested values) once, here, not on each hit.
    deepFreeze(result)
    const entries = this.#entries
    const key = token.slice(-KEY_CHARS)
    if (entries.size >= this.#max && !entries.has(key)) {
      // The oldest entry: the first in insertion order.
      for (const oldest of entries.keys()) {
        entries.delete(oldest)
        break
      }
    }
    entries.set(key, { token, result, jwk, cache, until })
    return true
  }

  /** Drop `token`. */
  delete(token: string): void {
    const key = token.slice(-KEY_CHARS)
    if (this.#entries.get(key)?.token === token) this.#entries.delete(key)
  }
}

/** FNV-1a over `text[from, to)` (clamped), then MurmurHash3's final mix: 32 well-spread bits. */
function hash(text: string, from: number, to: number): number {
  let h = 0x811c9dc5
  for (let i = Math.max(0, from); i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return h ^ (h >>> 16)
}
