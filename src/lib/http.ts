import {
  AbortError,
  AuthorizationResponseError,
  InvalidOptionError,
  InvalidResponseError,
  NetworkError,
  OAuthResponseError,
  OktaOAuthError,
  TimeoutError,
  TokenValidationError,
  type WWWAuthenticateChallenge,
} from '../errors.js'

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

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/** @internal Whether `url` is safe to send credentials to: https, or http to loopback, or explicitly allowed. */
export function assertSecureUrl(url: URL, what: string, allowInsecure = false): void {
  if (url.protocol === 'https:') return
  if (url.protocol === 'http:' && (allowInsecure || LOOPBACK.test(url.hostname))) return
  throw new InvalidOptionError(
    `${what} must be an https: URL (http: is allowed only for loopback hosts or with allowInsecureRequests), got ${url.protocol}//${url.host}`,
    'ERR_INSECURE_URL',
  )
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
    () => timer.abort(new TimeoutError(`${operation} timed out after ${timeout} ms`, timeout)),
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

// oauth4webapi error codes, by value (its constants are not needed at runtime).
const O4 = {
  RESPONSE_BODY_ERROR: 'OAUTH_RESPONSE_BODY_ERROR',
  WWW_AUTHENTICATE_CHALLENGE: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE',
  AUTHORIZATION_RESPONSE_ERROR: 'OAUTH_AUTHORIZATION_RESPONSE_ERROR',
  INVALID_RESPONSE: 'OAUTH_INVALID_RESPONSE',
  JWT_TIMESTAMP_CHECK: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  JWT_CLAIM_COMPARISON: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  JSON_ATTRIBUTE_COMPARISON: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  MISSING_SERVER_METADATA: 'OAUTH_MISSING_SERVER_METADATA',
  INVALID_SERVER_METADATA: 'OAUTH_INVALID_SERVER_METADATA',
  REQUEST_PROTOCOL_FORBIDDEN: 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN',
  HTTP_REQUEST_FORBIDDEN: 'OAUTH_HTTP_REQUEST_FORBIDDEN',
} as const

interface O4Error extends Error {
  code?: string
  cause?: unknown
  status?: number
  error?: string
  error_description?: string
  response?: Response
}

/**
 * A cause that is safe to keep: oauth4webapi attaches response bodies and
 * token claims as `cause`, and a logged error prints its cause, so keep only
 * the name, code and message (which it never fills with token values).
 */
function summary(err: O4Error): Error {
  const e = new Error(err.message)
  e.name = err.name
  if (err.code) Object.assign(e, { code: err.code })
  return e
}

function statusOf(err: O4Error): number | undefined {
  const c = err.cause as { status?: unknown } | undefined
  if (err.cause instanceof Response) return err.cause.status
  if (typeof c?.status === 'number') return c.status
  return err.response?.status
}

/** @internal Map anything thrown by fetch, oauth4webapi or jose to an SDK error. */
export function toSdkError(err: unknown, operation: string): Error {
  if (err instanceof OktaOAuthError || err instanceof InvalidOptionError) return err
  if (!(err instanceof Error)) {
    return new InvalidResponseError(`${operation} failed with a non-error value`)
  }
  const e = err as O4Error
  switch (e.code) {
    case O4.RESPONSE_BODY_ERROR: {
      const body = (e.cause ?? {}) as { error_uri?: unknown }
      return new OAuthResponseError(
        {
          error: String(e.error),
          ...(typeof e.error_description === 'string' && { errorDescription: e.error_description }),
          ...(typeof body.error_uri === 'string' && { errorUri: body.error_uri }),
          status: e.status ?? 400,
        },
        { cause: summary(e) },
      )
    }
    case O4.WWW_AUTHENTICATE_CHALLENGE: {
      const challenges = ((e.cause ?? []) as WWWAuthenticateChallenge[]).map((c) => ({
        scheme: c.scheme,
        parameters: { ...c.parameters },
      }))
      const first = challenges.find((c) => c.parameters.error) ?? challenges[0]
      return new OAuthResponseError(
        {
          error: first?.parameters.error ?? 'invalid_request',
          ...(first?.parameters.error_description !== undefined && {
            errorDescription: first.parameters.error_description,
          }),
          status: e.status ?? e.response?.status ?? 401,
          challenges,
        },
        { cause: summary(e) },
      )
    }
    case O4.AUTHORIZATION_RESPONSE_ERROR: {
      const params = e.cause as URLSearchParams | undefined
      return new AuthorizationResponseError(
        {
          error: String(e.error),
          ...(e.error_description !== undefined && { errorDescription: e.error_description }),
          ...(params?.get('error_uri') && { errorUri: params.get('error_uri')! }),
        },
        { cause: summary(e) },
      )
    }
    case O4.JWT_TIMESTAMP_CHECK: {
      const claim = (e.cause as { claim?: string } | undefined)?.claim ?? 'exp'
      if (claim === 'auth_time') {
        return new TokenValidationError(
          'ID token auth_time is older than max_age allows',
          'ERR_AUTH_TIME_TOO_OLD',
          { token: 'id_token', claim, reason: 'too_old' },
          { cause: summary(e) },
        )
      }
      const expired = claim === 'exp' || e.message.includes('too far in the past')
      return new TokenValidationError(
        `ID token ${claim} check failed`,
        expired ? 'ERR_JWT_EXPIRED' : 'ERR_JWT_NOT_YET_VALID',
        { token: 'id_token', claim, reason: expired ? 'expired' : 'not_yet_valid' },
        { cause: summary(e) },
      )
    }
    case O4.JWT_CLAIM_COMPARISON: {
      const claim = (e.cause as { claim?: string } | undefined)?.claim ?? 'unknown'
      if (claim === 'nonce') {
        return new TokenValidationError(
          'ID token nonce does not match the authorization request',
          'ERR_NONCE_MISMATCH',
          { token: 'id_token', claim, reason: 'mismatch' },
          { cause: summary(e) },
        )
      }
      if (claim === 'at_hash' || claim === 'c_hash') {
        return new TokenValidationError(
          `ID token ${claim} does not match`,
          'ERR_TOKEN_HASH_MISMATCH',
          { token: 'id_token', claim, reason: 'mismatch' },
          { cause: summary(e) },
        )
      }
      return new TokenValidationError(
        `ID token ${claim} claim is invalid`,
        'ERR_JWT_CLAIM_INVALID',
        { token: 'id_token', claim, reason: 'mismatch' },
        { cause: summary(e) },
      )
    }
    case O4.JSON_ATTRIBUTE_COMPARISON: {
      const attribute = (e.cause as { attribute?: string } | undefined)?.attribute
      if (attribute === 'issuer') {
        return new InvalidResponseError(
          'discovery document issuer does not match the requested issuer',
          undefined,
          { code: 'ERR_ISSUER_MISMATCH', cause: summary(e) },
        )
      }
      if (e.message.includes('"sub"')) {
        return new TokenValidationError(
          'userinfo sub does not match the ID token sub',
          'ERR_SUBJECT_MISMATCH',
          { token: 'id_token', claim: 'sub', reason: 'mismatch' },
          { cause: summary(e) },
        )
      }
      return new InvalidResponseError(`${operation}: ${e.message}`, statusOf(e), {
        cause: summary(e),
      })
    }
    case O4.INVALID_RESPONSE: {
      // oauth4webapi's own check of a JWT's alg against the server metadata.
      const header = (e.cause as { header?: { alg?: unknown } } | undefined)?.header
      if (header && e.message.includes('"alg"')) {
        return new TokenValidationError(
          'ID token alg is not allowed',
          'ERR_JWT_ALG_NOT_ALLOWED',
          {
            token: 'id_token',
            claim: 'alg',
            reason: 'not_allowed',
          },
          { cause: summary(e) },
        )
      }
      break
    }
    case O4.MISSING_SERVER_METADATA:
    case O4.INVALID_SERVER_METADATA:
      return new InvalidOptionError(`${operation}: ${e.message}`, 'ERR_MISSING_ENDPOINT', {
        cause: summary(e),
      })
    case O4.REQUEST_PROTOCOL_FORBIDDEN:
    case O4.HTTP_REQUEST_FORBIDDEN:
      return new InvalidOptionError(`${operation}: ${e.message}`, 'ERR_INSECURE_URL', {
        cause: summary(e),
      })
  }
  if (e.name === 'OperationProcessingError') {
    return new InvalidResponseError(`${operation}: ${e.message}`, statusOf(e), {
      cause: summary(e),
    })
  }
  if (e.name === 'UnsupportedOperationError') {
    return new InvalidOptionError(`${operation}: ${e.message}`, 'ERR_INVALID_OPTION', {
      cause: summary(e),
    })
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    return new AbortError(`${operation} was aborted`, { cause: e })
  }
  if (e instanceof SyntaxError) {
    return new InvalidResponseError(`${operation}: response is not valid JSON`, undefined, {
      cause: summary(e),
    })
  }
  if (e instanceof TypeError) {
    // oauth4webapi flags argument errors with ERR_INVALID_ARG_*; anything else
    // a TypeError here comes from fetch itself: the request never completed.
    if (typeof e.code === 'string' && e.code.startsWith('ERR_INVALID_ARG')) {
      return new InvalidOptionError(`${operation}: ${e.message}`, 'ERR_INVALID_OPTION', {
        cause: summary(e),
      })
    }
    return new NetworkError(`${operation} failed: the request did not complete`, { cause: e })
  }
  return new InvalidResponseError(`${operation} failed: ${e.message}`, statusOf(e), {
    cause: summary(e),
  })
}
