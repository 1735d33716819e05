/**
 * Fixed configuration of the oidc-provider test harness: the public constants (issuer path, API
 * audience, scopes), the harness user, token TTLs, the API resource server, signing keys, and the
 * clients with their oidc-provider metadata. See README.md for the tables.
 */
import { randomBytes } from 'node:crypto'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import type { Account, ResourceServerInfo } from 'oidc-provider'
import type { HarnessClient, HarnessClients, HarnessUser } from './provider-types.js'

// ---------------------------------------------------------------------------------------------
// Public constants (re-exported by provider.ts)
// ---------------------------------------------------------------------------------------------

/** Path prefix of the Okta-style custom authorization server. */
export const ISSUER_PATH = '/oauth2/default'
/** Audience (resource indicator) of JWT access tokens in `accessTokenFormat: 'jwt'` mode. */
export const API_AUDIENCE = 'api://default'
/** The custom authorization server's API scopes (resource scopes of `api://default` in jwt mode). */
export const API_SCOPES = ['orders:read', 'orders:write'] as const
/** The OpenID Connect scopes the provider supports. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const

// ---------------------------------------------------------------------------------------------
// Fixed test data
// ---------------------------------------------------------------------------------------------

/** The one harness user: logged in by every interaction, accepted by the password grant. */
export const USER: HarnessUser = {
  // Okta user ids look like this; the ID token `sub` is this value
  sub: '00u1harness0000000000',
  username: 'alice@example.com',
  password: 'correct horse battery staple',
  email: 'alice@example.com',
  name: 'Alice Example',
}

/** Every response type the provider (and the `spa` client) supports; no bare `token`. */
export const ALL_RESPONSE_TYPES = [
  'code',
  'id_token',
  'id_token token',
  'code id_token',
  'code token',
  'code id_token token',
  'none',
]

/** Grant types of every confidential client. */
const CONFIDENTIAL_GRANTS = [
  'authorization_code',
  'refresh_token',
  'password',
  'client_credentials',
]

/** Every configured scope; the password grant rejects any other with `invalid_scope`. */
export const KNOWN_SCOPES = new Set<string>([...OIDC_SCOPES, ...API_SCOPES])

/** Token and artefact lifetimes, in seconds (oidc-provider's `ttl`). */
export const TTL = {
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

/** jwt mode: the `api://default` resource server, whose access tokens are RS256 JWTs. */
export const API_RESOURCE_SERVER: ResourceServerInfo = {
  scope: API_SCOPES.join(' '),
  audience: API_AUDIENCE,
  accessTokenTTL: TTL.AccessToken,
  accessTokenFormat: 'jwt',
  jwt: { sign: { alg: 'RS256' } },
}

/** The harness user as an oidc-provider Account (claims for ID tokens and userinfo). */
export const account: Account = {
  accountId: USER.sub,
  claims: () => ({
    sub: USER.sub,
    name: USER.name,
    preferred_username: USER.username,
    email: USER.email,
    email_verified: true,
  }),
}

/** A space-separated `scope` parameter as distinct scopes; anything but a string gives `[]`. */
export function splitScope(scope: unknown): string[] {
  return typeof scope === 'string' ? [...new Set(scope.split(' ').filter(Boolean))] : []
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/** A fresh private RS256 signing JWK with a random `kid`, `use: 'sig'` and `alg: 'RS256'`. */
export async function generateRsaJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = await exportJWK(privateKey)
  return { ...jwk, kid: randomBytes(16).toString('base64url'), use: 'sig', alg: 'RS256' }
}

/** The public members of an RSA JWK (the private ones dropped). */
function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk
  return rest
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

/**
 * The harness clients (see README.md): a public `spa` client and one confidential client per
 * token endpoint auth method, all redirecting to `${origin}/cb`. Secrets are random per harness;
 * `clientKey` is the `privateKeyJwt` client's private key.
 */
export function buildClients(origin: string, clientKey: JWK): HarnessClients {
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

/** oidc-provider's static client metadata (`clients`) for the harness clients. */
export function buildClientMetadata(clients: HarnessClients): Record<string, unknown>[] {
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
