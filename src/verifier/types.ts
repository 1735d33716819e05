import type { JwksCache, JwksCacheOptions } from '../jwks/types.js'
import type { IdTokenClaims } from '../jwt/id-token.js'
import type { CallOptions, HttpOptions } from '../lib/http.js'
import type { ClientAuth } from '../oauth/client-auth.js'
import type { CryptoBackendName } from './backend.js'
import type { BearerChallenge, BearerSource } from './http.js'

/**
 * Claims of a verified access token. Okta's own format carries `ver`, `jti`,
 * `cid`, `uid` and `scp` (an array); RFC 9068 tokens carry `client_id` and
 * `scope` (a space-separated string). Every other claim is kept.
 */
export interface AccessTokenClaims {
  /** Issuer: the authorization server. */
  iss: string
  /** Audience: the resource server(s), e.g. `api://default`. */
  aud: string | string[]
  /** Expiry, seconds since the epoch. */
  exp: number
  /** Issued at, seconds since the epoch. */
  iat?: number
  /** Not before, seconds since the epoch. */
  nbf?: number
  /** Subject: the user's login, or the client id for client-credentials tokens. */
  sub?: string
  /** Token id. */
  jti?: string
  /** Okta: token format version. */
  ver?: number
  /** Okta: the client the token was issued to. */
  cid?: string
  /** Okta: the user's id (`00u…`). */
  uid?: string
  /** Okta: granted scopes. */
  scp?: string[]
  /** RFC 9068: the client the token was issued to. */
  client_id?: string
  /** RFC 9068 / introspection: granted scopes, space-separated. */
  scope?: string
  /** Confirmation: `jkt` binds the token to a DPoP key. */
  cnf?: ConfirmationClaim
  /** Any other claim. */
  [claim: string]: unknown
}

/** The `cnf` (confirmation) claim of a sender-constrained token (RFC 7800, RFC 9449). */
export interface ConfirmationClaim {
  /** The SHA-256 thumbprint of the DPoP key the token is bound to. */
  jkt?: string
  /** Other confirmation methods (e.g. `x5t#S256` for mTLS). */
  [member: string]: unknown
}

/** Claim assertion: the claim equals one of these values. */
export interface OneOfAssertion {
  /** The accepted values. */
  readonly oneOf: readonly (string | number | boolean | null)[]
}

/** Claim assertion: the claim (an array, or a space-separated string) contains every value. */
export interface IncludesAssertion {
  /** The value, or values, that must all be present. */
  readonly includes: string | number | readonly (string | number)[]
}

/** Options of the verified-token cache ({@link VerifierOptions.tokenCache}). */
export interface TokenCacheOptions {
  /** Most tokens kept; the oldest are dropped first. Default: 1 000. */
  maxEntries?: number
}

/** The protected header of a verified token. */
export interface VerifiedHeader {
  /** The signing algorithm. */
  alg: string
  /** The key id. */
  kid?: string
  /** The media type: `JWT`, `at+jwt` or none. */
  typ?: string
}

/**
 * What {@link Verifier.verifyAccessToken} resolves to: the claims and their
 * common readings. Treat it as read-only: a result that other calls may get
 * too (from the token cache or the introspection cache) is deeply frozen, and
 * so is `header` always (it is shared by every token with the same header),
 * so a change throws in strict mode and never reaches another call.
 */
export interface VerifiedAccessToken {
  /** Every claim of the token (or of the introspection response). */
  readonly claims: AccessTokenClaims
  /** The protected header (frozen); absent for introspected tokens. */
  readonly header?: VerifiedHeader
  /** The issuer the token was verified against. */
  readonly issuer: string
  /** Granted scopes, from `scp` or `scope`. */
  readonly scopes: readonly string[]
  /** The client the token was issued to: `cid` or `client_id`. */
  readonly clientId?: string
  /** `sub`. */
  readonly subject?: string
  /** Okta's user id `uid`, for tokens issued to a user. */
  readonly userId?: string
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number
  /**
   * How it was verified and which shape it has: `okta` (`typ: JWT` with `scp`/`cid`),
   * `rfc9068` (`typ: at+jwt`), or `introspection` (the server vouched for it).
   */
  readonly format: 'okta' | 'rfc9068' | 'introspection'
}

/**
 * One claim assertion of {@link VerifyAccessTokenOptions.claims}:
 * - a string, number, boolean or `null`: the claim equals it;
 * - `{ oneOf: [...] }`: the claim equals one of them;
 * - `{ includes: v | [...] }`: the claim (an array, or a space-separated string) contains all of them;
 * - a function: called with the claim's value and all claims, must return `true`.
 */
export type ClaimAssertion =
  | string
  | number
  | boolean
  | null
  | OneOfAssertion
  | IncludesAssertion
  | ((value: unknown, claims: AccessTokenClaims) => boolean)

/** Scopes a token must carry: a list (all of them), or all-of / any-of sets. */
export type ScopeRequirement =
  | readonly string[]
  | {
      /** Every one of these. */
      readonly allOf?: readonly string[]
      /** At least one of these. */
      readonly anyOf?: readonly string[]
    }

/** Per-call requirements of {@link Verifier.verifyAccessToken}. */
export interface VerifyAccessTokenOptions extends CallOptions {
  /** Scopes the token must carry. A failure is `ERR_INSUFFICIENT_SCOPE` with `requiredScopes`. */
  scopes?: ScopeRequirement
  /** Claim assertions by claim name. A failure is `ERR_JWT_CLAIM_INVALID` naming the claim. */
  claims?: Readonly<Record<string, ClaimAssertion>>
  /** Refuse tokens issued (`iat`) longer ago than this, in seconds. */
  maxAge?: number
}

/** Per-call requirements of {@link Verifier.verifyIdToken}. */
export interface VerifyIdTokenOptions extends CallOptions {
  /** The client the ID token was issued to: must be in `aud` (and equal `azp`). */
  clientId: string
  /** The nonce sent in the authorization request. */
  nonce?: string
  /** The `max_age` sent, in seconds. */
  maxAge?: number
  /** The access token issued with it, to check `at_hash`. */
  accessToken?: string
}

/** The opt-in introspection fallback of {@link VerifierOptions.introspection}. */
export interface IntrospectionFallbackOptions {
  /** The client that introspects (the resource server's own client). */
  clientId: string
  /** How it authenticates. Okta requires client authentication at `/v1/introspect`. */
  auth: ClientAuth
  /**
   * Which tokens go to introspection: `opaque` (default) for tokens that are
   * not JWTs; `always` for every token (org-server tokens, or when a revoked
   * token must be refused within seconds).
   */
  mode?: 'opaque' | 'always'
  /** The issuer whose introspection endpoint is called. Default: the first issuer. */
  issuer?: string
  /**
   * How long an answer is reused, in ms (never past the token's `exp`).
   * Inactive answers are cached as long, so garbage tokens cost one request.
   * Default: 30 000; at most 300 000.
   */
  cacheTtl?: number
  /** Most answers kept. Default: 1 000. */
  maxEntries?: number
  /**
   * Refuse answers without `aud` (default `true`). Okta's access-token answers
   * always carry it and its refresh-token answers never do, so this is what
   * keeps a refresh token from passing as a bearer token. Set `false` only for
   * servers that omit `aud` (an answer must then say `token_type: Bearer`).
   */
  requireAudience?: boolean
}

/** Options of {@link createVerifier}. */
export interface VerifierOptions extends HttpOptions {
  /**
   * The trusted issuer, as tokens carry it in `iss`
   * (`https://{org}/oauth2/default`), or several (a custom server per
   * tenant): each gets its own discovery and JWKS cache. A single trailing
   * slash is not significant (`…/oauth2/default/` trusts tokens whose `iss`
   * is `…/oauth2/default`, and the reverse); nothing else is folded. A token
   * from any other issuer is refused with `ERR_JWT_CLAIM_INVALID`, its
   * `actual` (the token's `iss`, cut short and escaped) and `expected` (these
   * issuers).
   */
  issuer: string | readonly string[]
  /** Accepted `aud` values for access tokens (`api://default`); a token must carry at least one. */
  audience: string | readonly string[]
  /**
   * The key set to use, skipping discovery (single issuer only). Also lets
   * a verifier read any JWKS.
   */
  jwksUri?: string | URL
  /** A JWKS cache to share with a client of the same issuer (single issuer only). */
  jwksCache?: JwksCache
  /**
   * Allowed signature algorithms. Default: `RS256` plus the asymmetric
   * algorithms the server advertises. `none` and HMAC are refused.
   */
  algorithms?: readonly string[]
  /** Tolerance for `exp`, `nbf` and `iat`, in seconds. Default: 30. */
  clockTolerance?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
  /**
   * Tuning of the JWKS caches this verifier creates: durations in ms under
   * jose's names (`cacheMaxAge`, `cooldownDuration`, …; see
   * {@link JwksCacheOptions}). Checked by {@link createVerifier}: an option
   * given under both its current and its deprecated name is an
   * `InvalidOptionError`.
   */
  jwks?: Omit<JwksCacheOptions, 'jwksUri' | 'now' | keyof HttpOptions>
  /**
   * Cache verified tokens (keyed by the exact token, valid until the earlier
   * of its `exp` and its key leaving the JWKS), for APIs that see the same
   * token many times. A token is cached from its second verification on
   * (the first only marks its fingerprint, so tokens seen once cost next to
   * nothing). Scope and claim requirements of access tokens are still
   * checked on every call; an ID-token entry answers only a call with the
   * same `clientId`, `nonce`, `maxAge` and `accessToken` (any other call
   * verifies the token afresh). Every call answered from the cache gets the
   * same result object, frozen (deeply) when it was cached. Default: off.
   */
  tokenCache?: boolean | TokenCacheOptions
  /** Verify opaque (or all) tokens by introspection. Default: off. */
  introspection?: IntrospectionFallbackOptions
  /** Longest token accepted, in characters. Default: 16 384. */
  maxTokenLength?: number
  /**
   * The largest response read, in bytes, for each key set, discovery
   * document and introspection answer this verifier fetches. A larger one is
   * cut off as soon as it passes the limit: a key set fails with `JwksError`
   * (`ERR_JWKS_UNAVAILABLE`, caused by an `InvalidResponseError` with
   * `ERR_RESPONSE_TOO_LARGE`), and keys already held keep verifying. Default:
   * `RESPONSE_LIMITS` (1 MiB each).
   */
  maxResponseBytes?: number
}

/** A resource-server token verifier; see {@link createVerifier}. */
export interface Verifier {
  /** The signature implementation in use: `node:crypto` on Node, `webcrypto` elsewhere. */
  readonly crypto: CryptoBackendName
  /** The trusted issuers. */
  readonly issuers: readonly string[]
  /**
   * Verify an access token: signature (algorithms pinned), `typ`, `iss`,
   * `aud`, `exp`/`nbf`/`iat`, then the call's scopes and claims. The key is
   * the one its `kid` names; a token without `kid` (Okta always sends one) is
   * checked against at most three keys whose `kty`, `alg`, curve and `use`
   * fit, and refused with `ERR_JWKS_NO_MATCHING_KEY` when more fit.
   * @param token - The compact JWT (or an opaque token with introspection on).
   * @param options - Required scopes and claims; signal and timeout for any fetch.
   * @returns The verified token; read-only (see {@link VerifiedAccessToken}).
   * Rejects with `TokenValidationError` (with `claim` and `reason`), `JwksError`,
   * or a transport error when keys or metadata cannot be fetched.
   */
  verifyAccessToken(token: string, options?: VerifyAccessTokenOptions): Promise<VerifiedAccessToken>
  /**
   * Verify an ID token with the same keys, signature backend and token cache
   * (the checks of `validateIdToken`). With the token cache on, the claims
   * of a cached token are frozen and shared by the calls it answers.
   * @param token - The compact JWT.
   * @param options - The client id, and the nonce, max age and access token to check.
   * @returns The token's claims.
   * Rejects with `TokenValidationError` (`token: 'id_token'`) or `JwksError`.
   */
  verifyIdToken(token: string, options: VerifyIdTokenOptions): Promise<IdTokenClaims>
  /**
   * The JWKS cache of an issuer, once created (after the first verification
   * or {@link Verifier.ready}).
   * @param issuer - One of {@link Verifier.issuers}. Default: the first.
   */
  jwksCache(issuer?: string): JwksCache | undefined
  /**
   * Discover every issuer and load its keys, so the first request does not wait.
   * @param options - signal and timeout.
   */
  ready(options?: CallOptions): Promise<void>
  /**
   * Read the bearer token of a request and verify it. A DPoP-bound token
   * (`cnf.jkt`) presented as a bearer token is refused.
   * @param request - A `Request`, `Headers`, Node request or its headers, or the `Authorization` value.
   * @param options - Required scopes and claims.
   * @returns The verified token.
   * Rejects with `BearerTokenError` or what {@link Verifier.verifyAccessToken} rejects with.
   */
  verifyRequest(
    request: BearerSource,
    options?: VerifyAccessTokenOptions,
  ): Promise<VerifiedAccessToken>
  /**
   * Like {@link Verifier.verifyRequest}, but never rejects for a bad request:
   * it returns the RFC 6750 answer to send (status, `WWW-Authenticate`, body,
   * and a ready Web `Response`).
   * @param request - As for {@link Verifier.verifyRequest}.
   * @param options - Required scopes and claims, and the challenge's realm.
   * @returns `{ ok: true, token }` or `{ ok: false, error, challenge, response }`.
   */
  authenticate(request: BearerSource, options?: AuthenticateOptions): Promise<AuthenticationResult>
  /**
   * Drop a token from the verified-token and introspection caches (after
   * revoking it, say).
   * @param token - The token.
   */
  forget(token: string): void
}

/** Options of {@link Verifier.authenticate}. */
export interface AuthenticateOptions extends VerifyAccessTokenOptions {
  /** The `realm` of the `WWW-Authenticate` challenge. */
  realm?: string
}

/** A request that passed {@link Verifier.authenticate}. */
export interface AuthenticationSuccess {
  /** Discriminant. */
  ok: true
  /** The verified token. */
  token: VerifiedAccessToken
}

/** A request that failed {@link Verifier.authenticate}, with the answer to send. */
export interface AuthenticationFailure {
  /** Discriminant. */
  ok: false
  /** Why it failed (typed, never containing the token). */
  error: Error
  /** Status, headers and body per RFC 6750. */
  challenge: BearerChallenge
  /** The same as a Web `Response`. */
  response: Response
}

/** What {@link Verifier.authenticate} resolves to. */
export type AuthenticationResult = AuthenticationSuccess | AuthenticationFailure
