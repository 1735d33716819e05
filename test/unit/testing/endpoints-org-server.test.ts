// The org authorization server (https://{org}/oauth2/v1/*): the same
// endpoints as a custom server, its own issuer, audience and scopes. The org
// is in endpoints-harness.ts.
import { describe, expect, it } from 'vitest'
import { discover } from '../../../src/index.js'
import { harness, useEndpointsHarness } from './endpoints-harness.js'
import { authorizeCode, clientOf, jwt, SPA, SPA_REDIRECT, USER, USER_ID, web } from './helpers.js'

useEndpointsHarness()

describe('the org server', () => {
  it('serves the same endpoints at https://{org}/oauth2/v1/*', async () => {
    const client = await web(harness.org, {}, harness.org.orgIssuer)
    expect(client.metadata.token_endpoint).toBe(`${harness.org.orgUrl}/oauth2/v1/token`)
    const tokens = await client.password({ ...USER, scope: 'openid profile' })
    expect(jwt(tokens.idToken!).claims.iss).toBe(harness.org.orgIssuer)
    expect(jwt(tokens.accessToken!).claims.aud).toBe(harness.org.orgUrl)
    expect(await client.userinfo(tokens)).toMatchObject({ sub: USER_ID, name: 'John Doe' })
    expect((await client.introspect(tokens.accessToken!)).active).toBe(true)
  })

  it('refuses an access token of the org server at a custom server', async () => {
    const client = await web(harness.org, {}, harness.org.orgIssuer)
    const tokens = await client.password({ ...USER, scope: 'openid' })
    const custom = await web(harness.org)
    expect(await custom.introspect(tokens.accessToken!)).toEqual({ active: false })
  })

  it('the discovery document of the org server lists the okta.* scopes', async () => {
    const metadata = await discover(harness.org.orgIssuer)
    expect(metadata.issuer).toBe(harness.org.orgUrl)
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'okta.users.read']))
    expect(metadata.scopes_supported).not.toContain('orders:read')
    expect(metadata.code_challenge_methods_supported).toEqual(['S256'])
  })

  it('is identified by client id in SPA URLs too', async () => {
    const client = await clientOf(
      harness.org,
      { clientId: SPA, redirectUri: SPA_REDIRECT },
      harness.org.orgIssuer,
    )
    const { code, transaction } = await authorizeCode(client, { scope: 'openid' })
    await expect(
      client.exchangeCode({
        code,
        codeVerifier: transaction.codeVerifier!,
        nonce: transaction.nonce,
      }),
    ).resolves.toMatchObject({ idTokenClaims: { iss: harness.org.orgIssuer } })
  })
})
