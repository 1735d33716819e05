// The codes of every SDK error class, in one place: the `ErrorCode` union and
// one union per class. Each class's static `codes` lists the same values
// (test/types checks that they agree).

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
 * - `ERR_STORE_UNAVAILABLE`: a shared store (Redis) did not answer in time or failed ({@link StoreError}).
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
  | 'ERR_STORE_UNAVAILABLE'

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
  /** The response's `iss` is not the transaction's issuer, or is missing where the server promises it (RFC 9207); or an `okta_post_message` answer comes from another origin than the authorization server's. */
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
