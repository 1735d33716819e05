/**
 * Self-test of the oidc-provider harness: what a client fetches before any flow - the Okta-style
 * discovery documents at both well-known locations and the published signing keys - and the
 * harness controls around them: rotateSigningKey() (new key signs, old one stays published,
 * everything issued survives) and requestCount(). Shared setup in provider.selftest-harness.ts.
 */
import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  fixture,
  type Json,
  passwordGrant,
  pkce,
  postForm,
  useDefaultProvider,
  verifyIdToken,
} from './provider.selftest-harness.js'

describe('oidc-provider harness (opaque access tokens, default)', () => {
  useDefaultProvider()

  it('serves Okta-style discovery at both well-known locations', async () => {
    const { op, meta } = fixture
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

  it('rotateSigningKey(): new kid signs, both keys published, existing refresh tokens survive', async () => {
    const { op, meta } = fixture
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

  it('requestCount() counts requests per path', async () => {
    const { op, meta } = fixture
    op.resetRequestCounts()
    expect(op.requestCount('/oauth2/default/v1/keys')).toBe(0)
    await fetch(meta.jwks_uri)
    await fetch(`${meta.jwks_uri}?x=1`)
    expect(op.requestCount('/oauth2/default/v1/keys')).toBe(2)
    expect(op.requestCount(meta.jwks_uri)).toBe(2)
    expect(op.requestCount('/oauth2/default/v1/token')).toBe(0)
  })
})
