import * as oauth from 'oauth4webapi'
import { AbortError, InvalidOptionError, InvalidResponseError } from '../errors.js'
import {
  assertSecureUrl,
  awaitShared,
  type CallOptions,
  type HttpOptions,
  parseUrl,
  resolveFetch,
  withSignal,
} from '../lib/http.js'

/**
 * Authorization-server metadata as the server publishes it (wire names, snake_case):
 * `issuer`, `authorization_endpoint`, `token_endpoint`, `jwks_uri`, … and any
 * extension the server adds.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-2 | RFC 8414 §2}
 * @see {@link https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata | OIDC Discovery §3}
 */
export type ServerMetadata = Readonly<oauth.AuthorizationServer>

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
const cache = new Map<string, { expiresAt: number; value: Promise<ServerMetadata> }>()

/**
 * Fetch and validate an authorization server's metadata.
 *
 * The document's `issuer` must equal `issuer` exactly (a trailing slash on
 * the argument is ignored); anything else fails, so a document served for
 * another tenant is never trusted. Results are cached per issuer and
 * document for {@link DiscoverOptions.cacheTtl}.
 *
 * @param issuer - The issuer identifier, e.g. `https://example.okta.com/oauth2/default`.
 * @param options - Document, cache, timeout, signal, fetch.
 * @returns The validated metadata.
 * Rejects with `InvalidResponseError` (`ERR_ISSUER_MISMATCH` for a wrong
 * issuer, `ERR_INVALID_RESPONSE` for a non-200 status or garbage),
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
  const expected = String(issuer).replace(/\/$/, '')
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
    const response = await resolveFetch(options)(url.href, {
      headers: { accept: 'application/json' },
      method: 'GET',
      redirect: 'manual',
      signal,
    })
    const metadata = await oauth.processDiscoveryResponse(new URL(expected), response)
    // oauth4webapi compares normalised URLs; Okta's rules ask for an exact match.
    if (metadata.issuer !== expected) {
      throw new InvalidResponseError(
        'discovery document issuer does not exactly match the requested issuer',
        response.status,
        { code: 'ERR_ISSUER_MISMATCH' },
      )
    }
    return Object.freeze(metadata) as ServerMetadata
  })
  if (ttl > 0) {
    cache.set(key, { expiresAt: now + ttl, value })
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
  const expected = String(issuer).replace(/\/$/, '')
  for (const key of cache.keys()) if (key.endsWith(` ${expected}`)) cache.delete(key)
}
