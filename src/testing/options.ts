import type { JSONWebKeySet } from 'jose'

// The options of an emulated org (createOktaOrg, startOktaOrg) and their
// defaults: users, clients, servers, lifetimes, API tokens, rate limit, CORS.

/** A user of the emulated org. */
export interface OrgUser {
  /** The user id, `00u…`. Default: generated. */
  id?: string
  /** The login (an email address). */
  login: string
  /** The password the password grant and `createSessionToken` accept. */
  password: string
  /** Profile claims for the ID token and userinfo (`name`, `given_name`, `email`, …). */
  profile?: Record<string, unknown>
  /** Group names, for a `groups` claim. */
  groups?: string[]
}

/** How an emulated client authenticates at the token, introspection and revocation endpoints. */
export type OrgClientAuthMethod =
  | 'none'
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt'

/** An OAuth client (app integration) of the emulated org. */
export interface OrgClient {
  /** The client id, `0oa…`. */
  clientId: string
  /** The client secret, for the `client_secret_*` methods. */
  clientSecret?: string
  /** The authentication method. Default: `client_secret_basic` with a secret, `none` without. */
  tokenEndpointAuthMethod?: OrgClientAuthMethod
  /** Public keys for `private_key_jwt`. */
  jwks?: JSONWebKeySet
  /** Registered redirect URIs (exact match). */
  redirectUris?: string[]
  /** Registered post-logout redirect URIs. */
  postLogoutRedirectUris?: string[]
  /** Allowed grants. Default: every grant the method allows (`client_credentials` only for confidential clients). */
  grantTypes?: string[]
  /** `okta.*` scopes granted to the app (OAuth for Okta), for the org authorization server. */
  oktaScopes?: string[]
  /** Require consent: `prompt=none` fails with `consent_required` until the user consented once. */
  consentRequired?: boolean
  /**
   * The `okta.*` permissions of the app's admin role, to emulate silent
   * downscoping: a management API request with a token that carries the
   * operation's scope is still refused (403 `E0000006`) when these do not
   * cover it (`.manage` covers `.read`). Default: every permission.
   */
  adminPermissions?: string[]
}

/** A custom authorization server of the emulated org. */
export interface OrgAuthorizationServer {
  /** The id in the issuer path, `https://{org}/oauth2/{id}`. `default` is the default server. */
  id: string
  /** The access tokens' `aud`. Default: `api://{id}`. */
  audiences?: string[]
  /** Custom scopes, besides `openid`, `profile`, `email`, `address`, `phone`, `offline_access`, `groups`. */
  scopes?: string[]
}

/** Options of {@link createOktaOrg}. */
export interface OktaOrgOptions {
  /** The org's base URL. Default: `https://example.okta.com`. */
  orgUrl?: string
  /** Custom authorization servers. Default: `default` with the scopes `orders:read` and `orders:write`. */
  authorizationServers?: OrgAuthorizationServer[]
  /** Clients. Default: {@link DEFAULT_CLIENTS}. */
  clients?: OrgClient[]
  /** Users. Default: {@link DEFAULT_USERS}. The first one signs in when `/v1/authorize` needs a login and no `login_hint` names another. */
  users?: OrgUser[]
  /**
   * Access and ID token lifetime, in seconds. Default: 3 600. On a custom
   * server, an access policy rule with its own lifetimes (created or updated
   * through the management API) sets the access token's instead.
   */
  tokenLifetime?: number
  /**
   * Refresh token lifetime, in seconds, renewed on each use. Default:
   * 7 776 000 (90 days). On a custom server, a rule's idle window and
   * absolute lifetime apply instead.
   */
  refreshTokenLifetime?: number
  /** Rotate refresh tokens on use (the old one stops working). Default: `true`. */
  rotateRefreshTokens?: boolean
  /**
   * SSWS API tokens the management API (`/api/v1/…`) accepts as
   * `Authorization: SSWS {token}`, with every permission.
   * Default: `[DEFAULT_API_TOKEN]`.
   */
  apiTokens?: string[]
  /** Rate-limit the management API. Default: no limit (the headers are not sent). */
  rateLimit?: ApiRateLimit
  /**
   * Trusted origins for CORS, so a single-page app served from another
   * origin can call the OpenID Connect endpoints from a browser: each an
   * origin (`http://127.0.0.1:5173`) or a URL whose origin is taken.
   *
   * A request to discovery, `/v1/keys`, `/v1/token`, `/v1/userinfo`,
   * `/v1/introspect`, `/v1/revoke` or `/v1/par` whose `Origin` header is
   * exactly one of them gets `Access-Control-Allow-Origin: {origin}` and
   * `Vary: Origin` (on errors too), and its preflight (`OPTIONS`) is
   * answered 204; any other origin gets no CORS headers (never `*`) and its
   * preflight is refused with 403. Add origins later through
   * {@link OktaOrgState.trustedOrigins}.
   *
   * Default: the origins of every client's `redirectUris` and
   * `postLogoutRedirectUris`. Real Okta trusts no origin by default: add
   * them under Security → API → Trusted Origins (with the CORS type).
   */
  trustedOrigins?: string[]
}

/** A rate limit of the emulated management API; see {@link OktaOrgOptions.rateLimit}. */
export interface ApiRateLimit {
  /**
   * Requests allowed per window; beyond it the API answers 429 `E0000047`.
   * Every response carries `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining`
   * and `X-Rate-Limit-Reset` (epoch seconds of the org's clock).
   */
  limit: number
  /** The window's length, in seconds of the org's clock; it starts at its first request. Default: 60. */
  windowSeconds?: number
}

/** The SSWS API token the emulated management API accepts when {@link OktaOrgOptions.apiTokens} is not set. */
export const DEFAULT_API_TOKEN = '00okta-oauth-kit-emulator-api-token-00000'

/** The id of the default service client ({@link DEFAULT_CLIENTS}): `private_key_jwt`, with its key from {@link OktaOrgState.clientKey}. */
export const DEFAULT_SERVICE_CLIENT_ID = '0oaservice000000000'

/** The id of the default admin tool ({@link DEFAULT_CLIENTS}): a public client signing an admin in for `okta.*` scopes. */
export const DEFAULT_ADMIN_TOOL_CLIENT_ID = '0oaadmintool0000000'

// What an admin tool and a service need for every operation of the admin
// client: authorization servers, app grants, app tokens.
const MANAGEMENT_SCOPES = ['authorizationServers', 'apps', 'appGrants'].flatMap((area) => [
  `okta.${area}.read`,
  `okta.${area}.manage`,
])

/**
 * The default clients: an SPA, a web app, a service, and an admin tool.
 *
 * | client | id | authentication | grants | redirect URIs |
 * |---|---|---|---|---|
 * | SPA | `0oaspa0000000000000` | `none` (PKCE) | code, refresh, implicit, password | `http://localhost:8080/callback`, `http://127.0.0.1:8080/callback` |
 * | web app | `0oaweb0000000000000` | `client_secret_basic` (or `_post`), secret `web-app-secret-that-is-long-enough-for-hs256` | code, refresh, implicit, password, client credentials | `http://localhost:3000/callback`, `http://127.0.0.1:3000/callback` |
 * | service | {@link DEFAULT_SERVICE_CLIENT_ID} | `private_key_jwt`, key from {@link OktaOrgState.clientKey} | client credentials | none |
 * | admin tool | {@link DEFAULT_ADMIN_TOOL_CLIENT_ID} | `none` (PKCE) | code, refresh | `http://127.0.0.1:7777/callback`, `http://localhost:7777/callback` |
 *
 * The service and the admin tool are granted the `okta.*` scopes of every
 * admin-client operation (`okta.authorizationServers.*`, `okta.apps.*`,
 * `okta.appGrants.*`, read and manage) on the org authorization server.
 */
export const DEFAULT_CLIENTS: readonly OrgClient[] = [
  {
    clientId: '0oaspa0000000000000',
    tokenEndpointAuthMethod: 'none',
    redirectUris: ['http://localhost:8080/callback', 'http://127.0.0.1:8080/callback'],
    postLogoutRedirectUris: ['http://localhost:8080/', 'http://127.0.0.1:8080/'],
  },
  {
    clientId: '0oaweb0000000000000',
    clientSecret: 'web-app-secret-that-is-long-enough-for-hs256',
    tokenEndpointAuthMethod: 'client_secret_basic',
    redirectUris: ['http://localhost:3000/callback', 'http://127.0.0.1:3000/callback'],
    postLogoutRedirectUris: ['http://localhost:3000/', 'http://127.0.0.1:3000/'],
  },
  {
    clientId: DEFAULT_SERVICE_CLIENT_ID,
    tokenEndpointAuthMethod: 'private_key_jwt',
    grantTypes: ['client_credentials'],
    oktaScopes: MANAGEMENT_SCOPES,
  },
  {
    clientId: DEFAULT_ADMIN_TOOL_CLIENT_ID,
    tokenEndpointAuthMethod: 'none',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: ['http://127.0.0.1:7777/callback', 'http://localhost:7777/callback'],
    postLogoutRedirectUris: ['http://127.0.0.1:7777/', 'http://localhost:7777/'],
    oktaScopes: MANAGEMENT_SCOPES,
  },
]

/** The default user. */
export const DEFAULT_USERS: readonly OrgUser[] = [
  {
    id: '00uid4BxXw6I6TV4m0g3',
    login: 'john.doe@example.com',
    password: 'correct horse battery staple',
    profile: {
      name: 'John Doe',
      given_name: 'John',
      family_name: 'Doe',
      email: 'john.doe@example.com',
      email_verified: true,
      locale: 'en-US',
      zoneinfo: 'America/Los_Angeles',
    },
    groups: ['Everyone'],
  },
]
