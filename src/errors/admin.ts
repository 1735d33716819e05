import { assign, type ErrorOptions, OktaOAuthError } from './base.js'
import type { AdminScopeErrorCode, OktaApiErrorCode } from './codes.js'

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

/** Options of {@link OktaApiError}. */
export interface OktaApiErrorOptions extends ErrorOptions {
  /** The code; see {@link OktaApiErrorCode}. */
  code: OktaApiErrorCode
  /** The HTTP status. */
  status: number
  /** Okta's error code, e.g. `E0000001`. */
  errorCode?: string
  /** Okta's summary. */
  errorSummary?: string
  /** Okta's error link. */
  errorLink?: string
  /** Okta's error id. */
  errorId?: string
  /** The causes Okta lists. */
  errorCauses?: readonly OktaApiErrorCause[]
  /** The rate-limit headers of the response. */
  rateLimit?: RateLimitInfo
  /** With a 403: whether the token carried the scope (silent downscoping). */
  downscoped?: boolean
  /** The `okta.*` scope the operation needs. */
  requiredScope?: string
  /** With a 429: how long the server asked to wait, in ms. */
  retryAfter?: number
}

/**
 * The management API answered with an error. Carries the Okta error body
 * (`errorCode` such as `E0000001`, `errorSummary`, `errorLink`, `errorId`,
 * `errorCauses`) and the HTTP status. Never holds the token.
 */
export class OktaApiError extends OktaOAuthError {
  /** The default code of this class. */
  static readonly code: OktaApiErrorCode = 'ERR_API_RESPONSE'
  declare readonly code: OktaApiErrorCode
  /** The HTTP status. */
  declare readonly status: number
  /** Okta's error code, e.g. `E0000001`, when the body has one. */
  declare readonly errorCode?: string
  /** Okta's summary, e.g. `Api validation failed: name`. */
  declare readonly errorSummary?: string
  /** Okta's error link (usually the error code). */
  declare readonly errorLink?: string
  /** Okta's error id, for support requests. */
  declare readonly errorId?: string
  /** The causes Okta lists. */
  declare readonly errorCauses: readonly OktaApiErrorCause[]
  /** The rate-limit headers of the response. */
  declare readonly rateLimit?: RateLimitInfo
  /** With a 403: the token carried the scope, so the admin or app lacks the permission (silent downscoping). */
  declare readonly downscoped?: boolean
  /** The `okta.*` scope the operation needs. */
  declare readonly requiredScope?: string
  /** With a 429: how long the server asked to wait, in ms. */
  declare readonly retryAfter?: number

  /**
   * @param message - which operation failed.
   * @param options - the code, the status, Okta's error body, rate limits, the `cause`.
   */
  constructor(message: string, options: OktaApiErrorOptions) {
    super(message, options)
    this.name = 'OktaApiError'
    assign(this, { errorCauses: [], ...options }, [
      'status',
      'errorCode',
      'errorSummary',
      'errorLink',
      'errorId',
      'errorCauses',
      'rateLimit',
      'downscoped',
      'requiredScope',
      'retryAfter',
    ])
  }
}

/** Options of {@link AdminScopeError}. */
export interface AdminScopeErrorOptions extends ErrorOptions {
  /** The code; see {@link AdminScopeErrorCode}. */
  code: AdminScopeErrorCode
  /** The scope the operation needs. */
  requiredScope: string
  /** When the org refused the token request (`invalid_scope`): the scopes it asked for. */
  scopes?: readonly string[]
}

/**
 * A management operation needs an `okta.*` scope the client was not
 * configured with, that the issued token lacks, or that the org refused to
 * issue a token for (`invalid_scope` at the token endpoint). Thrown before
 * the request is sent.
 */
export class AdminScopeError extends OktaOAuthError {
  /** The default code of this class. */
  static readonly code: AdminScopeErrorCode = 'ERR_SCOPE_NOT_CONFIGURED'
  declare readonly code: AdminScopeErrorCode
  /** The scope the operation needs, e.g. `okta.authorizationServers.manage` (empty for `request()` without `scope`). */
  declare readonly requiredScope: string
  /** When the org refused the token request (`invalid_scope`): the scopes it asked for. */
  declare readonly scopes?: readonly string[]

  /**
   * @param message - which operation and scope.
   * @param options - the code, the required scope, the refused scopes, the `cause`.
   */
  constructor(message: string, options: AdminScopeErrorOptions) {
    super(message, options)
    this.name = 'AdminScopeError'
    assign(this, options, ['requiredScope', 'scopes'])
  }
}
