import type { KyResponse } from 'ky'
import type * as z from 'zod'
import {
  AbortError,
  InvalidResponseError,
  NetworkError,
  OktaApiError,
  type OktaApiErrorCode,
  type OktaApiErrorOptions,
  type RateLimitInfo,
  RequestValidationError,
} from '../errors.js'
import { readText } from '../lib/body.js'
import { safeCause } from '../lib/cause.js'
import { printable } from '../lib/printable.js'
import { retryDelay } from './rate-limit.js'
import type { Operation, SendOptions } from './transport.js'
import { describeIssue } from './zod-issues.js'

// From a request body to check, or a response to read, to a typed result or
// error: every body is read bounded, and no foreign message is copied.

/**
 * @internal
 * Refuse a request body that breaks the data model, before anything is sent.
 * Input models are exact: a key the model does not name (a typo such as
 * `descripton`) is one issue at its own path. Returns the body to send: the
 * checked value, with the models' normalisations (a deprecated spelling
 * moved to the one the API takes).
 */
export function validate(op: Operation, schema: z.ZodType, body: unknown): unknown {
  // In the SDK's own words (zod's wording is not ours to show); the models' own messages stay.
  const result = schema.safeParse(body, { error: describeIssue })
  if (result.success) return result.data
  const issues = result.error.issues.flatMap((i) => {
    const at = i.path.map(String)
    // One issue per unknown key, at the key's path, so the message names it.
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((key) => ({
        path: [...at, printable(key, 100)].join('.'),
        message: 'is not a field of this model (a typo?)',
      }))
    }
    return [{ path: at.join('.'), message: i.message }]
  })
  throw new RequestValidationError(
    `${op.name}: the request body is invalid (${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')})`,
    { issues },
  )
}

/**
 * Read a response body, at most `limit` bytes: a larger one rejects with
 * `InvalidResponseError` (`ERR_RESPONSE_TOO_LARGE`) and is not read further.
 * A body cut off by the network or an abort gives a typed error too.
 */
async function readBody(
  op: Operation,
  response: Response,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<string> {
  try {
    return await readText(response, limit, op.name)
  } catch (err) {
    if (err instanceof InvalidResponseError) throw err
    if (signal?.aborted) throw new AbortError(`${op.name} was aborted`, { cause: signal.reason })
    throw new NetworkError(`${op.name} failed: the response did not complete`, {
      cause: safeCause(err),
    })
  }
}

/**
 * Where a response broke the data model, as far as the model names it: array
 * indices, then the first member (a model field: unknown members never
 * fail). Deeper keys can be chosen by the server (the keys of `_links`), so
 * they are not echoed.
 */
function modelPath(path: readonly PropertyKey[]): string {
  const shown: string[] = []
  for (const key of path) {
    shown.push(String(key))
    if (typeof key !== 'number') break
  }
  return shown.join('.') || '(body)'
}

/** @internal The validated body of a successful response (`undefined` for 204 or without a schema). */
export async function parseBody<T>(
  op: Operation,
  response: KyResponse,
  { schema, signal, allowEmpty }: SendOptions<T>,
  limit: number,
): Promise<T> {
  if (!schema || (allowEmpty && response.status === 204)) {
    response.body?.cancel().catch(() => {})
    return undefined as T
  }
  if (response.status === 204) {
    throw new InvalidResponseError(
      `${op.name}: the server answered 204 No Content where a body was expected`,
      { status: 204 },
    )
  }
  const text = await readBody(op, response, limit, signal)
  let body: unknown
  try {
    // An empty body is `undefined`: fine for `request()` without a schema, refused by models.
    body = text.trim() === '' ? undefined : JSON.parse(text)
  } catch (cause) {
    // JSON.parse's message quotes the body: only a safe cause is kept.
    throw new InvalidResponseError(`${op.name}: the response is not JSON`, {
      status: response.status,
      cause: safeCause(cause),
    })
  }
  const result = schema.safeParse(body)
  if (!result.success) {
    const where = [...new Set(result.error.issues.slice(0, 3).map((i) => modelPath(i.path)))].join(
      ', ',
    )
    throw new InvalidResponseError(
      `${op.name}: the response does not match the data model (${where})`,
      { status: response.status },
    )
  }
  return result.data
}

const CODES: Record<number, OktaApiErrorCode> = {
  400: 'ERR_API_BAD_REQUEST',
  401: 'ERR_API_UNAUTHORIZED',
  403: 'ERR_API_FORBIDDEN',
  404: 'ERR_API_NOT_FOUND',
  429: 'ERR_API_RATE_LIMITED',
}

/**
 * @internal
 * The `OktaApiError` of an error response. Its body is read up to `limit`
 * bytes: a larger one gives the same error without the body's fields, with
 * the `InvalidResponseError` (`ERR_RESPONSE_TOO_LARGE`) as its `cause`, so a
 * 404 stays `ERR_API_NOT_FOUND` and a 429 keeps its rate-limit data.
 */
export async function apiError(
  op: Operation,
  response: KyResponse,
  context: {
    rateLimit: RateLimitInfo | undefined
    /** With a 403 and an OAuth token: whether the token carried the operation's scope. */
    downscoped: boolean | undefined
    /** 429 retries already made. */
    retries: number
    limit: number
  },
): Promise<OktaApiError> {
  const { rateLimit, downscoped, retries, limit } = context
  let body: Record<string, unknown> = {}
  let cause: InvalidResponseError | undefined
  try {
    const parsed: unknown = JSON.parse(await readText(response, limit, `${op.name}: the error`))
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      body = parsed as Record<string, unknown>
    }
  } catch (err) {
    if (err instanceof InvalidResponseError) cause = err
    // Otherwise not JSON (or the body could not be read): keep the status only.
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  const causes = Array.isArray(body.errorCauses)
    ? body.errorCauses
        .map((c) => str((c as { errorSummary?: unknown })?.errorSummary))
        .filter((c): c is string => c !== undefined)
        .map((errorSummary) => ({ errorSummary }))
    : []
  const code = CODES[response.status] ?? 'ERR_API_RESPONSE'
  const summary = str(body.errorSummary)
  // What the next retry would have waited: the server's wait, else the backoff.
  const retryAfter = response.status === 429 ? retryDelay(response.headers, retries) : undefined
  let message = `${op.name} failed with HTTP ${response.status}`
  if (summary) message += `: ${printable(summary)}`
  if (downscoped) {
    message += ` (the token carries ${op.scope}, so the app or admin lacks the permission: silent downscoping)`
  }
  const details: OktaApiErrorOptions = {
    code,
    status: response.status,
    errorCauses: causes,
    ...(op.scope !== '' && { requiredScope: op.scope }),
  }
  for (const key of ['errorCode', 'errorSummary', 'errorLink', 'errorId'] as const) {
    const v = str(body[key])
    if (v !== undefined) details[key] = v
  }
  if (rateLimit) details.rateLimit = rateLimit
  if (downscoped !== undefined) details.downscoped = downscoped
  if (retryAfter !== undefined) details.retryAfter = retryAfter
  return new OktaApiError(message, { ...details, ...(cause && { cause }) })
}
