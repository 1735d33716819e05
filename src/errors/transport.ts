import { assign, type ErrorOptions, OktaOAuthError } from './base.js'

/** The request never got an HTTP response: DNS, connection refused, TLS, CORS. */
export class NetworkError extends OktaOAuthError {
  /** The one code of this class. */
  static readonly code = 'ERR_NETWORK'
  declare readonly code: 'ERR_NETWORK'

  /**
   * @param message - which request failed.
   * @param options - the `cause`.
   */
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, code: 'ERR_NETWORK' })
    this.name = 'NetworkError'
  }
}

/** Options of {@link TimeoutError}. */
export interface TimeoutErrorOptions extends ErrorOptions {
  /** The timeout that elapsed, in milliseconds. */
  timeout: number
}

/** The request took longer than its `timeout`. */
export class TimeoutError extends OktaOAuthError {
  /** The one code of this class. */
  static readonly code = 'ERR_TIMEOUT'
  declare readonly code: 'ERR_TIMEOUT'
  /** The timeout that elapsed, in milliseconds. */
  declare readonly timeout: number

  /**
   * @param message - which request timed out.
   * @param options - the timeout in ms, the `cause`.
   */
  constructor(message: string, options: TimeoutErrorOptions) {
    super(message, { ...options, code: 'ERR_TIMEOUT' })
    this.name = 'TimeoutError'
    assign(this, options, ['timeout'])
  }
}

/** The caller's `AbortSignal` aborted the operation. */
export class AbortError extends OktaOAuthError {
  /** The one code of this class. */
  static readonly code = 'ERR_ABORTED'
  declare readonly code: 'ERR_ABORTED'

  /**
   * @param message - which operation was aborted.
   * @param options - the `cause` (the signal's reason).
   */
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, code: 'ERR_ABORTED' })
    this.name = 'AbortError'
  }
}
