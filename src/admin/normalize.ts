import { InvalidOptionError, type RateLimitInfo } from '../errors.js'
import { RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import {
  assertSecureUrl,
  DEFAULT_TIMEOUT,
  type FetchLike,
  parseUrl,
  resolveFetch,
} from '../lib/http.js'
import type { AdminAuth, AdminClientOptions } from './options.js'
import { checkTokenStore } from './token-store.js'

// The options of `createAdminClient`, checked once and completed with their
// defaults, as ky's `normalize.ts` does: the rest of `admin/` reads the
// normalised options and never writes a default of its own.

/** @internal The admin client's defaults. */
export const ADMIN_DEFAULTS = {
  /** Retries of a rate-limited (429) idempotent request. */
  retryLimit: 3,
  /** The longest wait accepted for one retry, in ms; beyond it the 429 is reported. */
  maxDelay: 60_000,
  /** Most requests in flight at once. */
  concurrency: 10,
  /** Per-request timeout, in ms: the core's. */
  timeout: DEFAULT_TIMEOUT,
  /** The largest body read, in bytes. */
  maxResponseBytes: RESPONSE_LIMITS.admin,
} as const

/** @internal What an `Authorization` header value may hold here: visible ASCII, no spaces or controls. */
export const VISIBLE_ASCII = /^[\x21-\x7e]+$/

/** @internal The options of `createAdminClient`, checked, with every default applied. */
export interface NormalizedOptions {
  /** The org origin. */
  orgUrl: URL
  auth: AdminAuth
  retry: { limit: number; maxDelay: number }
  concurrency: number
  /** The default per-request timeout, in ms. */
  timeout: number
  maxResponseBytes: number
  onRateLimit: ((info: RateLimitInfo) => void) | undefined
  fetch: FetchLike
  allowInsecureRequests: boolean
}

/**
 * @internal
 * Check the options of `createAdminClient` and apply the defaults.
 * @throws `InvalidOptionError` for a bad org URL, auth, retry, callback,
 * response limit or concurrency.
 */
export function normalizeOptions(options: AdminClientOptions): NormalizedOptions {
  const url = parseUrl(options.orgUrl, 'orgUrl')
  assertSecureUrl(url, 'orgUrl', options.allowInsecureRequests)
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new InvalidOptionError('orgUrl must be the org origin, e.g. https://example.okta.com')
  }
  const auth = options.auth as AdminAuth | undefined
  if (auth?.type === 'ssws') {
    // A header value with control characters makes fetch throw a message
    // that quotes the value: refuse it here, without echoing it.
    if (typeof auth.token !== 'string' || !VISIBLE_ASCII.test(auth.token)) {
      throw new InvalidOptionError(
        'auth.token must be a non-empty SSWS API token (visible ASCII characters only)',
      )
    }
  } else if (auth?.type === 'oauth') {
    if (typeof auth.clientId !== 'string' || auth.clientId.length === 0) {
      throw new InvalidOptionError('auth.clientId must be a non-empty string')
    }
    if (
      !Array.isArray(auth.scopes) ||
      auth.scopes.length === 0 ||
      !auth.scopes.every((s) => typeof s === 'string' && /^\S+$/.test(s))
    ) {
      throw new InvalidOptionError('auth.scopes must list the okta.* scopes to request')
    }
    const key = auth.privateKey as unknown
    if (!key || (typeof key !== 'string' && typeof key !== 'object')) {
      throw new InvalidOptionError(
        'auth.privateKey must be a private JWK, a PKCS#8 PEM string or a private CryptoKey',
      )
    }
    checkTokenStore(auth.tokenStore)
  } else {
    throw new InvalidOptionError("auth must be { type: 'ssws', token } or { type: 'oauth', … }")
  }
  const limit = options.retry?.limit ?? ADMIN_DEFAULTS.retryLimit
  if (!Number.isInteger(limit) || limit < 0) {
    throw new InvalidOptionError('retry.limit must be a non-negative integer')
  }
  const maxDelay = options.retry?.maxDelay ?? ADMIN_DEFAULTS.maxDelay
  if (typeof maxDelay !== 'number' || Number.isNaN(maxDelay) || maxDelay < 0) {
    throw new InvalidOptionError('retry.maxDelay must be a non-negative number of milliseconds')
  }
  if (options.onRateLimit !== undefined && typeof options.onRateLimit !== 'function') {
    throw new InvalidOptionError('onRateLimit must be a function')
  }
  const maxResponseBytes = responseLimit(options.maxResponseBytes, ADMIN_DEFAULTS.maxResponseBytes)
  const concurrency = options.concurrency ?? ADMIN_DEFAULTS.concurrency
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidOptionError('concurrency must be a positive integer')
  }
  return {
    orgUrl: url,
    auth,
    retry: { limit, maxDelay },
    concurrency,
    timeout: options.timeout ?? ADMIN_DEFAULTS.timeout,
    maxResponseBytes,
    onRateLimit: options.onRateLimit,
    fetch: resolveFetch(options),
    allowInsecureRequests: options.allowInsecureRequests === true,
  }
}
