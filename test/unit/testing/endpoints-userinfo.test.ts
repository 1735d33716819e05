// /v1/userinfo: the claims each scope allows, GET and POST, and the 401 and
// 403 answers with their Bearer challenges. The org and helpers are in
// endpoints-harness.ts.
import { describe, expect, it } from 'vitest'
import { OAuthResponseError } from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { harness, useEndpointsHarness } from './endpoints-harness.js'
import { ALICE, clientOf, jwt, SPA, SPA_REDIRECT, signIn, USER, USER_ID, web } from './helpers.js'

useEndpointsHarness()

describe('/v1/userinfo', () => {
  it('returns sub and the claims the scopes allow', async () => {
    const { client, tokens } = await signIn(harness.org, 'openid')
    expect(await client.userinfo(tokens)).toEqual({ sub: USER_ID })
    const full = await signIn(harness.org, 'openid profile email groups')
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
    const { client, tokens } = await signIn(harness.org, 'openid profile email', ALICE.login)
    const info = await client.userinfo(tokens)
    const { claims } = jwt(tokens.idToken!)
    for (const name of ['sub', 'name', 'given_name', 'email', 'preferred_username']) {
      expect(info[name], name).toEqual(claims[name])
    }
  })

  it('accepts POST too', async () => {
    const { tokens } = await signIn(harness.org, 'openid')
    const response = await fetch(`${harness.org.issuer()}/v1/userinfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ sub: USER_ID })
  })

  it('401 with a Bearer invalid_token challenge for an unknown, revoked or foreign token', async () => {
    const { client, tokens } = await signIn(harness.org, 'openid profile')
    const raw = await fetch(`${harness.org.issuer()}/v1/userinfo`, {
      headers: { authorization: 'Bearer not-a-token' },
    })
    expect(raw.status).toBe(401)
    expect(raw.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token", error_description="[^"]+"$/,
    )
    expect(raw.headers.get('cache-control')).toBe('no-cache, no-store')
    expect(raw.headers.get('pragma')).toBe('no-cache')
    const missing = await fetch(`${harness.org.issuer()}/v1/userinfo`)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)

    // The token of another server.
    const orgServer = await clientOf(
      harness.org,
      { clientId: SPA, redirectUri: SPA_REDIRECT },
      harness.org.orgIssuer,
    )
    const foreign = await rejection(orgServer.userinfo(tokens))
    expect(foreign).toMatchObject({ error: 'invalid_token', status: 401 })

    await client.revoke(tokens.accessToken!)
    const err = await rejection(client.userinfo(tokens))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'invalid_token', status: 401 })
  })

  it('401 for a client-credentials token (no user)', async () => {
    const client = await web(harness.org)
    const { accessToken } = await client.clientCredentials({ scope: 'orders:read' })
    const err = await rejection(client.userinfo(accessToken!, { skipSubjectCheck: true }))
    expect(err).toMatchObject({ error: 'invalid_token', status: 401 })
  })

  it('403 insufficient_scope for a token without openid', async () => {
    const client = await web(harness.org)
    const tokens = await client.password({ ...USER, scope: 'orders:read' })
    const err = await rejection(client.userinfo(tokens.accessToken!, { skipSubjectCheck: true }))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'insufficient_scope', status: 403 })
    const raw = await fetch(`${harness.org.issuer()}/v1/userinfo`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    })
    expect(raw.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/)
  })

  it('the SDK catches a userinfo response for another user', async () => {
    const { client, tokens } = await signIn(harness.org, 'openid')
    const err = await rejection(client.userinfo(tokens.accessToken!, { expectedSubject: ALICE.id }))
    expect(err).toMatchObject({ code: 'ERR_SUBJECT_MISMATCH' })
  })
})
