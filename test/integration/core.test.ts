import { base64url, decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Client,
  type ClientAuth,
  createClient,
  discover,
  OAuthResponseError,
  type ServerMetadata,
  TokenValidationError,
} from '../../src/index.js'
import { type HarnessClient, type StartedProvider, startProvider } from './harness/provider.js'

let op: StartedProvider
let metadata: ServerMetadata

beforeAll(async () => {
  op = await startProvider()
  metadata = await discover(op.issuer, { cacheTtl: 0 })
})
afterAll(() => op?.close())

function authOf(c: HarnessClient): ClientAuth {
  switch (c.tokenEndpointAuthMethod) {
    case 'client_secret_basic':
      return { method: 'client_secret_basic', clientSecret: c.clientSecret! }
    case 'client_secret_post':
      return { method: 'client_secret_post', clientSecret: c.clientSecret! }
    case 'client_secret_jwt':
      return { method: 'client_secret_jwt', clientSecret: c.clientSecret! }
    case 'private_key_jwt':
      return { method: 'private_key_jwt', key: c.privateJwk! }
    default:
      return { method: 'none' }
  }
}

function clientFor(
  c: HarnessClient,
  extra: Partial<Parameters<typeof createClient>[1]> = {},
): Client {
  return createClient(metadata, {
    clientId: c.clientId,
    redirectUri: c.redirectUri,
    auth: authOf(c),
    ...extra,
  })
}

/** Drive a code + PKCE authorization through the provider's headless login. */
async function authorizeCode(c: HarnessClient, scope: string) {
  const { url, transaction } = await clientFor(c).authorizationUrl({ scope })
  const result = await op.authorize(url)
  if (!('location' in result)) throw new Error('expected a redirect')
  const callback = new URL(result.location)
  expect(callback.searchParams.get('state')).toBe(transaction.state)
  return {
    code: callback.searchParams.get('code')!,
    codeVerifier: transaction.codeVerifier!,
    nonce: transaction.nonce,
  }
}

describe('discovery against oidc-provider', () => {
  it('reads both well-known documents with exact issuer matching', async () => {
    expect(metadata.issuer).toBe(op.issuer)
    expect(metadata.token_endpoint).toBe(`${op.issuer}/v1/token`)
    expect(metadata.jwks_uri).toBe(`${op.issuer}/v1/keys`)
    const oauthDoc = await discover(op.issuer, {
      wellKnown: 'oauth-authorization-server',
      cacheTtl: 0,
    })
    expect(oauthDoc.issuer).toBe(op.issuer)
    await expect(discover(`${op.origin}/oauth2/other`, { cacheTtl: 0 })).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      status: 404,
    })
  })
})

describe('authorization code + PKCE', () => {
  it('exchanges the code (public client) and validates the ID token with its nonce', async () => {
    const { code, codeVerifier, nonce } = await authorizeCode(
      op.clients.spa,
      'openid profile email offline_access',
    )
    const client = clientFor(op.clients.spa)
    const tokens = await client.exchangeCode({ code, codeVerifier, nonce })
    expect(tokens.tokenType).toBe('Bearer')
    expect(tokens.idTokenClaims).toMatchObject({
      sub: op.user.sub,
      nonce,
      aud: op.clients.spa.clientId,
      iss: op.issuer,
    })
    expect(tokens.refreshToken).toEqual(expect.any(String))
    const user = await client.userinfo(tokens)
    expect(user).toMatchObject({ sub: op.user.sub, email: op.user.email })
  })

  it('rejects a replayed code and a wrong verifier with invalid_grant', async () => {
    const { code, codeVerifier, nonce } = await authorizeCode(op.clients.basic, 'openid')
    const client = clientFor(op.clients.basic)
    const wrong = await client
      .exchangeCode({ code, codeVerifier: `${codeVerifier}x`, nonce })
      .catch((e) => e)
    expect(wrong).toBeInstanceOf(OAuthResponseError)
    expect(wrong).toMatchObject({ error: 'invalid_grant', status: 400 })
    const fresh = await authorizeCode(op.clients.basic, 'openid')
    await client.exchangeCode(fresh)
    await expect(client.exchangeCode(fresh)).rejects.toMatchObject({ error: 'invalid_grant' })
  })
})

describe.each(['basic', 'post', 'secretJwt', 'privateKeyJwt'] as const)(
  'client auth %s',
  (name) => {
    it('password grant returns a validated ID token and a refresh token', async () => {
      const c = op.clients[name]
      const tokens = await clientFor(c).password({
        username: op.user.username,
        password: op.user.password,
        scope: 'openid profile offline_access',
      })
      expect(tokens.idTokenClaims?.sub).toBe(op.user.sub)
      expect(tokens.refreshToken).toEqual(expect.any(String))
      expect(tokens.expiresAt).toBeGreaterThan(Date.now() / 1000)
    })

    it('client_credentials grant', async () => {
      const tokens = await clientFor(op.clients[name]).clientCredentials({ scope: 'orders:read' })
      expect(tokens.accessToken).toEqual(expect.any(String))
      expect(tokens.scope).toBe('orders:read')
      expect(tokens.idToken).toBeUndefined()
    })

    it('introspect active, revoke, introspect inactive', async () => {
      const client = clientFor(op.clients[name])
      const { accessToken } = await client.clientCredentials({ scope: 'orders:read' })
      const before = await client.introspect(accessToken, { tokenTypeHint: 'access_token' })
      expect(before).toMatchObject({
        active: true,
        client_id: op.clients[name].clientId,
        scope: 'orders:read',
      })
      await client.revoke(accessToken, { tokenTypeHint: 'access_token' })
      expect(await client.introspect(accessToken)).toEqual({ active: false })
    })
  },
)

describe('refresh token rotation', () => {
  it('returns a new refresh token and refuses the used one', async () => {
    const client = clientFor(op.clients.basic)
    const login = {
      username: op.user.username,
      password: op.user.password,
      scope: 'openid offline_access',
    }
    const first = await client.password(login)
    const second = await client.refresh(first.refreshToken!, { expectedSubject: op.user.sub })
    expect(second.refreshToken).toEqual(expect.any(String))
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second.idTokenClaims?.sub).toBe(op.user.sub)
    const third = await client.refresh(second.refreshToken!)
    expect(third.refreshToken).not.toBe(second.refreshToken)
    const reused = await client.refresh(first.refreshToken!).catch((e) => e)
    expect(reused).toBeInstanceOf(OAuthResponseError)
    expect(reused).toMatchObject({ error: 'invalid_grant', status: 400 })
    // Reuse detection: the server revokes the whole family, the newest token included.
    await expect(client.refresh(third.refreshToken!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
  })

  it('down-selects scopes', async () => {
    const client = clientFor(op.clients.post)
    const first = await client.password({
      username: op.user.username,
      password: op.user.password,
      scope: 'openid profile email offline_access',
    })
    const narrowed = await client.refresh(first.refreshToken!, { scope: 'openid email' })
    expect(narrowed.scope?.split(' ').sort()).toEqual(['email', 'openid'])
  })

  it('revoking the refresh token makes it inactive', async () => {
    const client = clientFor(op.clients.privateKeyJwt)
    const { refreshToken } = await client.password({
      username: op.user.username,
      password: op.user.password,
      scope: 'openid offline_access',
    })
    expect(
      (await client.introspect(refreshToken!, { tokenTypeHint: 'refresh_token' })).active,
    ).toBe(true)
    await client.revoke(refreshToken!, { tokenTypeHint: 'refresh_token' })
    expect(
      (await client.introspect(refreshToken!, { tokenTypeHint: 'refresh_token' })).active,
    ).toBe(false)
    await expect(client.refresh(refreshToken!)).rejects.toMatchObject({ error: 'invalid_grant' })
  })
})

describe('errors from the real server', () => {
  it('wrong password: invalid_grant, and the password is not in the error', async () => {
    const err = await clientFor(op.clients.basic)
      .password({ username: op.user.username, password: 'not-the-password-xyz', scope: 'openid' })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', error: 'invalid_grant', status: 400 })
    expect(`${err.message}${err.stack}`).not.toContain('not-the-password-xyz')
  })

  it('wrong client secret: invalid_client 401', async () => {
    const client = createClient(metadata, {
      clientId: op.clients.basic.clientId,
      auth: { method: 'client_secret_basic', clientSecret: 'wrong-secret-value' },
    })
    const err = await client.clientCredentials().catch((e) => e)
    expect(err).toMatchObject({ error: 'invalid_client', status: 401 })
    expect(`${err.message}${err.stack}`).not.toContain('wrong-secret-value')
  })

  it('userinfo with a revoked token: invalid_token from WWW-Authenticate', async () => {
    const client = clientFor(op.clients.basic)
    const tokens = await client.password({
      username: op.user.username,
      password: op.user.password,
      scope: 'openid profile',
    })
    await client.revoke(tokens.accessToken)
    const err = await client.userinfo(tokens).catch((e) => e)
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'invalid_token', status: 401 })
    expect(err.challenges?.[0]?.scheme).toBe('bearer')
  })

  it('unsupported scope: invalid_scope', async () => {
    // oidc-provider drops unknown scopes in client_credentials; its password grant (the harness's) refuses them.
    const err = await clientFor(op.clients.basic)
      .password({
        username: op.user.username,
        password: op.user.password,
        scope: 'openid no-such-scope',
      })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', error: 'invalid_scope' })
  })
})

describe('ID tokens and keys', () => {
  it('rejects a tampered ID token from the real server', async () => {
    const client = clientFor(op.clients.basic)
    const { idToken } = await client.password({
      username: op.user.username,
      password: op.user.password,
      scope: 'openid',
    })
    const [h, p, s] = idToken!.split('.') as [string, string, string]
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p)))
    const tampered = `${h}.${base64url.encode(JSON.stringify({ ...claims, sub: 'someone-else' }))}.${s}`
    const err = await client.validateIdToken(tampered).catch((e) => e)
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err.code).toBe('ERR_JWT_SIGNATURE_INVALID')
    await expect(client.validateIdToken(idToken!)).resolves.toMatchObject({ sub: op.user.sub })
  })

  it('follows a signing key rotation without a restart, with one JWKS refetch', async () => {
    const client = clientFor(op.clients.basic)
    const login = { username: op.user.username, password: op.user.password, scope: 'openid' }
    const before = await client.password(login)
    const keysPath = new URL(metadata.jwks_uri!).pathname
    op.resetRequestCounts()
    const newKid = await op.rotateSigningKey()
    const after = await client.password(login)
    expect(decodeProtectedHeader(after.idToken!).kid).toBe(newKid)
    expect(decodeProtectedHeader(before.idToken!).kid).not.toBe(newKid)
    expect(after.idTokenClaims?.sub).toBe(op.user.sub)
    expect(op.requestCount(keysPath)).toBe(1)
    // The old key is still published: tokens signed before the rotation stay valid.
    await expect(client.validateIdToken(before.idToken!)).resolves.toBeDefined()
  })
})

describe('logout', () => {
  it('builds a logout URL the server accepts, returning to post_logout_redirect_uri with state', async () => {
    const c = op.clients.spa
    const client = clientFor(c, { postLogoutRedirectUri: c.postLogoutRedirectUris[0] })
    const { code, codeVerifier, nonce } = await authorizeCode(c, 'openid')
    const tokens = await client.exchangeCode({ code, codeVerifier, nonce })
    const url = client.logoutUrl({ idTokenHint: tokens.idToken!, state: 'bye-123' })
    expect(url.origin + url.pathname).toBe(`${op.issuer}/v1/logout`)
    const { location } = await op.logout(url)
    const back = new URL(location)
    expect(`${back.origin}${back.pathname}`).toBe(new URL(c.postLogoutRedirectUris[0]!).href)
    expect(back.searchParams.get('state')).toBe('bye-123')
  })
})
