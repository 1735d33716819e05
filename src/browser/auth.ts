import { InvalidOptionError } from '../errors.js'
import type { SignInResult } from './complete.js'
import { store } from './complete.js'
import { type AuthContext, createContext } from './context.js'
import { broadcastCoordinator, localCoordinator } from './coordinator.js'
import type { BrowserAuthOptions } from './options.js'
import { type PopupSignInOptions, signInWithPopup } from './popup.js'
import { type BrowserServerMetadata, call, toTokens, verifyIdToken } from './protocol.js'
import {
  type BrowserRedirectResult,
  handleRedirect,
  isCallback,
  type RedirectSignInOptions,
  signInWithRedirect,
} from './redirect.js'
import { type SignOutOptions, type SignOutResult, signOut } from './sign-out.js'
import { type SilentSignInOptions, silent } from './silent.js'
import { createTokenManager, type TokenManager } from './token-manager.js'

// createBrowserAuth wires the flows, one file each (redirect.ts, popup.ts,
// silent.ts, sign-out.ts, over complete.ts and message.ts), to one shared
// context (context.ts) and a token manager that renews through them.

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
  handleRedirect(url?: string): Promise<BrowserRedirectResult>
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
  // The token manager is the context's last member: it renews through the flows.
  const ctx = createContext(options) as AuthContext
  const { clientId, now, transport, metadata, rules } = ctx
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
        if (ctx.suspect) throw ctx.suspect
        const result = await silent(ctx)
        if (result.accessToken === undefined) {
          throw new InvalidOptionError('silent renewal needs a response type with an access token')
        }
        return result
      },
    }),
  })
  ctx.tokens = tokens

  return {
    tokens,
    events: tokens.events,
    get clockOffset() {
      return transport.offset
    },
    get thirdPartyCookiesSuspected() {
      return ctx.suspect !== undefined
    },
    metadata,
    signInWithRedirect: (request) => signInWithRedirect(ctx, request),
    isCallback: (url) => isCallback(ctx, url),
    handleRedirect: (url) => handleRedirect(ctx, url),
    signInWithPopup: (request) => signInWithPopup(ctx, request),
    async signInSilently(request) {
      return store(ctx, await silent(ctx, request))
    },
    getAccessToken: () => tokens.getAccessToken(),
    signOut: (request) => signOut(ctx, request),
    dispose: () => tokens.dispose(),
  }
}
