/**
 * Integration-test harness: a REAL oidc-provider (node-oidc-provider v9) dressed up as an Okta
 * custom authorization server ("default"), listening on 127.0.0.1 with a random port.
 *
 *   issuer      http://127.0.0.1:PORT/oauth2/default
 *   endpoints   ${issuer}/v1/{authorize,token,keys,userinfo,introspect,revoke,logout,par}
 *   metadata    ${issuer}/.well-known/openid-configuration
 *               ${issuer}/.well-known/oauth-authorization-server
 *               /.well-known/oauth-authorization-server/oauth2/default   (RFC 8414 form)
 *
 * See README.md next to this file for the configuration and the known deviations from Okta.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import type {
  Account,
  ClientInstance,
  Configuration,
  KoaContextWithOIDC,
  Provider,
  ResourceServerInfo,
} from 'oidc-provider'
import { createAdapterFactory, HarnessStore } from './adapter.js'
import { browse, CookieJar, ProviderPageError } from './browser.js'

export { CookieJar, ProviderPageError }

// ---------------------------------------------------------------------------------------------
// Public types & constants
// ---------------------------------------------------------------------------------------------

/** Path prefix of the Okta-style custom authorization server. */
export const ISSUER_PATH = '/oauth2/default'
/** Audience (resource indicator) of JWT access tokens in `accessTokenFormat: 'jwt'` mode. */
export const API_AUDIENCE = 'api://default'
export const API_SCOPES = ['orders:read', 'orders:write'] as const
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const

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

export interface HarnessUser {
  sub: string
  username: string
  password: string
  email: string
  name: string
}

export type AuthorizeResult =
  | { location: string }
  | { formPost: { action: string; params: Record<string, string> } }

export interface BrowserOptions {
  /** Reuse a cookie jar (i.e. the provider session) across calls; a fresh one is used otherwise. */
  jar?: CookieJar
}

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
// Fixed test data
// ---------------------------------------------------------------------------------------------

const USER: HarnessUser = {
  // Okta user ids look like this; the ID token `sub` is this value
  sub: '00u1harness0000000000',
  username: 'alice@example.com',
  password: 'correct horse battery staple',
  email: 'alice@example.com',
  name: 'Alice Example',
}

const ALL_RESPONSE_TYPES = [
  'code',
  'id_token',
  'id_token token',
  'code id_token',
  'code token',
  'code id_token token',
  'none',
]

/** Pages the harness serves on behalf of the clients (redirect / post-logout targets). */
const CLIENT_PAGES = new Set(['/cb', '/logged-out'])

const CONFIDENTIAL_GRANTS = [
  'authorization_code',
  'refresh_token',
  'password',
  'client_credentials',
]

const KNOWN_SCOPES = new Set<string>([...OIDC_SCOPES, ...API_SCOPES])

const TTL = {
  AccessToken: 3600,
  AuthorizationCode: 300,
  ClientCredentials: 3600,
  IdToken: 3600,
  RefreshToken: 30 * 24 * 3600,
  Interaction: 600,
  Session: 24 * 3600,
  Grant: 30 * 24 * 3600,
  DeviceCode: 600,
  BackchannelAuthenticationRequest: 600,
  PreAuthorizedCode: 600,
}

const API_RESOURCE_SERVER: ResourceServerInfo = {
  scope: API_SCOPES.join(' '),
  audience: API_AUDIENCE,
  accessTokenTTL: TTL.AccessToken,
  accessTokenFormat: 'jwt',
  jwt: { sign: { alg: 'RS256' } },
}

// ---------------------------------------------------------------------------------------------
// oidc-provider loading (quietly)
// ---------------------------------------------------------------------------------------------

type OidcProviderModule = typeof import('oidc-provider')
let oidcModule: Promise<OidcProviderModule> | undefined

/**
 * oidc-provider 9 prints "Unsupported runtime. Use Node.js v22.x LTS" when imported on Node 20;
 * it works fine for our purposes, so swallow exactly that import-time notice (only while importing).
 */
function loadOidcProvider(): Promise<OidcProviderModule> {
  oidcModule ??= (async () => {
    const original = console.warn
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING')) return
      original.apply(console, args)
    }
    try {
      return await import('oidc-provider')
    } finally {
      console.warn = original
    }
  })()
  return oidcModule
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async function generateRsaJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = await exportJWK(privateKey)
  return { ...jwk, kid: randomBytes(16).toString('base64url'), use: 'sig', alg: 'RS256' }
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk
  return rest
}

function splitScope(scope: unknown): string[] {
  return typeof scope === 'string' ? [...new Set(scope.split(' ').filter(Boolean))] : []
}

const account: Account = {
  accountId: USER.sub,
  claims: () => ({
    sub: USER.sub,
    name: USER.name,
    preferred_username: USER.username,
    email: USER.email,
    email_verified: true,
  }),
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  })
  res.end(payload)
}

// ---------------------------------------------------------------------------------------------
// startProvider
// ---------------------------------------------------------------------------------------------

interface Internals {
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

export async function startProvider(options: StartProviderOptions = {}): Promise<StartedProvider> {
  const oidc = await loadOidcProvider()
  const jwtMode = options.accessTokenFormat === 'jwt'

  // Listen first: the issuer, and so the Provider, needs the actual port.
  let handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) =>
    sendJson(res, 503, { error: 'starting' })
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      console.error('[oidc-harness] unhandled error', err)
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const issuer = `${origin}${ISSUER_PATH}`

  try {
    const [signingKey, clientKey] = await Promise.all([generateRsaJwk(), generateRsaJwk()])
    const clients = buildClients(origin, clientKey)
    const internals: Internals = {
      origin,
      issuer,
      jwtMode,
      requireDpopNonce: options.requireDpopNonce ?? false,
      store: new HarnessStore(),
      cookieKeys: [randomBytes(32).toString('base64url')],
      dpopNonceSecret: randomBytes(32),
      signingKeys: [signingKey],
      clientMetadata: buildClientMetadata(clients),
    }

    let provider = buildProvider(oidc, internals)
    let callback = provider.callback()
    const counts = new Map<string, number>()

    // Everything on our origin except the client callback pages is "the provider": an unexpected
    // same-origin redirect is then followed and surfaces as a 404 ProviderPageError.
    const isProviderUrl = (url: URL): boolean =>
      url.origin === origin && !CLIENT_PAGES.has(url.pathname)

    handler = async (req, res) => {
      const url = new URL(req.url ?? '/', origin)
      counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1)
      const mutable = req as IncomingMessage & { originalUrl?: string }

      if (url.pathname.startsWith('/interaction/')) {
        await completeInteraction(provider, req, res)
        return
      }
      if (url.pathname === `/.well-known/oauth-authorization-server${ISSUER_PATH}`) {
        // RFC 8414 section 3.1 location for an issuer with a path: serve the provider's own document.
        mutable.originalUrl = `${ISSUER_PATH}/.well-known/oauth-authorization-server${url.search}`
        mutable.url = `/.well-known/oauth-authorization-server${url.search}`
        await callback(req, res)
        return
      }
      if (url.pathname.startsWith(`${ISSUER_PATH}/`)) {
        // Mount under the prefix like koa-mount: the provider routes on the stripped path and
        // derives the mount path for its own URLs from req.originalUrl (lib/helpers/oidc_context.js urlFor).
        mutable.originalUrl = req.url
        mutable.url = (req.url ?? '/').slice(ISSUER_PATH.length) || '/'
        await callback(req, res)
        return
      }
      if (CLIENT_PAGES.has(url.pathname)) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('harness callback: nothing to see here')
        return
      }
      sendJson(res, 404, { error: 'not_found', error_description: `no route for ${url.pathname}` })
    }

    let closed = false
    const started: StartedProvider = {
      issuer,
      origin,
      clients,
      user: { ...USER },
      accessTokenFormat: jwtMode ? 'jwt' : 'opaque',

      async rotateSigningKey() {
        const next = await generateRsaJwk()
        internals.signingKeys = [next, ...internals.signingKeys]
        // The keystore is fixed at construction, so build a new Provider over the SAME store
        // (codes, sessions, grants, refresh tokens, replay cache) and swap it in atomically.
        provider = buildProvider(oidc, internals)
        callback = provider.callback()
        return next.kid as string
      },

      signingKid() {
        return internals.signingKeys[0]?.kid as string
      },

      async authorize(input, browserOptions = {}) {
        const url = new URL(input)
        if (!isProviderUrl(url)) throw new Error(`authorize(): ${url.href} is not a provider URL`)
        const outcome = await browse(url, {
          jar: browserOptions.jar ?? new CookieJar(),
          isProviderUrl,
        })
        switch (outcome.kind) {
          case 'redirect':
            return { location: outcome.location }
          case 'form':
            return { formPost: { action: outcome.form.action, params: outcome.form.params } }
          default:
            throw new ProviderPageError(outcome.url, outcome.status, outcome.body)
        }
      },

      async logout(input, browserOptions = {}) {
        const url = new URL(input)
        if (!isProviderUrl(url)) throw new Error(`logout(): ${url.href} is not a provider URL`)
        const outcome = await browse(url, {
          jar: browserOptions.jar ?? new CookieJar(),
          isProviderUrl,
          // the confirmation page's "Yes, sign me out" button carries logout=yes
          beforeSubmit: (form) =>
            form.action.endsWith('/v1/logout/confirm') && form.params.logout === undefined
              ? { ...form, params: { ...form.params, logout: 'yes' } }
              : form,
        })
        switch (outcome.kind) {
          case 'redirect':
            return { location: outcome.location }
          case 'page':
            return { location: outcome.url }
          default:
            throw new Error(`logout(): unexpected form posting to ${outcome.form.action}`)
        }
      },

      requestCount(path) {
        const pathname = /^https?:/.test(path) ? new URL(path).pathname : path.split('?')[0]
        return counts.get(pathname ?? path) ?? 0
      },

      resetRequestCounts() {
        counts.clear()
      },

      async close() {
        if (closed) return
        closed = true
        await closeServer()
      },
    }
    return started
  } catch (err) {
    await closeServer()
    throw err
  }

  function closeServer(): Promise<void> {
    return new Promise<void>((resolve) => {
      server.close(() => resolve())
      // drop keep-alive sockets (fetch/undici pools them) so close() resolves immediately
      server.closeAllConnections()
    })
  }
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

function buildClients(origin: string, clientKey: JWK): HarnessClients {
  const local = `${origin}/cb`
  const postLogout = ['https://app.example.com/', `${origin}/logged-out`]
  const confidential = (
    clientId: string,
    tokenEndpointAuthMethod: string,
    extra: Partial<HarnessClient>,
  ): HarnessClient => ({
    clientId,
    redirectUri: local,
    redirectUris: [local, 'https://app.example.com/callback'],
    postLogoutRedirectUris: postLogout,
    tokenEndpointAuthMethod,
    ...extra,
  })
  return {
    spa: {
      clientId: 'spa-client',
      redirectUri: local,
      redirectUris: [local, 'http://localhost:5173/callback', 'https://app.example.com/callback'],
      postLogoutRedirectUris: postLogout,
      tokenEndpointAuthMethod: 'none',
    },
    basic: confidential('basic-client', 'client_secret_basic', {
      clientSecret: randomBytes(32).toString('base64url'),
    }),
    post: confidential('post-client', 'client_secret_post', {
      clientSecret: randomBytes(32).toString('base64url'),
    }),
    // HS256 needs >= 256 bits of key material: 48 random bytes -> 64 chars
    secretJwt: confidential('secret-jwt-client', 'client_secret_jwt', {
      clientSecret: randomBytes(48).toString('base64url'),
    }),
    privateKeyJwt: confidential('private-key-jwt-client', 'private_key_jwt', {
      privateJwk: clientKey,
    }),
  }
}

function buildClientMetadata(clients: HarnessClients): Record<string, unknown>[] {
  const { spa, ...confidential } = clients
  return [
    {
      client_id: spa.clientId,
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code', 'refresh_token', 'implicit'],
      response_types: ALL_RESPONSE_TYPES,
      redirect_uris: spa.redirectUris,
      post_logout_redirect_uris: spa.postLogoutRedirectUris,
    },
    ...Object.values(confidential).map((c: HarnessClient) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      token_endpoint_auth_method: c.tokenEndpointAuthMethod,
      application_type: 'web',
      grant_types: CONFIDENTIAL_GRANTS,
      response_types: ['code'],
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
      ...(c.privateJwk ? { jwks: { keys: [publicPart(c.privateJwk)] } } : {}),
    })),
  ]
}

// ---------------------------------------------------------------------------------------------
// Provider construction
// ---------------------------------------------------------------------------------------------

function buildProvider(oidc: OidcProviderModule, internals: Internals): Provider {
  const { errors } = oidc
  const { jwtMode } = internals

  /** jwt mode: which requests are "for the API" and so get an api://default JWT access token. */
  async function defaultResource(
    ctx: KoaContextWithOIDC,
    _client: ClientInstance,
    oneOf?: string | string[],
  ): Promise<string | string[] | undefined> {
    if (oneOf !== undefined) {
      // asked to pick among the resources of a code / refresh token: there is only one
      return Array.isArray(oneOf) && oneOf.includes(API_AUDIENCE) ? API_AUDIENCE : oneOf
    }
    if (ctx.oidc.params.grant_type === 'client_credentials') return API_AUDIENCE
    // Only when API scopes are requested: keeps openid-only implicit/code flows userinfo-capable
    return splitScope(ctx.oidc.params.scope).some((s) =>
      (API_SCOPES as readonly string[]).includes(s),
    )
      ? API_AUDIENCE
      : undefined
  }

  const configuration: Configuration = {
    adapter: createAdapterFactory(internals.store),
    clients: internals.clientMetadata,
    jwks: { keys: internals.signingKeys },
    cookies: { keys: internals.cookieKeys },
    findAccount: async (_ctx: unknown, sub: string) => (sub === USER.sub ? account : undefined),
    scopes: jwtMode ? [...OIDC_SCOPES] : [...OIDC_SCOPES, ...API_SCOPES],
    claims: {
      // auth_time + amr ride on `openid` so every ID token carries them, like Okta's do
      openid: ['sub', 'auth_time', 'amr'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    // Okta puts scope-derived claims (name, email...) in ID tokens even when an access token is issued
    conformIdTokenClaims: false,
    responseTypes: ALL_RESPONSE_TYPES,
    pkce: {
      required: (_ctx: unknown, client: ClientInstance) => client.clientAuthMethod === 'none',
    },
    routes: {
      authorization: '/v1/authorize',
      token: '/v1/token',
      jwks: '/v1/keys',
      userinfo: '/v1/userinfo',
      introspection: '/v1/introspect',
      revocation: '/v1/revoke',
      end_session: '/v1/logout',
      pushed_authorization_request: '/v1/par',
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    ttl: TTL,
    // Okta rotates every refresh token on use
    rotateRefreshToken: true,
    issueRefreshToken: async (
      _ctx: unknown,
      client: ClientInstance,
      source: { scopes: Set<string> },
    ) => client.grantTypeAllowed('refresh_token') && source.scopes.has('offline_access'),
    extraTokenClaims: async (
      _ctx: unknown,
      token: { resourceServer?: unknown; clientId?: string; scope?: string },
    ) =>
      // Okta access-token JWT extras; only for JWTs (opaque tokens would leak them into introspection)
      token.resourceServer
        ? { ver: 1, cid: token.clientId, scp: splitScope(token.scope) }
        : undefined,
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      clientAuthSigningAlgValues: [
        'HS256',
        'HS384',
        'HS512',
        'RS256',
        'RS384',
        'RS512',
        'PS256',
        'ES256',
        'ES384',
        'ES512',
      ],
      dPoPSigningAlgValues: ['ES256', 'RS256', 'PS256', 'Ed25519', 'EdDSA'],
    },
    clientBasedCORS: () => true,
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      // JSON instead of the default HTML page: authorize() turns it into a ProviderPageError
      ctx.type = 'application/json; charset=utf-8'
      ctx.body = out
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // same as oidc-provider's default policy, set explicitly to silence its "you SHOULD change" notice
        allowedPolicy: async (
          ctx: KoaContextWithOIDC,
          client: ClientInstance,
          token: { clientId?: string },
        ) => !(client.clientAuthMethod === 'none' && token.clientId !== ctx.oidc.client?.clientId),
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (
          _ctx: unknown,
          client: ClientInstance,
          token: { clientId?: string },
        ) => {
          if (token.clientId === client.clientId) return true
          if (client.clientAuthMethod === 'none') return false
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token')
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html'
          ctx.body = `<!DOCTYPE html><html><head><title>Sign out</title></head><body>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></body></html>`
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html'
          ctx.body =
            '<!DOCTYPE html><html><head><title>Signed out</title></head><body>Signed out</body></html>'
        },
      },
      pushedAuthorizationRequests: { enabled: true },
      dPoP: {
        enabled: true,
        nonceSecret: internals.dpopNonceSecret,
        requireNonce: () => internals.requireDpopNonce,
      },
      userinfo: { enabled: true },
      claimsParameter: { enabled: false },
      resourceIndicators: jwtMode
        ? {
            enabled: true,
            defaultResource,
            useGrantedResource: async () => false,
            getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
              if (indicator === API_AUDIENCE) return API_RESOURCE_SERVER
              throw new errors.InvalidTarget()
            },
          }
        : { enabled: false },
    },
  }

  const provider = new oidc.Provider(internals.issuer, configuration)

  // Okta lets SPAs use implicit/hybrid with http://localhost redirect URIs; oidc-provider refuses
  // them for web clients with the implicit grant. Skip exactly those two validation rules.
  // (Static clients are validated lazily, on first use, so patching after construction works.)
  const schema = provider.Client.Schema.prototype
  const invalidate = schema.invalidate
  schema.invalidate = function (this: unknown, message: string, code?: string) {
    if (code === 'implicit-force-https' || code === 'implicit-forbid-localhost') return
    invalidate.call(this, message, code)
  }

  provider.use(async (ctx, next) => {
    // OIDC Core 11 (which oidc-provider enforces) drops offline_access unless prompt=consent; Okta
    // issues refresh tokens for offline_access anyway. Our consent is automatic, so requesting it
    // is invisible to callers. Only plain GET /v1/authorize without an explicit prompt.
    if (ctx.method === 'GET' && ctx.path === '/v1/authorize') {
      const { scope, prompt, request_uri: requestUri } = ctx.query
      if (
        prompt === undefined &&
        requestUri === undefined &&
        splitScope(scope).includes('offline_access')
      ) {
        ctx.query = { ...ctx.query, prompt: 'consent' }
        // keep req.originalUrl = prefix + req.url, or oidc-provider's urlFor() loses the mount path
        const req = ctx.req as IncomingMessage & { originalUrl?: string }
        req.originalUrl = `${ISSUER_PATH}${req.url}`
      }
    }
    await next()
    // jwt mode: custom API scopes are resource scopes, not "static" ones; still advertise them like Okta
    if (
      jwtMode &&
      ctx.oidc?.route === 'discovery' &&
      ctx.body !== null &&
      typeof ctx.body === 'object'
    ) {
      const body = ctx.body as { scopes_supported?: string[] }
      body.scopes_supported = [...new Set([...(body.scopes_supported ?? []), ...API_SCOPES])]
    }
  })

  provider.registerGrantType(
    'password',
    (ctx) => passwordGrant(oidc, provider, internals, ctx),
    jwtMode ? ['username', 'password', 'scope', 'resource'] : ['username', 'password', 'scope'],
  )

  // Unexpected (5xx) failures inside oidc-provider are real bugs: surface them.
  provider.on('server_error', (_ctx: unknown, err: unknown) => {
    console.error('[oidc-harness] oidc-provider server_error', err)
  })

  return provider
}

// ---------------------------------------------------------------------------------------------
// Headless interactions (login + consent)
// ---------------------------------------------------------------------------------------------

/**
 * GET /interaction/:uid — resolve whatever prompt oidc-provider asks for, as the harness user,
 * granting everything requested. Login and consent are two successive interactions; the
 * redirect-following in authorize() naturally walks through both.
 */
async function completeInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let details: Awaited<ReturnType<Provider['interactionDetails']>>
  try {
    details = await provider.interactionDetails(req, res)
  } catch (err) {
    const e = err as { error?: string; error_description?: string; message?: string }
    sendJson(res, 400, {
      error: e.error ?? 'invalid_request',
      error_description: e.error_description ?? e.message,
    })
    return
  }
  const { prompt, params, session, grantId } = details

  if (prompt.name === 'login') {
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: USER.sub, amr: ['pwd'], remember: true } },
      { mergeWithLastSubmission: false },
    )
    return
  }

  if (prompt.name === 'consent') {
    const accountId = session?.accountId ?? USER.sub
    const grant =
      (grantId ? await provider.Grant.find(grantId) : undefined) ??
      new provider.Grant({ accountId, clientId: String(params.client_id) })
    const missing = prompt.details as {
      missingOIDCScope?: string[]
      missingOIDCClaims?: string[]
      missingResourceScopes?: Record<string, string[]>
    }
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '))
    }
    const savedGrantId = await grant.save()
    await provider.interactionFinished(
      req,
      res,
      { consent: grantId ? {} : { grantId: savedGrantId } },
      { mergeWithLastSubmission: true },
    )
    return
  }

  await provider.interactionFinished(
    req,
    res,
    {
      error: 'access_denied',
      error_description: `harness cannot handle prompt ${prompt.name}`,
    },
    { mergeWithLastSubmission: false },
  )
}

// ---------------------------------------------------------------------------------------------
// Resource Owner Password grant (oidc-provider does not implement it)
// ---------------------------------------------------------------------------------------------

/**
 * grant_type=password, modelled on oidc-provider's built-in grants (lib/actions/grants/*.js,
 * lib/helpers/grant_common.js): a Grant is created and saved, and AccessToken / RefreshToken /
 * IdToken instances are issued against it, so the results behave exactly like built-in tokens
 * at userinfo, introspection, revocation and the refresh_token grant. No DPoP binding.
 */
async function passwordGrant(
  oidc: OidcProviderModule,
  provider: Provider,
  internals: Internals,
  ctx: KoaContextWithOIDC,
): Promise<void> {
  const { errors } = oidc
  const { params } = ctx.oidc
  const client = ctx.oidc.client
  if (!client) throw new errors.InvalidClient('client not resolved')

  const missing = ['username', 'password'].filter(
    (p) => typeof params[p] !== 'string' || !params[p],
  )
  if (missing.length) {
    throw new errors.InvalidRequest(`missing required parameter(s) (${missing.join(',')})`)
  }
  if (params.username !== USER.username || params.password !== USER.password) {
    const err = new errors.InvalidGrant('authentication failed')
    // oidc-provider's InvalidGrant has a fixed generic description; use Okta's wording
    err.error_description = 'The credentials provided were invalid.'
    throw err
  }

  const requested = splitScope(params.scope)
  if (!requested.length) {
    throw new errors.InvalidScope(
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    )
  }
  const unknown = requested.filter((s) => !KNOWN_SCOPES.has(s))
  if (unknown.length) {
    throw new errors.InvalidScope(
      'One or more scopes are not configured for the authorization server resource.',
      unknown.join(' '),
    )
  }
  const scopes = requested.filter(
    (s) => s !== 'offline_access' || client.grantTypeAllowed('refresh_token'),
  )
  const apiScopes = scopes.filter((s) => (API_SCOPES as readonly string[]).includes(s))
  // in jwt mode API scopes belong to the api://default resource, otherwise everything is "OIDC"
  const oidcScopes = internals.jwtMode ? scopes.filter((s) => !apiScopes.includes(s)) : scopes
  const authTime = Math.floor(Date.now() / 1000)

  const grant = new provider.Grant({ accountId: USER.sub, clientId: client.clientId })
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '))
  const resource = internals.jwtMode && apiScopes.length ? [API_AUDIENCE] : undefined
  if (resource) grant.addResourceScope(API_AUDIENCE, apiScopes.join(' '))
  await grant.save()
  ctx.oidc.entity('Grant', grant)
  ctx.oidc.entity('Account', account)

  // Same resource rule as oidc-provider's lib/helpers/resolve_resource.js for code/refresh grants
  let atResource: string | undefined
  if (internals.jwtMode) {
    if (params.resource !== undefined) {
      if (params.resource !== API_AUDIENCE || !resource) throw new errors.InvalidTarget()
      atResource = API_AUDIENCE
    } else if (resource && !scopes.includes('openid')) {
      atResource = API_AUDIENCE
    }
  }

  const at = new provider.AccessToken({
    accountId: USER.sub,
    client,
    grantId: grant.jti,
    gty: 'password',
    expiresWithSession: false, // there is no session behind this grant
  })
  if (atResource) {
    at.resourceServer = new provider.ResourceServer(API_AUDIENCE, API_RESOURCE_SERVER)
    at.scope = apiScopes.join(' ')
  } else {
    at.scope = oidcScopes.join(' ')
  }
  ctx.oidc.entity('AccessToken', at)
  const accessToken = await at.save()

  let refreshToken: string | undefined
  if (scopes.includes('offline_access')) {
    const rt = new provider.RefreshToken({
      accountId: USER.sub,
      amr: ['pwd'],
      authTime,
      client,
      expiresWithSession: false,
      grantId: grant.jti,
      gty: 'password',
      resource,
      rotations: 0,
      scope: scopes.join(' '),
    })
    ctx.oidc.entity('RefreshToken', rt)
    refreshToken = await rt.save()
  }

  let idToken: string | undefined
  if (scopes.includes('openid')) {
    const oidcScope = oidcScopes.join(' ')
    const claims = await account.claims('id_token', oidcScope, {}, [])
    const token = new provider.IdToken(
      { ...claims, sub: USER.sub, auth_time: authTime, amr: ['pwd'] },
      { ctx },
    )
    token.scope = oidcScope
    token.mask = {}
    token.rejected = []
    idToken = await token.issue({ use: 'idtoken' }) // no nonce: there was no authorization request
  }

  ctx.body = Object.fromEntries(
    Object.entries({
      access_token: accessToken,
      expires_in: at.expiration,
      token_type: at.tokenType,
      scope: (atResource ? apiScopes : oidcScopes).join(' ') || undefined,
      refresh_token: refreshToken,
      id_token: idToken,
    }).filter(([, v]) => v !== undefined),
  )
}
