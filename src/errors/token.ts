import { assign, type ErrorOptions, OktaOAuthError } from './base.js'
import type { BearerTokenErrorCode, JwksErrorCode, TokenValidationErrorCode } from './codes.js'

/** Which token a validation error is about. */
export type TokenKind = 'id_token' | 'access_token' | 'logout_token' | 'jwt'

/** Options of {@link TokenValidationError}. */
export interface TokenValidationErrorOptions extends ErrorOptions {
  /** The code; see {@link TokenValidationErrorCode}. */
  code: TokenValidationErrorCode
  /** Which token failed. */
  token: TokenKind
  /** A short reason: `missing`, `mismatch`, `expired`, `signature`, … */
  reason: string
  /** The claim (or header parameter) that failed, e.g. `aud`, `nonce`, `alg`. */
  claim?: string
  /** With `ERR_INSUFFICIENT_SCOPE`: the scopes the operation requires. */
  requiredScopes?: readonly string[]
  /** The value the token carried, only where it is not secret (an untrusted `iss`), escaped. */
  actual?: string
  /** The values that would have been accepted, only where they are not secret (the trusted issuers). */
  expected?: readonly string[]
}

/**
 * A token (ID token, access token) failed validation. {@link claim} names the
 * failing claim where there is one; {@link reason} says why in a word.
 *
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation | OIDC Core §3.1.3.7}
 */
export class TokenValidationError extends OktaOAuthError {
  /** The default code of this class. */
  static readonly code: TokenValidationErrorCode = 'ERR_JWT_MALFORMED'
  declare readonly code: TokenValidationErrorCode
  /** The claim (or header parameter) that failed, e.g. `aud`, `nonce`, `alg`. */
  declare readonly claim?: string
  /** A short reason: `missing`, `mismatch`, `expired`, `signature`, … */
  declare readonly reason: string
  /** Which token failed. */
  declare readonly token: TokenKind
  /** With `ERR_INSUFFICIENT_SCOPE`: the scopes the operation requires (for RFC 6750's `scope` attribute). */
  declare readonly requiredScopes?: readonly string[]
  /**
   * The value the token carried, only where it is not secret: the `iss` of a
   * token from an untrusted issuer. It comes from the token, so it is cut to
   * 200 characters and escaped like a JSON string (control characters as
   * `\uXXXX`).
   */
  declare readonly actual?: string
  /** The values that would have been accepted, only where they are not secret: the trusted issuers. */
  declare readonly expected?: readonly string[]

  /**
   * @param message - what failed and what was expected.
   * @param options - the code, the token kind, claim, reason, required scopes, the non-secret actual and expected values, the `cause`.
   */
  constructor(message: string, options: TokenValidationErrorOptions) {
    super(message, options)
    this.name = 'TokenValidationError'
    assign(this, options, ['token', 'reason', 'claim', 'requiredScopes', 'actual', 'expected'])
  }
}

/** Options of {@link BearerTokenError}. */
export interface BearerTokenErrorOptions extends ErrorOptions {
  /** The code; see {@link BearerTokenErrorCode}. */
  code: BearerTokenErrorCode
}

/**
 * A request to a resource server carried no usable bearer token: no
 * `Authorization` header, another scheme, or a malformed value. Never holds
 * the header's value.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export class BearerTokenError extends OktaOAuthError {
  /** The default code of this class. */
  static readonly code: BearerTokenErrorCode = 'ERR_BEARER_MISSING'
  declare readonly code: BearerTokenErrorCode

  /**
   * @param message - what is wrong with the request.
   * @param options - the code.
   */
  constructor(message: string, options: BearerTokenErrorOptions) {
    super(message, options)
    this.name = 'BearerTokenError'
  }
}

/** Options of {@link JwksError}. */
export interface JwksErrorOptions extends ErrorOptions {
  /** The code; see {@link JwksErrorCode}. */
  code: JwksErrorCode
}

/** The JSON Web Key Set could not supply a key for a token. */
export class JwksError extends OktaOAuthError {
  /** The default code of this class. */
  static readonly code: JwksErrorCode = 'ERR_JWKS_UNAVAILABLE'
  declare readonly code: JwksErrorCode

  /**
   * @param message - what failed.
   * @param options - the code, the `cause`.
   */
  constructor(message: string, options: JwksErrorOptions) {
    super(message, options)
    this.name = 'JwksError'
  }
}
