import { InvalidOptionError } from '../errors.js'
import { encodeBase64url } from '../lib/base64url.js'
import type { OAuthForOktaAuth } from './options.js'

// A hook for sharing the OAuth-for-Okta access token between the processes
// of a fleet: one token request per fleet instead of one per process. The
// store decides who fetches (e.g. a short Redis lock, `okta-oauth-kit/redis`);
// the admin client only asks it, and falls back to its own token otherwise.

/** An OAuth-for-Okta access token as a shared {@link AdminTokenStore} keeps it. */
export interface SharedAdminToken {
  /** The access token (a secret: a store must not keep it in clear where others can read it). */
  accessToken: string
  /** When it expires, in ms since the epoch. */
  expiresAt: number
  /** The scopes it carries. */
  scopes: string[]
}

/** Options of {@link AdminTokenStore.getToken}. */
export interface AdminTokenRequest {
  /** The token must stay valid this many ms more; an older one is renewed. */
  minTtlMs: number
}

/**
 * Shares the access token of an OAuth-for-Okta admin client between
 * processes (`auth.tokenStore`). Every process asks {@link getToken}; the
 * store returns a token another process already obtained, or lets exactly
 * one process call `fetchToken` and keeps what it returns for the others.
 * `okta-oauth-kit/redis` has one (`createRedisAdminTokenStore`).
 *
 * @example
 * ```ts
 * import type { AdminTokenStore, SharedAdminToken } from 'okta-oauth-kit/admin'
 * // One process only: a store in memory (a real one is shared, e.g. Redis).
 * const tokens = new Map<string, SharedAdminToken>()
 * const store: AdminTokenStore = {
 *   async getToken(key, fetchToken, { minTtlMs }) {
 *     const held = tokens.get(key)
 *     if (held && held.expiresAt - minTtlMs > Date.now()) return held
 *     const fresh = await fetchToken()
 *     tokens.set(key, fresh)
 *     return fresh
 *   },
 * }
 * ```
 */
export interface AdminTokenStore {
  /**
   * A token for `key` valid for at least `minTtlMs` more: the stored one, or
   * one from `fetchToken`, called by at most one process of the fleet at a
   * time. Rejects with what `fetchToken` rejected with, or a `StoreError`.
   * @param key - Names the org, the client, its scopes and DPoP key (no secret).
   * @param fetchToken - Requests a new token from the org.
   * @param request - The validity needed. (Callers that give up stop waiting
   * on their own; the request goes on for the others.)
   */
  getToken(
    key: string,
    fetchToken: () => Promise<SharedAdminToken>,
    request: AdminTokenRequest,
  ): Promise<SharedAdminToken>
  /**
   * Drop the stored token for `key` if it is still `accessToken` (the API
   * refused it with 401), so that the next {@link getToken} fetches.
   * @param key - As in {@link getToken}.
   * @param accessToken - The refused token.
   */
  forget?(key: string, accessToken: string): Promise<void> | void
}

/** @internal Check `auth.tokenStore`; throws `InvalidOptionError`. */
export function checkTokenStore(store: unknown): void {
  if (store === undefined) return
  const s = store as Partial<AdminTokenStore> | null
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.getToken !== 'function' ||
    (s.forget !== undefined && typeof s.forget !== 'function')
  ) {
    throw new InvalidOptionError('auth.tokenStore must have getToken (and optionally forget)')
  }
}

/**
 * @internal
 * The key a token is shared under: a hash of the org, the client id, the
 * sorted scopes and, with DPoP, the thumbprint-like digest of the public key
 * (a DPoP-bound token only works with its key pair). Nothing secret.
 */
export async function sharedTokenKey(orgUrl: URL, auth: OAuthForOktaAuth): Promise<string> {
  let dpop = ''
  if (auth.dpop) {
    const jwk = await crypto.subtle.exportKey('jwk', auth.dpop.keyPair.publicKey)
    dpop = JSON.stringify([jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e])
  }
  const parts = JSON.stringify([orgUrl.origin, auth.clientId, [...auth.scopes].sort(), dpop])
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts))
  return encodeBase64url(new Uint8Array(digest))
}
