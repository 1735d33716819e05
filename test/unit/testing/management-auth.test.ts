import { HttpResponse, http } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import { createOktaOrg, InvalidOptionError, type OktaOrg } from '../../../src/testing/index.js'
import { server } from '../msw.js'
import { jwt, sharedOrg, useOrg } from './helpers.js'
import {
  ADMIN_APP,
  API,
  api,
  bearer,
  expectOktaError,
  OPTIONS,
  orgToken,
  READ_ONLY_ADMIN,
  serverToken,
  unique,
} from './management-helpers.js'

describe('authentication', () => {
  const shared = sharedOrg(() => OPTIONS)
  let org: OktaOrg
  beforeEach(() => {
    org = shared()
  })

  it('accepts the default SSWS token', async () => {
    const list = await api('GET', '/authorizationServers')
    expect(list.status).toBe(200)
    expect(list.body.map((s: { id: string }) => s.id)).toContain('default')
    expect(list.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('refuses a missing, unknown or malformed credential with 401 E0000011', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'SSWS wrong-token' },
      { authorization: `SSWS` },
      { authorization: `Basic ${btoa('a:b')}` },
      { authorization: 'Bearer not-a-token' },
    ]
    for (const headers of cases) {
      const answer = await api('GET', '/authorizationServers', undefined, headers)
      expectOktaError(answer, 401, 'E0000011')
      expect(answer.body.errorSummary).toBe('Invalid token provided')
    }
  })

  it('accepts only the configured apiTokens', async () => {
    const custom = await useOrg({ apiTokens: ['00custom-token'] })
    expect(
      (
        await api('GET', '/authorizationServers', undefined, {
          authorization: 'SSWS 00custom-token',
        })
      ).status,
    ).toBe(200)
    expect((await api('GET', '/authorizationServers')).status).toBe(401)
    expect(custom.requestCount('api')).toBe(2)
    await expect(createOktaOrg({ apiTokens: [''] })).rejects.toBeInstanceOf(InvalidOptionError)
  })

  it('accepts a bearer token of the org authorization server with the scope', async () => {
    const token = await orgToken(ADMIN_APP, 'okta.authorizationServers.read')
    const answer = await api('GET', '/authorizationServers/default', undefined, bearer(token))
    expect(answer.status).toBe(200)
    expect(answer.body.id).toBe('default')
  })

  it('lets .manage cover .read', async () => {
    const token = await orgToken(ADMIN_APP, 'okta.authorizationServers.manage')
    expect((await api('GET', '/authorizationServers', undefined, bearer(token))).status).toBe(200)
    const created = await api(
      'POST',
      '/authorizationServers',
      { name: unique('Bearer'), audiences: ['api://bearer'] },
      bearer(token),
    )
    expect(created.status).toBe(201)
  })

  it('answers 403 E0000006 with insufficient_scope for a token without the scope', async () => {
    const token = await orgToken(ADMIN_APP, 'okta.authorizationServers.read')
    const answer = await api(
      'POST',
      '/authorizationServers',
      { name: unique('Denied'), audiences: ['api://denied'] },
      bearer(token),
    )
    expectOktaError(answer, 403, 'E0000006')
    expect(answer.body.errorSummary).toBe(
      'You do not have permission to perform the requested action',
    )
    const challenge = answer.headers.get('www-authenticate')
    expect(challenge).toMatch(/^Bearer /)
    expect(challenge).toContain('error="insufficient_scope"')
    expect(challenge).toContain('scope="okta.authorizationServers.manage"')
    // Grants need okta.appGrants.*, not okta.authorizationServers.*.
    const grants = await api('GET', `/apps/${ADMIN_APP.clientId}/grants`, undefined, bearer(token))
    expectOktaError(grants, 403, 'E0000006')
  })

  it('emulates silent downscoping: the scope is in the token, the admin lacks the permission', async () => {
    const token = await orgToken(READ_ONLY_ADMIN, 'okta.authorizationServers.manage')
    expect(jwt(token).claims.scp).toEqual(['okta.authorizationServers.manage'])
    const read = await api('GET', '/authorizationServers', undefined, bearer(token))
    expect(read.status).toBe(200)
    const write = await api(
      'POST',
      '/authorizationServers',
      { name: unique('Downscoped'), audiences: ['api://x'] },
      bearer(token),
    )
    expectOktaError(write, 403, 'E0000006')
    expect(write.headers.get('www-authenticate')).toBeNull()
  })

  it('refuses tokens of custom servers, revoked and expired tokens with 401', async () => {
    const custom = await serverToken(org.issuer(), 'orders:read')
    const answer = await api(
      'GET',
      '/authorizationServers',
      undefined,
      bearer(custom.body.access_token!),
    )
    expectOktaError(answer, 401, 'E0000011')
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"')

    const own = await useOrg(OPTIONS)
    const token = await orgToken(ADMIN_APP, 'okta.authorizationServers.read')
    expect((await api('GET', '/authorizationServers', undefined, bearer(token))).status).toBe(200)
    own.advanceClock(3_601)
    expect((await api('GET', '/authorizationServers', undefined, bearer(token))).status).toBe(401)
    const fresh = await orgToken(ADMIN_APP, 'okta.authorizationServers.read')
    own.revokeAll()
    expect((await api('GET', '/authorizationServers', undefined, bearer(fresh))).status).toBe(401)
  })
})

describe('routing and bodies', () => {
  sharedOrg(() => OPTIONS)

  it('answers 405 E0000022 for a method the resource does not support', async () => {
    const answer = await api('DELETE', '/authorizationServers')
    expectOktaError(answer, 405, 'E0000022')
    expect(answer.headers.get('allow')).toBe('GET, POST')
  })

  it('answers 400 E0000003 for a body that is not a JSON object', async () => {
    expectOktaError(await api('POST', '/authorizationServers', '{"name":'), 400, 'E0000003')
    expectOktaError(await api('POST', '/authorizationServers', '[1,2]'), 400, 'E0000003')
  })

  it('leaves other /api/v1 paths to other handlers', async () => {
    // The org's handlers first: its catch-all must let the request through.
    const org = await createOktaOrg(OPTIONS)
    server.use(
      ...org.handlers,
      http.get(`${API}/users/me`, () => HttpResponse.json({ id: '00u1' })),
    )
    expect((await api('GET', '/users/me')).body).toEqual({ id: '00u1' })
  })

  it('answers 404 E0000007 for unknown ids', async () => {
    const answer = await api('GET', '/authorizationServers/ausnosuchserver00000')
    expectOktaError(answer, 404, 'E0000007')
    expect(answer.body.errorSummary).toBe(
      'Not found: Resource not found: ausnosuchserver00000 (AuthorizationServer)',
    )
    // The org authorization server is not a custom server.
    expectOktaError(await api('GET', '/authorizationServers/org'), 404, 'E0000007')
    for (const path of [
      '/authorizationServers/default/policies/00pnosuch',
      '/authorizationServers/default/scopes/scpnosuch',
      '/authorizationServers/default/claims/oclnosuch',
      '/authorizationServers/default/credentials/keys/nosuchkid',
      '/apps/0oanosuchapp/grants',
      `/apps/${ADMIN_APP.clientId}/grants/oagnosuch`,
    ]) {
      expectOktaError(await api('GET', path), 404, 'E0000007')
    }
  })
})
