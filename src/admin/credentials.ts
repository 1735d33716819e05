import type { ServerMetadata } from '../discovery/metadata-type.js'
import { AdminScopeError, InvalidResponseError, OAuthResponseError } from '../errors.js'
import { awaitShared, type FetchLike } from '../lib/http.js'
import { lazy } from '../lib/lazy.js'
import type { Client } from '../oauth/client.js'
import { type ClientOptions, normalizeClientOptions } from '../oauth/client-options.js'
import { type NormalizedOptions, VISIBLE_ASCII } from './normalize.js'
import type { OAuthForOktaAuth } from './options.js'
import { type SharedAdminToken, sharedTokenKey } from './token-store.js'
import type { Operation } from './transport.js'

// OAuth for Okta: scoped `okta.*` tokens from the org authorization server
// (client credentials with `private_key_jwt`), cached and shared, and the API
// calls sent with them through the core client (Bearer, or DPoP with a proof).

/** @internal An access token held by the client, with the scopes it carries. */
export interface HeldToken {
  value: string
  expiresAt: number
  scopes: Set<string>
}

/**
 * The core client (its grants, oauth4webapi's token handling, jose's key
 * import), loaded at the first token request rather than with `./admin`.
 */
const loadCore = lazy(() => import('../oauth/client.js'))

/** A token is renewed this long before it expires, in ms. */
const ISSUED_EARLY_MS = 60_000

/**
 * Tags an API request on its way through the core client so the fetch can
 * keep the response it got; removed before the request is sent.
 */
const CALL_HEADER = 'x-okta-oauth-kit-admin-call'

/** @internal Whether `scopes` cover `scope` (`.manage` covers `.read`; the empty scope is always covered). */
export function covers(scopes: Iterable<string>, scope: string): boolean {
  if (scope === '') return true
  const set = new Set(scopes)
  return set.has(scope) || (scope.endsWith('.read') && set.has(scope.replace(/\.read$/, '.manage')))
}

/**
 * The `AdminScopeError` for a token request the org refused with
 * `invalid_scope` (the app lacks an `okta.*` grant, or a scope is unknown),
 * naming the scopes asked for; undefined for any other failure.
 */
function refusedScopes(
  op: Operation,
  scopes: readonly string[],
  err: unknown,
): AdminScopeError | undefined {
  if (!(err instanceof OAuthResponseError) || err.error !== 'invalid_scope') return undefined
  return new AdminScopeError(
    `${op.name}: the org refused the token request for ${scopes.join(' ')} (invalid_scope); grant those scopes to the app`,
    {
      code: 'ERR_SCOPE_NOT_GRANTED',
      requiredScope: op.scope,
      scopes: [...scopes],
      // The OAuth error without the server's free text (error_description can say anything).
      cause: new OAuthResponseError(undefined, { error: err.error, status: err.status }),
    },
  )
}

/** @internal The OAuth-for-Okta side of one admin client: its tokens, and the core client that uses them. */
export class OAuthCredentials {
  readonly #auth: OAuthForOktaAuth
  /** The core client, created at its first use (see {@link loadCore}). */
  readonly #client: () => Promise<Client>
  /** Responses the core client got for tagged API requests, by tag (see {@link CALL_HEADER}). */
  readonly #captured = new Map<string, Response>()
  #calls = 0
  #token: HeldToken | undefined
  #pendingToken: Promise<HeldToken> | undefined
  readonly #orgUrl: URL
  #storeKey: Promise<string> | undefined
  /** The store dropping a token the API refused: the next token waits for it. */
  #forgetting: Promise<void> | undefined

  /**
   * @throws `InvalidOptionError` for a bad DPoP key pair (the core client's
   * own checks run now; the client itself is created at the first token request).
   */
  constructor(auth: OAuthForOktaAuth, options: NormalizedOptions) {
    this.#auth = auth
    this.#orgUrl = options.orgUrl
    const [metadata, clientOptions] = this.#clientConfig(auth, options)
    normalizeClientOptions(metadata, clientOptions)
    this.#client = lazy(async () => (await loadCore()).createClient(metadata, clientOptions))
  }

  /**
   * What the core client that gets tokens and signs API calls (Bearer or
   * DPoP) is created with. Its fetch keeps the response of each tagged API request: the core client
   * rejects a response carrying a `WWW-Authenticate` challenge (Okta sends one
   * with 401 `invalid_token` and 403 `insufficient_scope`), but the transport
   * needs that response itself, to retry a 401 with a fresh token and to map
   * the Okta error body and rate-limit headers.
   */
  #clientConfig(
    auth: OAuthForOktaAuth,
    options: NormalizedOptions,
  ): [metadata: ServerMetadata, options: ClientOptions] {
    const base = options.fetch
    const captured = this.#captured
    const fetchWithCapture: FetchLike = async (input, init) => {
      const headers = new Headers(init?.headers)
      const tag = headers.get(CALL_HEADER)
      if (tag === null) return base(input, init)
      headers.delete(CALL_HEADER)
      const response = await base(input, { ...init, headers })
      captured.set(tag, response)
      return response
    }
    return [
      {
        issuer: options.orgUrl.origin,
        token_endpoint: new URL('/oauth2/v1/token', options.orgUrl).href,
      },
      {
        clientId: auth.clientId,
        auth: {
          method: 'private_key_jwt',
          key: auth.privateKey,
          ...(auth.kid !== undefined && { kid: auth.kid }),
          ...(auth.algorithm !== undefined && { algorithm: auth.algorithm }),
        },
        ...(auth.dpop && { dpop: auth.dpop }),
        fetch: fetchWithCapture,
        timeout: options.timeout,
        ...(options.allowInsecureRequests && { allowInsecureRequests: true }),
      },
    ]
  }

  /**
   * Send one API request with `token` through the core client: Bearer, or
   * DPoP with a proof per request. A `WWW-Authenticate` challenge the core
   * client rejects is answered with the response itself.
   */
  async fetch(
    token: HeldToken,
    input: Request | URL | string,
    init: RequestInit | undefined,
    timeout: number,
  ): Promise<Response> {
    const request = new Request(input, init)
    const h = new Headers(request.headers)
    h.delete('authorization')
    const tag = String(++this.#calls)
    h.set(CALL_HEADER, tag)
    const body = request.body ? await request.arrayBuffer() : null
    const client = await this.#client()
    try {
      return await client.fetchProtected(token.value, request.url, {
        method: request.method,
        headers: h,
        body,
        timeout,
        signal: request.signal,
      })
    } catch (err) {
      // A WWW-Authenticate challenge: answer with the response itself.
      const response = this.#captured.get(tag)
      if (response && err instanceof OAuthResponseError) return response
      throw err
    } finally {
      this.#captured.delete(tag)
    }
  }

  /** The OAuth token for this request, checked against the operation's scope. */
  async token(op: Operation, signal: AbortSignal | undefined): Promise<HeldToken> {
    let token: HeldToken
    try {
      token = await this.#accessToken(signal)
    } catch (err) {
      throw refusedScopes(op, this.#auth.scopes, err) ?? err
    }
    if (!covers(token.scopes, op.scope)) {
      throw new AdminScopeError(
        `${op.name} needs the scope ${op.scope}, which the issued token does not carry`,
        { code: 'ERR_SCOPE_NOT_GRANTED', requiredScope: op.scope },
      )
    }
    return token
  }

  /** Forget `token` (the API answered 401): the next request gets a fresh one, unless another already did. */
  forget(token: HeldToken): void {
    if (this.#token?.value === token.value) this.#token = undefined
    const store = this.#auth.tokenStore
    if (store?.forget && this.#storeKey) {
      // Best effort: a store that fails here only costs the retry's 401.
      this.#forgetting = this.#storeKey.then((k) => store.forget!(k, token.value)).catch(() => {})
    }
  }

  /** A cached token, renewed shortly before expiry; one request for any number of callers. */
  #accessToken(signal: AbortSignal | undefined): Promise<HeldToken> {
    const held = this.#token
    if (held && held.expiresAt - ISSUED_EARLY_MS > Date.now()) return Promise.resolve(held)
    const store = this.#auth.tokenStore
    this.#pendingToken ??= (async () => {
      let token: HeldToken
      if (store) {
        // Shared by the fleet: the store lets one process request, the others wait for its token.
        this.#storeKey ??= sharedTokenKey(this.#orgUrl, this.#auth)
        await this.#forgetting
        const shared = await store.getToken(
          await this.#storeKey,
          async () => {
            const t = await this.#request()
            return { accessToken: t.value, expiresAt: t.expiresAt, scopes: [...t.scopes] }
          },
          { minTtlMs: ISSUED_EARLY_MS },
        )
        token = fromShared(shared)
      } else {
        token = await this.#request()
      }
      this.#token = token
      return token
    })().finally(() => {
      this.#pendingToken = undefined
    })
    return awaitShared('token request', this.#pendingToken, signal)
  }

  /** One token request to the org (client credentials, `private_key_jwt`). */
  async #request(): Promise<HeldToken> {
    const auth = this.#auth
    const tokens = await (await this.#client()).clientCredentials({ scope: auth.scopes.join(' ') })
    // It goes into an Authorization header: a value a header cannot carry would
    // make fetch throw an error quoting it. Refused here, without echoing it.
    if (!VISIBLE_ASCII.test(tokens.accessToken)) {
      throw new InvalidResponseError(
        'the token endpoint returned an access token a header cannot carry (visible ASCII characters only)',
      )
    }
    // Without `scope` in the response, the server granted what was asked (RFC 6749 §5.1).
    const granted = tokens.scope ? tokens.scope.split(' ').filter(Boolean) : [...auth.scopes]
    return {
      value: tokens.accessToken,
      expiresAt: (tokens.expiresAt ?? Math.floor(Date.now() / 1000) + 300) * 1000,
      scopes: new Set(granted),
    }
  }
}

/** A token from a shared store, checked as one from the org would be. */
function fromShared(shared: SharedAdminToken): HeldToken {
  if (
    typeof shared?.accessToken !== 'string' ||
    !VISIBLE_ASCII.test(shared.accessToken) ||
    !Number.isFinite(shared.expiresAt) ||
    !Array.isArray(shared.scopes)
  ) {
    throw new InvalidResponseError('the shared token store returned something that is not a token')
  }
  return {
    value: shared.accessToken,
    expiresAt: shared.expiresAt,
    scopes: new Set(shared.scopes.filter((s) => typeof s === 'string')),
  }
}
