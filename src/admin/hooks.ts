import type { AfterResponseHook, BeforeRequestHook, Hooks, KyInstance, RetryOptions } from 'ky'
import type { RateLimitInfo } from '../errors.js'
import type { HeldToken, OAuthCredentials } from './credentials.js'
import type { NormalizedOptions } from './normalize.js'
import { readRateLimit, retryDelay } from './rate-limit.js'
import type { Operation } from './transport.js'

// What ky does for one operation, and the hooks that tell it what Okta needs.
//
// ky runs every attempt: the request (with its timeout), the hooks, the
// retries it is asked for, the wait before each (ended by the caller's
// signal) and their count (`retry.limit`); a status that is not ok reaches
// the transport as ky's `HTTPError`.
//
// ky is asked to retry by the hooks (`ky.retry()`), never on its own: its own
// decision would read `Retry-After` before `X-Rate-Limit-Reset` and leniently
// (`-1` or `soon` mean "now"), the reset against this machine's clock instead
// of the response's `Date`, would cut a long wait down to `maxRetryAfter`
// where the admin client reports the 429, and would retry network errors,
// 408, 413 and 5xx. `ky.retry({ delay })` is ky's way to retry after a wait the response
// dictates: the wait is used exactly (no jitter, no `backoffLimit`).

/** @internal What the hooks of one operation share with the transport. */
export interface Call {
  readonly op: Operation
  readonly signal: AbortSignal | undefined
  /** The OAuth token the last attempt was sent with. */
  token: HeldToken | undefined
  /** The one retry after a 401 was made. */
  refreshed: boolean
  /** 429 retries made. */
  retries: number
  /** What the authentication hook threw: the SDK's own error, passed on as it is. */
  authFailure?: unknown
}

/** @internal A new {@link Call} for `op`. */
export function newCall(op: Operation, signal: AbortSignal | undefined): Call {
  return { op, signal, token: undefined, refreshed: false, retries: 0 }
}

/**
 * @internal
 * ky's retry options for every operation of one client: only what a hook
 * asks for. At most `retry.limit` 429 retries and one 401 retry are asked for.
 */
export function retryOptions(options: NormalizedOptions): RetryOptions {
  return { limit: options.retry.limit + 1, shouldRetry: () => false }
}

/** @internal What the hooks need from the client. */
export interface HookContext {
  options: NormalizedOptions
  /** The OAuth-for-Okta credentials; undefined with SSWS. */
  credentials: OAuthCredentials | undefined
  /** Record the rate-limit headers of a response. */
  observe: (info: RateLimitInfo) => void
}

/**
 * @internal The ky hooks of one operation.
 * @param ky - The ky instance sending it (loaded by the transport at the first request).
 */
export function hooks(call: Call, context: HookContext, ky: KyInstance): Hooks {
  return {
    beforeRequest: [authenticate(call, context)],
    afterResponse: [
      observeRateLimit(context.observe),
      retryUnauthorized(call, context.credentials, ky),
      retryRateLimited(call, context.options.retry, ky),
    ],
  }
}

/**
 * Before each attempt: `Authorization: SSWS {token}`, or the OAuth token for
 * the operation (cached, renewed shortly before expiry, scope-checked), which
 * the core client sends as Bearer or DPoP.
 */
function authenticate(call: Call, { options, credentials }: HookContext): BeforeRequestHook {
  const auth = options.auth
  if (auth.type === 'ssws') {
    return (request) => {
      request.headers.set('authorization', `SSWS ${auth.token}`)
    }
  }
  return async () => {
    try {
      call.token = await credentials!.token(call.op, call.signal)
    } catch (err) {
      call.authFailure = err
      throw err
    }
  }
}

/** After each response: its `X-Rate-Limit-*` headers, when it has any. */
function observeRateLimit(observe: HookContext['observe']): AfterResponseHook {
  return (_request, _options, response) => {
    const info = readRateLimit(response.headers)
    if (info) observe(info)
  }
}

/** A 401 to an OAuth token: the token may have been revoked or rotated, one retry with a fresh one. */
function retryUnauthorized(
  call: Call,
  credentials: OAuthCredentials | undefined,
  ky: KyInstance,
): AfterResponseHook {
  return (_request, _options, response) => {
    if (response.status !== 401 || !call.token || !credentials || call.refreshed) return
    call.refreshed = true
    credentials.forget(call.token)
    return ky.retry({ delay: 0, code: 'TOKEN_REFRESH' })
  }
}

/**
 * A 429 to an idempotent operation: retried after what it asks
 * ({@link retryDelay}: `X-Rate-Limit-Reset` against the response's `Date`,
 * else `Retry-After`, else 1 s, 2 s, 4 s…), at most `retry.limit` times, and
 * only when that wait is at most `retry.maxDelay`; otherwise it is reported.
 */
function retryRateLimited(
  call: Call,
  { limit, maxDelay }: NormalizedOptions['retry'],
  ky: KyInstance,
): AfterResponseHook {
  return (_request, _options, response) => {
    if (response.status !== 429 || !call.op.idempotent || call.retries >= limit) return
    const delay = retryDelay(response.headers, call.retries)
    if (delay > maxDelay) return
    call.retries++
    return ky.retry({ delay, code: 'RATE_LIMITED' })
  }
}
