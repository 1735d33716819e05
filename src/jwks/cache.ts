import { AbortError, JwksError, OktaOAuthError } from '../errors.js'
import { safeCause } from '../lib/cause.js'
import {
  assertSecureUrl,
  awaitSharedCall,
  type CallOptions,
  callerGaveUp,
  parseUrl,
  resolveFetch,
} from '../lib/http.js'
import { lazy } from '../lib/lazy.js'
import type {
  FlattenedJWSInput,
  JSONWebKeySet,
  JWK,
  JWSHeaderParameters,
} from '../lib/wire-types.js'
import { JWKS_DEFAULTS, normalizeJwksOptions } from './defaults.js'
import type { JwksCacheEvent, JwksFetchReason } from './events.js'
import { requestJwks } from './fetch.js'
import { ambiguous, index, type KeySet, noMatchingKey, select, tooMany } from './key-set.js'
import { registerCache } from './registry.js'
import { adoptable, readStore, toSnapshot, writeStore } from './snapshot.js'
import type { JwksCache, JwksCacheOptions, JwksSnapshot, KeySelector } from './types.js'

/** jose's key import, loaded when `getKey` imports its first key (access-token verification never does). */
const loadKeyImport = lazy(() => import('jose/key/import'))

// Still imported from here by the core client, ID-token validation and the
// admin key rotation.

/**
 * Create a JWKS cache for `jwksUri`.
 *
 * - **single-flight**: concurrent misses share one request;
 * - **rotation**: a token whose `kid` is unknown refetches at once the first
 *   time, then at most once per `cooldownDuration`; unknown `kid`s are
 *   remembered for a cooldown so forged tokens cost no requests;
 * - **freshness**: `Cache-Control: max-age` within `[cacheMinAge, cacheMaxAge]`;
 * - **outages**: past its refresh time a failing endpoint does not stop known
 *   keys from verifying, for up to `cacheMaxStale`, while retries run in the
 *   background with a growing delay;
 * - **persistence**: {@link JwksCache.export}/{@link JwksCache.import} and a {@link JwksStore}:
 *   read on a cold start, and, before a refresh or an unknown-`kid` refetch,
 *   read again in case another process saved newer keys (then no request);
 * - **bounded**: a key set is read up to `maxResponseBytes` (1 MiB), only its
 *   first 100 usable keys are kept, and a token without `kid` is checked
 *   against at most three keys (more fitting keys refuse it). Okta publishes
 *   a few keys and always names the key in `kid`.
 *
 * @param options - The `jwksUri` and cache tuning.
 * @returns The cache; pass {@link JwksCache.getKey} to `jose.jwtVerify`.
 * @throws `InvalidOptionError` for a bad `jwksUri` or `maxResponseBytes`, or
 * an option given under both its current and its deprecated name.
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
  readonly #timeout: number
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
    const settings = normalizeJwksOptions(options)
    this.#cooldown = settings.cooldownDuration
    this.#maxAge = settings.cacheMaxAge
    this.#minAge = settings.cacheMinAge
    this.#maxStale = settings.cacheMaxStale
    this.#maxUnknown = settings.maxUnknownKids
    this.#maxBytes = settings.maxResponseBytes
    this.#timeout = settings.timeout
    this.#now = settings.now
    this.#fetch = resolveFetch(options)
    if (options.snapshot) this.#adopt(options.snapshot, 'snapshot')
    registerCache(this)
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
      key = loadKeyImport().then(({ importJWK }) => importJWK({ ...jwk, ext: true }, alg))
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
        await awaitSharedCall('JWKS request', this.#start('unknown-kid', call, header), call)
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
    return toSnapshot(this.jwksUri, this.#keys.jwks, this.#fetchedAt, this.#expiresAt)
  }

  import(snapshot: JwksSnapshot): boolean {
    return this.#adopt(snapshot, undefined)
  }

  #adopt(snapshot: JwksSnapshot, source: 'store' | 'snapshot' | undefined): boolean {
    const adopted = adoptable(
      snapshot,
      this.jwksUri,
      this.#fetchedAt,
      this.#now,
      this.#maxStale,
      this.#maxAge,
    )
    if (adopted) this.#install(adopted.jwks, adopted.fetchedAt, adopted.expiresAt)
    const ok = adopted !== undefined
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
        const snapshot = await readStore(store, this.jwksUri, this.#timeout)
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

  /**
   * The one fetch under way, shared by every caller. With a store, a refresh
   * (`expired`, `retry`) or an `unknown-kid` refetch first reads the store:
   * another process of the fleet may have fetched (and saved) newer keys, so
   * this one takes them instead of asking the server again.
   */
  #start(
    reason: JwksFetchReason,
    call?: CallOptions,
    wanted?: KeySelector,
  ): Promise<JSONWebKeySet> {
    if (this.#pending) return this.#pending
    const store = this.#options.store
    const pending =
      store && (reason === 'expired' || reason === 'retry' || reason === 'unknown-kid')
        ? this.#fromStore(store, reason, wanted).then(
            (jwks) => jwks ?? this.#fetchNow(reason, call),
          )
        : this.#fetchNow(reason, call)
    this.#pending = pending
    const settled = () => {
      if (this.#pending === pending) this.#pending = undefined
    }
    pending.then(settled, settled)
    return pending
  }

  /**
   * Keys another process saved since this one's: adopted when newer than the
   * keys held; the answer when they are fresh (a refresh) or hold the wanted
   * key (an unknown `kid`). `undefined` sends the caller to the server. A
   * store that fails or is slow only costs that fetch (a `store-error` event).
   */
  async #fromStore(
    store: NonNullable<JwksCacheOptions['store']>,
    reason: JwksFetchReason,
    wanted: KeySelector | undefined,
  ): Promise<JSONWebKeySet | undefined> {
    let snapshot: JwksSnapshot | undefined
    try {
      snapshot = await readStore(store, this.jwksUri, this.#timeout)
    } catch (error) {
      this.#emit({ type: 'store-error', operation: 'get', error: asError(error) })
      return undefined
    }
    if (!snapshot || !(snapshot.fetchedAt > this.#fetchedAt)) return undefined
    if (!this.#adopt(snapshot, 'store')) return undefined
    const keys = this.#keys!
    const enough =
      reason === 'unknown-kid'
        ? wanted !== undefined && select(keys, wanted).length > 0
        : this.#now() <= this.#expiresAt
    if (!enough) return undefined
    this.#failures = 0
    this.#retryAt = 0
    this.#lastError = undefined
    return keys.jwks
  }

  /** Ask the server for the key set now; installs and saves it. */
  #fetchNow(reason: JwksFetchReason, call?: CallOptions): Promise<JSONWebKeySet> {
    // The fetch is shared by every caller, so it runs with the cache's timeout
    // (or a longer one this caller allows); each caller stops waiting on its
    // own signal and timeout (awaitCall).
    const own = call?.timeout
    const timeout =
      own !== undefined && Number.isFinite(own) && own > this.#timeout
        ? { timeout: own }
        : undefined
    const started = this.#now()
    return requestJwks(this.#fetch, this.#url.href, this.#maxBytes, this.#options, timeout).then(
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
        const delay = Math.min(
          this.#cooldown,
          JWKS_DEFAULTS.firstRetryDelay * 2 ** (this.#failures - 1),
        )
        this.#retryAt = t + delay
        this.#lastError = error
        this.#emit({ type: 'fetch', reason, ok: false, durationMs: t - started, error })
        throw error
      },
    )
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
    writeStore(store, this.jwksUri, snapshot, (error) =>
      this.#emit({ type: 'store-error', operation: 'set', error: asError(error) }),
    )
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

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max)
}

/** A cause to keep: the SDK's own errors as they are, anything else through `safeCause`. */
function ownCause(err: unknown): Error {
  return err instanceof OktaOAuthError ? err : safeCause(err)
}

function asError(err: unknown): Error {
  if (err instanceof OktaOAuthError || err instanceof Error) return err
  return new Error(String(err))
}
