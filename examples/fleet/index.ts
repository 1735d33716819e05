/**
 * Running a fleet: two instances of one app, in two Node processes, sharing
 * their state through Redis (`okta-oauth-kit/redis`).
 *
 *   npx tsx examples/fleet/index.ts
 *
 * It starts everything itself: Debian's `redis-server` on 127.0.0.1 and a
 * random port (nothing saved to disk), the SDK's local org
 * (`startOktaOrg()`, which counts the requests it gets), and two instances
 * of `app.ts` — A on node-redis, B on ioredis. Then, like a browser and an
 * API client behind a load balancer that alternates between them, it shows:
 *
 * 1. a sign-in started on A and finished on B: the session is read on A;
 * 2. the same callback replayed on A: refused (`ERR_TRANSACTION_REUSED`);
 * 3. logout on B: the session is gone on A too;
 * 4. an access token verified on A (one JWKS request), then on B: B starts
 *    from the keys A saved in Redis, with no JWKS request;
 * 5. 20 concurrent admin calls, 10 on each instance: one token request.
 *
 * Every check is asserted; the script exits non-zero if one fails. No
 * token, cookie value or secret is printed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createClient, discover } from 'okta-oauth-kit'
import { DEFAULT_CLIENTS, DEFAULT_SERVICE_CLIENT_ID, startOktaOrg } from 'okta-oauth-kit/testing'

const APP = fileURLToPath(new URL('./app.ts', import.meta.url))
const WEB = DEFAULT_CLIENTS.find((c) => c.clientSecret)!
// In production: 32+ random bytes from your secret manager, the same on every instance.
const APP_SECRET = 'fleet-example-secret-at-least-32-characters'

const children: ChildProcess[] = []
let failed = false
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failed = true
}

/** A free port on 127.0.0.1 (for redis-server, which needs one named). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** Start a child and wait for the line that says it is ready; resolves with that line. */
function start(command: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'pipe' })
  children.push(child)
  return new Promise<RegExpExecArray>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = ready.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(
        (err as { code?: string }).code === 'ENOENT'
          ? new Error(`${command} is not installed (Debian: apt-get install -y redis-server)`)
          : err,
      )
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited with ${code}: ${output.slice(-500)}`))
    })
  })
}

try {
  // 1. Redis, the org, two instances.
  const redisPort = await freePort()
  await start(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    /Ready to accept connections/,
  )
  const running = await startOktaOrg()
  const { org } = running
  const key = await org.clientKey(DEFAULT_SERVICE_CLIENT_ID)
  const shared = {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    ISSUER: org.issuer(),
    ORG_URL: running.url,
    CLIENT_ID: WEB.clientId,
    CLIENT_SECRET: WEB.clientSecret!,
    REDIRECT_URI: WEB.redirectUris!.find((u) => u.startsWith('http://127.0.0.1'))!,
    APP_SECRET,
    SERVICE_CLIENT_ID: DEFAULT_SERVICE_CLIENT_ID,
    SERVICE_KEY_PEM: key.privatePem,
    SERVICE_KEY_ID: key.kid,
  }
  const tsx = ['--import', 'tsx', APP]
  const [a, b] = await Promise.all(
    (['redis', 'ioredis'] as const).map(async (client) => {
      const match = await start(process.execPath, tsx, /listening (\d+)/, {
        ...shared,
        REDIS_CLIENT: client,
      })
      return { url: `http://127.0.0.1:${match[1]}`, client }
    }),
  )
  console.log(`redis-server  127.0.0.1:${redisPort}`)
  console.log(`org           ${running.url}`)
  console.log(`instance A    ${a!.url} (node-redis)`)
  console.log(`instance B    ${b!.url} (ioredis)`)

  const get = async (base: string, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers })
    const body = (await response.json()) as Record<string, unknown>
    const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]!)
    return { status: response.status, body, cookies }
  }

  console.log('\nSessions and transactions')
  const login = await get(a!.url, '/login')
  const signIn = await org.signIn({ url: login.body.location as string })
  if (signIn.responseMode !== 'query') throw new Error('expected a query response')
  const callbackPath = `/callback${signIn.url.search}`
  const txnCookie = login.cookies.join('; ')
  const callback = await get(b!.url, callbackPath, { cookie: txnCookie })
  check(callback.status === 200, `sign-in started on A, callback on B → ${callback.status}`)
  const session = callback.cookies.find((c) => c.startsWith('okta-session='))!
  const me = await get(a!.url, '/me', { cookie: session })
  check(
    me.status === 200 && me.body.instance !== callback.body.instance,
    `A reads the session B wrote → ${me.status} (${String(me.body.name)})`,
  )
  const replay = await get(a!.url, callbackPath, { cookie: txnCookie })
  check(
    replay.status === 400 && replay.body.code === 'ERR_TRANSACTION_REUSED',
    `the same callback replayed on A → ${replay.status} ${String(replay.body.code)}`,
  )
  await get(b!.url, '/logout', { cookie: session })
  const after = await get(a!.url, '/me', { cookie: session })
  check(after.status === 401, `logout on B, the old cookie on A → ${after.status}`)

  console.log('\nJWKS')
  const api = createClient(await discover(org.issuer()), {
    clientId: WEB.clientId,
    auth: { method: 'client_secret_basic', clientSecret: WEB.clientSecret! },
  })
  const { accessToken } = await api.clientCredentials({ scope: 'orders:read' })
  const bearer = { authorization: `Bearer ${accessToken}` }
  const keys0 = org.requestCount('keys')
  const onA = await get(a!.url, '/api/orders', bearer)
  check(
    onA.status === 200 && org.requestCount('keys') - keys0 === 1,
    `A verifies a token → ${onA.status}, JWKS requests: ${org.requestCount('keys') - keys0}`,
  )
  const onB = await get(b!.url, '/api/orders', bearer)
  check(
    onB.status === 200 && org.requestCount('keys') - keys0 === 1,
    `B verifies it with the keys A put in Redis → ${onB.status}, JWKS requests still: ${org.requestCount('keys') - keys0}`,
  )

  console.log('\nThe admin token')
  const tokens0 = org.requestCount('token')
  const calls = await Promise.all(
    Array.from({ length: 20 }, (_, i) => get((i % 2 ? b : a)!.url, '/admin/default-server')),
  )
  const tokenRequests = org.requestCount('token') - tokens0
  check(
    calls.every((c) => c.status === 200 && c.body.id === 'default'),
    `20 concurrent admin calls, 10 on each instance → all ${calls[0]!.status}`,
  )
  check(tokenRequests === 1, `token requests for the whole fleet: ${tokenRequests}`)

  await running.close()
  console.log(failed ? '\nFAILED' : '\nOK: one Redis, two processes, one state')
} catch (err) {
  console.error('\nFAILED:', err instanceof Error ? err.message : err)
  failed = true
} finally {
  for (const child of children) child.kill('SIGTERM')
}
process.exitCode = failed ? 1 : 0
