/**
 * okta-sdk-nodejs 8.1.0 against the local org on today's API shapes
 * (management.yaml 5.1.0), where the older reference pages differ: signing
 * keys listed and rotated as bare arrays, a GROUPS claim with
 * `group_filter_type`, scopes' `optional`, `issuerMode`, a policy without a
 * `description`, today's grant types and the five-year refresh window,
 * rules' `actions.token` with `inlineHook`, and app grants with OAuth for
 * Okta and the `okta.appGrants.*` scopes. Each runs with SSWS and with
 * OAuth for Okta (PEM and JWK keys) unless noted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ContractOrg, SPA, startContractOrg } from './harness/org.js'
import { AUTH_MODES, all, newServer, type OktaSdk, oktaSdk, SERVER_SCOPES } from './harness/sdk.js'

let org: ContractOrg

beforeAll(async () => {
  org = await startContractOrg()
})
afterAll(() => org?.close())

describe.each(AUTH_MODES)("okta-sdk-nodejs with %s: today's API shapes", (mode) => {
  const slug = mode.toLowerCase().replace(/[^a-z]+/g, '-')
  let sdk: OktaSdk
  let serverId: string

  beforeAll(async () => {
    sdk = oktaSdk(org, mode, SERVER_SCOPES)
    serverId = await newServer(sdk, `Pending fixes ${slug}`)
  })

  it('signing keys: list and rotate answer bare arrays', async () => {
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

  it('claims: a GROUPS claim with group_filter_type', async () => {
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

  it('scopes: optional', async () => {
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

  it('servers: issuerMode DYNAMIC is kept', async () => {
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

  it('policies: no description', async () => {
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

  it("rules: today's grant types and a five-year refresh window", async () => {
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

  it('rules: actions.token with inlineHook', async () => {
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
  'okta-sdk-nodejs with %s: app grants with okta.appGrants.*',
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
