import type { KeyResolver } from '../jwks/types.js'
import type { JWTPayload } from '../lib/wire-types.js'

// The ID-token types, apart from the code that checks them: the claim checks
// (./claims.ts, which the browser entry ships) and the jose-based validation
// (./id-token.ts) both use them, and neither imports the other's module for it.

/** Claims of a validated ID token: the registered ones typed, the rest kept. */
export interface IdTokenClaims extends JWTPayload {
  /** Issuer: the authorization server. */
  iss: string
  /** Subject: the user's id (`00u…` at Okta). */
  sub: string
  /** Audience: contains the client id. */
  aud: string | string[]
  /** Expiry, seconds since the epoch. */
  exp: number
  /** Issued at, seconds since the epoch. */
  iat: number
  /** When the user authenticated, seconds since the epoch. */
  auth_time?: number
  /** The nonce of the authorization request. */
  nonce?: string
  /** Authorized party. */
  azp?: string
  /** Access-token hash. */
  at_hash?: string
  /** Code hash. */
  c_hash?: string
  /** Authentication methods, e.g. `["pwd"]`. */
  amr?: string[]
  /** Okta: the identity provider id. */
  idp?: string
  /** Okta: token version. */
  ver?: number
  /** Any other claim. */
  [claim: string]: unknown
}

/** What an ID token is validated against. */
export interface ValidateIdTokenOptions {
  /** The exact expected `iss`: the issuer from discovery. */
  issuer: string
  /** The client id: must be in `aud`, and equal `azp` when present. */
  clientId: string
  /** Resolves the signing key, e.g. a {@link JwksCache}'s `getKey`. */
  keys: KeyResolver
  /**
   * Allowed `alg` values. Default: `["RS256"]`. `none` and HMAC algorithms
   * are always refused: an ID token must be signed with the server's key.
   */
  algorithms?: readonly string[]
  /** The nonce sent in the authorization request; required in the token when given. */
  nonce?: string
  /** The `max_age` sent, in seconds: `auth_time` is then required and checked. */
  maxAge?: number
  /** Require `auth_time` even without `maxAge`. */
  requireAuthTime?: boolean
  /** Tolerance for `exp`, `iat`, `nbf` and `auth_time`, in seconds. Default: 30. */
  clockTolerance?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
  /** The `sub` the token must carry (a refreshed ID token's user must not change). */
  expectedSubject?: string
  /** The access token issued with it: `at_hash` is checked when present. */
  accessToken?: string
  /** Require `at_hash` (implicit `id_token token` responses). */
  requireAtHash?: boolean
  /** The code issued with it: `c_hash` is checked when present. */
  code?: string
  /** Require `c_hash` (hybrid `code id_token` responses). */
  requireCHash?: boolean
}
