import { HttpResponse, http } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import { discover } from '../../../src/index.js'
import {
  createOktaOrg,
  DEFAULT_CLIENTS,
  InvalidOptionError,
  type OktaOrg,
  type OktaOrgOptions,
  type OrgClient,
} from '../../../src/testing/index.js'
import { createVerifier } from '../../../src/verifier/node.js'
import { server } from '../msw.js'
import {
  type ApiAnswer,
  basic,
  clientOf,
  jwt,
  MANAGEMENT_API,
  managementApi,
  postForm,
  sharedOrg,
  USER,
  useOrg,
  WEB,
  WEB_SECRET,
} from './helpers.js'

const ORG = 'https://example.okta.com'
const API = MANAGEMENT_API

/** A service app with every authorization-server and app scope. */
const ADMIN_APP: OrgClient = {
  clientId: '0oaadmin00000000000',
  clientSecret: 'admin-app-secret-that-is-long-enough-for-hs256',
  oktaScopes: [
    'okta.authorizationServers.read',
    'okta.authorizationServers.manage',
    'okta.apps.read',
    'okta.apps.manage',
    'okta.appGrants.read',
    'okta.appGrants.manage',
  ],
}
/** A service app whose admin role can only read: silent downscoping of `.manage`. */
const READ_ONLY_ADMIN: OrgClient = {
  clientId: '0oareadonly000000000',
  clientSecret: 'read-only-secret-that-is-long-enough-for-hs256',
  oktaScopes: ['okta.authorizationServers.read', 'okta.authorizationServers.manage'],
  adminPermissions: ['okta.authorizationServers.read'],
}
const CLIENTS: OrgClient[] = [...DEFAULT_CLIENTS, ADMIN_APP, READ_ONLY_ADMIN]
const OPTIONS: OktaOrgOptions = { clients: CLIENTS }

type Answer = ApiAnswer
const api = managementApi

/** An access token of the org authorization server (client credentials). */
async function orgToken(client: OrgClient, scope: string): Promise<string> {
  const response = await postForm(
    `${ORG}/oauth2/v1/token`,
    { grant_type: 'client_credentials', scope },
    basic(client.clientId, client.clientSecret!),
  )
  const body = (await response.json()) as { access_token?: string; error_description?: string }
  expect(body.access_token, body.error_description).toBeTruthy()
  return body.access_token!
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** A client-credentials token of a custom server for the default web app. */
async function serverToken(
  issuer: string,
  scope: string,
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await postForm(
    `${issuer}/v1/token`,
    { grant_type: 'client_credentials', scope },
    basic(WEB, WEB_SECRET),
  )
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

function expectOktaError(answer: Answer, status: number, errorCode: string): void {
  expect(answer.status).toBe(status)
  expect(answer.body).toMatchObject({
    errorCode,
    errorLink: errorCode,
    errorCauses: expect.any(Array),
  })
  expect(answer.body.errorId).toMatch(/^oae\w{22}$/)
}

/** The `rel="next"` target of a Link header. */
function nextLink(headers: Headers): string | undefined {
  return /<([^>]*)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1]
}

let counter = 0
const unique = (prefix: string) => `${prefix} ${++counter}`

async function createServer(
  name = unique('Server'),
  audiences = ['api://created'],
): Promise<Answer> {
  const created = await api('POST', '/authorizationServers', {
    name,
    description: `${name} description`,
    audiences,
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created
}

/**
 * Give a server an access policy for every client with one rule for every
 * grant and scope (a created server has no policies, so it issues no tokens).
 */
async function allowAll(id: string, token?: Record<string, number>): Promise<string> {
  const policy = await api('POST', `/authorizationServers/${id}/policies`, {
    type: 'OAUTH_AUTHORIZATION_POLICY',
    name: 'Everyone',
    description: 'All clients',
    conditions: { clients: { include: ['ALL_CLIENTS'] } },
  })
  expect(policy.status, JSON.stringify(policy.body)).toBe(201)
  const rule = await api('POST', `/authorizationServers/${id}/policies/${policy.body.id}/rules`, {
    type: 'RESOURCE_ACCESS',
    name: 'Any grant, any scope',
    conditions: {
      people: { groups: { include: ['EVERYONE'] } },
      grantTypes: {
        include: ['client_credentials', 'authorization_code', 'implicit', 'password'],
      },
      scopes: { include: ['*'] },
    },
    ...(token && { actions: { token } }),
  })
  expect(rule.status, JSON.stringify(rule.body)).toBe(201)
  return policy.body.id
}

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

describe('authorization servers', () => {
  const shared = sharedOrg(() => OPTIONS)
  let org: OktaOrg
  beforeEach(() => {
    org = shared()
  })

  it('lists the default server as the reference describes it', async () => {
    const answer = await api('GET', '/authorizationServers/default')
    expect(answer.status).toBe(200)
    const self = `${API}/authorizationServers/default`
    expect(answer.body).toMatchObject({
      id: 'default',
      name: 'default',
      description: 'Default Authorization Server',
      audiences: ['api://default'],
      issuer: org.issuer(),
      status: 'ACTIVE',
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      lastUpdated: expect.any(String),
      credentials: {
        signing: {
          rotationMode: 'AUTO',
          kid: org.activeKid(),
          lastRotated: expect.any(String),
          nextRotation: expect.any(String),
        },
      },
      _links: {
        self: { href: self, hints: { allow: ['GET', 'DELETE', 'PUT'] } },
        scopes: { href: `${self}/scopes` },
        claims: { href: `${self}/claims` },
        policies: { href: `${self}/policies` },
        rotateKey: { href: `${self}/credentials/lifecycle/keyRotate` },
        deactivate: { href: `${self}/lifecycle/deactivate` },
        metadata: [
          {
            name: 'oauth-authorization-server',
            href: `${org.issuer()}/.well-known/oauth-authorization-server`,
          },
          {
            name: 'openid-configuration',
            href: `${org.issuer()}/.well-known/openid-configuration`,
          },
        ],
      },
    })
  })

  it('creates a real server: discovery, keys and tokens work at once', async () => {
    const name = unique('Sample Authorization Server')
    const created = await createServer(name, ['https://test.com'])
    const { id, issuer } = created.body
    expect(id).toMatch(/^aus[A-Za-z0-9]{17}$/)
    expect(created.body).toMatchObject({
      name,
      description: `${name} description`,
      audiences: ['https://test.com'],
      issuer: `${ORG}/oauth2/${id}`,
      status: 'ACTIVE',
      credentials: { signing: { rotationMode: 'AUTO', kid: org.activeKid(id) } },
    })
    expect((await api('GET', `/authorizationServers/${id}`)).body).toEqual(created.body)
    const metadata = await discover(issuer)
    expect(metadata.token_endpoint).toBe(`${issuer}/v1/token`)
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: { kid: string }[] }
    expect(jwks.keys).toHaveLength(2)
    const token = await serverToken(issuer, 'openid')
    // client_credentials cannot use OIDC scopes: the server answers like a real one.
    expect(token.body.error).toBe('invalid_scope')
    const list = await api('GET', '/authorizationServers')
    expect(list.body.map((s: { id: string }) => s.id)).toContain(id)
  })

  it('updates name, description, audiences and rotation mode', async () => {
    const { id } = (await createServer()).body
    await allowAll(id)
    const name = unique('Renamed')
    const updated = await api('PUT', `/authorizationServers/${id}`, {
      name,
      description: 'New description',
      audiences: ['api://new-resource'],
      credentials: { signing: { rotationMode: 'MANUAL' } },
    })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({
      name,
      description: 'New description',
      audiences: ['api://new-resource'],
      credentials: { signing: { rotationMode: 'MANUAL', kid: org.activeKid(id) } },
    })
    expect(updated.body.credentials.signing.nextRotation).toBeUndefined()
    expect((await api('GET', `/authorizationServers/${id}`)).body.name).toBe(name)
    // New tokens carry the new audience.
    await api('POST', `/authorizationServers/${id}/scopes`, { name: 'x:read' })
    const token = await serverToken(`${ORG}/oauth2/${id}`, 'x:read')
    expect(jwt(token.body.access_token!).claims.aud).toBe('api://new-resource')
  })

  it("keeps issuerMode and the token-encryption fields (today's API)", async () => {
    const { id, issuer } = (await createServer()).body
    const get = async () => (await api('GET', `/authorizationServers/${id}`)).body
    expect(await get()).toMatchObject({ issuerMode: 'ORG_URL' })
    expect(await get()).not.toHaveProperty('accessTokenEncryptedResponseAlgorithm')
    const key = { kty: 'RSA', e: 'AQAB', n: 'n-value', kid: 'enc-1', status: 'ACTIVE' }
    const body = {
      name: unique('Encrypting'),
      audiences: ['api://encrypting'],
      issuerMode: 'DYNAMIC',
      accessTokenEncryptedResponseAlgorithm: 'RSA-OAEP-256',
      jwks: { keys: [key] },
    }
    const updated = await api('PUT', `/authorizationServers/${id}`, body)
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({
      issuerMode: 'DYNAMIC',
      // No custom domain in the emulator: the issuer stays the org's URL.
      issuer,
      accessTokenEncryptedResponseAlgorithm: 'RSA-OAEP-256',
      jwks: { keys: [{ ...key, use: 'enc' }] },
    })
    expect(await get()).toEqual(updated.body)
    // PUT replaces the encryption settings; an absent issuerMode is kept.
    const again = await api('PUT', `/authorizationServers/${id}`, {
      name: body.name,
      audiences: body.audiences,
      jwks_uri: 'https://keys.example.com/jwks.json',
    })
    expect(again.body).toMatchObject({
      issuerMode: 'DYNAMIC',
      jwks_uri: 'https://keys.example.com/jwks.json',
    })
    expect(again.body).not.toHaveProperty('jwks')
    expect(again.body).not.toHaveProperty('accessTokenEncryptedResponseAlgorithm')
    const custom = await api('POST', '/authorizationServers', {
      name: unique('Custom URL'),
      audiences: ['api://custom'],
      issuerMode: 'CUSTOM_URL',
      // null is absent, as serialisers send it.
      accessTokenEncryptedResponseAlgorithm: null,
      jwks: null,
      jwks_uri: null,
    })
    expect(custom.status).toBe(201)
    expect(custom.body.issuerMode).toBe('CUSTOM_URL')
    expect(custom.body).not.toHaveProperty('jwks')
    const nullMode = await api('PUT', `/authorizationServers/${custom.body.id}`, {
      name: custom.body.name,
      audiences: ['api://custom'],
      issuerMode: null,
    })
    expect(nullMode.body.issuerMode).toBe('CUSTOM_URL')
  })

  it('deactivates (no tokens), activates, and deletes (discovery 404s)', async () => {
    const { id, issuer } = (await createServer()).body
    await allowAll(id)
    await api('POST', `/authorizationServers/${id}/scopes`, { name: 'x:read' })
    expect((await serverToken(issuer, 'x:read')).status).toBe(200)

    expect((await api('POST', `/authorizationServers/${id}/lifecycle/deactivate`)).status).toBe(204)
    const inactive = await api('GET', `/authorizationServers/${id}`)
    expect(inactive.body.status).toBe('INACTIVE')
    expect(inactive.body._links.activate.href).toBe(
      `${API}/authorizationServers/${id}/lifecycle/activate`,
    )
    expect(inactive.body._links.deactivate).toBeUndefined()
    const refused = await serverToken(issuer, 'x:read')
    expect(refused.status).toBe(400)
    expect(refused.body.error).toBe('invalid_request')

    expect((await api('POST', `/authorizationServers/${id}/lifecycle/activate`)).status).toBe(204)
    expect((await api('GET', `/authorizationServers/${id}`)).body.status).toBe('ACTIVE')
    expect((await serverToken(issuer, 'x:read')).status).toBe(200)

    expect((await api('DELETE', `/authorizationServers/${id}`)).status).toBe(204)
    expectOktaError(await api('GET', `/authorizationServers/${id}`), 404, 'E0000007')
    expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(404)
    expect((await fetch(`${issuer}/v1/keys`)).status).toBe(404)
    expectOktaError(await api('DELETE', `/authorizationServers/${id}`), 404, 'E0000007')
  })

  it('validates the body with 400 E0000001', async () => {
    const cases: [unknown, string][] = [
      [{ audiences: ['api://x'] }, 'name'],
      [{ name: '  ', audiences: ['api://x'] }, 'name'],
      [{ name: unique('No audience') }, 'audiences'],
      [{ name: unique('Empty audiences'), audiences: [] }, 'audiences'],
      [{ name: unique('Two audiences'), audiences: ['api://a', 'api://b'] }, 'audiences'],
      [{ name: unique('Bad URI'), audiences: ['not a uri:really'] }, 'audiences'],
      [
        {
          name: unique('Bad mode'),
          audiences: ['api://x'],
          credentials: { signing: { rotationMode: 'SOMETIMES' } },
        },
        'credentials.signing.rotationMode',
      ],
      [{ name: 'DEFAULT', audiences: ['api://x'] }, 'name'],
      [{ name: unique('Mode'), audiences: ['api://x'], issuerMode: 'CUSTOM' }, 'issuerMode'],
      [
        {
          name: unique('Algorithm'),
          audiences: ['api://x'],
          accessTokenEncryptedResponseAlgorithm: 'RSA1_5',
        },
        'accessTokenEncryptedResponseAlgorithm',
      ],
      [
        { name: unique('Jwks URI'), audiences: ['api://x'], jwks_uri: 'http://keys.example' },
        'jwks_uri',
      ],
      [{ name: unique('Jwks'), audiences: ['api://x'], jwks: [] }, 'jwks'],
      [
        { name: unique('EC key'), audiences: ['api://x'], jwks: { keys: [{ kty: 'EC' }] } },
        'jwks.keys.0',
      ],
      [
        {
          name: unique('Sig key'),
          audiences: ['api://x'],
          jwks: { keys: [{ kty: 'RSA', e: 'AQAB', n: 'n', use: 'sig' }] },
        },
        'jwks.keys.0.use',
      ],
      [
        {
          name: unique('Two active'),
          audiences: ['api://x'],
          jwks: {
            keys: [
              { kty: 'RSA', e: 'AQAB', n: 'n1', status: 'ACTIVE' },
              { kty: 'RSA', e: 'AQAB', n: 'n2', status: 'ACTIVE' },
            ],
          },
        },
        'jwks.keys',
      ],
    ]
    for (const [body, field] of cases) {
      const answer = await api('POST', '/authorizationServers', body)
      expectOktaError(answer, 400, 'E0000001')
      expect(answer.body.errorSummary).toBe(`Api validation failed: ${field}`)
      expect(answer.body.errorCauses[0].errorSummary).toMatch(new RegExp(`^${field}: `))
    }
    // An audience without ':' is any string.
    await createServer(unique('Plain audience'), ['plain-audience'])
  })
})

describe('pagination', () => {
  it('pages servers with limit, after and Link rel="next", and filters with q', async () => {
    await useOrg(OPTIONS)
    const names = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Alpine']
    for (const name of names) await createServer(name, [`api://${name.toLowerCase()}`])
    const ids: string[] = []
    let url: string | undefined = `${API}/authorizationServers?limit=2`
    let pages = 0
    while (url) {
      const answer = await api('GET', url)
      expect(answer.status).toBe(200)
      expect(answer.body.length).toBeLessThanOrEqual(2)
      expect(answer.headers.get('link')).toContain('rel="self"')
      ids.push(...answer.body.map((s: { id: string }) => s.id))
      url = nextLink(answer.headers)
      if (url) expect(new URL(url).searchParams.get('limit')).toBe('2')
      pages++
    }
    expect(pages).toBe(3)
    expect(ids).toHaveLength(6)
    expect(new Set(ids).size).toBe(6)
    expect(ids[0]).toBe('default')

    const alp = await api('GET', '/authorizationServers?q=alp')
    expect(alp.body.map((s: { name: string }) => s.name)).toEqual(['Alpha', 'Alpine'])
    expect(nextLink(alp.headers)).toBeUndefined()
    // q matches an audience's start too.
    const byAudience = await api(
      'GET',
      `/authorizationServers?q=${encodeURIComponent('api://gam')}`,
    )
    expect(byAudience.body.map((s: { name: string }) => s.name)).toEqual(['Gamma'])
    expectOktaError(await api('GET', '/authorizationServers?limit=0'), 400, 'E0000001')
  })
})

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

describe('keys', () => {
  it("lists the keys in rotation with status and links, as a bare array (today's API)", async () => {
    const org = await useOrg(OPTIONS)
    const answer = await api('GET', '/authorizationServers/default/credentials/keys')
    expect(answer.status).toBe(200)
    expect(Array.isArray(answer.body)).toBe(true)
    expect(answer.body.map((k: { status: string }) => k.status)).toEqual(['ACTIVE', 'NEXT'])
    const [active] = answer.body
    expect(active).toMatchObject({
      status: 'ACTIVE',
      alg: 'RS256',
      kty: 'RSA',
      use: 'sig',
      e: 'AQAB',
      kid: org.activeKid(),
      _links: {
        self: {
          href: `${API}/authorizationServers/default/credentials/keys/${org.activeKid()}`,
          hints: { allow: ['GET'] },
        },
      },
    })
    expect(active.d).toBeUndefined()
    expect(
      (await api('GET', `/authorizationServers/default/credentials/keys/${active.kid}`)).body,
    ).toEqual(active)
  })

  it('rotates like org.rotateKeys and refuses a use other than sig', async () => {
    const org = await useOrg(OPTIONS)
    const before = (await api('GET', '/authorizationServers/default/credentials/keys')).body
    const rotated = await api(
      'POST',
      '/authorizationServers/default/credentials/lifecycle/keyRotate',
      {
        use: 'sig',
      },
    )
    expect(rotated.status).toBe(200)
    // A bare array, as today's API answers (Okta's Node SDK iterates it).
    expect(Array.isArray(rotated.body)).toBe(true)
    const keys = rotated.body as { kid: string; status: string }[]
    expect(keys.map((k) => k.status)).toEqual(['ACTIVE', 'NEXT', 'EXPIRED'])
    expect(keys[0]!.kid).toBe(before[1].kid)
    expect(keys[2]!.kid).toBe(before[0].kid)
    expect(org.activeKid()).toBe(before[1].kid)
    const published = (await (await fetch(`${org.issuer()}/v1/keys`)).json()) as {
      keys: { kid: string }[]
    }
    expect(published.keys.map((k) => k.kid).sort()).toEqual(keys.map((k) => k.kid).sort())
    const server = (await api('GET', '/authorizationServers/default')).body
    expect(server.credentials.signing.kid).toBe(before[1].kid)
    // Without a body too; the oldest expired key is dropped.
    const again = await api('POST', '/authorizationServers/default/credentials/lifecycle/keyRotate')
    expect(again.body.map((k: { kid: string }) => k.kid)).not.toContain(before[0].kid)

    const refused = await api(
      'POST',
      '/authorizationServers/default/credentials/lifecycle/keyRotate',
      {
        use: 'enc',
      },
    )
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: rotateKeys',
      errorLink: 'E0000001',
      errorCauses: [{ errorSummary: "Invalid value specified for key 'use' parameter." }],
    })
    expect(org.activeKid()).toBe(again.body[0].kid)
  })
})

describe('app grants', () => {
  const shared = sharedOrg(() => OPTIONS)
  let org: OktaOrg
  beforeEach(() => {
    org = shared()
  })

  it("lists an app's grants, grants a scope the app can then request, and revokes it", async () => {
    const app = ADMIN_APP.clientId
    const base = `/apps/${app}/grants`
    const list = await api('GET', base)
    expect(list.body.map((g: { scopeId: string }) => g.scopeId)).toEqual(ADMIN_APP.oktaScopes)
    expect(list.body[0]).toMatchObject({
      id: expect.stringMatching(/^oag[A-Za-z0-9]{17}$/),
      issuer: ORG,
      clientId: app,
      status: 'ACTIVE',
      _links: { self: { href: `${API}${base}/${list.body[0].id}` } },
    })
    // Ids are stable.
    expect((await api('GET', base)).body[0].id).toBe(list.body[0].id)

    const refused = await postForm(
      `${ORG}/oauth2/v1/token`,
      { grant_type: 'client_credentials', scope: 'okta.users.read' },
      basic(app, ADMIN_APP.clientSecret!),
    )
    expect(refused.status).toBe(400)

    const granted = await api('POST', base, { scopeId: 'okta.users.read', issuer: ORG })
    expect(granted.status).toBe(201)
    expect(granted.body).toMatchObject({
      scopeId: 'okta.users.read',
      issuer: ORG,
      clientId: app,
      source: 'ADMIN',
      // As today's API embeds it.
      _embedded: { scope: { id: 'okta.users.read' } },
    })
    expect((await api('GET', `${base}/${granted.body.id}`)).body).toEqual(granted.body)
    expect(org.clients.get(app)!.oktaScopes).toContain('okta.users.read')
    const token = await orgToken(ADMIN_APP, 'okta.users.read')
    expect(jwt(token).claims.scp).toEqual(['okta.users.read'])

    expectOktaError(
      await api('POST', base, { scopeId: 'okta.users.read', issuer: ORG }),
      400,
      'E0000001',
    )
    expect((await api('DELETE', `${base}/${granted.body.id}`)).status).toBe(204)
    expect(org.clients.get(app)!.oktaScopes).not.toContain('okta.users.read')
    expectOktaError(await api('GET', `${base}/${granted.body.id}`), 404, 'E0000007')
    const after = await postForm(
      `${ORG}/oauth2/v1/token`,
      { grant_type: 'client_credentials', scope: 'okta.users.read' },
      basic(app, ADMIN_APP.clientSecret!),
    )
    expect(after.status).toBe(400)
  })

  it("validates grants and needs okta.appGrants scopes (today's API), not okta.apps", async () => {
    const base = `/apps/${WEB}/grants`
    for (const [body, field] of [
      [{ scopeId: 'okta.users.read', issuer: 'https://other.okta.com' }, 'issuer'],
      [{ scopeId: 'orders:read', issuer: ORG }, 'scopeId'],
      [{ issuer: ORG }, 'scopeId'],
    ] as const) {
      const answer = await api('POST', base, body)
      expectOktaError(answer, 400, 'E0000001')
      expect(answer.body.errorSummary).toBe(`Api validation failed: ${field}`)
    }
    expect((await api('GET', base)).body).toEqual([])
    expectOktaError(
      await api('POST', '/apps/0oanosuch/grants', { scopeId: 'okta.users.read', issuer: ORG }),
      404,
      'E0000007',
    )
    const read = await orgToken(ADMIN_APP, 'okta.appGrants.read')
    expect((await api('GET', base, undefined, bearer(read))).status).toBe(200)
    expectOktaError(
      await api('POST', base, { scopeId: 'okta.users.read', issuer: ORG }, bearer(read)),
      403,
      'E0000006',
    )
    // okta.apps.* is for apps and their tokens: it does not cover grants.
    const apps = await orgToken(ADMIN_APP, 'okta.apps.manage')
    const denied = await api('GET', base, undefined, bearer(apps))
    expectOktaError(denied, 403, 'E0000006')
    expect(denied.headers.get('www-authenticate')).toContain('scope="okta.appGrants.read"')
    const manage = await orgToken(ADMIN_APP, 'okta.appGrants.manage')
    const granted = await api(
      'POST',
      base,
      { scopeId: 'okta.users.read', issuer: ORG },
      bearer(manage),
    )
    expect(granted.status).toBe(201)
    expect(
      (await api('DELETE', `${base}/${granted.body.id}`, undefined, bearer(manage))).status,
    ).toBe(204)
  })
})

describe('rate limiting and misbehaviour', () => {
  it('is off by default, but every answer has a Date on the org clock', async () => {
    const org = await useOrg(OPTIONS)
    org.advanceClock(3_600)
    const answer = await api('GET', '/authorizationServers')
    expect(answer.headers.get('x-rate-limit-limit')).toBeNull()
    const date = Date.parse(answer.headers.get('date')!)
    expect(Math.abs(date / 1000 - org.now())).toBeLessThanOrEqual(1)
    expect(answer.headers.get('x-okta-request-id')).toBeTruthy()
  })

  it('sends the rate-limit headers and answers 429 E0000047 beyond the limit', async () => {
    const org = await useOrg({ ...OPTIONS, rateLimit: { limit: 3, windowSeconds: 60 } })
    const start = org.now()
    const remaining: (string | null)[] = []
    const resets = new Set<string | null>()
    for (let i = 0; i < 3; i++) {
      const answer = await api('GET', '/authorizationServers/default')
      expect(answer.status).toBe(200)
      expect(answer.headers.get('x-rate-limit-limit')).toBe('3')
      resets.add(answer.headers.get('x-rate-limit-reset'))
      remaining.push(answer.headers.get('x-rate-limit-remaining'))
    }
    // The window starts at its first request, on the org's clock.
    expect(resets.size).toBe(1)
    const [reset] = resets
    expect(Number(reset) - start).toBeGreaterThanOrEqual(60)
    expect(Number(reset) - start).toBeLessThanOrEqual(61)
    expect(remaining).toEqual(['2', '1', '0'])
    // Errors count too, and carry the headers.
    const limited = await api('GET', '/authorizationServers', undefined, {})
    expectOktaError(limited, 429, 'E0000047')
    expect(limited.body.errorSummary).toBe('API call exceeded rate limit due to too many requests.')
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0')
    expect(limited.headers.get('x-rate-limit-reset')).toBe(reset)
    expect(Date.parse(limited.headers.get('date')!) / 1000).toBeLessThanOrEqual(Number(reset))

    org.advanceClock(61)
    const before = org.now()
    const next = await api('GET', '/authorizationServers')
    expect(next.status).toBe(200)
    expect(next.headers.get('x-rate-limit-remaining')).toBe('2')
    expect(Number(next.headers.get('x-rate-limit-reset')) - before).toBeGreaterThanOrEqual(60)
    expect(Number(next.headers.get('x-rate-limit-reset')) - before).toBeLessThanOrEqual(61)
    expect(org.requestCount('api')).toBe(5)
    await expect(createOktaOrg({ rateLimit: { limit: 0 } })).rejects.toBeInstanceOf(
      InvalidOptionError,
    )
  })

  it('honours misbehave("api") and counts requests', async () => {
    const org = await useOrg(OPTIONS)
    org.misbehave('api', {
      status: 429,
      headers: { 'x-rate-limit-reset': '12345' },
      body: { errorCode: 'E0000047', errorSummary: 'scripted' },
    })
    const scripted = await api('GET', '/authorizationServers')
    expect(scripted.status).toBe(429)
    expect(scripted.body.errorSummary).toBe('scripted')
    expect(scripted.headers.get('x-rate-limit-reset')).toBe('12345')
    expect((await api('GET', '/authorizationServers')).status).toBe(200)
    expect(org.requestCount('api')).toBe(2)
    // Other endpoints' counts are not touched.
    expect(org.requestCount('token')).toBe(0)
  })
})

describe('a server created through the API, end to end', () => {
  it('issues tokens the verifier accepts, before and after keyRotate', async () => {
    const org = await useOrg(OPTIONS)
    const created = await createServer(unique('E2E'), ['api://e2e'])
    const { id, issuer } = created.body
    await allowAll(id)
    await api('POST', `/authorizationServers/${id}/scopes`, { name: 'e2e:read' })

    const metadata = await discover(issuer)
    expect(metadata.issuer).toBe(issuer)
    const client = await clientOf(
      org,
      { clientId: WEB, auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET } },
      issuer,
    )
    const verifier = createVerifier({ issuer, audience: 'api://e2e' })
    const first = await client.clientCredentials({ scope: 'e2e:read' })
    const verified = await verifier.verifyAccessToken(first.accessToken!, { scopes: ['e2e:read'] })
    expect(verified).toMatchObject({ issuer, clientId: WEB, scopes: ['e2e:read'] })
    expect(verified.header?.kid).toBe(org.activeKid(id))

    const rotated = await api(
      'POST',
      `/authorizationServers/${id}/credentials/lifecycle/keyRotate`,
      {
        use: 'sig',
      },
    )
    const newKid = rotated.body[0].kid
    expect(newKid).toBe(org.activeKid(id))
    const second = await client.clientCredentials({ scope: 'e2e:read' })
    expect(jwt(second.accessToken!).header.kid).toBe(newKid)
    expect((await verifier.verifyAccessToken(second.accessToken!)).header?.kid).toBe(newKid)
    // Tokens of the now EXPIRED key still verify while it is published.
    expect((await verifier.verifyAccessToken(first.accessToken!)).clientId).toBe(WEB)
  })
})
