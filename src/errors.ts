/**
 * The SDK's error classes. Every error thrown for a network, server or token
 * problem is an {@link OktaOAuthError} with a stable {@link OktaOAuthError.code};
 * programmer mistakes (bad options) are {@link InvalidOptionError}s, a
 * `TypeError` with a code. Messages name what failed and what was expected,
 * never a token, secret, code or verifier.
 *
 * @module errors
 */

import { printable } from './lib/printable.js'

/**
 * Every `code` an SDK error can carry.
 *
 * - `ERR_OAUTH_RESPONSE`: the server answered with an OAuth error body or a `WWW-Authenticate` challenge ({@link OAuthResponseError}).
 * - `ERR_AUTHORIZATION_RESPONSE`: the authorization response carried `error` ({@link AuthorizationResponseError}).
 * - `ERR_INVALID_RESPONSE`: a response that is not what the protocol requires (garbage JSON, wrong status, missing members).
 * - `ERR_ISSUER_MISMATCH`: a discovery document whose `issuer` is not the one asked for.
 * - `ERR_RESPONSE_TOO_LARGE`: a response body larger than the SDK reads for its kind ({@link InvalidResponseError}).
 * - `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`: transport failures ({@link NetworkError}, {@link TimeoutError}, {@link AbortError}).
 * - `ERR_JWT_*`, `ERR_NONCE_MISMATCH`, `ERR_AUTH_TIME_TOO_OLD`, `ERR_TOKEN_HASH_MISMATCH`, `ERR_SUBJECT_MISMATCH`: token validation ({@link TokenValidationError}).
 * - `ERR_INSUFFICIENT_SCOPE`, `ERR_TOKEN_INACTIVE`: a valid access token that lacks required scopes, or that introspection reports inactive ({@link TokenValidationError}).
 * - `ERR_JWKS_*`: the key set could not be fetched or holds no key for a token ({@link JwksError}).
 * - `ERR_BEARER_MISSING`, `ERR_BEARER_MALFORMED`: a request to a resource server carried no usable bearer token ({@link BearerTokenError}).
 * - `ERR_INVALID_OPTION`, `ERR_INSECURE_URL`, `ERR_INVALID_REQUEST_BODY`: programmer errors ({@link InvalidOptionError}, {@link RequestValidationError}).
 * - `ERR_API_*`: the management API answered with an error ({@link OktaApiError}).
 * - `ERR_SCOPE_NOT_CONFIGURED`, `ERR_SCOPE_NOT_GRANTED`: a management call the `okta.*` scopes cannot cover ({@link AdminScopeError}).
 * - `ERR_POPUP_*`, `ERR_IFRAME_TIMEOUT`, `ERR_INTERACTION_REQUIRED`: a browser sign-in that could not complete ({@link BrowserAuthError}).
 */
export type ErrorCode =
  | 'ERR_OAUTH_RESPONSE'
  | 'ERR_AUTHORIZATION_RESPONSE'
  | InvalidResponseErrorCode
  | 'ERR_NETWORK'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | TokenValidationErrorCode
  | JwksErrorCode
  | InvalidOptionErrorCode
  | CallbackErrorCode
  | BearerTokenErrorCode
  | OktaApiErrorCode
  | AdminScopeErrorCode
  | BrowserAuthErrorCode

/** Codes of {@link InvalidResponseError}. */
export type InvalidResponseErrorCode =
  /** Not what the protocol requires: garbage JSON, an unexpected status, a missing or mistyped member. */
  | 'ERR_INVALID_RESPONSE'
  /** A discovery document whose `issuer` is not the one asked for. */
  | 'ERR_ISSUER_MISMATCH'
  /** The body is larger than the SDK reads for this kind of response (see `maxResponseBytes`). */
  | 'ERR_RESPONSE_TOO_LARGE'

/** Codes of {@link BearerTokenError}. */
export type BearerTokenErrorCode =
  /** No `Authorization: Bearer` header (RFC 6750 §3.1: answer 401 without an error code). */
  | 'ERR_BEARER_MISSING'
  /** An `Authorization` header that is not a single well-formed bearer token (answer 400 `invalid_request`). */
  | 'ERR_BEARER_MALFORMED'

/** Codes of {@link CallbackError}. */
export type CallbackErrorCode =
  /** What arrived is not an authorization response: no parameters, wrong shape, wrong method or content type. */
  | 'ERR_CALLBACK_MALFORMED'
  /** `state` is missing or is not the transaction's. */
  | 'ERR_STATE_MISMATCH'
  /** The response's `iss` is not the transaction's issuer, or is missing where the server promises it (RFC 9207). */
  | 'ERR_CALLBACK_ISSUER_MISMATCH'
  /** The response lacks what the `response_type` promises (a code, tokens), or carries what it does not. */
  | 'ERR_RESPONSE_TYPE_MISMATCH'
  /** The transaction was already used for a response. */
  | 'ERR_TRANSACTION_REUSED'
  /** The transaction is older than the allowed age. */
  | 'ERR_TRANSACTION_EXPIRED'
  /** The transaction is not one of this client's (another issuer or client id), or is not a transaction. */
  | 'ERR_TRANSACTION_INVALID'
  /** `okta-oauth-kit/server`: the callback carried no transaction cookie at all (expired in the browser, blocked, or never set). */
  | 'ERR_TRANSACTION_MISSING'
  /** `okta-oauth-kit/server`: the transaction cookie does not decrypt or verify with the app's secret (forged, altered or truncated). */
  | 'ERR_TRANSACTION_TAMPERED'

/** Codes of {@link TokenValidationError}. */
export type TokenValidationErrorCode =
  /** Not a compact JWS, or its header/payload is not JSON. */
  | 'ERR_JWT_MALFORMED'
  /** The signature does not verify with the key the header names. */
  | 'ERR_JWT_SIGNATURE_INVALID'
  /** The header's `alg` is not among the allowed algorithms (never `none`, never HMAC with a public key). */
  | 'ERR_JWT_ALG_NOT_ALLOWED'
  /** `exp` is in the past, beyond the clock tolerance. */
  | 'ERR_JWT_EXPIRED'
  /** `nbf` or `iat` is in the future, beyond the clock tolerance. */
  | 'ERR_JWT_NOT_YET_VALID'
  /** A claim is missing or has the wrong value (`claim` names it). */
  | 'ERR_JWT_CLAIM_INVALID'
  /** The ID token's `nonce` is not the one sent in the authorization request. */
  | 'ERR_NONCE_MISMATCH'
  /** `auth_time` is older than the requested `max_age` allows. */
  | 'ERR_AUTH_TIME_TOO_OLD'
  /** `at_hash` or `c_hash` does not match the access token or code. */
  | 'ERR_TOKEN_HASH_MISMATCH'
  /** The `sub` of a userinfo response or refreshed ID token is not the signed-in user's. */
  | 'ERR_SUBJECT_MISMATCH'
  /** A valid access token lacks scopes the operation requires (`requiredScopes` lists them). */
  | 'ERR_INSUFFICIENT_SCOPE'
  /** Introspection reports the token inactive: expired, revoked, or unknown. */
  | 'ERR_TOKEN_INACTIVE'

/** Codes of {@link BrowserAuthError}. */
export type BrowserAuthErrorCode =
  /** `window.open` returned nothing: a popup blocker, or the call was not inside a user's click. */
  | 'ERR_POPUP_BLOCKED'
  /** The popup was closed before it answered: by the user, or a Cross-Origin-Opener-Policy severed it (see {@link BrowserAuthError.openerSevered}). */
  | 'ERR_POPUP_CLOSED'
  /** The popup did not answer in time. */
  | 'ERR_POPUP_TIMEOUT'
  /** The hidden iframe did not answer in time: usually third-party cookies or framing are blocked. */
  | 'ERR_IFRAME_TIMEOUT'
  /** A `prompt=none` request needs the user: `login_required`, `consent_required`, `interaction_required`, `account_selection_required` (see {@link BrowserAuthError.error}). */
  | 'ERR_INTERACTION_REQUIRED'

/** Codes of {@link JwksError}. */
export type JwksErrorCode =
  /** The JWKS endpoint failed (network, status, garbage) and no usable key is cached. */
  | 'ERR_JWKS_UNAVAILABLE'
  /** The key set holds no key matching the token's `kid`/`alg`, even after a refetch. */
  | 'ERR_JWKS_NO_MATCHING_KEY'

/** Codes of {@link InvalidOptionError}. */
export type InvalidOptionErrorCode =
  /** An option or argument has the wrong type or value. */
  | 'ERR_INVALID_OPTION'
  /** An `http:` URL to a host that is not loopback, without `allowInsecureRequests`. */
  | 'ERR_INSECURE_URL'
  /** The server's metadata lacks an endpoint the operation needs. */
  | 'ERR_MISSING_ENDPOINT'
  /** An authorization request breaks a protocol or server rule ({@link AuthorizationRequestError}). */
  | 'ERR_INVALID_AUTHORIZATION_REQUEST'
  /** A management API request body breaks the data model's rules ({@link RequestValidationError}). */
  | 'ERR_INVALID_REQUEST_BODY'
  /** `okta-oauth-kit/server`: the sealed session does not fit in a cookie; configure a session store. */
  | 'ERR_SESSION_TOO_LARGE'

/** Codes of {@link OktaApiError}. */
export type OktaApiErrorCode =
  /** 400: the request was refused (`E0000001` validation and similar); see `errorCauses`. */
  | 'ERR_API_BAD_REQUEST'
  /** 401: the credentials were refused, also after one retry with a fresh token. */
  | 'ERR_API_UNAUTHORIZED'
  /** 403: the token lacks the permission (`downscoped` tells whether it had the scope). */
  | 'ERR_API_FORBIDDEN'
  /** 404: no such resource. */
  | 'ERR_API_NOT_FOUND'
  /** 429: rate limited, and the request could not (or could no longer) be retried. */
  | 'ERR_API_RATE_LIMITED'
  /** Any other error status (409, 5xx, …). */
  | 'ERR_API_RESPONSE'

/** Codes of {@link AdminScopeError}. */
export type AdminScopeErrorCode =
  /** The operation needs a scope the client was not configured to request. */
  | 'ERR_SCOPE_NOT_CONFIGURED'
  /** The scope was requested, but the token the server issued does not carry it, or the org refused the token request (`invalid_scope`; `scopes` lists what was asked). */
  | 'ERR_SCOPE_NOT_GRANTED'

/** Options shared by the SDK's error constructors. */
export interface ErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown
}

/**
 * Base class of every SDK error raised for something outside the program:
 * the network, a server, a token. Catch it, then switch on {@link code}.
 *
 * @example
 * ```ts
 * import { isOktaOAuthError } from 'okta-oauth-kit'
 * try {
 *   // await client.refresh(refreshToken)
 * } catch (err) {
 *   if (isOktaOAuthError(err) && err.code === 'ERR_TIMEOUT') {
 *     // retry later
 *   }
 * }
 * ```
 */
export class OktaOAuthError extends Error {
  /** A stable, machine-readable code. */
  readonly code: ErrorCode

  /** @param message - what failed and what was expected. @param code - see {@link ErrorCode}. @param options - the `cause`. */
  constructor(message: string, code: ErrorCode, options?: ErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'OktaOAuthError'
    this.code = code
  }
}

/** The server's OAuth error fields, as sent (`error`, `error_description`, `error_uri`). */
export interface OAuthErrorFields {
  /** The OAuth error code, e.g. `invalid_grant`, `invalid_client`, `invalid_token`. */
  error: string
  /** Human-readable text from the server, if any. */
  errorDescription?: string
  /** A URI with more information, if any. */
  errorUri?: string
}

/**
 * The token, introspection, revocation, userinfo or PAR endpoint answered
 * with an OAuth error: a JSON body such as
 * `{"error":"invalid_grant","error_description":"…"}` or a
 * `WWW-Authenticate: Bearer error="invalid_token"` challenge (RFC 6750 §3).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export class OAuthResponseError extends OktaOAuthError implements OAuthErrorFields {
  /** The OAuth `error` code. */
  readonly error: string
  /** The server's `error_description`, if any. */
  declare readonly errorDescription?: string
  /** The server's `error_uri`, if any. */
  declare readonly errorUri?: string
  /** The HTTP status of the response. */
  readonly status: number
  /** The parsed `WWW-Authenticate` challenges, when the error came in that header. */
  declare readonly challenges?: readonly WWWAuthenticateChallenge[]

  /** @param fields - the server's error fields, the HTTP status and any parsed challenges. @param options - the `cause`. */
  constructor(
    fields: OAuthErrorFields & { status: number; challenges?: readonly WWWAuthenticateChallenge[] },
    options?: ErrorOptions,
  ) {
    super(
      `server responded with ${printable(fields.error, 64)}` +
        (fields.errorDescription ? `: ${printable(fields.errorDescription)}` : '') +
        ` (HTTP ${fields.status})`,
      'ERR_OAUTH_RESPONSE',
      options,
    )
    this.name = 'OAuthResponseError'
    this.error = fields.error
    this.status = fields.status
    if (fields.errorDescription !== undefined) this.errorDescription = fields.errorDescription
    if (fields.errorUri !== undefined) this.errorUri = fields.errorUri
    if (fields.challenges !== undefined) this.challenges = fields.challenges
  }
}

/** One parsed `WWW-Authenticate` challenge, e.g. `Bearer error="invalid_token"`. */
export interface WWWAuthenticateChallenge {
  /** The scheme in lower case: `bearer`, `dpop`, `basic`, … */
  scheme: string
  /** The auth-params, names in lower case. */
  parameters: Readonly<Record<string, string>>
}

/**
 * The authorization response (redirect, `form_post` or `okta_post_message`)
 * carried an `error` such as `access_denied` or `login_required`.
 *
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthError | OIDC Core §3.1.2.6}
 */
export class AuthorizationResponseError extends OktaOAuthError implements OAuthErrorFields {
  /** The OAuth `error` code, e.g. `access_denied`, `login_required`. */
  readonly error: string
  /** The server's `error_description`, if any. */
  declare readonly errorDescription?: string
  /** The server's `error_uri`, if any. */
  declare readonly errorUri?: string

  /** @param fields - the error fields of the authorization response. @param options - the `cause`. */
  constructor(fields: OAuthErrorFields, options?: ErrorOptions) {
    super(
      `authorization failed with ${printable(fields.error, 64)}` +
        (fields.errorDescription ? `: ${printable(fields.errorDescription)}` : ''),
      'ERR_AUTHORIZATION_RESPONSE',
      options,
    )
    this.name = 'AuthorizationResponseError'
    this.error = fields.error
    if (fields.errorDescription !== undefined) this.errorDescription = fields.errorDescription
    if (fields.errorUri !== undefined) this.errorUri = fields.errorUri
  }
}

/**
 * An authorization response (redirect URL, `form_post` body,
 * `okta_post_message` payload) could not be accepted for the transaction it
 * was handled with. Nothing is stored when it is thrown.
 */
export class CallbackError extends OktaOAuthError {
  declare readonly code: CallbackErrorCode
  /** The parameter at fault, e.g. `state`, `iss`, `code`, `access_token`. */
  declare readonly parameter?: string

  /** @param message - what is wrong. @param code - the {@link CallbackErrorCode}. @param parameter - the parameter at fault. @param options - the `cause`. */
  constructor(
    message: string,
    code: CallbackErrorCode,
    parameter?: string,
    options?: ErrorOptions,
  ) {
    super(message, code, options)
    this.name = 'CallbackError'
    if (parameter !== undefined) this.parameter = parameter
  }
}

/**
 * A response that does not follow the protocol: not JSON, an unexpected
 * status, a missing or mistyped member. {@link status} is set when known.
 */
export class InvalidResponseError extends OktaOAuthError {
  declare readonly code: InvalidResponseErrorCode
  /** The HTTP status of the offending response, when there was one. */
  declare readonly status?: number

  /** @param message - what was wrong. @param status - the HTTP status. @param options - the `cause`. */
  constructor(
    message: string,
    status?: number,
    options?: ErrorOptions & { code?: InvalidResponseErrorCode },
  ) {
    super(message, options?.code ?? 'ERR_INVALID_RESPONSE', options)
    this.name = 'InvalidResponseError'
    if (status !== undefined) this.status = status
  }
}

/** The request never got an HTTP response: DNS, connection refused, TLS, CORS. */
export class NetworkError extends OktaOAuthError {
  /** @param message - which request failed. @param options - the `cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'ERR_NETWORK', options)
    this.name = 'NetworkError'
  }
}

/** The request took longer than its `timeout`. */
export class TimeoutError extends OktaOAuthError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeout: number

  /** @param message - which request timed out. @param timeout - the timeout in ms. @param options - the `cause`. */
  constructor(message: string, timeout: number, options?: ErrorOptions) {
    super(message, 'ERR_TIMEOUT', options)
    this.name = 'TimeoutError'
    this.timeout = timeout
  }
}

/** The caller's `AbortSignal` aborted the operation. */
export class AbortError extends OktaOAuthError {
  /** @param message - which operation was aborted. @param options - the `cause` (the signal's reason). */
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'ERR_ABORTED', options)
    this.name = 'AbortError'
  }
}

/**
 * `okta-oauth-kit/browser`: a popup or hidden-iframe sign-in could not
 * complete. Nothing is stored when it is thrown.
 */
export class BrowserAuthError extends OktaOAuthError {
  declare readonly code: BrowserAuthErrorCode
  /** With `ERR_INTERACTION_REQUIRED`: the server's OAuth error, e.g. `login_required`. */
  declare readonly error?: string
  /**
   * The browser probably blocks third-party cookies: a silent sign-in timed
   * out, or said `login_required` although this app signed in recently. Use
   * refresh tokens (`offline_access`) or a redirect instead.
   */
  declare readonly thirdPartyCookiesSuspected?: boolean
  /**
   * With `ERR_POPUP_CLOSED`: the popup reported closed so soon after it
   * loaded that a Cross-Origin-Opener-Policy most likely severed it from this
   * page. Use a same-origin relay page (`relayUri`) or a redirect.
   */
  declare readonly openerSevered?: boolean

  /** @param message - what happened. @param code - the {@link BrowserAuthErrorCode}. @param details - the OAuth error and hints. @param options - the `cause`. */
  constructor(
    message: string,
    code: BrowserAuthErrorCode,
    details: BrowserAuthErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, code, options)
    this.name = 'BrowserAuthError'
    if (details.error !== undefined) this.error = details.error
    if (details.thirdPartyCookiesSuspected) this.thirdPartyCookiesSuspected = true
    if (details.openerSevered) this.openerSevered = true
  }
}

/** Details of a {@link BrowserAuthError}. */
export interface BrowserAuthErrorDetails {
  /** The server's OAuth error, for `ERR_INTERACTION_REQUIRED`. */
  error?: string
  /** See {@link BrowserAuthError.thirdPartyCookiesSuspected}. */
  thirdPartyCookiesSuspected?: boolean
  /** See {@link BrowserAuthError.openerSevered}. */
  openerSevered?: boolean
}

/** Which token a validation error is about. */
export type TokenKind = 'id_token' | 'access_token' | 'logout_token' | 'jwt'

/**
 * A token (ID token, access token) failed validation. {@link claim} names the
 * failing claim where there is one; {@link reason} says why in a word.
 *
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation | OIDC Core §3.1.3.7}
 */
export class TokenValidationError extends OktaOAuthError {
  declare readonly code: TokenValidationErrorCode
  /** The claim (or header parameter) that failed, e.g. `aud`, `nonce`, `alg`. */
  declare readonly claim?: string
  /** A short reason: `missing`, `mismatch`, `expired`, `signature`, … */
  readonly reason: string
  /** Which token failed. */
  readonly token: TokenKind
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

  /** @param message - what failed and what was expected. @param code - the {@link TokenValidationErrorCode}. @param details - the token kind, claim, reason, required scopes, and the non-secret actual and expected values. @param options - the `cause`. */
  constructor(
    message: string,
    code: TokenValidationErrorCode,
    details: {
      token: TokenKind
      claim?: string
      reason: string
      requiredScopes?: readonly string[]
      actual?: string
      expected?: readonly string[]
    },
    options?: ErrorOptions,
  ) {
    super(message, code, options)
    this.name = 'TokenValidationError'
    this.token = details.token
    this.reason = details.reason
    if (details.claim !== undefined) this.claim = details.claim
    if (details.requiredScopes !== undefined) this.requiredScopes = details.requiredScopes
    if (details.actual !== undefined) this.actual = details.actual
    if (details.expected !== undefined) this.expected = details.expected
  }
}

/**
 * A request to a resource server carried no usable bearer token: no
 * `Authorization` header, another scheme, or a malformed value. Never holds
 * the header's value.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export class BearerTokenError extends OktaOAuthError {
  declare readonly code: BearerTokenErrorCode

  /** @param message - what is wrong with the request. @param code - the {@link BearerTokenErrorCode}. */
  constructor(message: string, code: BearerTokenErrorCode) {
    super(message, code)
    this.name = 'BearerTokenError'
  }
}

/** The JSON Web Key Set could not supply a key for a token. */
export class JwksError extends OktaOAuthError {
  declare readonly code: JwksErrorCode

  /** @param message - what failed. @param code - the {@link JwksErrorCode}. @param options - the `cause`. */
  constructor(message: string, code: JwksErrorCode, options?: ErrorOptions) {
    super(message, code, options)
    this.name = 'JwksError'
  }
}

/**
 * A programmer error: a missing or ill-typed option, an insecure URL, an
 * operation the server's metadata does not support. A `TypeError` with a
 * `code`, thrown before any request is sent.
 */
export class InvalidOptionError extends TypeError {
  /** A stable, machine-readable code. */
  readonly code: InvalidOptionErrorCode

  /** @param message - which option is wrong and what is expected. @param code - the {@link InvalidOptionErrorCode}. @param options - the `cause`. */
  constructor(
    message: string,
    code: InvalidOptionErrorCode = 'ERR_INVALID_OPTION',
    options?: ErrorOptions,
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'InvalidOptionError'
    this.code = code
  }
}

/** The rules an authorization request can break; carried by {@link AuthorizationRequestError}. */
export type AuthorizationRequestRule =
  /** `response_type` is not a combination of `code`, `token`, `id_token`, or the server does not list it. */
  | 'response_type'
  /** The server does not list this `response_mode`. */
  | 'response_mode'
  /** `query` cannot carry tokens: `token`/`id_token` responses need `fragment`, `form_post` or `okta_post_message`. */
  | 'query_with_tokens'
  /** `okta_post_message` with a pure `code` flow, which the server forbids (see `ClientOptions.postMessageForCode`). */
  | 'post_message_for_code'
  /** An ID token is requested but `openid` is not in `scope`. */
  | 'openid_scope'
  /** An ID token is requested without a nonce. */
  | 'nonce'
  /** `state` is empty or has characters the server does not return unchanged. */
  | 'state'
  /** `max_age` is not a non-negative integer. */
  | 'max_age'
  /** `prompt` has an unknown value or combines `none` with another. */
  | 'prompt'
  /** `redirect_uri` is missing or not an absolute URL. */
  | 'redirect_uri'
  /** A PKCE option is invalid (`plain` must be asked for explicitly). */
  | 'pkce'
  /** An extra parameter would override one the SDK manages. */
  | 'extra'

/**
 * An authorization request breaks a rule of the protocol or of the server's
 * metadata. Thrown before anything is sent; {@link rule} names the rule.
 */
export class AuthorizationRequestError extends InvalidOptionError {
  /** The rule that was broken. */
  readonly rule: AuthorizationRequestRule

  /** @param message - what is wrong. @param rule - the rule broken. */
  constructor(message: string, rule: AuthorizationRequestRule) {
    super(message, 'ERR_INVALID_AUTHORIZATION_REQUEST')
    this.name = 'AuthorizationRequestError'
    this.rule = rule
  }
}

/** One field of a request body that failed validation. */
export interface RequestValidationIssue {
  /** Where, e.g. `token.accessTokenLifetimeMinutes` or `audiences.0`. */
  path: string
  /** What is wrong. */
  message: string
}

/**
 * A management API request body breaks a rule of the data model (a lifetime
 * out of range, an audience that is not a URI, …). Thrown before anything is sent.
 */
export class RequestValidationError extends InvalidOptionError {
  /** Every failing field. */
  readonly issues: readonly RequestValidationIssue[]

  /** @param message - which request failed. @param issues - the failing fields. */
  constructor(message: string, issues: readonly RequestValidationIssue[]) {
    super(message, 'ERR_INVALID_REQUEST_BODY')
    this.name = 'RequestValidationError'
    this.issues = issues
  }
}

/** One cause of an Okta API error (`errorCauses[]`). */
export interface OktaApiErrorCause {
  /** What failed, in words. */
  errorSummary: string
}

/** The rate-limit headers of a management API response. */
export interface RateLimitInfo {
  /** `X-Rate-Limit-Limit`: requests allowed in the window. */
  limit?: number
  /** `X-Rate-Limit-Remaining`: requests left in the window. */
  remaining?: number
  /** `X-Rate-Limit-Reset`: when the window resets, in seconds since the epoch (server clock). */
  reset?: number
}

/**
 * The management API answered with an error. Carries the Okta error body
 * (`errorCode` such as `E0000001`, `errorSummary`, `errorLink`, `errorId`,
 * `errorCauses`) and the HTTP status. Never holds the token.
 */
export class OktaApiError extends OktaOAuthError {
  declare readonly code: OktaApiErrorCode
  /** The HTTP status. */
  readonly status: number
  /** Okta's error code, e.g. `E0000001`, when the body has one. */
  declare readonly errorCode?: string
  /** Okta's summary, e.g. `Api validation failed: name`. */
  declare readonly errorSummary?: string
  /** Okta's error link (usually the error code). */
  declare readonly errorLink?: string
  /** Okta's error id, for support requests. */
  declare readonly errorId?: string
  /** The causes Okta lists. */
  readonly errorCauses: readonly OktaApiErrorCause[]
  /** The rate-limit headers of the response. */
  declare readonly rateLimit?: RateLimitInfo
  /** With a 403: the token carried the scope, so the admin or app lacks the permission (silent downscoping). */
  declare readonly downscoped?: boolean
  /** The `okta.*` scope the operation needs. */
  declare readonly requiredScope?: string
  /** With a 429: how long the server asked to wait, in ms. */
  declare readonly retryAfter?: number

  /** @param message - which operation failed. @param code - the {@link OktaApiErrorCode}. @param details - status, Okta fields, rate limits. @param options - the `cause`. */
  constructor(
    message: string,
    code: OktaApiErrorCode,
    details: {
      status: number
      errorCode?: string
      errorSummary?: string
      errorLink?: string
      errorId?: string
      errorCauses?: readonly OktaApiErrorCause[]
      rateLimit?: RateLimitInfo
      downscoped?: boolean
      requiredScope?: string
      retryAfter?: number
    },
    options?: ErrorOptions,
  ) {
    super(message, code, options)
    this.name = 'OktaApiError'
    this.status = details.status
    this.errorCauses = details.errorCauses ?? []
    for (const key of [
      'errorCode',
      'errorSummary',
      'errorLink',
      'errorId',
      'rateLimit',
      'downscoped',
      'requiredScope',
      'retryAfter',
    ] as const) {
      if (details[key] !== undefined) Object.assign(this, { [key]: details[key] })
    }
  }
}

/**
 * A management operation needs an `okta.*` scope the client was not
 * configured with, that the issued token lacks, or that the org refused to
 * issue a token for (`invalid_scope` at the token endpoint). Thrown before
 * the request is sent.
 */
export class AdminScopeError extends OktaOAuthError {
  declare readonly code: AdminScopeErrorCode
  /** The scope the operation needs, e.g. `okta.authorizationServers.manage` (empty for `request()` without `scope`). */
  readonly requiredScope: string
  /** When the org refused the token request (`invalid_scope`): the scopes it asked for. */
  declare readonly scopes?: readonly string[]

  /** @param message - which operation and scope. @param code - the {@link AdminScopeErrorCode}. @param requiredScope - the scope. @param options - the refused `scopes` and the `cause`. */
  constructor(
    message: string,
    code: AdminScopeErrorCode,
    requiredScope: string,
    options?: ErrorOptions & { scopes?: readonly string[] },
  ) {
    super(message, code, options)
    this.name = 'AdminScopeError'
    this.requiredScope = requiredScope
    if (options?.scopes !== undefined) this.scopes = options.scopes
  }
}

/**
 * Whether `err` is an {@link OktaApiError}.
 * @param err - anything caught.
 * @returns true when the management API answered with an error.
 */
export function isOktaApiError(err: unknown): err is OktaApiError {
  return matches(err, OktaApiError, 'OktaApiError')
}

// Guards match by `name` as well as `instanceof`, so errors that cross realms
// (iframes, workers, duplicated bundles) are still recognised.
function matches(
  err: unknown,
  ctor: abstract new (...args: never[]) => Error,
  name: string,
): boolean {
  return err instanceof ctor || (err instanceof Error && err.name === name && 'code' in err)
}

/**
 * Whether `err` is any SDK error ({@link OktaOAuthError} or {@link InvalidOptionError}).
 * @param err - anything caught.
 * @returns true for SDK errors, also from another realm or bundle copy.
 */
export function isOktaOAuthError(err: unknown): err is OktaOAuthError | InvalidOptionError {
  return (
    err instanceof OktaOAuthError ||
    err instanceof InvalidOptionError ||
    (err instanceof Error &&
      typeof (err as { code?: unknown }).code === 'string' &&
      ERROR_NAMES.has(err.name))
  )
}

const ERROR_NAMES = new Set([
  'OktaOAuthError',
  'OAuthResponseError',
  'AuthorizationResponseError',
  'InvalidResponseError',
  'NetworkError',
  'TimeoutError',
  'AbortError',
  'TokenValidationError',
  'JwksError',
  'InvalidOptionError',
  'AuthorizationRequestError',
  'CallbackError',
  'BearerTokenError',
  'OktaApiError',
  'AdminScopeError',
  'RequestValidationError',
  'BrowserAuthError',
])

/**
 * Whether `err` is an {@link OAuthResponseError}.
 * @param err - anything caught.
 * @returns true when the server answered with an OAuth error.
 */
export function isOAuthResponseError(err: unknown): err is OAuthResponseError {
  return matches(err, OAuthResponseError, 'OAuthResponseError')
}

/**
 * Whether `err` is an {@link AuthorizationResponseError}.
 * @param err - anything caught.
 * @returns true when the authorization response carried an `error`.
 */
export function isAuthorizationResponseError(err: unknown): err is AuthorizationResponseError {
  return matches(err, AuthorizationResponseError, 'AuthorizationResponseError')
}

/**
 * Whether `err` is a {@link CallbackError}.
 * @param err - anything caught.
 * @returns true when an authorization response was refused.
 */
export function isCallbackError(err: unknown): err is CallbackError {
  return matches(err, CallbackError, 'CallbackError')
}

/**
 * Whether `err` is a {@link BrowserAuthError}.
 * @param err - anything caught.
 * @returns true when a popup or iframe sign-in could not complete.
 */
export function isBrowserAuthError(err: unknown): err is BrowserAuthError {
  return matches(err, BrowserAuthError, 'BrowserAuthError')
}

/**
 * Whether `err` is a {@link TokenValidationError}.
 * @param err - anything caught.
 * @returns true when a token failed validation.
 */
export function isTokenValidationError(err: unknown): err is TokenValidationError {
  return matches(err, TokenValidationError, 'TokenValidationError')
}
