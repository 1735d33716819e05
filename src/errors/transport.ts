import { assign, type ErrorOptions, named, OktaOAuthError } from './base.js'

/** The request never got an HTTP response: DNS, connection refused, TLS, CORS. */
export class NetworkError extends OktaOAuthError {
  /** The one code of this class. */
  static readonly code = 'ERR_NETWORK'
  /** Every code of this class. */
  static readonly codes = ['ERR_NETWORK'] as const
  declare readonly code: 'ERR_NETWORK'

  /**
   * @param message - which request failed.
   * @param options - the `cause`.
   */
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, code: 'ERR_NETWORK' })
  }
}
named(NetworkError, 'NetworkError')

/** Options of {@link TimeoutError}. */
export interface TimeoutErrorOptions extends ErrorOptions {
  /** The timeout that elapsed, in milliseconds. */
  timeout: number
}

/** The request took longer than its `timeout`. */
export class TimeoutError extends OktaOAuthError {
  /** The one code of this class. */
  static readonly code = 'ERR_TIMEOUT'
  /** Every code of this class. */
  static readonly codes = ['ERR_TIMEOUT'] as const
  declare readonly code: 'ERR_TIMEOUT'
  /** The timeout that elapsed, in milliseconds. */
  declare readonly timeout: number

  /**
   * @param message - which request timed out.
   * @param options - the timeout in ms, the `cause`.
   */
  constructor(message: string, options: TimeoutErrorOptions) {
    super(message, { ...options, code: 'ERR_TIMEOUT' })
    assign(this, options, ['timeout'])
  }
}
named(TimeoutError, 'TimeoutError')

/** The caller's `AbortSignal` aborted the operation. */
export class AbortError extends OktaOAuthError {
  /** The one code of this class. */
  static readonly code = 'ERR_ABORTED'
  /** Every code of this class. */
  static readonly codes = ['ERR_ABORTED'] as const
  declare readonly code: 'ERR_ABORTED'

  /**
   * @param message - which operation was aborted.
   * @param options - the `cause` (the signal's reason).
   */
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, code: 'ERR_ABORTED' })
  }
}
named(AbortError, 'AbortError')
