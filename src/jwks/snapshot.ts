import { raceTimeout } from '../lib/http.js'
import type { JSONWebKeySet } from '../lib/wire-types.js'
import { isJwks } from './key-set.js'
import type { JwksSnapshot, JwksStore } from './types.js'

// The persisted form of a key set: what export() hands out, what import(),
// the `snapshot` option and a store give back, and the store calls.

/** @internal A JSON copy of a key set and its freshness. */
export function toSnapshot(
  jwksUri: string,
  jwks: JSONWebKeySet,
  fetchedAt: number,
  expiresAt: number,
): JwksSnapshot {
  return {
    version: 1,
    jwksUri,
    jwks: structuredClone(jwks),
    fetchedAt,
    expiresAt,
  }
}

/** @internal A snapshot's key set (a copy) with the freshness a cache may give it. */
export interface AdoptedSnapshot {
  jwks: JSONWebKeySet
  fetchedAt: number
  expiresAt: number
}

/**
 * @internal
 * What a cache may take from `snapshot`: nothing unless it is for `jwksUri`,
 * well formed, not past `expiresAt + cacheMaxStale`, and not older than the
 * keys held (fetched at `heldFetchedAt`); otherwise a copy of its keys with a
 * freshness capped by the cache's own bounds.
 */
export function adoptable(
  snapshot: JwksSnapshot,
  jwksUri: string,
  heldFetchedAt: number,
  now: () => number,
  cacheMaxStale: number,
  cacheMaxAge: number,
): AdoptedSnapshot | undefined {
  const ok =
    typeof snapshot === 'object' &&
    snapshot !== null &&
    snapshot.version === 1 &&
    snapshot.jwksUri === jwksUri &&
    isJwks(snapshot.jwks) &&
    Number.isFinite(snapshot.fetchedAt) &&
    Number.isFinite(snapshot.expiresAt) &&
    snapshot.expiresAt + cacheMaxStale >= now() &&
    snapshot.fetchedAt >= heldFetchedAt
  if (!ok) return undefined
  // Never trust a stored freshness beyond this cache's own bounds (nor a
  // fetch time in the future).
  const fetchedAt = Math.min(snapshot.fetchedAt, now())
  const expiresAt = Math.min(snapshot.expiresAt, fetchedAt + cacheMaxAge)
  return { jwks: structuredClone(snapshot.jwks), fetchedAt, expiresAt }
}

/**
 * @internal
 * Read a store's snapshot within `budget` ms (a store is a cache in front of
 * the endpoint: it gets the same time budget). Rejects with what the store
 * threw, or a `TimeoutError`.
 */
export function readStore(
  store: JwksStore,
  jwksUri: string,
  budget: number,
): Promise<JwksSnapshot | undefined> {
  return raceTimeout(
    'JWKS store read',
    Promise.resolve().then(() => store.get(jwksUri)),
    budget,
  )
}

/**
 * @internal
 * Hand a snapshot to a store without waiting for it: what it throws or
 * rejects with goes to `onError`.
 */
export function writeStore(
  store: JwksStore,
  jwksUri: string,
  snapshot: JwksSnapshot,
  onError: (error: unknown) => void,
): void {
  try {
    Promise.resolve(store.set(jwksUri, snapshot)).catch(onError)
  } catch (error) {
    onError(error)
  }
}
