import type { ErrorCode } from './codes.js'

/** The options every SDK error constructor takes: the `cause`, then the class's own fields. */
export interface ErrorOptions {
  /** The underlying error, kept for debugging (reduced to what cannot quote a request or a token). */
  cause?: unknown
}

/** Marks the SDK's errors, also across bundle copies of the SDK (`Symbol.for`). */
const SDK_ERROR = Symbol.for('okta-oauth-kit.error')

/**
 * @internal
 * Mark `error` an SDK error (not enumerable: logs and JSON do not show it).
 * Each class sets its `name` as a string literal in its constructor:
 * minifiers rename classes, not strings, and a module-level statement would
 * keep unused classes in a bundle.
 */
export function brand(error: Error): void {
  Object.defineProperty(error, SDK_ERROR, { value: true })
}

/** @internal Whether `value` is an SDK error of this realm or bundle copy, or another. */
export function isSdkError(value: unknown): value is Error & { code: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[SDK_ERROR] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}

/**
 * @internal
 * Copy the class's own fields from `options` onto `error`, leaving out the
 * absent ones (so `'claim' in err` says whether there is one).
 */
export function assign<T extends object>(
  error: T,
  options: object,
  fields: readonly string[],
): void {
  for (const field of fields) {
    const value = (options as Record<string, unknown>)[field]
    if (value !== undefined) (error as Record<string, unknown>)[field] = value
  }
}

/**
 * Base class of every SDK error raised for something outside the program:
 * the network, a server, a token. Catch it, then switch on {@link code}
 * (narrow with `isOktaOAuthError`, which gives {@link AnyOktaOAuthError}).
 *
 * {@link InvalidOptionError}, a `TypeError` with a code (programmer
 * mistakes), is an SDK error too: `err instanceof OktaOAuthError` and
 * `isOktaOAuthError(err)` agree on it.
 *
 * @example
 * ```ts
 * import { isOktaOAuthError } from 'okta-oauth-kit'
 * try {
 *   // await client.refresh(refreshToken)
 * } catch (err) {
 *   if (isOktaOAuthError(err) && err.code === 'ERR_TIMEOUT') {
 *     // retry later
 *   }
 * }
 * ```
 */
export class OktaOAuthError extends Error {
  /** A stable, machine-readable code. */
  readonly code: ErrorCode

  /**
   * @param message - what failed and what was expected.
   * @param options - the `code` and the `cause`.
   */
  constructor(message: string, options: ErrorOptions & { code: ErrorCode }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'OktaOAuthError'
    this.code = options.code
    brand(this)
  }

  /**
   * `instanceof OktaOAuthError` also holds for {@link InvalidOptionError},
   * which extends `TypeError`, and for SDK errors of another bundle copy.
   */
  // `this` is the class `instanceof` was asked about: this one or a subclass.
  // biome-ignore-start lint/complexity/noThisInStatic: see above
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    return this === OktaOAuthError && isSdkError(value)
  }
  // biome-ignore-end lint/complexity/noThisInStatic: see above
}
