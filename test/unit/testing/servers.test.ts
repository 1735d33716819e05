import { beforeEach, describe, expect, it } from 'vitest'
import { type Client, discover, InvalidOptionError } from '../../../src/index.js'
import { createOktaOrg, type OktaOrg } from '../../../src/testing/index.js'
import { createVerifier } from '../../../src/verifier/node.js'
import { rejection } from '../../support/rejection.js'
import {
  authorizeCode,
  clientOf,
  jwt,
  SPA,
  SPA_REDIRECT,
  sharedOrg,
  USER,
  WEB,
  WEB_SECRET,
} from './helpers.js'

const shared = sharedOrg(() => ({
  authorizationServers: [
    { id: 'default', audiences: ['api://default'], scopes: ['orders:read'] },
    { id: 'tenant2', audiences: ['api://t2'], scopes: ['x:read'] },
  ],
}))
let org: OktaOrg
beforeEach(() => {
  org = shared()
})

function webAt(issuer: string): Promise<Client> {
  return clientOf(
    org,
    { clientId: WEB, auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET } },
    issuer,
  )
}

describe('several custom authorization servers', () => {
  it('have separate issuers, endpoints, scopes and keys', async () => {
    const a = await discover(org.issuer())
    const b = await discover(org.issuer('tenant2'))
    expect(a.issuer).toBe('https://example.okta.com/oauth2/default')
    expect(b.issuer).toBe('https://example.okta.com/oauth2/tenant2')
    expect(b.token_endpoint).toBe('https://example.okta.com/oauth2/tenant2/v1/token')
    expect(b.jwks_uri).toBe('https://example.okta.com/oauth2/tenant2/v1/keys')
    expect(a.scopes_supported).toContain('orders:read')
    expect(a.scopes_supported).not.toContain('x:read')
    expect(b.scopes_supported).toContain('x:read')
    expect(b.scopes_supported).not.toContain('orders:read')
    expect(org.activeKid('tenant2')).not.toBe(org.activeKid('default'))
    const kidsOf = async (issuer: string) =>
      ((await (await fetch(`${issuer}/v1/keys`)).json()) as { keys: { kid: string }[] }).keys.map(
        (k) => k.kid,
      )
    const ka = await kidsOf(org.issuer())
    const kb = await kidsOf(org.issuer('tenant2'))
    expect(ka.filter((k) => kb.includes(k))).toEqual([])
  })

  it('mint tokens with their own issuer, audience, scopes and key', async () => {
    const t2 = await webAt(org.issuer('tenant2'))
    const { accessToken } = await t2.clientCredentials({ scope: 'x:read' })
    const { claims, header } = jwt(accessToken!)
    expect(claims).toMatchObject({ iss: org.issuer('tenant2'), aud: 'api://t2', scp: ['x:read'] })
    expect(header.kid).toBe(org.activeKid('tenant2'))
    await expect(t2.clientCredentials({ scope: 'orders:read' })).rejects.toMatchObject({
      error: 'invalid_scope',
    })
    const def = await webAt(org.issuer())
    await expect(def.clientCredentials({ scope: 'x:read' })).rejects.toMatchObject({
      error: 'invalid_scope',
    })
  })

  it('tokens are not usable across servers: introspection, userinfo, refresh, verifier', async () => {
    const def = await webAt(org.issuer())
    const t2 = await webAt(org.issuer('tenant2'))
    const tokens = await def.password({ ...USER, scope: 'openid offline_access orders:read' })
    expect((await def.introspect(tokens.accessToken!)).active).toBe(true)
    expect(await t2.introspect(tokens.accessToken!)).toEqual({ active: false })
    expect(await t2.introspect(tokens.refreshToken!)).toEqual({ active: false })
    expect(await rejection(t2.userinfo(tokens))).toMatchObject({ error: 'invalid_token' })
    expect(await rejection(t2.refresh(tokens.refreshToken!))).toMatchObject({
      error: 'invalid_grant',
    })
    // Revocation at the wrong server is a no-op.
    await t2.revoke(tokens.accessToken!)
    expect((await def.introspect(tokens.accessToken!)).active).toBe(true)

    const verifier = createVerifier({ issuer: org.issuer('tenant2'), audience: 'api://t2' })
    await expect(verifier.verifyAccessToken(tokens.accessToken!)).rejects.toBeDefined()
    const own = await t2.clientCredentials({ scope: 'x:read' })
    await expect(verifier.verifyAccessToken(own.accessToken!)).resolves.toMatchObject({
      format: 'okta',
    })
  })

  it('a code from one server is refused at the other', async () => {
    const def = await clientOf(org, { clientId: SPA, redirectUri: SPA_REDIRECT }, org.issuer())
    const t2 = await clientOf(
      org,
      { clientId: SPA, redirectUri: SPA_REDIRECT },
      org.issuer('tenant2'),
    )
    const { code, transaction } = await authorizeCode(def, { scope: 'openid' })
    await expect(
      t2.exchangeCode({ code, codeVerifier: transaction.codeVerifier!, nonce: transaction.nonce }),
    ).rejects.toMatchObject({ error: 'invalid_grant' })
  })

  it('rotating one server leaves the other alone', async () => {
    const before = org.activeKid()
    const beforeT2 = org.activeKid('tenant2')
    const rotated = await org.rotateKeys('tenant2')
    expect(rotated).not.toBe(beforeT2)
    expect(org.activeKid()).toBe(before)
  })

  it('an unknown server id: 404 for discovery, keys and token', async () => {
    for (const path of ['.well-known/openid-configuration', 'v1/keys']) {
      const response = await fetch(`${org.orgUrl}/oauth2/nope/${path}`)
      expect(response.status, path).toBe(404)
      expect((await response.json()).errorCode).toBe('E0000007')
    }
    const token = await fetch(`${org.orgUrl}/oauth2/nope/v1/token`, { method: 'POST' })
    expect(token.status).toBe(404)
  })
})

describe('createOktaOrg options', () => {
  it('refuses server ids that are not a path segment, and a relative orgUrl', async () => {
    for (const id of ['v1', 'a/b', 'has space', '']) {
      await expect(createOktaOrg({ authorizationServers: [{ id }] }), id).rejects.toBeInstanceOf(
        InvalidOptionError,
      )
    }
    await expect(createOktaOrg({ orgUrl: 'not a url' })).rejects.toBeInstanceOf(InvalidOptionError)
  })

  it('a custom orgUrl (trailing slash dropped) and a server without audiences get api://{id}', async () => {
    const custom = await createOktaOrg({
      orgUrl: 'https://acme.oktapreview.com/',
      authorizationServers: [{ id: 'aus1', scopes: ['s'] }],
    })
    expect(custom.orgUrl).toBe('https://acme.oktapreview.com')
    expect(custom.issuer('aus1')).toBe('https://acme.oktapreview.com/oauth2/aus1')
    expect(custom.orgIssuer).toBe('https://acme.oktapreview.com')
    expect(() => custom.activeKid('default')).toThrow(InvalidOptionError)
    const { server } = await import('../msw.js')
    server.use(...custom.handlers)
    const client = await clientOf(
      custom,
      { clientId: WEB, auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET } },
      custom.issuer('aus1'),
    )
    const { accessToken } = await client.clientCredentials({ scope: 's' })
    expect(jwt(accessToken!).claims.aud).toBe('api://aus1')
  })

  it('users get generated ids when none is given', async () => {
    const custom = await createOktaOrg({
      users: [{ login: 'bob@example.com', password: 'pw' }],
    })
    const [user] = [...custom.users.values()]
    expect(user!.id).toMatch(/^00u\w{17}$/)
    custom.signIn()
    expect(custom.sessionUserId).toBe(user!.id)
    expect(() => custom.signIn('nobody@example.com')).toThrow(InvalidOptionError)
  })
})
