/**
 * Self-test of the oidc-provider harness, using only fetch + jose (no SDK code), so it can run
 * before/independently of src/. Documents, by assertion, the provider behaviours SDK tests rely on.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AuthorizeResult,
  CookieJar,
  type HarnessClient,
  type StartedProvider,
  startProvider,
} from './provider.js'

type Json = Record<string, unknown>

interface Discovery {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  userinfo_endpoint: string
  introspection_endpoint: string
  revocation_endpoint: string
  end_session_endpoint: string
  pushed_authorization_request_endpoint: string
  scopes_supported: string[]
  [key: string]: unknown
}

const FORM = 'application/x-www-form-urlencoded'

function basicAuth(client: HarnessClient): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

async function postForm(
  url: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': FORM, accept: 'application/json', ...headers },
    body: new URLSearchParams(params),
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers }
}

async function clientAssertion(
  client: HarnessClient,
  audience: string,
  mode: 'private_key_jwt' | 'client_secret_jwt',
): Promise<Record<string, string>> {
  const jwt = new SignJWT({})
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('2m')
  let assertion: string
  if (mode === 'private_key_jwt') {
    const jwk = client.privateJwk
    if (!jwk) throw new Error('no private key')
    assertion = await jwt
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .sign(await importJWK(jwk, 'RS256'))
  } else {
    assertion = await jwt
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(client.clientSecret))
  }
  return {
    client_id: client.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }
}

describe('oidc-provider harness (opaque access tokens, default)', () => {
  let op: StartedProvider
  let meta: Discovery
  let jwks: ReturnType<typeof createRemoteJWKSet>

  const verifyIdToken = async (idToken: string, audience: string) =>
    (await jwtVerify(idToken, jwks, { issuer: op.issuer, audience, algorithms: ['RS256'] })).payload

  const passwordGrant = async (scope: string) => {
    const client = op.clients.post
    const res = await postForm(meta.token_endpoint, {
      grant_type: 'password',
      username: op.user.username,
      password: op.user.password,
      scope,
      client_id: client.clientId,
      client_secret: client.clientSecret as string,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as {
      access_token: string
      refresh_token?: string
      id_token?: string
      scope: string
    }
  }

  beforeAll(async () => {
    op = await startProvider()
    meta = (await (
      await fetch(`${op.issuer}/.well-known/openid-configuration`)
    ).json()) as Discovery
    jwks = createRemoteJWKSet(new URL(meta.jwks_uri), { cooldownDuration: 0, cacheMaxAge: 0 })
  })

  afterAll(async () => {
    await op?.close()
  })

  it('serves Okta-style discovery at both well-known locations', async () => {
    expect(op.issuer).toBe(`${op.origin}/oauth2/default`)
    expect(op.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/default$/)
    expect(meta).toMatchObject({
      issuer: op.issuer,
      authorization_endpoint: `${op.issuer}/v1/authorize`,
      token_endpoint: `${op.issuer}/v1/token`,
      jwks_uri: `${op.issuer}/v1/keys`,
      userinfo_endpoint: `${op.issuer}/v1/userinfo`,
      introspection_endpoint: `${op.issuer}/v1/introspect`,
      revocation_endpoint: `${op.issuer}/v1/revoke`,
      end_session_endpoint: `${op.issuer}/v1/logout`,
      pushed_authorization_request_endpoint: `${op.issuer}/v1/par`,
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
    })
    expect(meta.scopes_supported).toEqual(
      expect.arrayContaining([
        'openid',
        'profile',
        'email',
        'offline_access',
        'orders:read',
        'orders:write',
      ]),
    )
    expect(meta.grant_types_supported).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'implicit',
        'client_credentials',
        'password',
      ]),
    )
    const oauth = await (await fetch(`${op.issuer}/.well-known/oauth-authorization-server`)).json()
    expect(oauth).toEqual(meta)
    const rfc8414 = await fetch(
      `${op.origin}/.well-known/oauth-authorization-server/oauth2/default`,
    )
    expect(rfc8414.status).toBe(200)
    expect(await rfc8414.json()).toEqual(meta)

    const keys = (await (await fetch(meta.jwks_uri)).json()) as { keys: Json[] }
    expect(keys.keys).toHaveLength(1)
    expect(keys.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: op.signingKid(),
    })
    expect(keys.keys[0]).not.toHaveProperty('d')
  })

  it('client_credentials with client_secret_basic', async () => {
    const res = await postForm(
      meta.token_endpoint,
      { grant_type: 'client_credentials', scope: 'orders:read' },
      { authorization: basicAuth(op.clients.basic) },
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'orders:read' })
    expect(res.body).not.toHaveProperty('refresh_token')
    expect(res.body).not.toHaveProperty('id_token')

    const bad = await postForm(
      meta.token_endpoint,
      { grant_type: 'client_credentials', scope: 'orders:read' },
      { authorization: basicAuth({ ...op.clients.basic, clientSecret: 'nope' }) },
    )
    expect(bad.status).toBe(401)
    expect(bad.body.error).toBe('invalid_client')
  })

  it('password grant with client_secret_post returns a verifiable id_token and a refresh token', async () => {
    const body = await passwordGrant('openid profile email offline_access orders:read')
    expect(body.scope).toBe('openid profile email offline_access orders:read')
    expect(body.refresh_token).toEqual(expect.any(String))
    const idToken = body.id_token as string
    const { kid } = decodeProtectedHeader(idToken)
    expect(kid).toBe(op.signingKid())
    const claims = await verifyIdToken(idToken, op.clients.post.clientId)
    expect(claims).toMatchObject({
      iss: op.issuer,
      aud: op.clients.post.clientId,
      sub: op.user.sub,
      email: op.user.email,
      name: op.user.name,
    })
    expect(claims.iat).toEqual(expect.any(Number))
    expect(claims.exp).toEqual(expect.any(Number))
    expect(claims.auth_time).toEqual(expect.any(Number))
    expect(claims).not.toHaveProperty('nonce')

    const userinfo = await fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${body.access_token}` },
    })
    expect(userinfo.status).toBe(200)
    expect(await userinfo.json()).toMatchObject({
      sub: op.user.sub,
      email: op.user.email,
      name: op.user.name,
    })

    const wrong = await postForm(meta.token_endpoint, {
      grant_type: 'password',
      username: op.user.username,
      password: 'wrong',
      scope: 'openid',
      client_id: op.clients.post.clientId,
      client_secret: op.clients.post.clientSecret as string,
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error).toBe('invalid_grant')
  })

  it('rotates refresh tokens: the old one is refused with invalid_grant after use', async () => {
    const first = await passwordGrant('openid offline_access')
    const client = op.clients.post
    const auth = { client_id: client.clientId, client_secret: client.clientSecret as string }
    const refreshed = await postForm(meta.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token as string,
      ...auth,
    })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.refresh_token).toEqual(expect.any(String))
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token)
    expect(refreshed.body.id_token).toEqual(expect.any(String))
    expect(refreshed.body.scope).toBe('openid offline_access')

    const reused = await postForm(meta.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token as string,
      ...auth,
    })
    expect(reused.status).toBe(400)
    expect(reused.body.error).toBe('invalid_grant')
    // reuse detection: oidc-provider also revokes the whole grant, incl. the rotated token
    const afterReuse = await postForm(meta.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: refreshed.body.refresh_token as string,
      ...auth,
    })
    expect(afterReuse.body.error).toBe('invalid_grant')
  })

  it('authorization code + PKCE for the spa client (query and form_post)', async () => {
    const spa = op.clients.spa
    const { verifier, challenge } = pkce()
    const url = new URL(meta.authorization_endpoint)
    url.search = new URLSearchParams({
      client_id: spa.clientId,
      response_type: 'code',
      scope: 'openid profile email offline_access',
      redirect_uri: spa.redirectUri,
      state: 'st-query',
      nonce: 'n-query',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString()

    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const cb = new URL(result.location)
    expect(`${cb.origin}${cb.pathname}`).toBe(spa.redirectUri)
    expect(cb.searchParams.get('state')).toBe('st-query')
    expect(cb.searchParams.get('iss')).toBe(op.issuer) // RFC 9207
    const code = cb.searchParams.get('code') as string
    expect(code).toBeTruthy()

    const tokens = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: spa.redirectUri,
      code_verifier: verifier,
      client_id: spa.clientId,
    })
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200)
    expect(tokens.body).toMatchObject({
      token_type: 'Bearer',
      scope: 'openid profile email offline_access',
    })
    expect(tokens.body.refresh_token).toEqual(expect.any(String))
    const claims = await verifyIdToken(tokens.body.id_token as string, spa.clientId)
    expect(claims).toMatchObject({
      nonce: 'n-query',
      sub: op.user.sub,
      name: op.user.name,
      amr: ['pwd'],
    })
    expect(claims.auth_time).toEqual(expect.any(Number))

    const userinfo = await fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    })
    expect(userinfo.status).toBe(200)
    expect(await userinfo.json()).toMatchObject({ sub: op.user.sub, email: op.user.email })

    // the code is single use
    const replay = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: spa.redirectUri,
      code_verifier: verifier,
      client_id: spa.clientId,
    })
    expect(replay.body.error).toBe('invalid_grant')

    // public clients must use PKCE
    const noPkce = new URL(url)
    noPkce.searchParams.delete('code_challenge')
    noPkce.searchParams.delete('code_challenge_method')
    const rejected = await op.authorize(noPkce)
    if (!('location' in rejected)) throw new Error('expected a redirect')
    expect(new URL(rejected.location).searchParams.get('error')).toBe('invalid_request')

    // response_mode=form_post
    const fp = pkce()
    url.searchParams.set('response_mode', 'form_post')
    url.searchParams.set('state', 'st-form')
    url.searchParams.set('code_challenge', fp.challenge)
    const posted = await op.authorize(url)
    if (!('formPost' in posted)) throw new Error('expected form_post')
    expect(posted.formPost.action).toBe(spa.redirectUri)
    expect(posted.formPost.params).toMatchObject({ state: 'st-form', iss: op.issuer })
    const formTokens = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code: posted.formPost.params.code as string,
      redirect_uri: spa.redirectUri,
      code_verifier: fp.verifier,
      client_id: spa.clientId,
    })
    expect(formTokens.status).toBe(200)
  })

  it('confidential client code flow to a non-local redirect_uri, and unregistered redirect_uri errors', async () => {
    const client = op.clients.basic
    const url = new URL(meta.authorization_endpoint)
    url.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      scope: 'openid orders:read',
      redirect_uri: 'https://app.example.com/callback',
      state: 's1',
    }).toString()
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const cb = new URL(result.location)
    expect(cb.origin + cb.pathname).toBe('https://app.example.com/callback')
    const tokens = await postForm(
      meta.token_endpoint,
      {
        grant_type: 'authorization_code',
        code: cb.searchParams.get('code') as string,
        redirect_uri: 'https://app.example.com/callback',
      },
      { authorization: basicAuth(client) },
    )
    expect(tokens.status).toBe(200)
    expect(tokens.body.scope).toBe('openid orders:read')

    url.searchParams.set('redirect_uri', 'https://evil.example.com/cb')
    await expect(op.authorize(url)).rejects.toMatchObject({
      name: 'ProviderPageError',
      error: 'invalid_redirect_uri',
    })
  })

  it('implicit id_token token with fragment', async () => {
    const spa = op.clients.spa
    const url = new URL(meta.authorization_endpoint)
    url.search = new URLSearchParams({
      client_id: spa.clientId,
      response_type: 'id_token token',
      scope: 'openid profile',
      redirect_uri: 'http://localhost:5173/callback',
      state: 'st-implicit',
      nonce: 'n-implicit',
    }).toString()
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const cb = new URL(result.location)
    expect(cb.origin + cb.pathname).toBe('http://localhost:5173/callback')
    expect(cb.search).toBe('')
    const fragment = new URLSearchParams(cb.hash.slice(1))
    expect(fragment.get('state')).toBe('st-implicit')
    expect(fragment.get('token_type')).toBe('Bearer')
    // with an id_token in the response oidc-provider omits `iss` (RFC 9207 allows that)
    expect(fragment.get('iss')).toBeNull()
    const claims = await verifyIdToken(fragment.get('id_token') as string, spa.clientId)
    expect(claims).toMatchObject({ nonce: 'n-implicit', at_hash: expect.any(String) })
    const userinfo = await fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${fragment.get('access_token')}` },
    })
    expect(userinfo.status).toBe(200)
  })

  it('introspect active -> revoke -> introspect inactive (access and refresh tokens)', async () => {
    const body = await passwordGrant('openid offline_access')
    const basic = { authorization: basicAuth(op.clients.basic) }
    for (const [token, hint] of [
      [body.access_token, 'access_token'],
      [body.refresh_token as string, 'refresh_token'],
    ] as const) {
      const active = await postForm(
        meta.introspection_endpoint,
        { token, token_type_hint: hint },
        basic,
      )
      expect(active.status).toBe(200)
      expect(active.body).toMatchObject({
        active: true,
        client_id: op.clients.post.clientId,
        sub: op.user.sub,
        iss: op.issuer,
        scope: 'openid offline_access',
      })
    }
    // tokens can only be revoked by the client they were issued to
    const post = op.clients.post
    const revoke = await postForm(meta.revocation_endpoint, {
      token: body.access_token,
      token_type_hint: 'access_token',
      client_id: post.clientId,
      client_secret: post.clientSecret as string,
    })
    expect(revoke.status).toBe(200)
    const inactive = await postForm(
      meta.introspection_endpoint,
      { token: body.access_token },
      basic,
    )
    expect(inactive.body).toEqual({ active: false })

    const revokeRt = await postForm(meta.revocation_endpoint, {
      token: body.refresh_token as string,
      client_id: post.clientId,
      client_secret: post.clientSecret as string,
    })
    expect(revokeRt.status).toBe(200)
    const inactiveRt = await postForm(
      meta.introspection_endpoint,
      { token: body.refresh_token as string },
      basic,
    )
    expect(inactiveRt.body).toEqual({ active: false })
  })

  it('private_key_jwt: accepts aud = token endpoint, issuer, or the called endpoint URL', async () => {
    const client = op.clients.privateKeyJwt
    const ok = await postForm(meta.token_endpoint, {
      grant_type: 'client_credentials',
      scope: 'orders:write',
      ...(await clientAssertion(client, meta.token_endpoint, 'private_key_jwt')),
    })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)

    const viaIssuer = await postForm(meta.token_endpoint, {
      grant_type: 'client_credentials',
      ...(await clientAssertion(client, op.issuer, 'private_key_jwt')),
    })
    expect(viaIssuer.status).toBe(200)

    for (const endpoint of [meta.introspection_endpoint, meta.revocation_endpoint]) {
      const res = await postForm(endpoint, {
        token: ok.body.access_token as string,
        ...(await clientAssertion(client, endpoint, 'private_key_jwt')),
      })
      expect(res.status, `${endpoint}: ${JSON.stringify(res.body)}`).toBe(200)
    }

    const wrongAud = await postForm(meta.token_endpoint, {
      grant_type: 'client_credentials',
      ...(await clientAssertion(client, meta.userinfo_endpoint, 'private_key_jwt')),
    })
    expect(wrongAud.status).toBe(401)
    expect(wrongAud.body.error).toBe('invalid_client')

    // jti replay is rejected
    const assertion = await clientAssertion(client, meta.token_endpoint, 'private_key_jwt')
    const once = await postForm(meta.token_endpoint, {
      grant_type: 'client_credentials',
      ...assertion,
    })
    expect(once.status).toBe(200)
    const twice = await postForm(meta.token_endpoint, {
      grant_type: 'client_credentials',
      ...assertion,
    })
    expect(twice.body.error).toBe('invalid_client')
  })

  it('client_secret_jwt (HS256)', async () => {
    const client = op.clients.secretJwt
    expect((client.clientSecret as string).length).toBeGreaterThanOrEqual(32)
    const res = await postForm(meta.token_endpoint, {
      grant_type: 'password',
      username: op.user.username,
      password: op.user.password,
      scope: 'openid',
      ...(await clientAssertion(client, meta.token_endpoint, 'client_secret_jwt')),
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    await verifyIdToken(res.body.id_token as string, client.clientId)
  })

  it('DPoP-bound client_credentials token', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const jwk = await exportJWK(publicKey)
    const proof = await new SignJWT({ htm: 'POST', htu: meta.token_endpoint })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(privateKey)
    const res = await postForm(
      meta.token_endpoint,
      { grant_type: 'client_credentials', scope: 'orders:read' },
      { authorization: basicAuth(op.clients.basic), dpop: proof },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.token_type).toBe('DPoP')
    const introspected = await postForm(
      meta.introspection_endpoint,
      { token: res.body.access_token as string },
      { authorization: basicAuth(op.clients.basic) },
    )
    expect(introspected.body).toMatchObject({
      active: true,
      token_type: 'DPoP',
      cnf: { jkt: await calculateJwkThumbprint(jwk) },
    })
  })

  it('rotateSigningKey(): new kid signs, both keys published, existing refresh tokens survive', async () => {
    const before = await passwordGrant('openid offline_access')
    const oldKid = op.signingKid()
    const oldIdToken = before.id_token as string
    const spa = op.clients.spa
    const { verifier, challenge } = pkce()
    const pending = await op.authorize(
      `${meta.authorization_endpoint}?${new URLSearchParams({
        client_id: spa.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: spa.redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`,
    )
    if (!('location' in pending)) throw new Error('expected a redirect')

    const newKid = await op.rotateSigningKey()
    expect(newKid).not.toBe(oldKid)
    expect(op.signingKid()).toBe(newKid)

    const keys = (await (await fetch(meta.jwks_uri)).json()) as { keys: Array<{ kid: string }> }
    expect(keys.keys.map((k) => k.kid)).toEqual([newKid, oldKid])

    const after = await passwordGrant('openid')
    expect(decodeProtectedHeader(after.id_token as string).kid).toBe(newKid)
    await verifyIdToken(after.id_token as string, op.clients.post.clientId)
    await verifyIdToken(oldIdToken, op.clients.post.clientId) // old key still published

    const client = op.clients.post
    const refreshed = await postForm(meta.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: before.refresh_token as string,
      client_id: client.clientId,
      client_secret: client.clientSecret as string,
    })
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200)
    expect(decodeProtectedHeader(refreshed.body.id_token as string).kid).toBe(newKid)
    // a code issued before the rotation is redeemed after it
    const redeemed = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code: new URL(pending.location).searchParams.get('code') as string,
      code_verifier: verifier,
      redirect_uri: spa.redirectUri,
      client_id: spa.clientId,
    })
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200)
    expect(decodeProtectedHeader(redeemed.body.id_token as string).kid).toBe(newKid)
    // and the pre-rotation access token still works
    const userinfo = await fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${before.access_token}` },
    })
    expect(userinfo.status).toBe(200)
  })

  it('a shared CookieJar keeps the provider session (prompt=none, logout)', async () => {
    const spa = op.clients.spa
    const jar = new CookieJar()
    const url = (extra: Record<string, string>) =>
      `${meta.authorization_endpoint}?${new URLSearchParams({
        client_id: spa.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: spa.redirectUri,
        state: 'jar',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
        ...extra,
      })}`
    const codeOf = (r: AuthorizeResult) =>
      'location' in r ? new URL(r.location).searchParams : new URLSearchParams(r.formPost.params)
    expect(codeOf(await op.authorize(url({}), { jar })).get('code')).toBeTruthy()
    expect(codeOf(await op.authorize(url({ prompt: 'none' }), { jar })).get('code')).toBeTruthy()
    // without the jar there is no session
    expect(codeOf(await op.authorize(url({ prompt: 'none' }))).get('error')).toBe('login_required')
    const logout = await op.logout(
      `${meta.end_session_endpoint}?${new URLSearchParams({
        client_id: spa.clientId,
        post_logout_redirect_uri: 'https://app.example.com/',
      })}`,
      { jar },
    )
    expect(logout).toEqual({ location: 'https://app.example.com/' })
    expect(codeOf(await op.authorize(url({ prompt: 'none' }), { jar })).get('error')).toBe(
      'login_required',
    )
  })

  it('requestCount() counts requests per path', async () => {
    op.resetRequestCounts()
    expect(op.requestCount('/oauth2/default/v1/keys')).toBe(0)
    await fetch(meta.jwks_uri)
    await fetch(`${meta.jwks_uri}?x=1`)
    expect(op.requestCount('/oauth2/default/v1/keys')).toBe(2)
    expect(op.requestCount(meta.jwks_uri)).toBe(2)
    expect(op.requestCount('/oauth2/default/v1/token')).toBe(0)
  })

  it('logout(): RP-initiated logout redirects to post_logout_redirect_uri with state', async () => {
    const { id_token } = await passwordGrant('openid')
    const url = new URL(meta.end_session_endpoint)
    url.search = new URLSearchParams({
      id_token_hint: id_token as string,
      post_logout_redirect_uri: 'https://app.example.com/',
      state: 'bye',
    }).toString()
    expect(await op.logout(url)).toEqual({ location: 'https://app.example.com/?state=bye' })
  })
})

describe('oidc-provider harness (accessTokenFormat: jwt)', () => {
  let op: StartedProvider
  let meta: Discovery
  let jwks: ReturnType<typeof createRemoteJWKSet>

  beforeAll(async () => {
    op = await startProvider({ accessTokenFormat: 'jwt' })
    meta = (await (
      await fetch(`${op.issuer}/.well-known/openid-configuration`)
    ).json()) as Discovery
    jwks = createRemoteJWKSet(new URL(meta.jwks_uri))
  })

  afterAll(async () => {
    await op?.close()
  })

  const verifyAccessToken = async (token: string): Promise<JWTPayload> => {
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: op.issuer,
      audience: 'api://default',
      typ: 'at+jwt',
    })
    expect(protectedHeader.kid).toBe(op.signingKid())
    return payload
  }

  it('advertises the API scopes', () => {
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['orders:read', 'orders:write']))
  })

  it('client_credentials yields an RS256 JWT for api://default', async () => {
    const res = await postForm(
      meta.token_endpoint,
      { grant_type: 'client_credentials', scope: 'orders:read orders:write' },
      { authorization: basicAuth(op.clients.basic) },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const claims = await verifyAccessToken(res.body.access_token as string)
    expect(claims).toMatchObject({
      client_id: op.clients.basic.clientId,
      cid: op.clients.basic.clientId,
      sub: op.clients.basic.clientId,
      scope: 'orders:read orders:write',
      scp: ['orders:read', 'orders:write'],
    })
    // oidc-provider refuses to introspect structured (JWT) tokens
    const introspect = await postForm(
      meta.introspection_endpoint,
      { token: res.body.access_token as string },
      { authorization: basicAuth(op.clients.basic) },
    )
    expect(introspect.status).toBe(400)
    expect(introspect.body.error).toBe('unsupported_token_type')
  })

  it('code flow: openid token request -> opaque userinfo token; resource=api://default -> JWT', async () => {
    const spa = op.clients.spa
    const login = async () => {
      const { verifier, challenge } = pkce()
      const url = new URL(meta.authorization_endpoint)
      url.search = new URLSearchParams({
        client_id: spa.clientId,
        response_type: 'code',
        scope: 'openid profile offline_access orders:read',
        redirect_uri: spa.redirectUri,
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString()
      const result = await op.authorize(url)
      if (!('location' in result)) throw new Error('expected a redirect')
      return { code: new URL(result.location).searchParams.get('code') as string, verifier }
    }
    const exchange = async (extra: Record<string, string> = {}) => {
      const { code, verifier } = await login()
      return postForm(meta.token_endpoint, {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: spa.redirectUri,
        client_id: spa.clientId,
        ...extra,
      })
    }

    const plain = await exchange()
    expect(plain.status, JSON.stringify(plain.body)).toBe(200)
    expect(plain.body.scope).toBe('openid profile offline_access')
    expect(() => decodeJwt(plain.body.access_token as string)).toThrow()
    const userinfo = await fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${plain.body.access_token}` },
    })
    expect(userinfo.status).toBe(200)

    const api = await exchange({ resource: 'api://default' })
    expect(api.status, JSON.stringify(api.body)).toBe(200)
    expect(api.body.scope).toBe('orders:read')
    expect(await verifyAccessToken(api.body.access_token as string)).toMatchObject({
      sub: op.user.sub,
      scp: ['orders:read'],
    })

    // refresh keeps working with the same rule
    const refreshed = await postForm(meta.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: api.body.refresh_token as string,
      client_id: spa.clientId,
      resource: 'api://default',
    })
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200)
    await verifyAccessToken(refreshed.body.access_token as string)
  })

  it('password grant without openid yields a JWT access token', async () => {
    const client = op.clients.post
    const res = await postForm(meta.token_endpoint, {
      grant_type: 'password',
      username: op.user.username,
      password: op.user.password,
      scope: 'orders:read offline_access',
      client_id: client.clientId,
      client_secret: client.clientSecret as string,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.scope).toBe('orders:read')
    expect(await verifyAccessToken(res.body.access_token as string)).toMatchObject({
      sub: op.user.sub,
    })
    const refreshed = await postForm(meta.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: res.body.refresh_token as string,
      client_id: client.clientId,
      client_secret: client.clientSecret as string,
    })
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200)
    await verifyAccessToken(refreshed.body.access_token as string)
  })
})

describe('oidc-provider harness (requireDpopNonce)', () => {
  it('asks for a DPoP nonce first, like Okta', async () => {
    const op = await startProvider({ requireDpopNonce: true })
    try {
      const tokenEndpoint = `${op.issuer}/v1/token`
      const { privateKey, publicKey } = await generateKeyPair('ES256')
      const jwk = await exportJWK(publicKey)
      const proof = (nonce?: string) =>
        new SignJWT({ htm: 'POST', htu: tokenEndpoint, ...(nonce ? { nonce } : {}) })
          .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
          .setIssuedAt()
          .setJti(randomUUID())
          .sign(privateKey)
      const params = { grant_type: 'client_credentials', scope: 'orders:read' }
      const auth = { authorization: basicAuth(op.clients.basic) }
      const first = await postForm(tokenEndpoint, params, { ...auth, dpop: await proof() })
      expect(first.status).toBe(400)
      expect(first.body.error).toBe('use_dpop_nonce')
      const nonce = first.headers.get('dpop-nonce')
      expect(nonce).toBeTruthy()
      const second = await postForm(tokenEndpoint, params, {
        ...auth,
        dpop: await proof(nonce as string),
      })
      expect(second.status, JSON.stringify(second.body)).toBe(200)
      expect(second.body.token_type).toBe('DPoP')
    } finally {
      await op.close()
    }
  })
})
