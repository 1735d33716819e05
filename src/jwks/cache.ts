import {
  createLocalJWKSet,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose'
import { AbortError, JwksError, OktaOAuthError } from '../errors.js'
import {
  assertSecureUrl,
  awaitShared,
  type CallOptions,
  type HttpOptions,
  parseUrl,
  resolveFetch,
  withSignal,
} from '../lib/http.js'

/** Options of {@link createJwksCache}. */
export interface JwksCacheOptions extends HttpOptions {
  /** The `jwks_uri` to read keys from. */
  jwksUri: string | URL
  /**
   * Minimum time between two refetches caused by an unknown `kid`, in ms.
   * The first unknown `kid` always refetches at once, so a freshly rotated
   * key verifies on its first use. Default: 30 000.
   */
  cooldown?: number
  /** Keys older than this are refetched before use, in ms. Default: 600 000 (10 min). */
  maxAge?: number
  /**
   * After {@link maxAge}, if the JWKS endpoint fails, known keys keep
   * verifying for this long, in ms. Default: 86 400 000 (1 day).
   */
  maxStale?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
}

/** A resolver of verification keys for a JWS header, as `jose.jwtVerify` accepts. */
export type KeyResolver = (
  header: JWSHeaderParameters,
  token: FlattenedJWSInput,
) => Promise<CryptoKey | Uint8Array>

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
   * Fetch the key set now (sharing a fetch already under way).
   * @param options - signal and timeout.
   */
  reload(options?: CallOptions): Promise<JSONWebKeySet>
  /** The key set held now, if any. */
  readonly jwks: JSONWebKeySet | undefined
}

interface State {
  jwks?: JSONWebKeySet
  resolve?: ReturnType<typeof createLocalJWKSet>
  fetchedAt: number
  lastMissRefetch?: number
  pending?: Promise<JSONWebKeySet>
}

/**
 * Create a JWKS cache for `jwksUri`.
 *
 * - **single-flight**: concurrent misses share one request;
 * - **rotation**: a token whose `kid` is unknown refetches at once the first
 *   time, then at most once per `cooldown`;
 * - **outages**: past `maxAge` a failing endpoint does not stop known keys
 *   from verifying, for up to `maxStale`.
 *
 * @param options - The `jwksUri` and cache tuning.
 * @returns The cache; pass {@link JwksCache.getKey} to `jose.jwtVerify`.
 * @example
 * ```ts
 * import { createJwksCache } from 'okta-oauth-kit'
 * const jwks = createJwksCache({ jwksUri: 'https://example.okta.com/oauth2/default/v1/keys' })
 * await jwks.reload()
 * ```
 */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const url = parseUrl(options.jwksUri, 'jwksUri')
  assertSecureUrl(url, 'jwksUri', options.allowInsecureRequests)
  const cooldown = options.cooldown ?? 30_000
  const maxAge = options.maxAge ?? 600_000
  const maxStale = options.maxStale ?? 86_400_000
  const now = options.now ?? Date.now
  const fetchImpl = resolveFetch(options)
  const state: State = { fetchedAt: 0 }

  function reload(call?: CallOptions): Promise<JSONWebKeySet> {
    if (call?.signal?.aborted) {
      return Promise.reject(
        new AbortError('JWKS request was aborted', { cause: call.signal.reason }),
      )
    }
    // The fetch is shared by every caller, so it runs with a timeout only;
    // each caller stops waiting on its own signal.
    const timeout = call?.timeout === undefined ? undefined : { timeout: call.timeout }
    state.pending ??= withSignal('JWKS request', options, timeout, async (signal) => {
      let response: Response
      try {
        response = await fetchImpl(url.href, {
          headers: { accept: 'application/json, application/jwk-set+json' },
          method: 'GET',
          redirect: 'manual',
          signal,
        })
      } catch (cause) {
        if (signal.aborted) throw cause
        throw new JwksError(
          'JWKS request failed: the request did not complete',
          'ERR_JWKS_UNAVAILABLE',
          { cause },
        )
      }
      if (response.status !== 200) {
        // Release the body without waiting: a cancel can stall on some streams.
        response.body?.cancel().catch(() => {})
        throw new JwksError(
          `JWKS endpoint responded with HTTP ${response.status}`,
          'ERR_JWKS_UNAVAILABLE',
        )
      }
      let body: unknown
      try {
        body = await response.json()
      } catch (cause) {
        if (signal.aborted) throw cause
        throw new JwksError('JWKS response is not JSON', 'ERR_JWKS_UNAVAILABLE', { cause })
      }
      if (!isJwks(body)) {
        throw new JwksError('JWKS response is not a JSON Web Key Set', 'ERR_JWKS_UNAVAILABLE')
      }
      state.jwks = body
      state.resolve = createLocalJWKSet(body)
      state.fetchedAt = now()
      return body
    }).finally(() => {
      state.pending = undefined
    })
    return awaitShared('JWKS request', state.pending, call?.signal)
  }

  async function ensureFresh(): Promise<void> {
    if (!state.resolve) {
      await reload()
      return
    }
    const age = now() - state.fetchedAt
    if (age <= maxAge) return
    try {
      await reload()
    } catch (err) {
      // Stale-if-error: keep verifying with the keys we know, within bounds.
      if (age > maxAge + maxStale) throw err
    }
  }

  async function getKey(header: JWSHeaderParameters, token: FlattenedJWSInput) {
    await ensureFresh()
    try {
      return await state.resolve!(header, token)
    } catch (err) {
      if (!isNoMatchingKey(err)) throw translate(err)
      const t = now()
      if (state.lastMissRefetch !== undefined && t - state.lastMissRefetch < cooldown) {
        throw translate(err)
      }
      state.lastMissRefetch = t
      await reload()
      try {
        return await state.resolve!(header, token)
      } catch (again) {
        throw translate(again)
      }
    }
  }

  return {
    jwksUri: url.href,
    getKey,
    reload,
    get jwks() {
      return state.jwks
    },
  }
}

function isJwks(value: unknown): value is JSONWebKeySet {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { keys: unknown[] }).keys.every((k) => typeof k === 'object' && k !== null)
  )
}

function isNoMatchingKey(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'ERR_JWKS_NO_MATCHING_KEY'
}

function translate(err: unknown): Error {
  if (err instanceof OktaOAuthError) return err
  const code = (err as { code?: unknown })?.code
  if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') {
    return new JwksError(
      'no key in the JWKS matches the token header (kid/alg)',
      'ERR_JWKS_NO_MATCHING_KEY',
    )
  }
  return err instanceof Error ? err : new Error(String(err))
}
