import { AdminScopeError, OktaApiError } from './admin.js'
import { OktaOAuthError } from './base.js'
import { BrowserAuthError } from './browser.js'
import { CallbackError, HttpCallbackError } from './callback.js'
import { AuthorizationResponseError, OAuthResponseError } from './oauth.js'
import { AuthorizationRequestError, InvalidOptionError, RequestValidationError } from './options.js'
import { InvalidResponseError } from './response.js'
import { BearerTokenError, JwksError, TokenValidationError } from './token.js'
import { AbortError, NetworkError, TimeoutError } from './transport.js'

// Not re-exported by the entries: for the guards, and for the tests that
// check every class against the README's error table.

/**
 * Every SDK error class, the base first. `ERROR_NAMES` and each guard's
 * list of names (a class and its subclasses) come from it.
 */
export const CLASSES = [
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
] as const
