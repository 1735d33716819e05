import { SignJWT } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  clearDiscoveryCache,
  discover,
  InvalidResponseError,
  OAuthResponseError,
  TimeoutError,
} from '../../../src/index.js'
import { DEFAULT_USERS, type OktaOrg } from '../../../src/testing/index.js'
import { rejection } from '../../support/rejection.js'
import {
  ALICE,
  authorizeCode,
  basic,
  clientOf,
  jwt,
  location,
  postForm,
  rsaClientKey,
  SPA,
  SPA_REDIRECT,
  sharedOrg,
  spa,
  USER,
  USER_ID,
  useOrg,
  visit,
  WEB,
  WEB_SECRET,
  web,
} from './helpers.js'

const shared = sharedOrg(() => ({ users: [...DEFAULT_USERS, ALICE] }))
let org: OktaOrg
beforeEach(() => {
  org = shared()
  org.signOut()
  org.behave()
})

async function keysOf(o: OktaOrg, server = o.issuer()): Promise<Response> {
  return fetch(`${server}/v1/keys`)
}

async function kids(o: OktaOrg, server?: string): Promise<string[]> {
  const body = (await (await keysOf(o, server)).json()) as { keys: { kid: string }[] }
  return body.keys.map((k) => k.kid)
}

/** Sign the user in through the code flow (a browser session and tokens). */
async function signIn(
  o: OktaOrg,
  scope = 'openid profile email offline_access',
  loginHint?: string,
) {
  const client = await spa(o)
  const { code, transaction } = await authorizeCode(client, {
    scope,
    ...(loginHint && { loginHint }),
  })
  const tokens = await client.exchangeCode({
    code,
    codeVerifier: transaction.codeVerifier!,
    nonce: transaction.nonce,
  })
  return { client, tokens }
}

describe('/v1/keys', () => {
  it('publishes the ACTIVE and the NEXT key before any rotation, public parts only', async () => {
    const fresh = await useOrg()
    const response = await keysOf(fresh)
    expect(response.headers.get('cache-control')).toBe('max-age=3832304, must-revalidate')
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(keys).toHaveLength(2)
    expect(keys.map((k) => k.kid)).toContain(fresh.activeKid())
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' })
      expect(key.n).toBeTypeOf('string')
      expect(key.d).toBeUndefined()
      expect(key.p).toBeUndefined()
    }
    expect(fresh.requestCount('keys')).toBe(1)
  })

  it('rotation: the NEXT key becomes ACTIVE, the old ACTIVE stays published, a second rotation drops it', async () => {
    const fresh = await useOrg()
    const first = fresh.activeKid()
    const [next] = (await kids(fresh)).filter((k) => k !== first)
    const second = await fresh.rotateKeys()
    expect(second).toBe(next)
    expect(fresh.activeKid()).toBe(next)
    const afterOne = await kids(fresh)
    expect(afterOne).toHaveLength(3)
    expect(afterOne).toContain(first)
    expect(afterOne).toContain(second)
    const [newNext] = afterOne.filter((k) => k !== first && k !== second)
    const third = await fresh.rotateKeys()
    expect(third).toBe(newNext)
    const afterTwo = await kids(fresh)
    expect(afterTwo).toHaveLength(3)
    expect(afterTwo).not.toContain(first)
    expect(afterTwo).toContain(second)
    expect(afterTwo).toContain(third)
  })

  it('the org server and each custom server have their own keys, rotated separately', async () => {
    const fresh = await useOrg()
    const custom = await kids(fresh)
    const orgKeys = await kids(fresh, `${fresh.orgUrl}/oauth2`)
    expect(orgKeys).toContain(fresh.activeKid('org'))
    expect(orgKeys.filter((k) => custom.includes(k))).toEqual([])
    const before = fresh.activeKid()
    const orgBefore = fresh.activeKid('org')
    const rotated = await fresh.rotateKeys('org')
    expect(rotated).not.toBe(orgBefore)
    expect(orgKeys).toContain(rotated)
    expect(fresh.activeKid('org')).toBe(rotated)
    expect(fresh.activeKid()).toBe(before)
    expect(await kids(fresh)).toEqual(custom)
  })

  it('rotateKeys and activeKid refuse an unknown server', async () => {
    await expect(org.rotateKeys('nope')).rejects.toThrow(/no authorization server/)
    expect(() => org.activeKid('nope')).toThrow(/no authorization server/)
  })

  it('discovery points at the keys', async () => {
    const metadata = await discover(org.issuer())
    expect(metadata.jwks_uri).toBe(`${org.issuer()}/v1/keys`)
    expect(metadata.end_session_endpoint).toBe(`${org.issuer()}/v1/logout`)
    const response = await fetch(`${org.issuer()}/.well-known/oauth-authorization-server`)
    expect(response.headers.get('cache-control')).toBe('max-age=86400')
    expect((await response.json()).issuer).toBe(org.issuer())
  })
})

describe('/v1/userinfo', () => {
  it('returns sub and the claims the scopes allow', async () => {
    const { client, tokens } = await signIn(org, 'openid')
    expect(await client.userinfo(tokens)).toEqual({ sub: USER_ID })
    const full = await signIn(org, 'openid profile email groups')
    const info = await full.client.userinfo(full.tokens)
    expect(info).toMatchObject({
      sub: USER_ID,
      name: 'John Doe',
      preferred_username: USER.username,
      email: 'john.doe@example.com',
      email_verified: true,
      groups: ['Everyone'],
    })
  })

  it('has the same profile claims as the ID token', async () => {
    const { client, tokens } = await signIn(org, 'openid profile email', ALICE.login)
    const info = await client.userinfo(tokens)
    const { claims } = jwt(tokens.idToken!)
    for (const name of ['sub', 'name', 'given_name', 'email', 'preferred_username']) {
      expect(info[name], name).toEqual(claims[name])
    }
  })

  it('accepts POST too', async () => {
    const { tokens } = await signIn(org, 'openid')
    const response = await fetch(`${org.issuer()}/v1/userinfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ sub: USER_ID })
  })

  it('401 with a Bearer invalid_token challenge for an unknown, revoked or foreign token', async () => {
    const { client, tokens } = await signIn(org, 'openid profile')
    const raw = await fetch(`${org.issuer()}/v1/userinfo`, {
      headers: { authorization: 'Bearer not-a-token' },
    })
    expect(raw.status).toBe(401)
    expect(raw.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token", error_description="[^"]+"$/,
    )
    expect(raw.headers.get('cache-control')).toBe('no-cache, no-store')
    expect(raw.headers.get('pragma')).toBe('no-cache')
    const missing = await fetch(`${org.issuer()}/v1/userinfo`)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)

    // The token of another server.
    const orgServer = await clientOf(
      org,
      { clientId: SPA, redirectUri: SPA_REDIRECT },
      org.orgIssuer,
    )
    const foreign = await rejection(orgServer.userinfo(tokens))
    expect(foreign).toMatchObject({ error: 'invalid_token', status: 401 })

    await client.revoke(tokens.accessToken!)
    const err = await rejection(client.userinfo(tokens))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'invalid_token', status: 401 })
  })

  it('401 for a client-credentials token (no user)', async () => {
    const client = await web(org)
    const { accessToken } = await client.clientCredentials({ scope: 'orders:read' })
    const err = await rejection(client.userinfo(accessToken!, { skipSubjectCheck: true }))
    expect(err).toMatchObject({ error: 'invalid_token', status: 401 })
  })

  it('403 insufficient_scope for a token without openid', async () => {
    const client = await web(org)
    const tokens = await client.password({ ...USER, scope: 'orders:read' })
    const err = await rejection(client.userinfo(tokens.accessToken!, { skipSubjectCheck: true }))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'insufficient_scope', status: 403 })
    const raw = await fetch(`${org.issuer()}/v1/userinfo`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    })
    expect(raw.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/)
  })

  it('the SDK catches a userinfo response for another user', async () => {
    const { client, tokens } = await signIn(org, 'openid')
    const err = await rejection(client.userinfo(tokens.accessToken!, { expectedSubject: ALICE.id }))
    expect(err).toMatchObject({ code: 'ERR_SUBJECT_MISMATCH' })
  })
})

describe('/v1/introspect', () => {
  it('an active access token: every Okta field', async () => {
    const { tokens } = await signIn(org, 'openid profile offline_access')
    const webClient = await web(org)
    const info = await webClient.introspect(tokens.accessToken!, { tokenTypeHint: 'access_token' })
    const { claims } = jwt(tokens.accessToken!)
    expect(info).toEqual({
      active: true,
      scope: 'openid profile offline_access',
      username: USER.username,
      exp: claims.exp,
      iat: claims.iat,
      sub: USER.username,
      aud: 'api://default',
      iss: org.issuer(),
      jti: claims.jti,
      token_type: 'Bearer',
      client_id: SPA,
      uid: USER_ID,
    })
  })

  it('a client-credentials token: sub is the client, no username or uid', async () => {
    const webClient = await web(org)
    const { accessToken } = await webClient.clientCredentials({ scope: 'orders:read' })
    const info = await webClient.introspect(accessToken!)
    expect(info).toMatchObject({ active: true, sub: WEB, client_id: WEB, token_type: 'Bearer' })
    expect(info.username).toBeUndefined()
    expect(info.uid).toBeUndefined()
  })

  it('a refresh token: active, token_type Bearer, the user, no uid', async () => {
    const { client, tokens } = await signIn(org, 'openid offline_access')
    const info = await client.introspect(tokens.refreshToken!, { tokenTypeHint: 'refresh_token' })
    expect(info).toMatchObject({
      active: true,
      token_type: 'Bearer',
      scope: 'openid offline_access',
      client_id: SPA,
      username: USER.username,
      sub: USER.username,
    })
    expect(info.exp).toBeGreaterThan(org.now() + 86_400)
    expect(info.uid).toBeUndefined()
  })

  it('inactive: unknown tokens, revoked tokens, tokens of another server', async () => {
    const { client, tokens } = await signIn(org, 'openid offline_access')
    expect(await client.introspect('garbage')).toEqual({ active: false })
    const orgServer = await web(org, {}, org.orgIssuer)
    expect(await orgServer.introspect(tokens.accessToken!)).toEqual({ active: false })
    expect(await orgServer.introspect(tokens.idToken!)).toEqual({ active: false })
    await client.revoke(tokens.accessToken!)
    expect(await client.introspect(tokens.accessToken!)).toEqual({ active: false })
  })

  it('an ID token is "also valid": active until it expires, for its own client', async () => {
    const fresh = await useOrg({ tokenLifetime: 120 })
    const { client, tokens } = await signIn(fresh, 'openid')
    const { claims } = jwt(tokens.idToken!)
    const info = await client.introspect(tokens.idToken!, { tokenTypeHint: 'id_token' })
    expect(info).toEqual({
      active: true,
      username: USER.username,
      exp: claims.exp,
      iat: claims.iat,
      sub: USER_ID,
      aud: SPA,
      iss: fresh.issuer(),
      jti: claims.jti,
      token_type: 'Bearer',
      client_id: SPA,
    })
    // Another public client does not see it; a confidential one does.
    fresh.clients.set('0oaspa2', { clientId: '0oaspa2', tokenEndpointAuthMethod: 'none' })
    const other = await clientOf(fresh, { clientId: '0oaspa2' })
    expect(await other.introspect(tokens.idToken!)).toEqual({ active: false })
    expect((await (await web(fresh)).introspect(tokens.idToken!)).active).toBe(true)
    fresh.advanceClock(121)
    expect(await client.introspect(tokens.idToken!)).toEqual({ active: false })
  })

  it('a revoked access token is not mistaken for an ID token', async () => {
    const { client, tokens } = await signIn(org, 'openid')
    await client.revoke(tokens.accessToken!)
    expect(await client.introspect(tokens.accessToken!, { tokenTypeHint: 'id_token' })).toEqual({
      active: false,
    })
  })

  it("a public client sees only its own tokens; a confidential client sees anyone's", async () => {
    const webClient = await web(org)
    const { accessToken } = await webClient.clientCredentials({ scope: 'orders:read' })
    const spaClient = await spa(org)
    expect(await spaClient.introspect(accessToken!)).toEqual({ active: false })
    const { tokens } = await signIn(org, 'openid')
    expect((await webClient.introspect(tokens.accessToken!)).active).toBe(true)
  })

  it('a missing token parameter is invalid_request', async () => {
    const response = await postForm(`${org.issuer()}/v1/introspect`, {}, basic(WEB, WEB_SECRET))
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })

  it('answers with no-store', async () => {
    const response = await postForm(
      `${org.issuer()}/v1/introspect`,
      { token: 'x' },
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})

describe('/v1/revoke', () => {
  it("revoking a refresh token revokes its family's access tokens, including rotated ones", async () => {
    const { client, tokens } = await signIn(org, 'openid offline_access')
    const rotated = await client.refresh(tokens.refreshToken!)
    const webClient = await web(org)
    expect((await webClient.introspect(tokens.accessToken!)).active).toBe(true)
    await client.revoke(rotated.refreshToken!, { tokenTypeHint: 'refresh_token' })
    for (const token of [tokens.accessToken!, rotated.accessToken!, rotated.refreshToken!]) {
      expect((await webClient.introspect(token)).active).toBe(false)
    }
    await expect(client.refresh(rotated.refreshToken!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
  })

  it('revoking an access token leaves the refresh token and other families alone', async () => {
    const a = await signIn(org, 'openid offline_access')
    const b = await signIn(org, 'openid offline_access')
    await a.client.revoke(a.tokens.accessToken!)
    expect((await a.client.introspect(a.tokens.accessToken!)).active).toBe(false)
    expect((await a.client.introspect(a.tokens.refreshToken!)).active).toBe(true)
    expect((await b.client.introspect(b.tokens.accessToken!)).active).toBe(true)
  })

  it("revoking another client's token is a 200 no-op", async () => {
    const { tokens } = await signIn(org, 'openid offline_access')
    const webClient = await web(org)
    await expect(webClient.revoke(tokens.refreshToken!)).resolves.toBeUndefined()
    await expect(webClient.revoke(tokens.accessToken!)).resolves.toBeUndefined()
    expect((await webClient.introspect(tokens.refreshToken!)).active).toBe(true)
    expect((await webClient.introspect(tokens.accessToken!)).active).toBe(true)
  })

  it('an unknown or already revoked token is a 200 with an empty body', async () => {
    const response = await postForm(
      `${org.issuer()}/v1/revoke`,
      { token: 'never-issued' },
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })

  it('a missing token parameter is invalid_request', async () => {
    const response = await postForm(`${org.issuer()}/v1/revoke`, {}, basic(WEB, WEB_SECRET))
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })
})

describe('/v1/logout', () => {
  it('with id_token_hint, a registered post_logout_redirect_uri and state: 302 with state, session ended', async () => {
    const { client, tokens } = await signIn(org, 'openid')
    expect(org.sessionUserId).toBe(USER_ID)
    const url = client.logoutUrl({
      idTokenHint: tokens.idToken!,
      postLogoutRedirectUri: 'http://localhost:8080/',
      state: 'bye-123',
    })
    const response = await visit(url)
    const target = new URL(location(response))
    expect(target.origin + target.pathname).toBe('http://localhost:8080/')
    expect(target.searchParams.get('state')).toBe('bye-123')
    expect(org.sessionUserId).toBeUndefined()
    // prompt=none now fails.
    const silent = await client.authorizationUrl({ scope: 'openid', prompt: 'none' })
    const denied = await visit(silent.url)
    await expect(client.handleCallback(location(denied), silent.transaction)).rejects.toMatchObject(
      {
        error: 'login_required',
      },
    )
  })

  it('without post_logout_redirect_uri: a 200 page, session ended', async () => {
    const { client, tokens } = await signIn(org, 'openid')
    const response = await visit(client.logoutUrl({ idTokenHint: tokens.idToken! }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(org.sessionUserId).toBeUndefined()
  })

  it('an unregistered post_logout_redirect_uri is a 400, the session stays', async () => {
    const { client, tokens } = await signIn(org, 'openid')
    const response = await visit(
      client.logoutUrl({
        idTokenHint: tokens.idToken!,
        postLogoutRedirectUri: 'http://localhost:3000/',
      }),
    )
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(org.sessionUserId).toBe(USER_ID)
  })

  it('a missing or forged id_token_hint is a 400', async () => {
    const { tokens } = await signIn(org, 'openid')
    const missing = await visit(`${org.issuer()}/v1/logout`)
    expect(missing.status).toBe(400)
    const { privateJwk } = await rsaClientKey(org.activeKid())
    const { importJWK } = await import('jose')
    const forged = await new SignJWT(jwt(tokens.idToken!).claims)
      .setProtectedHeader({ alg: 'RS256', kid: org.activeKid() })
      .sign(await importJWK(privateJwk, 'RS256'))
    const response = await visit(`${org.issuer()}/v1/logout?id_token_hint=${forged}`)
    expect(response.status).toBe(400)
    const garbage = await visit(`${org.issuer()}/v1/logout?id_token_hint=abc.def.ghi`)
    expect(garbage.status).toBe(400)
    expect(org.sessionUserId).toBe(USER_ID)
  })

  it('an ID token of another server is not a hint here', async () => {
    const { tokens } = await signIn(org, 'openid')
    const response = await visit(`${org.orgUrl}/oauth2/v1/logout?id_token_hint=${tokens.idToken}`)
    expect(response.status).toBe(400)
  })

  it('an expired ID token is still a valid hint', async () => {
    const fresh = await useOrg({ tokenLifetime: 60 })
    const { client, tokens } = await signIn(fresh, 'openid')
    fresh.advanceClock(3600)
    const response = await visit(
      client.logoutUrl({
        idTokenHint: tokens.idToken!,
        postLogoutRedirectUri: 'http://localhost:8080/',
      }),
    )
    expect(response.status).toBe(302)
    expect(fresh.sessionUserId).toBeUndefined()
  })

  it("a hint for another user than the session's does not end the session", async () => {
    const { client, tokens } = await signIn(org, 'openid')
    org.signIn(ALICE.login)
    const response = await visit(client.logoutUrl({ idTokenHint: tokens.idToken! }))
    expect(response.status).toBe(200)
    expect(org.sessionUserId).toBe(ALICE.id)
  })
})

describe('misbehave', () => {
  it('status, body and headers for N requests, then normal answers', async () => {
    const client = await web(org)
    const before = org.requestCount('token')
    org.misbehave('token', {
      status: 429,
      body: { error: 'too_many_requests', error_description: 'slow down' },
      headers: { 'retry-after': '7' },
      times: 2,
    })
    const raw = await postForm(
      `${org.issuer()}/v1/token`,
      { grant_type: 'client_credentials', scope: 'orders:read' },
      basic(WEB, WEB_SECRET),
    )
    expect(raw.status).toBe(429)
    expect(raw.headers.get('retry-after')).toBe('7')
    expect(await raw.json()).toEqual({ error: 'too_many_requests', error_description: 'slow down' })
    const err = await rejection(client.clientCredentials({ scope: 'orders:read' }))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'too_many_requests', status: 429 })
    await expect(client.clientCredentials({ scope: 'orders:read' })).resolves.toMatchObject({
      scope: 'orders:read',
    })
    expect(org.requestCount('token') - before).toBe(3)
  })

  it('the default body is an Okta error body (E0000009)', async () => {
    org.misbehave('introspect', { status: 500 })
    const response = await postForm(
      `${org.issuer()}/v1/introspect`,
      { token: 'x' },
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({
      errorCode: 'E0000009',
      errorSummary: 'Internal Server Error',
    })
    const client = await web(org)
    await expect(client.introspect('x')).resolves.toEqual({ active: false })
  })

  it('a string body is sent as is', async () => {
    org.misbehave('keys', { status: 502, body: '<html>bad gateway</html>' })
    const response = await keysOf(org)
    expect(response.status).toBe(502)
    expect(await response.text()).toBe('<html>bad gateway</html>')
    expect((await keysOf(org)).status).toBe(200)
  })

  it('a delay makes an SDK call with a short timeout fail with ERR_TIMEOUT', async () => {
    const client = await web(org)
    org.misbehave('token', { delay: 300 })
    const err = await rejection(client.clientCredentials({ scope: 'orders:read' }, { timeout: 50 }))
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
    // The delay applied to one request only.
    await expect(
      client.clientCredentials({ scope: 'orders:read' }, { timeout: 2_000 }),
    ).resolves.toBeDefined()
  })

  it('a delay alone still answers normally', async () => {
    const client = await web(org)
    org.misbehave('token', { delay: 30 })
    await expect(client.clientCredentials({ scope: 'orders:read' })).resolves.toMatchObject({
      scope: 'orders:read',
    })
  })

  it('a discovery failure makes discover reject with a typed error, then recover', async () => {
    clearDiscoveryCache()
    org.misbehave('discovery', { status: 503 })
    const err = await rejection(discover(org.issuer()))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 503 })
    await expect(discover(org.issuer())).resolves.toMatchObject({ issuer: org.issuer() })
  })

  it('times: Infinity lasts until behave() clears it', async () => {
    org.misbehave('userinfo', { status: 503, times: Number.POSITIVE_INFINITY })
    const { client, tokens } = await signIn(org, 'openid')
    for (let i = 0; i < 3; i++) {
      await expect(client.userinfo(tokens)).rejects.toBeDefined()
    }
    org.behave()
    await expect(client.userinfo(tokens)).resolves.toEqual({ sub: USER_ID })
  })

  it('misbehaviours queue up per endpoint, in order', async () => {
    org.misbehave('keys', { status: 500 })
    org.misbehave('keys', { status: 503 })
    expect((await keysOf(org)).status).toBe(500)
    expect((await keysOf(org)).status).toBe(503)
    expect((await keysOf(org)).status).toBe(200)
  })

  it('other endpoints are unaffected', async () => {
    org.misbehave('token', { status: 500, times: 5 })
    expect((await keysOf(org)).status).toBe(200)
    const spaClient = await spa(org)
    const { url } = await spaClient.authorizationUrl({ scope: 'openid' })
    expect((await visit(url)).status).toBe(302)
  })

  it('authorize can misbehave too', async () => {
    org.misbehave('authorize', { status: 500 })
    const spaClient = await spa(org)
    const { url } = await spaClient.authorizationUrl({ scope: 'openid' })
    expect((await visit(url)).status).toBe(500)
    expect((await visit(url)).status).toBe(302)
  })
})

describe('the org server', () => {
  it('serves the same endpoints at https://{org}/oauth2/v1/*', async () => {
    const client = await web(org, {}, org.orgIssuer)
    expect(client.metadata.token_endpoint).toBe(`${org.orgUrl}/oauth2/v1/token`)
    const tokens = await client.password({ ...USER, scope: 'openid profile' })
    expect(jwt(tokens.idToken!).claims.iss).toBe(org.orgIssuer)
    expect(jwt(tokens.accessToken!).claims.aud).toBe(org.orgUrl)
    expect(await client.userinfo(tokens)).toMatchObject({ sub: USER_ID, name: 'John Doe' })
    expect((await client.introspect(tokens.accessToken!)).active).toBe(true)
  })

  it('refuses an access token of the org server at a custom server', async () => {
    const client = await web(org, {}, org.orgIssuer)
    const tokens = await client.password({ ...USER, scope: 'openid' })
    const custom = await web(org)
    expect(await custom.introspect(tokens.accessToken!)).toEqual({ active: false })
  })

  it('the discovery document of the org server lists the okta.* scopes', async () => {
    const metadata = await discover(org.orgIssuer)
    expect(metadata.issuer).toBe(org.orgUrl)
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'okta.users.read']))
    expect(metadata.scopes_supported).not.toContain('orders:read')
    expect(metadata.code_challenge_methods_supported).toEqual(['S256'])
  })

  it('is identified by client id in SPA URLs too', async () => {
    const client = await clientOf(org, { clientId: SPA, redirectUri: SPA_REDIRECT }, org.orgIssuer)
    const { code, transaction } = await authorizeCode(client, { scope: 'openid' })
    await expect(
      client.exchangeCode({
        code,
        codeVerifier: transaction.codeVerifier!,
        nonce: transaction.nonce,
      }),
    ).resolves.toMatchObject({ idTokenClaims: { iss: org.orgIssuer } })
  })
})
