import type * as oauth from 'oauth4webapi'
import type { IdTokenClaims } from '../jwt/id-token.js'

/**
 * The tokens a token endpoint (or an implicit authorization response)
 * returned, validated. Times are seconds since the epoch, like JWT claims.
 */
export interface TokenSet {
  /** The access token. Treat as opaque unless you are its resource server. */
  accessToken: string
  /** `Bearer`, or `DPoP` for sender-constrained tokens. */
  tokenType: string
  /** Lifetime in seconds, as sent (`expires_in`). */
  expiresIn?: number
  /** When the access token expires: the response time plus `expires_in`, in epoch seconds. */
  expiresAt?: number
  /** The granted scopes, space separated, when the server says. */
  scope?: string
  /** The refresh token, when one was issued (`offline_access`). Rotated on every refresh when the server rotates. */
  refreshToken?: string
  /** The ID token, already validated. */
  idToken?: string
  /** The validated ID token's claims. */
  idTokenClaims?: IdTokenClaims
  /** Extra members of the response (e.g. `device_secret`), wire names kept. */
  extra?: Readonly<Record<string, unknown>>
}

const KNOWN = new Set([
  'access_token',
  'token_type',
  'expires_in',
  'scope',
  'refresh_token',
  'id_token',
  'authorization_details',
])

/** @internal Build a TokenSet from a processed token response. */
export function toTokenSet(
  response: oauth.TokenEndpointResponse,
  nowSeconds: number,
  idTokenClaims: IdTokenClaims | undefined,
): TokenSet {
  const set: TokenSet = {
    accessToken: response.access_token,
    tokenType: normaliseType(response.token_type),
  }
  if (typeof response.expires_in === 'number') {
    set.expiresIn = response.expires_in
    set.expiresAt = nowSeconds + response.expires_in
  }
  if (typeof response.scope === 'string') set.scope = response.scope
  if (typeof response.refresh_token === 'string') set.refreshToken = response.refresh_token
  if (typeof response.id_token === 'string') set.idToken = response.id_token
  if (idTokenClaims) set.idTokenClaims = idTokenClaims
  const extra = Object.fromEntries(Object.entries(response).filter(([k]) => !KNOWN.has(k)))
  if (Object.keys(extra).length > 0) set.extra = extra
  return set
}

function normaliseType(type: string): string {
  const lower = type.toLowerCase()
  if (lower === 'bearer') return 'Bearer'
  if (lower === 'dpop') return 'DPoP'
  return type
}
