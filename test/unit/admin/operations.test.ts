import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  type AdminClient,
  InvalidOptionError,
  InvalidResponseError,
} from '../../../src/admin/index.js'
import { server } from '../msw.js'
import {
  APP_ID,
  AUTHORIZATION_SERVER,
  AUTHORIZATION_SERVER_API,
  CLAIM,
  CLAIM_ID,
  CLAIMS,
  CREATE_CLAIM_BODY,
  CREATE_POLICY_BODY,
  CREATE_SCOPE_BODY,
  CREATE_SERVER_BODY,
  GRANT,
  GRANT_BODY,
  GRANT_ID,
  GROUPS_CLAIM_BODY,
  KEYS_RESPONSE,
  POLICY,
  POLICY_ID,
  REFERENCE_RULE,
  REFERENCE_RULE_READ,
  ROTATED_KEYS_RESPONSE,
  RULE,
  RULE_BODY,
  RULE_ID,
  SCOPE,
  SCOPE_ID,
  SERVER_ID,
  UPDATE_CLAIM_BODY,
  UPDATE_POLICY_BODY,
  UPDATE_SCOPE_BODY,
  UPDATE_SERVER_BODY,
} from './fixtures.js'
import { API, apiCalls, jsonOf, record, rejectionOf, SSWS_TOKEN, sswsClient } from './helpers.js'

/** One operation: how to call it, what must be sent, what the server answers. */
interface Case {
  name: string
  call: (admin: AdminClient) => Promise<unknown>
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The path after `/api/v1`, as sent (encoded). */
  path: string
  query?: Record<string, string>
  /** The JSON body that must be sent; absent: no body. */
  body?: unknown
  /** The JSON the server answers; absent: 204 No Content. */
  response?: unknown
  /** What the call resolves to. Default: `response` (undefined for 204). */
  result?: unknown
}

const AS = `/authorizationServers/${SERVER_ID}`
const POL = `${AS}/policies/${POLICY_ID}`
const RULES = `${POL}/rules`

const CASES: Record<string, Case[]> = {
  authorizationServers: [
    {
      name: 'list, with q, limit and after',
      call: (a) => a.authorizationServers.list({ q: 'Sample', limit: 20, after: 'aus0' }).all(),
      method: 'GET',
      path: '/authorizationServers',
      query: { q: 'Sample', limit: '20', after: 'aus0' },
      response: [AUTHORIZATION_SERVER_API, AUTHORIZATION_SERVER],
    },
    {
      name: 'list, without parameters',
      call: (a) => a.authorizationServers.list().all(),
      method: 'GET',
      path: '/authorizationServers',
      query: {},
      response: [AUTHORIZATION_SERVER_API],
    },
    {
      name: 'get',
      call: (a) => a.authorizationServers.get(SERVER_ID),
      method: 'GET',
      path: AS,
      response: AUTHORIZATION_SERVER,
    },
    {
      name: 'create (the reference body)',
      call: (a) => a.authorizationServers.create(CREATE_SERVER_BODY),
      method: 'POST',
      path: '/authorizationServers',
      body: CREATE_SERVER_BODY,
      response: AUTHORIZATION_SERVER_API,
    },
    {
      name: 'update (the reference body)',
      call: (a) => a.authorizationServers.update('aus1rqsshhhRoat780g7', UPDATE_SERVER_BODY),
      method: 'PUT',
      path: '/authorizationServers/aus1rqsshhhRoat780g7',
      body: UPDATE_SERVER_BODY,
      response: { ...AUTHORIZATION_SERVER_API, ...UPDATE_SERVER_BODY, id: 'aus1rqsshhhRoat780g7' },
    },
    {
      name: 'delete',
      call: (a) => a.authorizationServers.delete('aus1rqsshhhRoat780g7'),
      method: 'DELETE',
      path: '/authorizationServers/aus1rqsshhhRoat780g7',
    },
    {
      name: 'activate',
      call: (a) => a.authorizationServers.activate('aus1sb3dl8L5WoTOO0g7'),
      method: 'POST',
      path: '/authorizationServers/aus1sb3dl8L5WoTOO0g7/lifecycle/activate',
    },
    {
      name: 'deactivate',
      call: (a) => a.authorizationServers.deactivate('aus1sb3dl8L5WoTOO0g7'),
      method: 'POST',
      path: '/authorizationServers/aus1sb3dl8L5WoTOO0g7/lifecycle/deactivate',
    },
  ],
  policies: [
    {
      name: 'list',
      call: (a) => a.policies.list(SERVER_ID).all(),
      method: 'GET',
      path: `${AS}/policies`,
      response: [POLICY],
    },
    {
      name: 'get',
      call: (a) => a.policies.get(SERVER_ID, POLICY_ID),
      method: 'GET',
      path: POL,
      response: POLICY,
    },
    {
      name: 'create (the reference body)',
      call: (a) => a.policies.create(SERVER_ID, CREATE_POLICY_BODY),
      method: 'POST',
      path: `${AS}/policies`,
      body: CREATE_POLICY_BODY,
      response: POLICY,
    },
    {
      name: 'update (the reference body, with id and system)',
      call: (a) => a.policies.update(SERVER_ID, POLICY_ID, UPDATE_POLICY_BODY),
      method: 'PUT',
      path: POL,
      body: UPDATE_POLICY_BODY,
      response: POLICY,
    },
    {
      name: 'delete',
      call: (a) => a.policies.delete(SERVER_ID, POLICY_ID),
      method: 'DELETE',
      path: POL,
    },
    {
      name: 'activate',
      call: (a) => a.policies.activate(SERVER_ID, POLICY_ID),
      method: 'POST',
      path: `${POL}/lifecycle/activate`,
    },
    {
      name: 'deactivate',
      call: (a) => a.policies.deactivate(SERVER_ID, POLICY_ID),
      method: 'POST',
      path: `${POL}/lifecycle/deactivate`,
    },
  ],
  policyRules: [
    {
      name: 'list',
      call: (a) => a.policyRules.list(SERVER_ID, POLICY_ID).all(),
      method: 'GET',
      path: RULES,
      response: [RULE],
    },
    {
      name: 'get',
      call: (a) => a.policyRules.get(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'GET',
      path: `${RULES}/${RULE_ID}`,
      response: RULE,
    },
    {
      name: 'create (the reference rule)',
      call: (a) => a.policyRules.create(SERVER_ID, POLICY_ID, RULE_BODY),
      method: 'POST',
      path: RULES,
      body: RULE_BODY,
      response: RULE,
    },
    {
      name: 'get: an older response (top-level token, scope objects) gets actions.token',
      call: (a) => a.policyRules.get(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'GET',
      path: `${RULES}/${RULE_ID}`,
      response: REFERENCE_RULE,
      result: REFERENCE_RULE_READ,
    },
    {
      name: 'update (lifetimes in actions.token, the type the API requires is sent)',
      call: (a) =>
        a.policyRules.update(SERVER_ID, POLICY_ID, RULE_ID, {
          name: 'Default rule',
          conditions: {
            grantTypes: { include: ['client_credentials', 'urn:openid:params:grant-type:ciba'] },
            scopes: { include: ['*'] },
          },
          actions: { token: { accessTokenLifetimeMinutes: 5, refreshTokenWindowMinutes: 10 } },
        }),
      method: 'PUT',
      path: `${RULES}/${RULE_ID}`,
      body: {
        name: 'Default rule',
        conditions: {
          grantTypes: { include: ['client_credentials', 'urn:openid:params:grant-type:ciba'] },
          scopes: { include: ['*'] },
        },
        actions: { token: { accessTokenLifetimeMinutes: 5, refreshTokenWindowMinutes: 10 } },
        type: 'RESOURCE_ACCESS',
      },
      response: RULE,
    },
    {
      name: 'update with the deprecated top-level token: sent in actions.token',
      call: (a) =>
        a.policyRules.update(SERVER_ID, POLICY_ID, RULE_ID, {
          type: 'RESOURCE_ACCESS',
          name: 'Default rule',
          conditions: { scopes: { include: ['*'] } },
          token: { accessTokenLifetimeMinutes: 30 },
        }),
      method: 'PUT',
      path: `${RULES}/${RULE_ID}`,
      body: {
        type: 'RESOURCE_ACCESS',
        name: 'Default rule',
        conditions: { scopes: { include: ['*'] } },
        actions: { token: { accessTokenLifetimeMinutes: 30 } },
      },
      response: RULE,
    },
    {
      name: 'delete',
      call: (a) => a.policyRules.delete(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'DELETE',
      path: `${RULES}/${RULE_ID}`,
    },
    {
      name: 'activate',
      call: (a) => a.policyRules.activate(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'POST',
      path: `${RULES}/${RULE_ID}/lifecycle/activate`,
    },
    {
      name: 'deactivate',
      call: (a) => a.policyRules.deactivate(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'POST',
      path: `${RULES}/${RULE_ID}/lifecycle/deactivate`,
    },
  ],
  scopes: [
    {
      name: 'list, with q, filter, after and limit',
      call: (a) =>
        a.scopes
          .list(SERVER_ID, { q: 'car', filter: 'system eq false', after: 'scp0', limit: 50 })
          .all(),
      method: 'GET',
      path: `${AS}/scopes`,
      query: { q: 'car', filter: 'system eq false', after: 'scp0', limit: '50' },
      response: [SCOPE],
    },
    {
      name: 'list, without parameters',
      call: (a) => a.scopes.list(SERVER_ID).all(),
      method: 'GET',
      path: `${AS}/scopes`,
      query: {},
      response: [SCOPE],
    },
    {
      name: 'get',
      call: (a) => a.scopes.get(SERVER_ID, SCOPE_ID),
      method: 'GET',
      path: `${AS}/scopes/${SCOPE_ID}`,
      response: SCOPE,
    },
    {
      name: 'create (the reference body)',
      call: (a) => a.scopes.create(SERVER_ID, CREATE_SCOPE_BODY),
      method: 'POST',
      path: `${AS}/scopes`,
      body: CREATE_SCOPE_BODY,
      response: SCOPE,
    },
    {
      name: 'update (the reference body)',
      call: (a) => a.scopes.update(SERVER_ID, SCOPE_ID, UPDATE_SCOPE_BODY),
      method: 'PUT',
      path: `${AS}/scopes/${SCOPE_ID}`,
      body: UPDATE_SCOPE_BODY,
      response: { ...SCOPE, ...UPDATE_SCOPE_BODY },
    },
    {
      name: 'delete',
      call: (a) => a.scopes.delete(SERVER_ID, SCOPE_ID),
      method: 'DELETE',
      path: `${AS}/scopes/${SCOPE_ID}`,
    },
  ],
  claims: [
    {
      name: 'list (the reference claims, alwaysIncludeInToken "TRUE")',
      call: (a) => a.claims.list(SERVER_ID).all(),
      method: 'GET',
      path: `${AS}/claims`,
      response: CLAIMS,
    },
    {
      name: 'get',
      call: (a) => a.claims.get(SERVER_ID, CLAIM_ID),
      method: 'GET',
      path: `${AS}/claims/${CLAIM_ID}`,
      response: CLAIMS[0],
    },
    {
      name: 'create (the reference body)',
      call: (a) => a.claims.create(SERVER_ID, CREATE_CLAIM_BODY),
      method: 'POST',
      path: `${AS}/claims`,
      body: CREATE_CLAIM_BODY,
      response: CLAIM,
    },
    {
      name: 'update (the reference body, typed)',
      call: (a) => a.claims.update(SERVER_ID, CLAIM_ID, UPDATE_CLAIM_BODY),
      method: 'PUT',
      path: `${AS}/claims/${CLAIM_ID}`,
      body: UPDATE_CLAIM_BODY,
      response: { ...CLAIM, alwaysIncludeInToken: true },
    },
    {
      name: 'create a GROUPS claim: group_filter_type sent, read under both names',
      call: (a) => a.claims.create(SERVER_ID, GROUPS_CLAIM_BODY),
      method: 'POST',
      path: `${AS}/claims`,
      body: GROUPS_CLAIM_BODY,
      response: { ...GROUPS_CLAIM_BODY, id: CLAIM_ID, system: false },
      result: {
        ...GROUPS_CLAIM_BODY,
        id: CLAIM_ID,
        system: false,
        groupFilterType: 'CONTAINS',
      },
    },
    {
      name: 'update with the deprecated groupFilterType: sent as group_filter_type',
      call: (a) =>
        a.claims.update(SERVER_ID, CLAIM_ID, {
          name: 'Support',
          claimType: 'IDENTITY',
          valueType: 'GROUPS',
          value: 'Support',
          groupFilterType: 'STARTS_WITH',
        }),
      method: 'PUT',
      path: `${AS}/claims/${CLAIM_ID}`,
      body: {
        name: 'Support',
        claimType: 'IDENTITY',
        valueType: 'GROUPS',
        value: 'Support',
        group_filter_type: 'STARTS_WITH',
      },
      // An older answer, with the older name: read under both.
      response: {
        id: CLAIM_ID,
        name: 'Support',
        claimType: 'IDENTITY',
        valueType: 'GROUPS',
        value: 'Support',
        groupFilterType: 'STARTS_WITH',
      },
      result: {
        id: CLAIM_ID,
        name: 'Support',
        claimType: 'IDENTITY',
        valueType: 'GROUPS',
        value: 'Support',
        groupFilterType: 'STARTS_WITH',
        group_filter_type: 'STARTS_WITH',
      },
    },
    {
      name: 'delete',
      call: (a) => a.claims.delete(SERVER_ID, CLAIM_ID),
      method: 'DELETE',
      path: `${AS}/claims/${CLAIM_ID}`,
    },
  ],
  keys: [
    {
      name: 'list: the reference { keys: [...] }',
      call: (a) => a.keys.list(SERVER_ID),
      method: 'GET',
      path: `${AS}/credentials/keys`,
      response: KEYS_RESPONSE,
      result: KEYS_RESPONSE.keys,
    },
    {
      name: 'list: a bare array',
      call: (a) => a.keys.list(SERVER_ID),
      method: 'GET',
      path: `${AS}/credentials/keys`,
      response: KEYS_RESPONSE.keys,
      result: KEYS_RESPONSE.keys,
    },
    {
      name: 'rotate: the default body { use: "sig" }',
      call: (a) => a.keys.rotate(SERVER_ID),
      method: 'POST',
      path: `${AS}/credentials/lifecycle/keyRotate`,
      body: { use: 'sig' },
      response: ROTATED_KEYS_RESPONSE,
      result: ROTATED_KEYS_RESPONSE.keys,
    },
    {
      name: 'rotate: an explicit body, bare array answer',
      call: (a) => a.keys.rotate(SERVER_ID, { use: 'sig' }),
      method: 'POST',
      path: `${AS}/credentials/lifecycle/keyRotate`,
      body: { use: 'sig' },
      response: ROTATED_KEYS_RESPONSE.keys,
      result: ROTATED_KEYS_RESPONSE.keys,
    },
  ],
  appGrants: [
    {
      name: 'grant (the guide body)',
      call: (a) => a.appGrants.grant(APP_ID, GRANT_BODY),
      method: 'POST',
      path: `/apps/${APP_ID}/grants`,
      body: GRANT_BODY,
      response: GRANT,
    },
    {
      name: 'list',
      call: (a) => a.appGrants.list(APP_ID).all(),
      method: 'GET',
      path: `/apps/${APP_ID}/grants`,
      response: [GRANT],
    },
    {
      name: 'get',
      call: (a) => a.appGrants.get(APP_ID, GRANT_ID),
      method: 'GET',
      path: `/apps/${APP_ID}/grants/${GRANT_ID}`,
      response: GRANT,
    },
    {
      name: 'revoke',
      call: (a) => a.appGrants.revoke(APP_ID, GRANT_ID),
      method: 'DELETE',
      path: `/apps/${APP_ID}/grants/${GRANT_ID}`,
    },
  ],
  'request() escape hatch': [
    {
      name: 'GET a path under /api/v1, no schema: the body as is',
      call: (a) => a.request('GET', '/users/me'),
      method: 'GET',
      path: '/users/me',
      response: { id: '00u1', profile: { login: 'alice@example.com' } },
    },
    {
      name: 'a path given with its /api/v1 prefix, query parameters',
      call: (a) => a.request('GET', '/api/v1/users', { searchParams: { limit: 2, q: 'al' } }),
      method: 'GET',
      path: '/users',
      query: { limit: '2', q: 'al' },
      response: [{ id: '00u1' }],
    },
    {
      name: 'POST with a JSON body and a schema',
      call: (a) =>
        a.request('POST', '/groups', {
          body: { profile: { name: 'admins' } },
          schema: z.object({ id: z.string() }),
        }),
      method: 'POST',
      path: '/groups',
      body: { profile: { name: 'admins' } },
      response: { id: '00g1', extra: 'dropped by z.object' },
      result: { id: '00g1' },
    },
    {
      name: 'PUT',
      call: (a) => a.request('PUT', '/groups/00g1', { body: { profile: { name: 'b' } } }),
      method: 'PUT',
      path: '/groups/00g1',
      body: { profile: { name: 'b' } },
      response: { id: '00g1' },
    },
    {
      name: 'DELETE answered with 204',
      call: (a) => a.request('DELETE', '/groups/00g1'),
      method: 'DELETE',
      path: '/groups/00g1',
    },
  ],
}

for (const [resource, cases] of Object.entries(CASES)) {
  describe(`operations: ${resource}`, () => {
    for (const c of cases) {
      it(`${c.name}: ${c.method} ${c.path}`, async () => {
        const seen = record()
        server.use(
          http.all(`${API}/*`, () =>
            c.response === undefined
              ? new HttpResponse(null, { status: 204 })
              : HttpResponse.json(c.response as object),
          ),
        )
        const result = await c.call(sswsClient())

        const calls = apiCalls(seen)
        expect(calls).toHaveLength(1)
        const [sent] = calls
        expect(sent!.method).toBe(c.method)
        expect(sent!.url.origin + sent!.url.pathname).toBe(`${API}${c.path}`)
        if (c.query) expect(Object.fromEntries(sent!.url.searchParams)).toEqual(c.query)
        expect(sent!.headers.get('authorization')).toBe(`SSWS ${SSWS_TOKEN}`)
        expect(sent!.headers.get('accept')).toBe('application/json')
        if (c.body === undefined) {
          expect(await sent!.text).toBe('')
        } else {
          expect(sent!.headers.get('content-type')).toMatch(/^application\/json/)
          expect(await jsonOf(sent)).toEqual(c.body)
        }
        expect(result).toEqual('result' in c ? c.result : c.response)
      })
    }
  })
}

describe('operations: responses', () => {
  it('keeps fields the model does not name, at every depth', async () => {
    const body = {
      ...AUTHORIZATION_SERVER,
      futureField: { nested: [1, 2] },
      credentials: { signing: { ...AUTHORIZATION_SERVER.credentials.signing, hsm: true } },
    }
    server.use(http.get(`${API}/authorizationServers/${SERVER_ID}`, () => HttpResponse.json(body)))
    const got = await sswsClient().authorizationServers.get(SERVER_ID)
    expect(got).toEqual(body)
    // The reference prints these outside `_links`: kept as they came.
    expect(got.metadata).toEqual(AUTHORIZATION_SERVER.metadata)
    expect(got.futureField).toEqual({ nested: [1, 2] })
    expect(got.credentials?.signing?.hsm).toBe(true)
  })

  it.each([
    ['a field of the wrong type', { id: 1, name: 'n', audiences: ['a'] }],
    ['a missing required field', { id: 'aus1', audiences: ['a'] }],
    ['not an object', 'aus1'],
  ])('refuses a response with %s: InvalidResponseError', async (_, body) => {
    server.use(http.get(`${API}/authorizationServers/aus1`, () => HttpResponse.json(body)))
    const err = await rejectionOf(sswsClient().authorizationServers.get('aus1'))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 200 })
  })

  it('refuses a list answered with an object, and keys without a kid', async () => {
    server.use(
      http.get(`${API}/authorizationServers/aus1/scopes`, () => HttpResponse.json({ items: [] })),
      http.get(`${API}/authorizationServers/aus1/credentials/keys`, () =>
        HttpResponse.json({ keys: [{ status: 'ACTIVE' }] }),
      ),
    )
    const admin = sswsClient()
    expect(await rejectionOf(admin.scopes.list('aus1').all())).toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
    })
    expect(await rejectionOf(admin.keys.list('aus1'))).toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
    })
  })

  it('refuses a 200 whose body is not JSON, or empty where a model is expected', async () => {
    let n = 0
    server.use(
      http.get(`${API}/authorizationServers/aus1`, () =>
        ++n === 1
          ? HttpResponse.text('<html>oops</html>')
          : new HttpResponse(null, { status: 200 }),
      ),
    )
    const admin = sswsClient()
    const notJson = await rejectionOf(admin.authorizationServers.get('aus1'))
    expect(notJson).toBeInstanceOf(InvalidResponseError)
    expect(notJson.message).toMatch(/not JSON/)
    const empty = await rejectionOf(admin.authorizationServers.get('aus1'))
    expect(empty).toMatchObject({ code: 'ERR_INVALID_RESPONSE' })
  })

  it('request() without a schema resolves undefined for an empty 200', async () => {
    server.use(http.post(`${API}/users/00u1/lifecycle/unlock`, () => new HttpResponse(null)))
    await expect(
      sswsClient().request('POST', '/users/00u1/lifecycle/unlock'),
    ).resolves.toBeUndefined()
  })

  it('a 204 resolves void even when a model is expected elsewhere', async () => {
    server.use(
      http.post(
        `${API}/authorizationServers/aus1/lifecycle/activate`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    )
    await expect(sswsClient().authorizationServers.activate('aus1')).resolves.toBeUndefined()
  })
})

describe('operations: ids and paths', () => {
  it('encodes ids into one path segment', async () => {
    const seen = record()
    server.use(http.all(`${API}/*`, () => HttpResponse.json(SCOPE)))
    await sswsClient().scopes.get('aus 1', 'a b?c#d')
    expect(apiCalls(seen)[0]!.url.pathname).toBe(
      '/api/v1/authorizationServers/aus%201/scopes/a%20b%3Fc%23d',
    )
  })

  it('an empty id rejects (never throws synchronously) and sends nothing', async () => {
    const seen = record()
    const admin = sswsClient()
    const calls: (() => Promise<unknown>)[] = [
      () => admin.authorizationServers.get(''),
      () => admin.authorizationServers.delete(''),
      () => admin.policies.activate('aus1', ''),
      () => admin.policyRules.get('aus1', 'pol1', ''),
      () => admin.scopes.update('', 'scp1', CREATE_SCOPE_BODY),
      () => admin.claims.delete('aus1', ''),
      () => admin.keys.list(''),
      () => admin.keys.rotate(''),
      () => admin.keys.rotateAndWait(''),
      () => admin.appGrants.revoke(APP_ID, ''),
      () => admin.policies.list('').all(),
    ]
    for (const call of calls) {
      let promise: Promise<unknown> | undefined
      expect(() => {
        promise = call()
      }).not.toThrow()
      const err = await rejectionOf(promise!)
      expect(err).toBeInstanceOf(InvalidOptionError)
      expect(err.code).toBe('ERR_INVALID_OPTION')
    }
    expect(seen).toHaveLength(0)
  })

  it.each([
    '/../oauth2/v1/keys',
    '/%2e%2e/%2e%2e/oauth2/v1/keys',
    '/.%2E/x',
    '/users/%2E%2E/%2e%2e/%2e%2e/admin',
    '/users/%2e%2e/groups',
    '/apps/./0oa1',
    '/users\\..\\..\\x',
    '/api/v1/../../x',
    'users/me',
  ])('request() refuses %s before sending (the token stays under /api/v1)', async (path) => {
    const seen = record()
    const err = await rejectionOf(sswsClient().request('GET', path))
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(seen).toHaveLength(0)
  })

  it('request() refuses a method it does not know', async () => {
    const seen = record()
    const err = await rejectionOf(sswsClient().request('PATCH' as 'GET', '/users/me'))
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(seen).toHaveLength(0)
  })
})
