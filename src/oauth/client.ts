import * as oauth from 'oauth4webapi'
import type { ServerMetadata } from '../discovery/discover.js'
import { InvalidOptionError } from '../errors.js'
import { createJwksCache } from '../jwks/cache.js'
import type { JwksCache } from '../jwks/types.js'
import type { IdTokenClaims } from '../jwt/types.js'
import type { CallOptions } from '../lib/http.js'
import { authorizationUrl } from './authorization.js'
import type {
  AuthorizationRequest,
  AuthorizationTransaction,
  AuthorizationUrl,
} from './authorization-request.js'
import { type AuthorizationResponseInput, ConsumedStates } from './authorization-response.js'
import { handleCallback } from './callback.js'
import { createClientAuth } from './client-auth.js'
import {
  type AuthorizationUrlOptions,
  type ClientOptions,
  httpOptionsOf,
  normalizeClientOptions,
} from './client-options.js'
import type {
  CallbackResult,
  ClientCredentialsParameters,
  CodeExchange,
  IntrospectionResponse,
  LogoutParameters,
  PasswordParameters,
  RefreshParameters,
  TokenTypeHint,
  UserInfo,
  UserInfoOptions,
} from './client-types.js'
import { type ClientContext, checkIdToken } from './context.js'
import { fetchProtected, introspect, logoutUrl, revoke, userinfo } from './endpoints.js'
import { clientCredentials, exchangeCode, password, refresh } from './grants.js'
import type { TokenSet } from './token-set.js'

// The public face of the core client: one method per operation, each
// documented here and implemented in the file of its concept (grants.ts,
// callback.ts, authorization.ts, endpoints.ts), on the state in context.ts.

export type {
  AuthorizationUrlOptions,
  ClientOptions,
  DPoPOptions,
} from './client-options.js'
export type {
  CallbackResult,
  ClientCredentialsParameters,
  CodeExchange,
  IdTokenResult,
  IntrospectionResponse,
  LogoutParameters,
  PasswordParameters,
  RefreshParameters,
  TokenTypeHint,
  UserInfo,
  UserInfoOptions,
} from './client-types.js'

/**
 * A configured OAuth 2.0 / OpenID Connect client of one authorization server.
 * Immutable: create one per server and client id, share it freely.
 */
export class Client {
  /** The server's validated metadata. */
  readonly metadata: ServerMetadata
  /** The client id. */
  readonly clientId: string
  /** The JWKS cache ID tokens are verified against. */
  readonly jwks: JwksCache
  readonly #ctx: ClientContext

  /** Use {@link createClient}. @param metadata - server metadata. @param options - client options. */
  constructor(metadata: ServerMetadata, options: ClientOptions) {
    const config = normalizeClientOptions(metadata, options)
    this.metadata = metadata
    this.clientId = options.clientId
    this.jwks =
      options.jwks ??
      (metadata.jwks_uri
        ? createJwksCache({
            ...httpOptionsOf(options),
            jwksUri: metadata.jwks_uri,
            ...(options.now && { now: options.now }),
          })
        : missingJwks())
    this.#ctx = {
      metadata,
      clientId: options.clientId,
      config,
      auth: createClientAuth(options.auth),
      jwks: this.jwks,
      consumed: new ConsumedStates(),
    }
    Object.freeze(this)
  }

  /**
   * Build an authorization request URL, with fresh `state`, `nonce` and PKCE
   * (S256) and the transaction the response handler needs. Invalid
   * combinations are refused before anything is sent.
   *
   * With `{ par: true }` the parameters are pushed to the server first (PAR,
   * RFC 9126, authenticated like the token endpoint) and the URL carries only
   * `client_id` and the short-lived `request_uri`.
   *
   * @param request - What to ask for; every field has a safe default.
   * @param options - `par` to push the request; signal and timeout for the push.
   * @returns The URL to send the browser to, and the transaction to store.
   * Rejects with `AuthorizationRequestError` (`ERR_INVALID_AUTHORIZATION_REQUEST`, `rule` names the rule);
   * with `par`, also with the errors of {@link Client.exchangeCode} and `ERR_MISSING_ENDPOINT`.
   * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest | OIDC Core §3.1.2.1}, {@link https://www.rfc-editor.org/rfc/rfc7636 | RFC 7636}
   * @example
   * ```ts
   * import type { Client } from 'okta-oauth-kit'
   * declare const client: Client
   * const { url, transaction } = await client.authorizationUrl({ scope: 'openid profile offline_access' })
   * sessionStorage.setItem(`txn:${transaction.state}`, JSON.stringify(transaction))
   * location.assign(url)
   * ```
   */
  authorizationUrl(
    request: AuthorizationRequest = {},
    options: AuthorizationUrlOptions = {},
  ): Promise<AuthorizationUrl> {
    return authorizationUrl(this.#ctx, request, options)
  }

  /**
   * Validate an authorization response and turn it into tokens. It checks,
   * in this order, failing closed: the transaction (this client's, not
   * expired, not used before), `state`, an `error` from the server, `iss`
   * (RFC 9207), and that the parameters are exactly what the response type
   * promises. Then: front-channel ID tokens are validated (signature, nonce,
   * `at_hash`, `c_hash`, …); a code is exchanged with the PKCE verifier, and
   * in hybrid flows the back-channel ID token must be for the same user.
   *
   * @param input - The callback URL, a `form_post` body or `Request`, or an `okta_post_message` payload.
   * @param transaction - The transaction from {@link Client.authorizationUrl}.
   * @param options - signal and timeout for the code exchange.
   * @returns The tokens; for `response_type=id_token`, the validated ID token alone.
   * Rejects with `CallbackError` (`ERR_STATE_MISMATCH`, `ERR_CALLBACK_MALFORMED`,
   * `ERR_CALLBACK_ISSUER_MISMATCH`, `ERR_RESPONSE_TYPE_MISMATCH`, `ERR_TRANSACTION_*`),
   * `AuthorizationResponseError` (`access_denied`, `login_required`, …),
   * `TokenValidationError`, `JwksError`, or the errors of {@link Client.exchangeCode}.
   * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthResponseValidation | OIDC Core §3.1.2.7}, {@link https://www.rfc-editor.org/rfc/rfc9207 | RFC 9207}
   * @example
   * ```ts
   * import type { AuthorizationTransaction, Client } from 'okta-oauth-kit'
   * declare const client: Client
   * declare const transaction: AuthorizationTransaction
   * const result = await client.handleCallback(location.href, transaction)
   * console.log(result.idTokenClaims?.sub)
   * ```
   */
  handleCallback(
    input: AuthorizationResponseInput,
    transaction: AuthorizationTransaction,
    options?: CallOptions,
  ): Promise<CallbackResult> {
    return handleCallback(this.#ctx, input, transaction, options)
  }

  /**
   * Validate an ID token against this client and server: signature (JWKS,
   * algorithm pinned), `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`, `auth_time`.
   *
   * @param idToken - The ID token.
   * @param expected - The nonce and max_age sent, the expected subject, an access token for `at_hash`.
   * @returns The claims. Rejects with `TokenValidationError` or `JwksError`.
   * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation | OIDC Core §3.1.3.7}
   * @example
   * ```ts
   * import type { Client } from 'okta-oauth-kit'
   * declare const client: Client
   * declare const idToken: string
   * const claims = await client.validateIdToken(idToken, { nonce: 'n-0S6_WzA2Mj' })
   * ```
   */
  validateIdToken(
    idToken: string,
    expected: {
      nonce?: string
      maxAge?: number
      expectedSubject?: string
      accessToken?: string
    } = {},
  ): Promise<IdTokenClaims> {
    return checkIdToken(this.#ctx, idToken, expected)
  }

  /**
   * Exchange an authorization code (with its PKCE verifier) for tokens, and
   * validate the ID token.
   *
   * @param params - The code, the PKCE verifier, and what was sent (redirect URI, nonce, max_age).
   * @param options - signal and timeout.
   * @returns The token set. Rejects with `OAuthResponseError` (e.g. `invalid_grant`),
   * `TokenValidationError`, `JwksError`, `InvalidResponseError`, `NetworkError`,
   * `TimeoutError`, `AbortError`.
   * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 | RFC 6749 §4.1.3}, {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.5 | RFC 7636 §4.5}
   * @example
   * ```ts
   * import type { Client } from 'okta-oauth-kit'
   * declare const client: Client
   * const tokens = await client.exchangeCode({ code: 'the-code', codeVerifier: 'the-verifier', nonce: 'the-nonce' })
   * console.log(tokens.idTokenClaims?.sub)
   * ```
   */
  exchangeCode(params: CodeExchange, options?: CallOptions): Promise<TokenSet> {
    return exchangeCode(this.#ctx, params, options)
  }

  /**
   * Use a refresh token. When the server rotates refresh tokens, the result
   * carries the new one: store it and drop the old.
   *
   * @param refreshToken - The refresh token.
   * @param params - Scope down-selection; the expected subject of a refreshed ID token.
   * @param options - signal and timeout.
   * @returns The new token set. Rejects like {@link Client.exchangeCode}.
   * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
   * @example
   * ```ts
   * import type { Client, TokenSet } from 'okta-oauth-kit'
   * declare const client: Client
   * declare const tokens: TokenSet
   * const fresh = await client.refresh(tokens.refreshToken!, { expectedSubject: tokens.idTokenClaims?.sub })
   * ```
   */
  refresh(
    refreshToken: string,
    params: RefreshParameters = {},
    options?: CallOptions,
  ): Promise<TokenSet> {
    return refresh(this.#ctx, refreshToken, params, options)
  }

  /**
   * The resource owner password grant, for trusted first-party apps and tests.
   *
   * > [!WARNING]
   * > Legacy: the app sees the user's password and MFA cannot be prompted. Prefer the code flow.
   *
   * @param params - Username, password and scope.
   * @param options - signal and timeout.
   * @returns The token set. Rejects like {@link Client.exchangeCode}; wrong credentials give `invalid_grant`.
   * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.3 | RFC 6749 §4.3}
   * @example
   * ```ts
   * import type { Client } from 'okta-oauth-kit'
   * declare const client: Client
   * const tokens = await client.password({ username: 'alice@example.com', password: 's3cret', scope: 'openid profile' })
   * ```
   */
  password(params: PasswordParameters, options?: CallOptions): Promise<TokenSet> {
    return password(this.#ctx, params, options)
  }

  /**
   * The client credentials grant: a token for the client itself (service apps,
   * `okta.*` management scopes). Needs a confidential client.
   *
   * @param params - Scope and extra parameters.
   * @param options - signal and timeout.
   * @returns The token set (no ID or refresh token). Rejects like {@link Client.exchangeCode}.
   * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4 | RFC 6749 §4.4}
   * @example
   * ```ts
   * import type { Client } from 'okta-oauth-kit'
   * declare const client: Client
   * const { accessToken } = await client.clientCredentials({ scope: 'okta.authorizationServers.read' })
   * ```
   */
  clientCredentials(
    params: ClientCredentialsParameters = {},
    options?: CallOptions,
  ): Promise<TokenSet> {
    return clientCredentials(this.#ctx, params, options)
  }

  /**
   * Ask the server whether a token is active (RFC 7662).
   *
   * @param token - An access, refresh or ID token.
   * @param params - The token type hint.
   * @param options - signal and timeout.
   * @returns The introspection response; `active: false` for revoked, expired or unknown tokens.
   * Rejects with `OAuthResponseError` (`invalid_client`, `invalid_request`), `InvalidResponseError`, transport errors.
   * @see {@link https://www.rfc-editor.org/rfc/rfc7662 | RFC 7662}
   * @example
   * ```ts
   * import type { Client } from 'okta-oauth-kit'
   * declare const client: Client
   * declare const accessToken: string
   * const { active, scope } = await client.introspect(accessToken, { tokenTypeHint: 'access_token' })
   * ```
   */
  introspect(
    token: string,
    params: { tokenTypeHint?: TokenTypeHint } = {},
    options?: CallOptions,
  ): Promise<IntrospectionResponse> {
    return introspect(this.#ctx, token, params, options)
  }

  /**
   * Revoke an access or refresh token (RFC 7009). The server answers 200
   * with an empty body, also for tokens that were already invalid.
   *
   * @param token - The token to revoke.
   * @param params - The token type hint.
   * @param options - signal and timeout.
   * @returns Nothing. Rejects with `OAuthResponseError` (`invalid_client`, …), `InvalidResponseError`, transport errors.
   * @see {@link https://www.rfc-editor.org/rfc/rfc7009 | RFC 7009}
   * @example
   * ```ts
   * import type { Client } from 'okta-oauth-kit'
   * declare const client: Client
   * declare const refreshToken: string
   * await client.revoke(refreshToken, { tokenTypeHint: 'refresh_token' })
   * ```
   */
  revoke(
    token: string,
    params: { tokenTypeHint?: Exclude<TokenTypeHint, 'id_token'> } = {},
    options?: CallOptions,
  ): Promise<void> {
    return revoke(this.#ctx, token, params, options)
  }

  /**
   * Read the user's claims from the userinfo endpoint. The response's `sub`
   * must be the ID token's: pass the {@link TokenSet} (its ID token claims
   * are used) or `expectedSubject`.
   *
   * @param tokens - The token set from sign-in, or a bare access token.
   * @param options - The expected subject, signal and timeout.
   * @returns The claims. Rejects with `OAuthResponseError` (401 `invalid_token`,
   * 403 `insufficient_scope`, parsed from `WWW-Authenticate`),
   * `TokenValidationError` (`ERR_SUBJECT_MISMATCH`), transport errors.
   * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#UserInfo | OIDC Core §5.3}
   * @example
   * ```ts
   * import type { Client, TokenSet } from 'okta-oauth-kit'
   * declare const client: Client
   * declare const tokens: TokenSet
   * const user = await client.userinfo(tokens)
   * console.log(user.email)
   * ```
   */
  userinfo(tokens: TokenSet | string, options: UserInfoOptions = {}): Promise<UserInfo> {
    return userinfo(this.#ctx, tokens, options)
  }

  /**
   * Call a resource server with an access token: `Authorization: Bearer …`,
   * or `DPoP …` with a proof when the client uses DPoP (answering one
   * `use_dpop_nonce` challenge). The response is returned as is, whatever its
   * status, except a `WWW-Authenticate` challenge on 401, which rejects.
   *
   * @param accessToken - The access token (or the token set holding it).
   * @param url - The resource URL.
   * @param init - Method (default GET), headers (no `authorization`), body, signal and timeout.
   * @returns The resource server's response. Rejects with `OAuthResponseError` for a
   * `WWW-Authenticate` challenge (e.g. `invalid_token`), or transport errors.
   * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.1 | RFC 6750 §2.1}, {@link https://www.rfc-editor.org/rfc/rfc9449#section-7 | RFC 9449 §7}
   * @example
   * ```ts
   * import type { Client, TokenSet } from 'okta-oauth-kit'
   * declare const client: Client
   * declare const tokens: TokenSet
   * const response = await client.fetchProtected(tokens, 'https://api.example.com/orders')
   * console.log(await response.json())
   * ```
   */
  fetchProtected(
    accessToken: string | Pick<TokenSet, 'accessToken'>,
    url: string | URL,
    init: { method?: string; headers?: HeadersInit; body?: BodyInit | null } & CallOptions = {},
  ): Promise<Response> {
    return fetchProtected(this.#ctx, accessToken, url, init)
  }

  /**
   * Build the RP-initiated logout URL (`end_session_endpoint`, `/v1/logout`).
   *
   * @param params - `id_token_hint` (required), `post_logout_redirect_uri`, `state`.
   * @returns The URL to send the user's browser to.
   * @see {@link https://openid.net/specs/openid-connect-rpinitiated-1_0.html | OIDC RP-Initiated Logout}
   * @example
   * ```ts
   * import type { Client } from 'okta-oauth-kit'
   * declare const client: Client
   * declare const idToken: string
   * const url = client.logoutUrl({ idTokenHint: idToken, postLogoutRedirectUri: 'https://app.example.com/', state: 'xyz' })
   * ```
   */
  logoutUrl(params: LogoutParameters): URL {
    return logoutUrl(this.#ctx, params)
  }
}

function missingJwks(): JwksCache {
  const fail = () => {
    throw new InvalidOptionError('the server metadata has no jwks_uri', {
      code: 'ERR_MISSING_ENDPOINT',
    })
  }
  return {
    jwksUri: '',
    getKey: async () => fail(),
    peek: () => undefined,
    resolve: async () => fail(),
    holds: () => false,
    reload: async () => fail(),
    export: () => undefined,
    import: () => false,
    jwks: undefined,
  }
}

/**
 * Generate a non-extractable key pair for DPoP (RFC 9449).
 *
 * @param alg - The JWS algorithm: `ES256` (default), `ES384`, `PS256`, `RS256`, `EdDSA`, …
 * @returns The key pair, for `ClientOptions.dpop`.
 * @example
 * ```ts
 * import { createClient, discover, generateDPoPKeyPair } from 'okta-oauth-kit'
 * const client = createClient(await discover('https://example.okta.com/oauth2/default'), {
 *   clientId: '0oa1example',
 *   dpop: { keyPair: await generateDPoPKeyPair() },
 * })
 * ```
 */
export function generateDPoPKeyPair(alg = 'ES256'): Promise<CryptoKeyPair> {
  return oauth.generateKeyPair(alg)
}

/**
 * Create a client for one authorization server.
 *
 * @param metadata - The server's metadata, from {@link discover} (or built by hand).
 * @param options - Client id, authentication, defaults.
 * @returns The client. Throws `InvalidOptionError` for bad options.
 * @example
 * ```ts
 * import { createClient, discover } from 'okta-oauth-kit'
 * const client = createClient(await discover('https://example.okta.com/oauth2/default'), {
 *   clientId: '0oa1example',
 *   redirectUri: 'https://app.example.com/callback',
 *   auth: { method: 'client_secret_basic', clientSecret: process.env.CLIENT_SECRET! },
 * })
 * ```
 */
export function createClient(metadata: ServerMetadata, options: ClientOptions): Client {
  return new Client(metadata, options)
}
