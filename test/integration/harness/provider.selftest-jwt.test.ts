/**
 * Self-test of the oidc-provider harness in `accessTokenFormat: 'jwt'` mode: RS256 JWT access
 * tokens for api://default and oidc-provider's resource rules. Shared helpers in
 * provider.selftest-harness.ts; this mode's provider is started here.
 */
import { createRemoteJWKSet, decodeJwt, type JWTPayload, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type StartedProvider, startProvider } from './provider.js'
import { basicAuth, type Discovery, pkce, postForm } from './provider.selftest-harness.js'

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
