// /v1/introspect and /v1/revoke: what introspection says of each kind of
// token and to which client, and what revoking a token takes with it. The
// org and helpers are in endpoints-harness.ts.
import { describe, expect, it } from 'vitest'
import { harness, useEndpointsHarness } from './endpoints-harness.js'
import {
  basic,
  clientOf,
  jwt,
  postForm,
  SPA,
  signIn,
  spa,
  USER,
  USER_ID,
  useOrg,
  WEB,
  WEB_SECRET,
  web,
} from './helpers.js'

useEndpointsHarness()

describe('/v1/introspect', () => {
  it('an active access token: every Okta field', async () => {
    const { tokens } = await signIn(harness.org, 'openid profile offline_access')
    const webClient = await web(harness.org)
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
      iss: harness.org.issuer(),
      jti: claims.jti,
      token_type: 'Bearer',
      client_id: SPA,
      uid: USER_ID,
    })
  })

  it('a client-credentials token: sub is the client, no username or uid', async () => {
    const webClient = await web(harness.org)
    const { accessToken } = await webClient.clientCredentials({ scope: 'orders:read' })
    const info = await webClient.introspect(accessToken!)
    expect(info).toMatchObject({ active: true, sub: WEB, client_id: WEB, token_type: 'Bearer' })
    expect(info.username).toBeUndefined()
    expect(info.uid).toBeUndefined()
  })

  it('a refresh token: active, token_type Bearer, the user, no uid', async () => {
    const { client, tokens } = await signIn(harness.org, 'openid offline_access')
    const info = await client.introspect(tokens.refreshToken!, { tokenTypeHint: 'refresh_token' })
    expect(info).toMatchObject({
      active: true,
      token_type: 'Bearer',
      scope: 'openid offline_access',
      client_id: SPA,
      username: USER.username,
      sub: USER.username,
    })
    expect(info.exp).toBeGreaterThan(harness.org.now() + 86_400)
    expect(info.uid).toBeUndefined()
  })

  it('inactive: unknown tokens, revoked tokens, tokens of another server', async () => {
    const { client, tokens } = await signIn(harness.org, 'openid offline_access')
    expect(await client.introspect('garbage')).toEqual({ active: false })
    const orgServer = await web(harness.org, {}, harness.org.orgIssuer)
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
    const { client, tokens } = await signIn(harness.org, 'openid')
    await client.revoke(tokens.accessToken!)
    expect(await client.introspect(tokens.accessToken!, { tokenTypeHint: 'id_token' })).toEqual({
      active: false,
    })
  })

  it("a public client sees only its own tokens; a confidential client sees anyone's", async () => {
    const webClient = await web(harness.org)
    const { accessToken } = await webClient.clientCredentials({ scope: 'orders:read' })
    const spaClient = await spa(harness.org)
    expect(await spaClient.introspect(accessToken!)).toEqual({ active: false })
    const { tokens } = await signIn(harness.org, 'openid')
    expect((await webClient.introspect(tokens.accessToken!)).active).toBe(true)
  })

  it('a missing token parameter is invalid_request', async () => {
    const response = await postForm(
      `${harness.org.issuer()}/v1/introspect`,
      {},
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })

  it('answers with no-store', async () => {
    const response = await postForm(
      `${harness.org.issuer()}/v1/introspect`,
      { token: 'x' },
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})

describe('/v1/revoke', () => {
  it("revoking a refresh token revokes its family's access tokens, including rotated ones", async () => {
    const { client, tokens } = await signIn(harness.org, 'openid offline_access')
    const rotated = await client.refresh(tokens.refreshToken!)
    const webClient = await web(harness.org)
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
    const a = await signIn(harness.org, 'openid offline_access')
    const b = await signIn(harness.org, 'openid offline_access')
    await a.client.revoke(a.tokens.accessToken!)
    expect((await a.client.introspect(a.tokens.accessToken!)).active).toBe(false)
    expect((await a.client.introspect(a.tokens.refreshToken!)).active).toBe(true)
    expect((await b.client.introspect(b.tokens.accessToken!)).active).toBe(true)
  })

  it("revoking another client's token is a 200 no-op", async () => {
    const { tokens } = await signIn(harness.org, 'openid offline_access')
    const webClient = await web(harness.org)
    await expect(webClient.revoke(tokens.refreshToken!)).resolves.toBeUndefined()
    await expect(webClient.revoke(tokens.accessToken!)).resolves.toBeUndefined()
    expect((await webClient.introspect(tokens.refreshToken!)).active).toBe(true)
    expect((await webClient.introspect(tokens.accessToken!)).active).toBe(true)
  })

  it('an unknown or already revoked token is a 200 with an empty body', async () => {
    const response = await postForm(
      `${harness.org.issuer()}/v1/revoke`,
      { token: 'never-issued' },
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })

  it('a missing token parameter is invalid_request', async () => {
    const response = await postForm(`${harness.org.issuer()}/v1/revoke`, {}, basic(WEB, WEB_SECRET))
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })
})
