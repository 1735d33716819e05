import type { KyResponse, RetryOptions } from 'ky'
import type * as z from 'zod'
import {
  AbortError,
  AdminScopeError,
  InvalidOptionError,
  NetworkError,
  OktaOAuthError,
  type RateLimitInfo,
  TimeoutError,
} from '../errors.js'
import { safeCause } from '../lib/cause.js'
import type { CallOptions, FetchLike } from '../lib/http.js'
import { lazy } from '../lib/lazy.js'
import { covers, OAuthCredentials } from './credentials.js'
import { type Call, type HookContext, hooks, newCall, retryOptions } from './hooks.js'
import { type NormalizedOptions, normalizeOptions } from './normalize.js'
import type { AdminClientOptions } from './options.js'
import type { ApiPath } from './path.js'
import { readRateLimit } from './rate-limit.js'
import { apiError, parseBody, validate } from './responses.js'
import { Semaphore } from './waiting.js'

/**
 * ky, loaded by the first request rather than with `./admin`: as it loads,
 * ky probes fetch's globals (`Request`, `ReadableStream`), which makes Node
 * set up its fetch implementation, about 25 ms of a cold import.
 */
const loadKy = lazy(() => import('ky'))

/** ky's module: the instance and the error classes the transport tells apart. */
type KyModule = Awaited<ReturnType<typeof loadKy>>

/** @internal One management operation: what it is called, what it needs. */
export interface Operation {
  name: string
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  scope: string
  /** Safe to repeat after a 429 (GET, PUT, DELETE, lifecycle POSTs). */
  idempotent: boolean
}

/** @internal Options of one request. */
export interface SendOptions<T> extends CallOptions {
  body?: unknown
  inputSchema?: z.ZodType
  searchParams?: Record<string, string | number | undefined>
  schema?: z.ZodType<T>
  /** A 204 (no body) is a valid answer even with a `schema`: `request()` without one of its own. */
  allowEmpty?: boolean
  /** An absolute URL to request instead of the path (a `Link: rel="next"`). */
  url?: string
}

/** @internal A response: the validated body and its headers. */
export interface Sent<T> {
  data: T
  response: KyResponse
}

/**
 * @internal
 * The transport shared by every resource of one admin client: checks what
 * can be checked before sending, holds a concurrency slot, and hands the
 * request to ky with the hooks of `hooks.ts` (authentication, rate-limit
 * headers, the 401 and 429 retries); what ky returns or throws becomes the
 * validated body or the SDK's typed error here, at one boundary.
 */
export class AdminTransport {
  readonly orgUrl: URL
  /** The largest body read, in bytes (`maxResponseBytes`, default `RESPONSE_LIMITS.admin`). */
  readonly maxResponseBytes: number
  readonly #options: NormalizedOptions
  /**
   * At most `concurrency` operations in flight. Not a ky hook: a slot is held
   * from the first attempt until the body is read, including the waits
   * between retries, and no hook sees the body being read.
   */
  readonly #limit: Semaphore
  readonly #credentials: OAuthCredentials | undefined
  readonly #context: HookContext
  readonly #retry: RetryOptions
  /** The rate-limit headers of the last response that had them. */
  rateLimit: RateLimitInfo | undefined

  /** @throws `InvalidOptionError` for a bad option (see `normalizeOptions`), DPoP key pair or key. */
  constructor(options: AdminClientOptions) {
    const normalized = normalizeOptions(options)
    this.orgUrl = normalized.orgUrl
    this.maxResponseBytes = normalized.maxResponseBytes
    this.#options = normalized
    this.#limit = new Semaphore(normalized.concurrency)
    // Created now so a bad DPoP key pair or key option fails here, not at the first call.
    const auth = normalized.auth
    if (auth.type === 'oauth') this.#credentials = new OAuthCredentials(auth, normalized)
    this.#context = {
      options: normalized,
      credentials: this.#credentials,
      observe: (info) => {
        this.rateLimit = info
        try {
          normalized.onRateLimit?.(info)
        } catch {
          // An observer must not break the request.
        }
      },
    }
    this.#retry = retryOptions(normalized)
  }

  /**
   * Send one operation: scope check, body validation, a concurrency slot,
   * then ky (with its retries) and the typed result.
   */
  async send<T>(op: Operation, path: ApiPath, options: SendOptions<T> = {}): Promise<Sent<T>> {
    const auth = this.#options.auth
    if (auth.type === 'oauth' && !covers(auth.scopes, op.scope)) {
      throw new AdminScopeError(
        `${op.name} needs the scope ${op.scope}, which the client is not configured to request`,
        { code: 'ERR_SCOPE_NOT_CONFIGURED', requiredScope: op.scope },
      )
    }
    // What is sent is what was checked (an exact model, deprecated spellings moved).
    const body = options.inputSchema
      ? validate(op, options.inputSchema, options.body)
      : options.body
    if (options.signal?.aborted) {
      throw new AbortError(`${op.name} was aborted`, { cause: options.signal.reason })
    }
    await this.#limit.acquire(options.signal, op.name)
    try {
      const call = newCall(op, options.signal)
      const response = await this.#request(call, path, { ...options, body })
      const data = await parseBody(op, response, options, this.maxResponseBytes)
      return { data, response }
    } finally {
      this.#limit.release()
    }
  }

  /**
   * The request, through ky: a response that is ok, or the typed error of
   * the last attempt (ky throws `HTTPError` for any other status).
   */
  async #request<T>(call: Call, path: ApiPath, options: SendOptions<T>): Promise<KyResponse> {
    const url = options.url ?? new URL(`/api/v1${path}`, this.orgUrl).href
    const searchParams: Record<string, string> = {}
    for (const [k, v] of Object.entries(options.searchParams ?? {})) {
      if (v !== undefined) searchParams[k] = String(v)
    }
    const timeout = options.timeout ?? this.#options.timeout
    const credentials = this.#credentials
    // With OAuth for Okta, through the core client: Bearer, or DPoP with a proof
    // per request, with the token the authentication hook set before this attempt.
    const fetchImpl: FetchLike = credentials
      ? (input, init) => credentials.fetch(call.token!, input, init, timeout)
      : this.#options.fetch
    const kyModule = await loadKy()
    const ky = kyModule.default
    try {
      return await ky(url, {
        method: call.op.method,
        headers: { accept: 'application/json' },
        ...(options.body !== undefined && { json: options.body }),
        ...(Object.keys(searchParams).length > 0 && { searchParams }),
        hooks: hooks(call, this.#context, ky),
        retry: this.#retry,
        timeout,
        redirect: 'manual',
        fetch: fetchImpl as typeof fetch,
        ...(options.signal && { signal: options.signal }),
      })
    } catch (err) {
      throw await this.#failure(kyModule, call, err, timeout)
    }
  }

  /** What ky threw, as the SDK's typed error. */
  async #failure(
    { HTTPError, isTimeoutError }: KyModule,
    call: Call,
    err: unknown,
    timeout: number,
  ): Promise<unknown> {
    const { op, signal } = call
    if (err instanceof HTTPError) {
      const response: KyResponse = err.response
      return apiError(op, response, {
        rateLimit: readRateLimit(response.headers),
        // Silent downscoping: the token carried the scope, yet the admin or app lacks the permission.
        downscoped:
          response.status === 403 && call.token !== undefined && op.scope !== ''
            ? covers(call.token.scopes, op.scope)
            : undefined,
        retries: call.retries,
        limit: this.maxResponseBytes,
      })
    }
    // The token request and the scope check fail with the SDK's own errors.
    if (call.authFailure !== undefined && err === call.authFailure) return err
    if (signal?.aborted) return new AbortError(`${op.name} was aborted`, { cause: signal.reason })
    if (isTimeoutError(err) && !(err instanceof TimeoutError)) {
      return new TimeoutError(`${op.name} timed out after ${timeout} ms`, { timeout })
    }
    // The core client's own errors are typed already. Anything else comes from
    // fetch, ky or a custom fetch, whose message may quote the request (a
    // `Headers` TypeError quotes the header value): never copied, and kept
    // only as a safe cause.
    if (err instanceof OktaOAuthError || err instanceof InvalidOptionError) return err
    return new NetworkError(`${op.name} failed: the request did not complete`, {
      cause: safeCause(err),
    })
  }
}
