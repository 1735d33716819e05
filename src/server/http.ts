import { CallbackError, HttpCallbackError } from '../errors.js'
import { safeCause } from '../lib/cause.js'

/**
 * The parts of a Node.js `IncomingMessage` the server helpers use. Node's
 * `http.IncomingMessage` (plain `http`, Express, Fastify's `request.raw`)
 * fits; so does Fastify's `request` and Express's `req` after a body parser,
 * whose parsed `body` is then used instead of the stream.
 */
export interface NodeRequestLike {
  /** The HTTP method, e.g. `POST`. */
  method?: string | undefined
  /** The request target, e.g. `/callback?code=…` (`originalUrl` wins when a framework sets it). */
  url?: string | undefined
  /** Express: the URL before routers stripped their mount path. */
  originalUrl?: string | undefined
  /** The headers, names in lower case (as Node gives them). */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>
  /** A body a framework already parsed: an object of fields, a string, or bytes. */
  body?: unknown
  /**
   * Node's stream events; used to read the body when no framework parsed it.
   * (The listener takes `unknown[]`: every `@types/node` from 20 to 26
   * declares a catch-all overload with `any[]` that fits it, where
   * `never[]` stopped fitting in 26.)
   */
  on?(event: string, listener: (...args: unknown[]) => void): unknown
  /** Removes a stream listener. */
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown
  /** Stops the stream when the body exceeds the limit. */
  pause?(): unknown
}

/** A request the server helpers accept: a Web `Request` or a Node.js request. */
export type ServerRequest = Request | NodeRequestLike

/** @internal Is `input` a Web Request? */
export function isWebRequest(input: unknown): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request
}

/** @internal One header of either kind of request, joined with `, ` when repeated. */
export function header(input: ServerRequest, name: string): string | undefined {
  if (isWebRequest(input)) return input.headers.get(name) ?? undefined
  const value = input.headers?.[name]
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value.join(', ')
}

/** @internal The request's cookies (first value wins for duplicate names). */
export function readCookies(input: ServerRequest | string | undefined): Map<string, string> {
  const raw = typeof input === 'string' ? input : input ? header(input, 'cookie') : undefined
  const cookies = new Map<string, string>()
  if (!raw) return cookies
  for (const part of raw.split(/;\s*/)) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    let value = part.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1)
    if (!cookies.has(name)) cookies.set(name, value)
  }
  return cookies
}

/** @internal Attributes of a `Set-Cookie` header. */
export interface CookieAttributes {
  /** `Max-Age` in seconds; 0 deletes the cookie. */
  maxAge: number
  /** `Path`. */
  path: string
  /** `Secure`. */
  secure: boolean
  /** `SameSite`. */
  sameSite: 'Lax' | 'Strict' | 'None'
}

/** @internal Serialise a `Set-Cookie` value (always `HttpOnly`). */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  let cookie = `${name}=${value}; Max-Age=${attrs.maxAge}; Path=${attrs.path}; HttpOnly`
  if (attrs.secure) cookie += '; Secure'
  cookie += `; SameSite=${attrs.sameSite}`
  return cookie
}

/** @internal The media type of the request, lower case, without parameters. */
export function mediaType(input: ServerRequest): string | undefined {
  return header(input, 'content-type')?.split(';')[0]?.trim().toLowerCase() || undefined
}

/** @internal The request method, upper case. */
export function method(input: ServerRequest): string {
  return (input.method ?? 'GET').toUpperCase()
}

/** @internal The query parameters of the request target. */
export function queryOf(input: ServerRequest): URLSearchParams {
  if (isWebRequest(input)) return new URL(input.url).searchParams
  const target = input.originalUrl ?? input.url ?? '/'
  try {
    return new URL(target, 'http://localhost').searchParams
  } catch {
    throw new HttpCallbackError('the callback URL cannot be parsed', { status: 400 })
  }
}

const tooLarge = () => new HttpCallbackError('the callback body is too large', { status: 413 })

/** @internal Read an `application/x-www-form-urlencoded` body, at most `limit` bytes. */
export async function readFormBody(input: ServerRequest, limit: number): Promise<URLSearchParams> {
  const length = Number(header(input, 'content-length') ?? Number.NaN)
  if (Number.isFinite(length) && length > limit) throw tooLarge()
  if (isWebRequest(input)) return new URLSearchParams(await readWebBody(input, limit))
  if (input.body !== undefined && input.body !== null) return parsedBody(input.body, limit)
  return new URLSearchParams(await readNodeBody(input, limit))
}

async function readWebBody(request: Request, limit: number): Promise<string> {
  if (request.bodyUsed)
    throw new HttpCallbackError('the callback body was already read', { status: 400 })
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>
    try {
      next = await reader.read()
    } catch (cause) {
      throw new CallbackError('the callback body could not be read', {
        code: 'ERR_CALLBACK_MALFORMED',
        cause: safeCause(cause),
      })
    }
    if (next.done) break
    size += next.value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(next.value)
  }
  return decode(chunks, size)
}

function readNodeBody(input: NodeRequestLike, limit: number): Promise<string> {
  const { on, removeListener } = input
  if (typeof on !== 'function' || typeof removeListener !== 'function') {
    throw new HttpCallbackError('the request has neither a parsed body nor a body stream', {
      status: 400,
    })
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const cleanup = () => {
      removeListener.call(input, 'data', onData as never)
      removeListener.call(input, 'end', onEnd as never)
      removeListener.call(input, 'error', onError as never)
    }
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
      size += bytes.byteLength
      if (size > limit) {
        cleanup()
        // Stop reading; the app answers 413 and Node closes the connection.
        input.pause?.()
        reject(tooLarge())
        return
      }
      chunks.push(bytes)
    }
    const onEnd = () => {
      cleanup()
      resolve(decode(chunks, size))
    }
    const onError = (cause: unknown) => {
      cleanup()
      reject(
        new CallbackError('the callback body could not be read', {
          code: 'ERR_CALLBACK_MALFORMED',
          cause: safeCause(cause),
        }),
      )
    }
    on.call(input, 'data', onData as never)
    on.call(input, 'end', onEnd as never)
    on.call(input, 'error', onError as never)
  })
}

function parsedBody(body: unknown, limit: number): URLSearchParams {
  if (typeof body === 'string') {
    if (new TextEncoder().encode(body).byteLength > limit) throw tooLarge()
    return new URLSearchParams(body)
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw tooLarge()
    return new URLSearchParams(new TextDecoder().decode(body))
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(body)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v === undefined || v === null) continue
        if (typeof v !== 'string') {
          throw new HttpCallbackError(`form field ${name} is not a string`, {
            status: 400,
            parameter: name,
          })
        }
        params.append(name, v)
      }
    }
    if (new TextEncoder().encode(params.toString()).byteLength > limit) throw tooLarge()
    return params
  }
  throw new HttpCallbackError('the parsed request body is not a form', { status: 400 })
}

function decode(chunks: Uint8Array[], size: number): string {
  const all = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    all.set(c, offset)
    offset += c.byteLength
  }
  return new TextDecoder().decode(all)
}
