import { beforeEach, describe, expect, it } from 'vitest'
import type { OktaOrg } from '../../../src/testing/index.js'
import { sharedOrg, WEB } from './helpers.js'
import { API, api, createServer, expectOktaError, OPTIONS } from './management-helpers.js'

describe('policies and rules', () => {
  const shared = sharedOrg(() => OPTIONS)
  let org: OktaOrg
  beforeEach(() => {
    org = shared()
  })

  const policyBody = (name: string, extra: Record<string, unknown> = {}) => ({
    type: 'OAUTH_AUTHORIZATION_POLICY',
    status: 'ACTIVE',
    name,
    description: `${name} description`,
    conditions: { clients: { include: ['ALL_CLIENTS'] } },
    ...extra,
  })
  const ruleBody = (name: string, extra: Record<string, unknown> = {}) => ({
    type: 'RESOURCE_ACCESS',
    name,
    conditions: {
      people: { groups: { include: ['EVERYONE'] } },
      grantTypes: { include: ['client_credentials'] },
      scopes: { include: ['*'] },
    },
    actions: {
      token: {
        accessTokenLifetimeMinutes: 60,
        refreshTokenLifetimeMinutes: 0,
        refreshTokenWindowMinutes: 10_080,
        inlineHook: { id: 'cal4egvp1mbMldrYN0g7' },
      },
    },
    ...extra,
  })

  it('the default server has a default policy and rule', async () => {
    const policies = await api('GET', '/authorizationServers/default/policies')
    expect(policies.body).toHaveLength(1)
    expect(policies.body[0]).toMatchObject({
      name: 'Default Policy',
      priority: 1,
      status: 'ACTIVE',
    })
    const rules = await api(
      'GET',
      `/authorizationServers/default/policies/${policies.body[0].id}/rules`,
    )
    expect(rules.body[0]).toMatchObject({
      name: 'Default Policy Rule',
      type: 'RESOURCE_ACCESS',
      conditions: { scopes: { include: ['*'] } },
    })
  })

  it('create, get, list, update, lifecycle and delete a policy', async () => {
    const { id: as } = (await createServer()).body
    const base = `/authorizationServers/${as}/policies`
    const created = await api('POST', base, policyBody('Vendor2 Policy'))
    expect(created.status).toBe(201)
    const id = created.body.id
    expect(id).toMatch(/^00p[A-Za-z0-9]{17}$/)
    expect(created.body).toMatchObject({
      type: 'OAUTH_AUTHORIZATION_POLICY',
      status: 'ACTIVE',
      name: 'Vendor2 Policy',
      description: 'Vendor2 Policy description',
      priority: 1,
      system: false,
      conditions: { clients: { include: ['ALL_CLIENTS'] } },
      created: expect.any(String),
      lastUpdated: expect.any(String),
      _links: {
        self: { href: `${API}${base}/${id}` },
        deactivate: { href: `${API}${base}/${id}/lifecycle/deactivate` },
        rules: { href: `${API}${base}/${id}/rules` },
      },
    })
    expect((await api('GET', `${base}/${id}`)).body).toEqual(created.body)

    // A new policy at priority 1 moves the first one down.
    const first = await api(
      'POST',
      base,
      policyBody('First', { priority: 1, conditions: { clients: { include: [WEB] } } }),
    )
    expect(first.body.priority).toBe(1)
    const list = await api('GET', base)
    expect(list.body.map((p: { name: string; priority: number }) => [p.name, p.priority])).toEqual([
      ['First', 1],
      ['Vendor2 Policy', 2],
    ])

    const updated = await api(
      'PUT',
      `${base}/${id}`,
      policyBody('Renamed', { description: 'changed' }),
    )
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ name: 'Renamed', description: 'changed', priority: 2 })

    expect((await api('POST', `${base}/${id}/lifecycle/deactivate`)).status).toBe(204)
    const inactive = (await api('GET', `${base}/${id}`)).body
    expect(inactive.status).toBe('INACTIVE')
    expect(inactive._links.activate).toBeDefined()
    expect((await api('POST', `${base}/${id}/lifecycle/activate`)).status).toBe(204)
    expect((await api('GET', `${base}/${id}`)).body.status).toBe('ACTIVE')
    expectOktaError(await api('POST', `${base}/${id}/lifecycle/explode`), 404, 'E0000007')

    expect((await api('DELETE', `${base}/${id}`)).status).toBe(204)
    expectOktaError(await api('GET', `${base}/${id}`), 404, 'E0000007')
  })

  it('validates policies', async () => {
    const base = '/authorizationServers/default/policies'
    const cases: [unknown, string][] = [
      [{ description: 'x' }, 'name'],
      [policyBody('x'.repeat(101)), 'name'],
      [policyBody('Empty description', { description: '' }), 'description'],
      [policyBody('Long description', { description: 'd'.repeat(256) }), 'description'],
      [policyBody('Numeric description', { description: 1 }), 'description'],
      [policyBody('Bad type', { type: 'OKTA_SIGN_ON' }), 'type'],
      [policyBody('Bad priority', { priority: 0 }), 'priority'],
      [policyBody('Bad status', { status: 'ON' }), 'status'],
      [
        policyBody('Unknown client', { conditions: { clients: { include: ['0oanosuch'] } } }),
        'conditions.clients',
      ],
    ]
    for (const [body, field] of cases) {
      const answer = await api('POST', base, body)
      expectOktaError(answer, 400, 'E0000001')
      expect(answer.body.errorSummary).toBe(`Api validation failed: ${field}`)
    }
    // Today's API: a policy needs no description (answered without one).
    const bare = await api('POST', base, { name: 'No description' })
    expect(bare.status).toBe(201)
    expect(bare.body).not.toHaveProperty('description')
    expect(
      (await api('POST', base, policyBody('x'.repeat(100), { description: 'd'.repeat(255) })))
        .status,
    ).toBe(201)
    expectOktaError(
      await api('POST', '/authorizationServers/nosuch/policies', policyBody('x')),
      404,
      'E0000007',
    )
  })

  it('create, get, list, update, lifecycle and delete a rule', async () => {
    const { id: as } = (await createServer()).body
    const policy = (await api('POST', `/authorizationServers/${as}/policies`, policyBody('P'))).body
    const base = `/authorizationServers/${as}/policies/${policy.id}/rules`
    const created = await api('POST', base, ruleBody('Default rule'))
    expect(created.status).toBe(201)
    const id = created.body.id
    expect(id).toMatch(/^0pr[A-Za-z0-9]{17}$/)
    expect(created.body).toMatchObject({
      type: 'RESOURCE_ACCESS',
      status: 'ACTIVE',
      name: 'Default rule',
      priority: 1,
      system: false,
      conditions: {
        people: {
          users: { include: [], exclude: [] },
          groups: { include: ['EVERYONE'], exclude: [] },
        },
        grantTypes: { include: ['client_credentials'] },
        scopes: { include: ['*'] },
      },
      // Today's API: the lifetimes and the inline hook in actions.token, nowhere else.
      actions: {
        token: {
          accessTokenLifetimeMinutes: 60,
          refreshTokenLifetimeMinutes: 0,
          refreshTokenWindowMinutes: 10_080,
          inlineHook: { id: 'cal4egvp1mbMldrYN0g7' },
        },
      },
      _links: { self: { href: `${API}${base}/${id}` }, deactivate: expect.any(Object) },
    })
    expect(created.body).not.toHaveProperty('token')
    expect((await api('GET', `${base}/${id}`)).body).toEqual(created.body)
    // The older pages' top-level `token` is not in today's model: ignored, as
    // Okta ignores fields it does not know (the defaults apply).
    const second = await api('POST', base, {
      name: 'Second',
      conditions: { grantTypes: { include: ['authorization_code'] } },
      token: {
        accessTokenLifetimeMinutes: 5,
        refreshTokenLifetimeMinutes: 5,
        refreshTokenWindowMinutes: 10,
      },
    })
    expect(second.status).toBe(201)
    expect(second.body.priority).toBe(2)
    expect(second.body).not.toHaveProperty('token')
    // null actions are absent too: the defaults.
    const third = await api('POST', base, { ...ruleBody('Third'), actions: null })
    expect(third.body.actions.token.accessTokenLifetimeMinutes).toBe(60)
    await api('DELETE', `${base}/${third.body.id}`)
    expect(second.body.actions).toEqual({
      token: {
        accessTokenLifetimeMinutes: 60,
        refreshTokenLifetimeMinutes: 0,
        refreshTokenWindowMinutes: 10_080,
      },
    })
    expect((await api('GET', base)).body.map((r: { name: string }) => r.name)).toEqual([
      'Default rule',
      'Second',
    ])

    // An update without the hook drops it (PUT replaces the rule).
    const updated = await api(
      'PUT',
      `${base}/${id}`,
      ruleBody('Updated', { priority: 2, actions: { token: { accessTokenLifetimeMinutes: 30 } } }),
    )
    expect(updated.body).toMatchObject({ name: 'Updated', priority: 2 })
    expect(updated.body.actions.token).toEqual({
      accessTokenLifetimeMinutes: 30,
      refreshTokenLifetimeMinutes: 0,
      refreshTokenWindowMinutes: 10_080,
    })
    expect((await api('GET', base)).body.map((r: { name: string }) => r.name)).toEqual([
      'Second',
      'Updated',
    ])

    expect((await api('POST', `${base}/${id}/lifecycle/deactivate`)).status).toBe(204)
    expect((await api('GET', `${base}/${id}`)).body.status).toBe('INACTIVE')
    expect((await api('POST', `${base}/${id}/lifecycle/activate`)).status).toBe(204)
    expect((await api('GET', `${base}/${id}`)).body.status).toBe('ACTIVE')
    expect((await api('DELETE', `${base}/${id}`)).status).toBe(204)
    expectOktaError(await api('GET', `${base}/${id}`), 404, 'E0000007')
    // Deleting the policy deletes its rules.
    await api('DELETE', `/authorizationServers/${as}/policies/${policy.id}`)
    expectOktaError(await api('GET', base), 404, 'E0000007')
  })

  it('refuses token lifetimes out of range and unknown scopes or grant types', async () => {
    const policy = (await api('GET', '/authorizationServers/default/policies')).body[0]
    const base = `/authorizationServers/default/policies/${policy.id}/rules`
    const withToken = (token: Record<string, unknown>) =>
      ruleBody('Lifetimes', { actions: { token } })
    const cases: [unknown, string][] = [
      [withToken({ accessTokenLifetimeMinutes: 4 }), 'accessTokenLifetimeMinutes'],
      [withToken({ accessTokenLifetimeMinutes: 1_441 }), 'accessTokenLifetimeMinutes'],
      [withToken({ accessTokenLifetimeMinutes: 60.5 }), 'accessTokenLifetimeMinutes'],
      [withToken({ refreshTokenWindowMinutes: 9 }), 'refreshTokenWindowMinutes'],
      [withToken({ refreshTokenWindowMinutes: 2_628_001 }), 'refreshTokenWindowMinutes'],
      [
        withToken({ accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 30 }),
        'refreshTokenLifetimeMinutes',
      ],
      [ruleBody('x', { name: '' }), 'name'],
      [withToken({ inlineHook: { name: 'hook' } }), 'actions.token.inlineHook.id'],
      [withToken({ inlineHook: 'cal1' }), 'actions.token.inlineHook.id'],
      [ruleBody('Actions', { actions: [] }), 'actions'],
      [
        ruleBody('Scope', {
          conditions: { scopes: { include: [{ name: 'nosuch:scope', access: 'ALLOW' }] } },
        }),
        'conditions.scopes.include',
      ],
      [
        ruleBody('Grant', { conditions: { grantTypes: { include: ['magic'] } } }),
        'conditions.grantTypes.include',
      ],
    ]
    for (const [body, field] of cases) {
      const answer = await api('POST', base, body)
      expectOktaError(answer, 400, 'E0000001')
      expect(answer.body.errorSummary).toBe(`Api validation failed: ${field}`)
    }
    // The limits themselves are allowed.
    for (const token of [
      { accessTokenLifetimeMinutes: 5, refreshTokenWindowMinutes: 10 },
      { accessTokenLifetimeMinutes: 1_440, refreshTokenWindowMinutes: 129_600 },
      // Today's limit: five years.
      { accessTokenLifetimeMinutes: 1_440, refreshTokenWindowMinutes: 2_628_000 },
    ]) {
      const answer = await api('POST', base, withToken(token))
      expect(answer.status).toBe(201)
      expect(answer.body.actions.token).toMatchObject(token)
    }
    // Today's grant types: CIBA, Okta's OTP and OOB, Auth0's MFA OTP and OOB.
    const grantTypes = [
      'urn:openid:params:grant-type:ciba',
      'urn:okta:params:oauth:grant-type:otp',
      'urn:okta:params:oauth:grant-type:oob',
      'http://auth0.com/oauth/grant-type/mfa-otp',
      'http://auth0.com/oauth/grant-type/mfa-oob',
    ]
    const grants = await api(
      'POST',
      base,
      ruleBody('New grants', { conditions: { grantTypes: { include: grantTypes } } }),
    )
    expect(grants.status).toBe(201)
    expect(grants.body.conditions.grantTypes.include).toEqual(grantTypes)
    const scoped = await api(
      'POST',
      base,
      ruleBody('Scoped', {
        conditions: { scopes: { include: [{ name: 'orders:read', access: 'ALLOW' }] } },
      }),
    )
    expect(scoped.status).toBe(201)
    expect(org.requestCount('api')).toBeGreaterThan(0)
  })
})
