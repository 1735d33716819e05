import { assign, type ErrorOptions, OktaOAuthError } from './base.js'
import type { CallbackErrorCode } from './codes.js'

/** Options of {@link CallbackError}. */
export interface CallbackErrorOptions extends ErrorOptions {
  /** The code; see {@link CallbackErrorCode}. */
  code: CallbackErrorCode
  /** The parameter at fault, e.g. `state`, `iss`, `code`, `access_token`. */
  parameter?: string
}

/**
 * An authorization response (redirect URL, `form_post` body,
 * `okta_post_message` payload) could not be accepted for the transaction it
 * was handled with. Nothing is stored when it is thrown.
 */
export class CallbackError extends OktaOAuthError {
  /** The default code of this class. */
  static readonly code: CallbackErrorCode = 'ERR_CALLBACK_MALFORMED'
  declare readonly code: CallbackErrorCode
  /** The parameter at fault, e.g. `state`, `iss`, `code`, `access_token`. */
  declare readonly parameter?: string

  /**
   * @param message - what is wrong.
   * @param options - the code, the parameter at fault, the `cause`.
   */
  constructor(message: string, options: CallbackErrorOptions) {
    super(message, options)
    this.name = 'CallbackError'
    assign(this, options, ['parameter'])
  }
}

/** Options of {@link HttpCallbackError}. */
export interface HttpCallbackErrorOptions extends ErrorOptions {
  /** The HTTP status to answer with: 400, 405, 413 or 415. */
  status: number
  /** The parameter at fault, if one. */
  parameter?: string
  /** With 405: the method the callback accepts, for the `Allow` header. */
  allow?: string
}

/**
 * `okta-oauth-kit/server`: a callback request that is not an authorization
 * response at the HTTP level (wrong method, content type, or a body too
 * large), with the status to answer; `code` is `ERR_CALLBACK_MALFORMED`.
 * `toHttpResponse` uses {@link status} and {@link allow}.
 */
export class HttpCallbackError extends CallbackError {
  /** The one code of this class. */
  static override readonly code = 'ERR_CALLBACK_MALFORMED'
  declare readonly code: 'ERR_CALLBACK_MALFORMED'
  /** The HTTP status to answer with. */
  declare readonly status: number
  /** With 405: the method the callback accepts, for the `Allow` header. */
  declare readonly allow?: string

  /**
   * @param message - what is wrong.
   * @param options - the status, the parameter at fault, the allowed method, the `cause`.
   */
  constructor(message: string, options: HttpCallbackErrorOptions) {
    super(message, { ...options, code: 'ERR_CALLBACK_MALFORMED' })
    this.name = 'HttpCallbackError'
    assign(this, options, ['status', 'allow'])
  }
}
