import { assign, type ErrorOptions, OktaOAuthError } from './base.js'
import type { InvalidResponseErrorCode } from './codes.js'

/** Options of {@link InvalidResponseError}. */
export interface InvalidResponseErrorOptions extends ErrorOptions {
  /** The code. Default: `ERR_INVALID_RESPONSE`. */
  code?: InvalidResponseErrorCode
  /** The HTTP status of the offending response, when there was one. */
  status?: number
}

/**
 * A response that does not follow the protocol: not JSON, an unexpected
 * status, a missing or mistyped member, a body beyond `maxResponseBytes`, a
 * discovery document for another issuer. A fault of the server, never of
 * the caller. {@link status} is set when known.
 */
export class InvalidResponseError extends OktaOAuthError {
  /** The default code of this class. */
  static readonly code: InvalidResponseErrorCode = 'ERR_INVALID_RESPONSE'
  declare readonly code: InvalidResponseErrorCode
  /** The HTTP status of the offending response, when there was one. */
  declare readonly status?: number

  /**
   * @param message - what was wrong.
   * @param options - the code, the HTTP status, the `cause`.
   */
  constructor(message: string, options: InvalidResponseErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? 'ERR_INVALID_RESPONSE' })
    this.name = 'InvalidResponseError'
    assign(this, options, ['status'])
  }
}
