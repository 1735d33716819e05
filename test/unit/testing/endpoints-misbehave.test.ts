// org.misbehave(): error statuses, bodies, headers and delays for the next
// requests to one endpoint, and how the SDK sees them. The org and helpers
// are in endpoints-harness.ts.
import { describe, expect, it } from 'vitest'
import {
  clearDiscoveryCache,
  discover,
  InvalidResponseError,
  OAuthResponseError,
  TimeoutError,
} from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { harness, keysOf, useEndpointsHarness } from './endpoints-harness.js'
import { basic, postForm, signIn, spa, USER_ID, visit, WEB, WEB_SECRET, web } from './helpers.js'

useEndpointsHarness()

describe('misbehave', () => {
  it('status, body and headers for N requests, then normal answers', async () => {
    const client = await web(harness.org)
    const before = harness.org.requestCount('token')
    harness.org.misbehave('token', {
      status: 429,
      body: { error: 'too_many_requests', error_description: 'slow down' },
      headers: { 'retry-after': '7' },
      times: 2,
    })
    const raw = await postForm(
      `${harness.org.issuer()}/v1/token`,
      { grant_type: 'client_credentials', scope: 'orders:read' },
      basic(WEB, WEB_SECRET),
    )
    expect(raw.status).toBe(429)
    expect(raw.headers.get('retry-after')).toBe('7')
    expect(await raw.json()).toEqual({ error: 'too_many_requests', error_description: 'slow down' })
    const err = await rejection(client.clientCredentials({ scope: 'orders:read' }))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'too_many_requests', status: 429 })
    await expect(client.clientCredentials({ scope: 'orders:read' })).resolves.toMatchObject({
      scope: 'orders:read',
    })
    expect(harness.org.requestCount('token') - before).toBe(3)
  })

  it('the default body is an Okta error body (E0000009)', async () => {
    harness.org.misbehave('introspect', { status: 500 })
    const response = await postForm(
      `${harness.org.issuer()}/v1/introspect`,
      { token: 'x' },
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({
      errorCode: 'E0000009',
      errorSummary: 'Internal Server Error',
    })
    const client = await web(harness.org)
    await expect(client.introspect('x')).resolves.toEqual({ active: false })
  })

  it('a string body is sent as is', async () => {
    harness.org.misbehave('keys', { status: 502, body: '<html>bad gateway</html>' })
    const response = await keysOf(harness.org)
    expect(response.status).toBe(502)
    expect(await response.text()).toBe('<html>bad gateway</html>')
    expect((await keysOf(harness.org)).status).toBe(200)
  })

  it('a delay makes an SDK call with a short timeout fail with ERR_TIMEOUT', async () => {
    const client = await web(harness.org)
    harness.org.misbehave('token', { delay: 300 })
    const err = await rejection(client.clientCredentials({ scope: 'orders:read' }, { timeout: 50 }))
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
    // The delay applied to one request only.
    await expect(
      client.clientCredentials({ scope: 'orders:read' }, { timeout: 2_000 }),
    ).resolves.toBeDefined()
  })

  it('a delay alone still answers normally', async () => {
    const client = await web(harness.org)
    harness.org.misbehave('token', { delay: 30 })
    await expect(client.clientCredentials({ scope: 'orders:read' })).resolves.toMatchObject({
      scope: 'orders:read',
    })
  })

  it('a discovery failure makes discover reject with a typed error, then recover', async () => {
    clearDiscoveryCache()
    harness.org.misbehave('discovery', { status: 503 })
    const err = await rejection(discover(harness.org.issuer()))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 503 })
    await expect(discover(harness.org.issuer())).resolves.toMatchObject({
      issuer: harness.org.issuer(),
    })
  })

  it('times: Infinity lasts until behave() clears it', async () => {
    harness.org.misbehave('userinfo', { status: 503, times: Number.POSITIVE_INFINITY })
    const { client, tokens } = await signIn(harness.org, 'openid')
    for (let i = 0; i < 3; i++) {
      await expect(client.userinfo(tokens)).rejects.toBeDefined()
    }
    harness.org.behave()
    await expect(client.userinfo(tokens)).resolves.toEqual({ sub: USER_ID })
  })

  it('misbehaviours queue up per endpoint, in order', async () => {
    harness.org.misbehave('keys', { status: 500 })
    harness.org.misbehave('keys', { status: 503 })
    expect((await keysOf(harness.org)).status).toBe(500)
    expect((await keysOf(harness.org)).status).toBe(503)
    expect((await keysOf(harness.org)).status).toBe(200)
  })

  it('other endpoints are unaffected', async () => {
    harness.org.misbehave('token', { status: 500, times: 5 })
    expect((await keysOf(harness.org)).status).toBe(200)
    const spaClient = await spa(harness.org)
    const { url } = await spaClient.authorizationUrl({ scope: 'openid' })
    expect((await visit(url)).status).toBe(302)
  })

  it('authorize can misbehave too', async () => {
    harness.org.misbehave('authorize', { status: 500 })
    const spaClient = await spa(harness.org)
    const { url } = await spaClient.authorizationUrl({ scope: 'openid' })
    expect((await visit(url)).status).toBe(500)
    expect((await visit(url)).status).toBe(302)
  })
})
