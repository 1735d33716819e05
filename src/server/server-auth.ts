import { CallbackError, HttpCallbackError, InvalidOptionError } from '../errors.js'
import type { CallOptions } from '../lib/http.js'
import { checkReturnTo } from '../lib/return-to.js'
import type { AuthorizationRequest } from '../oauth/authorization-request.js'
import type { Client } from '../oauth/client.js'
import type { TokenSet } from '../oauth/token-set.js'
import {
  isWebRequest,
  mediaType,
  method,
  queryOf,
  readFormBody,
  type ServerRequest,
} from './http.js'
import { normalizeServerOptions, type ServerAuthOptions } from './options.js'
import {
  type ServerSession,
  type SessionStore,
  type SessionUpdate,
  serverSessions,
  toSession,
  toSessionData,
} from './session.js'
import {
  type ServerTransactionStore,
  type ServerTransactions,
  serverTransactions,
} from './transactions.js'

// The helpers themselves: login, callback, logout and the password sign-in,
// wired to the transactions (./transactions.ts) and the session
// (./session.ts) over the checked options (./options.ts).

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

/**
 * The answer to send for {@link ServerAuth.login} or {@link ServerAuth.logout}:
 * a redirect with cookies. Named for its entry: `./browser` has a
 * {@link okta-oauth-kit/browser!BrowserRedirectResult} of its own.
 */
export interface ServerRedirect {
  /** Where to send the browser. */
  url: URL
  /** `Set-Cookie` header values to send with the redirect. */
  cookies: string[]
  /** The 302 `Response` (Web frameworks): `Location`, the cookies, `Cache-Control: no-store`. */
  response(): Response
}

/**
 * The old name of {@link ServerRedirect}.
 *
 * @deprecated Use {@link ServerRedirect}: `./browser` exports a different
 * `RedirectResult` (now `BrowserRedirectResult`). Kept so that code written
 * against 0.1 still compiles; it will be removed in a major release.
 */
export type RedirectResult = ServerRedirect

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

/** Options of {@link ServerAuth.logout}. */
export interface LogoutOptions extends CallOptions {
  /** Returned unchanged to the post-logout redirect URI. */
  state?: string
  /** Where to send the user when there is no session (no ID token to end one). Default: `postLogoutRedirectUri`, else `/`. */
  fallbackUrl?: string
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
  ): Promise<ServerRedirect>
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
  login(params?: LoginParameters, options?: CallOptions): Promise<ServerRedirect>
  /**
   * Handle the authorization response at the redirect URI.
   *
   * `form_post`: only `POST` with `application/x-www-form-urlencoded`, body at most
   * `maxBodyBytes`. `query`: only `GET`. Then the transaction cookie matching
   * the response's `state` is opened (expired, forged, missing or already
   * used: a `CallbackError`), and the response is validated and exchanged
   * by the core client.
   *
   * One use: with a {@link ServerTransactionStore}, `take` enforces it everywhere;
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
  logout(request: ServerRequest | string, options?: LogoutOptions): Promise<ServerRedirect>
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
  const settings = normalizeServerOptions(options)
  const { redirect, mode, maxBodyBytes, scope, postLogout } = settings
  const appOrigin = redirect.origin
  const transactions: ServerTransactions = serverTransactions(settings)
  const { writeSession, readSession, session } = serverSessions(settings, client)

  async function login(
    first?: ServerRequest | string | LoginParameters,
    second?: LoginParameters | CallOptions,
    third?: CallOptions,
  ): Promise<ServerRedirect> {
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
      { ...call, ...(settings.par && { par: true }) },
    )
    const cookies = await transactions.save(transaction, returnTo, seen ? first : undefined)
    return redirectResult(url, cookies)
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
    const record = await transactions.open(request, state)
    const cleared = await transactions.clearCookie(state)
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

  async function logout(
    request: ServerRequest | string,
    logoutOptions: LogoutOptions = {},
  ): Promise<ServerRedirect> {
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

function redirectResult(url: URL, cookies: string[]): ServerRedirect {
  return { url, cookies, response: () => redirect302(url.href, cookies) }
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
