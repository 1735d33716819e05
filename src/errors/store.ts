import { assign, type ErrorOptions, OktaOAuthError } from './base.js'

/** What a shared store was asked to do when it failed. */
export type StoreOperation = 'get' | 'set' | 'take' | 'delete' | 'lock'

/** Options of {@link StoreError}. */
export interface StoreErrorOptions extends ErrorOptions {
  /** The operation that failed. */
  operation: StoreOperation
  /** With a timeout: the time the store was given, in ms. */
  timeout?: number
}

/**
 * A shared store (Redis, with `okta-oauth-kit/redis`) did not answer: the
 * connection is down, the command failed, or it took longer than the
 * store's `timeout`. Sign-in and sessions cannot go on without their store,
 * so this reaches the app (`toHttpResponse` answers 503); the JWKS store
 * never raises it (known keys keep verifying, a cold cache fetches).
 * The `cause` keeps the client's error name and code, never a key or value.
 */
export class StoreError extends OktaOAuthError {
  /** The one code of this class. */
  static readonly code = 'ERR_STORE_UNAVAILABLE'
  declare readonly code: 'ERR_STORE_UNAVAILABLE'
  /** The operation that failed. */
  declare readonly operation: StoreOperation
  /** With a timeout: the time the store was given, in ms. */
  declare readonly timeout?: number

  /**
   * @param message - which store and operation failed.
   * @param options - the operation, the timeout, the `cause`.
   */
  constructor(message: string, options: StoreErrorOptions) {
    super(message, { ...options, code: 'ERR_STORE_UNAVAILABLE' })
    this.name = 'StoreError'
    assign(this, options, ['operation', 'timeout'])
  }
}
