import type { IdTokenClaims } from '../jwt/types.js'
import type { CallOptions } from '../lib/http.js'
import type { TokenSet } from './token-set.js'

// The parameters and results of the core client's methods.

/** The validated ID token of a `response_type=id_token` response: no access token. */
export interface IdTokenResult {
  /** The ID token. */
  idToken: string
  /** Its validated claims. */
  idTokenClaims: IdTokenClaims
  /** Never present: narrow a {@link CallbackResult} with `result.accessToken !== undefined`. */
  accessToken?: undefined
  /** Never present. */
  tokenType?: undefined
  /** Never present. */
  refreshToken?: undefined
  /** Never present. */
  expiresIn?: undefined
  /** Never present. */
  expiresAt?: undefined
  /** Never present. */
  scope?: undefined
}

/** What {@link Client.handleCallback} resolves to. */
export type CallbackResult = TokenSet | IdTokenResult

/** Parameters of {@link Client.exchangeCode}. */
export interface CodeExchange {
  /** The authorization code from the callback. */
  code: string
  /** The PKCE `code_verifier` whose challenge was sent. */
  codeVerifier: string
  /** The `redirect_uri` used in the authorization request. Default: the client's. */
  redirectUri?: string
  /** The nonce sent; the ID token must carry it (and must then be present). */
  nonce?: string
  /** The `max_age` sent, in seconds: `auth_time` is checked. */
  maxAge?: number
  /** The user the ID token must be for (hybrid flows: the front-channel ID token's `sub`). */
  expectedSubject?: string
}

/** Parameters of {@link Client.refresh}. */
export interface RefreshParameters {
  /** Down-select scopes: a subset of the refresh token's scopes. */
  scope?: string
  /** The signed-in user's `sub`: a refreshed ID token must be for the same user. */
  expectedSubject?: string
}

/** Parameters of {@link Client.password}. */
export interface PasswordParameters {
  /** The user's login, e.g. `alice@example.com`. */
  username: string
  /** The user's password. */
  password: string
  /** Scopes, space separated, e.g. `openid profile offline_access`. */
  scope: string
}

/** Parameters of {@link Client.clientCredentials}. */
export interface ClientCredentialsParameters {
  /** Scopes, space separated, e.g. `okta.authorizationServers.read`. */
  scope?: string
  /** Extra form parameters (e.g. `resource`). */
  extra?: Record<string, string>
}

/** Which kind of token is passed to introspection or revocation. */
export type TokenTypeHint = 'access_token' | 'refresh_token' | 'id_token' | 'device_secret'

/**
 * An introspection response (RFC 7662), wire names kept: `active` is always
 * there; the rest only for active tokens.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.2 | RFC 7662 §2.2}
 */
export interface IntrospectionResponse {
  /** Whether the token is currently active. */
  active: boolean
  /** Space-separated scopes. */
  scope?: string
  /** The client the token was issued to. */
  client_id?: string
  /** The user's login. */
  username?: string
  /** `Bearer`. */
  token_type?: string
  /** Expiry, epoch seconds. */
  exp?: number
  /** Issued at, epoch seconds. */
  iat?: number
  /** Not before, epoch seconds. */
  nbf?: number
  /** Subject. */
  sub?: string
  /** Audience. */
  aud?: string | string[]
  /** Issuer. */
  iss?: string
  /** Token id. */
  jti?: string
  /** Okta: user id, for access tokens of end users. */
  uid?: string
  /** Okta: device id, for refresh tokens. */
  device_id?: string
  /** Any other member. */
  [member: string]: unknown
}

/** Claims returned by the userinfo endpoint; `sub` is always present. */
export interface UserInfo {
  /** The user's id; checked against the ID token's. */
  sub: string
  /** Any other claim. */
  [claim: string]: unknown
}

/** Options of {@link Client.userinfo}. */
export interface UserInfoOptions extends CallOptions {
  /**
   * The ID token's `sub`: the response must be for that user. Required when
   * passing a bare access token, unless `skipSubjectCheck` is set.
   */
  expectedSubject?: string
  /**
   * Accept any `sub`.
   *
   * > [!WARNING]
   * > Only when you do not use the response to identify the user.
   */
  skipSubjectCheck?: boolean
}

/** Parameters of {@link Client.logoutUrl}. */
export interface LogoutParameters {
  /** The ID token of the session to end (required by the server). */
  idTokenHint: string
  /** Where to send the user afterwards; must be registered. Default: the client's. */
  postLogoutRedirectUri?: string
  /** Returned unchanged to the post-logout redirect URI. */
  state?: string
  /** Extra query parameters. */
  extra?: Record<string, string>
}
