import type { JWK } from 'jose'
import ky, { type KyResponse } from 'ky'
import type { z } from 'zod'
import {
  AbortError,
  AdminScopeError,
  InvalidOptionError,
  InvalidResponseError,
  NetworkError,
  OAuthResponseError,
  OktaOAuthError,
  type RateLimitInfo,
  TimeoutError,
} from '../errors.js'
import { RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import { safeCause } from '../lib/cause.js'
import {
  assertSecureUrl,
  type CallOptions,
  DEFAULT_TIMEOUT,
  type FetchLike,
  type HttpOptions,
  parseUrl,
  resolveFetch,
} from '../lib/http.js'
import { type Client, createClient, type DPoPOptions } from '../oauth/client.js'
import type { ApiPath } from './path.js'
import { readRateLimit, retryDelay } from './rate-limit.js'
import { apiError, parseBody, validate } from './responses.js'
import { raceAbort, Semaphore, sleep } from './waiting.js'

/** An SSWS API token (created in the Admin Console). */
export interface SswsAuth {
  /** Discriminant. */
  type: 'ssws'
  /** The API token. Sent as `Authorization: SSWS {token}`; never logged. */
  token: string
}

/**
 * OAuth for Okta: a service app gets scoped `okta.*` access tokens from the
 * org authorization server (`https://{org}/oauth2/v1/token`) with the client
 * credentials grant and `private_key_jwt`.
 */
export interface OAuthForOktaAuth {
  /** Discriminant. */
  type: 'oauth'
  /** The service app's client id. */
  clientId: string
  /** Its private key: a JWK (with `d`), a PKCS#8 PEM string, or a private `CryptoKey`. */
  privateKey: JWK | string | CryptoKey
  /** The key id registered with the app. Default: the JWK's `kid`. */
  kid?: string
  /** The assertion's algorithm. Default: from the key (RS256 for RSA). */
  algorithm?: string
  /**
   * The `okta.*` scopes to request, e.g. `['okta.authorizationServers.manage']`.
   * An operation needing a scope not listed fails before any request
   * (`.manage` also covers `.read`).
   */
  scopes: readonly string[]
  /** Bind the tokens to a DPoP key (for apps that require DPoP). */
  dpop?: DPoPOptions
}

/** How the management client authenticates. */
export type AdminAuth = SswsAuth | OAuthForOktaAuth

/**
 * Retries of rate-limited (429) idempotent requests. Each waits what the
 * 429 asks (`X-Rate-Limit-Reset` against its `Date`, else `Retry-After` in
 * seconds or as an HTTP date); when it asks nothing usable (absent,
 * malformed, past, or a day or more away): 1 s, 2 s, 4 s…
 */
export interface AdminRetryOptions {
  /** Retries per request. Default: 3. */
  limit?: number
  /** Longest wait the client accepts for one retry, in ms; beyond it the 429 is reported. Default: 60 000. */
  maxDelay?: number
}

/**
 * Options of `createAdminClient`. `maxResponseBytes` (from `HttpOptions`)
 * bounds every body the client reads (pages, single resources, error
 * bodies, the key set `keys.rotateAndWait` polls): 16 MiB by default
 * (`RESPONSE_LIMITS.admin`).
 */
export interface AdminClientOptions extends HttpOptions {
  /** The org's base URL, e.g. `https://example.okta.com`. */
  orgUrl: string | URL
  /** SSWS token or OAuth for Okta. */
  auth: AdminAuth
  /** Most requests in flight at once (the org limits concurrent requests). Default: 10. */
  concurrency?: number
  /** Retries of rate-limited idempotent requests. */
  retry?: AdminRetryOptions
  /** Called with the rate-limit headers of every response that has them. */
  onRateLimit?: (info: RateLimitInfo) => void
}

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

interface HeldToken {
  value: string
  expiresAt: number
  scopes: Set<string>
}

const ISSUED_EARLY_MS = 60_000

/** What an `Authorization` header value may hold here: visible ASCII, no spaces or controls. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/

/**
 * Tags an API request on its way through the core client so the transport's
 * fetch can keep the response it got; removed before the request is sent.
 */
const CALL_HEADER = 'x-okta-oauth-kit-admin-call'

/** Whether `scopes` cover `scope` (`.manage` covers `.read`; the empty scope is always covered). */
function covers(scopes: Iterable<string>, scope: string): boolean {
  if (scope === '') return true
  const set = new Set(scopes)
  return set.has(scope) || (scope.endsWith('.read') && set.has(scope.replace(/\.read$/, '.manage')))
}

/**
 * The `AdminScopeError` for a token request the org refused with
 * `invalid_scope` (the app lacks an `okta.*` grant, or a scope is unknown),
 * naming the scopes asked for; undefined for any other failure.
 */
function refusedScopes(
  op: Operation,
  scopes: readonly string[],
  err: unknown,
): AdminScopeError | undefined {
  if (!(err instanceof OAuthResponseError) || err.error !== 'invalid_scope') return undefined
  return new AdminScopeError(
    `${op.name}: the org refused the token request for ${scopes.join(' ')} (invalid_scope); grant those scopes to the app`,
    {
      code: 'ERR_SCOPE_NOT_GRANTED',
      requiredScope: op.scope,
      scopes: [...scopes],
      // The OAuth error without the server's free text (error_description can say anything).
      cause: new OAuthResponseError(undefined, { error: err.error, status: err.status }),
    },
  )
}

/** @internal The transport shared by every resource of one admin client. */
export class AdminTransport {
  readonly orgUrl: URL
  /** The largest body read, in bytes (`maxResponseBytes`, default `RESPONSE_LIMITS.admin`). */
  readonly maxResponseBytes: number
  readonly #options: AdminClientOptions
  readonly #limit: Semaphore
  readonly #retryLimit: number
  readonly #maxDelay: number
  readonly #fetch: FetchLike
  readonly #client: Client | undefined
  /** Responses the core client got for tagged API requests, by tag (see {@link CALL_HEADER}). */
  readonly #captured = new Map<string, Response>()
  #calls = 0
  #token: HeldToken | undefined
  #pendingToken: Promise<HeldToken> | undefined
  /** The rate-limit headers of the last response that had them. */
  rateLimit: RateLimitInfo | undefined

  constructor(options: AdminClientOptions) {
    const url = parseUrl(options.orgUrl, 'orgUrl')
    assertSecureUrl(url, 'orgUrl', options.allowInsecureRequests)
    if (url.pathname !== '/' || url.search || url.hash) {
      throw new InvalidOptionError('orgUrl must be the org origin, e.g. https://example.okta.com')
    }
    const auth = options.auth as AdminAuth | undefined
    if (auth?.type === 'ssws') {
      // A header value with control characters makes fetch throw a message
      // that quotes the value: refuse it here, without echoing it.
      if (typeof auth.token !== 'string' || !VISIBLE_ASCII.test(auth.token)) {
        throw new InvalidOptionError(
          'auth.token must be a non-empty SSWS API token (visible ASCII characters only)',
        )
      }
    } else if (auth?.type === 'oauth') {
      if (typeof auth.clientId !== 'string' || auth.clientId.length === 0) {
        throw new InvalidOptionError('auth.clientId must be a non-empty string')
      }
      if (
        !Array.isArray(auth.scopes) ||
        auth.scopes.length === 0 ||
        !auth.scopes.every((s) => typeof s === 'string' && /^\S+$/.test(s))
      ) {
        throw new InvalidOptionError('auth.scopes must list the okta.* scopes to request')
      }
      const key = auth.privateKey as unknown
      if (!key || (typeof key !== 'string' && typeof key !== 'object')) {
        throw new InvalidOptionError(
          'auth.privateKey must be a private JWK, a PKCS#8 PEM string or a private CryptoKey',
        )
      }
    } else {
      throw new InvalidOptionError("auth must be { type: 'ssws', token } or { type: 'oauth', … }")
    }
    const limit = options.retry?.limit ?? 3
    if (!Number.isInteger(limit) || limit < 0) {
      throw new InvalidOptionError('retry.limit must be a non-negative integer')
    }
    const maxDelay = options.retry?.maxDelay ?? 60_000
    if (typeof maxDelay !== 'number' || Number.isNaN(maxDelay) || maxDelay < 0) {
      throw new InvalidOptionError('retry.maxDelay must be a non-negative number of milliseconds')
    }
    if (options.onRateLimit !== undefined && typeof options.onRateLimit !== 'function') {
      throw new InvalidOptionError('onRateLimit must be a function')
    }
    this.maxResponseBytes = responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.admin)
    this.orgUrl = url
    this.#options = options
    this.#limit = new Semaphore(options.concurrency ?? 10)
    this.#retryLimit = limit
    this.#maxDelay = maxDelay
    this.#fetch = resolveFetch(options)
    // Created now so a bad DPoP key pair or key option fails here, not at the first call.
    if (auth.type === 'oauth') this.#client = this.#createClient(auth)
  }

  /**
   * The core client that gets tokens and signs API calls (Bearer or DPoP).
   * Its fetch keeps the response of each tagged API request: the core client
   * rejects a response carrying a `WWW-Authenticate` challenge (Okta sends one
   * with 401 `invalid_token` and 403 `insufficient_scope`), but the transport
   * needs that response itself, to retry a 401 with a fresh token and to map
   * the Okta error body and rate-limit headers.
   */
  #createClient(auth: OAuthForOktaAuth): Client {
    const base = this.#fetch
    const captured = this.#captured
    const fetchWithCapture: FetchLike = async (input, init) => {
      const headers = new Headers(init?.headers)
      const tag = headers.get(CALL_HEADER)
      if (tag === null) return base(input, init)
      headers.delete(CALL_HEADER)
      const response = await base(input, { ...init, headers })
      captured.set(tag, response)
      return response
    }
    return createClient(
      {
        issuer: this.orgUrl.origin,
        token_endpoint: new URL('/oauth2/v1/token', this.orgUrl).href,
      },
      {
        clientId: auth.clientId,
        auth: {
          method: 'private_key_jwt',
          key: auth.privateKey,
          ...(auth.kid !== undefined && { kid: auth.kid }),
          ...(auth.algorithm !== undefined && { algorithm: auth.algorithm }),
        },
        ...(auth.dpop && { dpop: auth.dpop }),
        fetch: fetchWithCapture,
        ...(this.#options.timeout !== undefined && { timeout: this.#options.timeout }),
        ...(this.#options.allowInsecureRequests && { allowInsecureRequests: true }),
      },
    )
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
      const token = await this.#credential(op, options)
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
        if (this.#token?.value === token.value) this.#token = undefined
        response.body?.cancel().catch(() => {})
        continue
      }
      if (response.status === 429 && op.idempotent && retries < this.#retryLimit) {
        const delay = retryDelay(response.headers, retries)
        if (delay <= this.#maxDelay) {
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
    const timeout = options.timeout ?? this.#options.timeout ?? DEFAULT_TIMEOUT
    const client = this.#client
    const fetchImpl =
      token && client
        ? async (input: Request | URL | string, init?: RequestInit) => {
            // Through the core client: Bearer, or DPoP with a proof per request.
            const request = new Request(input, init)
            const h = new Headers(request.headers)
            h.delete('authorization')
            const tag = String(++this.#calls)
            h.set(CALL_HEADER, tag)
            const body = request.body ? await request.arrayBuffer() : null
            try {
              return await client.fetchProtected(token.value, request.url, {
                method: request.method,
                headers: h,
                body,
                timeout,
                signal: request.signal,
              })
            } catch (err) {
              // A WWW-Authenticate challenge: answer with the response itself.
              const response = this.#captured.get(tag)
              if (response && err instanceof OAuthResponseError) return response
              throw err
            } finally {
              this.#captured.delete(tag)
            }
          }
        : this.#fetch
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

  /** The OAuth token for this request, checked against the operation's scope. */
  async #credential(op: Operation, options: CallOptions): Promise<HeldToken | undefined> {
    const auth = this.#options.auth
    if (auth.type !== 'oauth') return undefined
    let token: HeldToken
    try {
      token = await this.#accessToken(options)
    } catch (err) {
      throw refusedScopes(op, auth.scopes, err) ?? err
    }
    if (!covers(token.scopes, op.scope)) {
      throw new AdminScopeError(
        `${op.name} needs the scope ${op.scope}, which the issued token does not carry`,
        { code: 'ERR_SCOPE_NOT_GRANTED', requiredScope: op.scope },
      )
    }
    return token
  }

  /** A cached token, renewed shortly before expiry; one request for any number of callers. */
  #accessToken(options: CallOptions): Promise<HeldToken> {
    const held = this.#token
    if (held && held.expiresAt - ISSUED_EARLY_MS > Date.now()) return Promise.resolve(held)
    const auth = this.#options.auth as OAuthForOktaAuth
    const client = this.#client!
    this.#pendingToken ??= (async () => {
      const tokens = await client.clientCredentials({ scope: auth.scopes.join(' ') })
      // It goes into an Authorization header: a value a header cannot carry would
      // make fetch throw an error quoting it. Refused here, without echoing it.
      if (!VISIBLE_ASCII.test(tokens.accessToken)) {
        throw new InvalidResponseError(
          'the token endpoint returned an access token a header cannot carry (visible ASCII characters only)',
        )
      }
      // Without `scope` in the response, the server granted what was asked (RFC 6749 §5.1).
      const granted = tokens.scope ? tokens.scope.split(' ').filter(Boolean) : [...auth.scopes]
      const token: HeldToken = {
        value: tokens.accessToken,
        expiresAt: (tokens.expiresAt ?? Math.floor(Date.now() / 1000) + 300) * 1000,
        scopes: new Set(granted),
      }
      this.#token = token
      return token
    })().finally(() => {
      this.#pendingToken = undefined
    })
    return raceAbort(this.#pendingToken, options.signal, 'token request')
  }
}
