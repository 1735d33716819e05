/**
 * Self-test of the oidc-provider harness: the token endpoint with every client authentication
 * method (client_credentials, password, refresh rotation, client assertions), introspection and
 * revocation. Shared setup in provider.selftest-harness.ts.
 */
import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  basicAuth,
  clientAssertion,
  fixture,
  passwordGrant,
  postForm,
  useDefaultProvider,
  verifyIdToken,
} from './provider.selftest-harness.js'

describe('oidc-provider harness (opaque access tokens, default)', () => {
  useDefaultProvider()

  it('client_credentials with client_secret_basic', async () => {
    const { op, meta } = fixture
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
    const { op, meta } = fixture
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
    const { op, meta } = fixture
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

  it('introspect active -> revoke -> introspect inactive (access and refresh tokens)', async () => {
    const { op, meta } = fixture
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
    const { op, meta } = fixture
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
    const { op, meta } = fixture
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
})
