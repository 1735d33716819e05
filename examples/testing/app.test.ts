/**
 * A user's own test suite, offline: the org is `createOktaOrg()` behind msw,
 * so sign-in, tokens, keys and rotation are real but nothing leaves the process.
 */
import { setupServer } from 'msw/node'
import { createAdminClient } from 'okta-oauth-kit/admin'
import { createOktaOrg, DEFAULT_API_TOKEN, type OktaOrg } from 'okta-oauth-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppConfig, ordersApi, serviceToken } from './app.js'

let org: OktaOrg
let config: AppConfig
const server = setupServer()

beforeAll(async () => {
  org = await createOktaOrg({
    clients: [
      {
        clientId: '0oaorders000000000',
        clientSecret: 'orders-service-secret-long-enough-for-tests',
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    ],
  })
  server.use(...org.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  config = {
    issuer: org.issuer(),
    clientId: '0oaorders000000000',
    clientSecret: 'orders-service-secret-long-enough-for-tests',
    audience: 'api://default',
  }
})
afterAll(() => server.close())

describe('the orders API against a local org', () => {
  it('serves a caller with orders:read and refuses one without a token', async () => {
    const api = ordersApi(config)
    const token = await serviceToken(config, 'orders:read')
    const ok = await api.handle(
      new Request('https://api.example.com/orders', {
        headers: { authorization: `Bearer ${token}` },
      }),
    )
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ client: '0oaorders000000000', orders: [] })
    const anonymous = await api.handle(new Request('https://api.example.com/orders'))
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="orders"')
  })

  it('answers 403 insufficient_scope when orders:write is missing', async () => {
    const api = ordersApi(config)
    const token = await serviceToken(config, 'orders:read')
    const res = await api.handle(
      new Request('https://api.example.com/orders', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }),
    )
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toContain('scope="orders:write"')
  })

  it('keeps working across two key rotations, with one JWKS refetch', async () => {
    const api = ordersApi(config)
    const first = await serviceToken(config, 'orders:read')
    await api.verifier.verifyAccessToken(first)
    const before = org.requestCount('keys')
    await org.rotateKeys()
    await org.rotateKeys()
    const after = await serviceToken(config, 'orders:read')
    const res = await api.handle(
      new Request('https://api.example.com/orders', {
        headers: { authorization: `Bearer ${after}` },
      }),
    )
    expect(res.status).toBe(200)
    expect(org.requestCount('keys') - before).toBe(1)
  })

  it("follows the access policy an admin sets up: the rule's scopes and token lifetime", async () => {
    // The management API of the emulated org, with its built-in SSWS token.
    const admin = createAdminClient({
      orgUrl: org.orgUrl,
      auth: { type: 'ssws', token: DEFAULT_API_TOKEN },
    })
    const orders = await admin.authorizationServers.create({
      name: 'Orders',
      description: 'Orders API',
      audiences: ['api://orders'],
    })
    await admin.scopes.create(orders.id, { name: 'orders:read' })
    await admin.scopes.create(orders.id, { name: 'orders:write' })
    const own = { ...config, issuer: orders.issuer!, audience: 'api://orders' }
    // A new server has no access policy yet: no tokens.
    await expect(serviceToken(own, 'orders:read')).rejects.toMatchObject({
      name: 'OAuthResponseError',
      error: 'access_denied',
    })
    const policy = await admin.policies.create(orders.id, {
      name: 'Orders service',
      description: 'The orders service only',
      priority: 1,
      conditions: { clients: { include: [config.clientId] } },
    })
    await admin.policyRules.create(orders.id, policy.id, {
      name: 'Read with client credentials',
      conditions: {
        grantTypes: { include: ['client_credentials'] },
        scopes: { include: ['orders:read'] },
      },
      actions: { token: { accessTokenLifetimeMinutes: 5 } },
    })
    const token = await serviceToken(own, 'orders:read')
    const verified = await ordersApi(own).verifier.verifyAccessToken(token)
    expect(verified.expiresAt - Number(verified.claims.iat)).toBe(300)
    // orders:write is outside the rule: refused by the authorization server.
    await expect(serviceToken(own, 'orders:write')).rejects.toMatchObject({
      error: 'access_denied',
    })
  })

  it('reports an outage of the token endpoint as a typed error', async () => {
    org.misbehave('token', { status: 503 })
    await expect(serviceToken(config, 'orders:read')).rejects.toMatchObject({
      name: 'InvalidResponseError',
      status: 503,
    })
  })
})
