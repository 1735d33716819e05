import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { createClient as createNodeRedis } from 'redis'
import { createAdminClient } from '../../../src/admin/index.js'
import { createClient, discover } from '../../../src/index.js'
import {
  createRedisAdminTokenStore,
  createRedisJwksStore,
  createRedisSessionStore,
  createRedisTransactionStore,
  type RedisClientLike,
} from '../../../src/redis/index.js'
import { createServerAuth, type ServerAuth, toHttpResponse } from '../../../src/server/index.js'
import { createVerifier } from '../../../src/verifier/index.js'
import type { Verifier } from '../../../src/verifier/types.js'

// One instance of an app in a fleet, in its own Node process (forked by
// fleet.test.ts with tsx): it connects to the shared redis-server with the
// client it is told to use and answers the parent's requests over IPC.

/** What the parent asks. */
export type WorkerRequest =
  | { op: 'connect'; redisPort: number; client: 'node-redis' | 'ioredis'; prefix: string }
  | {
      op: 'app'
      issuer: string
      clientId: string
      clientSecret: string
      redirectUri: string
      secret: string
    }
  | { op: 'verifier'; issuer: string; jwksUri: string; audience: string }
  | { op: 'verify'; token: string }
  | { op: 'admin'; orgUrl: string; clientId: string; privatePem: string; kid: string }
  | { op: 'adminCalls'; count: number }

let redis: RedisClientLike | undefined
let prefix = ''
let verifier: Verifier | undefined
const jwksEvents: string[] = []
/** The JWKS store writes under way (see the `verifier` op). */
const writes = new Set<Promise<void>>()
let admin: ReturnType<typeof createAdminClient> | undefined
const SECRET = 'fleet-shared-secret-of-at-least-32-chars'

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'connect': {
      prefix = request.prefix
      if (request.client === 'node-redis') {
        const client = createNodeRedis({ socket: { host: '127.0.0.1', port: request.redisPort } })
        client.on('error', () => {})
        redis = await client.connect()
      } else {
        const client = new Redis({ host: '127.0.0.1', port: request.redisPort })
        client.on('error', () => {})
        redis = client
      }
      return { pid: process.pid }
    }
    case 'app': {
      const client = createClient(await discover(request.issuer), {
        clientId: request.clientId,
        auth: { method: 'client_secret_basic', clientSecret: request.clientSecret },
      })
      const auth = createServerAuth(client, {
        secret: request.secret,
        redirectUri: request.redirectUri,
        responseMode: 'query',
        transactionStore: createRedisTransactionStore(redis!, { secret: request.secret, prefix }),
        sessionStore: createRedisSessionStore(redis!, { secret: request.secret, prefix }),
      })
      return { port: await serve(auth) }
    }
    case 'verifier': {
      const store = createRedisJwksStore(redis!, { prefix })
      verifier = createVerifier({
        issuer: request.issuer,
        jwksUri: request.jwksUri,
        audience: request.audience,
        jwks: {
          // The cache writes the key set after a fetch without awaiting it (a
          // slow Redis must not slow the answer); the worker waits for its
          // writes before it answers, so the test's next step sees them.
          store: {
            get: (uri) => store.get(uri),
            set: (uri, snapshot) => {
              const write = Promise.resolve(store.set(uri, snapshot))
              writes.add(write)
              void write.finally(() => writes.delete(write)).catch(() => {})
              return write
            },
          },
          onEvent: (event) => jwksEvents.push(event.type),
        },
      })
      return {}
    }
    case 'verify': {
      const verified = await verifier!.verifyAccessToken(request.token)
      await Promise.allSettled([...writes])
      return { sub: verified.claims.sub, events: jwksEvents.splice(0) }
    }
    case 'admin': {
      admin = createAdminClient({
        orgUrl: request.orgUrl,
        auth: {
          type: 'oauth',
          clientId: request.clientId,
          privateKey: request.privatePem,
          kid: request.kid,
          scopes: ['okta.authorizationServers.read'],
          tokenStore: createRedisAdminTokenStore(redis!, { secret: SECRET, prefix }),
        },
      })
      return {}
    }
    case 'adminCalls': {
      const servers = await Promise.all(
        Array.from({ length: request.count }, () => admin!.authorizationServers.get('default')),
      )
      return { ids: servers.map((s) => s.id) }
    }
  }
}

/** The app's routes on node:http, on a free port of 127.0.0.1. */
async function serve(auth: ServerAuth): Promise<number> {
  const send = (res: ServerResponse, status: number, body: unknown, cookies: string[] = []) => {
    res.writeHead(status, { 'content-type': 'application/json', 'set-cookie': cookies })
    res.end(JSON.stringify(body))
  }
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    try {
      if (path === '/login') {
        const { url, cookies } = await auth.login(req, { returnTo: '/me' })
        return send(res, 200, { location: url.href }, cookies)
      }
      if (path === '/callback') {
        const { cookies } = await auth.callback(req)
        return send(res, 200, { signedIn: true, pid: process.pid }, cookies)
      }
      if (path === '/me') {
        const session = await auth.session.read(req)
        if (!session) return send(res, 401, { signedIn: false })
        return send(res, 200, { sub: session.idTokenClaims?.sub, pid: process.pid })
      }
      if (path === '/logout') {
        const { cookies } = await auth.logout(req)
        return send(res, 200, { signedOut: true }, cookies)
      }
      return send(res, 404, {})
    } catch (err) {
      const answer = toHttpResponse(err)
      return send(res, answer.status, { code: (err as { code?: string }).code })
    }
  }
  const server = createServer((req, res) => void route(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

process.on('message', (message: { id: number; request: WorkerRequest }) => {
  handle(message.request).then(
    (result) => process.send!({ id: message.id, ok: true, result }),
    (err: unknown) => {
      const e = err as { name?: string; code?: string; message?: string }
      process.send!({
        id: message.id,
        ok: false,
        error: { name: e.name, code: e.code, message: e.message },
      })
    },
  )
})
process.send!({ ready: true })
