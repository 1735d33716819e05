import { JwksError } from '../errors.js'
import { curveOf, ktyOf } from '../lib/algorithms.js'
import { deepFreeze } from '../lib/freeze.js'
import type { JSONWebKeySet, JWK } from '../lib/wire-types.js'
import type { KeySelector } from './types.js'

// A key set as the cache holds it: indexed by kid, bounded, with the
// selection of keys for a token header memoised for the hot path.

/** @internal A fetched key set, indexed. */
export interface KeySet {
  jwks: JSONWebKeySet
  byKid: Map<string, JWK[]>
  all: JWK[]
  current: Set<JWK>
  /** Selections by kid (known kids only) and alg: the hot path allocates nothing. */
  selected: Map<string, Map<string, JWK[]>>
}

/**
 * Most usable keys kept from one key set, in the document's order; the rest
 * are ignored, so that a huge key set costs bounded work per fetch and per
 * token. Okta publishes two to four.
 */
export const MAX_KEYS = 100

/**
 * Most keys a token without `kid` may be checked against: those whose `kty`,
 * `alg`, curve and `use` fit. When more fit, the token is refused
 * (`ERR_JWKS_NO_MATCHING_KEY`) before any signature check. Okta's tokens
 * always name their key.
 */
export const MAX_KIDLESS_CANDIDATES = 3

/**
 * Index a key set by kid, keeping the identity of keys that did not change.
 * The set is frozen: the cache hands its keys out to every caller.
 */
export function index(jwks: JSONWebKeySet, previous: KeySet | undefined): KeySet {
  deepFreeze(jwks)
  const prior = new Map<string, JWK>()
  if (previous) for (const k of previous.all) prior.set(JSON.stringify(k), k)
  const all: JWK[] = []
  const byKid = new Map<string, JWK[]>()
  for (const raw of jwks.keys) {
    if (all.length === MAX_KEYS) break
    if (!usable(raw)) continue
    const jwk = prior.get(JSON.stringify(raw)) ?? raw
    all.push(jwk)
    if (typeof jwk.kid === 'string') {
      const list = byKid.get(jwk.kid)
      if (list) list.push(jwk)
      else byKid.set(jwk.kid, [jwk])
    }
  }
  return { jwks, all, byKid, current: new Set(all), selected: new Map() }
}

function usable(jwk: JWK): boolean {
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP') return false
  if (jwk.use !== undefined && jwk.use !== 'sig') return false
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))
    return false
  return true
}

/** The keys of `set` that may verify a token with this header. */
export function select(set: KeySet, header: KeySelector): JWK[] {
  const kid = header.kid
  // Memoise only for kids in the set, so forged kids cannot grow the memo.
  if (kid === undefined || !set.byKid.has(kid)) return match(set, header)
  let byAlg = set.selected.get(kid)
  if (!byAlg) {
    byAlg = new Map()
    set.selected.set(kid, byAlg)
  }
  let found = byAlg.get(header.alg)
  if (!found) {
    // Frozen: every token with this kid and alg gets this very array.
    found = Object.freeze(match(set, header)) as JWK[]
    if (byAlg.size < 16) byAlg.set(header.alg, found)
  }
  return found
}

/** Whether more keys fit a token without `kid` than it may be checked against. */
export function tooMany(found: readonly JWK[], header: KeySelector): boolean {
  return header.kid === undefined && found.length > MAX_KIDLESS_CANDIDATES
}

function match(set: KeySet, header: KeySelector): JWK[] {
  const kty = ktyOf(header.alg)
  if (kty === undefined) return []
  const pool = header.kid === undefined ? set.all : set.byKid.get(header.kid)
  if (!pool) return []
  const out: JWK[] = []
  for (const jwk of pool) {
    if (jwk.kty !== kty) continue
    if (jwk.alg !== undefined && jwk.alg !== header.alg) continue
    if (kty !== 'RSA' && jwk.crv !== curveOf(header.alg)) continue
    out.push(jwk)
    // One more than allowed is enough to refuse a token without kid.
    if (header.kid === undefined && out.length > MAX_KIDLESS_CANDIDATES) break
  }
  return out
}

/** @internal More keys fit a token without `kid` than it may be checked against. */
export function ambiguous(): JwksError {
  return new JwksError(
    `more than ${MAX_KIDLESS_CANDIDATES} keys fit a token without kid; Okta tokens always name their key`,
    { code: 'ERR_JWKS_NO_MATCHING_KEY' },
  )
}

/** @internal No key of the set fits the token header. */
export function noMatchingKey(): JwksError {
  return new JwksError('no key in the JWKS matches the token header (kid/alg)', {
    code: 'ERR_JWKS_NO_MATCHING_KEY',
  })
}

/** @internal Whether a value is a JSON Web Key Set (an object with an array of objects). */
export function isJwks(value: unknown): value is JSONWebKeySet {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { keys: unknown[] }).keys.every(
      (k) => typeof k === 'object' && k !== null && !Array.isArray(k),
    )
  )
}
