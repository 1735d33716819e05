import * as oauth from 'oauth4webapi'
import type { ServerMetadata } from '../discovery/discover.js'
import { CallbackError, InvalidOptionError, InvalidResponseError } from '../errors.js'
import { createJwksCache, type JwksCache } from '../jwks/cache.js'
import { type IdTokenClaims, validateIdToken } from '../jwt/id-token.js'
import { isForbiddenAlg } from '../lib/algorithms.js'
import { boundedFetch, RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import {
  assertHeaderValue,
  assertSecureUrl,
  type CallOptions,
  type HttpOptions,
  parseUrl,
  resolveFetch,
  withSignal,
} from '../lib/http.js'
import { metadataProblem } from '../lib/metadata.js'
import { toSdkError } from '../lib/to-sdk-error.js'
import {
  type AuthorizationRequest,
  type AuthorizationTransaction,
  type AuthorizationUrl,
  buildAuthorizationUrl,
} from './authorization-request.js'
import {
  type AuthorizationResponseInput,
  assertTransaction,
  ConsumedStates,
  checkResponse,
  readResponse,
} from './authorization-response.js'
import { type ClientAuth, type ClientAuthFactory, createClientAuth } from './client-auth.js'
import { type TokenSet, toTokenSet } from './token-set.js'

/** Options of {@link createClient}. */
export interface ClientOptions extends HttpOptions {
  /** The client id (`0oa…` at Okta). */
  clientId: string
  /** The default `redirect_uri` for authorization requests and code exchange. */
  redirectUri?: string
  /** The default `post_logout_redirect_uri` of {@link Client.logoutUrl}. */
  postLogoutRedirectUri?: string
  /** How the client authenticates to the server. Default: `{ method: 'none' }` (public client). */
  auth?: ClientAuth
  /** Tolerance for token time claims, in seconds. Default: 30. */
  clockTolerance?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
  /**
   * Algorithms accepted for ID token signatures. Default: the server's
   * `id_token_signing_alg_values_supported` without `none` and HMAC, or `["RS256"]`.
   */
  idTokenSigningAlgorithms?: readonly string[]
  /** A JWKS cache to share (e.g. with a verifier). Default: one per client, for the server's `jwks_uri`. */
  jwks?: JwksCache
  /**
   * Allow `okta_post_message` with a pure `code` response type. The documented
   * server forbids it; newer Okta orgs accept it. Default: false.
   */
  postMessageForCode?: boolean
  /** How long an authorization transaction stays usable, in ms. Default: 600 000 (10 min). */
  transactionTtl?: number
  /**
   * Bind tokens to a key pair with DPoP (RFC 9449): proofs go to the token,
   * userinfo and resource requests ({@link Client.fetchProtected}), and the
   * server's `use_dpop_nonce` challenge is answered with one retry. Make the
   * pair with {@link generateDPoPKeyPair}.
   */
  dpop?: DPoPOptions
}

/** DPoP settings of a client. */
export interface DPoPOptions {
  /** The key pair proofs are signed with; tokens are bound to its public key. */
  keyPair: CryptoKeyPair
}

/** Options of {@link Client.authorizationUrl}. */
export interface AuthorizationUrlOptions extends CallOptions {
  /** Push the request to the server's `pushed_authorization_request_endpoint` (RFC 9126). */
  par?: boolean
}

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
  readonly #options: ClientOptions
  readonly #auth: ClientAuthFactory
  readonly #algorithms: readonly string[]
  readonly #consumed = new ConsumedStates()
  readonly #dpop: oauth.DPoPHandle | undefined
  readonly #maxResponseBytes: number

  /** Use {@link createClient}. @param metadata - server metadata. @param options - client options. */
  constructor(metadata: ServerMetadata, options: ClientOptions) {
    if (typeof metadata !== 'object' || metadata === null || typeof metadata.issuer !== 'string') {
      throw new InvalidOptionError(
        'metadata must be server metadata with an issuer (see discover())',
      )
    }
    if (typeof options?.clientId !== 'string' || options.clientId.length === 0) {
      throw new InvalidOptionError('clientId must be a non-empty string')
    }
    if (options.clockTolerance !== undefined && !(options.clockTolerance >= 0)) {
      throw new InvalidOptionError('clockTolerance must be a non-negative number of seconds')
    }
    for (const [name, value] of [
      ['redirectUri', options.redirectUri],
      ['postLogoutRedirectUri', options.postLogoutRedirectUri],
    ] as const) {
      if (value !== undefined) parseUrl(value, name)
    }
    this.#maxResponseBytes = responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.protocol)
    // Metadata from discover() is checked already; metadata built by hand is the caller's.
    const problem = metadataProblem(metadata as Record<string, unknown>, undefined)
    if (problem) throw new InvalidOptionError(`metadata.${problem[0]} must be ${problem[1]}`)
    if (
      options.idTokenSigningAlgorithms !== undefined &&
      !(
        Array.isArray(options.idTokenSigningAlgorithms) &&
        options.idTokenSigningAlgorithms.every((a) => typeof a === 'string')
      )
    ) {
      throw new InvalidOptionError('idTokenSigningAlgorithms must be a list of algorithm names')
    }
    this.metadata = metadata
    this.clientId = options.clientId
    this.#options = { ...options }
    this.#auth = createClientAuth(options.auth)
    const advertised = metadata.id_token_signing_alg_values_supported
    this.#algorithms = (options.idTokenSigningAlgorithms ?? advertised ?? ['RS256']).filter(
      (alg) => !isForbiddenAlg(alg),
    )
    if (this.#algorithms.length === 0) this.#algorithms = ['RS256']
    if (options.dpop !== undefined) {
      const pair = options.dpop?.keyPair
      if (!pair?.privateKey || !pair.publicKey) {
        throw new InvalidOptionError(
          'dpop.keyPair must be a CryptoKeyPair (see generateDPoPKeyPair)',
        )
      }
      this.#dpop = oauth.DPoP({}, pair)
    }
    if (options.jwks) {
      this.jwks = options.jwks
    } else {
      const jwksUri = metadata.jwks_uri
      this.jwks = jwksUri
        ? createJwksCache({ ...this.#http(), jwksUri, ...(options.now && { now: options.now }) })
        : missingJwks()
    }
    Object.freeze(this)
  }

  #http(): HttpOptions {
    const o = this.#options
    return {
      ...(o.fetch && { fetch: o.fetch }),
      ...(o.timeout !== undefined && { timeout: o.timeout }),
      ...(o.maxResponseBytes !== undefined && { maxResponseBytes: o.maxResponseBytes }),
      ...(o.allowInsecureRequests !== undefined && {
        allowInsecureRequests: o.allowInsecureRequests,
      }),
    }
  }

  #now(): number {
    return (this.#options.now ?? Date.now)()
  }

  #client(): oauth.Client {
    return {
      client_id: this.clientId,
      [oauth.clockTolerance]: this.#options.clockTolerance ?? 30,
      [oauth.clockSkew]: Math.round((this.#now() - Date.now()) / 1000),
    }
  }

  /** The endpoint URL, checked for https (or loopback http). */
  #endpoint(name: keyof ServerMetadata & `${string}_endpoint`): URL {
    const value = this.metadata[name]
    if (typeof value !== 'string') {
      throw new InvalidOptionError(`the server metadata has no ${name}`, {
        code: 'ERR_MISSING_ENDPOINT',
      })
    }
    const url = parseUrl(value, name)
    assertSecureUrl(url, name, this.#options.allowInsecureRequests)
    return url
  }

  /**
   * Options for an oauth4webapi request. With an `operation`, every body is
   * read through the bounded reader before oauth4webapi sees it; without one
   * (a resource server's response, returned to the caller unread) it is not.
   */
  #requestOptions(signal: AbortSignal, operation?: string) {
    const fetch = resolveFetch(this.#options)
    return {
      signal,
      ...(this.#dpop && { DPoP: this.#dpop }),
      [oauth.customFetch]: (operation === undefined
        ? fetch
        : boundedFetch(fetch, this.#maxResponseBytes, operation)) as typeof fetch,
      // assertSecureUrl has already refused http: off loopback unless allowed.
      [oauth.allowInsecureRequests]: true,
    }
  }

  /** Run a DPoP-bound exchange, answering one `use_dpop_nonce` challenge (the handle caches the nonce). */
  async #withDpopRetry<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      if (this.#dpop && oauth.isDPoPNonceError(err)) return run()
      throw err
    }
  }

  async #grant(
    operation: string,
    grantType: string,
    parameters: Record<string, string>,
    process: (
      as: oauth.AuthorizationServer,
      client: oauth.Client,
      response: Response,
    ) => Promise<oauth.TokenEndpointResponse>,
    validation: {
      nonce?: string
      maxAge?: number
      expectedSubject?: string
      requireIdToken?: boolean
    },
    call: CallOptions | undefined,
  ): Promise<TokenSet> {
    const endpoint = this.#endpoint('token_endpoint')
    return withSignal(operation, this.#options, call, async (signal) => {
      const client = this.#client()
      const sentAt = Math.floor(this.#now() / 1000)
      let idToken: unknown
      const result = await this.#withDpopRetry(async () => {
        const response = await oauth.genericTokenEndpointRequest(
          this.metadata,
          client,
          await this.#auth(endpoint.href),
          grantType,
          parameters,
          this.#requestOptions(signal, operation),
        )
        // One validation path for ID tokens on every flow: the SDK's own
        // (signature, then every claim). oauth4webapi processes the rest of
        // the response without it, so a defect gets the same error here as
        // on the implicit and hybrid flows.
        const detached = await detachIdToken(response)
        idToken = detached.idToken
        return processed(operation, detached.response, () =>
          process(this.metadata, client, detached.response),
        )
      })
      let claims: IdTokenClaims | undefined
      if (idToken !== undefined) {
        if (typeof idToken !== 'string') {
          throw new InvalidResponseError(`${operation}: the response's id_token is not a string`)
        }
        claims = await this.validateIdToken(idToken, {
          nonce: validation.nonce,
          maxAge: validation.maxAge,
          expectedSubject: validation.expectedSubject,
          accessToken: result.access_token,
        })
      } else if (validation.requireIdToken) {
        throw new InvalidResponseError(
          `${operation}: the response has no id_token although the request was an OpenID Connect one`,
        )
      }
      const tokens = toTokenSet(
        idToken === undefined ? result : { ...result, id_token: idToken as string },
        sentAt,
        claims,
      )
      for (const [member, value] of [
        ['access_token', tokens.accessToken],
        ['refresh_token', tokens.refreshToken],
      ] as const) {
        // A token is sent in headers and forms later: refuse one that cannot be, now.
        if (value !== undefined && !/^[\x21-\x7e]+$/.test(value)) {
          throw new InvalidResponseError(
            `${operation}: the response's ${member} holds characters a token cannot have`,
          )
        }
      }
      return tokens
    })
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
  async authorizationUrl(
    request: AuthorizationRequest = {},
    options: AuthorizationUrlOptions = {},
  ): Promise<AuthorizationUrl> {
    const built = await buildAuthorizationUrl(
      this.metadata,
      {
        clientId: this.clientId,
        redirectUri: this.#options.redirectUri,
        postMessageForCode: this.#options.postMessageForCode ?? false,
        allowInsecureRequests: this.#options.allowInsecureRequests,
        now: () => this.#now(),
      },
      request,
    )
    if (!options.par) return built
    const endpoint = this.#endpoint('pushed_authorization_request_endpoint')
    const requestUri = await withSignal(
      'pushed authorization request',
      this.#options,
      options,
      async (signal) => {
        const client = this.#client()
        const response = await oauth.pushedAuthorizationRequest(
          this.metadata,
          client,
          await this.#auth(endpoint.href),
          built.url.searchParams,
          this.#requestOptions(signal, 'pushed authorization request'),
        )
        return (
          await processed('pushed authorization request', response, () =>
            oauth.processPushedAuthorizationResponse(this.metadata, client, response),
          )
        ).request_uri
      },
    )
    // Only client_id and request_uri travel through the browser; the rest was pushed.
    const url = new URL(this.metadata.authorization_endpoint!)
    url.search = new URLSearchParams({
      client_id: this.clientId,
      request_uri: requestUri,
    }).toString()
    return { url, transaction: built.transaction }
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
  async handleCallback(
    input: AuthorizationResponseInput,
    transaction: AuthorizationTransaction,
    options?: CallOptions,
  ): Promise<CallbackResult> {
    assertTransaction(transaction, this.metadata.issuer, this.clientId)
    const now = this.#now()
    const ttl = this.#options.transactionTtl ?? 600_000
    if (now - transaction.createdAt > ttl || transaction.createdAt > now + 60_000) {
      throw new CallbackError('the transaction has expired', {
        code: 'ERR_TRANSACTION_EXPIRED',
        parameter: 'transaction',
      })
    }
    const params = await readResponse(input, transaction.responseMode)
    // One response per transaction: consume the state as soon as it matches.
    if (
      params.get('state') === transaction.state &&
      !this.#consumed.consume(transaction.state, transaction.createdAt + ttl, now)
    ) {
      throw new CallbackError('the transaction was already used', {
        code: 'ERR_TRANSACTION_REUSED',
        parameter: 'state',
      })
    }
    const response = checkResponse(
      params,
      transaction,
      this.metadata.authorization_response_iss_parameter_supported === true,
    )
    const maxAge = transaction.maxAge
    let front: IdTokenClaims | undefined
    if (response.idToken !== undefined) {
      front = await this.validateIdToken(response.idToken, {
        nonce: transaction.nonce,
        ...(maxAge !== undefined && { maxAge }),
        ...(response.accessToken !== undefined && {
          accessToken: response.accessToken,
          requireAtHash: true,
        }),
        ...(response.code !== undefined && { code: response.code, requireCHash: true }),
      })
    }
    if (response.code !== undefined) {
      if (typeof transaction.codeVerifier !== 'string') {
        throw new CallbackError('the transaction has no PKCE verifier', {
          code: 'ERR_TRANSACTION_INVALID',
          parameter: 'transaction',
        })
      }
      const tokens = await this.exchangeCode(
        {
          code: response.code,
          codeVerifier: transaction.codeVerifier,
          redirectUri: transaction.redirectUri,
          nonce: transaction.nonce,
          ...(maxAge !== undefined && { maxAge }),
          ...(front && { expectedSubject: front.sub }),
        },
        options,
      )
      if (front && tokens.idToken === undefined)
        return { ...tokens, idToken: response.idToken!, idTokenClaims: front }
      return tokens
    }
    if (response.accessToken !== undefined) {
      const tokens: TokenSet = { accessToken: response.accessToken, tokenType: response.tokenType! }
      if (response.expiresIn !== undefined) {
        tokens.expiresIn = response.expiresIn
        tokens.expiresAt = Math.floor(now / 1000) + response.expiresIn
      }
      if (response.scope !== undefined) tokens.scope = response.scope
      if (front) Object.assign(tokens, { idToken: response.idToken!, idTokenClaims: front })
      return tokens
    }
    return { idToken: response.idToken!, idTokenClaims: front! }
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
    return validateIdToken(idToken, {
      issuer: this.metadata.issuer,
      clientId: this.clientId,
      keys: this.jwks.getKey,
      algorithms: this.#algorithms,
      clockTolerance: this.#options.clockTolerance ?? 30,
      now: () => this.#now(),
      ...expected,
    })
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
    requireString(params?.code, 'code')
    requireString(params.codeVerifier, 'codeVerifier')
    const redirectUri = params.redirectUri ?? this.#options.redirectUri
    requireString(redirectUri, 'redirectUri')
    const { nonce, maxAge, expectedSubject } = params
    return this.#grant(
      'authorization code exchange',
      'authorization_code',
      { code: params.code, code_verifier: params.codeVerifier, redirect_uri: redirectUri },
      // The ID token is detached before this runs (see #grant): the SDK validates it.
      (as, client, response) =>
        oauth.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: oauth.expectNoNonce,
          maxAge: oauth.skipAuthTimeCheck,
        }),
      {
        requireIdToken: nonce !== undefined,
        ...(nonce !== undefined && { nonce }),
        ...(maxAge !== undefined && { maxAge }),
        ...(expectedSubject !== undefined && { expectedSubject }),
      },
      options,
    )
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
    requireString(refreshToken, 'refreshToken')
    const parameters: Record<string, string> = { refresh_token: refreshToken }
    if (params.scope !== undefined) parameters.scope = params.scope
    return this.#grant(
      'refresh token grant',
      'refresh_token',
      parameters,
      (as, client, response) => oauth.processRefreshTokenResponse(as, client, response),
      params.expectedSubject !== undefined ? { expectedSubject: params.expectedSubject } : {},
      options,
    )
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
    requireString(params?.username, 'username')
    requireString(params.password, 'password')
    requireString(params.scope, 'scope')
    return this.#grant(
      'password grant',
      'password',
      { username: params.username, password: params.password, scope: params.scope },
      (as, client, response) => oauth.processGenericTokenEndpointResponse(as, client, response),
      {},
      options,
    )
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
    const parameters: Record<string, string> = { ...params.extra }
    if (params.scope !== undefined) parameters.scope = params.scope
    return this.#grant(
      'client credentials grant',
      'client_credentials',
      parameters,
      (as, client, response) => oauth.processClientCredentialsResponse(as, client, response),
      {},
      options,
    )
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
    requireString(token, 'token')
    const endpoint = this.#endpoint('introspection_endpoint')
    return withSignal('introspection', this.#options, options, async (signal) => {
      const client = this.#client()
      const response = await oauth.introspectionRequest(
        this.metadata,
        client,
        await this.#auth(endpoint.href),
        token,
        {
          ...this.#requestOptions(signal, 'introspection'),
          ...(params.tokenTypeHint && {
            additionalParameters: { token_type_hint: params.tokenTypeHint },
          }),
        },
      )
      return (await processed('introspection', response, () =>
        oauth.processIntrospectionResponse(this.metadata, client, response),
      )) as IntrospectionResponse
    })
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
    requireString(token, 'token')
    const endpoint = this.#endpoint('revocation_endpoint')
    return withSignal('revocation', this.#options, options, async (signal) => {
      const response = await oauth.revocationRequest(
        this.metadata,
        this.#client(),
        await this.#auth(endpoint.href),
        token,
        {
          ...this.#requestOptions(signal, 'revocation'),
          ...(params.tokenTypeHint && {
            additionalParameters: { token_type_hint: params.tokenTypeHint },
          }),
        },
      )
      await processed('revocation', response, () => oauth.processRevocationResponse(response))
    })
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
    const accessToken = typeof tokens === 'string' ? tokens : tokens?.accessToken
    requireString(accessToken, 'accessToken')
    assertHeaderValue(accessToken, 'accessToken')
    const expected =
      options.expectedSubject ??
      (typeof tokens === 'string' ? undefined : tokens.idTokenClaims?.sub)
    if (expected === undefined && !options.skipSubjectCheck) {
      throw new InvalidOptionError(
        'userinfo needs the ID token subject: pass the TokenSet, expectedSubject, or skipSubjectCheck: true',
      )
    }
    this.#endpoint('userinfo_endpoint')
    return withSignal('userinfo', this.#options, options, async (signal) => {
      const client = this.#client()
      const response = await oauth.userInfoRequest(
        this.metadata,
        client,
        accessToken,
        this.#requestOptions(signal, 'userinfo'),
      )
      return (await processed('userinfo', response, () =>
        oauth.processUserInfoResponse(
          this.metadata,
          client,
          expected ?? oauth.skipSubjectCheck,
          response,
        ),
      )) as UserInfo
    })
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
    const token = typeof accessToken === 'string' ? accessToken : accessToken?.accessToken
    requireString(token, 'accessToken')
    assertHeaderValue(token, 'accessToken')
    const target = parseUrl(url, 'url')
    assertSecureUrl(target, 'url', this.#options.allowInsecureRequests)
    let headers: Headers
    try {
      headers = new Headers(init.headers)
    } catch {
      // Headers' own message quotes the offending value.
      throw new InvalidOptionError('init.headers holds a header name or value that cannot be sent')
    }
    return withSignal('protected resource request', this.#options, init, (signal) =>
      this.#withDpopRetry(async () =>
        oauth.protectedResourceRequest(
          token,
          init.method ?? 'GET',
          target,
          headers,
          (init.body ?? null) as oauth.ProtectedResourceRequestBody,
          // Same options as every call; only the fetch's body type is declared narrower there.
          this.#requestOptions(signal) as oauth.ProtectedResourceRequestOptions,
        ),
      ),
    )
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
    requireString(params?.idTokenHint, 'idTokenHint')
    const url = new URL(this.#endpoint('end_session_endpoint'))
    for (const [name, value] of Object.entries(params.extra ?? {}))
      url.searchParams.set(name, value)
    url.searchParams.set('id_token_hint', params.idTokenHint)
    const redirect = params.postLogoutRedirectUri ?? this.#options.postLogoutRedirectUri
    if (redirect !== undefined) {
      parseUrl(redirect, 'postLogoutRedirectUri')
      // Sent verbatim: the server compares it with the registered value as a string.
      url.searchParams.set('post_logout_redirect_uri', redirect)
    }
    if (params.state !== undefined) url.searchParams.set('state', params.state)
    return url
  }
}

/**
 * Run oauth4webapi's processing of a response: what it throws there is about
 * the server's answer (a `token_type` it does not know is the server's fault,
 * not the caller's). A DPoP nonce challenge passes through for the retry.
 */
async function processed<T>(
  operation: string,
  response: Response,
  process: () => Promise<T>,
): Promise<T> {
  try {
    return await process()
  } catch (err) {
    if (oauth.isDPoPNonceError(err)) throw err
    throw toSdkError(err, operation, 'response', response.status)
  }
}

/**
 * Take the `id_token` out of a successful JSON token response, so that
 * oauth4webapi processes the rest and the SDK validates the ID token itself.
 * The response is buffered already (bounded); anything that is not a JSON
 * object is handed on as it is, for oauth4webapi to refuse.
 */
async function detachIdToken(
  response: Response,
): Promise<{ response: Response; idToken?: unknown }> {
  if (response.status !== 200) return { response }
  const text = await response.text()
  const rebuild = (body: string) => {
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    return new Response(body, { status: response.status, statusText: response.statusText, headers })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { response: rebuild(text) }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('id_token' in json)) {
    return { response: rebuild(text) }
  }
  const { id_token: idToken, ...rest } = json as Record<string, unknown>
  return { response: rebuild(JSON.stringify(rest)), idToken }
}

function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(`${name} must be a non-empty string`)
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
