import { assign, brand, type ErrorOptions } from './base.js'
import type { InvalidOptionErrorCode } from './codes.js'

/** Options of {@link InvalidOptionError}. */
export interface InvalidOptionErrorOptions extends ErrorOptions {
  /** The code. Default: `ERR_INVALID_OPTION`. */
  code?: InvalidOptionErrorCode
}

/**
 * A programmer error: a missing or ill-typed option, an insecure URL, an
 * operation the server's metadata does not support. A `TypeError` with a
 * `code`, thrown before any request is sent. It is an SDK error like the
 * others: `err instanceof OktaOAuthError` and `isOktaOAuthError(err)` hold.
 */
export class InvalidOptionError extends TypeError {
  /** The default code of this class. */
  static readonly code: InvalidOptionErrorCode = 'ERR_INVALID_OPTION'
  /** A stable, machine-readable code. */
  readonly code: InvalidOptionErrorCode

  /**
   * @param message - which option is wrong and what is expected.
   * @param options - the code, the `cause`.
   */
  constructor(message: string, options: InvalidOptionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'InvalidOptionError'
    this.code = options.code ?? 'ERR_INVALID_OPTION'
    brand(this)
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
  /** `okta_post_message` with a pure `code` flow while `ClientOptions.postMessageForCode` is `false`. */
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

/** Options of {@link AuthorizationRequestError}. */
export interface AuthorizationRequestErrorOptions extends ErrorOptions {
  /** The rule that was broken. */
  rule: AuthorizationRequestRule
}

/**
 * An authorization request breaks a rule of the protocol or of the server's
 * metadata. Thrown before anything is sent; {@link rule} names the rule.
 */
export class AuthorizationRequestError extends InvalidOptionError {
  /** The one code of this class. */
  static override readonly code = 'ERR_INVALID_AUTHORIZATION_REQUEST'
  declare readonly code: 'ERR_INVALID_AUTHORIZATION_REQUEST'
  /** The rule that was broken. */
  declare readonly rule: AuthorizationRequestRule

  /**
   * @param message - what is wrong.
   * @param options - the rule broken, the `cause`.
   */
  constructor(message: string, options: AuthorizationRequestErrorOptions) {
    super(message, { ...options, code: 'ERR_INVALID_AUTHORIZATION_REQUEST' })
    this.name = 'AuthorizationRequestError'
    assign(this, options, ['rule'])
  }
}

/** One field of a request body that failed validation. */
export interface RequestValidationIssue {
  /** Where, e.g. `token.accessTokenLifetimeMinutes` or `audiences.0`. */
  path: string
  /** What is wrong. */
  message: string
}

/** Options of {@link RequestValidationError}. */
export interface RequestValidationErrorOptions extends ErrorOptions {
  /** Every failing field. */
  issues: readonly RequestValidationIssue[]
}

/**
 * A management API request body breaks a rule of the data model (a lifetime
 * out of range, an audience that is not a URI, …). Thrown before anything is sent.
 */
export class RequestValidationError extends InvalidOptionError {
  /** The one code of this class. */
  static override readonly code = 'ERR_INVALID_REQUEST_BODY'
  declare readonly code: 'ERR_INVALID_REQUEST_BODY'
  /** Every failing field. */
  declare readonly issues: readonly RequestValidationIssue[]

  /**
   * @param message - which request failed.
   * @param options - the failing fields, the `cause`.
   */
  constructor(message: string, options: RequestValidationErrorOptions) {
    super(message, { ...options, code: 'ERR_INVALID_REQUEST_BODY' })
    this.name = 'RequestValidationError'
    assign(this, options, ['issues'])
  }
}
