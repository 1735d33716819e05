import {
  type FlattenedJWSInput,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWSHeaderParameters,
} from 'jose'
import { AbortError, InvalidResponseError, JwksError, OktaOAuthError } from '../errors.js'
import { curveOf, ktyOf } from '../lib/algorithms.js'
import { RESPONSE_LIMITS, readText, responseLimit } from '../lib/body.js'
import { safeCause } from '../lib/cause.js'
import { deepFreeze } from '../lib/freeze.js'
import {
  assertSecureUrl,
  awaitSharedCall,
  type CallOptions,
  callerGaveUp,
  DEFAULT_TIMEOUT,
  type HttpOptions,
  parseUrl,
  raceTimeout,
  resolveFetch,
  withSignal,
} from '../lib/http.js'

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
 * workers): a key-value store keyed by `jwks_uri`. Methods may be sync or async;
 * a store that throws only costs a fetch (the error is reported as an event).
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

/** Options of {@link createJwksCache}. */
export interface JwksCacheOptions extends HttpOptions {
  /** The `jwks_uri` to read keys from. */
  jwksUri: string | URL
  /**
   * Minimum time between two refetches caused by unknown `kid`s, in ms. The
   * first unknown `kid` always refetches at once, so a freshly rotated key
   * verifies on its first use. Unknown `kid`s are remembered for this long.
   * Default: 30 000.
   */
  cooldown?: number
  /**
   * Upper bound on how long keys are used before a refresh, in ms. A
   * `Cache-Control: max-age` shorter than this is honoured (down to
   * {@link minAge}); a longer one is capped. Default: 600 000 (10 min).
   */
  maxAge?: number
  /** Lower bound on a `Cache-Control: max-age` (and the age used for `no-cache`), in ms. Default: 30 000. */
  minAge?: number
  /**
   * Past its refresh time, while the endpoint fails, a key set keeps
   * verifying for this long, in ms, with retries in the background.
   * Default: 86 400 000 (1 day).
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

interface KeySet {
  jwks: JSONWebKeySet
  byKid: Map<string, JWK[]>
  all: JWK[]
  current: Set<JWK>
  /** Selections by kid (known kids only) and alg: the hot path allocates nothing. */
  selected: Map<string, Map<string, JWK[]>>
}

/**
 * Create a JWKS cache for `jwksUri`.
 *
 * - **single-flight**: concurrent misses share one request;
 * - **rotation**: a token whose `kid` is unknown refetches at once the first
 *   time, then at most once per `cooldown`; unknown `kid`s are remembered for
 *   a cooldown so forged tokens cost no requests;
 * - **freshness**: `Cache-Control: max-age` within `[minAge, maxAge]`;
 * - **outages**: past its refresh time a failing endpoint does not stop known
 *   keys from verifying, for up to `maxStale`, while retries run in the
 *   background with a growing delay;
 * - **persistence**: {@link JwksCache.export}/{@link JwksCache.import} and a {@link JwksStore};
 * - **bounded**: a key set is read up to `maxResponseBytes` (1 MiB), only its
 *   first 100 usable keys are kept, and a token without `kid` is checked
 *   against at most three keys (more fitting keys refuse it). Okta publishes
 *   a few keys and always names the key in `kid`.
 *
 * @param options - The `jwksUri` and cache tuning.
 * @returns The cache; pass {@link JwksCache.getKey} to `jose.jwtVerify`.
 * @throws `InvalidOptionError` for a bad `jwksUri` or `maxResponseBytes`.
 * @example
 * ```ts
 * import { createJwksCache } from 'okta-oauth-kit'
 * const jwks = createJwksCache({
 *   jwksUri: 'https://example.okta.com/oauth2/default/v1/keys',
 *   onEvent: (event) => {
 *     if (event.type === 'rotation') console.log('keys rotated', event.added, event.removed)
 *   },
 * })
 * await jwks.reload()
 * ```
 */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  return new Cache(options)
}

const registry = new Map<string, Set<WeakRef<Cache>>>()

/**
 * @internal
 * Reload every live cache of `jwksUri` in this process (after a key rotation
 * made through the management API). Resolves when all have reloaded or failed.
 */
export async function reloadCachesOf(jwksUri: string): Promise<number> {
  const refs = registry.get(jwksUri)
  if (!refs) return 0
  const caches: Cache[] = []
  for (const ref of refs) {
    const cache = ref.deref()
    if (cache) caches.push(cache)
    else refs.delete(ref)
  }
  await Promise.allSettled(caches.map((c) => c.refetch()))
  return caches.length
}

class Cache implements JwksCache {
  readonly jwksUri: string
  readonly #url: URL
  readonly #options: JwksCacheOptions
  readonly #cooldown: number
  readonly #maxAge: number
  readonly #minAge: number
  readonly #maxStale: number
  readonly #maxUnknown: number
  readonly #maxBytes: number
  readonly #now: () => number
  readonly #fetch: ReturnType<typeof resolveFetch>
  #keys: KeySet | undefined
  #fetchedAt = 0
  #expiresAt = 0
  #pending: Promise<JSONWebKeySet> | undefined
  #lastMissFetch: number | undefined
  #failures = 0
  #retryAt = 0
  #lastError: Error | undefined
  readonly #unknown = new Map<string, number>()
  #storeLoad: Promise<void> | undefined
  readonly #imported = new WeakMap<JWK, Map<string, Promise<CryptoKey | Uint8Array>>>()

  constructor(options: JwksCacheOptions) {
    this.#url = parseUrl(options.jwksUri, 'jwksUri')
    assertSecureUrl(this.#url, 'jwksUri', options.allowInsecureRequests)
    this.jwksUri = this.#url.href
    this.#options = options
    this.#cooldown = options.cooldown ?? 30_000
    this.#maxAge = options.maxAge ?? 600_000
    this.#minAge = Math.min(options.minAge ?? 30_000, this.#maxAge)
    this.#maxStale = options.maxStale ?? 86_400_000
    this.#maxUnknown = options.maxUnknownKids ?? 1_000
    this.#maxBytes = responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.jwks)
    this.#now = options.now ?? Date.now
    this.#fetch = resolveFetch(options)
    if (options.snapshot) this.#adopt(options.snapshot, 'snapshot')
    let refs = registry.get(this.jwksUri)
    if (!refs) {
      refs = new Set()
      registry.set(this.jwksUri, refs)
    }
    if (refs.size >= 64) for (const ref of refs) if (!ref.deref()) refs.delete(ref)
    refs.add(new WeakRef(this))
  }

  get jwks(): JSONWebKeySet | undefined {
    return this.#keys?.jwks
  }

  getKey = async (
    header: JWSHeaderParameters,
    _token?: FlattenedJWSInput,
  ): Promise<CryptoKey | Uint8Array> => {
    const alg = header.alg
    if (typeof alg !== 'string') {
      throw new JwksError('the token header has no alg', { code: 'ERR_JWKS_NO_MATCHING_KEY' })
    }
    const candidates = await this.resolve({ alg, kid: header.kid })
    if (candidates.length > 1) {
      throw new JwksError(
        'several keys match a token without kid; Okta tokens always name their key',
        { code: 'ERR_JWKS_NO_MATCHING_KEY' },
      )
    }
    const jwk = candidates[0]!
    let byAlg = this.#imported.get(jwk)
    if (!byAlg) {
      byAlg = new Map()
      this.#imported.set(jwk, byAlg)
    }
    let key = byAlg.get(alg)
    if (!key) {
      key = importJWK({ ...jwk, ext: true }, alg)
      byAlg.set(alg, key)
      key.catch(() => byAlg.delete(alg))
    }
    try {
      return await key
    } catch (cause) {
      throw new JwksError(`the JWKS key for alg ${alg} cannot be imported`, {
        code: 'ERR_JWKS_NO_MATCHING_KEY',
        cause: safeCause(cause, true),
      })
    }
  }

  holds(jwk: JWK): boolean {
    return this.#keys?.current.has(jwk) ?? false
  }

  peek(header: KeySelector): readonly JWK[] | undefined {
    const keys = this.#keys
    if (!keys) return undefined
    const t = this.#now()
    if (t > this.#expiresAt) {
      if (t > this.#expiresAt + this.#maxStale) return undefined
      this.#background(t)
    }
    const found = select(keys, header)
    return found.length > 0 && !tooMany(found, header) ? found : undefined
  }

  async resolve(header: KeySelector, call?: CallOptions): Promise<readonly JWK[]> {
    if (header.kid !== undefined && typeof header.kid !== 'string') throw noMatchingKey()
    const fetchedForThisCall = await this.#usable(call)
    let found = select(this.#keys!, header)
    if (tooMany(found, header)) throw ambiguous()
    if (found.length > 0) return found
    const kid = header.kid ?? ''
    const t = this.#now()
    const until = this.#unknown.get(kid)
    if (until !== undefined && until > t) {
      this.#emit({ type: 'unknown-kid', kid, refetched: false })
      throw noMatchingKey()
    }
    if (fetchedForThisCall) {
      // The key set was fetched while this lookup waited: it is current, and
      // refetching at once could not bring the kid.
      this.#emit({ type: 'unknown-kid', kid, refetched: false })
      this.#remember(kid, t)
      throw noMatchingKey()
    }
    if (this.#lastMissFetch !== undefined && t - this.#lastMissFetch < this.#cooldown) {
      // A refetch for an unknown kid ran recently (or is running): join it if
      // it is still under way, otherwise answer from what it brought.
      if (this.#pending) await this.#join(call)
      this.#emit({ type: 'unknown-kid', kid, refetched: false })
    } else {
      this.#lastMissFetch = t
      this.#emit({ type: 'unknown-kid', kid, refetched: true })
      try {
        await awaitSharedCall('JWKS request', this.#start('unknown-kid', call), call)
      } catch (err) {
        // Keys we still hold are fine; only a miss counts.
        if (callerGaveUp(err)) throw err
      }
    }
    found = select(this.#keys!, header)
    if (tooMany(found, header)) throw ambiguous()
    if (found.length > 0) return found
    // Refused until the cooldown allows the next refetch, not longer: a key
    // rotated in meanwhile is then found on its next use.
    this.#remember(kid, this.#lastMissFetch!)
    throw noMatchingKey()
  }

  reload(call?: CallOptions): Promise<JSONWebKeySet> {
    if (call?.signal?.aborted) {
      return Promise.reject(
        new AbortError('JWKS request was aborted', { cause: call.signal.reason }),
      )
    }
    return awaitSharedCall('JWKS request', this.#start('manual', call), call)
  }

  /**
   * @internal A fetch that starts after this call: one already under way may
   * have been sent before a rotation was published, so it is not joined.
   */
  async refetch(): Promise<JSONWebKeySet> {
    const running = this.#pending
    if (running) await running.catch(() => {})
    return this.reload()
  }

  export(): JwksSnapshot | undefined {
    if (!this.#keys) return undefined
    return {
      version: 1,
      jwksUri: this.jwksUri,
      jwks: structuredClone(this.#keys.jwks),
      fetchedAt: this.#fetchedAt,
      expiresAt: this.#expiresAt,
    }
  }

  import(snapshot: JwksSnapshot): boolean {
    return this.#adopt(snapshot, undefined)
  }

  #adopt(snapshot: JwksSnapshot, source: 'store' | 'snapshot' | undefined): boolean {
    const ok =
      typeof snapshot === 'object' &&
      snapshot !== null &&
      snapshot.version === 1 &&
      snapshot.jwksUri === this.jwksUri &&
      isJwks(snapshot.jwks) &&
      Number.isFinite(snapshot.fetchedAt) &&
      Number.isFinite(snapshot.expiresAt) &&
      snapshot.expiresAt + this.#maxStale >= this.#now() &&
      snapshot.fetchedAt >= this.#fetchedAt
    if (ok) {
      // Never trust a stored freshness beyond this cache's own bounds (nor a
      // fetch time in the future).
      const fetchedAt = Math.min(snapshot.fetchedAt, this.#now())
      const expiresAt = Math.min(snapshot.expiresAt, fetchedAt + this.#maxAge)
      this.#install(structuredClone(snapshot.jwks), fetchedAt, expiresAt)
    }
    if (source) this.#emit({ type: 'import', source, used: ok })
    return ok
  }

  /**
   * Make sure some keys are usable now: load, or refresh when past the stale
   * limit. Resolves `true` when it waited for a fetch.
   */
  async #usable(call?: CallOptions): Promise<boolean> {
    if (!this.#keys && this.#options.store) await this.#loadStore()
    const t = this.#now()
    if (this.#keys && t <= this.#expiresAt) return false
    if (this.#keys && t <= this.#expiresAt + this.#maxStale) {
      this.#background(t)
      return false
    }
    // Nothing usable: wait for a fetch, unless one failed moments ago.
    if (!this.#pending && this.#lastError && t < this.#retryAt) {
      throw new JwksError('JWKS endpoint is unavailable (last attempt failed moments ago)', {
        code: 'ERR_JWKS_UNAVAILABLE',
        cause: ownCause(this.#lastError),
      })
    }
    await awaitSharedCall('JWKS request', this.#start(this.#keys ? 'expired' : 'cold', call), call)
    return true
  }

  #loadStore(): Promise<void> {
    const store = this.#options.store!
    this.#storeLoad ??= (async () => {
      try {
        // A store is a cache in front of the endpoint: it gets the same time budget.
        const budget = this.#options.timeout ?? DEFAULT_TIMEOUT
        const snapshot = await raceTimeout(
          'JWKS store read',
          Promise.resolve().then(() => store.get(this.jwksUri)),
          budget,
        )
        if (snapshot) this.#adopt(snapshot, 'store')
      } catch (error) {
        this.#emit({ type: 'store-error', operation: 'get', error: asError(error) })
      }
    })()
    return this.#storeLoad
  }

  /** Refresh in the background when due, unless a fetch runs or a retry is not yet due. */
  #background(t: number): void {
    if (this.#pending || t < this.#retryAt) return
    this.#start(this.#failures > 0 ? 'retry' : 'expired').catch((error: Error) => {
      this.#emit({ type: 'stale', staleForMs: this.#now() - this.#expiresAt, error })
    })
  }

  async #join(call?: CallOptions): Promise<void> {
    try {
      await awaitSharedCall('JWKS request', this.#pending!, call)
    } catch (err) {
      if (callerGaveUp(err)) throw err
    }
  }

  #start(reason: JwksFetchReason, call?: CallOptions): Promise<JSONWebKeySet> {
    if (this.#pending) return this.#pending
    // The fetch is shared by every caller, so it runs with the cache's timeout
    // (or a longer one this caller allows); each caller stops waiting on its
    // own signal and timeout (awaitCall).
    const own = call?.timeout
    const timeout =
      own !== undefined && Number.isFinite(own) && own > (this.#options.timeout ?? DEFAULT_TIMEOUT)
        ? { timeout: own }
        : undefined
    const started = this.#now()
    const pending = withSignal('JWKS request', this.#options, timeout, (signal) =>
      this.#fetchOnce(signal),
    ).then(
      ({ jwks, maxAge }) => {
        const t = this.#now()
        const ttl = maxAge === undefined ? this.#maxAge : clamp(maxAge, this.#minAge, this.#maxAge)
        this.#failures = 0
        this.#retryAt = 0
        this.#lastError = undefined
        this.#install(jwks, t, t + ttl)
        this.#emit({
          type: 'fetch',
          reason,
          ok: true,
          durationMs: t - started,
          keyCount: this.#keys!.all.length,
        })
        this.#save()
        return jwks
      },
      (err: unknown) => {
        const error = asError(err)
        const t = this.#now()
        this.#failures++
        const delay = Math.min(this.#cooldown, 1_000 * 2 ** (this.#failures - 1))
        this.#retryAt = t + delay
        this.#lastError = error
        this.#emit({ type: 'fetch', reason, ok: false, durationMs: t - started, error })
        throw error
      },
    )
    this.#pending = pending
    pending.then(
      () => {
        if (this.#pending === pending) this.#pending = undefined
      },
      () => {
        if (this.#pending === pending) this.#pending = undefined
      },
    )
    return pending
  }

  async #fetchOnce(signal: AbortSignal): Promise<{ jwks: JSONWebKeySet; maxAge?: number }> {
    let response: Response
    try {
      response = await this.#fetch(this.#url.href, {
        headers: { accept: 'application/json, application/jwk-set+json' },
        method: 'GET',
        redirect: 'manual',
        signal,
      })
    } catch (cause) {
      if (signal.aborted) throw cause
      // A custom fetch's error (or a platform one) may quote the request.
      throw new JwksError('JWKS request failed: the request did not complete', {
        code: 'ERR_JWKS_UNAVAILABLE',
        cause: safeCause(cause),
      })
    }
    if (response.status !== 200) {
      // Release the body without waiting: a cancel can stall on some streams.
      response.body?.cancel().catch(() => {})
      throw new JwksError(`JWKS endpoint responded with HTTP ${response.status}`, {
        code: 'ERR_JWKS_UNAVAILABLE',
      })
    }
    let text: string
    try {
      text = await readText(response, this.#maxBytes, 'JWKS')
    } catch (cause) {
      if (signal.aborted) throw cause
      if (cause instanceof InvalidResponseError) {
        throw new JwksError(
          `JWKS response is larger than ${this.#maxBytes} bytes (maxResponseBytes)`,
          { code: 'ERR_JWKS_UNAVAILABLE', cause },
        )
      }
      throw new JwksError('JWKS response body could not be read', {
        code: 'ERR_JWKS_UNAVAILABLE',
        cause: safeCause(cause),
      })
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch (cause) {
      // JSON.parse quotes the text it failed on: keep its name only.
      throw new JwksError('JWKS response is not JSON', {
        code: 'ERR_JWKS_UNAVAILABLE',
        cause: safeCause(cause),
      })
    }
    if (!isJwks(body)) {
      throw new JwksError('JWKS response is not a JSON Web Key Set', {
        code: 'ERR_JWKS_UNAVAILABLE',
      })
    }
    const maxAge = cacheControlMaxAge(response.headers.get('cache-control'))
    return maxAge === undefined ? { jwks: body } : { jwks: body, maxAge }
  }

  #install(jwks: JSONWebKeySet, fetchedAt: number, expiresAt: number): void {
    const previous = this.#keys
    const next = index(jwks, previous)
    this.#keys = next
    this.#fetchedAt = fetchedAt
    this.#expiresAt = expiresAt
    if (previous) {
      const before = new Set(previous.byKid.keys())
      const after = new Set(next.byKid.keys())
      const added = [...after].filter((k) => !before.has(k))
      const removed = [...before].filter((k) => !after.has(k))
      if (added.length > 0 || removed.length > 0) this.#emit({ type: 'rotation', added, removed })
    }
    for (const kid of next.byKid.keys()) this.#unknown.delete(kid)
  }

  #save(): void {
    const store = this.#options.store
    const snapshot = this.export()
    if (!store || !snapshot) return
    try {
      Promise.resolve(store.set(this.jwksUri, snapshot)).catch((error: unknown) =>
        this.#emit({ type: 'store-error', operation: 'set', error: asError(error) }),
      )
    } catch (error) {
      this.#emit({ type: 'store-error', operation: 'set', error: asError(error) })
    }
  }

  #remember(kid: string, t: number): void {
    if (this.#unknown.size >= this.#maxUnknown) {
      // Drop expired entries first, then the oldest.
      for (const [k, until] of this.#unknown) if (until <= t) this.#unknown.delete(k)
      if (this.#unknown.size >= this.#maxUnknown) {
        const oldest = this.#unknown.keys().next()
        if (!oldest.done) this.#unknown.delete(oldest.value)
      }
    }
    this.#unknown.set(kid, t + this.#cooldown)
  }

  #emit(event: JwksCacheEvent): void {
    const hook = this.#options.onEvent
    if (!hook) return
    try {
      hook(event)
    } catch {
      // An observer must not break verification.
    }
  }
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
function index(jwks: JSONWebKeySet, previous: KeySet | undefined): KeySet {
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
function select(set: KeySet, header: KeySelector): JWK[] {
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
function tooMany(found: readonly JWK[], header: KeySelector): boolean {
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

function cacheControlMaxAge(value: string | null): number | undefined {
  if (!value) return undefined
  const directives = value.toLowerCase().split(',')
  let maxAge: number | undefined
  for (const d of directives) {
    const directive = d.trim()
    if (directive === 'no-cache' || directive === 'no-store') return 0
    const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(directive)
    if (m) maxAge = Number(m[1]) * 1000
  }
  return maxAge
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max)
}

function ambiguous(): JwksError {
  return new JwksError(
    `more than ${MAX_KIDLESS_CANDIDATES} keys fit a token without kid; Okta tokens always name their key`,
    { code: 'ERR_JWKS_NO_MATCHING_KEY' },
  )
}

/** A cause to keep: the SDK's own errors as they are, anything else through `safeCause`. */
function ownCause(err: unknown): Error {
  return err instanceof OktaOAuthError ? err : safeCause(err)
}

function noMatchingKey(): JwksError {
  return new JwksError('no key in the JWKS matches the token header (kid/alg)', {
    code: 'ERR_JWKS_NO_MATCHING_KEY',
  })
}

function asError(err: unknown): Error {
  if (err instanceof OktaOAuthError || err instanceof Error) return err
  return new Error(String(err))
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
