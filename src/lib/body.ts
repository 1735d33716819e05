import { InvalidOptionError, InvalidResponseError } from '../errors.js'
import type { FetchLike } from './http.js'

// Every response the SDK reads goes through a bounded reader: a hostile or
// broken server must not make the process buffer an arbitrary amount.

/**
 * The default limits, in bytes, on the bodies the SDK reads. Each entry that
 * sends requests takes a `maxResponseBytes` option to change its limit.
 */
export const RESPONSE_LIMITS = {
  /** Token, introspection, revocation, userinfo, PAR and discovery responses: 1 MiB. */
  protocol: 1024 * 1024,
  /** JSON Web Key Sets: 1 MiB (Okta's hold a handful of 2048-bit keys, about 2 KB each). */
  jwks: 1024 * 1024,
  /** One page of the management API: 16 MiB (200 large resources fit many times over). */
  admin: 16 * 1024 * 1024,
} as const

/** @internal Check a `maxResponseBytes` option; `fallback` when absent. */
export function responseLimit(value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError('maxResponseBytes must be a positive integer number of bytes')
  }
  return value
}

/** @internal What {@link readBytes} reads: a `Response`, or a `Request` (a callback body). */
export interface BodySource {
  readonly body: ReadableStream<Uint8Array> | null
  readonly headers: Headers
  readonly status?: number
}

function tooLarge(what: string, limit: number, status: number | undefined): InvalidResponseError {
  return new InvalidResponseError(
    `${what} response is larger than ${limit} bytes (maxResponseBytes)`,
    { status, code: 'ERR_RESPONSE_TOO_LARGE' },
  )
}

/**
 * @internal
 * Read a response body, refusing it as soon as it exceeds `limit` bytes
 * (`Content-Length` first, then while streaming). The rest is cancelled.
 */
export async function readBytes(
  response: BodySource,
  limit: number,
  what: string,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limit) {
    response.body?.cancel().catch(() => {})
    throw tooLarge(what, limit, response.status)
  }
  const body = response.body
  if (body === null) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      reader.cancel().catch(() => {})
      throw tooLarge(what, limit, response.status)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]!
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

const decoder = new TextDecoder()

/** @internal {@link readBytes}, decoded as UTF-8 (like `Response.text()`). */
export async function readText(response: BodySource, limit: number, what: string): Promise<string> {
  return decoder.decode(await readBytes(response, limit, what))
}

// Statuses whose responses cannot carry a body (the Response constructor refuses one).
const NULL_BODY = new Set([101, 103, 204, 205, 304])

/**
 * @internal
 * The same response with its body read (bounded) into memory, for code that
 * reads bodies itself (oauth4webapi): status, headers and `url` are kept.
 */
export async function buffered(response: Response, limit: number, what: string): Promise<Response> {
  // Opaque and non-HTTP statuses (a manual redirect in a browser) have no body to bound.
  if (response.status < 200 || response.status > 599) return response
  const bytes = await readBytes(response, limit, what)
  const copy = new Response(NULL_BODY.has(response.status) ? null : (bytes as BodyInit), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
  Object.defineProperty(copy, 'url', { value: response.url })
  return copy
}

/** @internal A fetch whose responses are read through {@link buffered}. */
export function boundedFetch(fetch: FetchLike, limit: number, what: string): FetchLike {
  return async (input, init) => buffered(await fetch(input, init), limit, what)
}
