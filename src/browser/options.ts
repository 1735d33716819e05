import type { FetchLike } from '../lib/http.js'
import type { BrowserAuth, createBrowserAuth } from './auth.js'
import type { RenewCoordinator } from './coordinator.js'
import type { KeyValueStore } from './storage.js'
import type { TokenManagerOptions } from './token-manager.js'

// The options of createBrowserAuth and of one authorization request, shared
// by every flow (redirect, popup, silent), and their defaults in one place:
// every `option ?? default` of the entry reads its default here. (Named
// constants, not an object: the bundler inlines them, so the size budget
// pays nothing for the one place.)

/** @internal Default `scope`. `openid` is always sent besides. */
export const DEFAULT_SCOPE = 'openid profile email'
/** @internal Default `responseType`. */
export const DEFAULT_RESPONSE_TYPE = 'code'
/** @internal Default `transactionTtl` (and `createTransactionStore`'s `ttl`), in ms. */
export const DEFAULT_TRANSACTION_TTL = 600_000
/** @internal Default `renewMargin` (and `createTokenManager`'s), in seconds. */
export const DEFAULT_RENEW_MARGIN = 60
/** @internal Default `clockTolerance`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE = 60
/** @internal Default `popupTimeout`, in ms. */
export const DEFAULT_POPUP_TIMEOUT = 300_000
/** @internal Default `iframeTimeout`, in ms. */
export const DEFAULT_IFRAME_TIMEOUT = 10_000
/** @internal Default `popupSeveredWithin`, in ms: Chromium reports a COOP-severed popup closed as soon as its page loads. */
export const DEFAULT_POPUP_SEVERED_WITHIN = 3000
/** @internal Default `popupRelayGrace`, in ms. */
export const DEFAULT_POPUP_RELAY_GRACE = 2000

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
  /**
   * A popup that reads as closed within this many ms of being opened is
   * taken as cut off by a Cross-Origin-Opener-Policy, not closed by the user:
   * Chromium reports such a popup closed as soon as the authorization
   * server's page loads, while it stays open out of this page's reach.
   * Without a `relayUri`, {@link BrowserAuth.signInWithPopup} then rejects
   * `ERR_POPUP_CLOSED` with `openerSevered: true`; with one, it waits on for
   * the relay (until the popup timeout). Default: 3 000.
   */
  popupSeveredWithin?: number
  /**
   * With a `relayUri`: how long, in ms, a relayed answer may still arrive
   * after the popup was closed (past `popupSeveredWithin`) before
   * `ERR_POPUP_CLOSED`. Default: 2 000.
   */
  popupRelayGrace?: number
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
