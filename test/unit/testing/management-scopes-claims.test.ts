import { beforeEach, describe, expect, it } from 'vitest'
import { discover } from '../../../src/index.js'
import type { OktaOrg } from '../../../src/testing/index.js'
import { clientOf, jwt, sharedOrg, USER, WEB, WEB_SECRET } from './helpers.js'
import {
  API,
  allowAll,
  api,
  createServer,
  expectOktaError,
  nextLink,
  OPTIONS,
  serverToken,
} from './management-helpers.js'

describe('scopes', () => {
  const shared = sharedOrg(() => OPTIONS)
  let org: OktaOrg
  beforeEach(() => {
    org = shared()
  })

  it('lists system and custom scopes of the default server', async () => {
    const answer = await api('GET', '/authorizationServers/default/scopes')
    const byName = Object.fromEntries(answer.body.map((s: { name: string }) => [s.name, s]))
    expect(byName.openid).toMatchObject({ system: true, metadataPublish: 'ALL_CLIENTS' })
    expect(byName['orders:read']).toMatchObject({
      id: expect.stringMatching(/^scp[A-Za-z0-9]{17}$/),
      system: false,
      default: false,
      _links: {
        self: { href: expect.stringContaining('/authorizationServers/default/scopes/scp') },
      },
    })
  })

  it('a created scope can be requested at once; renamed or deleted, it cannot', async () => {
    const { id, issuer } = (await createServer()).body
    await allowAll(id)
    const created = await api('POST', `/authorizationServers/${id}/scopes`, {
      name: 'car:drive',
      description: 'Drive car',
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: 'car:drive',
      description: 'Drive car',
      system: false,
      default: false,
      consent: 'IMPLICIT',
      metadataPublish: 'NO_CLIENTS',
      optional: false,
    })
    expect(
      (await api('GET', `/authorizationServers/${id}/scopes/${created.body.id}`)).body,
    ).toEqual(created.body)
    // NO_CLIENTS (the default): requestable, but not listed in discovery.
    expect((await discover(issuer)).scopes_supported).not.toContain('car:drive')
    const token = await serverToken(issuer, 'car:drive')
    expect(jwt(token.body.access_token!).claims.scp).toEqual(['car:drive'])

    const renamed = await api('PUT', `/authorizationServers/${id}/scopes/${created.body.id}`, {
      name: 'car:order',
      description: 'Order car',
    })
    expect(renamed.body).toMatchObject({ id: created.body.id, name: 'car:order' })
    expect((await serverToken(issuer, 'car:drive')).body.error).toBe('invalid_scope')
    expect((await serverToken(issuer, 'car:order')).status).toBe(200)

    expect(
      (await api('DELETE', `/authorizationServers/${id}/scopes/${created.body.id}`)).status,
    ).toBe(204)
    expect((await serverToken(issuer, 'car:order')).body.error).toBe('invalid_scope')
    expectOktaError(
      await api('GET', `/authorizationServers/${id}/scopes/${created.body.id}`),
      404,
      'E0000007',
    )
  })

  it("keeps optional (today's API: the user may skip consent), answers and filters by it", async () => {
    const { id } = (await createServer()).body
    const base = `/authorizationServers/${id}/scopes`
    const created = await api('POST', base, {
      name: 'car:optional',
      consent: 'REQUIRED',
      optional: true,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ consent: 'REQUIRED', optional: true })
    expect((await api('GET', `${base}/${created.body.id}`)).body.optional).toBe(true)
    const filtered = await api('GET', `${base}?filter=${encodeURIComponent('optional eq true')}`)
    expect(filtered.body.map((s: { name: string }) => s.name)).toEqual(['car:optional'])
    // PUT replaces the scope: without optional, it is false again.
    const updated = await api('PUT', `${base}/${created.body.id}`, { name: 'car:optional' })
    expect(updated.body.optional).toBe(false)
  })

  it('keeps names unique per server and refuses invalid scopes', async () => {
    const { id } = (await createServer()).body
    const base = `/authorizationServers/${id}/scopes`
    expect((await api('POST', base, { name: 'dup:scope' })).status).toBe(201)
    for (const body of [
      { name: 'dup:scope' },
      { name: 'openid' },
      { name: '' },
      { name: 'has space' },
      { name: 'okta.users.read' },
      { name: 'x:y', consent: 'SOMETIMES' },
      { name: 'x:y', metadataPublish: 'EVERYONE' },
      { name: 'x:y', default: 'yes' },
      { name: 'x:y', optional: 'yes' },
    ]) {
      const answer = await api('POST', base, body)
      expectOktaError(answer, 400, 'E0000001')
      expect(answer.body.errorCauses.length).toBeGreaterThan(0)
    }
    // The same name on another server is fine.
    expect(
      (await api('POST', '/authorizationServers/default/scopes', { name: 'dup:scope' })).status,
    ).toBe(201)
    // System scopes cannot be changed or deleted.
    const openid = (await api('GET', `${base}?q=openid`)).body[0]
    expectOktaError(await api('PUT', `${base}/${openid.id}`, { name: 'openid2' }), 400, 'E0000001')
    expectOktaError(await api('DELETE', `${base}/${openid.id}`), 400, 'E0000001')
    expect(org.servers.get(org.issuer(id))!.scopes.has('openid')).toBe(true)
  })

  it('lists with q, filter, limit and after', async () => {
    const { id } = (await createServer()).body
    const base = `/authorizationServers/${id}/scopes`
    for (const name of ['car:drive', 'car:order', 'car:park', 'bike:ride']) {
      await api('POST', base, { name, ...(name === 'car:park' && { default: true }) })
    }
    const names = async (query: string) =>
      (await api('GET', `${base}?${query}`)).body.map((s: { name: string }) => s.name)
    expect(await names('q=car')).toEqual(['car:drive', 'car:order', 'car:park'])
    expect(await names('q=CAR:D')).toEqual(['car:drive'])
    expect(await names(`filter=${encodeURIComponent('system eq false')}`)).toEqual([
      'car:drive',
      'car:order',
      'car:park',
      'bike:ride',
    ])
    expect(
      await names(`filter=${encodeURIComponent('system eq false and default eq true')}`),
    ).toEqual(['car:park'])
    expect(
      await names(`filter=${encodeURIComponent('name eq "bike:ride" or name sw "car:o"')}`),
    ).toEqual(['car:order', 'bike:ride'])
    expectOktaError(
      await api('GET', `${base}?filter=${encodeURIComponent('system eq')}`),
      400,
      'E0000001',
    )
    expectOktaError(
      await api('GET', `${base}?filter=${encodeURIComponent('password eq "x"')}`),
      400,
      'E0000001',
    )

    // Pages of two across the custom scopes.
    const seen: string[] = []
    let url: string | undefined =
      `${API}${base}?filter=${encodeURIComponent('system eq false')}&limit=2`
    while (url) {
      const answer = await api('GET', url)
      seen.push(...answer.body.map((s: { name: string }) => s.name))
      url = nextLink(answer.headers)
      if (url) expect(new URL(url).searchParams.get('filter')).toBe('system eq false')
    }
    expect(seen).toEqual(['car:drive', 'car:order', 'car:park', 'bike:ride'])
  })
})

describe('claims', () => {
  const shared = sharedOrg(() => OPTIONS)
  let org: OktaOrg
  beforeEach(() => {
    org = shared()
  })

  async function serverWithScope(scope: string): Promise<{ id: string; issuer: string }> {
    const { id, issuer } = (await createServer()).body
    await allowAll(id)
    expect((await api('POST', `/authorizationServers/${id}/scopes`, { name: scope })).status).toBe(
      201,
    )
    return { id, issuer }
  }

  it('create, get, list, update and delete; RESOURCE literal claims go into access tokens', async () => {
    const { id, issuer } = await serverWithScope('car:drive')
    await api('POST', `/authorizationServers/${id}/scopes`, { name: 'car:park' })
    const base = `/authorizationServers/${id}/claims`
    const created = await api('POST', base, {
      name: 'carDriving',
      status: 'ACTIVE',
      claimType: 'RESOURCE',
      valueType: 'EXPRESSION',
      value: '"driving!"',
      conditions: { scopes: ['car:drive'] },
    })
    expect(created.status).toBe(201)
    const claimId = created.body.id
    expect(claimId).toMatch(/^ocl[A-Za-z0-9]{17}$/)
    expect(created.body).toMatchObject({
      name: 'carDriving',
      status: 'ACTIVE',
      claimType: 'RESOURCE',
      valueType: 'EXPRESSION',
      value: '"driving!"',
      alwaysIncludeInToken: true,
      conditions: { scopes: ['car:drive'] },
      system: false,
      _links: { self: { href: `${API}${base}/${claimId}` } },
    })
    expect((await api('GET', `${base}/${claimId}`)).body).toEqual(created.body)
    expect((await api('GET', base)).body).toEqual([created.body])

    const driving = await serverToken(issuer, 'car:drive')
    expect(jwt(driving.body.access_token!).claims.carDriving).toBe('driving!')
    const parking = await serverToken(issuer, 'car:park')
    expect(jwt(parking.body.access_token!).claims.carDriving).toBeUndefined()

    // The reference's update example sends booleans as strings.
    const updated = await api('PUT', `${base}/${claimId}`, {
      name: 'carDriving',
      status: 'ACTIVE',
      claimType: 'RESOURCE',
      valueType: 'EXPRESSION',
      value: 'app.clientId',
      alwaysIncludeInToken: 'true',
      conditions: { scopes: [] },
    })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ value: 'app.clientId', conditions: { scopes: [] } })
    expect(jwt((await serverToken(issuer, 'car:park')).body.access_token!).claims.carDriving).toBe(
      WEB,
    )

    await api('PUT', `${base}/${claimId}`, { ...updated.body, status: 'INACTIVE' })
    expect(
      jwt((await serverToken(issuer, 'car:park')).body.access_token!).claims.carDriving,
    ).toBeUndefined()

    expect((await api('DELETE', `${base}/${claimId}`)).status).toBe(204)
    expectOktaError(await api('GET', `${base}/${claimId}`), 404, 'E0000007')
  })

  it('IDENTITY and GROUPS claims go into ID tokens', async () => {
    const base = '/authorizationServers/default/claims'
    // Today's API names the filter group_filter_type, and answers with that name.
    const groups = await api('POST', base, {
      name: 'memberOf',
      claimType: 'IDENTITY',
      valueType: 'GROUPS',
      group_filter_type: 'STARTS_WITH',
      value: 'every',
    })
    expect(groups.status).toBe(201)
    expect(groups.body.group_filter_type).toBe('STARTS_WITH')
    expect(groups.body).not.toHaveProperty('groupFilterType')
    expect((await api('GET', `${base}/${groups.body.id}`)).body.group_filter_type).toBe(
      'STARTS_WITH',
    )
    // The older name is still read on input (answered under today's name).
    const older = await api('POST', base, {
      name: 'olderGroups',
      claimType: 'IDENTITY',
      valueType: 'GROUPS',
      groupFilterType: 'EQUALS',
      value: 'Everyone',
    })
    expect(older.status).toBe(201)
    expect(older.body.group_filter_type).toBe('EQUALS')
    await api('POST', base, {
      name: 'department',
      claimType: 'IDENTITY',
      valueType: 'EXPRESSION',
      value: "'Engineering'",
      conditions: { scopes: ['profile'] },
    })
    const web = await clientOf(org, {
      clientId: WEB,
      auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
    })
    const tokens = await web.password({ ...USER, scope: 'openid profile' })
    expect(jwt(tokens.idToken!).claims).toMatchObject({
      memberOf: ['Everyone'],
      olderGroups: ['Everyone'],
      department: 'Engineering',
    })
    expect(jwt(tokens.accessToken!).claims.memberOf).toBeUndefined()
    const plain = await web.password({ ...USER, scope: 'openid' })
    expect(jwt(plain.idToken!).claims.department).toBeUndefined()
    for (const claim of (await api('GET', base)).body) await api('DELETE', `${base}/${claim.id}`)
  })

  it('validates claims', async () => {
    const { id } = await serverWithScope('car:drive')
    const base = `/authorizationServers/${id}/claims`
    const claim = (extra: Record<string, unknown>) => ({
      name: 'c',
      claimType: 'RESOURCE',
      valueType: 'EXPRESSION',
      value: '"x"',
      ...extra,
    })
    const cases: [unknown, string][] = [
      [claim({ name: '' }), 'name'],
      [claim({ name: 'sub' }), 'name'],
      [claim({ claimType: 'BOTH' }), 'claimType'],
      [claim({ valueType: 'SYSTEM' }), 'valueType'],
      [claim({ value: undefined }), 'value'],
      [claim({ valueType: 'GROUPS', value: 'g' }), 'group_filter_type'],
      [claim({ group_filter_type: 'EQUALS' }), 'group_filter_type'],
      [claim({ groupFilterType: 'EQUALS' }), 'group_filter_type'],
      [claim({ valueType: 'GROUPS', group_filter_type: 'LIKE' }), 'group_filter_type'],
      [
        claim({ valueType: 'GROUPS', group_filter_type: 'EQUALS', groupFilterType: 'REGEX' }),
        'group_filter_type',
      ],
      [claim({ valueType: 'GROUPS', group_filter_type: 'REGEX', value: '(' }), 'value'],
      [claim({ valueType: 'GROUPS', groupFilterType: 'REGEX', value: '(' }), 'value'],
      [claim({ alwaysIncludeInToken: false }), 'alwaysIncludeInToken'],
      [claim({ conditions: { scopes: ['nosuch:scope'] } }), 'conditions.scopes'],
      [claim({ status: 'ON' }), 'status'],
    ]
    for (const [body, field] of cases) {
      const answer = await api('POST', base, body)
      expectOktaError(answer, 400, 'E0000001')
      expect(answer.body.errorSummary).toBe(`Api validation failed: ${field}`)
    }
    expect((await api('POST', base, claim({}))).status).toBe(201)
    // Unique per name and claim type.
    expectOktaError(await api('POST', base, claim({})), 400, 'E0000001')
    expect((await api('POST', base, claim({ claimType: 'IDENTITY' }))).status).toBe(201)
  })
})
