import type { RateLimitInfo } from '../errors.js'
import type { HttpOptions } from '../lib/http.js'
import type { JWK } from '../lib/wire-types.js'
import type { DPoPOptions } from '../oauth/client.js'
import type { AdminTokenStore } from './token-store.js'

// The options of `createAdminClient`, as users write them. Their defaults and
// checks are in `normalize.ts`.

/** An SSWS API token (created in the Admin Console). */
export interface SswsAuth {
  /** Discriminant. */
  type: 'ssws'
  /** The API token. Sent as `Authorization: SSWS {token}`; never logged. */
  token: string
}

/**
 * OAuth for Okta: a service app gets scoped `okta.*` access tokens from the
 * org authorization server (`https://{org}/oauth2/v1/token`) with the client
 * credentials grant and `private_key_jwt`.
 */
export interface OAuthForOktaAuth {
  /** Discriminant. */
  type: 'oauth'
  /** The service app's client id. */
  clientId: string
  /** Its private key: a JWK (with `d`), a PKCS#8 PEM string, or a private `CryptoKey`. */
  privateKey: JWK | string | CryptoKey
  /** The key id registered with the app. Default: the JWK's `kid`. */
  kid?: string
  /** The assertion's algorithm. Default: from the key (RS256 for RSA). */
  algorithm?: string
  /**
   * The `okta.*` scopes to request, e.g. `['okta.authorizationServers.manage']`.
   * An operation needing a scope not listed fails before any request
   * (`.manage` also covers `.read`).
   */
  scopes: readonly string[]
  /** Bind the tokens to a DPoP key (for apps that require DPoP). */
  dpop?: DPoPOptions
  /**
   * Share the access token with the other processes of a fleet: one token
   * request per fleet, renewed before expiry, instead of one per process
   * (e.g. `createRedisAdminTokenStore` of `okta-oauth-kit/redis`). Default:
   * each client keeps its own token in memory.
   */
  tokenStore?: AdminTokenStore
}

/** How the management client authenticates. */
export type AdminAuth = SswsAuth | OAuthForOktaAuth

/**
 * Retries of rate-limited (429) idempotent requests. Each waits what the
 * 429 asks (`X-Rate-Limit-Reset` against its `Date`, else `Retry-After` in
 * seconds or as an HTTP date); when it asks nothing usable (absent,
 * malformed, past, or a day or more away): 1 s, 2 s, 4 s…
 */
export interface AdminRetryOptions {
  /** Retries per request. Default: 3. */
  limit?: number
  /** Longest wait the client accepts for one retry, in ms; beyond it the 429 is reported. Default: 60 000. */
  maxDelay?: number
}

/**
 * Options of `createAdminClient`. `maxResponseBytes` (from `HttpOptions`)
 * bounds every body the client reads (pages, single resources, error
 * bodies, the key set `keys.rotateAndWait` polls): 16 MiB by default
 * (`RESPONSE_LIMITS.admin`).
 */
export interface AdminClientOptions extends HttpOptions {
  /** The org's base URL, e.g. `https://example.okta.com`. */
  orgUrl: string | URL
  /** SSWS token or OAuth for Okta. */
  auth: AdminAuth
  /** Most requests in flight at once (the org limits concurrent requests). Default: 10. */
  concurrency?: number
  /** Retries of rate-limited idempotent requests. */
  retry?: AdminRetryOptions
  /** Called with the rate-limit headers of every response that has them. */
  onRateLimit?: (info: RateLimitInfo) => void
}
