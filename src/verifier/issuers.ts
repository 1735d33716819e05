import { discover, type ServerMetadata } from '../discovery/discover.js'
import { AbortError, JwksError } from '../errors.js'
import { createJwksCache } from '../jwks/cache.js'
import type { JwksCache } from '../jwks/types.js'
import { isForbiddenAlg, ktyOf } from '../lib/algorithms.js'
import { awaitShared, type CallOptions, detach, type HttpOptions } from '../lib/http.js'
import { normalizeIssuer } from '../lib/issuer.js'
import { VERIFIER_DEFAULTS } from './defaults.js'
import type { VerifiedHeader, VerifierOptions } from './types.js'
import { untrustedIssuer } from './untrusted-issuer.js'

// Each trusted issuer: its discovery (with a back-off after failures), its
// JWKS cache, the algorithms it may sign with, and its checked headers.

/** @internal The state of one trusted issuer of a verifier. */
export interface IssuerState {
  readonly issuer: string
  jwks: JwksCache | undefined
  loading: Promise<JwksCache> | undefined
  failedAt: number
  failures: number
  error: Error | undefined
  algorithms: Set<string>
  metadata: ServerMetadata | undefined
  /** Checked headers by their encoded segment: Okta tokens share one header per key. */
  headers: Map<string, VerifiedHeader>
}

/** @internal What every issuer of one verifier shares. */
export interface IssuerContext {
  /** Transport options of discovery and key fetches. */
  readonly http: HttpOptions
  /** The verifier's clock, in ms. */
  readonly now: () => number
  /** The configured algorithms; when absent, each issuer adds those it advertises. */
  readonly explicitAlgs: readonly string[] | undefined
  /** Tuning of the JWKS caches created for issuers. */
  readonly jwks: VerifierOptions['jwks']
}

/** @internal A fresh state for `issuer`, allowing `explicitAlgs` (default: `RS256` until discovery). */
export function createIssuerState(
  issuer: string,
  explicitAlgs: readonly string[] | undefined,
): IssuerState {
  return {
    issuer,
    jwks: undefined,
    loading: undefined,
    failedAt: 0,
    failures: 0,
    error: undefined,
    algorithms: new Set(explicitAlgs ?? VERIFIER_DEFAULTS.algorithms),
    metadata: undefined,
    headers: new Map(),
  }
}

/** @internal A JWKS cache for `jwksUri`, tuned as the verifier's `jwks` option says. */
export function jwksCacheFor(context: IssuerContext, jwksUri: string | URL): JwksCache {
  return createJwksCache({ ...context.http, ...context.jwks, now: context.now, jwksUri })
}

/**
 * @internal The trusted issuer a token names in `iss` (a trailing slash
 * aside); rejects any other with `ERR_JWT_CLAIM_INVALID`.
 */
export function stateFor(
  payload: Record<string, unknown>,
  states: ReadonlyMap<string, IssuerState>,
  issuers: readonly string[],
): IssuerState {
  const iss = payload.iss
  const state = typeof iss === 'string' ? states.get(normalizeIssuer(iss)) : undefined
  if (!state) throw untrustedIssuer('access_token', iss, issuers)
  return state
}

/** @internal The issuer's JWKS cache: at once when loaded, else after discovery (shared). */
export function cachesOf(
  state: IssuerState,
  context: IssuerContext,
  call?: CallOptions,
): JwksCache | Promise<JwksCache> {
  if (state.jwks) return state.jwks
  if (call?.signal?.aborted) {
    return Promise.reject(new AbortError('discovery was aborted', { cause: call.signal.reason }))
  }
  // The load is shared by every caller, so it runs with the timeout only (an
  // abort must neither fail the others nor count as a failure to back off
  // from); each caller stops waiting on its own signal.
  return awaitShared('discovery', loadIssuer(state, context, detach(call)), call?.signal)
}

async function metadataOf(
  state: IssuerState,
  context: IssuerContext,
  call?: CallOptions,
): Promise<ServerMetadata> {
  if (state.metadata) return state.metadata
  const t = context.now()
  const backOff = Math.min(
    VERIFIER_DEFAULTS.discoveryMaxRetryDelay,
    VERIFIER_DEFAULTS.discoveryRetryDelay * 2 ** (state.failures - 1),
  )
  if (state.error && t - state.failedAt < backOff) throw state.error
  try {
    state.metadata = await discover(state.issuer, { ...context.http, ...call })
    state.failures = 0
    state.error = undefined
    if (context.explicitAlgs === undefined) {
      for (const alg of state.metadata.id_token_signing_alg_values_supported ?? []) {
        if (!isForbiddenAlg(alg) && ktyOf(alg) !== undefined) state.algorithms.add(alg)
      }
    }
    return state.metadata
  } catch (err) {
    state.failures++
    state.failedAt = context.now()
    state.error = err instanceof Error ? err : new Error(String(err))
    throw err
  }
}

function loadIssuer(
  state: IssuerState,
  context: IssuerContext,
  call?: CallOptions,
): Promise<JwksCache> {
  state.loading ??= (async () => {
    const metadata = await metadataOf(state, context, call)
    if (typeof metadata.jwks_uri !== 'string') {
      throw new JwksError(`the metadata of ${state.issuer} has no jwks_uri`, {
        code: 'ERR_JWKS_UNAVAILABLE',
      })
    }
    state.jwks = jwksCacheFor(context, metadata.jwks_uri)
    return state.jwks
  })().finally(() => {
    state.loading = undefined
  })
  return state.loading
}
