/**
 * The SDK's management client (`okta-oauth-kit/admin`) against the emulated
 * org's management API over real HTTP on 127.0.0.1 (no msw in this project):
 * OAuth for Okta with private_key_jwt, authorization servers, scopes,
 * claims, policies and rules, paged lists, key rotation that reloads this
 * process's JWKS caches, lifecycle, errors, silent downscoping and rate
 * limits.
 */
import { decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AdminClient,
  AdminScopeError,
  type AuthorizationServer,
  createAdminClient,
  OAuthResponseError,
  OktaApiError,
  type Policy,
  type RateLimitInfo,
  RequestValidationError,
} from '../../src/admin/index.js'
import { type Client, clearDiscoveryCache, createClient, discover } from '../../src/index.js'
import {
  DEFAULT_API_TOKEN,
  DEFAULT_CLIENTS,
  type OrgClient,
  type RunningOktaOrg,
  startOktaOrg,
} from '../../src/testing/index.js'
import { createVerifier } from '../../src/verifier/node.js'
import type { Verifier } from '../../src/verifier/types.js'
import { rejection } from '../support/rejection.js'

const SERVICE_APP = '0oaservice0000000000'
const READ_ONLY_APP = '0oareadonly000000000'
/** Granted only okta.authorizationServers.read, yet configured to ask for .manage too. */
const UNGRANTED_APP = '0oaungranted00000000'
const WEB = '0oaweb0000000000000'
const WEB_SECRET = 'web-app-secret-that-is-long-enough-for-hs256'
const SCOPES = ['okta.authorizationServers.manage', 'okta.authorizationServers.read']
/** Granted okta.appGrants.* only (today's scopes for an app's grants). */
const GRANTS_APP = '0oagrants00000000000'
const GRANT_SCOPES = ['okta.appGrants.read', 'okta.appGrants.manage']

let running: RunningOktaOrg
let admin: AdminClient
let readOnlyAdmin: AdminClient
let ungrantedAdmin: AdminClient
let grantsAdmin: AdminClient
let ssws: AdminClient

async function serviceKey(kid: string): Promise<{ privateJwk: JWK; jwks: { keys: JWK[] } }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] },
  }
}

beforeAll(async () => {
  const service = await serviceKey('service-key-1')
  const readOnly = await serviceKey('read-only-key-1')
  const ungranted = await serviceKey('ungranted-key-1')
  const grants = await serviceKey('grants-key-1')
  const app = (clientId: string, jwks: { keys: JWK[] }, extra: Partial<OrgClient> = {}) => ({
    clientId,
    tokenEndpointAuthMethod: 'private_key_jwt' as const,
    jwks,
    oktaScopes: SCOPES,
    ...extra,
  })
  running = await startOktaOrg({
    clients: [
      ...DEFAULT_CLIENTS,
      app(SERVICE_APP, service.jwks),
      app(READ_ONLY_APP, readOnly.jwks, { adminPermissions: ['okta.authorizationServers.read'] }),
      app(UNGRANTED_APP, ungranted.jwks, { oktaScopes: ['okta.authorizationServers.read'] }),
      app(GRANTS_APP, grants.jwks, { oktaScopes: GRANT_SCOPES }),
    ],
  })
  const oauth = (clientId: string, privateKey: JWK, scopes = SCOPES) =>
    createAdminClient({
      orgUrl: running.url,
      auth: { type: 'oauth', clientId, privateKey, scopes },
    })
  admin = oauth(SERVICE_APP, service.privateJwk)
  readOnlyAdmin = oauth(READ_ONLY_APP, readOnly.privateJwk)
  ungrantedAdmin = oauth(UNGRANTED_APP, ungranted.privateJwk)
  grantsAdmin = oauth(GRANTS_APP, grants.privateJwk, GRANT_SCOPES)
  ssws = createAdminClient({
    orgUrl: running.url,
    auth: { type: 'ssws', token: DEFAULT_API_TOKEN },
  })
})
afterAll(async () => {
  await running?.close()
  clearDiscoveryCache()
})

async function webClient(issuer: string): Promise<Client> {
  return createClient(await discover(issuer, { cacheTtl: 0 }), {
    clientId: WEB,
    auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
  })
}

describe('the admin client against the emulated management API', () => {
  let server: AuthorizationServer
  let policy: Policy
  let verifier: Verifier
  let client: Client

  it('creates a server with OAuth for Okta (private_key_jwt), then a scope, a claim, a policy and a rule', async () => {
    server = await admin.authorizationServers.create({
      name: 'Integration server',
      description: 'Created by the admin client',
      audiences: ['api://integration'],
    })
    expect(server).toMatchObject({
      id: expect.stringMatching(/^aus/),
      issuer: `${running.url}/oauth2/${server.id}`,
      status: 'ACTIVE',
      audiences: ['api://integration'],
    })
    // The admin app authenticated at the org authorization server.
    expect(running.org.requestCount('token')).toBe(1)

    const scope = await admin.scopes.create(server.id, {
      name: 'integration:read',
      description: 'Read the integration API',
    })
    expect(scope).toMatchObject({ name: 'integration:read', system: false })
    const claim = await admin.claims.create(server.id, {
      name: 'team',
      status: 'ACTIVE',
      claimType: 'RESOURCE',
      valueType: 'EXPRESSION',
      value: '"platform"',
      conditions: { scopes: ['integration:read'] },
    })
    expect(claim).toMatchObject({ name: 'team', claimType: 'RESOURCE', alwaysIncludeInToken: true })
    policy = await admin.policies.create(server.id, {
      type: 'OAUTH_AUTHORIZATION_POLICY',
      name: 'Integration policy',
      description: 'Service clients',
      priority: 1,
      conditions: { clients: { include: ['ALL_CLIENTS'] } },
    })
    expect(policy).toMatchObject({ name: 'Integration policy', status: 'ACTIVE', priority: 1 })
    const rule = await admin.policyRules.create(server.id, policy.id, {
      type: 'RESOURCE_ACCESS',
      name: 'Integration rule',
      conditions: {
        people: { groups: { include: ['EVERYONE'] } },
        grantTypes: { include: ['client_credentials'] },
        scopes: { include: ['integration:read'] },
      },
      actions: { token: { accessTokenLifetimeMinutes: 30, refreshTokenWindowMinutes: 60 } },
    })
    expect(rule).toMatchObject({
      name: 'Integration rule',
      status: 'ACTIVE',
      actions: { token: { accessTokenLifetimeMinutes: 30, refreshTokenWindowMinutes: 60 } },
    })
    // One token for every request so far.
    expect(running.org.requestCount('token')).toBe(1)
  })

  it('lists everything with for await, across pages', async () => {
    const ids: string[] = []
    for await (const s of admin.authorizationServers.list()) ids.push(s.id)
    expect(ids).toEqual(['default', server.id])

    for (const name of ['integration:write', 'integration:admin', 'integration:audit']) {
      await admin.scopes.create(server.id, { name })
    }
    const names: string[] = []
    let pages = 0
    for await (const page of admin.scopes
      .list(server.id, { filter: 'system eq false', limit: 2 })
      .pages()) {
      pages++
      expect(page.items.length).toBeLessThanOrEqual(2)
      names.push(...page.items.map((s) => s.name))
    }
    expect(pages).toBe(2)
    expect(names).toEqual([
      'integration:read',
      'integration:write',
      'integration:admin',
      'integration:audit',
    ])
    const all: string[] = []
    for await (const s of admin.scopes.list(server.id, { q: 'integration:a' })) all.push(s.name)
    expect(all).toEqual(['integration:admin', 'integration:audit'])

    const claims: string[] = []
    for await (const c of admin.claims.list(server.id)) claims.push(c.name)
    expect(claims).toEqual(['team'])
    const policies: string[] = []
    for await (const p of admin.policies.list(server.id)) policies.push(p.name)
    expect(policies).toEqual(['Integration policy'])
    const rules: string[] = []
    for await (const r of admin.policyRules.list(server.id, policy.id)) rules.push(r.name)
    expect(rules).toEqual(['Integration rule'])
  })

  it('the server issues tokens with the custom claim, which the verifier accepts', async () => {
    client = await webClient(server.issuer!)
    verifier = createVerifier({ issuer: server.issuer!, audience: 'api://integration' })
    const { accessToken } = await client.clientCredentials({ scope: 'integration:read' })
    const verified = await verifier.verifyAccessToken(accessToken!, {
      scopes: ['integration:read'],
      claims: { team: 'platform' },
    })
    expect(verified.header?.kid).toBe(running.org.activeKid(server.id))
  })

  it('rotateAndWait reloads the verifier: a token of the new key needs no extra JWKS request', async () => {
    const before = await admin.keys.list(server.id)
    expect(before.map((k) => k.status)).toEqual(['ACTIVE', 'NEXT'])
    const result = await admin.keys.rotateAndWait(server.id, { interval: 50 })
    expect(result.kid).toBe(before[1]!.kid)
    expect(result.kid).toBe(running.org.activeKid(server.id))
    expect(result.jwksUri).toBe(`${server.issuer}/v1/keys`)
    expect(result.reloadedCaches).toBeGreaterThanOrEqual(1)
    expect(result.keys.map((k) => k.status)).toEqual(['ACTIVE', 'NEXT', 'EXPIRED'])
    expect((await admin.keys.list(server.id)).map((k) => k.kid)).toEqual(
      result.keys.map((k) => k.kid),
    )

    const jwksRequests = running.org.requestCount('keys')
    const { accessToken } = await client.clientCredentials({ scope: 'integration:read' })
    expect(decodeProtectedHeader(accessToken!).kid).toBe(result.kid)
    const verified = await verifier.verifyAccessToken(accessToken!)
    expect(verified.header?.kid).toBe(result.kid)
    expect(running.org.requestCount('keys')).toBe(jwksRequests)
  })

  it('reports API errors as OktaApiError, with silent downscoping detected', async () => {
    const duplicate = await rejection(admin.scopes.create(server.id, { name: 'integration:read' }))
    expect(duplicate).toBeInstanceOf(OktaApiError)
    expect(duplicate).toMatchObject({
      status: 400,
      code: 'ERR_API_BAD_REQUEST',
      errorCode: 'E0000001',
      errorCauses: [{ errorSummary: expect.stringContaining('already exists') }],
    })
    const missing = await rejection(admin.authorizationServers.get('ausnosuchserver00000'))
    expect(missing).toMatchObject({ status: 404, code: 'ERR_API_NOT_FOUND', errorCode: 'E0000007' })

    // The read-only admin's token carries .manage, but its role cannot manage.
    expect((await readOnlyAdmin.authorizationServers.get(server.id)).id).toBe(server.id)
    const downscoped = await rejection(
      readOnlyAdmin.authorizationServers.update(server.id, {
        name: 'Renamed',
        audiences: ['api://integration'],
      }),
    )
    expect(downscoped).toMatchObject({
      status: 403,
      code: 'ERR_API_FORBIDDEN',
      errorCode: 'E0000006',
      downscoped: true,
    })
  })

  it('deactivates the server (no more tokens) and deletes it (discovery 404s)', async () => {
    await admin.authorizationServers.deactivate(server.id)
    expect((await admin.authorizationServers.get(server.id)).status).toBe('INACTIVE')
    await expect(client.clientCredentials({ scope: 'integration:read' })).rejects.toMatchObject({
      error: 'invalid_request',
    })
    await admin.authorizationServers.delete(server.id)
    await expect(admin.authorizationServers.get(server.id)).rejects.toMatchObject({ status: 404 })
    await expect(discover(server.issuer!, { cacheTtl: 0 })).rejects.toMatchObject({ status: 404 })
    const ids: string[] = []
    for await (const s of admin.authorizationServers.list()) ids.push(s.id)
    expect(ids).toEqual(['default'])
  })
})

describe("today's API shapes, sent by the admin client and kept by the emulator", () => {
  it('a server with issuerMode and token encryption; a policy without description', async () => {
    const jwk = {
      kty: 'RSA' as const,
      e: 'AQAB',
      n: 'bW9kdWx1cw',
      kid: 'enc-1',
      use: 'enc' as const,
    }
    const created = await ssws.authorizationServers.create({
      name: 'Shapes server',
      audiences: ['api://shapes'],
      issuerMode: 'DYNAMIC',
      accessTokenEncryptedResponseAlgorithm: 'RSA-OAEP-256',
      jwks: { keys: [{ ...jwk, status: 'ACTIVE' }] },
    })
    expect(created).toMatchObject({
      issuerMode: 'DYNAMIC',
      accessTokenEncryptedResponseAlgorithm: 'RSA-OAEP-256',
      jwks: { keys: [{ ...jwk, status: 'ACTIVE' }] },
    })
    const policy = await ssws.policies.create(created.id, {
      name: 'No description',
      conditions: { clients: { include: ['ALL_CLIENTS'] } },
    })
    expect(policy.description).toBeUndefined()
    await ssws.authorizationServers.delete(created.id)
  })

  it('rules: actions.token with its inline hook, five years, new grant types; the deprecated token moved', async () => {
    const created = await ssws.authorizationServers.create({
      name: 'Rules server',
      audiences: ['api://rules'],
    })
    const policy = await ssws.policies.create(created.id, {
      name: 'Rules policy',
      conditions: { clients: { include: ['ALL_CLIENTS'] } },
    })
    const token = {
      accessTokenLifetimeMinutes: 30,
      refreshTokenLifetimeMinutes: 0,
      refreshTokenWindowMinutes: 2_628_000,
      inlineHook: { id: 'cal4egvp1mbMldrYN0g7' },
    }
    const rule = await ssws.policyRules.create(created.id, policy.id, {
      name: 'Today',
      conditions: {
        grantTypes: { include: ['client_credentials', 'urn:openid:params:grant-type:ciba'] },
        scopes: { include: ['*'] },
      },
      actions: { token },
    })
    expect(rule.actions?.token).toEqual(token)
    expect(rule.token).toBeUndefined()
    expect((await ssws.policyRules.get(created.id, policy.id, rule.id)).actions?.token).toEqual(
      token,
    )
    // The older top-level token is sent where the API reads it.
    const older = await ssws.policyRules.create(created.id, policy.id, {
      name: 'Older',
      conditions: { scopes: { include: ['*'] } },
      token: { accessTokenLifetimeMinutes: 15 },
    })
    expect(older.actions?.token?.accessTokenLifetimeMinutes).toBe(15)
    await ssws.authorizationServers.delete(created.id)
  })

  it('scopes keep optional; GROUPS claims use group_filter_type, either spelling given', async () => {
    const scope = await ssws.scopes.create('default', {
      name: 'shapes:optional',
      consent: 'REQUIRED',
      optional: true,
    })
    expect(scope.optional).toBe(true)
    expect((await ssws.scopes.get('default', scope.id)).optional).toBe(true)
    const today = await ssws.claims.create('default', {
      name: 'shapesGroups',
      claimType: 'IDENTITY',
      valueType: 'GROUPS',
      group_filter_type: 'STARTS_WITH',
      value: 'Every',
    })
    expect(today).toMatchObject({
      group_filter_type: 'STARTS_WITH',
      groupFilterType: 'STARTS_WITH',
    })
    const older = await ssws.claims.create('default', {
      name: 'shapesOlder',
      claimType: 'IDENTITY',
      valueType: 'GROUPS',
      groupFilterType: 'EQUALS',
      value: 'Everyone',
    })
    expect(older.group_filter_type).toBe('EQUALS')
    for (const id of [today.id, older.id]) await ssws.claims.delete('default', id)
    await ssws.scopes.delete('default', scope.id)
  })

  it('signing keys: the bare array of the list and the rotation is read', async () => {
    const keys = await ssws.keys.list('default')
    expect(keys.map((k) => k.status)).toEqual(['ACTIVE', 'NEXT'])
  })

  it('app grants with okta.appGrants.* (OAuth for Okta)', async () => {
    const granted = await grantsAdmin.appGrants.grant(WEB, {
      issuer: running.url,
      scopeId: 'okta.users.read',
    })
    expect(granted).toMatchObject({ scopeId: 'okta.users.read', status: 'ACTIVE' })
    expect(granted._embedded?.scope?.id).toBe('okta.users.read')
    const list = await grantsAdmin.appGrants.list(WEB).all()
    expect(list.map((g) => g.scopeId)).toContain('okta.users.read')
    await grantsAdmin.appGrants.revoke(WEB, granted.id)
    expect((await grantsAdmin.appGrants.list(WEB).all()).map((g) => g.scopeId)).not.toContain(
      'okta.users.read',
    )
  })

  it('a typo in a body is refused before anything is sent', async () => {
    const before = running.org.requestCount('api')
    const err = await rejection(
      ssws.policies.create('default', {
        name: 'Typo',
        descripton: 'd',
      } as unknown as Parameters<AdminClient['policies']['create']>[1]),
    )
    expect(err).toBeInstanceOf(RequestValidationError)
    expect(err).toMatchObject({
      issues: [{ path: 'descripton', message: 'is not a field of this model (a typo?)' }],
    })
    expect(running.org.requestCount('api')).toBe(before)
  })
})

describe('rate limits over HTTP', () => {
  it('the admin client waits for X-Rate-Limit-Reset (against Date) and retries a 429', async () => {
    const limited = await startOktaOrg({ rateLimit: { limit: 2, windowSeconds: 2 } })
    try {
      const seen: RateLimitInfo[] = []
      const ssws = createAdminClient({
        orgUrl: limited.url,
        auth: { type: 'ssws', token: DEFAULT_API_TOKEN },
        onRateLimit: (info) => seen.push(info),
      })
      for (let i = 0; i < 3; i++)
        expect((await ssws.authorizationServers.get('default')).id).toBe('default')
      // The third request was refused once, then retried in the next window
      // (2 s: the first two requests cannot straddle two windows).
      expect(limited.org.requestCount('api')).toBe(4)
      expect(seen.map((s) => s.remaining)).toEqual([1, 0, 0, 1])
      expect(seen[0]).toMatchObject({ limit: 2, reset: expect.any(Number) })
    } finally {
      await limited.close()
    }
  })
})

describe('OAuth for Okta: scopes the org refuses', () => {
  it('a token request for scopes the app was not granted → AdminScopeError naming them', async () => {
    const err = await rejection(ungrantedAdmin.authorizationServers.get('default'))
    expect(err).toBeInstanceOf(AdminScopeError)
    expect(err).toMatchObject({
      code: 'ERR_SCOPE_NOT_GRANTED',
      requiredScope: 'okta.authorizationServers.read',
      scopes: SCOPES,
    })
    expect((err as AdminScopeError).cause).toBeInstanceOf(OAuthResponseError)
    expect((err as AdminScopeError).cause).toMatchObject({ error: 'invalid_scope', status: 400 })
  })
})
