import { AdminScopeError, OktaApiError } from './admin.js'
import { OktaOAuthError } from './base.js'
import { BrowserAuthError } from './browser.js'
import { CallbackError, HttpCallbackError } from './callback.js'
import type {
  AdminScopeErrorCode,
  BearerTokenErrorCode,
  BrowserAuthErrorCode,
  CallbackErrorCode,
  InvalidOptionErrorCode,
  InvalidResponseErrorCode,
  JwksErrorCode,
  OktaApiErrorCode,
  TokenValidationErrorCode,
} from './codes.js'
import { AuthorizationResponseError, OAuthResponseError } from './oauth.js'
import { AuthorizationRequestError, InvalidOptionError, RequestValidationError } from './options.js'
import { InvalidResponseError } from './response.js'
import { StoreError } from './store.js'
import { BearerTokenError, JwksError, TokenValidationError } from './token.js'
import { AbortError, NetworkError, TimeoutError } from './transport.js'

// Not re-exported by the entries: the registry the guards, the error names
// and the tests (every class against the README's table) are derived from.
// Keys are the classes' names: object keys survive minification, class
// identifiers do not.

/** @internal Every SDK error class by its `name`, the base first. */
export const CLASSES = {
  OktaOAuthError,
  OAuthResponseError,
  AuthorizationResponseError,
  CallbackError,
  HttpCallbackError,
  InvalidResponseError,
  NetworkError,
  TimeoutError,
  AbortError,
  BrowserAuthError,
  TokenValidationError,
  BearerTokenError,
  JwksError,
  InvalidOptionError,
  AuthorizationRequestError,
  RequestValidationError,
  OktaApiError,
  AdminScopeError,
  StoreError,
} as const

/** @internal The name of every SDK error class. */
export const ERROR_NAMES: ReadonlySet<string> = new Set(Object.keys(CLASSES))

/** @internal Every code each class can carry (a subclass repeats the one it shares with its parent). */
export const CODES = {
  OAuthResponseError: ['ERR_OAUTH_RESPONSE'],
  AuthorizationResponseError: ['ERR_AUTHORIZATION_RESPONSE'],
  CallbackError: [
    'ERR_CALLBACK_MALFORMED',
    'ERR_STATE_MISMATCH',
    'ERR_CALLBACK_ISSUER_MISMATCH',
    'ERR_RESPONSE_TYPE_MISMATCH',
    'ERR_TRANSACTION_REUSED',
    'ERR_TRANSACTION_EXPIRED',
    'ERR_TRANSACTION_INVALID',
    'ERR_TRANSACTION_MISSING',
    'ERR_TRANSACTION_TAMPERED',
  ],
  HttpCallbackError: ['ERR_CALLBACK_MALFORMED'],
  InvalidResponseError: ['ERR_INVALID_RESPONSE', 'ERR_ISSUER_MISMATCH', 'ERR_RESPONSE_TOO_LARGE'],
  NetworkError: ['ERR_NETWORK'],
  TimeoutError: ['ERR_TIMEOUT'],
  AbortError: ['ERR_ABORTED'],
  BrowserAuthError: [
    'ERR_POPUP_BLOCKED',
    'ERR_POPUP_CLOSED',
    'ERR_POPUP_TIMEOUT',
    'ERR_IFRAME_TIMEOUT',
    'ERR_INTERACTION_REQUIRED',
  ],
  TokenValidationError: [
    'ERR_JWT_MALFORMED',
    'ERR_JWT_SIGNATURE_INVALID',
    'ERR_JWT_ALG_NOT_ALLOWED',
    'ERR_JWT_EXPIRED',
    'ERR_JWT_NOT_YET_VALID',
    'ERR_JWT_CLAIM_INVALID',
    'ERR_NONCE_MISMATCH',
    'ERR_AUTH_TIME_TOO_OLD',
    'ERR_TOKEN_HASH_MISMATCH',
    'ERR_SUBJECT_MISMATCH',
    'ERR_INSUFFICIENT_SCOPE',
    'ERR_TOKEN_INACTIVE',
  ],
  BearerTokenError: ['ERR_BEARER_MISSING', 'ERR_BEARER_MALFORMED'],
  JwksError: ['ERR_JWKS_UNAVAILABLE', 'ERR_JWKS_NO_MATCHING_KEY'],
  InvalidOptionError: [
    'ERR_INVALID_OPTION',
    'ERR_INSECURE_URL',
    'ERR_MISSING_ENDPOINT',
    'ERR_INVALID_AUTHORIZATION_REQUEST',
    'ERR_INVALID_REQUEST_BODY',
    'ERR_SESSION_TOO_LARGE',
  ],
  AuthorizationRequestError: ['ERR_INVALID_AUTHORIZATION_REQUEST'],
  RequestValidationError: ['ERR_INVALID_REQUEST_BODY'],
  OktaApiError: [
    'ERR_API_BAD_REQUEST',
    'ERR_API_UNAUTHORIZED',
    'ERR_API_FORBIDDEN',
    'ERR_API_NOT_FOUND',
    'ERR_API_RATE_LIMITED',
    'ERR_API_RESPONSE',
  ],
  AdminScopeError: ['ERR_SCOPE_NOT_CONFIGURED', 'ERR_SCOPE_NOT_GRANTED'],
  StoreError: ['ERR_STORE_UNAVAILABLE'],
} as const satisfies {
  readonly OAuthResponseError: readonly 'ERR_OAUTH_RESPONSE'[]
  readonly AuthorizationResponseError: readonly 'ERR_AUTHORIZATION_RESPONSE'[]
  readonly CallbackError: readonly CallbackErrorCode[]
  readonly HttpCallbackError: readonly CallbackErrorCode[]
  readonly InvalidResponseError: readonly InvalidResponseErrorCode[]
  readonly NetworkError: readonly 'ERR_NETWORK'[]
  readonly TimeoutError: readonly 'ERR_TIMEOUT'[]
  readonly AbortError: readonly 'ERR_ABORTED'[]
  readonly BrowserAuthError: readonly BrowserAuthErrorCode[]
  readonly TokenValidationError: readonly TokenValidationErrorCode[]
  readonly BearerTokenError: readonly BearerTokenErrorCode[]
  readonly JwksError: readonly JwksErrorCode[]
  readonly InvalidOptionError: readonly InvalidOptionErrorCode[]
  readonly AuthorizationRequestError: readonly InvalidOptionErrorCode[]
  readonly RequestValidationError: readonly InvalidOptionErrorCode[]
  readonly OktaApiError: readonly OktaApiErrorCode[]
  readonly AdminScopeError: readonly AdminScopeErrorCode[]
  readonly StoreError: readonly 'ERR_STORE_UNAVAILABLE'[]
}
