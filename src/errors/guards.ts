import { AdminScopeError, OktaApiError } from './admin.js'
import { OktaOAuthError } from './base.js'
import { BrowserAuthError } from './browser.js'
import { CallbackError, HttpCallbackError } from './callback.js'
import { CLASSES, ERROR_NAMES } from './classes.js'
import type { InvalidOptionErrorCode } from './codes.js'
import { AuthorizationResponseError, OAuthResponseError } from './oauth.js'
import { AuthorizationRequestError, InvalidOptionError, RequestValidationError } from './options.js'
import { InvalidResponseError } from './response.js'
import { StoreError } from './store.js'
import { BearerTokenError, JwksError, TokenValidationError } from './token.js'
import { AbortError, NetworkError, TimeoutError } from './transport.js'

/**
 * Every SDK error, as a union that narrows on `code`: after
 * `if (isOktaOAuthError(err))`, `err.code === 'ERR_TIMEOUT'` makes `err` a
 * {@link TimeoutError}, `err.code === 'ERR_OAUTH_RESPONSE'` an
 * {@link OAuthResponseError} (with `error`, `status`), and so on.
 *
 * @example
 * ```ts
 * import { isOktaOAuthError } from 'okta-oauth-kit'
 * declare const err: unknown
 * if (isOktaOAuthError(err)) {
 *   switch (err.code) {
 *     case 'ERR_OAUTH_RESPONSE':
 *       console.log(err.error, err.status)
 *       break
 *     case 'ERR_JWT_EXPIRED':
 *       console.log(err.claim)
 *       break
 *   }
 * }
 * ```
 */
export type AnyOktaOAuthError =
  | OAuthResponseError
  | AuthorizationResponseError
  | CallbackError
  | HttpCallbackError
  | InvalidResponseError
  | NetworkError
  | TimeoutError
  | AbortError
  | BrowserAuthError
  | TokenValidationError
  | BearerTokenError
  | JwksError
  | (InvalidOptionError & {
      /** The codes `InvalidOptionError` carries itself (its subclasses have their own). */
      readonly code: Exclude<
        InvalidOptionErrorCode,
        'ERR_INVALID_AUTHORIZATION_REQUEST' | 'ERR_INVALID_REQUEST_BODY'
      >
    })
  | AuthorizationRequestError
  | RequestValidationError
  | OktaApiError
  | AdminScopeError
  | StoreError

/**
 * A guard for `Class`: `instanceof`, or, for errors from another realm or
 * bundle copy, the name of `Class` or of one of its subclasses with a string `code`.
 */
function guard<T>(Class: abstract new (...args: never[]) => Error): (err: unknown) => err is T {
  const names = new Set(
    Object.entries(CLASSES)
      .filter(([, C]) => C === Class || C.prototype instanceof Class)
      .map(([name]) => name),
  )
  return (err: unknown): err is T =>
    err instanceof Class ||
    (typeof err === 'object' &&
      err !== null &&
      typeof (err as { code?: unknown }).code === 'string' &&
      names.has((err as { name?: unknown }).name as string))
}

const anySdkError = (err: unknown): boolean =>
  err instanceof OktaOAuthError ||
  err instanceof InvalidOptionError ||
  (typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    ERROR_NAMES.has((err as { name?: unknown }).name as string))

/**
 * Whether `err` is any SDK error, {@link InvalidOptionError} included (as
 * `instanceof OktaOAuthError` says too), also from another realm or bundle copy.
 * @param err - anything caught.
 * @returns true for SDK errors; `err` is then an {@link AnyOktaOAuthError}, which narrows on `code`.
 */
export function isOktaOAuthError(err: unknown): err is AnyOktaOAuthError {
  return anySdkError(err)
}

/**
 * Whether `err` is an {@link OAuthResponseError}.
 * @param err - anything caught.
 * @returns true when the server answered with an OAuth error.
 */
export const isOAuthResponseError: (err: unknown) => err is OAuthResponseError =
  /* @__PURE__ */ guard(OAuthResponseError)

/**
 * Whether `err` is an {@link AuthorizationResponseError}.
 * @param err - anything caught.
 * @returns true when the authorization response carried an `error`.
 */
export const isAuthorizationResponseError: (err: unknown) => err is AuthorizationResponseError =
  /* @__PURE__ */ guard(AuthorizationResponseError)

/**
 * Whether `err` is a {@link CallbackError} (an {@link HttpCallbackError} too).
 * @param err - anything caught.
 * @returns true when an authorization response was refused.
 */
export const isCallbackError: (err: unknown) => err is CallbackError =
  /* @__PURE__ */ guard(CallbackError)

/**
 * Whether `err` is an {@link HttpCallbackError}.
 * @param err - anything caught.
 * @returns true when a callback request was refused at the HTTP level (405, 413, 415).
 */
export const isHttpCallbackError: (err: unknown) => err is HttpCallbackError =
  /* @__PURE__ */ guard(HttpCallbackError)

/**
 * Whether `err` is an {@link InvalidResponseError}.
 * @param err - anything caught.
 * @returns true when a server's answer broke the protocol.
 */
export const isInvalidResponseError: (err: unknown) => err is InvalidResponseError =
  /* @__PURE__ */ guard(InvalidResponseError)

/**
 * Whether `err` is a {@link NetworkError}.
 * @param err - anything caught.
 * @returns true when a request got no HTTP response.
 */
export const isNetworkError: (err: unknown) => err is NetworkError =
  /* @__PURE__ */ guard(NetworkError)

/**
 * Whether `err` is a {@link TimeoutError}.
 * @param err - anything caught.
 * @returns true when a request took longer than its timeout.
 */
export const isTimeoutError: (err: unknown) => err is TimeoutError =
  /* @__PURE__ */ guard(TimeoutError)

/**
 * Whether `err` is an {@link AbortError}.
 * @param err - anything caught.
 * @returns true when the caller's signal aborted the operation.
 */
export const isAbortError: (err: unknown) => err is AbortError = /* @__PURE__ */ guard(AbortError)

/**
 * Whether `err` is a {@link BrowserAuthError}.
 * @param err - anything caught.
 * @returns true when a popup or iframe sign-in could not complete.
 */
export const isBrowserAuthError: (err: unknown) => err is BrowserAuthError =
  /* @__PURE__ */ guard(BrowserAuthError)

/**
 * Whether `err` is a {@link TokenValidationError}.
 * @param err - anything caught.
 * @returns true when a token failed validation.
 */
export const isTokenValidationError: (err: unknown) => err is TokenValidationError =
  /* @__PURE__ */ guard(TokenValidationError)

/**
 * Whether `err` is a {@link BearerTokenError}.
 * @param err - anything caught.
 * @returns true when a request carried no usable bearer token.
 */
export const isBearerTokenError: (err: unknown) => err is BearerTokenError =
  /* @__PURE__ */ guard(BearerTokenError)

/**
 * Whether `err` is a {@link JwksError}.
 * @param err - anything caught.
 * @returns true when no key could be had for a token.
 */
export const isJwksError: (err: unknown) => err is JwksError = /* @__PURE__ */ guard(JwksError)

/**
 * Whether `err` is an {@link InvalidOptionError} (its subclasses too).
 * @param err - anything caught.
 * @returns true for a programmer error, thrown before anything was sent.
 */
export const isInvalidOptionError: (err: unknown) => err is InvalidOptionError =
  /* @__PURE__ */ guard(InvalidOptionError)

/**
 * Whether `err` is an {@link AuthorizationRequestError}.
 * @param err - anything caught.
 * @returns true when an authorization request broke a rule.
 */
export const isAuthorizationRequestError: (err: unknown) => err is AuthorizationRequestError =
  /* @__PURE__ */ guard(AuthorizationRequestError)

/**
 * Whether `err` is a {@link RequestValidationError}.
 * @param err - anything caught.
 * @returns true when a management API request body broke the data model.
 */
export const isRequestValidationError: (err: unknown) => err is RequestValidationError =
  /* @__PURE__ */ guard(RequestValidationError)

/**
 * Whether `err` is an {@link OktaApiError}.
 * @param err - anything caught.
 * @returns true when the management API answered with an error.
 */
export const isOktaApiError: (err: unknown) => err is OktaApiError =
  /* @__PURE__ */ guard(OktaApiError)

/**
 * Whether `err` is an {@link AdminScopeError}.
 * @param err - anything caught.
 * @returns true when a management call needs a scope the client cannot have.
 */
export const isAdminScopeError: (err: unknown) => err is AdminScopeError =
  /* @__PURE__ */ guard(AdminScopeError)

/**
 * Whether `err` is a {@link StoreError}.
 * @param err - anything caught.
 * @returns true when a shared store (Redis) failed or did not answer in time.
 */
export const isStoreError: (err: unknown) => err is StoreError = /* @__PURE__ */ guard(StoreError)
