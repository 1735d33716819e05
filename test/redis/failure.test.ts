import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { StoreError } from '../../src/errors.js'
import { createClient, discover } from '../../src/index.js'
import type { JwksCacheEvent } from '../../src/jwks/events.js'
import {
  createRedisJwksStore,
  createRedisSessionStore,
  createRedisTransactionStore,
} from '../../src/redis/index.js'
import { createServerAuth, toHttpResponse } from '../../src/server/index.js'
import { DEFAULT_CLIENTS, type RunningOktaOrg, startOktaOrg } from '../../src/testing/index.js'
import { createVerifier } from '../../src/verifier/index.js'
import { CLIENT_KINDS, connect, type TestClient } from './harness/clients.js'
import { type RunningRedis, startRedis } from './harness/redis-server.js'

// Issue 17: what a fleet does when Redis is slow (the server frozen with
// SIGSTOP: connections open, no answers) or down (the server stopped).
// Sign-in and sessions fail with StoreError (ERR_STORE_UNAVAILABLE, 503)
// within the store's timeout; verification keeps serving the keys it holds
// and a cold verifier falls back to the JWKS endpoint.

const WEB = DEFAULT_CLIENTS.find((c) => c.clientSecret)!
const REDIRECT_URI = WEB.redirectUris!.find((u) => u.startsWith('http://127.0.0.1'))!
const SECRET = 'failure-test-secret-of-at-least-32-chars'

let running: RunningOktaOrg
beforeAll(async () => {
  running = await startOktaOrg()
})
afterAll(async () => {
  await running?.close()
})

async function serverAuthOn(c: TestClient, timeout: number) {
  const client = createClient(await discover(running.org.issuer()), {
    clientId: WEB.clientId,
    auth: { method: 'client_secret_basic', clientSecret: WEB.clientSecret! },
  })
  return createServerAuth(client, {
    secret: SECRET,
    redirectUri: REDIRECT_URI,
    transactionStore: createRedisTransactionStore(c.client, { secret: SECRET, timeout }),
    sessionStore: createRedisSessionStore(c.client, { secret: SECRET, timeout }),
  })
}

describe.each(CLIENT_KINDS)('with %s', (kind) => {
  let redis: RunningRedis
  let c: TestClient
  beforeAll(async () => {
    redis = await startRedis()
    c = await connect(kind, redis.port)
  })
  afterEach(() => redis.resume())
  afterAll(async () => {
    await c?.close()
    await redis?.stop()
  })

  it('Redis slow: login and session reads fail with StoreError after the timeout (503)', async () => {
    const auth = await serverAuthOn(c, 200)
    redis.pause()
    const started = Date.now()
    const err = await auth.login({ returnTo: '/' }).catch((e: unknown) => e)
    const took = Date.now() - started
    expect(err).toBeInstanceOf(StoreError)
    expect(err).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      operation: 'set',
      timeout: 200,
    })
    expect(took).toBeGreaterThanOrEqual(190)
    expect(toHttpResponse(err).status).toBe(503)
    // A session cookie that names a stored session: the read fails, it is not taken for signed out.
    const sealed = await sessionCookieFor(auth)
    const read = await auth.session.read(sealed).catch((e: unknown) => e)
    expect(read).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', operation: 'get' })
    redis.resume()
    expect((await auth.login({ returnTo: '/' })).url.href).toContain('/v1/authorize')
  })

  it('a sign-in whose callback meets a frozen Redis fails with StoreError (take)', async () => {
    const auth = await serverAuthOn(c, 200)
    const login = await auth.login({ returnTo: '/' })
    const result = await running.org.signIn({ url: login.url })
    if (result.responseMode !== 'form_post') throw new Error('expected form_post')
    const cookie = login.cookies.map((v) => v.split(';')[0]).join('; ')
    const request = new Request(result.request, {
      headers: { ...headersOf(result.request), cookie },
    })
    redis.pause()
    const err = await auth.callback(request).catch((e: unknown) => e)
    expect(err).toMatchObject({
      name: 'StoreError',
      code: 'ERR_STORE_UNAVAILABLE',
      operation: 'take',
    })
  })

  /** A session cookie naming a stored session (written while Redis answers). */
  async function sessionCookieFor(auth: Awaited<ReturnType<typeof serverAuthOn>>) {
    redis.resume()
    const login = await auth.login({ returnTo: '/' })
    const result = await running.org.signIn({ url: login.url })
    if (result.responseMode !== 'form_post') throw new Error('expected form_post')
    const cookie = login.cookies.map((v) => v.split(';')[0]).join('; ')
    const request = new Request(result.request, {
      headers: { ...headersOf(result.request), cookie },
    })
    const outcome = await auth.callback(request)
    redis.pause()
    return outcome.cookies.map((v) => v.split(';')[0]).join('; ')
  }
})

function headersOf(request: Request): Record<string, string> {
  return Object.fromEntries(request.headers.entries())
}

describe('Redis down', () => {
  it.each(CLIENT_KINDS)('%s: a stopped server is a StoreError, not a hang', async (kind) => {
    const redis = await startRedis()
    const c = await connect(kind, redis.port)
    try {
      const auth = await serverAuthOn(c, 500)
      await redis.stop()
      const err = await auth.login({ returnTo: '/' }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(StoreError)
      expect(err).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', operation: 'set' })
      // The cause keeps the client error's name, never a key or a value.
      expect(JSON.stringify((err as Error).cause ?? {})).not.toContain('okta-oauth-kit:')
    } finally {
      await c.close()
      await redis.stop()
    }
  })
})

describe('verification while Redis is frozen', () => {
  it('a warm verifier keeps verifying with its keys; a cold one falls back to the JWKS endpoint', async () => {
    const redis = await startRedis()
    const c = await connect('node-redis', redis.port)
    try {
      const issuer = running.org.issuer()
      const client = createClient(await discover(issuer), {
        clientId: WEB.clientId,
        auth: { method: 'client_secret_basic', clientSecret: WEB.clientSecret! },
      })
      const tokens = await Promise.all(
        Array.from(
          { length: 5 },
          async () => (await client.clientCredentials({ scope: 'orders:read' })).accessToken,
        ),
      )
      const events: JwksCacheEvent[] = []
      const make = () =>
        createVerifier({
          issuer,
          jwksUri: `${issuer}/v1/keys`,
          audience: 'api://default',
          jwks: {
            store: createRedisJwksStore(c.client, { timeout: 200 }),
            onEvent: (e) => events.push(e),
          },
        })
      const warm = make()
      const keys = () => running.org.requestCount('keys')
      const before = keys()
      await warm.verifyAccessToken(tokens[0]!)
      expect(keys() - before).toBe(1)
      // The cache writes the key set without awaiting it: let that write land
      // before Redis freezes, so its timeout is not counted below.
      await vi.waitFor(async () => expect(await c.keys('*jwks:*')).toHaveLength(1), {
        timeout: 5_000,
        interval: 20,
      })

      redis.pause()
      for (let round = 0; round < 10; round++) {
        for (const token of tokens) {
          expect((await warm.verifyAccessToken(token)).claims.sub).toBe(WEB.clientId)
        }
      }
      // No request per call, and Redis was not consulted either.
      expect(keys() - before).toBe(1)
      expect(events.filter((e) => e.type === 'store-error')).toEqual([])

      // A cold instance: the store read times out (a store-error event), then one fetch.
      const cold = make()
      expect((await cold.verifyAccessToken(tokens[1]!)).claims.sub).toBe(WEB.clientId)
      expect(keys() - before).toBe(2)
      // Its read timed out, then the fetch's write timed out too: reported, not
      // thrown. The write is not awaited by the verification, so its event
      // comes up to its timeout (200 ms) after the answer.
      const storeErrors = () => events.filter((e) => e.type === 'store-error')
      await vi.waitFor(
        () =>
          expect(
            storeErrors()
              .map((e) => e.operation)
              .sort(),
          ).toEqual(['get', 'set']),
        { timeout: 5_000, interval: 20 },
      )
      for (const e of storeErrors()) {
        expect(e.error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', timeout: 200 })
      }
    } finally {
      redis.resume()
      await c.close()
      await redis.stop()
    }
  })
})
