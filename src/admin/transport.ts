import ky, { type KyResponse } from 'ky'
import type { z } from 'zod'
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
import { covers, type HeldToken, OAuthCredentials } from './credentials.js'
import { type NormalizedOptions, normalizeOptions } from './normalize.js'
import type { AdminClientOptions } from './options.js'
import type { ApiPath } from './path.js'
import { readRateLimit, retryDelay } from './rate-limit.js'
import { apiError, parseBody, validate } from './responses.js'
import { Semaphore, sleep } from './waiting.js'

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

/** @internal The transport shared by every resource of one admin client. */
export class AdminTransport {
  readonly orgUrl: URL
  /** The largest body read, in bytes (`maxResponseBytes`, default `RESPONSE_LIMITS.admin`). */
  readonly maxResponseBytes: number
  readonly #options: NormalizedOptions
  readonly #limit: Semaphore
  readonly #credentials: OAuthCredentials | undefined
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
  }

  /**
   * Send one operation: scope check, body validation, a concurrency slot,
   * then the attempts (401 refresh, 429 retries) and the typed result.
   */
  async send<T>(op: Operation, path: ApiPath, options: SendOptions<T> = {}): Promise<Sent<T>> {
    const auth = this.#options.auth
    if (auth.type === 'oauth' && !covers(auth.scopes, op.scope)) {
      throw new AdminScopeError(
        `${op.name} needs the scope ${op.scope}, which the client is not configured to request`,
        { code: 'ERR_SCOPE_NOT_CONFIGURED', requiredScope: op.scope },
      )
    }
    if (options.inputSchema) validate(op, options.inputSchema, options.body)
    if (options.signal?.aborted) {
      throw new AbortError(`${op.name} was aborted`, { cause: options.signal.reason })
    }
    await this.#limit.acquire(options.signal, op.name)
    try {
      return await this.#attempts(op, path, options)
    } finally {
      this.#limit.release()
    }
  }

  /** Send, retrying once after a 401 with a fresh token and after 429s as `retry` allows. */
  async #attempts<T>(op: Operation, path: ApiPath, options: SendOptions<T>): Promise<Sent<T>> {
    let refreshed = false
    // Bounded: at most one 401 refresh plus `retry.limit` 429 retries.
    for (let retries = 0; ; ) {
      const token = await this.#credentials?.token(op, options.signal)
      const response = await this.#request(op, path, options, token)
      const rateLimit = readRateLimit(response.headers)
      if (rateLimit) {
        this.rateLimit = rateLimit
        try {
          this.#options.onRateLimit?.(rateLimit)
        } catch {
          // An observer must not break the request.
        }
      }
      if (response.ok) {
        const data = await parseBody(op, response, options, this.maxResponseBytes)
        return { data, response }
      }
      if (response.status === 401 && token && !refreshed) {
        // The token may have been revoked or rotated: one retry with a fresh one.
        refreshed = true
        this.#credentials?.forget(token)
        response.body?.cancel().catch(() => {})
        continue
      }
      if (response.status === 429 && op.idempotent && retries < this.#options.retry.limit) {
        const delay = retryDelay(response.headers, retries)
        if (delay <= this.#options.retry.maxDelay) {
          retries++
          response.body?.cancel().catch(() => {})
          await sleep(delay, options.signal, op.name)
          continue
        }
      }
      throw await apiError(op, response, {
        rateLimit,
        // Silent downscoping: the token carried the scope, yet the admin or app lacks the permission.
        downscoped:
          response.status === 403 && token !== undefined && op.scope !== ''
            ? covers(token.scopes, op.scope)
            : undefined,
        retries,
        limit: this.maxResponseBytes,
      })
    }
  }

  /** One HTTP request: SSWS header, or through the core client (Bearer or DPoP). */
  async #request<T>(
    op: Operation,
    path: ApiPath,
    options: SendOptions<T>,
    token: HeldToken | undefined,
  ): Promise<KyResponse> {
    const url = options.url ?? new URL(`/api/v1${path}`, this.orgUrl).href
    const headers: Record<string, string> = { accept: 'application/json' }
    const auth = this.#options.auth
    if (auth.type === 'ssws') headers.authorization = `SSWS ${auth.token}`
    const searchParams: Record<string, string> = {}
    for (const [k, v] of Object.entries(options.searchParams ?? {})) {
      if (v !== undefined) searchParams[k] = String(v)
    }
    const timeout = options.timeout ?? this.#options.timeout
    const credentials = this.#credentials
    const fetchImpl: FetchLike =
      token && credentials
        ? (input, init) => credentials.fetch(token, input, init, timeout)
        : this.#options.fetch
    try {
      return await ky(url, {
        method: op.method,
        headers,
        ...(options.body !== undefined && { json: options.body }),
        ...(Object.keys(searchParams).length > 0 && { searchParams }),
        throwHttpErrors: false,
        retry: 0,
        timeout,
        redirect: 'manual',
        fetch: fetchImpl as typeof fetch,
        ...(options.signal && { signal: options.signal }),
      })
    } catch (err) {
      if (options.signal?.aborted) {
        throw new AbortError(`${op.name} was aborted`, { cause: options.signal.reason })
      }
      if ((err as Error)?.name === 'TimeoutError' && !(err instanceof TimeoutError)) {
        throw new TimeoutError(`${op.name} timed out after ${timeout} ms`, { timeout })
      }
      // The core client's own errors are typed already. Anything else comes from
      // fetch, ky or a custom fetch, whose message may quote the request (a
      // `Headers` TypeError quotes the header value): never copied, and kept
      // only as a safe cause.
      if (err instanceof OktaOAuthError || err instanceof InvalidOptionError) throw err
      throw new NetworkError(`${op.name} failed: the request did not complete`, {
        cause: safeCause(err),
      })
    }
  }
}
