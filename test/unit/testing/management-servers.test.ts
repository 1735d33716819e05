import { beforeEach, describe, expect, it } from 'vitest'
import { discover } from '../../../src/index.js'
import type { OktaOrg } from '../../../src/testing/index.js'
import { jwt, sharedOrg, useOrg } from './helpers.js'
import {
  API,
  allowAll,
  api,
  createServer,
  expectOktaError,
  nextLink,
  OPTIONS,
  ORG,
  serverToken,
  unique,
} from './management-helpers.js'

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
