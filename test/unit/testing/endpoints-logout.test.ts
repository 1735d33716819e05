// /v1/logout: ending the browser session with an id_token_hint, the
// post-logout redirect, and the hints and URIs it refuses. The org and
// helpers are in endpoints-harness.ts.
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { harness, useEndpointsHarness } from './endpoints-harness.js'
import { ALICE, jwt, location, rsaClientKey, signIn, USER_ID, useOrg, visit } from './helpers.js'

useEndpointsHarness()

describe('/v1/logout', () => {
  it('with id_token_hint, a registered post_logout_redirect_uri and state: 302 with state, session ended', async () => {
    const { client, tokens } = await signIn(harness.org, 'openid')
    expect(harness.org.sessionUserId).toBe(USER_ID)
    const url = client.logoutUrl({
      idTokenHint: tokens.idToken!,
      postLogoutRedirectUri: 'http://localhost:8080/',
      state: 'bye-123',
    })
    const response = await visit(url)
    const target = new URL(location(response))
    expect(target.origin + target.pathname).toBe('http://localhost:8080/')
    expect(target.searchParams.get('state')).toBe('bye-123')
    expect(harness.org.sessionUserId).toBeUndefined()
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
    const { client, tokens } = await signIn(harness.org, 'openid')
    const response = await visit(client.logoutUrl({ idTokenHint: tokens.idToken! }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(harness.org.sessionUserId).toBeUndefined()
  })

  it('an unregistered post_logout_redirect_uri is a 400, the session stays', async () => {
    const { client, tokens } = await signIn(harness.org, 'openid')
    const response = await visit(
      client.logoutUrl({
        idTokenHint: tokens.idToken!,
        postLogoutRedirectUri: 'http://localhost:3000/',
      }),
    )
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(harness.org.sessionUserId).toBe(USER_ID)
  })

  it('a missing or forged id_token_hint is a 400', async () => {
    const { tokens } = await signIn(harness.org, 'openid')
    const missing = await visit(`${harness.org.issuer()}/v1/logout`)
    expect(missing.status).toBe(400)
    const { privateJwk } = await rsaClientKey(harness.org.activeKid())
    const { importJWK } = await import('jose')
    const forged = await new SignJWT(jwt(tokens.idToken!).claims)
      .setProtectedHeader({ alg: 'RS256', kid: harness.org.activeKid() })
      .sign(await importJWK(privateJwk, 'RS256'))
    const response = await visit(`${harness.org.issuer()}/v1/logout?id_token_hint=${forged}`)
    expect(response.status).toBe(400)
    const garbage = await visit(`${harness.org.issuer()}/v1/logout?id_token_hint=abc.def.ghi`)
    expect(garbage.status).toBe(400)
    expect(harness.org.sessionUserId).toBe(USER_ID)
  })

  it('an ID token of another server is not a hint here', async () => {
    const { tokens } = await signIn(harness.org, 'openid')
    const response = await visit(
      `${harness.org.orgUrl}/oauth2/v1/logout?id_token_hint=${tokens.idToken}`,
    )
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
    const { client, tokens } = await signIn(harness.org, 'openid')
    harness.org.signIn(ALICE.login)
    const response = await visit(client.logoutUrl({ idTokenHint: tokens.idToken! }))
    expect(response.status).toBe(200)
    expect(harness.org.sessionUserId).toBe(ALICE.id)
  })
})
