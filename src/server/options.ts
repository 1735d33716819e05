import { InvalidOptionError } from '../errors.js'
import { isSecureUrl } from '../lib/url.js'
import type { CookieAttributes } from './http.js'
import { deriveKeys, type KeyPurpose, secretBytes } from './seal.js'
import type { SessionStore } from './session.js'
import type { ServerTransactionStore } from './transactions.js'

// The options of createServerAuth and their defaults (SERVER_DEFAULTS), checked
// once and turned into the settings every part of the helpers reads (cookie
// names and attributes, lifetimes, limits, stores): the `normalize` step of
// ky, so the handler, the transactions and the session never look at raw
// options or defaults.

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
   * cookie, e.g. `createRedisTransactionStore` of `okta-oauth-kit/redis`.
   * Default: the sealed cookie carries the transaction, and one use is
   * enforced per process (see {@link ServerAuth.callback}).
   */
  transactionStore?: ServerTransactionStore
  /**
   * Keep sessions in a store; the cookie then carries only a sealed session
   * id, and {@link ServerAuth.logout} deletes the stored session, so a copy
   * of the cookie taken before logout is dead (on Redis:
   * `createRedisSessionStore` of `okta-oauth-kit/redis`). Default: the cookie itself.
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

/**
 * @internal
 * The defaults of {@link ServerAuthOptions}, in one place: the options'
 * TSDoc names them, {@link normalizeServerOptions} applies them.
 */
export const SERVER_DEFAULTS = {
  responseMode: 'form_post',
  scope: 'openid profile email offline_access',
  /** 10 min, in ms: at most the client's own `transactionTtl` (the same default). */
  transactionTtl: 600_000,
  /** 7 days, in ms. */
  sessionTtl: 7 * 24 * 3600_000,
  /** ms before the access token expires. */
  refreshMargin: 60_000,
  /** Pending sign-ins (transaction cookies) kept per browser. */
  maxPendingTransactions: 5,
  /** Bytes of a callback body. */
  maxBodyBytes: 16 * 1024,
  cookies: { transactionName: 'okta-txn', sessionName: 'okta-session', path: '/' },
} as const
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/

/** @internal {@link ServerAuthOptions} checked, with every default applied. */
export interface ServerSettings {
  /** The two cookie keys, derived on first use. */
  keys: () => Promise<Record<KeyPurpose, Uint8Array>>
  /** `redirectUri`, parsed. */
  redirect: URL
  mode: 'form_post' | 'query'
  transactionTtl: number
  sessionTtl: number
  refreshMargin: number
  maxPending: number
  maxBodyBytes: number
  /** Transaction cookies are named `${txnBase}.${hash of the state}`. */
  txnBase: string
  sessionName: string
  txnAttrs: CookieAttributes
  sessionAttrs: CookieAttributes
  scope: string
  now: () => number
  postLogout: string | undefined
  par: boolean
  transactionStore: ServerTransactionStore | undefined
  sessionStore: SessionStore | undefined
}

/** @internal Check the options of createServerAuth and apply the defaults; throws `InvalidOptionError`. */
export function normalizeServerOptions(options: ServerAuthOptions): ServerSettings {
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
  const mode = options.responseMode ?? SERVER_DEFAULTS.responseMode
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
  const transactionTtl = positive(
    options.transactionTtl,
    'transactionTtl',
    SERVER_DEFAULTS.transactionTtl,
  )
  const sessionTtl = positive(options.sessionTtl, 'sessionTtl', SERVER_DEFAULTS.sessionTtl)
  const refreshMargin = positive(
    options.refreshMargin,
    'refreshMargin',
    SERVER_DEFAULTS.refreshMargin,
  )
  const maxPending = options.maxPendingTransactions ?? SERVER_DEFAULTS.maxPendingTransactions
  if (!Number.isInteger(maxPending) || maxPending < 1) {
    throw new InvalidOptionError('maxPendingTransactions must be a positive integer')
  }
  const maxBodyBytes = positive(options.maxBodyBytes, 'maxBodyBytes', SERVER_DEFAULTS.maxBodyBytes)
  const path = options.cookies?.path ?? SERVER_DEFAULTS.cookies.path
  if (!path.startsWith('/') || /[;\s]/.test(path)) {
    throw new InvalidOptionError('cookies.path must be a path starting with /')
  }
  for (const name of [options.cookies?.transactionName, options.cookies?.sessionName]) {
    if (name !== undefined && !COOKIE_NAME.test(name)) {
      throw new InvalidOptionError('cookie names must be non-empty cookie tokens')
    }
  }
  const hostPrefix = https && path === '/' ? '__Host-' : ''
  const txnBase = `${hostPrefix}${options.cookies?.transactionName ?? SERVER_DEFAULTS.cookies.transactionName}`
  const sessionName = `${hostPrefix}${options.cookies?.sessionName ?? SERVER_DEFAULTS.cookies.sessionName}`
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
  const scope = options.scope ?? SERVER_DEFAULTS.scope
  const now = options.now ?? Date.now
  const postLogout = options.postLogoutRedirectUri
  if (postLogout !== undefined) {
    try {
      new URL(postLogout)
    } catch {
      throw new InvalidOptionError('postLogoutRedirectUri must be an absolute URL')
    }
  }
  return {
    keys,
    redirect,
    mode,
    transactionTtl,
    sessionTtl,
    refreshMargin,
    maxPending,
    maxBodyBytes,
    txnBase,
    sessionName,
    txnAttrs,
    sessionAttrs,
    scope,
    now,
    postLogout,
    par: !!options.par,
    transactionStore: options.transactionStore,
    sessionStore: options.sessionStore,
  }
}
