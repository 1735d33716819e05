import { AbortError, InvalidOptionError, TimeoutError } from '../errors.js'
import { toSdkError } from './to-sdk-error.js'
import { isSecureUrl } from './url.js'

/** A `fetch`-compatible function: the SDK calls it for every request it sends. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** Options every networked call accepts. */
export interface CallOptions {
  /** Aborts the call; the promise rejects with an `AbortError` (`ERR_ABORTED`). */
  signal?: AbortSignal
  /** Milliseconds before the call fails with a `TimeoutError` (`ERR_TIMEOUT`). Overrides the client's default. */
  timeout?: number
}

/** Transport options a client or a standalone call is configured with. */
export interface HttpOptions {
  /**
   * The `fetch` to use. Defaults to `globalThis.fetch`, read at call time so
   * mocks installed later (msw) still apply.
   */
  fetch?: FetchLike
  /** Default timeout for each call, in milliseconds. Default: 10 000. */
  timeout?: number
  /**
   * The largest response body read, in bytes; a larger one fails with
   * `InvalidResponseError` (`ERR_RESPONSE_TOO_LARGE`) and is not buffered.
   * Default: 1 MiB for protocol responses and key sets, 16 MiB for a page of
   * the management API (see `RESPONSE_LIMITS`).
   */
  maxResponseBytes?: number
  /**
   * Allow `http:` URLs to hosts other than loopback (`localhost`, `127.0.0.0/8`, `[::1]`).
   *
   * > [!WARNING]
   * > Tokens and secrets then travel in clear text. For local development only.
   */
  allowInsecureRequests?: boolean
}

/** The default per-call timeout, in milliseconds. */
export const DEFAULT_TIMEOUT = 10_000

/** @internal The fetch to use: the configured one, or `globalThis.fetch` looked up now. */
export function resolveFetch(options: HttpOptions): FetchLike {
  return options.fetch ?? ((input, init) => globalThis.fetch(input, init))
}

/** @internal Whether `url` is safe to send credentials to: https, or http to loopback, or explicitly allowed. */
export function assertSecureUrl(url: URL, what: string, allowInsecure = false): void {
  if (isSecureUrl(url, allowInsecure)) return
  throw new InvalidOptionError(
    `${what} must be an https: URL (http: is allowed only for loopback hosts or with allowInsecureRequests), got ${url.protocol}//${url.host}`,
    { code: 'ERR_INSECURE_URL' },
  )
}

/**
 * @internal
 * Refuse a value that cannot be sent in an HTTP header (a token with a
 * control character or a space) before anything is sent: `Headers` would
 * throw a TypeError quoting the value.
 */
export function assertHeaderValue(value: string, what: string): void {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new InvalidOptionError(
      `${what} can only hold visible ASCII characters (it is sent in an HTTP header)`,
    )
  }
}

/** @internal Parse a URL option, throwing a coded TypeError. */
export function parseUrl(value: string | URL, what: string): URL {
  try {
    return new URL(value)
  } catch {
    throw new InvalidOptionError(`${what} must be an absolute URL`)
  }
}

/**
 * @internal
 * Run `fn` with a signal that combines the caller's signal and the timeout,
 * and map whatever it throws into the SDK's typed errors at this one boundary.
 */
export async function withSignal<T>(
  operation: string,
  defaults: HttpOptions,
  options: CallOptions | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = options?.timeout ?? defaults.timeout ?? DEFAULT_TIMEOUT
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new InvalidOptionError('timeout must be a positive number of milliseconds')
  }
  const caller = options?.signal
  if (caller?.aborted) throw new AbortError(`${operation} was aborted`, { cause: caller.reason })
  const timer = new AbortController()
  const handle = setTimeout(
    () => timer.abort(new TimeoutError(`${operation} timed out after ${timeout} ms`, { timeout })),
    timeout,
  )
  const signal = caller ? AbortSignal.any([caller, timer.signal]) : timer.signal
  try {
    // Race the work against the signal too: a custom fetch that ignores
    // `signal` must not be able to outlive the timeout or the caller's abort.
    return await raceSignal(fn(signal), signal)
  } catch (err) {
    if (caller?.aborted) throw new AbortError(`${operation} was aborted`, { cause: caller.reason })
    if (timer.signal.aborted) throw timer.signal.reason as TimeoutError
    throw toSdkError(err, operation)
  } finally {
    clearTimeout(handle)
  }
}

/**
 * @internal
 * Settle with `promise`, or reject as soon as `signal` aborts. The promise
 * keeps running (it may be shared with other callers); only this caller stops waiting.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) {
    promise.catch(() => {})
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (err) => {
        signal.removeEventListener('abort', onAbort)
        reject(err)
      },
    )
  })
}

/**
 * @internal
 * Wait for a shared promise on behalf of one caller, honouring that caller's
 * own signal; an abort becomes an `AbortError` for this caller only.
 */
export async function awaitShared<T>(
  operation: string,
  shared: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  try {
    return await raceSignal(shared, signal)
  } catch (err) {
    if (signal?.aborted) throw new AbortError(`${operation} was aborted`, { cause: signal.reason })
    throw err
  }
}

/**
 * @internal
 * The options a shared operation runs with on behalf of `call`: its timeout,
 * never its signal. The work is shared by every caller, so one caller's abort
 * must neither fail the others nor count as a failure; each caller stops
 * waiting on its own signal ({@link awaitShared}).
 */
export function detach(call: CallOptions | undefined): CallOptions | undefined {
  return call?.timeout === undefined ? undefined : { timeout: call.timeout }
}

/**
 * @internal
 * The caller's own timeout elapsed while it waited for a shared operation,
 * which goes on for the others ({@link awaitSharedCall}).
 */
export class CallTimeoutError extends TimeoutError {}

/**
 * @internal
 * Settle with `promise`, or reject with a `TimeoutError` once `timeout` ms
 * have passed. The promise keeps running; only this caller stops waiting.
 * @param make - The error to reject with (default: a `TimeoutError`).
 */
export async function raceTimeout<T>(
  operation: string,
  promise: Promise<T>,
  timeout: number,
  make: (message: string, timeout: number) => TimeoutError = (message, ms) =>
    new TimeoutError(message, { timeout: ms }),
): Promise<T> {
  let handle: ReturnType<typeof setTimeout> | undefined
  const timer = new Promise<never>((_, reject) => {
    handle = setTimeout(
      () => reject(make(`${operation} timed out after ${timeout} ms`, timeout)),
      timeout,
    )
  })
  try {
    return await Promise.race([promise, timer])
  } finally {
    clearTimeout(handle)
  }
}

/**
 * @internal
 * Wait for a shared operation on behalf of one caller, within that caller's
 * own signal and timeout: giving up rejects this caller only, with an
 * `AbortError` or a {@link CallTimeoutError} (see {@link callerGaveUp}).
 * @param shared - The operation under way.
 * @param call - The caller's signal and timeout.
 */
export async function awaitSharedCall<T>(
  operation: string,
  shared: Promise<T>,
  call: CallOptions | undefined,
): Promise<T> {
  const waiting = awaitShared(operation, shared, call?.signal)
  const timeout = call?.timeout
  if (timeout === undefined) return waiting
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    waiting.catch(() => {})
    throw new InvalidOptionError('timeout must be a positive number of milliseconds')
  }
  return raceTimeout(
    operation,
    waiting,
    timeout,
    (message, ms) => new CallTimeoutError(message, { timeout: ms }),
  )
}

/**
 * @internal
 * Whether a wait ended because the caller gave up (its signal or its own
 * timeout, {@link awaitSharedCall}), not because the shared operation failed.
 */
export function callerGaveUp(err: unknown): boolean {
  return err instanceof AbortError || err instanceof CallTimeoutError
}

export { toSdkError }
