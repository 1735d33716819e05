/**
 * A server's clients and their refresh tokens, and an app's tokens, through
 * the admin client against the local org: what the client sends (paths,
 * methods, query, scopes checked before sending, pages), what the org
 * answers (the tokens it really issued, Okta's error bodies), and the
 * effect of a revocation at the token and introspection endpoints.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AdminScopeError,
  type OAuth2Client,
  OAuthResponseError,
  type RefreshToken,
} from '../../../src/admin/index.js'
import type { Client } from '../../../src/index.js'
import { managementApi } from '../testing/helpers.js'
import {
  type EmulatedOrg,
  emulatedOrg,
  expectOktaError,
  USER_ID,
  userTokens,
  WEB,
  webApp,
} from './emulator.js'
import { API, apiCalls, ORG, record, rejectionOf } from './helpers.js'

const MANAGE = 'okta.authorizationServers.manage'
const READ = 'okta.authorizationServers.read'

let env: EmulatedOrg
let web: Client
beforeAll(async () => {
  env = await emulatedOrg()
  web = await webApp(env.org)
})
beforeEach(() => env.use())

/** The refresh token the org answers for a value it issued (its id). */
async function idOf(refreshToken: string): Promise<string> {
  const listed = await env.admin.refreshTokens.list('default', WEB).all()
  const issued = [...env.org.tokens.entries()].find(([value]) => value === refreshToken)?.[1]
  const found = listed.find((t) => t.id === issued?.id)
  expect(found, 'the refresh token is listed').toBeDefined()
  return found!.id
}

/** Whether the refresh token still works at the token endpoint. */
async function refreshFails(refreshToken: string): Promise<string | undefined> {
  try {
    await web.refresh(refreshToken)
    return undefined
  } catch (err) {
    expect(err).toBeInstanceOf(OAuthResponseError)
    return (err as OAuthResponseError).error
  }
}

describe('clients.list: the clients a server has tokens for', () => {
  it('lists the web app once it holds a token, in the OAuth2Client shape', async () => {
    await userTokens(web)
    const seen = record()
    const clients: OAuth2Client[] = await env.admin.clients.list('default').all()
    expect(apiCalls(seen).map((s) => `${s.method} ${s.url.pathname}`)).toEqual([
      'GET /api/v1/authorizationServers/default/clients',
    ])
    const listed = clients.find((c) => c.client_id === WEB)
    expect(listed).toMatchObject({
      client_id: WEB,
      client_name: WEB,
      client_uri: null,
      logo_uri: null,
      _links: {
        client: { href: `${ORG}/oauth2/v1/clients/${WEB}` },
        tokens: {
          href: `${API}/authorizationServers/default/clients/${WEB}/tokens`,
          hints: { allow: ['GET', 'DELETE'] },
        },
      },
    })
  })

  it('answers 404 E0000007 for an unknown server', async () => {
    const err = await rejectionOf(env.admin.clients.list('ausUnknown000000000').all())
    expect(err).toMatchObject({ code: 'ERR_API_NOT_FOUND' })
    expectOktaError(err, 404, 'E0000007', {
      errorSummary: 'Not found: Resource not found: ausUnknown000000000 (AuthorizationServer)',
      causes: [],
    })
  })
})

describe('refreshTokens: a server’s refresh tokens of one client', () => {
  it('lists the refresh tokens the org issued, as the spec shows them', async () => {
    const { refreshToken } = await userTokens(web, 'openid offline_access orders:read')
    const id = await idOf(refreshToken)
    const issued = [...env.org.tokens.values()].find((t) => t.id === id)!
    const seen = record()
    const token: RefreshToken = await env.admin.refreshTokens.get('default', WEB, id)
    expect(apiCalls(seen)[0]!.url.href).toBe(
      `${API}/authorizationServers/default/clients/${WEB}/tokens/${id}`,
    )
    const self = `${API}/authorizationServers/default/clients/${WEB}/tokens/${id}`
    expect(token).toEqual({
      id: expect.stringMatching(/^oar\w{17}$/),
      status: 'ACTIVE',
      created: new Date(issued.iat * 1000).toISOString(),
      lastUpdated: new Date(issued.iat * 1000).toISOString(),
      expiresAt: new Date(issued.exp * 1000).toISOString(),
      issuer: env.org.issuer(),
      clientId: WEB,
      userId: USER_ID,
      scopes: ['openid', 'offline_access', 'orders:read'],
      _links: {
        app: { href: `${API}/apps/${WEB}`, hints: { allow: ['GET'] } },
        authorizationServer: {
          href: `${API}/authorizationServers/default`,
          hints: { allow: ['GET'] },
        },
        self: { href: self, hints: { allow: ['GET'] } },
        revoke: { href: self, hints: { allow: ['DELETE'] } },
        client: { href: `${ORG}/oauth2/v1/clients/${WEB}`, hints: { allow: ['GET'] } },
        user: { href: `${API}/users/${USER_ID}`, hints: { allow: ['GET'] } },
      },
    })
    expect(token._embedded).toBeUndefined()
  })

  it('expand: "scope" sends expand=scope and embeds the scope objects', async () => {
    const { refreshToken } = await userTokens(web, 'openid offline_access orders:read')
    const id = await idOf(refreshToken)
    const seen = record()
    const [listed] = await env.admin.refreshTokens
      .list('default', WEB, { expand: 'scope', limit: 200 })
      .all(1)
    const one = await env.admin.refreshTokens.get('default', WEB, id, { expand: 'scope' })
    const calls = apiCalls(seen)
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({
      expand: 'scope',
      limit: '200',
    })
    expect(Object.fromEntries(calls[1]!.url.searchParams)).toEqual({ expand: 'scope' })
    expect(listed!._embedded?.scopes?.map((s) => s.name)).toEqual(listed!.scopes)
    const scopes = await env.admin.scopes.list('default').all()
    const ordersRead = scopes.find((s) => s.name === 'orders:read')!
    expect(one._embedded?.scopes).toContainEqual({
      id: ordersRead.id,
      name: 'orders:read',
      _links: {
        scope: {
          href: `${API}/authorizationServers/default/scopes/${ordersRead.id}`,
          hints: { allow: ['GET'] },
          title: 'orders:read',
        },
      },
    })
  })

  it('pages with limit and after, following Link rel="next"', async () => {
    for (let i = 0; i < 3; i++) await userTokens(web)
    const all = await env.admin.refreshTokens.list('default', WEB).all()
    const seen = record()
    const paged = await env.admin.refreshTokens.list('default', WEB, { limit: 2 }).all()
    expect(paged.map((t) => t.id)).toEqual(all.map((t) => t.id))
    const calls = apiCalls(seen)
    expect(calls.length).toBe(Math.ceil(all.length / 2))
    expect(calls[1]!.url.searchParams.get('after')).toBe(all[1]!.id)
  })

  it('revoke: the token is refused at /v1/token (invalid_grant), its access token inactive', async () => {
    const tokens = await userTokens(web)
    const other = await userTokens(web)
    const id = await idOf(tokens.refreshToken)
    const seen = record()
    await env.admin.refreshTokens.revoke('default', WEB, id)
    const [sent] = apiCalls(seen)
    expect(`${sent!.method} ${sent!.url.pathname}`).toBe(
      `DELETE /api/v1/authorizationServers/default/clients/${WEB}/tokens/${id}`,
    )
    expect(await refreshFails(tokens.refreshToken)).toBe('invalid_grant')
    expect((await web.introspect(tokens.accessToken)).active).toBe(false)
    expect((await web.introspect(tokens.refreshToken)).active).toBe(false)
    // Read by id, it is REVOKED; the list shows what can still be used.
    expect(await env.admin.refreshTokens.get('default', WEB, id)).toMatchObject({
      status: 'REVOKED',
    })
    const listed = await env.admin.refreshTokens.list('default', WEB).all()
    expect(listed.map((t) => t.id)).not.toContain(id)
    // Another token of the same client is not affected.
    expect(await refreshFails(other.refreshToken)).toBeUndefined()
  })

  it('revokeAll: every refresh token of the client, not the other access tokens', async () => {
    const a = await userTokens(web)
    const b = await userTokens(web)
    const service = await web.clientCredentials({ scope: 'orders:read' })
    await env.admin.refreshTokens.revokeAll('default', WEB)
    expect(await refreshFails(a.refreshToken)).toBe('invalid_grant')
    expect(await refreshFails(b.refreshToken)).toBe('invalid_grant')
    expect((await web.introspect(b.accessToken)).active).toBe(false)
    // Issued without a refresh token: not affected.
    expect((await web.introspect(service.accessToken)).active).toBe(true)
    expect(await env.admin.refreshTokens.list('default', WEB).all()).toEqual([])
    expect((await env.admin.clients.list('default').all()).map((c) => c.client_id)).toContain(WEB)
  })

  it('a rotated refresh token: the new one is listed, the old one is REVOKED', async () => {
    const first = await userTokens(web)
    const oldId = await idOf(first.refreshToken)
    const rotated = await web.refresh(first.refreshToken)
    const newId = await idOf(rotated.refreshToken!)
    expect(newId).not.toBe(oldId)
    expect((await env.admin.refreshTokens.get('default', WEB, oldId)).status).toBe('REVOKED')
    const listed = (await env.admin.refreshTokens.list('default', WEB).all()).map((t) => t.id)
    expect(listed).toContain(newId)
    expect(listed).not.toContain(oldId)
  })

  it('answers 404 E0000007 for an unknown server, client or token, in Okta’s error shape', async () => {
    const { refreshToken } = await userTokens(web)
    const id = await idOf(refreshToken)
    const cases: [Promise<unknown>, string][] = [
      [env.admin.refreshTokens.list('ausUnknown000000000', WEB).all(), 'AuthorizationServer'],
      [env.admin.refreshTokens.get('default', '0oaUnknown000000000', id), 'AppInstance'],
      [env.admin.refreshTokens.revoke('default', WEB, 'oarUnknown000000000'), 'OAuth2RefreshToken'],
      [env.admin.refreshTokens.revokeAll('default', '0oaUnknown000000000'), 'AppInstance'],
      // A token of this server, asked for under another client.
      [env.admin.refreshTokens.get('default', '0oaspa0000000000000', id), 'OAuth2RefreshToken'],
    ]
    for (const [call, type] of cases) {
      const err = await rejectionOf(call)
      expect(err).toMatchObject({ code: 'ERR_API_NOT_FOUND' })
      expectOktaError(err, 404, 'E0000007', { errorSummary: new RegExp(`\\(${type}\\)$`) })
    }
  })

  it('needs okta.authorizationServers.read to read and .manage to revoke, checked before sending', async () => {
    const reader = env.oauth([READ])
    const seen = record()
    for (const call of [
      () => reader.refreshTokens.revoke('default', WEB, 'oar1'),
      () => reader.refreshTokens.revokeAll('default', WEB),
    ]) {
      const err = await rejectionOf(call())
      expect(err).toBeInstanceOf(AdminScopeError)
      expect(err).toMatchObject({ code: 'ERR_SCOPE_NOT_CONFIGURED', requiredScope: MANAGE })
    }
    expect(seen).toHaveLength(0)
    // .read is enough to list (the org server issues the token first).
    await userTokens(web)
    expect((await reader.refreshTokens.list('default', WEB).all()).length).toBeGreaterThan(0)
    expect((await reader.clients.list('default').all()).length).toBeGreaterThan(0)
    const appsOnly = env.oauth(['okta.apps.manage'])
    const refused = await rejectionOf(appsOnly.refreshTokens.list('default', WEB).all())
    expect(refused).toMatchObject({ code: 'ERR_SCOPE_NOT_CONFIGURED', requiredScope: READ })
  })
})

describe('appTokens: an app’s refresh tokens, from every server', () => {
  it('lists, gets, revokes one and all; revoked tokens stop working', async () => {
    const onDefault = await userTokens(web)
    const onOrg = await userTokens(await webApp(env.org, env.org.orgIssuer))
    const seen = record()
    const listed = await env.admin.appTokens.list(WEB, { expand: 'scope', limit: 50 }).all()
    const [sent] = apiCalls(seen)
    expect(`${sent!.method} ${sent!.url.pathname}`).toBe(`GET /api/v1/apps/${WEB}/tokens`)
    expect(Object.fromEntries(sent!.url.searchParams)).toEqual({ expand: 'scope', limit: '50' })
    const ids = (value: string) => [...env.org.tokens.entries()].find(([v]) => v === value)![1].id
    const fromDefault = listed.find((t) => t.id === ids(onDefault.refreshToken))
    const fromOrg = listed.find((t) => t.id === ids(onOrg.refreshToken))
    expect(fromDefault).toMatchObject({ issuer: env.org.issuer(), clientId: WEB })
    expect(fromDefault!._links?.self).toMatchObject({
      href: `${API}/apps/${WEB}/tokens/${fromDefault!.id}`,
    })
    // The org authorization server's tokens: issuer is the org, no server link.
    expect(fromOrg).toMatchObject({ issuer: ORG, clientId: WEB, userId: USER_ID })
    expect(fromOrg!._links?.authorizationServer).toBeUndefined()
    expect(fromOrg!._embedded?.scopes).toEqual([{ name: 'openid' }, { name: 'offline_access' }])

    expect(await env.admin.appTokens.get(WEB, fromOrg!.id)).toMatchObject({
      id: fromOrg!.id,
      status: 'ACTIVE',
    })
    await env.admin.appTokens.revoke(WEB, fromOrg!.id)
    expect(await env.admin.appTokens.get(WEB, fromOrg!.id)).toMatchObject({ status: 'REVOKED' })
    const orgWeb = await webApp(env.org, env.org.orgIssuer)
    expect((await orgWeb.introspect(onOrg.accessToken)).active).toBe(false)
    await expect(orgWeb.refresh(onOrg.refreshToken)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    expect(await refreshFails(onDefault.refreshToken)).toBeUndefined()

    const again = await userTokens(web)
    await env.admin.appTokens.revokeAll(WEB)
    expect(await refreshFails(again.refreshToken)).toBe('invalid_grant')
    expect((await web.introspect(again.accessToken)).active).toBe(false)
    expect(await env.admin.appTokens.list(WEB).all()).toEqual([])
  })

  it('pages with limit and after', async () => {
    for (let i = 0; i < 3; i++) await userTokens(web)
    const all = await env.admin.appTokens.list(WEB).all()
    expect(all.length).toBeGreaterThanOrEqual(3)
    const pages: number[] = []
    for await (const page of env.admin.appTokens.list(WEB, { limit: 1 }).pages()) {
      pages.push(page.items.length)
    }
    expect(pages).toEqual(all.map(() => 1))
  })

  it('pages 20 tokens at a time without limit, the spec’s default', async () => {
    await env.admin.appTokens.revokeAll(WEB)
    for (let i = 0; i < 21; i++) await userTokens(web)
    const seen = record()
    const pages: number[] = []
    for await (const page of env.admin.appTokens.list(WEB).pages()) pages.push(page.items.length)
    expect(pages).toEqual([20, 1])
    expect(apiCalls(seen)[0]!.url.searchParams.has('limit')).toBe(false)
  })

  it('answers 404 E0000007 for an unknown app or token', async () => {
    for (const [call, type] of [
      [env.admin.appTokens.list('0oaUnknown000000000').all(), 'AppInstance'],
      [env.admin.appTokens.revokeAll('0oaUnknown000000000'), 'AppInstance'],
      [env.admin.appTokens.get(WEB, 'oarUnknown000000000'), 'OAuth2RefreshToken'],
      [env.admin.appTokens.revoke(WEB, 'oarUnknown000000000'), 'OAuth2RefreshToken'],
    ] as const) {
      expectOktaError(await rejectionOf(call), 404, 'E0000007', {
        errorSummary: new RegExp(`\\(${type}\\)$`),
      })
    }
  })

  it('needs okta.apps.read / okta.apps.manage: refused before sending, and by the org', async () => {
    const servers = env.oauth([MANAGE])
    const seen = record()
    expect(await rejectionOf(servers.appTokens.list(WEB).all())).toMatchObject({
      code: 'ERR_SCOPE_NOT_CONFIGURED',
      requiredScope: 'okta.apps.read',
    })
    const reader = env.oauth(['okta.apps.read'])
    for (const call of [
      () => reader.appTokens.revoke(WEB, 'oar1'),
      () => reader.appTokens.revokeAll(WEB),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({
        code: 'ERR_SCOPE_NOT_CONFIGURED',
        requiredScope: 'okta.apps.manage',
      })
    }
    expect(seen).toHaveLength(0)
    // The org checks the same scopes: an okta.authorizationServers token gets 403.
    const token = await servers
      .request('GET', '/authorizationServers', {})
      .then(() => [...env.org.tokens.entries()].find(([, t]) => t.scopes.includes(MANAGE))![0])
    const answer = await managementApi('GET', `/apps/${WEB}/tokens`, undefined, {
      authorization: `Bearer ${token}`,
    })
    expect(answer.status).toBe(403)
    expect(answer.body).toMatchObject({ errorCode: 'E0000006' })
  })
})
