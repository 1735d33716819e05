import {
  AuthorizationResponseError,
  CallbackError,
  HttpCallbackError,
  InvalidOptionError,
  NetworkError,
  OAuthResponseError,
  OktaOAuthError,
  StoreError,
  TimeoutError,
  TokenValidationError,
} from '../errors.js'

// Errors of the server helpers as HTTP answers: a status and a message that
// is safe to show (no token, cookie value or server-supplied text).

/** An HTTP answer for an error: the status and a short message that is safe to show. */
export interface HttpErrorAnswer {
  /** The HTTP status: 400, 401, 405, 413, 415, 500, 502, 503 or 504. */
  status: number
  /** A short message without tokens, cookie values or server-supplied text, e.g. `sign-in failed (ERR_STATE_MISMATCH)`. */
  message: string
  /** A `text/plain`, `no-store` `Response` with that status and message. */
  response(): Response
}

/**
 * Map an error from the server helpers to an HTTP status and a safe message.
 *
 * - `CallbackError` with a `status` (wrong method 405, body too large 413, wrong content type 415): that status.
 * - Other `CallbackError`s (state, transaction missing/tampered/expired/reused, malformed): 400.
 * - `AuthorizationResponseError` (`access_denied`, …), `TokenValidationError`, `invalid_grant`: 401.
 * - `StoreError` (the transaction or session store is down or slow): 503.
 * - `TimeoutError`: 504; other server or network failures: 502; anything else: 500.
 *
 * @param err - What a helper threw.
 * @returns The status, the message, and a `Response`.
 * @example
 * ```ts
 * import { createServerAuth, toHttpResponse } from 'okta-oauth-kit/server'
 * declare const auth: ReturnType<typeof createServerAuth>
 * async function callback(request: Request): Promise<Response> {
 *   try {
 *     return (await auth.callback(request)).response()
 *   } catch (err) {
 *     return toHttpResponse(err).response()
 *   }
 * }
 * ```
 */
export function toHttpResponse(err: unknown): HttpErrorAnswer {
  const [status, message] = classify(err)
  const allow = err instanceof HttpCallbackError ? err.allow : undefined
  return {
    status,
    message,
    response: () =>
      new Response(message, {
        status,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          ...(allow !== undefined && { allow }),
        },
      }),
  }
}

function classify(err: unknown): [number, string] {
  if (err instanceof HttpCallbackError) {
    const text: Record<number, string> = {
      405: 'method not allowed',
      413: 'request body too large',
      415: 'unsupported media type',
    }
    return [err.status, text[err.status] ?? `bad sign-in callback (${err.code})`]
  }
  if (err instanceof CallbackError) return [400, `bad sign-in callback (${err.code})`]
  if (err instanceof AuthorizationResponseError) {
    return [
      401,
      `sign-in was not completed (${/^[a-z_]{1,64}$/.test(err.error) ? err.error : 'error'})`,
    ]
  }
  if (err instanceof TokenValidationError) return [401, `sign-in failed (${err.code})`]
  if (err instanceof OAuthResponseError) {
    if (err.error === 'invalid_grant') return [401, 'sign-in failed (invalid_grant)']
    return [502, 'the authorization server refused the request']
  }
  if (err instanceof StoreError) return [503, 'the session store is unavailable, try again']
  if (err instanceof TimeoutError) return [504, 'the authorization server did not answer in time']
  // A programmer error (an SDK error too, but the app's own fault).
  if (err instanceof InvalidOptionError) return [500, 'internal error']
  if (err instanceof NetworkError || err instanceof OktaOAuthError) {
    return [502, 'the authorization server could not be reached or answered badly']
  }
  return [500, 'internal error']
}
