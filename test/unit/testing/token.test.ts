import { beforeEach, describe, expect, it } from 'vitest'
import { type Client, OAuthResponseError } from '../../../src/index.js'
import { DEFAULT_CLIENTS, type OktaOrg } from '../../../src/testing/index.js'
import {
  authorizeCode,
  basic,
  clientOf,
  jwt,
  orgClock,
  postForm,
  rsaClientKey,
  SPA,
  SPA_REDIRECT,
  sharedOrg,
  spa,
  USER,
  USER_ID,
  useOrg,
  WEB,
  WEB_SECRET,
  web,
} from './helpers.js'

const shared = sharedOrg()
let org: OktaOrg
beforeEach(() => {
  org = shared()
  org.signOut()
})

async function oauthError(promise: Promise<unknown>): Promise<OAuthResponseError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(OAuthResponseError)
  return err as OAuthResponseError
}

function tokenUrl(o: OktaOrg = org): string {
  return `${o.issuer()}/v1/token`
}

describe('/v1/token: authorization_code', () => {
  it('a code works once; reuse is invalid_grant', async () => {
    const client = await spa(org)
    const { code, transaction } = await authorizeCode(client, { scope: 'openid' })
    const exchange = { code, codeVerifier: transaction.codeVerifier!, nonce: transaction.nonce }
    await expect(client.exchangeCode(exchange)).resolves.toMatchObject({
      idTokenClaims: { sub: USER_ID },
    })
    const err = await oauthError(client.exchangeCode(exchange))
    expect(err).toMatchObject({ error: 'invalid_grant', status: 400 })
  })

  it('a code is valid for 300 seconds', async () => {
    const fresh = await useOrg()
    const client = await spa(fresh, orgClock(fresh))
    const a = await authorizeCode(client, { scope: 'openid' })
    fresh.advanceClock(61)
    await expect(
      client.exchangeCode({
        code: a.code,
        codeVerifier: a.transaction.codeVerifier!,
        nonce: a.transaction.nonce,
      }),
    ).resolves.toBeDefined()
    const b = await authorizeCode(client, { scope: 'openid' })
    fresh.advanceClock(301)
    const err = await oauthError(
      client.exchangeCode({
        code: b.code,
        codeVerifier: b.transaction.codeVerifier!,
        nonce: b.transaction.nonce,
      }),
    )
    expect(err.error).toBe('invalid_grant')
  })

  it('another redirect_uri than the authorization request used is invalid_grant', async () => {
    const client = await spa(org)
    const { code, transaction } = await authorizeCode(client, { scope: 'openid' })
    const err = await oauthError(
      client.exchangeCode({
        code,
        codeVerifier: transaction.codeVerifier!,
        redirectUri: 'http://127.0.0.1:8080/callback',
      }),
    )
    expect(err.error).toBe('invalid_grant')
    expect(err.errorDescription).toMatch(/redirect_uri/)
  })

  it('a wrong code_verifier is invalid_grant, and burns the code', async () => {
    const client = await spa(org)
    const { code, transaction } = await authorizeCode(client, { scope: 'openid' })
    const err = await oauthError(
      client.exchangeCode({ code, codeVerifier: 'x'.repeat(43), nonce: transaction.nonce }),
    )
    expect(err.error).toBe('invalid_grant')
    const retry = await oauthError(
      client.exchangeCode({
        code,
        codeVerifier: transaction.codeVerifier!,
        nonce: transaction.nonce,
      }),
    )
    expect(retry.error).toBe('invalid_grant')
  })

  it('a missing code_verifier when a challenge was sent is invalid_grant', async () => {
    const client = await spa(org)
    const { code } = await authorizeCode(client, { scope: 'openid' })
    const response = await postForm(tokenUrl(), {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SPA_REDIRECT,
      client_id: SPA,
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_grant')
  })

  it('a code of another client is invalid_grant', async () => {
    const client = await spa(org)
    const { code, transaction } = await authorizeCode(client, { scope: 'openid' })
    const other = await web(org, { redirectUri: SPA_REDIRECT })
    const err = await oauthError(
      other.exchangeCode({
        code,
        codeVerifier: transaction.codeVerifier!,
        nonce: transaction.nonce,
      }),
    )
    expect(err.error).toBe('invalid_grant')
  })

  it('a code from one server is invalid_grant at another', async () => {
    const client = await spa(org)
    const { code, transaction } = await authorizeCode(client, { scope: 'openid' })
    const orgServer = await clientOf(
      org,
      { clientId: SPA, redirectUri: SPA_REDIRECT },
      org.orgIssuer,
    )
    const err = await oauthError(
      orgServer.exchangeCode({
        code,
        codeVerifier: transaction.codeVerifier!,
        nonce: transaction.nonce,
      }),
    )
    expect(err.error).toBe('invalid_grant')
  })

  it('an unknown code is invalid_grant', async () => {
    const client = await spa(org)
    const err = await oauthError(
      client.exchangeCode({ code: 'nope', codeVerifier: 'x'.repeat(43) }),
    )
    expect(err.error).toBe('invalid_grant')
  })

  it('scopes decide the tokens: refresh token with offline_access, ID token with openid', async () => {
    const client = await spa(org)
    const exchange = async (scope: string) => {
      const { code, transaction } = await authorizeCode(client, { scope })
      return client.exchangeCode({
        code,
        codeVerifier: transaction.codeVerifier!,
        ...(scope.includes('openid') && { nonce: transaction.nonce }),
      })
    }
    const plain = await exchange('orders:read')
    expect(plain.refreshToken).toBeUndefined()
    expect(plain.idToken).toBeUndefined()
    const offline = await exchange('orders:read offline_access')
    expect(offline.refreshToken).toBeTypeOf('string')
    expect(offline.idToken).toBeUndefined()
    const all = await exchange('openid offline_access')
    expect(all.refreshToken).toBeTypeOf('string')
    expect(all.idToken).toBeTypeOf('string')
  })
})

describe('/v1/token: refresh_token', () => {
  async function signIn(client: Client, scope = 'openid profile offline_access orders:read') {
    const { code, transaction } = await authorizeCode(client, { scope })
    return client.exchangeCode({
      code,
      codeVerifier: transaction.codeVerifier!,
      nonce: transaction.nonce,
    })
  }

  it('rotates: the new token works, the old one is refused', async () => {
    const client = await spa(org)
    const tokens = await signIn(client)
    const fresh = await client.refresh(tokens.refreshToken!, { expectedSubject: USER_ID })
    expect(fresh.refreshToken).toBeTypeOf('string')
    expect(fresh.refreshToken).not.toBe(tokens.refreshToken)
    expect(fresh.idTokenClaims?.sub).toBe(USER_ID)
    expect(fresh.scope).toBe('openid profile offline_access orders:read')
    const err = await oauthError(client.refresh(tokens.refreshToken!))
    expect(err).toMatchObject({ error: 'invalid_grant', status: 400 })
    await expect(client.refresh(fresh.refreshToken!)).resolves.toBeDefined()
  })

  it('down-scopes to a subset; a superset is invalid_scope', async () => {
    const client = await spa(org)
    const tokens = await signIn(client)
    const narrow = await client.refresh(tokens.refreshToken!, { scope: 'openid offline_access' })
    expect(narrow.scope).toBe('openid offline_access')
    expect(jwt(narrow.accessToken!).claims.scp).toEqual(['openid', 'offline_access'])
    // The new refresh token keeps the original scopes.
    const wide = await client.refresh(narrow.refreshToken!)
    expect(wide.scope).toBe('openid profile offline_access orders:read')
    const err = await oauthError(
      client.refresh(wide.refreshToken!, { scope: 'openid offline_access email' }),
    )
    expect(err.error).toBe('invalid_scope')
  })

  it('down-scoped without offline_access: an access token only, the refresh token stays valid', async () => {
    const client = await spa(org)
    const tokens = await signIn(client)
    const narrow = await client.refresh(tokens.refreshToken!, { scope: 'orders:read' })
    expect(narrow.accessToken).toBeTypeOf('string')
    expect(narrow.refreshToken).toBeUndefined()
    expect(narrow.idToken).toBeUndefined()
    await expect(client.refresh(tokens.refreshToken!)).resolves.toMatchObject({
      scope: 'openid profile offline_access orders:read',
    })
  })

  it('rotateRefreshTokens: false keeps the same refresh token usable', async () => {
    const fresh = await useOrg({ rotateRefreshTokens: false })
    const client = await spa(fresh)
    const tokens = await signIn(client)
    const first = await client.refresh(tokens.refreshToken!)
    expect(first.refreshToken).toBe(tokens.refreshToken)
    const second = await client.refresh(tokens.refreshToken!)
    expect(second.refreshToken).toBe(tokens.refreshToken)
    expect(second.accessToken).not.toBe(first.accessToken)
  })

  it("another client's refresh token is invalid_grant", async () => {
    const client = await spa(org)
    const tokens = await signIn(client)
    const other = await web(org)
    const err = await oauthError(other.refresh(tokens.refreshToken!))
    expect(err.error).toBe('invalid_grant')
  })

  it('an access token is not a refresh token', async () => {
    const client = await spa(org)
    const tokens = await signIn(client)
    const err = await oauthError(client.refresh(tokens.accessToken!))
    expect(err.error).toBe('invalid_grant')
  })

  it('revokeAll and expiry end refresh tokens', async () => {
    const fresh = await useOrg({ refreshTokenLifetime: 600 })
    const client = await spa(fresh, orgClock(fresh))
    const a = await signIn(client)
    const b = await signIn(client)
    fresh.advanceClock(601)
    expect((await oauthError(client.refresh(a.refreshToken!))).error).toBe('invalid_grant')
    const c = await signIn(client)
    fresh.revokeAll()
    expect((await oauthError(client.refresh(c.refreshToken!))).error).toBe('invalid_grant')
    expect((await oauthError(client.refresh(b.refreshToken!))).error).toBe('invalid_grant')
  })
})

describe('/v1/token: password', () => {
  it('issues tokens for the right password; offline_access adds a refresh token', async () => {
    const client = await web(org)
    const without = await client.password({ ...USER, scope: 'openid profile' })
    expect(without.refreshToken).toBeUndefined()
    expect(without.idTokenClaims).toMatchObject({ sub: USER_ID, name: 'John Doe' })
    const withOffline = await client.password({ ...USER, scope: 'orders:read offline_access' })
    expect(withOffline.refreshToken).toBeTypeOf('string')
    expect(withOffline.idToken).toBeUndefined()
  })

  it('a wrong password or an unknown user is invalid_grant', async () => {
    const client = await web(org)
    const wrong = await oauthError(client.password({ ...USER, password: 'wrong', scope: 'openid' }))
    expect(wrong).toMatchObject({ error: 'invalid_grant', status: 400 })
    const unknown = await oauthError(
      client.password({ username: 'nobody@example.com', password: 'x', scope: 'openid' }),
    )
    expect(unknown.error).toBe('invalid_grant')
  })

  it('the login is matched case-insensitively', async () => {
    const client = await web(org)
    await expect(
      client.password({ ...USER, username: USER.username.toUpperCase(), scope: 'openid' }),
    ).resolves.toMatchObject({ idTokenClaims: { sub: USER_ID } })
  })

  it('an unknown scope, an okta.* scope or no scope is invalid_scope', async () => {
    const client = await web(org)
    for (const scope of ['openid nope', 'openid okta.users.read']) {
      expect((await oauthError(client.password({ ...USER, scope }))).error).toBe('invalid_scope')
    }
    const response = await postForm(
      tokenUrl(),
      { grant_type: 'password', username: USER.username, password: USER.password },
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_scope')
  })
})

describe('/v1/token: client_credentials', () => {
  it('issues an access token only', async () => {
    const client = await web(org)
    const tokens = await client.clientCredentials({ scope: 'orders:read orders:write' })
    expect(tokens).toMatchObject({ tokenType: 'Bearer', scope: 'orders:read orders:write' })
    expect(tokens.refreshToken).toBeUndefined()
    expect(tokens.idToken).toBeUndefined()
  })

  it.each([
    ['an OIDC scope', 'openid'],
    ['offline_access', 'orders:read offline_access'],
    ['an unknown scope', 'orders:delete'],
    ['an okta.* scope at a custom server', 'okta.users.read'],
  ])('%s is invalid_scope', async (_name, scope) => {
    const client = await web(org)
    const err = await oauthError(client.clientCredentials({ scope }))
    expect(err).toMatchObject({ error: 'invalid_scope', status: 400 })
  })

  it('no scope is invalid_scope (no default scopes)', async () => {
    const client = await web(org)
    const err = await oauthError(client.clientCredentials())
    expect(err.error).toBe('invalid_scope')
  })

  it('the org server grants okta.* scopes only as the app was granted them (oktaScopes)', async () => {
    const key = await rsaClientKey('admin-key')
    const fresh = await useOrg({
      clients: [
        ...DEFAULT_CLIENTS,
        {
          clientId: '0oaadmin',
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: key.jwks,
          oktaScopes: ['okta.users.read', 'okta.groups.read'],
        },
      ],
    })
    const admin = await clientOf(
      fresh,
      { clientId: '0oaadmin', auth: { method: 'private_key_jwt', key: key.privateJwk } },
      fresh.orgIssuer,
    )
    const tokens = await admin.clientCredentials({ scope: 'okta.users.read okta.groups.read' })
    const { claims, header } = jwt(tokens.accessToken!)
    expect(claims).toMatchObject({
      iss: fresh.orgIssuer,
      aud: fresh.orgUrl,
      cid: '0oaadmin',
      sub: '0oaadmin',
      scp: ['okta.users.read', 'okta.groups.read'],
    })
    expect(header.kid).toBe(fresh.activeKid('org'))
    expect(header.kid).not.toBe(fresh.activeKid())
    expect((await oauthError(admin.clientCredentials({ scope: 'okta.users.manage' }))).error).toBe(
      'invalid_scope',
    )
    // A client without grants gets none.
    const webApp = await web(fresh, {}, fresh.orgIssuer)
    expect((await oauthError(webApp.clientCredentials({ scope: 'okta.users.read' }))).error).toBe(
      'invalid_scope',
    )
    // The org server has no custom scopes.
    expect((await oauthError(admin.clientCredentials({ scope: 'orders:read' }))).error).toBe(
      'invalid_scope',
    )
  })
})

describe('/v1/token: request rules', () => {
  it('a grant outside the client grantTypes is unauthorized_client', async () => {
    const fresh = await useOrg({
      clients: [
        {
          clientId: '0oaservice',
          clientSecret: WEB_SECRET,
          grantTypes: ['client_credentials'],
        },
      ],
    })
    const client = await clientOf(fresh, {
      clientId: '0oaservice',
      auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
    })
    await expect(client.clientCredentials({ scope: 'orders:read' })).resolves.toBeDefined()
    const err = await oauthError(client.password({ ...USER, scope: 'openid' }))
    expect(err).toMatchObject({ error: 'unauthorized_client', status: 400 })
    expect((await oauthError(client.refresh('whatever'))).error).toBe('unauthorized_client')
  })

  it('an unknown grant type is unsupported_grant_type; none is invalid_request', async () => {
    const unknown = await postForm(
      tokenUrl(),
      { grant_type: 'urn:ietf:params:oauth:grant-type:device_code' },
      basic(WEB, WEB_SECRET),
    )
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).error).toBe('unsupported_grant_type')
    const missing = await postForm(tokenUrl(), { scope: 'orders:read' }, basic(WEB, WEB_SECRET))
    expect(missing.status).toBe(400)
    expect((await missing.json()).error).toBe('invalid_request')
  })

  it('a body that is not a form is invalid_request', async () => {
    const response = await fetch(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...basic(WEB, WEB_SECRET) },
      body: JSON.stringify({ grant_type: 'client_credentials', scope: 'orders:read' }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('a charset on the form content type is fine', async () => {
    const response = await postForm(
      tokenUrl(),
      { grant_type: 'client_credentials', scope: 'orders:read' },
      {
        ...basic(WEB, WEB_SECRET),
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      },
    )
    expect(response.status).toBe(200)
  })

  it('a duplicated parameter is invalid_request', async () => {
    const response = await postForm(
      tokenUrl(),
      'grant_type=client_credentials&scope=orders%3Aread&scope=orders%3Awrite',
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.error).toBe('invalid_request')
    expect(body.error_description).toMatch(/scope/)
  })

  it('success and error responses carry cache-control no-store and pragma no-cache', async () => {
    const ok = await postForm(
      tokenUrl(),
      { grant_type: 'client_credentials', scope: 'orders:read' },
      basic(WEB, WEB_SECRET),
    )
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/)
    expect(ok.headers.get('cache-control')).toBe('no-store')
    expect(ok.headers.get('pragma')).toBe('no-cache')
    const body = await ok.json()
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'orders:read' })
    const bad = await postForm(
      tokenUrl(),
      { grant_type: 'client_credentials', scope: 'nope' },
      basic(WEB, WEB_SECRET),
    )
    expect(bad.status).toBe(400)
    expect(bad.headers.get('cache-control')).toBe('no-store')
    expect(bad.headers.get('pragma')).toBe('no-cache')
  })

  it('counts token requests, including refused ones', async () => {
    const before = org.requestCount('token')
    const client = await web(org)
    await client.clientCredentials({ scope: 'orders:read' })
    await oauthError(client.clientCredentials({ scope: 'nope' }))
    expect(org.requestCount('token') - before).toBe(2)
  })
})
