import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, discover } from '../../src/index.js'
import {
  DEFAULT_CLIENTS,
  DEFAULT_SERVICE_CLIENT_ID,
  type RunningOktaOrg,
  startOktaOrg,
} from '../../src/testing/index.js'
import { type RunningRedis, startRedis } from './harness/redis-server.js'
import { startWorker, type Worker } from './harness/workers.js'

// Issue 17, "Running a fleet": separate Node processes sharing one
// redis-server, one instance on node-redis 5 and the other on ioredis,
// against the local org over HTTP (which counts the requests it gets).

const WEB = DEFAULT_CLIENTS.find((c) => c.clientSecret)!
const REDIRECT_URI = WEB.redirectUris!.find((u) => u.startsWith('http://127.0.0.1'))!
const SECRET = 'fleet-app-secret-of-at-least-32-characters'
const PREFIX = 'fleet-test:'

let redis: RunningRedis
let running: RunningOktaOrg
const workers: Worker[] = []

/** Two instances, one per client library, connected to the shared Redis. */
async function pair(): Promise<[Worker, Worker]> {
  const a = await startWorker()
  const b = await startWorker()
  workers.push(a, b)
  await a.call({ op: 'connect', redisPort: redis.port, client: 'node-redis', prefix: PREFIX })
  await b.call({ op: 'connect', redisPort: redis.port, client: 'ioredis', prefix: PREFIX })
  return [a, b]
}

beforeAll(async () => {
  redis = await startRedis()
  running = await startOktaOrg()
})
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()))
  await running?.close()
  await redis?.stop()
})

describe('a fleet of two processes on one Redis', () => {
  it('shares sessions, refuses a replayed callback on the other instance, logs out everywhere', async () => {
    const [a, b] = await pair()
    const app = {
      op: 'app',
      issuer: running.org.issuer(),
      clientId: WEB.clientId,
      clientSecret: WEB.clientSecret!,
      redirectUri: REDIRECT_URI,
      secret: SECRET,
    } as const
    const { port: portA } = await a.call<{ port: number }>(app)
    const { port: portB } = await b.call<{ port: number }>(app)
    const get = async (port: number, path: string, cookie?: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        headers: cookie ? { cookie } : {},
      })
      const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]!)
      return {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        cookies,
      }
    }

    // Sign-in starts on A, the callback lands on B.
    const login = await get(portA, '/login')
    expect(login.status).toBe(200)
    const txnCookie = login.cookies.join('; ')
    const result = await running.org.signIn({ url: login.body.location as string })
    if (result.responseMode !== 'query') throw new Error('expected a query response')
    const callbackPath = `/callback${result.url.search}`
    const callback = await get(portB, callbackPath, txnCookie)
    expect(callback.status).toBe(200)
    expect(callback.body).toMatchObject({ signedIn: true })
    const session = callback.cookies.find((c) => c.startsWith('okta-session='))!
    expect(session).toBeDefined()

    // The session B wrote is A's too.
    const onA = await get(portA, '/me', session)
    expect(onA.status).toBe(200)
    expect(onA.body.sub).toBe(running.org.users.values().next().value!.id)
    expect(onA.body.pid).not.toBe(callback.body.pid)

    // The same callback replayed on A (the other process): refused, the transaction was used once.
    const replay = await get(portA, callbackPath, txnCookie)
    expect(replay).toMatchObject({ status: 400, body: { code: 'ERR_TRANSACTION_REUSED' } })

    // Logout on B ends the session on A too (a copy of the cookie is dead).
    expect((await get(portB, '/logout', session)).status).toBe(200)
    expect(await get(portA, '/me', session)).toMatchObject({ status: 401 })
  })

  it('a second verifier process starts from the shared JWKS without a JWKS request; a rotation is fetched once', async () => {
    const [first, second] = await pair()
    const issuer = running.org.issuer()
    const client = createClient(await discover(issuer), {
      clientId: WEB.clientId,
      auth: { method: 'client_secret_basic', clientSecret: WEB.clientSecret! },
    })
    const token = async () => (await client.clientCredentials({ scope: 'orders:read' })).accessToken
    const verifier = {
      op: 'verifier',
      issuer,
      jwksUri: `${issuer}/v1/keys`,
      audience: 'api://default',
    } as const
    const keys = () => running.org.requestCount('keys')
    const before = keys()

    await first.call(verifier)
    const one = await first.call<{ sub: string }>({ op: 'verify', token: await token() })
    expect(one.sub).toBe(WEB.clientId)
    expect(keys() - before).toBe(1)

    // A new process (a cold start): keys from Redis, no request to the org.
    await second.call(verifier)
    const two = await second.call<{ sub: string; events: string[] }>({
      op: 'verify',
      token: await token(),
    })
    expect(two.sub).toBe(WEB.clientId)
    expect(two.events).toContain('import')
    expect(keys() - before).toBe(1)

    // The org rotates twice (its next key is published ahead, so one rotation
    // brings a kid both already hold): the first process to see the new kid
    // fetches, the other takes the keys from Redis.
    await running.org.rotateKeys()
    await running.org.rotateKeys()
    const rotated = await token()
    await first.call({ op: 'verify', token: rotated })
    expect(keys() - before).toBe(2)
    const after = await second.call<{ events: string[] }>({ op: 'verify', token: rotated })
    expect(after.events).toContain('rotation')
    expect(after.events).not.toContain('fetch')
    expect(keys() - before).toBe(2)
  })

  it('20 concurrent admin calls across 2 processes cost exactly one token request', async () => {
    const [a, b] = await pair()
    const key = await running.org.clientKey(DEFAULT_SERVICE_CLIENT_ID)
    const admin = {
      op: 'admin',
      orgUrl: running.url,
      clientId: DEFAULT_SERVICE_CLIENT_ID,
      privatePem: key.privatePem,
      kid: key.kid,
    } as const
    await a.call(admin)
    await b.call(admin)
    const tokens = () => running.org.requestCount('token')
    const before = tokens()
    const [onA, onB] = await Promise.all([
      a.call<{ ids: string[] }>({ op: 'adminCalls', count: 10 }),
      b.call<{ ids: string[] }>({ op: 'adminCalls', count: 10 }),
    ])
    expect([...onA.ids, ...onB.ids]).toEqual(Array(20).fill('default'))
    expect(tokens() - before).toBe(1)
    // Later calls reuse the shared token too.
    await Promise.all([
      a.call({ op: 'adminCalls', count: 3 }),
      b.call({ op: 'adminCalls', count: 3 }),
    ])
    expect(tokens() - before).toBe(1)
  })
})
