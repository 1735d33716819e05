/**
 * Okta's resource-server verifier, `@okta/jwt-verifier` 4.0.2, against the
 * local org over HTTP on 127.0.0.1: access and ID tokens from every grant
 * (code + PKCE, refresh, password, client credentials, implicit), across a
 * signing-key rotation, and on a server created through the management API
 * (with okta-sdk-nodejs) with a custom claim and a rule of its own, and
 * with a default scope.
 *
 * Tokens are fetched with plain `fetch` (harness/tokens.ts); the verifier
 * fetches the JWKS itself (jwks-rsa, `{issuer}/v1/keys`).
 */
import OktaJwtVerifier from '@okta/jwt-verifier'
import { decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEFAULT_USERS } from '../../src/testing/index.js'
import { counted } from './harness/calls.js'
import { type ContractOrg, SPA, startContractOrg, USER, WEB } from './harness/org.js'
import { all, oktaSdk, openPolicy } from './harness/sdk.js'
import { clientCredentials, codeWithPkce, implicit, password, refresh } from './harness/tokens.js'

const USER_ID = DEFAULT_USERS[0]!.id!

let org: ContractOrg
let issuer: string

beforeAll(async () => {
  org = await startContractOrg()
  issuer = org.issuer()
})
afterAll(() => org?.close())

/**
 * A verifier for an issuer of the local org.
 *
 * jwt-verifier's own limitation: it refuses an issuer that is not `https://`
 * unless `testing: { disableHttpsCheck: true }` is set, and then prints a
 * warning on every construction. The local org is served over
 * `http://127.0.0.1`, so every verifier here sets the flag (and the warning
 * is kept off the test output).
 */
function verifier(iss: string, assertClaims?: Record<string, unknown>): OktaJwtVerifier {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  try {
    return counted(
      '@okta/jwt-verifier',
      new OktaJwtVerifier({
        issuer: iss,
        testing: { disableHttpsCheck: true },
        ...(assertClaims && { assertClaims }),
      }),
    )
  } finally {
    warn.mockRestore()
  }
}

describe('its own limitation: https issuers only', () => {
  it('refuses the http:// issuer without testing.disableHttpsCheck, and warns with it', () => {
    expect(() => new OktaJwtVerifier({ issuer })).toThrow(/must start with https/)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      new OktaJwtVerifier({ issuer, testing: { disableHttpsCheck: true } })
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/HTTPS check is disabled/))
    } finally {
      warn.mockRestore()
    }
  })
})

describe('tokens of every grant (the default server)', () => {
  let v: OktaJwtVerifier
  beforeAll(() => {
    v = verifier(issuer)
  })

  it('code + PKCE (public client): the access token and the ID token', async () => {
    const t = await codeWithPkce(issuer, SPA, 'openid profile email offline_access orders:read')
    const access = await v.verifyAccessToken(t.access_token, 'api://default')
    expect(access.header).toMatchObject({ alg: 'RS256', kid: org.running.org.activeKid() })
    expect(access.claims).toMatchObject({
      iss: issuer,
      aud: 'api://default',
      cid: SPA.clientId,
      uid: USER_ID,
      sub: USER.login,
      scp: ['openid', 'profile', 'email', 'offline_access', 'orders:read'],
    })
    const id = await v.verifyIdToken(t.id_token!, SPA.clientId, t.nonce)
    expect(id.claims).toMatchObject({
      iss: issuer,
      aud: SPA.clientId,
      sub: USER_ID,
      nonce: t.nonce,
    })
    expect(id.claims.email).toBe(USER.login)
  })

  it('refresh: the new access and ID tokens', async () => {
    const first = await codeWithPkce(issuer, SPA, 'openid offline_access orders:read')
    const t = await refresh(issuer, SPA.clientId, first.refresh_token!)
    const access = await v.verifyAccessToken(t.access_token, 'api://default')
    expect(access.claims).toMatchObject({ cid: SPA.clientId, uid: USER_ID })
    expect(access.claims.jti).not.toBe(
      (await v.verifyAccessToken(first.access_token, 'api://default')).claims.jti,
    )
    // A refreshed ID token carries no nonce: none is expected.
    const id = await v.verifyIdToken(t.id_token!, SPA.clientId)
    expect(id.claims).toMatchObject({ sub: USER_ID, aud: SPA.clientId })
  })

  it('password (confidential client): the access and ID tokens', async () => {
    const t = await password(issuer, WEB, 'openid profile orders:read')
    const access = await v.verifyAccessToken(t.access_token, 'api://default')
    expect(access.claims).toMatchObject({ cid: WEB.clientId, uid: USER_ID, sub: USER.login })
    const id = await v.verifyIdToken(t.id_token!, WEB.clientId)
    expect(id.claims).toMatchObject({ sub: USER_ID, name: 'John Doe' })
  })

  it('client credentials: the access token, for the client itself', async () => {
    const t = await clientCredentials(issuer, WEB, 'orders:read')
    expect(t.id_token).toBeUndefined()
    const access = await v.verifyAccessToken(t.access_token, 'api://default')
    expect(access.claims).toMatchObject({
      cid: WEB.clientId,
      sub: WEB.clientId,
      scp: ['orders:read'],
    })
    expect(access.claims.uid).toBeUndefined()
  })

  it('implicit (public client): the access token and the ID token from the fragment', async () => {
    const t = await implicit(issuer, SPA, 'openid profile orders:read')
    const access = await v.verifyAccessToken(t.access_token, 'api://default')
    expect(access.claims).toMatchObject({
      iss: issuer,
      cid: SPA.clientId,
      uid: USER_ID,
      scp: ['openid', 'profile', 'orders:read'],
    })
    const id = await v.verifyIdToken(t.id_token, SPA.clientId, t.nonce)
    expect(id.claims).toMatchObject({ sub: USER_ID, aud: SPA.clientId, nonce: t.nonce })
    // The implicit ID token carries the access token's hash.
    expect(id.claims.at_hash).toEqual(expect.any(String))
  })

  it('asserted claims: scopes and client id', async () => {
    const t = await password(issuer, WEB, 'openid orders:read orders:write')
    const strict = verifier(issuer, { cid: WEB.clientId, 'scp.includes': ['orders:write'] })
    await expect(strict.verifyAccessToken(t.access_token, 'api://default')).resolves.toBeDefined()
    const other = verifier(issuer, { cid: SPA.clientId })
    await expect(other.verifyAccessToken(t.access_token, 'api://default')).rejects.toThrow(/cid/)
  })

  it('refuses a token for another audience, and a token of another server', async () => {
    const t = await password(issuer, WEB, 'openid orders:read')
    await expect(v.verifyAccessToken(t.access_token, 'api://other')).rejects.toThrow(/audience/)
    // The org authorization server signs with its own keys: not in /oauth2/default/v1/keys.
    const org2 = await password(org.running.org.orgIssuer, WEB, 'openid')
    await expect(v.verifyIdToken(org2.id_token!, WEB.clientId)).rejects.toThrow()
  })
})

describe('across a signing-key rotation', () => {
  it('keeps verifying tokens of the old key and fetches the new one', async () => {
    const v = verifier(issuer)
    const before = await password(issuer, WEB, 'openid orders:read')
    const oldKid = decodeProtectedHeader(before.access_token).kid
    await v.verifyAccessToken(before.access_token, 'api://default')

    const newKid = await org.running.org.rotateKeys('default')
    expect(newKid).not.toBe(oldKid)
    const after = await password(issuer, WEB, 'openid orders:read')
    expect(decodeProtectedHeader(after.access_token).kid).toBe(newKid)
    // The new kid is unknown to the verifier's cache: jwks-rsa fetches the keys again.
    const access = await v.verifyAccessToken(after.access_token, 'api://default')
    expect(access.header.kid).toBe(newKid)
    await expect(v.verifyIdToken(after.id_token!, WEB.clientId)).resolves.toBeDefined()
    // The rotated-out key is still published (EXPIRED): a fresh verifier still
    // accepts tokens it signed.
    const fresh = verifier(issuer)
    const old = await fresh.verifyAccessToken(before.access_token, 'api://default')
    expect(old.header.kid).toBe(oldKid)
    await expect(v.verifyAccessToken(before.access_token, 'api://default')).resolves.toBeDefined()
  })
})

describe('a server created through the management API, with a custom claim and rule', () => {
  let serverIssuer: string

  beforeAll(async () => {
    // okta-sdk-nodejs with SSWS, as an admin script would set the server up.
    const { authorizationServers: api } = oktaSdk(org, 'SSWS', [])
    const server = await api.createAuthorizationServer({
      authorizationServer: {
        name: 'Contract orders API',
        description: 'Created by the jwt-verifier contract test',
        audiences: ['api://orders'],
      },
    })
    const id = server.id!
    serverIssuer = server.issuer!
    await api.createOAuth2Scope({
      authServerId: id,
      oAuth2Scope: { name: 'orders:admin', consent: 'IMPLICIT', metadataPublish: 'ALL_CLIENTS' },
    })
    // A default scope: granted to a request that names none.
    await api.createOAuth2Scope({
      authServerId: id,
      oAuth2Scope: { name: 'orders:list', consent: 'IMPLICIT', _default: true },
    })
    await api.createOAuth2Claim({
      authServerId: id,
      oAuth2Claim: {
        name: 'tier',
        status: 'ACTIVE',
        claimType: 'RESOURCE',
        valueType: 'EXPRESSION',
        value: '"gold"',
        conditions: { scopes: ['orders:admin'] },
      },
    })
    await api.createOAuth2Claim({
      authServerId: id,
      oAuth2Claim: {
        name: 'app',
        status: 'ACTIVE',
        claimType: 'IDENTITY',
        valueType: 'EXPRESSION',
        value: 'app.clientId',
        alwaysIncludeInToken: true,
        conditions: { scopes: [] },
      },
    })
    await openPolicy(api, id, {
      name: 'Web app',
      description: 'The web app only',
      clients: [WEB.clientId],
      grantTypes: ['password', 'client_credentials'],
      accessTokenLifetimeMinutes: 15,
    })
    expect((await all(await api.listAuthorizationServers())).map((s) => s.id)).toContain(id)
  })

  it('verifies its access token with the custom claim and the rule lifetime', async () => {
    const t = await password(serverIssuer, WEB, 'openid orders:admin')
    const v = verifier(serverIssuer, { tier: 'gold' })
    const access = await v.verifyAccessToken(t.access_token, 'api://orders')
    expect(access.claims).toMatchObject({ iss: serverIssuer, tier: 'gold', cid: WEB.clientId })
    const { exp, iat } = access.claims as { exp: number; iat: number }
    expect(exp - iat).toBe(15 * 60)
  })

  it('verifies its ID token with the identity claim', async () => {
    const t = await password(serverIssuer, WEB, 'openid orders:admin')
    const id = await verifier(serverIssuer).verifyIdToken(t.id_token!, WEB.clientId)
    expect(id.claims).toMatchObject({ iss: serverIssuer, app: WEB.clientId, sub: USER_ID })
  })

  it('verifies a client-credentials token, and refuses it to another server', async () => {
    const t = await clientCredentials(serverIssuer, WEB, 'orders:admin')
    const access = await verifier(serverIssuer).verifyAccessToken(t.access_token, 'api://orders')
    expect(access.claims).toMatchObject({ sub: WEB.clientId, tier: 'gold' })
    await expect(
      verifier(issuer).verifyAccessToken(t.access_token, 'api://orders'),
    ).rejects.toThrow()
  })

  it('verifies a client-credentials token without scope: the default scope', async () => {
    const t = await clientCredentials(serverIssuer, WEB)
    expect(t.scope).toBe('orders:list')
    const access = await verifier(serverIssuer, {
      'scp.includes': ['orders:list'],
    }).verifyAccessToken(t.access_token, 'api://orders')
    expect(access.claims.scp).toEqual(['orders:list'])
  })
})

describe('a rotation through okta-sdk-nodejs', () => {
  it('rotates once; old and new tokens verify', async () => {
    const issuer = org.issuer()
    const v = verifier(issuer)
    const before = await password(issuer, WEB, 'openid orders:read')
    await v.verifyAccessToken(before.access_token, 'api://default')
    const { authorizationServers: api } = oktaSdk(org, 'OAuth, JWK key', [
      'okta.authorizationServers.manage',
    ])
    const keys = await all(
      await api.rotateAuthorizationServerKeys({ authServerId: 'default', use: { use: 'sig' } }),
    )
    const active = keys.find((k) => k.status === 'ACTIVE')!
    expect(active.kid).toBe(org.running.org.activeKid())
    const after = await password(issuer, WEB, 'openid orders:read')
    expect(decodeProtectedHeader(after.access_token).kid).toBe(active.kid)
    await expect(v.verifyAccessToken(after.access_token, 'api://default')).resolves.toBeDefined()
    await expect(v.verifyIdToken(after.id_token!, WEB.clientId)).resolves.toBeDefined()
    await expect(
      verifier(issuer).verifyAccessToken(before.access_token, 'api://default'),
    ).resolves.toBeDefined()
  })
})

describe('a server created through the API: a GROUPS claim', () => {
  let serverIssuer: string

  beforeAll(async () => {
    const { authorizationServers: api } = oktaSdk(org, 'SSWS', [])
    const server = await api.createAuthorizationServer({
      authorizationServer: { name: 'Groups API', audiences: ['api://groups'] },
    })
    const id = server.id!
    serverIssuer = server.issuer!
    await api.createOAuth2Scope({
      authServerId: id,
      oAuth2Scope: { name: 'reports:read', consent: 'IMPLICIT' },
    })
    await api.createOAuth2Claim({
      authServerId: id,
      oAuth2Claim: {
        name: 'groups',
        status: 'ACTIVE',
        claimType: 'RESOURCE',
        valueType: 'GROUPS',
        value: 'Every',
        group_filter_type: 'STARTS_WITH',
        conditions: { scopes: [] },
      },
    })
    await openPolicy(api, id, {
      name: 'Web app',
      clients: [WEB.clientId],
      grantTypes: ['password', 'client_credentials'],
    })
  })

  it("verifies the access token's groups claim", async () => {
    const t = await password(serverIssuer, WEB, 'openid reports:read')
    const v = verifier(serverIssuer, { 'groups.includes': ['Everyone'] })
    const access = await v.verifyAccessToken(t.access_token, 'api://groups')
    expect(access.claims.groups).toEqual(['Everyone'])
  })
})
