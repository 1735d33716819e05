import {
  AuthorizationResponseError,
  BrowserAuthError,
  CallbackError,
  InvalidOptionError,
} from '../errors.js'
import type { IdTokenClaims } from '../jwt/id-token.js'
import { RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import type { FetchLike } from '../lib/http.js'
import { checkReturnTo, isSameOriginPath } from '../lib/return-to.js'
import type { AuthorizationTransaction } from '../oauth/authorization-request.js'
import {
  type AuthorizationResponseParameters,
  checkResponse,
  readResponse,
} from '../oauth/authorization-response.js'
import type { TokenSet } from '../oauth/token-set.js'
import { broadcastCoordinator, localCoordinator, type RenewCoordinator } from './coordinator.js'
import {
  type BrowserServerMetadata,
  browserJwks,
  call,
  checkUrlOption,
  discoverServer,
  idTokenAlgorithms,
  pkceChallenge,
  random,
  type Transport,
  toTokens,
  verifyIdToken,
} from './protocol.js'
import { type KeyValueStore, memoryStore, webStorage } from './storage.js'
import { createTokenManager, type TokenManager, type TokenManagerOptions } from './token-manager.js'
import { createTransactionStore } from './transactions.js'

/** The response types a browser can ask for: code + PKCE, implicit, and hybrid. */
export type BrowserResponseType =
  | 'code'
  | 'id_token'
  | 'id_token token'
  | 'code id_token'
  | 'code token'
  | 'code id_token token'

/** Options of {@link createBrowserAuth}. */
export interface BrowserAuthOptions {
  /**
   * The authorization server, e.g. `https://{org}.okta.com/oauth2/default`;
   * discovered on first use. A single trailing slash is not significant: the
   * discovery document's `issuer` may have it or not, and ID tokens (and the
   * responses' `iss`) must then carry the issuer exactly as the document does.
   */
  issuer: string
  /** The SPA's client id (a public client: token endpoint auth `none`). */
  clientId: string
  /** The registered redirect URI of the callback page. Popups and iframes use it too. */
  redirectUri: string
  /** Where the logout endpoint sends the user back. Default: none (Okta shows its own page). */
  postLogoutRedirectUri?: string
  /** Scopes. Default: `openid profile email`. Add `offline_access` for refresh tokens. `openid` is always sent. */
  scope?: string
  /** Default: `code` (with PKCE S256, always). */
  responseType?: BrowserResponseType
  /** How redirects answer. Default: `query` for `code`, `fragment` for the others. */
  responseMode?: 'query' | 'fragment'
  /** Where tokens are kept. Default: memory (lost on reload). Use `webStorage(localStorage)` to share across tabs. */
  tokenStorage?: KeyValueStore
  /** Where redirect transactions wait for their response. Default: `sessionStorage` (memory where it is missing). */
  transactionStorage?: KeyValueStore
  /** How long a transaction stays usable, in ms. Default: 600 000. */
  transactionTtl?: number
  /** Renew when the access token expires within this many seconds. Default: 60. */
  renewMargin?: number
  /** Tolerance for `exp`, `iat`, `nbf` and `auth_time` of ID tokens, in seconds, after the server clock offset is applied. Default: 60. */
  clockTolerance?: number
  /** How renewals are coordinated across tabs. Default: Web Locks + BroadcastChannel when the browser has them. */
  coordinator?: RenewCoordinator
  /** Renew ahead of expiry on a timer, not only on read (see {@link TokenManagerOptions.autoRenew}). Default: true. */
  autoRenew?: boolean
  /** Renew through a hidden iframe (`prompt=none`) when there is no refresh token. Default: true. */
  silentRenew?: boolean
  /** Popup wait, in ms. Default: 300 000. */
  popupTimeout?: number
  /** Hidden-iframe wait, in ms. Default: 10 000. */
  iframeTimeout?: number
  /** Per-request timeout, in ms. Default: 10 000. */
  timeout?: number
  /** The fetch to use. Default: `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike
  /**
   * The largest response body read, in bytes: a larger one is refused with
   * `InvalidResponseError` `ERR_RESPONSE_TOO_LARGE` (for the key set, inside
   * a `JwksError` `ERR_JWKS_UNAVAILABLE`). Default: 1 MiB for discovery and
   * token responses and for the key set (see `RESPONSE_LIMITS`).
   */
  maxResponseBytes?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
}

/** Parameters of one authorization request; each overrides the matching option. */
export interface SignInOptions {
  /** Scopes for this request. */
  scope?: string
  /** Response type for this request. */
  responseType?: BrowserResponseType
  /** `login`, `consent`, … (`none` is what {@link BrowserAuth.signInSilently} sends). */
  prompt?: string
  /** Pre-fill the username. */
  loginHint?: string
  /** Maximum authentication age, in seconds: `auth_time` is then checked. */
  maxAge?: number
  /** Identity provider id (`0oa…`), Okta's `idp`. */
  idp?: string
  /** `acr_values`. */
  acrValues?: string
  /** An Okta session token from the Authentication API (`sessionToken`). */
  sessionToken?: string
  /** Any other authorization request parameter. */
  extra?: Record<string, string>
}

/** Options of {@link BrowserAuth.signInWithRedirect}. */
export interface RedirectSignInOptions extends SignInOptions {
  /**
   * Where the app wants to go after sign-in: a path of this page's origin,
   * e.g. `/orders?page=2`. Refused with `InvalidOptionError` when it could
   * lead elsewhere: not starting with a single `/`, a `\`, any control
   * character (browsers drop TAB, CR and LF, so `/\t/evil.example` is
   * `//evil.example`), the same once percent-decoded (`/%09/`, `/%2F`), or
   * longer than 2048 characters. Default: the current path.
   */
  returnTo?: string
  /** Navigate to the authorization URL. Default: `location.assign`. */
  navigate?: (url: string) => void
}

/** Options of {@link BrowserAuth.signInWithPopup}. */
export interface PopupSignInOptions extends SignInOptions {
  /**
   * A same-origin relay page (calling {@link relayCallback}) registered as a
   * redirect URI: the response then comes over `BroadcastChannel`, which
   * works when a Cross-Origin-Opener-Policy severs the popup from this page.
   * Default: none (`okta_post_message` to this window).
   */
  relayUri?: string
  /** `window.open` features. Default: a centred 500×700 window. */
  features?: string
  /** Popup wait, in ms. Default: the `popupTimeout` option. */
  timeout?: number
}

/** Options of {@link BrowserAuth.signInSilently}. */
export interface SilentSignInOptions extends Omit<SignInOptions, 'prompt'> {
  /** Iframe wait, in ms. Default: the `iframeTimeout` option. */
  timeout?: number
}

/** Options of {@link BrowserAuth.signOut}. */
export interface SignOutOptions {
  /** Revoke the access and refresh tokens first (best effort). Default: true. */
  revoke?: boolean
  /** Override the `postLogoutRedirectUri` option. */
  postLogoutRedirectUri?: string
  /** Navigate to the logout URL. Default: `location.assign`; `false` to only return it. */
  navigate?: ((url: string) => void) | false
}

/** What {@link BrowserAuth.handleRedirect} resolves to. */
export interface RedirectResult {
  /** The tokens (stored already), or the ID token alone for `response_type=id_token`. */
  tokens: SignInResult
  /**
   * The `returnTo` given to {@link BrowserAuth.signInWithRedirect}, checked
   * again when read back from storage: a same-origin path, safe for
   * `location.assign`.
   */
  returnTo?: string
}

/** An `id_token`-only sign-in: no access token, so nothing is stored. */
export interface IdTokenOnly {
  /** The validated ID token. */
  idToken: string
  /** Its claims. */
  idTokenClaims: IdTokenClaims
  /** Never present: narrow with `result.accessToken !== undefined`. */
  accessToken?: undefined
}

/** The outcome of a sign-in: tokens (stored in the token manager), or an ID token alone. */
export type SignInResult = TokenSet | IdTokenOnly

/** What {@link BrowserAuth.signOut} resolves to. */
export interface SignOutResult {
  /** The logout URL (with `id_token_hint`, `post_logout_redirect_uri` and `state`), when the server has one and there was an ID token. */
  logoutUrl?: string
  /** The `state` sent to the logout endpoint. */
  state?: string
}

/**
 * Sign-in for single-page apps: redirect, popup and hidden iframe, with a
 * {@link TokenManager} that keeps the access token fresh.
 */
export interface BrowserAuth {
  /** The token manager: storage, renewal, events. */
  readonly tokens: TokenManager
  /** The token manager's events (`tokensChanged`, `expiring`, `expired`, `renewFailed`, `signedOut`). */
  readonly events: TokenManager['events']
  /**
   * The server's clock minus this browser's, in ms, estimated from the
   * `Date` headers of its responses; ID token times are checked against it.
   */
  readonly clockOffset: number
  /**
   * A silent sign-in suggested that the browser withholds the server's
   * session cookie from the hidden iframe (a timeout, or `login_required`
   * right after a sign-in). Renewal then stops trying the iframe until the
   * next interactive sign-in; ask for `offline_access` to renew with refresh
   * tokens instead.
   */
  readonly thirdPartyCookiesSuspected: boolean
  /** The discovered server metadata (discovery runs once; a failure is retried on the next call). */
  metadata(): Promise<BrowserServerMetadata>
  /**
   * Store a transaction (per `state`, with a TTL) and navigate to the authorization server.
   * @param options - request parameters, `returnTo`, `navigate`.
   * @returns When the navigation has been started. Rejects with
   * `InvalidOptionError` for a `returnTo` that is not a same-origin path
   * (before anything is stored or sent).
   */
  signInWithRedirect(options?: RedirectSignInOptions): Promise<void>
  /**
   * Whether `url` is an authorization response at the redirect URI.
   * @param url - default: `location.href`.
   * @returns true when it has `state` and a `code`, tokens or an `error`.
   */
  isCallback(url?: string): boolean
  /**
   * Complete a redirect sign-in on the callback page: find the transaction
   * of the response's `state` (one use), validate, exchange the code, store
   * the tokens, and remove the response from the address bar.
   * @param url - default: `location.href`.
   * @returns The tokens and `returnTo`. Rejects with `CallbackError`
   * (`ERR_TRANSACTION_MISSING`, `ERR_CALLBACK_MALFORMED`, …; and
   * `ERR_TRANSACTION_INVALID` when the stored `returnTo` is no longer a
   * same-origin path: storage was altered, so nothing is exchanged).
   */
  handleRedirect(url?: string): Promise<RedirectResult>
  /**
   * Sign in in a popup over `okta_post_message`. Call it first thing in a
   * click handler (nothing awaited before it), or the popup is blocked.
   * @param options - request parameters, `relayUri`, window features, timeout.
   * @returns The tokens (stored already).
   */
  signInWithPopup(options?: PopupSignInOptions): Promise<SignInResult>
  /**
   * Sign in without interaction in a hidden iframe (`prompt=none`) over
   * `okta_post_message`. Needs the server's session cookie in a third-party
   * context, which many browsers block; prefer refresh tokens.
   * @param options - request parameters and timeout.
   * @returns The tokens (stored already).
   */
  signInSilently(options?: SilentSignInOptions): Promise<SignInResult>
  /**
   * A usable access token, renewed first near expiry (refresh token, else a
   * silent sign-in); one renewal across tabs.
   * @returns The access token, or `undefined` when signed out.
   */
  getAccessToken(): Promise<string | undefined>
  /**
   * Revoke the tokens (best effort), clear them here and in other tabs, and
   * navigate to the logout URL with `id_token_hint`,
   * `post_logout_redirect_uri` and `state`.
   * @param options - revocation, redirect and navigation.
   * @returns The logout URL and state.
   */
  signOut(options?: SignOutOptions): Promise<SignOutResult>
  /** Stop listening to other tabs. */
  dispose(): void
}

interface StoredTransaction extends AuthorizationTransaction {
  returnTo?: string
}

const INTERACTION = /^(login|consent|interaction|account_selection)_required$/

/**
 * Create a {@link BrowserAuth}: sign-in for a single-page app against an
 * Okta-style authorization server. Code + PKCE by default; implicit and
 * hybrid response types on request. Discovery happens on first use.
 *
 * @param options - issuer, client, redirect URI, storage and timeouts.
 * @returns The browser auth client.
 * @example
 * ```ts
 * import { createBrowserAuth, webStorage } from 'okta-oauth-kit/browser'
 * const auth = createBrowserAuth({
 *   issuer: 'https://example.okta.com/oauth2/default',
 *   clientId: '0oaspa0000000000000',
 *   redirectUri: `${location.origin}/callback`,
 *   scope: 'openid profile email offline_access',
 *   tokenStorage: webStorage(localStorage),
 * })
 * if (auth.isCallback()) await auth.handleRedirect()
 * document.querySelector('#sign-in')?.addEventListener('click', () => auth.signInWithRedirect())
 * const accessToken = await auth.getAccessToken()
 * ```
 */
export function createBrowserAuth(options: BrowserAuthOptions): BrowserAuth {
  const issuer = checkUrlOption(options?.issuer, 'issuer')
  const { clientId } = options
  if (typeof clientId !== 'string' || clientId === '') {
    throw new InvalidOptionError('clientId must be a non-empty string')
  }
  const redirectUri = new URL(checkUrlOption(options.redirectUri, 'redirectUri')).href
  const now = options.now ?? Date.now
  const tolerance = options.clockTolerance ?? 60
  const transport: Transport = {
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? 10_000,
    offset: 0,
    ...(options.maxResponseBytes !== undefined && {
      maxResponseBytes: responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.protocol),
    }),
  }
  // The origin `returnTo` must stay on: this page's, else the callback page's.
  const appOrigin = () =>
    typeof location !== 'undefined' ? location.origin : new URL(redirectUri).origin
  const session = (globalThis as { sessionStorage?: Storage }).sessionStorage
  const transactions = createTransactionStore({
    storage: options.transactionStorage ?? (session ? webStorage(session) : memoryStore()),
    ...(options.transactionTtl !== undefined && { ttl: options.transactionTtl }),
    now,
  })

  let discovered: Promise<BrowserServerMetadata> | undefined
  const metadata = () =>
    (discovered ??= discoverServer(transport, issuer).catch((err) => {
      discovered = undefined
      throw err
    }))
  const jwks = browserJwks(transport, async () => (await metadata()).jwks_uri)
  // What every ID token of this client is validated against: `iss` is the
  // issuer the server publishes (the configured one may differ by a slash).
  const rules = (m: BrowserServerMetadata) => ({
    issuer: m.issuer,
    clientId,
    algorithms: idTokenAlgorithms(m),
    keys: jwks,
    now: now() + transport.offset,
    tolerance,
  })
  // Set when a silent sign-in suggests the browser hides the server's session cookie.
  let cookiesSuspect: BrowserAuthError | undefined

  const build = async (
    request: SignInOptions,
    mode: AuthorizationTransaction['responseMode'],
    redirect: string,
  ): Promise<{ url: string; transaction: StoredTransaction }> => {
    const m = await metadata()
    const responseType = request.responseType ?? options.responseType ?? 'code'
    const types = new Set(responseType.split(' '))
    if (
      !/^(code|id_token|id_token token|code id_token|code token|code id_token token)$/.test(
        responseType,
      )
    ) {
      throw new InvalidOptionError(`responseType ${responseType} is not supported`)
    }
    const scopes = new Set([
      'openid',
      ...(request.scope ?? options.scope ?? 'openid profile email').split(' '),
    ])
    scopes.delete('')
    const transaction: StoredTransaction = {
      // The response's `iss` (RFC 9207) is the server's own spelling.
      issuer: m.issuer,
      clientId,
      state: random(),
      nonce: random(),
      redirectUri: redirect,
      responseType,
      responseMode: mode,
      scope: [...scopes].join(' '),
      createdAt: now(),
    }
    const url = new URL(m.authorization_endpoint)
    const p = url.searchParams
    for (const [name, value] of Object.entries(request.extra ?? {})) p.set(name, value)
    p.set('client_id', clientId)
    p.set('response_type', responseType)
    p.set('response_mode', mode)
    p.set('redirect_uri', redirect)
    p.set('scope', transaction.scope)
    p.set('state', transaction.state)
    p.set('nonce', transaction.nonce)
    if (types.has('code')) {
      transaction.codeVerifier = random()
      transaction.codeChallengeMethod = 'S256'
      p.set('code_challenge', await pkceChallenge(transaction.codeVerifier))
      p.set('code_challenge_method', 'S256')
    }
    if (request.maxAge !== undefined) {
      if (!Number.isInteger(request.maxAge) || request.maxAge < 0) {
        throw new InvalidOptionError('maxAge must be a non-negative integer of seconds')
      }
      transaction.maxAge = request.maxAge
      p.set('max_age', String(request.maxAge))
    }
    for (const [name, value] of [
      ['prompt', request.prompt],
      ['login_hint', request.loginHint],
      ['idp', request.idp],
      ['acr_values', request.acrValues],
      ['sessionToken', request.sessionToken],
    ] as const) {
      if (value !== undefined) p.set(name, value)
    }
    return { url: url.href, transaction }
  }

  // Validate a response against its transaction and turn it into tokens.
  const complete = async (
    transaction: AuthorizationTransaction,
    params: URLSearchParams,
  ): Promise<SignInResult> => {
    const m = await metadata()
    const r: AuthorizationResponseParameters = checkResponse(
      params,
      transaction,
      m.authorization_response_iss_parameter_supported === true,
    )
    const idCheck = (idToken: string, extra: { accessToken?: string; code?: string }) =>
      verifyIdToken(idToken, {
        ...rules(m),
        nonce: transaction.nonce,
        ...(transaction.maxAge !== undefined && { maxAge: transaction.maxAge }),
        ...extra,
        ...(extra.code !== undefined && { requireCHash: true }),
        ...(extra.accessToken !== undefined && !r.code && { requireAtHash: true }),
      })
    // The front-channel ID token (implicit, hybrid) first: c_hash binds the code.
    const front = r.idToken
      ? await idCheck(r.idToken, {
          ...(r.code !== undefined && { code: r.code }),
          ...(r.accessToken !== undefined && { accessToken: r.accessToken }),
        })
      : undefined
    if (r.code !== undefined) {
      const tokens = toTokens(
        await call(transport, 'the token request', m.token_endpoint, {
          grant_type: 'authorization_code',
          code: r.code,
          redirect_uri: transaction.redirectUri,
          client_id: clientId,
          code_verifier: transaction.codeVerifier ?? '',
        }),
        now(),
      )
      if (tokens.idToken) {
        tokens.idTokenClaims = await idCheck(tokens.idToken, { accessToken: tokens.accessToken })
        if (
          front &&
          (front.sub !== tokens.idTokenClaims.sub || front.iss !== tokens.idTokenClaims.iss)
        ) {
          throw new CallbackError(
            'the ID tokens of the authorization and token responses name different users',
            { code: 'ERR_RESPONSE_TYPE_MISMATCH', parameter: 'id_token' },
          )
        }
      } else if (front && r.idToken) {
        tokens.idToken = r.idToken
        tokens.idTokenClaims = front
      }
      return tokens
    }
    if (r.accessToken !== undefined && r.tokenType !== undefined) {
      const tokens: TokenSet = { accessToken: r.accessToken, tokenType: r.tokenType }
      if (r.expiresIn !== undefined) {
        tokens.expiresIn = r.expiresIn
        tokens.expiresAt = Math.floor(now() / 1000) + r.expiresIn
      }
      if (r.scope !== undefined) tokens.scope = r.scope
      if (r.idToken && front) {
        tokens.idToken = r.idToken
        tokens.idTokenClaims = front
      }
      return tokens
    }
    return { idToken: r.idToken as string, idTokenClaims: front as IdTokenClaims }
  }

  const store = async (result: SignInResult) => {
    cookiesSuspect = undefined
    if (result.accessToken !== undefined) await tokens.setTokens(result)
    return result
  }

  // Wait for the okta_post_message (or relay) answer of one transaction.
  const waitForMessage = (
    transaction: AuthorizationTransaction,
    source: () => Window | null | undefined,
    timeout: number,
    onTimeout: () => BrowserAuthError,
    closed?: () => BrowserAuthError | undefined,
    relayed = false,
  ): Promise<Readonly<Record<string, unknown>>> =>
    metadata().then(
      (m) =>
        new Promise((resolve, reject) => {
          const origin = new URL(m.authorization_endpoint).origin
          // Only a flow that asked for a relay listens to it.
          const channel = relayed ? new BroadcastChannel(RELAY) : undefined
          const finish = (fn: () => void) => {
            clearTimeout(timer)
            clearInterval(poll)
            removeEventListener('message', onMessage)
            channel?.close()
            fn()
          }
          const accept = (data: unknown) => {
            const d = data as Record<string, unknown> | null
            if (typeof d !== 'object' || d === null || d.state !== transaction.state) return false
            finish(() => resolve(d))
            return true
          }
          // Only the authorization server's origin, only the window we opened, only our state.
          const onMessage = (event: MessageEvent) => {
            if (event.origin !== origin || event.source !== source()) return
            accept(event.data)
          }
          // The relay page is same-origin by construction of BroadcastChannel.
          if (channel) channel.onmessage = (event) => accept(event.data)
          addEventListener('message', onMessage)
          const timer = setTimeout(() => finish(() => reject(onTimeout())), timeout)
          const poll = setInterval(() => {
            const error = closed?.()
            if (error) finish(() => reject(error))
          }, 250)
        }),
    )

  const popup = async (request: PopupSignInOptions, win: Window): Promise<SignInResult> => {
    const relay = request.relayUri
    const { url, transaction } = await build(
      request,
      relay ? 'fragment' : 'okta_post_message',
      relay ? new URL(checkUrlOption(relay, 'relayUri')).href : redirectUri,
    )
    const opened = Date.now()
    win.location.href = url
    let seenClosed: number | undefined
    const data = await waitForMessage(
      transaction,
      () => win,
      request.timeout ?? options.popupTimeout ?? 300_000,
      () => new BrowserAuthError('the popup did not answer in time', { code: 'ERR_POPUP_TIMEOUT' }),
      () => {
        if (!win.closed) return undefined
        seenClosed ??= Date.now()
        const severed = seenClosed - opened < SEVERED_WITHIN
        if (relay) {
          // "Closed" this early means COOP hid a popup that is still open:
          // the relay will answer, and only the timeout ends the wait.
          if (severed) return undefined
          // A relayed answer may still be on its way: give it a moment.
          if (Date.now() - seenClosed < 2000) return undefined
        }
        return new BrowserAuthError('the popup was closed before sign-in completed', {
          code: 'ERR_POPUP_CLOSED',
          openerSevered: !relay && severed,
        })
      },
      relay !== undefined,
    )
    // A relayed answer is the fragment the relay page read: read it as a fragment.
    const input = relay ? fragmentOf(data, transaction.redirectUri) : data
    return store(await complete(transaction, await readResponse(input, transaction.responseMode)))
  }

  const silent = async (request: SilentSignInOptions = {}): Promise<SignInResult> => {
    const { url, transaction } = await build(
      { ...request, prompt: 'none' },
      'okta_post_message',
      redirectUri,
    )
    const frame = document.createElement('iframe')
    frame.setAttribute('aria-hidden', 'true')
    frame.title = 'silent sign-in'
    frame.style.display = 'none'
    frame.src = url
    document.body.appendChild(frame)
    let data: Readonly<Record<string, unknown>>
    try {
      data = await waitForMessage(
        transaction,
        () => frame.contentWindow,
        request.timeout ?? options.iframeTimeout ?? 10_000,
        () =>
          (cookiesSuspect = new BrowserAuthError(
            'the silent sign-in iframe did not answer in time',
            { code: 'ERR_IFRAME_TIMEOUT', thirdPartyCookiesSuspected: true },
          )),
      )
    } finally {
      frame.remove()
    }
    try {
      return await complete(transaction, await readResponse(data, transaction.responseMode))
    } catch (err) {
      if (err instanceof AuthorizationResponseError && INTERACTION.test(err.error)) {
        // login_required although this app holds a recent sign-in: the
        // session cookie was most likely withheld from the iframe.
        const held = (await tokens.getTokens())?.idTokenClaims
        const recent =
          err.error === 'login_required' &&
          typeof held?.auth_time === 'number' &&
          (now() + transport.offset) / 1000 - held.auth_time < RECENT_SESSION
        const error = new BrowserAuthError(`silent sign-in needs the user: ${err.error}`, {
          code: 'ERR_INTERACTION_REQUIRED',
          error: err.error,
          thirdPartyCookiesSuspected: recent,
          cause: err,
        })
        if (recent) cookiesSuspect = error
        throw error
      }
      throw err
    }
  }

  const tokens = createTokenManager({
    client: {
      async refresh(refreshToken, params) {
        const m = await metadata()
        const fresh = toTokens(
          await call(transport, 'the refresh request', m.token_endpoint, {
            grant_type: 'refresh_token',
            refresh_token: refreshToken,
            client_id: clientId,
          }),
          now(),
        )
        if (fresh.idToken) {
          fresh.idTokenClaims = await verifyIdToken(fresh.idToken, {
            ...rules(m),
            accessToken: fresh.accessToken,
            ...(params?.expectedSubject !== undefined && {
              expectedSubject: params.expectedSubject,
            }),
          })
        }
        return fresh
      },
    },
    ...(options.tokenStorage && { storage: options.tokenStorage }),
    ...(options.renewMargin !== undefined && { renewMargin: options.renewMargin }),
    autoRenew: options.autoRenew !== false,
    now,
    coordinator:
      options.coordinator ??
      (typeof BroadcastChannel === 'function'
        ? broadcastCoordinator({ name: `okta-oauth-kit:${clientId}` })
        : localCoordinator()),
    ...(options.silentRenew !== false && {
      renew: async () => {
        // Once the iframe is known not to see the session, fail fast instead
        // of waiting for it again on every read (until the next sign-in).
        if (cookiesSuspect) throw cookiesSuspect
        const result = await silent()
        if (result.accessToken === undefined) {
          throw new InvalidOptionError('silent renewal needs a response type with an access token')
        }
        return result
      },
    }),
  })

  return {
    tokens,
    events: tokens.events,
    get clockOffset() {
      return transport.offset
    },
    get thirdPartyCookiesSuspected() {
      return cookiesSuspect !== undefined
    },
    metadata,
    async signInWithRedirect(request = {}) {
      const returnTo = checkReturnTo(
        request.returnTo ?? location.pathname + location.search + location.hash,
        appOrigin(),
      )
      const mode =
        options.responseMode ??
        ((request.responseType ?? options.responseType ?? 'code') === 'code' ? 'query' : 'fragment')
      const { url, transaction } = await build(request, mode, redirectUri)
      transaction.returnTo = returnTo
      await transactions.save(transaction)
      ;(request.navigate ?? ((u: string) => location.assign(u)))(url)
    },
    isCallback(url = location.href) {
      let u: URL
      try {
        u = new URL(url)
      } catch {
        return false
      }
      if (u.origin + u.pathname !== new URL(redirectUri).origin + new URL(redirectUri).pathname)
        return false
      const params = responseParams(u)
      return (
        params.has('state') &&
        ['code', 'error', 'id_token', 'access_token'].some((n) => params.has(n))
      )
    },
    async handleRedirect(url = location.href) {
      let u: URL
      try {
        u = new URL(url)
      } catch {
        throw new CallbackError('the callback URL cannot be parsed', {
          code: 'ERR_CALLBACK_MALFORMED',
        })
      }
      const params = responseParams(u)
      try {
        const state = params.get('state')
        if (!state) {
          throw new CallbackError('the callback has no state', {
            code: 'ERR_CALLBACK_MALFORMED',
            parameter: 'state',
          })
        }
        const transaction = (await transactions.take(state)) as StoredTransaction | undefined
        if (!transaction) {
          throw new CallbackError(
            'no pending sign-in has this state: already handled, expired, or started elsewhere',
            { code: 'ERR_TRANSACTION_MISSING', parameter: 'state' },
          )
        }
        // Storage is reachable by other scripts of the origin (and custom stores
        // by more): a returnTo that no longer passes means the transaction was
        // altered, so none of it is trusted.
        if (
          transaction.returnTo !== undefined &&
          !isSameOriginPath(transaction.returnTo, appOrigin())
        ) {
          throw new CallbackError(
            'the stored sign-in transaction holds a returnTo that is not a same-origin path',
            { code: 'ERR_TRANSACTION_INVALID', parameter: 'returnTo' },
          )
        }
        const fromFragment = u.hash.length > 1
        if ((transaction.responseMode === 'fragment') !== fromFragment) {
          throw new CallbackError(
            `the response did not arrive in the ${transaction.responseMode}`,
            { code: 'ERR_CALLBACK_MALFORMED' },
          )
        }
        const result = await store(await complete(transaction, params))
        return {
          tokens: result,
          ...(transaction.returnTo !== undefined && { returnTo: transaction.returnTo }),
        }
      } finally {
        // Never leave a code or token in the address bar or the history.
        if (typeof history !== 'undefined' && url === location.href) {
          const clean = new URL(u.href)
          clean.hash = ''
          for (const name of RESPONSE_PARAMS) clean.searchParams.delete(name)
          history.replaceState(history.state, '', clean.pathname + clean.search)
        }
      }
    },
    signInWithPopup(request = {}) {
      // Open first, synchronously, inside the user's click: no await before this line.
      const win = open(
        'about:blank',
        'okta-oauth-kit-signin',
        request.features ?? centred(500, 700),
      )
      if (!win) {
        return Promise.reject(
          new BrowserAuthError(
            'the popup was blocked: call signInWithPopup directly in a click handler',
            { code: 'ERR_POPUP_BLOCKED' },
          ),
        )
      }
      return popup(request, win).finally(() => win.close())
    },
    async signInSilently(request) {
      return store(await silent(request))
    },
    getAccessToken: () => tokens.getAccessToken(),
    async signOut(request = {}) {
      const held = await tokens.getTokens()
      // Signing out locally never depends on the server being reachable.
      const m = await metadata().catch(() => undefined)
      if (held && m?.revocation_endpoint && request.revoke !== false) {
        const revoke = (token: string, hint: string) =>
          call(transport, 'the revocation request', m.revocation_endpoint as string, {
            token,
            token_type_hint: hint,
            client_id: clientId,
          }).catch(() => undefined)
        await Promise.all([
          revoke(held.accessToken, 'access_token'),
          held.refreshToken && revoke(held.refreshToken, 'refresh_token'),
        ])
      }
      await tokens.clear()
      const result: SignOutResult = {}
      const back = request.postLogoutRedirectUri ?? options.postLogoutRedirectUri
      if (m?.end_session_endpoint && held?.idToken) {
        const url = new URL(m.end_session_endpoint)
        result.state = random()
        url.searchParams.set('id_token_hint', held.idToken)
        if (back) url.searchParams.set('post_logout_redirect_uri', back)
        url.searchParams.set('state', result.state)
        result.logoutUrl = url.href
      }
      const target = result.logoutUrl ?? back
      if (target && request.navigate !== false) {
        ;(request.navigate ?? ((u: string) => location.assign(u)))(target)
      }
      return result
    },
    dispose: () => tokens.dispose(),
  }
}

const RELAY = 'okta-oauth-kit:relay'
// Chromium reports a COOP-severed popup closed as soon as its page loads.
const SEVERED_WITHIN = 3000
// A sign-in this recent should still have a server session (Okta's default is 2 h).
const RECENT_SESSION = 7200
const RESPONSE_PARAMS = [
  'code',
  'state',
  'iss',
  'error',
  'error_description',
  'error_uri',
  'id_token',
  'access_token',
  'token_type',
  'expires_in',
  'scope',
]

function responseParams(u: URL): URLSearchParams {
  return u.hash.length > 1 ? new URLSearchParams(u.hash.slice(1)) : u.searchParams
}

function centred(width: number, height: number): string {
  const left = Math.max(0, (screenX || 0) + (outerWidth - width) / 2)
  const top = Math.max(0, (screenY || 0) + (outerHeight - height) / 2)
  return `popup,width=${width},height=${height},left=${left},top=${top}`
}

/** The callback URL whose fragment carries the string members of a relayed answer. */
function fragmentOf(data: Readonly<Record<string, unknown>>, redirectUri: string): URL {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string') params.set(name, value)
  }
  const url = new URL(redirectUri)
  url.hash = params.toString()
  return url
}

/**
 * On a same-origin relay page registered as a redirect URI, send the
 * authorization response to the page that opened the popup over
 * `BroadcastChannel`, then close the window. The opener still checks the
 * `state` against its transaction.
 *
 * @param url - default: `location.href`.
 * @returns false when the URL is not an authorization response.
 * @example
 * ```ts
 * // relay.html, registered as a redirect URI, same origin as the app
 * import { relayCallback } from 'okta-oauth-kit/browser'
 * relayCallback()
 * ```
 */
export function relayCallback(url: string = location.href): boolean {
  const params = responseParams(new URL(url))
  if (!params.has('state')) return false
  const channel = new BroadcastChannel(RELAY)
  channel.postMessage(Object.fromEntries(params))
  channel.close()
  if (url === location.href) {
    history.replaceState(null, '', location.pathname)
    close()
  }
  return true
}
