/**
 * PENDING (README.md): @okta/jwt-verifier 4.0.2 contracts that wait for the
 * emulator fixes of issue 15's "Divergences found" (branch h15-fix):
 * - signing keys rotated through the management API, which okta-sdk-nodejs
 *   reads as a bare JSON array (h15-fix: bare-array keys);
 * - a GROUPS claim created with `group_filter_type` (h15-fix:
 *   group_filter_type).
 */
import OktaJwtVerifier from '@okta/jwt-verifier'
import { decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { counted } from './harness/calls.js'
import { type ContractOrg, startContractOrg, WEB } from './harness/org.js'
import { all, oktaSdk } from './harness/sdk.js'
import { password } from './harness/tokens.js'

let org: ContractOrg

beforeAll(async () => {
  org = await startContractOrg()
})
afterAll(() => org?.close())

/** See jwt-verifier.test.ts: the local org is http://, so the https check is off (and its warning kept off the output). */
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

describe('a rotation through okta-sdk-nodejs (h15-fix: bare-array keys)', () => {
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

describe('a server created through the API: a GROUPS claim (h15-fix: group_filter_type)', () => {
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
    const policy = await api.createAuthorizationServerPolicy({
      authServerId: id,
      policy: {
        type: 'OAUTH_AUTHORIZATION_POLICY',
        name: 'Web app',
        priority: 1,
        conditions: { clients: { include: [WEB.clientId] } },
      },
    })
    await api.createAuthorizationServerPolicyRule({
      authServerId: id,
      policyId: policy.id!,
      policyRule: {
        type: 'RESOURCE_ACCESS',
        name: 'Password and service',
        priority: 1,
        conditions: {
          people: { groups: { include: ['EVERYONE'] } },
          grantTypes: { include: ['password', 'client_credentials'] },
          scopes: { include: ['*'] },
        },
        actions: {
          token: {
            accessTokenLifetimeMinutes: 60,
            refreshTokenLifetimeMinutes: 0,
            refreshTokenWindowMinutes: 10_080,
          },
        },
      },
    })
  })

  it("verifies the access token's groups claim", async () => {
    const t = await password(serverIssuer, WEB, 'openid reports:read')
    const v = verifier(serverIssuer, { 'groups.includes': ['Everyone'] })
    const access = await v.verifyAccessToken(t.access_token, 'api://groups')
    expect(access.claims.groups).toEqual(['Everyone'])
  })
})
