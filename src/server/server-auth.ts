import { decodeJwt } from 'jose'
import {
  AuthorizationResponseError,
  CallbackError,
  HttpCallbackError,
  InvalidOptionError,
  NetworkError,
  OAuthResponseError,
  OktaOAuthError,
  TimeoutError,
  TokenValidationError,
} from '../errors.js'
import type { IdTokenClaims } from '../jwt/id-token.js'
import { encodeBase64url, randomBase64url } from '../lib/base64url.js'
import type { CallOptions } from '../lib/http.js'
import { checkReturnTo } from '../lib/return-to.js'
import { isSecureUrl } from '../lib/url.js'
import type {
  AuthorizationRequest,
  AuthorizationTransaction,
} from '../oauth/authorization-request.js'
import type { Client } from '../oauth/client.js'
import type { TokenSet } from '../oauth/token-set.js'
import {
  type CookieAttributes,
  isWebRequest,
  mediaType,
  method,
  queryOf,
  readCookies,
  readFormBody,
  type ServerRequest,
  serializeCookie,
} from './http.js'
import { deriveKeys, seal, secretBytes, unseal } from './seal.js'

/**
 * A transaction as the server keeps it between {@link ServerAuth.login} and
 * {@link ServerAuth.callback}: the core transaction (state, nonce, PKCE
 * verifier, redirect URI, …), where to go afterwards, and a one-use id.
 */
export interface ServerTransaction {
  /** A random id; a {@link TransactionStore} keys the transaction by it. */
  id: string
  /** The core transaction from {@link Client.authorizationUrl}. */
  transaction: AuthorizationTransaction
  /** The same-origin path to send the user to after sign-in. */
  returnTo: string
}

/**
 * Where transactions live when not in the cookie itself, e.g. Redis or a
 * database shared by every instance of the app. `take` must get and delete
 * atomically: that is what makes a transaction usable once across processes.
 *
 * @example
 * ```ts
 * import type { ServerTransaction, TransactionStore } from 'okta-oauth-kit/server'
 * declare const redis: {
 *   set(k: string, v: string, o: { PX: number }): Promise<unknown>
 *   getDel(k: string): Promise<string | null>
 * }
 * const store: TransactionStore = {
 *   set: async (key, txn, ttlMs) => void (await redis.set(`txn:${key}`, JSON.stringify(txn), { PX: ttlMs })),
 *   take: async (key) => {
 *     const value = await redis.getDel(`txn:${key}`)
 *     return value === null ? undefined : (JSON.parse(value) as ServerTransaction)
 *   },
 * }
 * ```
 */
export interface TransactionStore {
  /** Keep `txn` under `key` for `ttlMs` milliseconds. */
  set(key: string, txn: ServerTransaction, ttlMs: number): Promise<void> | void
  /** Return the transaction under `key` and delete it (one use); `undefined` if absent or expired. */
  take(key: string): Promise<ServerTransaction | undefined> | ServerTransaction | undefined
}

/** What a session holds: the tokens of the signed-in user. Times are epoch seconds. */
export interface SessionData {
  /** The access token. */
  accessToken: string
  /** `Bearer` or `DPoP`. */
  tokenType: string
  /** When the access token expires, epoch seconds. */
  expiresAt?: number
  /** The granted scopes. */
  scope?: string
  /** The refresh token, with `offline_access`. */
  refreshToken?: string
  /** The ID token (validated at sign-in). */
  idToken?: string
}

/** A session as {@link ServerSession.read} returns it: the tokens and the ID token's claims. */
export interface Session extends SessionData {
  /** The ID token's claims (validated at sign-in or refresh, read back from the sealed cookie). */
  idTokenClaims?: IdTokenClaims
}

/**
 * Where sessions live when they do not fit in a cookie (large ID tokens,
 * many claims) or must be revocable server side. The cookie then holds only
 * a sealed, random session id: {@link ServerAuth.logout} (and a refresh,
 * which moves the session to a new id) deletes the stored session, so a copy
 * of the old cookie reads as signed out everywhere.
 *
 * @example
 * ```ts
 * import type { SessionData, SessionStore } from 'okta-oauth-kit/server'
 * declare const redis: {
 *   get(k: string): Promise<string | null>
 *   set(k: string, v: string, o: { PX: number }): Promise<unknown>
 *   del(k: string): Promise<unknown>
 * }
 * const sessions: SessionStore = {
 *   get: async (id) => {
 *     const value = await redis.get(`session:${id}`)
 *     return value === null ? undefined : (JSON.parse(value) as SessionData)
 *   },
 *   set: async (id, data, ttlMs) => void (await redis.set(`session:${id}`, JSON.stringify(data), { PX: ttlMs })),
 *   delete: async (id) => void (await redis.del(`session:${id}`)),
 * }
 * ```
 */
export interface SessionStore {
  /** The session under `id`, or `undefined`. */
  get(id: string): Promise<SessionData | undefined> | SessionData | undefined
  /** Keep `data` under `id` for `ttlMs` milliseconds. */
  set(id: string, data: SessionData, ttlMs: number): Promise<void> | void
  /** Forget the session: a cookie naming `id` is dead from now on. */
  delete(id: string): Promise<void> | void
}

/** Cookie settings of {@link ServerAuthOptions}. */
export interface ServerCookieOptions {
  /** Base name of the transaction cookies (one per sign-in attempt). Default: `okta-txn`. */
  transactionName?: string
  /** Name of the session cookie. Default: `okta-session`. */
  sessionName?: string
  /** `Path` of both cookies. Default: `/` (needed for the `__Host-` prefix). */
  path?: string
}

/** Options of {@link createServerAuth}. */
export interface ServerAuthOptions {
  /**
   * The app's secret: a string of at least 32 characters or at least 32
   * bytes. Two keys are derived from it with HKDF-SHA-256, one for the
   * transaction cookies and one for the session cookie. Changing it signs
   * everyone out.
   */
  secret: string | Uint8Array
  /**
   * The callback URL registered for the client. `https:`, or `http:` on a
   * loopback host (`localhost`, `127.0.0.1`, `[::1]`) for development.
   */
  redirectUri: string
  /** Where the server sends the user after logout; must be registered. Default: the client's, else none. */
  postLogoutRedirectUri?: string
  /** Scopes of {@link ServerAuth.login}. Default: `openid profile email offline_access`. */
  scope?: string
  /** How the server returns the response: `form_post` (default: codes never sit in URLs or logs) or `query`. */
  responseMode?: 'form_post' | 'query'
  /** Push authorization requests (PAR, RFC 9126). Default: false. */
  par?: boolean
  /**
   * How long a sign-in may take, in ms. Default: 600 000 (10 min). Keep it at
   * most the client's own `transactionTtl` (the same default).
   */
  transactionTtl?: number
  /**
   * How many sign-ins one browser may have pending at once (one transaction
   * cookie each). When {@link ServerAuth.login} is given the request, the
   * oldest beyond this number, and beyond 6 KiB of transaction cookies in
   * all, are deleted (`Max-Age=0`) in the same response; their callbacks then
   * fail with `ERR_STATE_MISMATCH` (or `ERR_TRANSACTION_MISSING`). Default: 5.
   */
  maxPendingTransactions?: number
  /** How long the session cookie lives, in ms (refresh tokens keep it useful). Default: 7 days. */
  sessionTtl?: number
  /** Refresh when the access token expires within this many ms. Default: 60 000. */
  refreshMargin?: number
  /** The largest callback body accepted, in bytes. Default: 16 384. */
  maxBodyBytes?: number
  /** Cookie names and path. */
  cookies?: ServerCookieOptions
  /**
   * Keep transactions in a store (shared by every instance) instead of the
   * cookie. Default: the sealed cookie carries the transaction, and one use
   * is enforced per process (see {@link ServerAuth.callback}).
   */
  transactionStore?: TransactionStore
  /**
   * Keep sessions in a store; the cookie then carries only a sealed session
   * id, and {@link ServerAuth.logout} deletes the stored session, so a copy
   * of the cookie taken before logout is dead. Default: the cookie itself.
   *
   * > [!WARNING]
   * > Without a store, logout can only ask the browser to drop the cookie: a
   * > copy taken before (by malware, a shared machine, a logged request)
   * > still decrypts, and {@link ServerSession.read} returns it until it
   * > expires (`sessionTtl`, 7 days by default). Its tokens were revoked at
   * > logout (best effort), so a refresh fails with `invalid_grant` and APIs
   * > refuse the access token, but `read()` does not ask the server. Use a
   * > store (or a short `sessionTtl`) when logout must end the session.
   */
  sessionStore?: SessionStore
  /** The clock, ms since the epoch. Default: `Date.now`. */
  now?: () => number
}

/** Parameters of {@link ServerAuth.login}: an authorization request, plus where to return. */
export interface LoginParameters
  extends Omit<AuthorizationRequest, 'responseMode' | 'responseType' | 'redirectUri'> {
  /**
   * A same-origin path to send the user to after sign-in, e.g. `/orders?page=2`.
   * Refused (`InvalidOptionError`): absolute URLs, `//host`, backslashes,
   * control characters (browsers drop TAB, CR and LF, so `/\t/evil.example`
   * is `//evil.example`), the same once percent-decoded (`/%09/`, `/%2F`),
   * and more than 2048 characters. Default: `/`.
   */
  returnTo?: string
}

/** The answer to send for {@link ServerAuth.login} or {@link ServerAuth.logout}: a redirect with cookies. */
export interface RedirectResult {
  /** Where to send the browser. */
  url: URL
  /** `Set-Cookie` header values to send with the redirect. */
  cookies: string[]
  /** The 302 `Response` (Web frameworks): `Location`, the cookies, `Cache-Control: no-store`. */
  response(): Response
}

/** What {@link ServerAuth.callback} resolves to. */
export interface CallbackOutcome {
  /** The validated tokens. */
  tokens: TokenSet
  /** The same-origin path given to {@link ServerAuth.login}. */
  returnTo: string
  /** `Set-Cookie` values: clear the transaction cookie, set the session cookie. */
  cookies: string[]
  /** A 302 `Response` to `returnTo` with the cookies. */
  response(): Response
}

/** What {@link ServerSession.refresh} and {@link ServerAuth.password} resolve to. */
export interface SessionUpdate {
  /** The session, possibly refreshed. */
  session: Session
  /** Whether new tokens were fetched. */
  refreshed: boolean
  /** `Set-Cookie` values to send (empty when nothing changed). */
  cookies: string[]
}

/** Options of {@link ServerSession.refresh}. */
export interface RefreshSessionOptions extends CallOptions {
  /** Refresh even if the access token is not near its expiry. */
  force?: boolean
}

/** Options of {@link ServerAuth.logout}. */
export interface LogoutOptions extends CallOptions {
  /** Returned unchanged to the post-logout redirect URI. */
  state?: string
  /** Where to send the user when there is no session (no ID token to end one). Default: `postLogoutRedirectUri`, else `/`. */
  fallbackUrl?: string
}

/** Session helpers of {@link ServerAuth}. */
export interface ServerSession {
  /**
   * Read the signed-in user's session from the request's cookie.
   *
   * @param request - A Web `Request`, a Node request, or a `Cookie` header value.
   * @returns The session, or `undefined` when there is none or the cookie is expired or not ours.
   */
  read(request: ServerRequest | string): Promise<Session | undefined>
  /**
   * Refresh the session's tokens when the access token is within
   * `refreshMargin` of its expiry (or with `force`), and re-seal the cookie.
   * Without a refresh token the session is returned unchanged.
   *
   * @param request - A Web `Request`, a Node request, or a `Cookie` header value.
   * @param options - `force`, signal and timeout.
   * @returns The session and cookies to send, or `undefined` without a session.
   * Rejects like `Client.refresh`: `invalid_grant` means the user must sign in again.
   */
  refresh(
    request: ServerRequest | string,
    options?: RefreshSessionOptions,
  ): Promise<SessionUpdate | undefined>
  /**
   * `Set-Cookie` values that delete the session cookie (and its stored session, with a {@link SessionStore}).
   *
   * @param request - The request, to find a stored session to delete.
   * @returns The cookies to send.
   */
  clear(request?: ServerRequest | string): Promise<string[]>
}

/** Parameters of {@link ServerAuth.password}. */
export interface PasswordSignIn {
  /** The user's login. */
  username: string
  /** The user's password. */
  password: string
  /** Scopes. Default: the `scope` option. */
  scope?: string
}

/** The server-side sign-in helpers made by {@link createServerAuth}. */
export interface ServerAuth {
  /**
   * Start a sign-in: build the authorization URL (PKCE, state, nonce) and
   * seal the transaction into a short-lived cookie named after the state, so
   * several tabs can sign in at once.
   *
   * Pass the request: its cookies show the sign-ins this browser already has
   * pending, and the oldest beyond `maxPendingTransactions` (5) or beyond
   * 6 KiB of transaction cookies are deleted in the same response. Without
   * it, every call adds a cookie that lives `transactionTtl`: a page that
   * sends the browser to `/login` again and again fills its cookie jar until
   * the app answers 431.
   *
   * @param request - The `GET /login` request (Web `Request`, Node request, or its `Cookie` header).
   * @param params - Authorization request parameters and `returnTo`.
   * @param options - signal and timeout (for the PAR push, with `par`).
   * @returns The authorize URL, the `Set-Cookie` values (the new transaction
   * cookie, then any deletions), and a 302 `Response`. Rejects with
   * `InvalidOptionError` for an unsafe `returnTo`, `AuthorizationRequestError` for a bad request.
   * @example
   * ```ts
   * import type { ServerAuth } from 'okta-oauth-kit/server'
   * declare const auth: ServerAuth
   * // GET /login?returnTo=/orders
   * async function login(request: Request): Promise<Response> {
   *   const returnTo = new URL(request.url).searchParams.get('returnTo') ?? '/'
   *   return (await auth.login(request, { returnTo })).response()
   * }
   * ```
   */
  login(
    request: ServerRequest | string,
    params?: LoginParameters,
    options?: CallOptions,
  ): Promise<RedirectResult>
  /**
   * The form without the request (kept working): the same, but older
   * pending sign-ins are not pruned, so each call adds one transaction
   * cookie. Prefer `login(request, params, options)`.
   *
   * @param params - Authorization request parameters and `returnTo`.
   * @param options - signal and timeout (for the PAR push, with `par`).
   * @returns The authorize URL, the `Set-Cookie` value, and a 302 `Response`.
   * Rejects with `InvalidOptionError` for an unsafe `returnTo`, `AuthorizationRequestError` for a bad request.
   */
  login(params?: LoginParameters, options?: CallOptions): Promise<RedirectResult>
  /**
   * Handle the authorization response at the redirect URI.
   *
   * `form_post`: only `POST` with `application/x-www-form-urlencoded`, body at most
   * `maxBodyBytes`. `query`: only `GET`. Then the transaction cookie matching
   * the response's `state` is opened (expired, forged, missing or already
   * used: a `CallbackError`), and the response is validated and exchanged
   * by the core client.
   *
   * One use: with a {@link TransactionStore}, `take` enforces it everywhere;
   * without one, the transaction id is remembered in this process until it
   * expires (the code itself is also single-use at the server).
   *
   * @param request - A Web `Request` or a Node request (`IncomingMessage`, Express `req`, Fastify `request`).
   * @param options - signal and timeout for the code exchange.
   * @returns The tokens, `returnTo`, and the cookies (clear the transaction, set the session).
   * Rejects with `CallbackError` (`ERR_CALLBACK_MALFORMED` with a `status` of 405, 413 or 415,
   * `ERR_STATE_MISMATCH`, `ERR_TRANSACTION_MISSING`, `ERR_TRANSACTION_TAMPERED`,
   * `ERR_TRANSACTION_EXPIRED`, `ERR_TRANSACTION_REUSED`, …), `AuthorizationResponseError`
   * (`access_denied`, …), and the errors of `Client.handleCallback`. See {@link toHttpResponse}.
   */
  callback(request: ServerRequest, options?: CallOptions): Promise<CallbackOutcome>
  /**
   * Sign out: revoke the refresh and access tokens (best effort: failures are
   * ignored), delete the session cookie (and, with a {@link SessionStore},
   * the stored session, so a copy of the cookie is dead too), and redirect
   * to the server's logout endpoint with the ID token as hint.
   *
   * @param request - The request carrying the session cookie.
   * @param options - `state`, the fallback URL without a session, signal and timeout for revocation.
   * @returns The logout URL, the cookies, and a 302 `Response`.
   */
  logout(request: ServerRequest | string, options?: LogoutOptions): Promise<RedirectResult>
  /**
   * Sign in with the resource owner password grant and make a session.
   *
   * > [!WARNING]
   * > Legacy: the app sees the password and MFA cannot be prompted. For
   * > trusted first-party back ends and test tooling only; prefer {@link ServerAuth.login}.
   *
   * @param params - Username, password, scope.
   * @param options - signal and timeout.
   * @returns The session and the session cookie. Rejects like `Client.password` (`invalid_grant` for wrong credentials).
   */
  password(params: PasswordSignIn, options?: CallOptions): Promise<SessionUpdate>
  /** Read, refresh and clear the session. */
  readonly session: ServerSession
  /** The client the helpers use. */
  readonly client: Client
}

/** Browsers refuse cookies larger than this (name, value and attributes). */
const MAX_COOKIE = 4096
/** Pending sign-ins kept per browser by default (see `maxPendingTransactions`). */
const MAX_PENDING = 5
/** The most transaction cookies may add to a `Cookie` header, in bytes. */
const MAX_PENDING_BYTES = 6 * 1024
/** Transaction cookies of a request looked at when pruning; an honest browser has at most a few. */
const MAX_EXAMINED = 32
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/

/**
 * Create the server-side sign-in helpers for a confidential client:
 * {@link ServerAuth.login}, {@link ServerAuth.callback}, {@link ServerAuth.logout},
 * {@link ServerAuth.session} and the legacy {@link ServerAuth.password}.
 *
 * Cookies: transaction cookies are sealed with `EncryptJWT` (`dir`,
 * `A256GCM`), `HttpOnly`, `Max-Age` = `transactionTtl`, one per sign-in
 * attempt; with `form_post` they are `Secure; SameSite=None` (the callback is
 * a cross-site POST; browsers accept `Secure` cookies on `http://localhost`),
 * with `query` `SameSite=Lax`. The session cookie is `HttpOnly; SameSite=Lax`.
 * Both are `Secure` with the `__Host-` prefix when the redirect URI is
 * `https:` and the path is `/`.
 *
 * The session cookie holds the access, refresh and ID tokens, sealed. When
 * it would exceed 4 KB, sealing throws `InvalidOptionError`
 * (`ERR_SESSION_TOO_LARGE`): pass a {@link SessionStore}.
 *
 * @param client - A confidential client of the authorization server (`createClient`).
 * @param options - Secret, redirect URI, response mode, lifetimes, stores.
 * @returns The helpers. Throws `InvalidOptionError` for bad options (a secret under 32 bytes, an `http:` redirect URI off loopback, …).
 * @example
 * ```ts
 * import { createClient, discover } from 'okta-oauth-kit'
 * import { createServerAuth } from 'okta-oauth-kit/server'
 * const client = createClient(await discover('https://example.okta.com/oauth2/default'), {
 *   clientId: '0oa1example',
 *   auth: { method: 'client_secret_basic', clientSecret: process.env.CLIENT_SECRET! },
 * })
 * const auth = createServerAuth(client, {
 *   secret: process.env.COOKIE_SECRET!,
 *   redirectUri: 'https://app.example.com/callback',
 *   postLogoutRedirectUri: 'https://app.example.com/',
 * })
 * // GET /login
 * const login = async (request: Request) => (await auth.login(request, { returnTo: '/orders' })).response()
 * // POST /callback
 * const callback = async (request: Request) => (await auth.callback(request)).response()
 * ```
 */
export function createServerAuth(client: Client, options: ServerAuthOptions): ServerAuth {
  if (typeof client?.authorizationUrl !== 'function') {
    throw new InvalidOptionError('client must be a Client (see createClient)')
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options must be an object with secret and redirectUri')
  }
  const keys = deriveKeys(secretBytes(options.secret))
  let redirect: URL
  try {
    redirect = new URL(options.redirectUri)
  } catch {
    throw new InvalidOptionError('redirectUri must be an absolute URL')
  }
  const https = redirect.protocol === 'https:'
  if (!isSecureUrl(redirect)) {
    throw new InvalidOptionError(
      'redirectUri must be https:, or http: on a loopback host for development',
      { code: 'ERR_INSECURE_URL' },
    )
  }
  const mode = options.responseMode ?? 'form_post'
  if (mode !== 'form_post' && mode !== 'query') {
    throw new InvalidOptionError('responseMode must be form_post or query')
  }
  const positive = (value: number | undefined, name: string, fallback: number): number => {
    if (value === undefined) return fallback
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new InvalidOptionError(`${name} must be a positive number`)
    }
    return value
  }
  const transactionTtl = positive(options.transactionTtl, 'transactionTtl', 600_000)
  const sessionTtl = positive(options.sessionTtl, 'sessionTtl', 7 * 24 * 3600_000)
  const refreshMargin = positive(options.refreshMargin, 'refreshMargin', 60_000)
  const maxPending = options.maxPendingTransactions ?? MAX_PENDING
  if (!Number.isInteger(maxPending) || maxPending < 1) {
    throw new InvalidOptionError('maxPendingTransactions must be a positive integer')
  }
  const maxBodyBytes = positive(options.maxBodyBytes, 'maxBodyBytes', 16 * 1024)
  const path = options.cookies?.path ?? '/'
  if (!path.startsWith('/') || /[;\s]/.test(path)) {
    throw new InvalidOptionError('cookies.path must be a path starting with /')
  }
  for (const name of [options.cookies?.transactionName, options.cookies?.sessionName]) {
    if (name !== undefined && !COOKIE_NAME.test(name)) {
      throw new InvalidOptionError('cookie names must be non-empty cookie tokens')
    }
  }
  const hostPrefix = https && path === '/' ? '__Host-' : ''
  const txnBase = `${hostPrefix}${options.cookies?.transactionName ?? 'okta-txn'}`
  const sessionName = `${hostPrefix}${options.cookies?.sessionName ?? 'okta-session'}`
  const txnAttrs: CookieAttributes = {
    maxAge: Math.ceil(transactionTtl / 1000),
    path,
    secure: https || mode === 'form_post',
    sameSite: mode === 'form_post' ? 'None' : 'Lax',
  }
  const sessionAttrs: CookieAttributes = {
    maxAge: Math.ceil(sessionTtl / 1000),
    path,
    secure: https,
    sameSite: 'Lax',
  }
  const scope = options.scope ?? 'openid profile email offline_access'
  const now = options.now ?? Date.now
  const postLogout = options.postLogoutRedirectUri
  if (postLogout !== undefined) {
    try {
      new URL(postLogout)
    } catch {
      throw new InvalidOptionError('postLogoutRedirectUri must be an absolute URL')
    }
  }
  const used = new UsedIds()

  const txnCookieName = async (state: string) => `${txnBase}.${(await sha256(state)).slice(0, 16)}`
  const isTxnCookie = (name: string) =>
    name.startsWith(`${txnBase}.`) && /^[\w-]{16}$/.test(name.slice(txnBase.length + 1))
  const appOrigin = redirect.origin

  /**
   * The transaction cookies of `request` to delete so that, with one more of
   * `adding` bytes, at most `maxPending` remain within MAX_PENDING_BYTES:
   * expired and foreign ones first, then the oldest (by `iat`, then by their
   * place in the header: browsers send older cookies first, RFC 6265 §5.4).
   */
  async function prune(request: ServerRequest | string, adding: number): Promise<string[]> {
    const found = [...readCookies(request)].filter(([name]) => isTxnCookie(name))
    const { transaction: key } = await keys()
    const t = now()
    const live: { name: string; bytes: number; iat: number; at: number }[] = []
    const drop: string[] = []
    for (const [at, [name, value]] of found.entries()) {
      if (at >= MAX_EXAMINED) break
      const opened = await unseal(value, key, 'transaction', t)
      const iat = opened.ok ? opened.payload.iat : undefined
      if (typeof iat === 'number')
        live.push({ name, bytes: name.length + value.length + 3, iat, at })
      else drop.push(name)
    }
    // Newest first; keep while both bounds hold with the new cookie counted.
    live.sort((a, b) => b.iat - a.iat || b.at - a.at)
    let count = 1
    let bytes = adding
    for (const cookie of live) {
      if (count < maxPending && bytes + cookie.bytes <= MAX_PENDING_BYTES) {
        count++
        bytes += cookie.bytes
      } else {
        drop.push(cookie.name)
      }
    }
    return drop.map((name) => serializeCookie(name, '', { ...txnAttrs, maxAge: 0 }))
  }

  async function login(
    first?: ServerRequest | string | LoginParameters,
    second?: LoginParameters | CallOptions,
    third?: CallOptions,
  ): Promise<RedirectResult> {
    const seen = isRequestLike(first)
    const params = ((seen ? second : first) ?? {}) as LoginParameters
    const call = (seen ? third : second) as CallOptions | undefined
    const { returnTo = '/', ...request } = params
    checkReturnTo(returnTo, appOrigin)
    const { url, transaction } = await client.authorizationUrl(
      {
        scope,
        ...request,
        responseType: 'code',
        responseMode: mode,
        redirectUri: options.redirectUri,
      },
      { ...call, ...(options.par && { par: true }) },
    )
    const id = randomId()
    const t = now()
    const record: ServerTransaction = { id, transaction, returnTo }
    let payload: Record<string, unknown>
    if (options.transactionStore) {
      await options.transactionStore.set(id, record, transactionTtl)
      payload = { jti: id, state: transaction.state }
    } else {
      payload = { jti: id, state: transaction.state, txn: record }
    }
    const { transaction: key } = await keys()
    const value = await seal(payload, key, 'transaction', t, t + transactionTtl)
    const name = await txnCookieName(transaction.state)
    const cookies = [serializeCookie(name, value, txnAttrs)]
    if (seen) cookies.push(...(await prune(first, name.length + value.length + 3)))
    return redirectResult(url, cookies)
  }

  async function openTransaction(
    request: ServerRequest,
    state: string,
  ): Promise<ServerTransaction> {
    const cookies = readCookies(request)
    const name = await txnCookieName(state)
    const value = cookies.get(name)
    if (value === undefined) {
      const others = [...cookies.keys()].some((n) => n.startsWith(`${txnBase}.`))
      throw others
        ? new CallbackError('the response state matches none of the pending sign-ins', {
            code: 'ERR_STATE_MISMATCH',
            parameter: 'state',
          })
        : new CallbackError(
            'no sign-in transaction cookie came with the callback (expired, blocked, or sign-in not started here)',
            { code: 'ERR_TRANSACTION_MISSING', parameter: 'transaction' },
          )
    }
    const { transaction: key } = await keys()
    const t = now()
    const opened = await unseal(value, key, 'transaction', t)
    if (!opened.ok) {
      throw opened.reason === 'expired'
        ? new CallbackError('the sign-in transaction has expired', {
            code: 'ERR_TRANSACTION_EXPIRED',
            parameter: 'transaction',
          })
        : tampered()
    }
    const { jti, state: sealedState, exp } = opened.payload
    if (typeof jti !== 'string' || typeof sealedState !== 'string' || typeof exp !== 'number') {
      throw tampered()
    }
    if (sealedState !== state) {
      throw new CallbackError('the response state is not the transaction state', {
        code: 'ERR_STATE_MISMATCH',
        parameter: 'state',
      })
    }
    let record: ServerTransaction | undefined
    if (options.transactionStore) {
      record = await options.transactionStore.take(jti)
      if (record === undefined) {
        throw new CallbackError(
          'the sign-in transaction was already used (or is no longer stored)',
          { code: 'ERR_TRANSACTION_REUSED', parameter: 'transaction' },
        )
      }
    } else {
      if (!used.consume(jti, exp * 1000, t)) {
        throw new CallbackError('the sign-in transaction was already used', {
          code: 'ERR_TRANSACTION_REUSED',
          parameter: 'transaction',
        })
      }
      record = opened.payload.txn as ServerTransaction | undefined
    }
    if (
      typeof record !== 'object' ||
      record === null ||
      record.id !== jti ||
      typeof record.returnTo !== 'string' ||
      record.transaction?.state !== state
    ) {
      throw tampered()
    }
    return record
  }

  async function callback(request: ServerRequest, call?: CallOptions): Promise<CallbackOutcome> {
    if (request === null || typeof request !== 'object') {
      throw new HttpCallbackError('the callback must be a Request or a Node request', {
        status: 400,
      })
    }
    const verb = method(request)
    let params: URLSearchParams
    if (mode === 'form_post') {
      if (verb !== 'POST') {
        throw new HttpCallbackError(`a form_post callback must be a POST, not ${safeToken(verb)}`, {
          status: 405,
          allow: 'POST',
        })
      }
      if (mediaType(request) !== 'application/x-www-form-urlencoded') {
        throw new HttpCallbackError(
          'a form_post callback must be application/x-www-form-urlencoded',
          { status: 415 },
        )
      }
      params = await readFormBody(request, maxBodyBytes)
    } else {
      if (verb !== 'GET') {
        throw new HttpCallbackError(`a query callback must be a GET, not ${safeToken(verb)}`, {
          status: 405,
          allow: 'GET',
        })
      }
      params = queryOf(request)
    }
    const states = params.getAll('state')
    if (states.length !== 1 || !states[0]) {
      throw new CallbackError(
        states.length > 1 ? 'parameter state appears more than once' : 'the response has no state',
        {
          code: states.length > 1 ? 'ERR_CALLBACK_MALFORMED' : 'ERR_STATE_MISMATCH',
          parameter: 'state',
        },
      )
    }
    const state = states[0]
    const record = await openTransaction(request, state)
    const cleared = serializeCookie(await txnCookieName(state), '', { ...txnAttrs, maxAge: 0 })
    // The core client takes what the response mode delivers: a POST body's
    // parameters for form_post, a URL for query.
    const input = mode === 'form_post' ? params : new URL(`?${params}`, options.redirectUri)
    const result = await client.handleCallback(input, record.transaction, call)
    if (result.accessToken === undefined) {
      throw new CallbackError('the response carries no access token', {
        code: 'ERR_RESPONSE_TYPE_MISMATCH',
      })
    }
    const tokens = result as TokenSet
    const cookies = [cleared, ...(await writeSession(toSessionData(tokens)))]
    const returnTo = record.returnTo
    return {
      tokens,
      returnTo,
      cookies,
      response: () => redirect302(returnTo, cookies),
    }
  }

  async function writeSession(data: SessionData): Promise<string[]> {
    const { session: key } = await keys()
    const t = now()
    let payload: Record<string, unknown>
    if (options.sessionStore) {
      const id = randomId()
      await options.sessionStore.set(id, data, sessionTtl)
      payload = { sid: id }
    } else {
      payload = { s: data }
    }
    const value = await seal(payload, key, 'session', t, t + sessionTtl)
    const cookie = serializeCookie(sessionName, value, sessionAttrs)
    if (new TextEncoder().encode(cookie).byteLength > MAX_COOKIE) {
      throw new InvalidOptionError(
        'the sealed session is larger than a browser keeps in one cookie (4 KB): pass a sessionStore',
        { code: 'ERR_SESSION_TOO_LARGE' },
      )
    }
    return [cookie]
  }

  async function readSession(
    request: ServerRequest | string,
  ): Promise<{ data: SessionData; sid?: string } | undefined> {
    const value = readCookies(request).get(sessionName)
    if (!value) return undefined
    const { session: key } = await keys()
    const opened = await unseal(value, key, 'session', now())
    if (!opened.ok) return undefined
    const { sid, s } = opened.payload as { sid?: unknown; s?: unknown }
    if (options.sessionStore) {
      if (typeof sid !== 'string') return undefined
      const data = await options.sessionStore.get(sid)
      return isSessionData(data) ? { data, sid } : undefined
    }
    return isSessionData(s) ? { data: s } : undefined
  }

  const session: ServerSession = {
    async read(request) {
      const found = await readSession(request)
      return found && toSession(found.data)
    },
    async refresh(request, refreshOptions = {}) {
      const found = await readSession(request)
      if (!found) return undefined
      const { data } = found
      const { force = false, ...call } = refreshOptions
      const due =
        data.expiresAt === undefined || data.expiresAt * 1000 - now() <= refreshMargin || force
      if (!due || data.refreshToken === undefined) {
        return { session: toSession(data), refreshed: false, cookies: [] }
      }
      const current = toSession(data)
      const sub = current.idTokenClaims?.sub
      const fresh = await client.refresh(
        data.refreshToken,
        sub !== undefined ? { expectedSubject: sub } : {},
        call,
      )
      const next: SessionData = {
        ...toSessionData(fresh),
        ...(fresh.refreshToken === undefined && { refreshToken: data.refreshToken }),
        ...(fresh.idToken === undefined && data.idToken !== undefined && { idToken: data.idToken }),
      }
      if (found.sid !== undefined) await options.sessionStore?.delete(found.sid)
      const cookies = await writeSession(next)
      return { session: toSession(next), refreshed: true, cookies }
    },
    async clear(request) {
      if (request !== undefined && options.sessionStore) {
        const found = await readSession(request)
        if (found?.sid !== undefined) await options.sessionStore.delete(found.sid)
      }
      return [serializeCookie(sessionName, '', { ...sessionAttrs, maxAge: 0 })]
    },
  }

  async function logout(
    request: ServerRequest | string,
    logoutOptions: LogoutOptions = {},
  ): Promise<RedirectResult> {
    const { state, fallbackUrl, ...call } = logoutOptions
    const found = await readSession(request)
    const cookies = await session.clear(request)
    const data = found?.data
    if (data) {
      const revocations: Promise<void>[] = []
      if (data.refreshToken !== undefined) {
        revocations.push(client.revoke(data.refreshToken, { tokenTypeHint: 'refresh_token' }, call))
      }
      revocations.push(client.revoke(data.accessToken, { tokenTypeHint: 'access_token' }, call))
      // Best effort: the user is signed out of the app whatever the server says.
      await Promise.allSettled(revocations)
    }
    let url: URL
    if (data?.idToken !== undefined && client.metadata.end_session_endpoint !== undefined) {
      url = client.logoutUrl({
        idTokenHint: data.idToken,
        ...(postLogout !== undefined && { postLogoutRedirectUri: postLogout }),
        ...(state !== undefined && { state }),
      })
    } else {
      url = new URL(fallbackUrl ?? postLogout ?? '/', redirect)
    }
    return redirectResult(url, cookies)
  }

  async function password(params: PasswordSignIn, call?: CallOptions): Promise<SessionUpdate> {
    const tokens = await client.password(
      {
        username: params?.username,
        password: params?.password,
        scope: params?.scope ?? scope,
      },
      call,
    )
    const data = toSessionData(tokens)
    return { session: toSession(data), refreshed: true, cookies: await writeSession(data) }
  }

  return Object.freeze({ login, callback, logout, password, session, client })
}

function redirect302(location: string, cookies: readonly string[]): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' })
  for (const cookie of cookies) headers.append('set-cookie', cookie)
  return new Response(null, { status: 302, headers })
}

function redirectResult(url: URL, cookies: string[]): RedirectResult {
  return { url, cookies, response: () => redirect302(url.href, cookies) }
}

function tampered(): CallbackError {
  return new CallbackError(
    'the sign-in transaction cookie is not valid for this app (forged or altered)',
    { code: 'ERR_TRANSACTION_TAMPERED', parameter: 'transaction' },
  )
}

function safeToken(value: string): string {
  return /^[A-Z]{1,16}$/.test(value) ? value : 'that method'
}

/** A request (or a `Cookie` header), as opposed to {@link LoginParameters}, which has no `headers`. */
function isRequestLike(value: unknown): value is ServerRequest | string {
  if (typeof value === 'string' || isWebRequest(value)) return true
  const headers = (value as { headers?: unknown } | null | undefined)?.headers
  return typeof headers === 'object' && headers !== null
}

function randomId(): string {
  return randomBase64url(16)
}

async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return encodeBase64url(new Uint8Array(digest))
}

function toSessionData(tokens: TokenSet): SessionData {
  const data: SessionData = { accessToken: tokens.accessToken, tokenType: tokens.tokenType }
  if (tokens.expiresAt !== undefined) data.expiresAt = tokens.expiresAt
  if (tokens.scope !== undefined) data.scope = tokens.scope
  if (tokens.refreshToken !== undefined) data.refreshToken = tokens.refreshToken
  if (tokens.idToken !== undefined) data.idToken = tokens.idToken
  return data
}

function toSession(data: SessionData): Session {
  const session: Session = { ...data }
  if (data.idToken !== undefined) {
    // Validated when it was issued; the sealed cookie (or the store) vouches for it since.
    session.idTokenClaims = decodeJwt(data.idToken) as IdTokenClaims
  }
  return session
}

function isSessionData(value: unknown): value is SessionData {
  const v = value as Partial<SessionData> | null | undefined
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.accessToken === 'string' &&
    typeof v.tokenType === 'string'
  )
}

/** A bounded memory of used transaction ids, forgotten once they expire. */
class UsedIds {
  readonly #ids = new Map<string, number>()

  consume(id: string, expiresAt: number, now: number): boolean {
    for (const [key, until] of this.#ids) {
      if (until > now) break
      this.#ids.delete(key)
    }
    if (this.#ids.has(id)) return false
    if (this.#ids.size >= 10_000) {
      const oldest = this.#ids.keys().next().value
      if (oldest !== undefined) this.#ids.delete(oldest)
    }
    this.#ids.set(id, expiresAt)
    return true
  }
}

/** An HTTP answer for an error: the status and a short message that is safe to show. */
export interface HttpErrorAnswer {
  /** The HTTP status: 400, 401, 405, 413, 415, 500, 502 or 504. */
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
  if (err instanceof TimeoutError) return [504, 'the authorization server did not answer in time']
  // A programmer error (an SDK error too, but the app's own fault).
  if (err instanceof InvalidOptionError) return [500, 'internal error']
  if (err instanceof NetworkError || err instanceof OktaOAuthError) {
    return [502, 'the authorization server could not be reached or answered badly']
  }
  return [500, 'internal error']
}
