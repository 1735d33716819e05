/** Why the cache fetched: first use, freshness, an unknown `kid`, a retry after a failure, or {@link JwksCache.reload}. */
export type JwksFetchReason = 'cold' | 'expired' | 'unknown-kid' | 'retry' | 'manual'

/** The key set was fetched (or the fetch failed). */
export interface JwksFetchEvent {
  /** Discriminant. */
  type: 'fetch'
  /** Why it was fetched. */
  reason: JwksFetchReason
  /** Whether it succeeded. */
  ok: boolean
  /** How long it took, in ms. */
  durationMs: number
  /** Number of usable signing keys after a success. */
  keyCount?: number
  /** What failed, when `ok` is false. */
  error?: Error
}

/** A fetch changed the set of `kid`s. */
export interface JwksRotationEvent {
  /** Discriminant. */
  type: 'rotation'
  /** `kid`s that appeared. */
  added: string[]
  /** `kid`s that left the set: tokens signed with them no longer verify. */
  removed: string[]
}

/** Keys past their freshness are being used because the endpoint failed. */
export interface JwksStaleEvent {
  /** Discriminant. */
  type: 'stale'
  /** How far past the refresh time the keys are, in ms. */
  staleForMs: number
  /** The fetch failure. */
  error: Error
}

/** A token named a `kid` the key set does not hold. */
export interface JwksUnknownKidEvent {
  /** Discriminant. */
  type: 'unknown-kid'
  /** The `kid` from the token header (`''` when it had none). Not secret. */
  kid: string
  /** Whether this miss caused a refetch; otherwise the cooldown or the negative cache answered. */
  refetched: boolean
}

/** A snapshot was loaded from the store or from {@link JwksCacheOptions.snapshot}. */
export interface JwksImportEvent {
  /** Discriminant. */
  type: 'import'
  /** Where it came from. */
  source: 'store' | 'snapshot'
  /** Whether it was fresh enough to use. */
  used: boolean
}

/** A {@link JwksStore} call failed; the cache carried on without it. */
export interface JwksStoreErrorEvent {
  /** Discriminant. */
  type: 'store-error'
  /** Which call. */
  operation: 'get' | 'set'
  /** What it threw. */
  error: Error
}

/** Everything a {@link JwksCache} reports to {@link JwksCacheOptions.onEvent}. */
export type JwksCacheEvent =
  | JwksFetchEvent
  | JwksRotationEvent
  | JwksStaleEvent
  | JwksUnknownKidEvent
  | JwksImportEvent
  | JwksStoreErrorEvent
