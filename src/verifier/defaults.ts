import { InvalidOptionError } from '../errors.js'
import { withCurrentNames } from '../jwks/defaults.js'
import { isForbiddenAlg, ktyOf } from '../lib/algorithms.js'
import { RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import { DEFAULT_CLOCK_TOLERANCE } from '../lib/defaults.js'
import { assertSecureUrl, type HttpOptions, parseUrl } from '../lib/http.js'
import type { VerifierOptions } from './types.js'

// Every default of the verifier, and the one place its options are read and
// checked (like ky's normalize.ts): a bad option is an InvalidOptionError from
// createVerifier, never from a later verification.

/** @internal The defaults of {@link VerifierOptions}. */
export const VERIFIER_DEFAULTS = {
  /** Tolerance for `exp`, `nbf` and `iat`, in seconds. */
  clockTolerance: DEFAULT_CLOCK_TOLERANCE,
  /** Longest token accepted, in characters. */
  maxTokenLength: 16_384,
  /** Algorithms allowed before (or without) discovery. */
  algorithms: ['RS256'],
  /** Verified tokens kept by `tokenCache: true`. */
  tokenCacheEntries: 1_000,
  /** How long an introspection answer is reused, in ms, and the most it may be set to. */
  introspectionCacheTtl: 30_000,
  introspectionMaxCacheTtl: 300_000,
  /** Introspection answers kept. */
  introspectionEntries: 1_000,
  /** Which tokens go to introspection. */
  introspectionMode: 'opaque',
  /** After a failed discovery, no new attempt for 1 s, then 2 s, 4 s, … up to 30 s. */
  discoveryRetryDelay: 1_000,
  discoveryMaxRetryDelay: 30_000,
} as const

/** @internal A verifier's options, read once: every default applied, every value checked. */
export interface VerifierConfig {
  readonly issuers: string[]
  readonly audiences: string[]
  /** The `algorithms` option; when absent, each issuer adds those it advertises. */
  readonly explicitAlgs: readonly string[] | undefined
  /** In seconds. */
  readonly tolerance: number
  readonly now: () => number
  readonly maxTokenLength: number
  /** Transport options for discovery, key fetches and introspection. */
  readonly http: HttpOptions
  /** Most verified tokens kept; 0 when the token cache is off. */
  readonly tokenCacheMax: number
  /** Tuning of the JWKS caches the verifier creates, under the current option names. */
  readonly jwks: VerifierOptions['jwks']
}

/**
 * @internal
 * Read and check a verifier's options.
 * @throws `InvalidOptionError` for a missing issuer or audience, an insecure
 * issuer URL, `jwksUri`/`jwksCache` with several issuers, a disallowed
 * algorithm, a bad `maxResponseBytes`, or a JWKS option given under both its
 * current and its deprecated name.
 */
export function normalizeVerifierOptions(options: VerifierOptions): VerifierConfig {
  const issuers = normaliseList(options.issuer, 'issuer')
  const audiences = normaliseList(options.audience, 'audience')
  for (const iss of issuers)
    assertSecureUrl(parseUrl(iss, 'issuer'), 'issuer', options.allowInsecureRequests)
  if ((options.jwksUri !== undefined || options.jwksCache !== undefined) && issuers.length !== 1) {
    throw new InvalidOptionError('jwksUri and jwksCache need exactly one issuer')
  }
  const explicitAlgs = options.algorithms
  if (explicitAlgs !== undefined) {
    if (!Array.isArray(explicitAlgs) || explicitAlgs.length === 0) {
      throw new InvalidOptionError('algorithms must be a non-empty array')
    }
    for (const alg of explicitAlgs) {
      if (typeof alg !== 'string' || isForbiddenAlg(alg) || ktyOf(alg) === undefined) {
        throw new InvalidOptionError(
          `algorithms: ${String(alg)} is not an asymmetric JWS algorithm this verifier supports`,
        )
      }
    }
  }
  // Checked now, so that a bad value is an InvalidOptionError from createVerifier.
  responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.jwks)
  const http: HttpOptions = {
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.timeout !== undefined && { timeout: options.timeout }),
    ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
    ...(options.allowInsecureRequests && { allowInsecureRequests: true }),
  }
  const tokenCacheMax =
    options.tokenCache === true
      ? VERIFIER_DEFAULTS.tokenCacheEntries
      : options.tokenCache
        ? (options.tokenCache.maxEntries ?? VERIFIER_DEFAULTS.tokenCacheEntries)
        : 0
  return {
    issuers,
    audiences,
    explicitAlgs,
    tolerance: options.clockTolerance ?? VERIFIER_DEFAULTS.clockTolerance,
    now: options.now ?? Date.now,
    maxTokenLength: options.maxTokenLength ?? VERIFIER_DEFAULTS.maxTokenLength,
    http,
    tokenCacheMax,
    // Checked now too: the caches are created after discovery, on first use.
    jwks: options.jwks && withCurrentNames(options.jwks),
  }
}

function normaliseList(value: string | readonly string[] | undefined, name: string): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...value] : undefined
  if (!list || list.length === 0 || list.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw new InvalidOptionError(`${name} must be a non-empty string or array of strings`)
  }
  return list
}
