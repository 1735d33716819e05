import * as oauth from 'oauth4webapi'
import { AbortError, InvalidOptionError, InvalidResponseError } from '../errors.js'
import { buffered, RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import {
  assertSecureUrl,
  awaitShared,
  type CallOptions,
  type HttpOptions,
  parseUrl,
  resolveFetch,
  withSignal,
} from '../lib/http.js'
import { normalizeIssuer, sameIssuer } from '../lib/issuer.js'
import { checkMetadata } from '../lib/metadata.js'
import { toSdkError } from '../lib/to-sdk-error.js'
import type { ServerMetadata } from './metadata-type.js'

export type { ServerMetadata } from './metadata-type.js'

/** Which well-known document to read. */
export type WellKnown = 'openid-configuration' | 'oauth-authorization-server'

/** Options of {@link discover}. */
export interface DiscoverOptions extends HttpOptions, CallOptions {
  /**
   * Which document: `openid-configuration` (default) or `oauth-authorization-server`.
   * Both are read at `{issuer}/.well-known/{name}`, where Okta serves them for
   * the org server (`https://{org}`) and custom servers (`https://{org}/oauth2/{id}`).
   */
  wellKnown?: WellKnown
  /**
   * How long a discovered document is reused, in milliseconds; `0` disables
   * the cache for this call. Default: one hour. Concurrent calls for the same
   * issuer share one request.
   */
  cacheTtl?: number
}

const DEFAULT_TTL = 60 * 60 * 1000
/** Issuers' documents kept at once: a process rarely talks to more, and a hostile caller cannot grow it. */
const MAX_CACHED = 100
const cache = new Map<string, { expiresAt: number; value: Promise<ServerMetadata> }>()

/** Keep `value` under `key`, dropping expired entries, then the oldest beyond {@link MAX_CACHED}. */
function remember(
  key: string,
  entry: { expiresAt: number; value: Promise<ServerMetadata> },
  now: number,
): void {
  cache.delete(key)
  if (cache.size >= MAX_CACHED) {
    for (const [k, v] of cache) if (v.expiresAt <= now) cache.delete(k)
    while (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
  }
  cache.set(key, entry)
}

/**
 * Fetch and validate an authorization server's metadata.
 *
 * The document's `issuer` must be `issuer` — one rule for issuers across the
 * SDK: a single trailing slash is not significant, nothing else is folded —
 * so a document served for another tenant is never trusted; the metadata
 * keeps the issuer as the server publishes it (tokens carry that form).
 * Results are cached per issuer and document for
 * {@link DiscoverOptions.cacheTtl} (at most 100 issuers; the oldest goes
 * first). The document is read up to `maxResponseBytes` (default 1 MiB).
 *
 * @param issuer - The issuer identifier, e.g. `https://example.okta.com/oauth2/default`.
 * @param options - Document, cache, timeout, signal, fetch.
 * @returns The validated metadata.
 * Rejects with `InvalidResponseError` (`ERR_ISSUER_MISMATCH` for a wrong
 * issuer, `ERR_INVALID_RESPONSE` for a non-200 status or garbage,
 * `ERR_RESPONSE_TOO_LARGE` beyond `maxResponseBytes`; also for an endpoint
 * that is not an absolute https: URL (loopback http: and
 * `allowInsecureRequests` aside), a list that is not a list of strings, a
 * flag that is not a boolean),
 * `NetworkError`, `TimeoutError` or `AbortError`; throws
 * `InvalidOptionError` (`ERR_INSECURE_URL`) for `http:` issuers off loopback.
 *
 * @see {@link https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig | OIDC Discovery §4}
 * @example
 * ```ts
 * import { discover } from 'okta-oauth-kit'
 * const metadata = await discover('https://example.okta.com/oauth2/default')
 * console.log(metadata.token_endpoint)
 * ```
 */
export async function discover(
  issuer: string | URL,
  options: DiscoverOptions = {},
): Promise<ServerMetadata> {
  const issuerUrl = parseUrl(issuer, 'issuer')
  assertSecureUrl(issuerUrl, 'issuer', options.allowInsecureRequests)
  if (issuerUrl.search || issuerUrl.hash) {
    throw new InvalidOptionError('issuer must not contain a query or fragment')
  }
  const expected = normalizeIssuer(String(issuer))
  const limit = responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.protocol)
  const wellKnown = options.wellKnown ?? 'openid-configuration'
  if (wellKnown !== 'openid-configuration' && wellKnown !== 'oauth-authorization-server') {
    throw new InvalidOptionError(
      'wellKnown must be openid-configuration or oauth-authorization-server',
    )
  }
  if (options.signal?.aborted) {
    throw new AbortError('discovery was aborted', { cause: options.signal.reason })
  }
  const ttl = options.cacheTtl ?? DEFAULT_TTL
  const key = `${wellKnown} ${expected}`
  const now = Date.now()
  const hit = cache.get(key)
  if (ttl > 0 && hit && hit.expiresAt > now)
    return awaitShared('discovery', hit.value, options.signal)

  // The shared request runs with the timeout only (no caller signal): one
  // caller's abort must not fail the others. Each stops waiting on its own.
  const value = withSignal('discovery', options, undefined, async (signal) => {
    const url = new URL(`${expected}/.well-known/${wellKnown}`)
    const response = await buffered(
      await resolveFetch(options)(url.href, {
        headers: { accept: 'application/json' },
        method: 'GET',
        redirect: 'manual',
        signal,
      }),
      limit,
      'discovery',
    )
    // The SDK's issuer rule first (oauth4webapi compares normalised URLs,
    // which fold more than a trailing slash); then oauth4webapi checks the
    // document against the issuer as published.
    let published: unknown
    try {
      published = response.ok
        ? (JSON.parse(await response.clone().text()) as { issuer?: unknown }).issuer
        : undefined
    } catch {
      published = undefined
    }
    if (response.ok && typeof published === 'string' && !sameIssuer(published, expected)) {
      throw new InvalidResponseError('discovery document issuer is not the requested issuer', {
        status: response.status,
        code: 'ERR_ISSUER_MISMATCH',
      })
    }
    const asIssuer = typeof published === 'string' && URL.canParse(published) ? published : expected
    const metadata = await processed(response.status, () =>
      oauth.processDiscoveryResponse(new URL(asIssuer), response),
    )
    checkMetadata(metadata as Record<string, unknown>, options.allowInsecureRequests)
    if (!sameIssuer(metadata.issuer, expected)) {
      throw new InvalidResponseError('discovery document issuer is not the requested issuer', {
        status: response.status,
        code: 'ERR_ISSUER_MISMATCH',
      })
    }
    return Object.freeze(metadata) as ServerMetadata
  })
  if (ttl > 0) {
    remember(key, { expiresAt: now + ttl, value }, now)
    // A failure is never cached: the next call tries again.
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key)
    })
  }
  return awaitShared('discovery', value, options.signal)
}

/**
 * Forget cached discovery documents: all of them, or one issuer's.
 * @param issuer - Only this issuer's documents; all when omitted.
 */
export function clearDiscoveryCache(issuer?: string | URL): void {
  if (issuer === undefined) {
    cache.clear()
    return
  }
  const expected = normalizeIssuer(String(issuer))
  for (const key of cache.keys()) if (key.endsWith(` ${expected}`)) cache.delete(key)
}

/** oauth4webapi's checks of the document: what fails there is the server's fault. */
async function processed<T>(status: number, process: () => Promise<T>): Promise<T> {
  try {
    return await process()
  } catch (err) {
    throw toSdkError(err, 'discovery', 'response', status)
  }
}
