/**
 * PENDING (README.md): okta-sdk-nodejs 8.1.0 contracts that fail on the
 * emulator of this branch, and must pass once the other branches of issue
 * 15 are merged. Each `describe`/`it` names the fix it waits for:
 *
 * - h15-fix ("Divergences found"): bare-array keys (list and rotate),
 *   group_filter_type, scopes' `optional`, issuerMode DYNAMIC, a policy
 *   without `description`, today's grant types and the 5-year refresh
 *   window, rules' `actions.token` with `inlineHook`, app grants with
 *   `okta.appGrants.*`;
 * - h15-new (the 19 new operations): clients of a server and their refresh
 *   tokens, associated servers, resource-server keys, an app's tokens.
 */
import { OktaApiError } from '@okta/okta-sdk-nodejs'
import { exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_USERS } from '../../src/testing/index.js'
import { type ContractOrg, SERVICE_APP, SPA, startContractOrg } from './harness/org.js'
import { AUTH_MODES, all, type OktaSdk, oktaSdk } from './harness/sdk.js'
import { codeWithPkce, refresh } from './harness/tokens.js'

const SERVER_SCOPES = ['okta.authorizationServers.read', 'okta.authorizationServers.manage']
const USER_ID = DEFAULT_USERS[0]!.id!

let org: ContractOrg

beforeAll(async () => {
  org = await startContractOrg()
})
afterAll(() => org?.close())

async function refusal(promise: Promise<unknown>): Promise<OktaApiError> {
  const err = await promise.then(
    () => expect.unreachable('the call should have been refused'),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(OktaApiError)
  return err as OktaApiError
}

/** A server of its own for a test, created with okta-sdk-nodejs. */
async function newServer(sdk: OktaSdk, name: string): Promise<string> {
  const server = await sdk.authorizationServers.createAuthorizationServer({
    authorizationServer: {
      name,
      description: name,
      audiences: [`api://${name.replace(/\W+/g, '-')}`],
    },
  })
  return server.id!
}

/** A refresh token of the SPA on a server, and its value. */
async function spaRefreshToken(serverId: string): Promise<string> {
  const t = await codeWithPkce(org.issuer(serverId), SPA, 'openid offline_access')
  return t.refresh_token!
}

describe.each(AUTH_MODES)('okta-sdk-nodejs with %s: divergences (h15-fix)', (mode) => {
  const slug = mode.toLowerCase().replace(/[^a-z]+/g, '-')
  let sdk: OktaSdk
  let serverId: string

  beforeAll(async () => {
    sdk = oktaSdk(org, mode, SERVER_SCOPES)
    serverId = await newServer(sdk, `Pending fixes ${slug}`)
  })

  it('signing keys: list and rotate answer bare arrays (h15-fix: bare-array keys)', async () => {
    const api = sdk.authorizationServers
    const before = await all(await api.listAuthorizationServerKeys({ authServerId: serverId }))
    expect(before.map((k) => k.status).sort()).toEqual(['ACTIVE', 'NEXT'])
    const active = before.find((k) => k.status === 'ACTIVE')!
    const next = before.find((k) => k.status === 'NEXT')!
    expect(active).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' })
    const rotated = await all(
      await api.rotateAuthorizationServerKeys({ authServerId: serverId, use: { use: 'sig' } }),
    )
    expect(rotated.find((k) => k.status === 'ACTIVE')?.kid).toBe(next.kid)
    expect(rotated.find((k) => k.status === 'EXPIRED')?.kid).toBe(active.kid)
    expect(rotated.find((k) => k.status === 'NEXT')?.kid).not.toBe(next.kid)
    // One rotation, not two: what the list shows now is what rotate answered.
    const after = await all(await api.listAuthorizationServerKeys({ authServerId: serverId }))
    expect(after.map((k) => k.kid).sort()).toEqual(rotated.map((k) => k.kid).sort())
    expect(org.running.org.activeKid(serverId)).toBe(next.kid)
  })

  it('claims: a GROUPS claim with group_filter_type (h15-fix: group_filter_type)', async () => {
    const api = sdk.authorizationServers
    const claim = await api.createOAuth2Claim({
      authServerId: serverId,
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
    expect(claim).toMatchObject({ valueType: 'GROUPS', group_filter_type: 'STARTS_WITH' })
    const got = await api.getOAuth2Claim({ authServerId: serverId, claimId: claim.id! })
    expect(got.group_filter_type).toBe('STARTS_WITH')
    const replaced = await api.replaceOAuth2Claim({
      authServerId: serverId,
      claimId: claim.id!,
      oAuth2Claim: { ...got, value: 'Everyone', group_filter_type: 'EQUALS' },
    })
    expect(replaced).toMatchObject({ value: 'Everyone', group_filter_type: 'EQUALS' })
  })

  it('scopes: optional (h15-fix: scopes optional)', async () => {
    const api = sdk.authorizationServers
    const optional = await api.createOAuth2Scope({
      authServerId: serverId,
      oAuth2Scope: {
        name: 'profile:extra',
        consent: 'FLEXIBLE',
        optional: true,
        metadataPublish: 'ALL_CLIENTS',
      },
    })
    expect(optional.optional).toBe(true)
    expect(
      (await api.getOAuth2Scope({ authServerId: serverId, scopeId: optional.id! })).optional,
    ).toBe(true)
  })

  it('servers: issuerMode DYNAMIC is kept (h15-fix: issuerMode)', async () => {
    const api = sdk.authorizationServers
    const created = await api.createAuthorizationServer({
      authorizationServer: {
        name: `Dynamic ${slug}`,
        audiences: [`api://dynamic-${slug}`],
        issuerMode: 'DYNAMIC',
      },
    })
    expect(created.issuerMode).toBe('DYNAMIC')
    expect((await api.getAuthorizationServer({ authServerId: created.id! })).issuerMode).toBe(
      'DYNAMIC',
    )
  })

  it('policies: no description (h15-fix: a policy needs no description)', async () => {
    const policy = await sdk.authorizationServers.createAuthorizationServerPolicy({
      authServerId: serverId,
      policy: {
        type: 'OAUTH_AUTHORIZATION_POLICY',
        name: 'No description',
        priority: 1,
        conditions: { clients: { include: ['ALL_CLIENTS'] } },
      },
    })
    expect(policy.id).toMatch(/^00p/)
    expect(policy.description).toBeUndefined()
  })

  /** A policy of the server to hang rules on (with a description: accepted today). */
  async function rulesPolicy(name: string): Promise<string> {
    const policy = await sdk.authorizationServers.createAuthorizationServerPolicy({
      authServerId: serverId,
      policy: {
        type: 'OAUTH_AUTHORIZATION_POLICY',
        name,
        description: name,
        priority: 1,
        conditions: { clients: { include: ['ALL_CLIENTS'] } },
      },
    })
    return policy.id!
  }

  it("rules: today's grant types and a five-year refresh window (h15-fix: limits and enums)", async () => {
    const policyId = await rulesPolicy('Five years')
    const grantTypes = [
      'authorization_code',
      'urn:openid:params:grant-type:ciba',
      'urn:okta:params:oauth:grant-type:otp',
      'urn:okta:params:oauth:grant-type:oob',
      'http://auth0.com/oauth/grant-type/mfa-otp',
      'http://auth0.com/oauth/grant-type/mfa-oob',
    ]
    const rule = await sdk.authorizationServers.createAuthorizationServerPolicyRule({
      authServerId: serverId,
      policyId,
      policyRule: {
        type: 'RESOURCE_ACCESS',
        name: 'Five years',
        priority: 1,
        conditions: {
          people: { groups: { include: ['EVERYONE'] } },
          grantTypes: { include: grantTypes },
          scopes: { include: ['*'] },
        },
        actions: {
          token: {
            accessTokenLifetimeMinutes: 60,
            refreshTokenLifetimeMinutes: 0,
            refreshTokenWindowMinutes: 2_628_000,
          },
        },
      },
    })
    expect(rule).toMatchObject({
      conditions: { grantTypes: { include: grantTypes } },
      actions: { token: { refreshTokenWindowMinutes: 2_628_000 } },
    })
  })

  it('rules: actions.token with inlineHook (h15-fix: rules actions.token)', async () => {
    const policyId = await rulesPolicy('Hooked')
    const rule = await sdk.authorizationServers.createAuthorizationServerPolicyRule({
      authServerId: serverId,
      policyId,
      policyRule: {
        type: 'RESOURCE_ACCESS',
        name: 'Hooked',
        priority: 1,
        conditions: {
          people: { groups: { include: ['EVERYONE'] } },
          grantTypes: { include: ['authorization_code'] },
          scopes: { include: ['*'] },
        },
        actions: {
          token: {
            accessTokenLifetimeMinutes: 60,
            refreshTokenLifetimeMinutes: 0,
            refreshTokenWindowMinutes: 10_080,
            inlineHook: { id: 'calb0000000000000000' },
          },
        },
      },
    })
    expect(rule.actions?.token?.inlineHook?.id).toBe('calb0000000000000000')
    const got = await sdk.authorizationServers.getAuthorizationServerPolicyRule({
      authServerId: serverId,
      policyId,
      ruleId: rule.id!,
    })
    expect(got.actions?.token?.inlineHook?.id).toBe('calb0000000000000000')
  })
})

describe.each(AUTH_MODES.filter((m) => m !== 'SSWS'))(
  'okta-sdk-nodejs with %s: app grants with okta.appGrants.* (h15-fix: appGrants scopes)',
  (mode) => {
    it('lists, grants, gets and revokes an okta.* scope of an app', async () => {
      const { applications: api } = oktaSdk(org, mode, [
        'okta.appGrants.read',
        'okta.appGrants.manage',
      ])
      const appId = SPA.clientId
      const grant = await api.grantConsentToScope({
        appId,
        oAuth2ScopeConsentGrant: { issuer: org.url, scopeId: 'okta.users.read' },
      })
      expect(grant).toMatchObject({ scopeId: 'okta.users.read', clientId: appId, status: 'ACTIVE' })
      expect(await api.getScopeConsentGrant({ appId, grantId: grant.id! })).toMatchObject({
        id: grant.id,
      })
      expect((await all(await api.listScopeConsentGrants({ appId }))).map((g) => g.id)).toContain(
        grant.id,
      )
      await api.revokeScopeConsentGrant({ appId, grantId: grant.id! })
      expect(
        (await all(await api.listScopeConsentGrants({ appId }))).map((g) => g.id),
      ).not.toContain(grant.id)
    })
  },
)

describe.each(AUTH_MODES)('okta-sdk-nodejs with %s: the new operations (h15-new)', (mode) => {
  const slug = mode.toLowerCase().replace(/[^a-z]+/g, '-')
  let sdk: OktaSdk
  let serverId: string

  beforeAll(async () => {
    sdk = oktaSdk(org, mode, SERVER_SCOPES)
    serverId = await newServer(sdk, `New operations ${slug}`)
    // A policy and rule so the server issues tokens to the SPA.
    const api = sdk.authorizationServers
    const policy = await api.createAuthorizationServerPolicy({
      authServerId: serverId,
      policy: {
        type: 'OAUTH_AUTHORIZATION_POLICY',
        name: 'Everyone',
        description: 'Every client',
        priority: 1,
        conditions: { clients: { include: ['ALL_CLIENTS'] } },
      },
    })
    await api.createAuthorizationServerPolicyRule({
      authServerId: serverId,
      policyId: policy.id!,
      policyRule: {
        type: 'RESOURCE_ACCESS',
        name: 'Code',
        priority: 1,
        conditions: {
          people: { groups: { include: ['EVERYONE'] } },
          grantTypes: { include: ['authorization_code'] },
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

  it("clients of a server, and a client's refresh tokens: list, get, revoke one, revoke all", async () => {
    const api = sdk.authorizationServers
    const values = [await spaRefreshToken(serverId), await spaRefreshToken(serverId)]
    const clients = await all(
      await api.listOAuth2ClientsForAuthorizationServer({ authServerId: serverId }),
    )
    expect(clients.map((c) => c.client_id)).toEqual([SPA.clientId])

    const ids = { authServerId: serverId, clientId: SPA.clientId }
    const tokens = await all(await api.listRefreshTokensForAuthorizationServerAndClient(ids))
    expect(tokens).toHaveLength(2)
    for (const t of tokens) {
      expect(t).toMatchObject({
        status: 'ACTIVE',
        issuer: org.issuer(serverId),
        userId: USER_ID,
        scopes: expect.arrayContaining(['offline_access']),
      })
      expect(t.id).toMatch(/^oar/)
    }
    const one = await api.getRefreshTokenForAuthorizationServerAndClient({
      ...ids,
      tokenId: tokens[0]!.id!,
      expand: 'scope',
    })
    expect(one.id).toBe(tokens[0]!.id)
    expect(one._embedded?.scopes?.map((s) => s.name)).toEqual(
      expect.arrayContaining(['offline_access']),
    )

    await api.revokeRefreshTokenForAuthorizationServerAndClient({ ...ids, tokenId: one.id! })
    expect(await all(await api.listRefreshTokensForAuthorizationServerAndClient(ids))).toHaveLength(
      1,
    )
    await api.revokeRefreshTokensForAuthorizationServerAndClient(ids)
    expect(await all(await api.listRefreshTokensForAuthorizationServerAndClient(ids))).toEqual([])
    // Revoked refresh tokens no longer refresh.
    for (const value of values) {
      await expect(refresh(org.issuer(serverId), SPA.clientId, value)).rejects.toThrow(
        /invalid_grant/,
      )
    }
  })

  it('associated servers: create, list (trusted, q), delete', async () => {
    const api = sdk.authorizationServers
    const trusted = await newServer(sdk, `Trusted ${slug}`)
    const created = await all(
      await api.createAssociatedServers({
        authServerId: serverId,
        associatedServerMediated: { trusted: [trusted] },
      }),
    )
    expect(created.map((s) => s.id)).toEqual([trusted])
    const listed = await all(
      await api.listAssociatedServersByTrustedType({ authServerId: serverId, trusted: true }),
    )
    expect(listed.map((s) => s.id)).toEqual([trusted])
    const searched = await all(
      await api.listAssociatedServersByTrustedType({
        authServerId: serverId,
        trusted: true,
        q: `Trusted ${slug}`,
      }),
    )
    expect(searched.map((s) => s.id)).toEqual([trusted])
    const untrusted = await all(
      await api.listAssociatedServersByTrustedType({ authServerId: serverId, trusted: false }),
    )
    expect(untrusted.map((s) => s.id)).not.toContain(trusted)
    await api.deleteAssociatedServer({ authServerId: serverId, associatedServerId: trusted })
    expect(
      await all(
        await api.listAssociatedServersByTrustedType({ authServerId: serverId, trusted: true }),
      ),
    ).toEqual([])
  })

  it('resource-server keys: add, list, get, activate, deactivate, delete', async () => {
    const api = sdk.resourceServerKeys
    const jwk = async (kid: string) => {
      const { publicKey } = await generateKeyPair('RSA-OAEP-256', { extractable: true })
      const { e, n } = await exportJWK(publicKey)
      return { kid, kty: 'RSA', use: 'enc', e: e!, n: n! }
    }
    // A key cannot be added ACTIVE (the spec's ErrorJsonWebKeyCannotAddActiveKey).
    const activeAdd = await refusal(
      api.addOAuth2ResourceServerJsonWebKey({
        authServerId: serverId,
        oAuth2ResourceServerJsonWebKeyRequestBody: {
          ...(await jwk(`enc-0-${slug}`)),
          status: 'ACTIVE',
        },
      }),
    )
    expect(activeAdd).toMatchObject({ status: 400, errorCode: 'E0000001' })
    const add = async (kid: string) =>
      api.addOAuth2ResourceServerJsonWebKey({
        authServerId: serverId,
        oAuth2ResourceServerJsonWebKeyRequestBody: { ...(await jwk(kid)), status: 'INACTIVE' },
      })
    const first = await add(`enc-1-${slug}`)
    const second = await add(`enc-2-${slug}`)
    expect(first).toMatchObject({ kid: `enc-1-${slug}`, status: 'INACTIVE', use: 'enc' })
    expect(second.status).toBe('INACTIVE')
    const listed = await all(
      await api.listOAuth2ResourceServerJsonWebKeys({ authServerId: serverId }),
    )
    expect(listed.map((k) => k.id).sort()).toEqual([first.id, second.id].sort())
    expect(
      await api.getOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: first.id! }),
    ).toMatchObject({ kid: `enc-1-${slug}` })
    expect(
      (
        await api.activateOAuth2ResourceServerJsonWebKey({
          authServerId: serverId,
          keyId: first.id!,
        })
      ).status,
    ).toBe('ACTIVE')

    // One active key at a time: activating the second deactivates the first.
    const activated = await api.activateOAuth2ResourceServerJsonWebKey({
      authServerId: serverId,
      keyId: second.id!,
    })
    expect(activated.status).toBe('ACTIVE')
    expect(
      (await api.getOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: first.id! }))
        .status,
    ).toBe('INACTIVE')
    // Only an inactive key can be deleted.
    const active = await refusal(
      api.deleteOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: second.id! }),
    )
    expect(active.status).toBe(400)
    const deactivated = await api.deactivateOAuth2ResourceServerJsonWebKey({
      authServerId: serverId,
      keyId: second.id!,
    })
    expect(deactivated.status).toBe('INACTIVE')
    await api.deleteOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: first.id! })
    await api.deleteOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: second.id! })
    expect(
      await all(await api.listOAuth2ResourceServerJsonWebKeys({ authServerId: serverId })),
    ).toEqual([])
  })
})

describe.each(AUTH_MODES)("okta-sdk-nodejs with %s: an app's tokens (h15-new)", (mode) => {
  it('lists, gets, revokes one and revokes all refresh tokens of an app', async () => {
    const { applications: api } = oktaSdk(org, mode, ['okta.apps.read', 'okta.apps.manage'])
    const appId = SPA.clientId
    // Start from none, whatever the other tests left.
    await api.revokeOAuth2TokensForApplication({ appId })
    const values = [await spaRefreshToken('default'), await spaRefreshToken('default')]
    const tokens = await all(await api.listOAuth2TokensForApplication({ appId }))
    expect(tokens).toHaveLength(2)
    expect(tokens[0]).toMatchObject({ clientId: appId, status: 'ACTIVE', issuer: org.issuer() })
    const one = await api.getOAuth2TokenForApplication({ appId, tokenId: tokens[0]!.id! })
    expect(one.id).toBe(tokens[0]!.id)
    await api.revokeOAuth2TokenForApplication({ appId, tokenId: one.id! })
    expect(await all(await api.listOAuth2TokensForApplication({ appId }))).toHaveLength(1)
    await api.revokeOAuth2TokensForApplication({ appId })
    expect(await all(await api.listOAuth2TokensForApplication({ appId }))).toEqual([])
    for (const value of values) {
      await expect(refresh(org.issuer(), SPA.clientId, value)).rejects.toThrow(/invalid_grant/)
    }
    // The service app has no tokens of its own here.
    expect(await all(await api.listOAuth2TokensForApplication({ appId: SERVICE_APP }))).toEqual([])
  })
})
