import { beforeEach, describe, expect, it } from 'vitest'
import { OAuthResponseError } from '../../../src/index.js'
import { DEFAULT_USERS, type OktaOrg } from '../../../src/testing/index.js'
import { createVerifier } from '../../../src/verifier/node.js'
import {
  ALICE,
  jwt,
  orgClock,
  SPA,
  sharedOrg,
  signIn,
  USER,
  USER_ID,
  useOrg,
  WEB,
  web,
} from './helpers.js'

const shared = sharedOrg(() => ({ users: [...DEFAULT_USERS, ALICE] }))
let org: OktaOrg
beforeEach(() => {
  org = shared()
  org.signOut()
})

/** Sign in through the code flow on a client that reads the org's clock. */
const codeFlow = (o: OktaOrg, scope: string, loginHint?: string) =>
  signIn(o, scope, loginHint, orgClock(o))

describe('access tokens look like Okta access tokens', () => {
  it('user tokens: ver, jti AT., iss, aud, iat, exp, cid, uid, scp, sub = login, auth_time; kid = activeKid', async () => {
    const before = org.now()
    const { tokens } = await codeFlow(org, 'openid profile orders:read')
    const { claims, header } = jwt(tokens.accessToken!)
    expect(header).toMatchObject({ alg: 'RS256', kid: org.activeKid() })
    expect(claims).toMatchObject({
      ver: 1,
      iss: org.issuer(),
      aud: 'api://default',
      cid: SPA,
      uid: USER_ID,
      scp: ['openid', 'profile', 'orders:read'],
      sub: USER.username,
    })
    expect(claims.jti).toMatch(/^AT\.[\w-]+$/)
    expect(claims.iat).toBeGreaterThanOrEqual(before)
    expect(claims.iat).toBeLessThanOrEqual(org.now())
    expect(claims.exp).toBe((claims.iat as number) + 3600)
    expect(claims.auth_time).toBeTypeOf('number')
    expect(tokens.expiresIn).toBe(3600)
  })

  it('client-credentials tokens: sub = cid = the client id, no uid', async () => {
    const client = await web(org)
    const { accessToken } = await client.clientCredentials({ scope: 'orders:read' })
    const { claims } = jwt(accessToken!)
    expect(claims).toMatchObject({ sub: WEB, cid: WEB, scp: ['orders:read'], ver: 1 })
    expect(claims.uid).toBeUndefined()
    expect(claims.auth_time).toBeUndefined()
  })

  it('each token has its own jti', async () => {
    const client = await web(org)
    const a = jwt((await client.clientCredentials({ scope: 'orders:read' })).accessToken!)
    const b = jwt((await client.clientCredentials({ scope: 'orders:read' })).accessToken!)
    expect(a.claims.jti).not.toBe(b.claims.jti)
  })

  it('the verifier accepts them as Okta-format tokens', async () => {
    const { tokens } = await codeFlow(org, 'openid orders:read')
    const verifier = createVerifier({ issuer: org.issuer(), audience: 'api://default' })
    const result = await verifier.verifyAccessToken(tokens.accessToken!, {
      scopes: ['orders:read'],
    })
    expect(result).toMatchObject({ format: 'okta', clientId: SPA })
    expect(result.claims).toMatchObject({ uid: USER_ID, sub: USER.username })
  })

  it('a server with several audiences puts them all in aud', async () => {
    const fresh = await useOrg({
      authorizationServers: [{ id: 'default', audiences: ['api://a', 'api://b'], scopes: ['x'] }],
    })
    const client = await web(fresh)
    const { claims } = jwt((await client.clientCredentials({ scope: 'x' })).accessToken!)
    expect(claims.aud).toEqual(['api://a', 'api://b'])
  })

  it('signs with the new active key after a rotation', async () => {
    const fresh = await useOrg()
    const client = await web(fresh)
    const kid = await fresh.rotateKeys()
    expect(kid).toBe(fresh.activeKid())
    const { header } = jwt((await client.clientCredentials({ scope: 'orders:read' })).accessToken!)
    expect(header.kid).toBe(kid)
  })
})

describe('ID tokens look like Okta ID tokens', () => {
  it('sub = user id, aud = client id, iss, nonce, auth_time, amr, idp, ver, jti ID.', async () => {
    const fresh = await useOrg({ users: [...DEFAULT_USERS, ALICE] })
    fresh.signIn(ALICE.login)
    const authTime = fresh.session!.authTime
    fresh.advanceClock(30)
    const { tokens, transaction } = await codeFlow(fresh, 'openid')
    const { claims, header } = jwt(tokens.idToken!)
    expect(header).toMatchObject({ alg: 'RS256', kid: fresh.activeKid() })
    expect(claims).toMatchObject({
      sub: ALICE.id,
      aud: SPA,
      iss: fresh.issuer(),
      nonce: transaction.nonce,
      auth_time: authTime,
      amr: ['pwd'],
      ver: 1,
    })
    expect(claims.idp).toMatch(/^00o/)
    expect(claims.jti).toMatch(/^ID\.[\w-]+$/)
    expect(claims.exp).toBe((claims.iat as number) + 3600)
    expect(claims.iat).toBeGreaterThanOrEqual(authTime + 30)
  })

  it('openid alone: no profile, email or groups claims', async () => {
    const { tokens } = await codeFlow(org, 'openid')
    const { claims } = jwt(tokens.idToken!)
    for (const name of ['name', 'preferred_username', 'email', 'email_verified', 'groups']) {
      expect(claims[name], name).toBeUndefined()
    }
  })

  it('profile adds the profile claims and preferred_username', async () => {
    const { tokens } = await codeFlow(org, 'openid profile')
    const { claims } = jwt(tokens.idToken!)
    expect(claims).toMatchObject({
      name: 'John Doe',
      given_name: 'John',
      family_name: 'Doe',
      locale: 'en-US',
      zoneinfo: 'America/Los_Angeles',
      preferred_username: USER.username,
    })
    expect(claims.updated_at).toBeTypeOf('number')
    expect(claims.email).toBeUndefined()
  })

  it('email adds email and email_verified; groups adds groups', async () => {
    const { tokens } = await codeFlow(org, 'openid email groups', ALICE.login)
    const { claims } = jwt(tokens.idToken!)
    expect(claims).toMatchObject({
      sub: ALICE.id,
      email: ALICE.login,
      email_verified: true,
      groups: ['Everyone', 'Admins'],
    })
    expect(claims.name).toBeUndefined()
  })

  it('the password grant ID token has no nonce', async () => {
    const client = await web(org)
    const tokens = await client.password({ ...USER, scope: 'openid' })
    const { claims } = jwt(tokens.idToken!)
    expect(claims.nonce).toBeUndefined()
    expect(claims).toMatchObject({ sub: USER_ID, aud: WEB })
  })
})

describe('lifetimes', () => {
  it('tokenLifetime sets expires_in and exp of access and ID tokens', async () => {
    const fresh = await useOrg({ tokenLifetime: 120 })
    const { tokens } = await codeFlow(fresh, 'openid offline_access')
    expect(tokens.expiresIn).toBe(120)
    for (const token of [tokens.accessToken!, tokens.idToken!]) {
      const { claims } = jwt(token)
      expect((claims.exp as number) - (claims.iat as number)).toBe(120)
    }
  })

  it('after the lifetime, introspection says inactive and userinfo says invalid_token', async () => {
    const fresh = await useOrg({ tokenLifetime: 120 })
    const { client, tokens } = await codeFlow(fresh, 'openid profile offline_access')
    const webClient = await web(fresh, orgClock(fresh))
    expect((await webClient.introspect(tokens.accessToken!)).active).toBe(true)
    await expect(client.userinfo(tokens)).resolves.toMatchObject({ sub: USER_ID })
    fresh.advanceClock(121)
    expect((await webClient.introspect(tokens.accessToken!)).active).toBe(false)
    const err = await client.userinfo(tokens).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'invalid_token', status: 401 })
    // The refresh token (90 days by default) still works and mints a live access token.
    const fresh2 = await client.refresh(tokens.refreshToken!)
    expect((await webClient.introspect(fresh2.accessToken!)).active).toBe(true)
  })

  it('refreshTokenLifetime sets the refresh token expiry seen by introspection', async () => {
    const fresh = await useOrg({ refreshTokenLifetime: 1000 })
    const { tokens } = await codeFlow(fresh, 'openid offline_access')
    const webClient = await web(fresh, orgClock(fresh))
    const info = await webClient.introspect(tokens.refreshToken!)
    // The refresh-token answer carries exp but no iat (as in the reference's example).
    expect(info.iat).toBeUndefined()
    expect(Math.abs((info.exp as number) - (fresh.now() + 1000))).toBeLessThanOrEqual(1)
    fresh.advanceClock(1001)
    expect((await webClient.introspect(tokens.refreshToken!)).active).toBe(false)
  })
})
