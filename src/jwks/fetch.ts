import { InvalidResponseError, JwksError } from '../errors.js'
import { readText } from '../lib/body.js'
import { safeCause } from '../lib/cause.js'
import { type CallOptions, type FetchLike, type HttpOptions, withSignal } from '../lib/http.js'
import type { JSONWebKeySet } from '../lib/wire-types.js'
import { cacheControlMaxAge } from './cache-control.js'
import { isJwks } from './key-set.js'

/** @internal A key set as one fetch brought it, with its `Cache-Control` lifetime in ms. */
export interface FetchedJwks {
  jwks: JSONWebKeySet
  maxAge?: number
}

/**
 * @internal
 * GET a key set once, through the SDK's one HTTP layer: the timeout and
 * abort handling of `withSignal` and the bounded reader of `src/lib/body.ts`.
 * Every failure is a `JwksError` (`ERR_JWKS_UNAVAILABLE`), a `TimeoutError`
 * or an `AbortError`.
 * @param http - The cache's transport options (its default timeout).
 * @param call - The timeout this fetch runs with, if not the cache's.
 */
export function requestJwks(
  fetch: FetchLike,
  url: string,
  maxBytes: number,
  http: HttpOptions,
  call: CallOptions | undefined,
): Promise<FetchedJwks> {
  return withSignal('JWKS request', http, call, (signal) => fetchOnce(fetch, url, maxBytes, signal))
}

async function fetchOnce(
  fetch: FetchLike,
  url: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<FetchedJwks> {
  let response: Response
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json, application/jwk-set+json' },
      method: 'GET',
      redirect: 'manual',
      signal,
    })
  } catch (cause) {
    if (signal.aborted) throw cause
    // A custom fetch's error (or a platform one) may quote the request.
    throw new JwksError('JWKS request failed: the request did not complete', {
      code: 'ERR_JWKS_UNAVAILABLE',
      cause: safeCause(cause),
    })
  }
  if (response.status !== 200) {
    // Release the body without waiting: a cancel can stall on some streams.
    response.body?.cancel().catch(() => {})
    throw new JwksError(`JWKS endpoint responded with HTTP ${response.status}`, {
      code: 'ERR_JWKS_UNAVAILABLE',
    })
  }
  let text: string
  try {
    text = await readText(response, maxBytes, 'JWKS')
  } catch (cause) {
    if (signal.aborted) throw cause
    if (cause instanceof InvalidResponseError) {
      throw new JwksError(`JWKS response is larger than ${maxBytes} bytes (maxResponseBytes)`, {
        code: 'ERR_JWKS_UNAVAILABLE',
        cause,
      })
    }
    throw new JwksError('JWKS response body could not be read', {
      code: 'ERR_JWKS_UNAVAILABLE',
      cause: safeCause(cause),
    })
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (cause) {
    // JSON.parse quotes the text it failed on: keep its name only.
    throw new JwksError('JWKS response is not JSON', {
      code: 'ERR_JWKS_UNAVAILABLE',
      cause: safeCause(cause),
    })
  }
  if (!isJwks(body)) {
    throw new JwksError('JWKS response is not a JSON Web Key Set', {
      code: 'ERR_JWKS_UNAVAILABLE',
    })
  }
  const maxAge = cacheControlMaxAge(response.headers.get('cache-control'))
  return maxAge === undefined ? { jwks: body } : { jwks: body, maxAge }
}
