import { request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import { HttpResponse, http, passthrough } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clearDiscoveryCache, createClient, discover, NetworkError } from '../../../src/index.js'
import { DEFAULT_API_TOKEN, type RunningOktaOrg, startOktaOrg } from '../../../src/testing/index.js'
import { server } from '../msw.js'
import { basic, jwt, location, postForm, SPA, USER_ID, WEB, WEB_SECRET } from './helpers.js'

const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d+\//

let running: RunningOktaOrg | undefined
beforeEach(() => {
  clearDiscoveryCache()
  // Real HTTP to the local org: let msw pass loopback requests through.
  server.use(http.all(LOOPBACK, () => passthrough()))
})
afterEach(async () => {
  await running?.close()
  running = undefined
})

/** A raw request (for bodies fetch would not send the way a test needs). */
function rawPost(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': body.length,
        },
      },
      (res) => {
        res.resume()
        res.once('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    // The answer may come before the whole body is written: a late write
    // error on the socket after that is not the test's concern.
    req.on('socket', (socket) => socket.on('error', () => {}))
    req.end(body)
  })
}

/**
 * Send part of an oversized body, wait for the answer, then send the rest:
 * whether the server let the client finish its upload.
 */
function uploadAfterAnswer(url: string): Promise<{ status: number; completed: boolean }> {
  return new Promise((resolve) => {
    const total = 2 * 1_048_576
    const first = Buffer.alloc(1_100_000, 'a')
    let status = 0
    let failed = false
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': total },
      },
      (res) => {
        status = res.statusCode ?? 0
        res.resume()
        res.once('end', () => req.end(Buffer.alloc(total - first.length, 'a')))
      },
    )
    req.on('error', () => {
      failed = true
    })
    req.on('close', () => resolve({ status, completed: !failed && req.writableFinished }))
    req.write(first)
  })
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

describe('startOktaOrg', () => {
  it('serves discovery over real HTTP on 127.0.0.1', async () => {
    running = await startOktaOrg()
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(running.org.orgUrl).toBe(running.url)
    const metadata = await discover(running.org.issuer())
    expect(metadata.issuer).toBe(`${running.url}/oauth2/default`)
    expect(metadata.token_endpoint).toBe(`${running.url}/oauth2/default/v1/token`)
    const orgServer = await discover(running.org.orgIssuer)
    expect(orgServer.issuer).toBe(running.url)
    expect(running.org.requestCount('discovery')).toBe(2)
  })

  it('runs a full code + PKCE flow over HTTP', async () => {
    running = await startOktaOrg()
    const client = createClient(await discover(running.org.issuer()), {
      clientId: SPA,
      redirectUri: 'http://127.0.0.1:8080/callback',
    })
    const { url, transaction } = await client.authorizationUrl({
      scope: 'openid profile offline_access',
    })
    const response = await fetch(url, { redirect: 'manual' })
    const target = location(response)
    expect(target.startsWith('http://127.0.0.1:8080/callback?')).toBe(true)
    const tokens = await client.handleCallback(target, transaction)
    expect(tokens.idTokenClaims).toMatchObject({ sub: USER_ID, iss: running.org.issuer() })
    expect(jwt(tokens.accessToken!).claims.iss).toBe(running.org.issuer())
    const fresh = await client.refresh(tokens.refreshToken!)
    expect(await client.userinfo(fresh, { expectedSubject: USER_ID })).toMatchObject({
      name: 'John Doe',
    })
    expect(running.org.requestCount('authorize')).toBe(1)
    expect(running.org.requestCount('token')).toBe(2)
    expect(running.org.requestCount('keys')).toBe(1)
  })

  it('passes POSTed forms and headers through the node adapter', async () => {
    running = await startOktaOrg()
    const metadata = await discover(running.org.issuer())
    const posting = (clientSecret: string) =>
      createClient(metadata, {
        clientId: WEB,
        auth: { method: 'client_secret_post', clientSecret },
      })
    // The form's secret reaches the org: a wrong one is refused, the right one accepted.
    await expect(
      posting('a-wrong-secret').clientCredentials({ scope: 'orders:read' }),
    ).rejects.toMatchObject({ error: 'invalid_client', status: 401 })
    await expect(
      posting(WEB_SECRET).clientCredentials({ scope: 'orders:read' }),
    ).resolves.toMatchObject({ scope: 'orders:read' })
    const response = await postForm(
      `${running.org.issuer()}/v1/token`,
      { grant_type: 'client_credentials', scope: 'orders:read' },
      basic(WEB, WEB_SECRET),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.json()
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'orders:read' })
    const introspection = await postForm(
      `${running.org.issuer()}/v1/introspect`,
      { token: body.access_token },
      basic(WEB, WEB_SECRET),
    )
    expect(await introspection.json()).toMatchObject({ active: true, client_id: WEB })
  })

  it('answers an unknown path with 404', async () => {
    running = await startOktaOrg()
    const response = await fetch(`${running.url}/nothing/here`)
    expect(response.status).toBe(404)
    expect(await response.text()).toBe('Not found')
  })

  it("answers an unknown /api/v1 route with Okta's JSON 404 (E0000007), whatever the method", async () => {
    running = await startOktaOrg()
    for (const [method, path] of [
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/groups'],
      ['DELETE', '/api/v1/authorizationServers/default/nothing/here'],
    ] as const) {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: { authorization: `SSWS ${DEFAULT_API_TOKEN}`, accept: 'application/json' },
      })
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type'), path).toMatch(/^application\/json/)
      const body = await response.json()
      expect(body, path).toEqual({
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found',
        errorLink: 'E0000007',
        errorId: expect.stringMatching(/^oae\w{22}$/),
        errorCauses: [],
      })
    }
  })

  it('answers a body over 1 MiB with 413', async () => {
    running = await startOktaOrg()
    const status = await rawPost(
      `${running.url}/oauth2/default/v1/token`,
      Buffer.alloc(1_048_577, 'a'),
    )
    expect(status).toBe(413)
    // Much larger bodies too: the rest is discarded, the client still reads the 413.
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${running.url}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a'.repeat(4 * 1_048_576),
      })
      expect(response.status).toBe(413)
    }
    expect(running.org.requestCount('token')).toBe(0)
    // The connection is not reset under the client: it can finish its upload.
    expect(await uploadAfterAnswer(`${running.url}/oauth2/default/v1/token`)).toEqual({
      status: 413,
      completed: true,
    })
    // A body just under the limit reaches the handler.
    const ok = await rawPost(`${running.url}/oauth2/default/v1/token`, Buffer.alloc(1_000_000, 'a'))
    expect(ok).toBe(401)
    expect(running.org.requestCount('token')).toBe(1)
  })

  it('close() frees the port', async () => {
    running = await startOktaOrg()
    const port = Number(new URL(running.url).port)
    expect(await portIsFree(port)).toBe(false)
    await running.close()
    running = undefined
    expect(await portIsFree(port)).toBe(true)
    const err = await fetch(`http://127.0.0.1:${port}/oauth2/default/v1/keys`).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(TypeError)
  })

  it('listens on the port asked for', async () => {
    const probe = await startOktaOrg()
    const port = Number(new URL(probe.url).port)
    await probe.close()
    running = await startOktaOrg({ port })
    expect(running.url).toBe(`http://127.0.0.1:${port}`)
    expect((await fetch(`${running.url}/oauth2/default/v1/keys`)).status).toBe(200)
  })

  it('consults extra handlers first', async () => {
    running = await startOktaOrg({
      handlers: [
        http.get('*/api/v1/users/me', () => HttpResponse.json({ id: USER_ID })),
        http.get('*/oauth2/default/v1/keys', () => HttpResponse.json({ keys: [] })),
      ],
    })
    const me = await fetch(`${running.url}/api/v1/users/me`)
    expect(await me.json()).toEqual({ id: USER_ID })
    const keys = await fetch(`${running.url}/oauth2/default/v1/keys`)
    expect(await keys.json()).toEqual({ keys: [] })
    expect(running.org.requestCount('keys')).toBe(0)
    // The org's own handlers still answer the rest.
    expect((await fetch(`${running.url}/oauth2/v1/keys`)).status).toBe(200)
  })

  it('passes org options through and scripts misbehaviour over HTTP', async () => {
    running = await startOktaOrg({ tokenLifetime: 90 })
    running.org.misbehave('token', { status: 429, headers: { 'retry-after': '3' } })
    const url = `${running.org.issuer()}/v1/token`
    const form = { grant_type: 'client_credentials', scope: 'orders:read' }
    const limited = await postForm(url, form, basic(WEB, WEB_SECRET))
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    const ok = await postForm(url, form, basic(WEB, WEB_SECRET))
    expect((await ok.json()).expires_in).toBe(90)
  })

  it('an SDK call to a closed org fails with a NetworkError', async () => {
    running = await startOktaOrg()
    const client = createClient(await discover(running.org.issuer()), {
      clientId: WEB,
      auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
    })
    await running.close()
    running = undefined
    await expect(client.clientCredentials({ scope: 'orders:read' })).rejects.toBeInstanceOf(
      NetworkError,
    )
  })
})
