/**
 * One instance of the fleet: a web app (sign-in with server-side sessions),
 * an API (access-token verification) and an admin route (the management API
 * with OAuth for Okta), all keeping their shared state in Redis. index.ts
 * starts two of these as separate Node processes; in production they are
 * your replicas behind a load balancer.
 *
 * Configuration comes from the environment (index.ts sets it):
 * REDIS_URL, REDIS_CLIENT (`redis` or `ioredis`), ISSUER, ORG_URL,
 * CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, APP_SECRET, SERVICE_CLIENT_ID,
 * SERVICE_KEY_PEM, SERVICE_KEY_ID. It prints `listening <port>` when ready.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { createClient, discover } from 'okta-oauth-kit'
import { createAdminClient } from 'okta-oauth-kit/admin'
import {
  createRedisAdminTokenStore,
  createRedisJwksStore,
  createRedisSessionStore,
  createRedisTransactionStore,
  type RedisClientLike,
} from 'okta-oauth-kit/redis'
import { createServerAuth, toHttpResponse } from 'okta-oauth-kit/server'
import { createVerifier, extractBearerToken } from 'okta-oauth-kit/verifier'
import { createClient as createNodeRedis } from 'redis'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

// The app's own Redis client: the stores take it as it is (node-redis or ioredis).
let redis: RedisClientLike
if (env('REDIS_CLIENT') === 'ioredis') {
  redis = new Redis(env('REDIS_URL'))
} else {
  redis = await createNodeRedis({ url: env('REDIS_URL') }).connect()
}
// One secret for the cookies and for sealing what Redis holds (a key per use is derived from it).
const secret = env('APP_SECRET')

const client = createClient(await discover(env('ISSUER')), {
  clientId: env('CLIENT_ID'),
  auth: { method: 'client_secret_basic', clientSecret: env('CLIENT_SECRET') },
})
const auth = createServerAuth(client, {
  secret,
  redirectUri: env('REDIRECT_URI'),
  responseMode: 'query',
  transactionStore: createRedisTransactionStore(redis, { secret }),
  sessionStore: createRedisSessionStore(redis, { secret }),
})
const verifier = createVerifier({
  issuer: env('ISSUER'),
  audience: 'api://default',
  jwks: { store: createRedisJwksStore(redis) },
})
const admin = createAdminClient({
  orgUrl: env('ORG_URL'),
  auth: {
    type: 'oauth',
    clientId: env('SERVICE_CLIENT_ID'),
    privateKey: env('SERVICE_KEY_PEM'),
    kid: env('SERVICE_KEY_ID'),
    scopes: ['okta.authorizationServers.read'],
    tokenStore: createRedisAdminTokenStore(redis, { secret }),
  },
})

function send(res: ServerResponse, status: number, body: unknown, cookies: string[] = []): void {
  res.writeHead(status, { 'content-type': 'application/json', 'set-cookie': cookies })
  res.end(JSON.stringify({ ...(body as object), instance: process.pid }))
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  try {
    if (path === '/login') {
      const { url, cookies } = await auth.login(req, { returnTo: '/me' })
      // JSON instead of a 302, so the driver can print each step.
      return send(res, 200, { location: url.href }, cookies)
    }
    if (path === '/callback') {
      const { cookies, returnTo } = await auth.callback(req)
      return send(res, 200, { signedIn: true, returnTo }, cookies)
    }
    if (path === '/me') {
      const session = await auth.session.read(req)
      if (!session) return send(res, 401, { signedIn: false })
      return send(res, 200, { signedIn: true, name: session.idTokenClaims?.name })
    }
    if (path === '/logout') {
      const { cookies } = await auth.logout(req)
      return send(res, 200, { signedOut: true }, cookies)
    }
    if (path === '/api/orders') {
      const token = extractBearerToken(req)
      const { claims } = await verifier.verifyAccessToken(token, { scopes: ['orders:read'] })
      return send(res, 200, { orders: [], for: claims.sub })
    }
    if (path === '/admin/default-server') {
      const server = await admin.authorizationServers.get('default')
      return send(res, 200, { id: server.id, status: server.status })
    }
    return send(res, 404, { error: 'not found' })
  } catch (err) {
    const { status, message } = toHttpResponse(err)
    const code = (err as { code?: unknown }).code
    return send(res, status, { error: message, code })
  }
}

const server = createServer((req, res) => void route(req, res))
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => {
  server.close()
  process.exit(0)
})
