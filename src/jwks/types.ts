import type { CallOptions, HttpOptions } from '../lib/http.js'
import type {
  FlattenedJWSInput,
  JSONWebKeySet,
  JWK,
  JWSHeaderParameters,
} from '../lib/wire-types.js'
import type { JwksCacheEvent } from './events.js'

/**
 * A persisted copy of a key set: what {@link JwksCache.export} returns and
 * {@link JwksCache.import} and {@link JwksStore} take. Plain JSON.
 */
export interface JwksSnapshot {
  /** Format version: `1`. */
  version: 1
  /** The `jwks_uri` the keys were read from. */
  jwksUri: string
  /** The key set as the server sent it. */
  jwks: JSONWebKeySet
  /** When the keys were fetched, in ms since the epoch. */
  fetchedAt: number
  /** When they are due for a refresh, in ms since the epoch (`Cache-Control` within the cache's bounds). */
  expiresAt: number
}

/**
 * Where caches keep key sets across cold starts (serverless functions, edge
 * workers) and share them across a fleet: a key-value store keyed by
 * `jwks_uri`. A cache reads it on a cold start, and again before a refresh
 * or an unknown-`kid` refetch, adopting a newer snapshot another process
 * saved instead of asking the server (`okta-oauth-kit/redis` has one on
 * Redis). Methods may be sync or async; a store that throws only costs a
 * fetch (the error is reported as an event).
 */
export interface JwksStore {
  /**
   * The snapshot stored for `jwksUri`, if any.
   * @param jwksUri - The key.
   */
  get(jwksUri: string): JwksSnapshot | undefined | Promise<JwksSnapshot | undefined>
  /**
   * Store a snapshot after each successful fetch.
   * @param jwksUri - The key.
   * @param snapshot - The value.
   */
  set(jwksUri: string, snapshot: JwksSnapshot): void | Promise<void>
}

/** Options of {@link createJwksCache}. */
export interface JwksCacheOptions extends HttpOptions {
  /** The `jwks_uri` to read keys from. */
  jwksUri: string | URL
  /**
   * Minimum time between two refetches caused by unknown `kid`s, in ms (as
   * jose's `cooldownDuration`). The first unknown `kid` always refetches at
   * once, so a freshly rotated key verifies on its first use. Unknown `kid`s
   * are remembered for this long. Default: 30 000.
   */
  cooldownDuration?: number
  /**
   * Upper bound on how long keys are used before a refresh, in ms (as jose's
   * `cacheMaxAge`). A `Cache-Control: max-age` shorter than this is honoured
   * (down to {@link cacheMinAge}); a longer one is capped. Default: 600 000
   * (10 min).
   */
  cacheMaxAge?: number
  /**
   * Lower bound on a `Cache-Control: max-age` (and the age used for
   * `no-cache`), in ms. Default: 30 000.
   */
  cacheMinAge?: number
  /**
   * Past its refresh time, while the endpoint fails, a key set keeps
   * verifying for this long, in ms, with retries in the background.
   * Default: 86 400 000 (1 day).
   */
  cacheMaxStale?: number
  /**
   * The old name of {@link cooldownDuration} (ms). Giving both is an
   * `InvalidOptionError`.
   * @deprecated Use {@link cooldownDuration}, the same value under jose's name.
   */
  cooldown?: number
  /**
   * The old name of {@link cacheMaxAge}, in ms, while `maxAge` elsewhere in
   * the SDK (authorization requests, ID-token and access-token checks) is in
   * seconds. Giving both is an `InvalidOptionError`.
   * @deprecated Use {@link cacheMaxAge}, the same value in ms.
   */
  maxAge?: number
  /**
   * The old name of {@link cacheMinAge} (ms). Giving both is an
   * `InvalidOptionError`.
   * @deprecated Use {@link cacheMinAge}, the same value in ms.
   */
  minAge?: number
  /**
   * The old name of {@link cacheMaxStale}, in ms (Cache-Control's
   * `max-stale` is in seconds). Giving both is an `InvalidOptionError`.
   * @deprecated Use {@link cacheMaxStale}, the same value in ms.
   */
  maxStale?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
  /** A store to load keys from on a cold start and save them to after each fetch. */
  store?: JwksStore
  /** A snapshot to start from (e.g. bundled at deploy time); used if fresh enough. */
  snapshot?: JwksSnapshot
  /** Receives fetch, rotation, stale-use, unknown-kid, import and store events. Exceptions it throws are ignored. */
  onEvent?: (event: JwksCacheEvent) => void
  /** How many unknown `kid`s to remember at most. Default: 1 000. */
  maxUnknownKids?: number
  /**
   * The largest key set read, in bytes. A larger response is cut off as soon
   * as it passes the limit and the fetch fails with `JwksError`
   * (`ERR_JWKS_UNAVAILABLE`, its `cause` an `InvalidResponseError` with
   * `ERR_RESPONSE_TOO_LARGE`); keys already held keep verifying as for any
   * failed fetch. Default: `RESPONSE_LIMITS.jwks` (1 MiB, hundreds of keys).
   */
  maxResponseBytes?: number
}

/** A resolver of verification keys for a JWS header, as `jose.jwtVerify` accepts. */
export type KeyResolver = (
  header: JWSHeaderParameters,
  token: FlattenedJWSInput,
) => Promise<CryptoKey | Uint8Array>

/** The parts of a JWS header a key is selected by. */
export interface KeySelector {
  /** The algorithm. */
  alg: string
  /** The key id, if the token names one. */
  kid?: string | undefined
}

/**
 * A cache of one JSON Web Key Set, shared by every validation of one issuer.
 */
export interface JwksCache {
  /** The `jwks_uri` this cache reads. */
  readonly jwksUri: string
  /**
   * The key for a JWS header: from the cached set, refetching on a miss as
   * the cooldown allows. Usable directly as `jose.jwtVerify`'s key argument.
   * Rejects with `JwksError` (`ERR_JWKS_NO_MATCHING_KEY`, `ERR_JWKS_UNAVAILABLE`).
   */
  getKey: KeyResolver
  /**
   * The keys that may verify a token with this header, without waiting:
   * `undefined` when the cache cannot answer now (cold, too stale, no key
   * matches, or more than three keys fit a header without `kid`), in which
   * case call {@link resolve}. Starts a background refresh when the keys are
   * due. The array and its keys are frozen.
   * @param header - `alg` and `kid` of the token.
   */
  peek(header: KeySelector): readonly JWK[] | undefined
  /**
   * The keys that may verify a token with this header: loads, refreshes and
   * refetches for an unknown `kid` as the cache's rules allow. A header
   * without `kid` gets at most three keys (those whose `kty`, `alg`, curve and
   * `use` fit); when more fit, it is refused. The array and its keys are frozen.
   * @param header - `alg` and `kid` of the token.
   * @param options - signal and timeout for any fetch this waits on.
   * Rejects with `JwksError` (`ERR_JWKS_NO_MATCHING_KEY` for no key or too
   * many keys without `kid`, `ERR_JWKS_UNAVAILABLE`), `TimeoutError` or `AbortError`.
   */
  resolve(header: KeySelector, options?: CallOptions): Promise<readonly JWK[]>
  /**
   * Whether `jwk` is still in the key set (a key that left it no longer verifies).
   * @param jwk - A key returned by {@link peek} or {@link resolve}.
   */
  holds(jwk: JWK): boolean
  /**
   * Fetch the key set now (sharing a fetch already under way).
   * @param options - signal and timeout.
   */
  reload(options?: CallOptions): Promise<JSONWebKeySet>
  /** The key set held now, if any, as the server sent it (frozen). */
  readonly jwks: JSONWebKeySet | undefined
  /** A JSON copy of the key set and its freshness, or `undefined` when the cache is empty. */
  export(): JwksSnapshot | undefined
  /**
   * Adopt a snapshot (from {@link export}, another process or a store) if it is
   * for this `jwks_uri`, well formed, and not older than the stale limit.
   * @param snapshot - What {@link export} returned.
   * @returns Whether the snapshot was adopted.
   */
  import(snapshot: JwksSnapshot): boolean
}
