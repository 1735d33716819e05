/**
 * Types of the oidc-provider test harness: the public ones, which `provider.ts` re-exports, and
 * the internal state that every Provider instance of one harness is built from.
 */
import type { JWK } from 'jose'
import type { HarnessStore } from './adapter.js'
import type { CookieJar } from './browser.js'

// ---------------------------------------------------------------------------------------------
// Public types (re-exported by provider.ts)
// ---------------------------------------------------------------------------------------------

/** One registered client, with what a test needs to use it. */
export interface HarnessClient {
  clientId: string
  clientSecret?: string
  /** private_key_jwt only: the client's PRIVATE signing key (RS256, has `kid` and `alg`). */
  privateJwk?: JWK
  /** The 127.0.0.1 callback (served by the harness with a 200 "callback" page). */
  redirectUri: string
  /** Every registered redirect_uri. */
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  tokenEndpointAuthMethod: string
}

/** The harness clients, one per token endpoint auth method (`StartedProvider.clients`). */
export interface HarnessClients {
  /** public client (`none` + PKCE): code, refresh_token, implicit/hybrid */
  spa: HarnessClient
  /** `client_secret_basic`: authorization_code, refresh_token, password, client_credentials */
  basic: HarnessClient
  /** `client_secret_post`: same grants as `basic` */
  post: HarnessClient
  /** `client_secret_jwt` (HS256 with the client secret): same grants as `basic` */
  secretJwt: HarnessClient
  /** `private_key_jwt` (RS256, key in `privateJwk`): same grants as `basic` */
  privateKeyJwt: HarnessClient
}

/** The harness user, whose login and consent the harness performs (`StartedProvider.user`). */
export interface HarnessUser {
  sub: string
  username: string
  password: string
  email: string
  name: string
}

/** What `authorize()` ends with: the redirect to the client, or the form a form_post would send. */
export type AuthorizeResult =
  | { location: string }
  | { formPost: { action: string; params: Record<string, string> } }

/** Options of `authorize()` and `logout()`. */
export interface BrowserOptions {
  /** Reuse a cookie jar (i.e. the provider session) across calls; a fresh one is used otherwise. */
  jar?: CookieJar
}

/** A running harness, as `startProvider()` returns it. */
export interface StartedProvider {
  /** e.g. http://127.0.0.1:PORT/oauth2/default (exact, no trailing slash) */
  issuer: string
  /** http://127.0.0.1:PORT */
  origin: string
  clients: HarnessClients
  user: HarnessUser
  /** 'opaque' (default) or 'jwt', see StartProviderOptions.accessTokenFormat */
  accessTokenFormat: 'opaque' | 'jwt'
  /**
   * Rotate the signing key: a new RSA key becomes the signing key (listed FIRST in /v1/keys), the
   * previous keys stay published. Existing grants/refresh tokens keep working (shared storage).
   * Returns the new kid.
   */
  rotateSigningKey(): Promise<string>
  /** Current signing kid */
  signingKid(): string
  /**
   * Drive a headless login for an authorization URL (GET), auto-completing login + consent for
   * the harness user. Returns the final redirect to the client (`location`, with code/state/...
   * in query or fragment), or for response_mode=form_post the form the browser would post.
   * Throws ProviderPageError when the provider renders an error page instead of redirecting.
   */
  authorize(url: string | URL, options?: BrowserOptions): Promise<AuthorizeResult>
  /**
   * Drive an RP-initiated logout URL (`${issuer}/v1/logout?...`), confirming the "do you want to
   * sign out" page like a user would. Returns where the provider finally redirects to (the
   * post_logout_redirect_uri with `state`, or the provider's own logout success page).
   */
  logout(url: string | URL, options?: BrowserOptions): Promise<{ location: string }>
  /** Requests received per pathname, e.g. requestCount('/oauth2/default/v1/keys'). A full URL works too. */
  requestCount(path: string): number
  /** Reset all request counters to zero. */
  resetRequestCounts(): void
  close(): Promise<void>
}

/** Options of `startProvider()`. */
export interface StartProviderOptions {
  /** Port to listen on (127.0.0.1). Default: random free port. */
  port?: number
  /**
   * 'opaque' (default): every access token is opaque; userinfo, introspection and revocation
   * work for all of them, custom scopes (orders:*) are plain scopes.
   *
   * 'jwt': RFC 8707 resource indicators are enabled and access tokens for `api://default` are
   * RS256 JWTs (typ at+jwt, aud api://default, scope + Okta-like `scp`/`cid`). oidc-provider
   * limits: JWT access tokens cannot be introspected/revoked (unsupported_token_type) nor used at
   * userinfo; a token request that includes `openid` yields an opaque userinfo token unless
   * `resource=api://default` is sent. See README.
   */
  accessTokenFormat?: 'opaque' | 'jwt'
  /** Require DPoP nonces (Okta always does): first DPoP token request gets `use_dpop_nonce`. */
  requireDpopNonce?: boolean
}

// ---------------------------------------------------------------------------------------------
// Internal types
// ---------------------------------------------------------------------------------------------

/** The oidc-provider module itself, as `loadOidcProvider()` (provider-build.ts) returns it. */
export type OidcProviderModule = typeof import('oidc-provider')

/**
 * What a Provider is built from: one per harness, shared by every Provider instance it builds,
 * so that codes, sessions, grants and tokens survive `rotateSigningKey()`.
 */
export interface Internals {
  origin: string
  issuer: string
  jwtMode: boolean
  requireDpopNonce: boolean
  store: HarnessStore
  cookieKeys: string[]
  dpopNonceSecret: Buffer
  /** private signing JWKs, newest (= active signing key) first */
  signingKeys: JWK[]
  clientMetadata: Record<string, unknown>[]
}
