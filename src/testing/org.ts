import { InvalidOptionError } from '../errors.js'
import { randomBase64url } from '../lib/base64url.js'
import { clientKeyOf, type OrgClientKey } from './model/client-keys.js'
import type { IssuedCode, IssuedToken } from './model/issued.js'
import { fillKeyPool } from './model/key-pool.js'
import type { ServerState } from './model/server-state.js'
import { activeKey, newServerKeys, rotateServerKeys } from './model/signing-keys.js'
import {
  type ApiRateLimit,
  DEFAULT_API_TOKEN,
  DEFAULT_CLIENTS,
  DEFAULT_USERS,
  type OktaOrgOptions,
  type OrgClient,
  type OrgUser,
} from './options.js'
import type { OrgSignInOptions, OrgSignInResult } from './sign-in.js'

// The emulated org's state and the controls tests steer it with, its
// scopes, and how it is built from the options.

/** A scripted misbehaviour of one endpoint. */
export interface Misbehaviour {
  /** Respond with this status and JSON body instead of the real answer. */
  status?: number
  /** The body of that response. Default: an Okta error body. */
  body?: unknown
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>
  /** Wait this long before answering, in ms. */
  delay?: number
  /** How many requests it applies to. Default: 1. `Infinity` for all. */
  times?: number
}

/** The endpoints a {@link Misbehaviour} can target. */
export type OrgEndpoint =
  | 'discovery'
  | 'authorize'
  | 'token'
  | 'keys'
  | 'userinfo'
  | 'introspect'
  | 'revoke'
  | 'logout'
  | 'par'
  | 'api'

/**
 * The emulated org's state, shared by its request handlers: inspect it and
 * steer it from tests (sign users in and out, rotate keys, move the clock,
 * make endpoints fail or slow down).
 */
export class OktaOrgState {
  /** The org's base URL. */
  readonly orgUrl: string
  /** Users by id. */
  readonly users = new Map<string, Required<Pick<OrgUser, 'id' | 'login' | 'password'>> & OrgUser>()
  /** Clients by id. */
  readonly clients = new Map<string, OrgClient>()
  /** @internal Servers by issuer. */
  readonly servers = new Map<string, ServerState>()
  /** @internal Tokens by value. */
  readonly tokens = new Map<string, IssuedToken>()
  /** @internal Codes by value. */
  readonly codes = new Map<string, IssuedCode>()
  /** @internal Pushed authorization requests by `request_uri`. */
  readonly pushed = new Map<string, { params: URLSearchParams; exp: number }>()
  /** @internal Client assertion `jti`s already used. */
  readonly assertionIds = new Set<string>()
  /** @internal Consent given, as `clientId userId`. */
  readonly consents = new Set<string>()
  /** @internal Session tokens (from createSessionToken), one use each. */
  readonly sessionTokens = new Map<string, string>()
  /** @internal Scripted misbehaviours. */
  readonly misbehaviours = new Map<OrgEndpoint, Misbehaviour[]>()
  /** @internal Options. */
  readonly tokenLifetime: number
  /** @internal Options. */
  readonly refreshTokenLifetime: number
  /** @internal Options. */
  readonly rotateRefreshTokens: boolean
  /** @internal SSWS tokens of the management API. */
  readonly apiTokens: ReadonlySet<string>
  /** @internal The management API's rate limit. */
  readonly rateLimit: Required<ApiRateLimit> | undefined
  /** Requests received, per endpoint (for assertions in tests). */
  readonly requestCounts = new Map<OrgEndpoint, number>()
  /**
   * The origins trusted for CORS (see {@link OktaOrgOptions.trustedOrigins}),
   * compared exactly with a request's `Origin` header: add one as
   * `scheme://host[:port]`, without a path or a trailing slash (e.g. when a
   * test learns its app's port after creating the org).
   */
  readonly trustedOrigins: Set<string>
  #offset = 0
  #session: { userId: string; authTime: number } | undefined

  /** @internal Use {@link createOktaOrg}. */
  constructor(options: OktaOrgOptions) {
    const orgUrl = (options.orgUrl ?? 'https://example.okta.com').replace(/\/$/, '')
    try {
      new URL(orgUrl)
    } catch {
      throw new InvalidOptionError('orgUrl must be an absolute URL')
    }
    this.orgUrl = orgUrl
    this.tokenLifetime = options.tokenLifetime ?? 3_600
    this.refreshTokenLifetime = options.refreshTokenLifetime ?? 7_776_000
    this.rotateRefreshTokens = options.rotateRefreshTokens ?? true
    const apiTokens = options.apiTokens ?? [DEFAULT_API_TOKEN]
    if (!Array.isArray(apiTokens) || apiTokens.some((t) => typeof t !== 'string' || t === '')) {
      throw new InvalidOptionError('apiTokens must be a list of non-empty strings')
    }
    this.apiTokens = new Set(apiTokens)
    if (options.rateLimit !== undefined) {
      const { limit, windowSeconds = 60 } = options.rateLimit
      if (!Number.isInteger(limit) || limit < 1) {
        throw new InvalidOptionError('rateLimit.limit must be a positive integer')
      }
      if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
        throw new InvalidOptionError('rateLimit.windowSeconds must be a positive integer')
      }
      this.rateLimit = { limit, windowSeconds }
    }
    for (const user of options.users ?? DEFAULT_USERS) {
      const id = user.id ?? `00u${randomId(17)}`
      this.users.set(id, { ...user, id })
    }
    for (const client of options.clients ?? DEFAULT_CLIENTS) {
      this.clients.set(client.clientId, { ...client })
    }
    if (options.trustedOrigins !== undefined) {
      if (!Array.isArray(options.trustedOrigins)) {
        throw new InvalidOptionError('trustedOrigins must be a list of origins')
      }
      this.trustedOrigins = new Set(
        options.trustedOrigins.map((o) => {
          const origin = originOf(o)
          if (origin === undefined)
            throw new InvalidOptionError(`trusted origin ${String(o)} is not an origin`)
          return origin
        }),
      )
    } else {
      this.trustedOrigins = new Set()
      for (const client of this.clients.values()) {
        for (const uri of [
          ...(client.redirectUris ?? []),
          ...(client.postLogoutRedirectUris ?? []),
        ]) {
          const origin = originOf(uri)
          if (origin !== undefined) this.trustedOrigins.add(origin)
        }
      }
    }
  }

  /** The clock, in seconds since the epoch (moved by {@link advanceClock}). */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.#offset
  }

  /**
   * The org's clock in milliseconds, for the SDK objects of a test: pass it
   * as their `now` option (`createClient`, `createVerifier`,
   * `createServerAuth`, `createBrowserAuth`, `createJwksCache`), and
   * {@link advanceClock} moves their time with the org's, so tokens expire
   * for both at once. A bound function: pass it as is.
   * @returns Milliseconds since the epoch, plus the org's offset.
   * @example
   * ```ts
   * import { createOktaOrg } from 'okta-oauth-kit/testing'
   * import { createVerifier } from 'okta-oauth-kit/verifier'
   * const org = await createOktaOrg()
   * const verifier = createVerifier({ issuer: org.issuer(), audience: 'api://default', now: org.clock })
   * org.advanceClock(3_600) // tokens the org issued now are expired for the verifier too
   * ```
   */
  readonly clock = (): number => {
    // The org's seconds first: a second ticking in between leaves this clock behind, never ahead.
    const seconds = this.now()
    const t = Date.now()
    return t + (seconds - Math.floor(t / 1000)) * 1000
  }

  /**
   * Move the org's clock forward (tokens expire, codes lapse). SDK objects
   * given `now: org.clock` move with it.
   * @param seconds - How far.
   */
  advanceClock(seconds: number): void {
    this.#offset += seconds
  }

  /** The issuer of the org authorization server (`https://{org}`). */
  get orgIssuer(): string {
    return this.orgUrl
  }

  /**
   * The issuer of a custom authorization server.
   * @param id - Its id. Default: `default`.
   * @returns `https://{org}/oauth2/{id}`.
   */
  issuer(id = 'default'): string {
    return `${this.orgUrl}/oauth2/${id}`
  }

  /** The signed-in user's id, if a session exists. */
  get sessionUserId(): string | undefined {
    return this.#session?.userId
  }

  /** @internal The session. */
  get session(): { userId: string; authTime: number } | undefined {
    return this.#session
  }

  /**
   * Start a browser session for a user, as if they had signed in.
   * @param login - The user's login. Default: the first user.
   */
  signIn(login?: string): void
  /**
   * Sign in headlessly: send an authorization request to `/v1/authorize`
   * (the app's own URL, or one built from the options) and return exactly
   * what the app's callback would receive, by response mode: a URL for
   * `query` and `fragment`, a `Request` (the form POST) for `form_post`,
   * the message (`data` and `origin`) for `okta_post_message`. No HTML to
   * parse. An error the server sends back to the app (`access_denied`,
   * `login_required`, …) is a result too, in `params`; a request it refuses
   * before any redirect (unknown client, unregistered redirect URI) throws.
   * @param options - The app's authorization URL, or the request's parameters, and who signs in.
   * @returns The callback's input, the response parameters, and the
   * `state`, `nonce` and PKCE verifier sent.
   * @throws {@link InvalidOptionError} when the org refuses the request before redirecting.
   * @example
   * ```ts
   * import { createOktaOrg } from 'okta-oauth-kit/testing'
   * declare const org: Awaited<ReturnType<typeof createOktaOrg>>
   * declare const loginUrl: URL // what your /login route redirected to
   * const result = await org.signIn({ url: loginUrl, login: 'john.doe@example.com' })
   * if (result.responseMode === 'query') console.log(result.url.searchParams.get('code'))
   * ```
   */
  signIn(options: OrgSignInOptions): Promise<OrgSignInResult>
  signIn(arg?: string | OrgSignInOptions): Promise<OrgSignInResult> | undefined {
    if (typeof arg === 'object' && arg !== null) {
      // Loaded on use: the sign-in reaches the endpoints, which import this module.
      return import('./sign-in.js').then(({ headlessSignIn }) => headlessSignIn(this, arg))
    }
    const login = arg
    const user = login === undefined ? this.users.values().next().value : this.userByLogin(login)
    if (!user) throw new InvalidOptionError(`no user ${String(login)} in the emulated org`)
    this.#session = { userId: user.id, authTime: this.now() }
    return undefined
  }

  /** End the browser session: `prompt=none` then fails with `login_required`. */
  signOut(): void {
    this.#session = undefined
  }

  /**
   * A one-time session token for `/v1/authorize?sessionToken=…`, as Okta's
   * Authentication API returns after a primary authentication.
   * @param login - The user's login.
   * @param password - The user's password.
   * @returns The session token.
   */
  createSessionToken(login: string, password: string): string {
    const user = this.userByLogin(login)
    if (!user || user.password !== password) {
      throw new InvalidOptionError('invalid credentials for createSessionToken')
    }
    const token = `20111${randomId(40)}`
    this.sessionTokens.set(token, user.id)
    return token
  }

  /** @internal */
  userByLogin(login: string): (OrgUser & { id: string }) | undefined {
    for (const user of this.users.values()) {
      if (user.login.toLowerCase() === login.toLowerCase()) return user
    }
    return undefined
  }

  /**
   * Rotate an authorization server's signing keys: `NEXT` becomes `ACTIVE`,
   * `ACTIVE` becomes `EXPIRED` (still published, so tokens it signed keep
   * verifying), a new `NEXT` is added (its RSA key pair is new, generated
   * on first use), older expired keys are dropped.
   * @param serverId - The custom server id, or `org` for the org server. Default: `default`.
   * @returns The new active `kid`.
   */
  async rotateKeys(serverId = 'default'): Promise<string> {
    return rotateServerKeys(this.serverById(serverId), this.now())
  }

  /**
   * The `kid` of a server's active signing key.
   * @param serverId - The custom server id, or `org`. Default: `default`.
   * @returns The kid.
   */
  activeKid(serverId = 'default'): string {
    return activeKey(this.serverById(serverId)).kid
  }

  /**
   * The private key of a `private_key_jwt` client registered without
   * `jwks`, such as the default service client
   * ({@link DEFAULT_SERVICE_CLIENT_ID}): generated on the first call (RS256),
   * its public half registered on the client, the same key on every later
   * call. Sign client assertions with it (`clientAuth: { method:
   * 'private_key_jwt', privateKey }`, or `privateKey` of OAuth for Okta).
   * @param clientId - The client's id.
   * @returns The key as a JWK and as PKCS #8 PEM, with its `kid`.
   * @throws {@link InvalidOptionError} when the client does not exist, does
   * not use `private_key_jwt`, or was registered with its own `jwks`.
   * @example
   * ```ts
   * import { createOktaOrg, DEFAULT_SERVICE_CLIENT_ID } from 'okta-oauth-kit/testing'
   * const org = await createOktaOrg()
   * const { privateJwk, kid } = await org.clientKey(DEFAULT_SERVICE_CLIENT_ID)
   * ```
   */
  clientKey(clientId: string): Promise<OrgClientKey> {
    const client = this.clients.get(clientId)
    if (!client) {
      return Promise.reject(new InvalidOptionError(`no client ${clientId} in the emulated org`))
    }
    try {
      return clientKeyOf(client)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /**
   * Make an endpoint misbehave for the next requests (an error status, a
   * body, a delay), for tests of retries, timeouts and outages.
   * @param endpoint - Which endpoint.
   * @param misbehaviour - What to do, and for how many requests.
   */
  misbehave(endpoint: OrgEndpoint, misbehaviour: Misbehaviour): void {
    const list = this.misbehaviours.get(endpoint) ?? []
    list.push({ times: 1, ...misbehaviour })
    this.misbehaviours.set(endpoint, list)
  }

  /** Remove every scripted misbehaviour. */
  behave(): void {
    this.misbehaviours.clear()
  }

  /**
   * Revoke every token issued so far (as if an admin cleared the user's sessions).
   */
  revokeAll(): void {
    for (const token of this.tokens.values()) token.revoked = true
  }

  /**
   * Requests received by an endpoint since the org was created.
   * @param endpoint - Which endpoint.
   * @returns The count.
   */
  requestCount(endpoint: OrgEndpoint): number {
    return this.requestCounts.get(endpoint) ?? 0
  }

  /** @internal */
  serverById(id: string): ServerState {
    const issuer = id === 'org' ? this.orgUrl : this.issuer(id)
    const server = this.servers.get(issuer)
    if (!server) throw new InvalidOptionError(`no authorization server ${id} in the emulated org`)
    return server
  }

  /** @internal Sign a JWT with the server's active key. */
  async sign(
    server: ServerState,
    claims: Record<string, unknown>,
    header: Record<string, unknown> = {},
  ): Promise<string> {
    return activeKey(server).sign(claims, header)
  }
}

/** @internal The OpenID Connect scopes every server has (system scopes). */
export const OIDC_SCOPES: readonly string[] = [
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
  'groups',
]

/** The `okta.*` scopes the org authorization server knows (OAuth for Okta). */
export const OKTA_SCOPES: readonly string[] = [
  'appGrants',
  'apps',
  'authorizationServers',
  'clients',
  'groups',
  'logs',
  'policies',
  'users',
].flatMap((area) =>
  area === 'logs' ? ['okta.logs.read'] : [`okta.${area}.read`, `okta.${area}.manage`],
)

/**
 * @internal Build the org's servers. Their keys get their RSA pairs on
 * first use; the process's key pool starts generating them now.
 */
export function initialiseOrg(state: OktaOrgState, options: OktaOrgOptions): void {
  const t = state.now()
  const servers = options.authorizationServers ?? [
    { id: 'default', audiences: ['api://default'], scopes: ['orders:read', 'orders:write'] },
  ]
  const org: ServerState = {
    id: 'org',
    custom: false,
    issuer: state.orgUrl,
    base: `${state.orgUrl}/oauth2`,
    audiences: [state.orgUrl],
    scopes: new Set([...OIDC_SCOPES, ...OKTA_SCOPES]),
    keys: newServerKeys(t),
  }
  state.servers.set(org.issuer, org)
  for (const s of servers) {
    if (!/^[\w-]+$/.test(s.id) || s.id === 'v1') {
      throw new InvalidOptionError(`authorization server id ${s.id} is not a valid path segment`)
    }
    const issuer = state.issuer(s.id)
    state.servers.set(issuer, {
      id: s.id,
      custom: true,
      issuer,
      base: issuer,
      audiences: s.audiences ?? [`api://${s.id}`],
      scopes: new Set([...OIDC_SCOPES, ...(s.scopes ?? [])]),
      keys: newServerKeys(t),
    })
  }
  fillKeyPool()
}

/** The origin of a URL, or `undefined` when it has none (not a URL, or an opaque one such as `com.example:/cb`). */
function originOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const { origin } = new URL(value)
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

/** @internal A random base62-ish id of `length` characters. */
export function randomId(length: number): string {
  return randomBase64url(length).replace(/[-_]/g, 'x').slice(0, length)
}
