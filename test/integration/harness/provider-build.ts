/**
 * Building the harness's oidc-provider: loading the module (lazily, quietly) and the Okta-like
 * `Configuration` a Provider is constructed with, plus the patches and middleware around it.
 * `startProvider()` builds one at start and another on every `rotateSigningKey()`.
 */
import type { IncomingMessage } from 'node:http'
import type { ClientInstance, Configuration, KoaContextWithOIDC, Provider } from 'oidc-provider'
import { createAdapterFactory } from './adapter.js'
import {
  ALL_RESPONSE_TYPES,
  API_AUDIENCE,
  API_RESOURCE_SERVER,
  API_SCOPES,
  account,
  ISSUER_PATH,
  OIDC_SCOPES,
  splitScope,
  TTL,
  USER,
} from './provider-config.js'
import { passwordGrant } from './provider-grants.js'
import type { Internals, OidcProviderModule } from './provider-types.js'

// ---------------------------------------------------------------------------------------------
// oidc-provider loading (quietly)
// ---------------------------------------------------------------------------------------------

let oidcModule: Promise<OidcProviderModule> | undefined

/**
 * oidc-provider 9 prints "Unsupported runtime. Use Node.js v22.x LTS" when imported on Node 20;
 * it works fine for our purposes, so swallow exactly that import-time notice (only while importing).
 * Loaded once, on the first call (the first `startProvider()`), never at import time.
 */
export function loadOidcProvider(): Promise<OidcProviderModule> {
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
// Provider construction
// ---------------------------------------------------------------------------------------------

/**
 * A Provider at `internals.issuer`, configured like an Okta custom authorization server (see
 * README.md): routes under `/v1/`, the harness clients, the signing keys of `internals` (first =
 * active), headless interactions at `/interaction/:uid`, and the password grant. Its storage is
 * `internals.store`, so a rebuilt Provider sees everything the previous one issued.
 */
export function buildProvider(oidc: OidcProviderModule, internals: Internals): Provider {
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
