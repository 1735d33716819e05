/**
 * The child processes of the local-org benchmark (`local-org.ts`): each
 * starts one server (the local org, in-process or over HTTP, or the
 * oidc-provider harness) and either times its start and first grant
 * (`start`) or serves grants and reports its CPU time (`serve`). The parent
 * spawns this file with a role and a kind; everything it prints is one JSON
 * line or one number per line.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { within } from './common.js'

const here = dirname(fileURLToPath(import.meta.url))
const self = fileURLToPath(import.meta.url)

/** What a server child prints: where and how to ask for a password grant. */
export interface Target {
  tokenUrl: string
  clientId: string
  clientSecret: string
  username: string
  password: string
}

/** What a start child prints (ms). */
export interface StartSample {
  import: number
  start: number
  firstGrant: number
  /** Then the key set fetched too. */
  keySet: number
}

export const SCOPE = 'openid profile orders:read'

export type Kind = 'create' | 'serve' | 'provider' | 'provider-jwt'

/** Start one server of `kind`; its target, and how to stop it. */
export async function startKind(kind: Kind): Promise<
  { target: Target; close(): Promise<void> } & {
    /** In-process servers: how a request reaches them (otherwise over HTTP). */
    send?: (request: Request) => Promise<Response>
  }
> {
  if (kind === 'provider' || kind === 'provider-jwt') {
    const { startProvider } = await import('../test/integration/harness/provider.js')
    const op = await startProvider(kind === 'provider-jwt' ? { accessTokenFormat: 'jwt' } : {})
    const basic = op.clients.basic
    return {
      target: {
        tokenUrl: `${op.issuer}/v1/token`,
        clientId: basic.clientId,
        clientSecret: basic.clientSecret!,
        username: op.user.username,
        password: op.user.password,
      },
      close: () => op.close(),
    }
  }
  const { createOktaOrg, startOktaOrg, DEFAULT_USERS, DEFAULT_CLIENTS } = await import(
    '../src/testing/index.js'
  )
  const web = DEFAULT_CLIENTS.find((c) => c.tokenEndpointAuthMethod === 'client_secret_basic')!
  const user = DEFAULT_USERS[0]!
  const credentials = {
    clientId: web.clientId,
    clientSecret: web.clientSecret!,
    username: user.login,
    password: user.password,
  }
  if (kind === 'serve') {
    const running = await startOktaOrg()
    return {
      target: { tokenUrl: `${running.org.issuer()}/v1/token`, ...credentials },
      close: () => running.close(),
    }
  }
  const org = await createOktaOrg()
  const { getResponse } = await import('msw')
  return {
    target: { tokenUrl: `${org.issuer()}/v1/token`, ...credentials },
    close: async () => {},
    // The msw handlers answer in-process, as `setupServer` would.
    send: async (request) =>
      (await getResponse(org.handlers, request)) ?? new Response(null, { status: 404 }),
  }
}

export function grantBody(
  target: Target,
  extra: Record<string, string> = {},
): { body: string; auth: string } {
  return {
    body: new URLSearchParams({
      grant_type: 'password',
      username: target.username,
      password: target.password,
      scope: SCOPE,
      ...extra,
    }).toString(),
    auth: `Basic ${Buffer.from(
      `${encodeURIComponent(target.clientId)}:${encodeURIComponent(target.clientSecret)}`,
    ).toString('base64')}`,
  }
}

/** Child: time the import, the start, and the first grant; print them; exit. */
export async function startChild(kind: Kind): Promise<void> {
  const t0 = performance.now()
  if (kind === 'provider' || kind === 'provider-jwt') {
    // As the harness loads it: without its import-time "unsupported runtime" notice on Node 20.
    const warn = console.warn
    console.warn = () => {}
    await import('oidc-provider').finally(() => {
      console.warn = warn
    })
    await import('../test/integration/harness/provider.js')
  } else {
    await import('../src/testing/index.js')
    if (kind === 'create') await import('msw')
  }
  const t1 = performance.now()
  const started = await startKind(kind)
  const t2 = performance.now()
  const send = started.send ?? fetch
  const { body, auth } = grantBody(started.target)
  const response = await send(
    new Request(started.target.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
      body,
    }),
  )
  const json = (await response.json()) as { access_token?: string }
  if (response.status !== 200 || !json.access_token) {
    throw new Error(`first grant failed: ${response.status}`)
  }
  const t3 = performance.now()
  // What a test verifying the token needs next: the key set (every key published).
  const keys = await send(new Request(started.target.tokenUrl.replace(/\/token$/, '/keys')))
  const set = (await keys.json()) as { keys?: unknown[] }
  if (keys.status !== 200 || !set.keys?.length) throw new Error(`key set failed: ${keys.status}`)
  const t4 = performance.now()
  await started.close()
  const sample: StartSample = {
    import: t1 - t0,
    start: t2 - t1,
    firstGrant: t3 - t1,
    keySet: t4 - t1,
  }
  process.stdout.write(`${JSON.stringify(sample)}\n`)
  process.exit(0)
}

/**
 * Child: serve, print the target, then answer each line on stdin with the
 * CPU time the process has used (µs, every thread); stop when stdin closes.
 */
export async function serveChild(kind: Kind): Promise<void> {
  const started = await startKind(kind)
  process.stdout.write(`${JSON.stringify(started.target)}\n`)
  const lines = createInterface({ input: process.stdin })
  lines.on('line', () => {
    const { user, system } = process.cpuUsage()
    process.stdout.write(`${user + system}\n`)
  })
  lines.once('close', () => {
    started.close().then(() => process.exit(0))
  })
}

export function spawnChild(role: string, kind: Kind): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', self, role, kind], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: join(here, '..'),
  })
}

/** The lines a child prints, one at a time, each awaited for at most `ms`. */
export function linesOf(child: ChildProcess): (ms: number) => Promise<string> {
  const queue: string[] = []
  const waiting: ((line: string | Error) => void)[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiting.shift()
    if (waiter) waiter(line)
    else queue.push(line)
  })
  child.once('exit', (code) => {
    for (const waiter of waiting.splice(0)) waiter(new Error(`child exited with ${code}`))
  })
  return async (ms) => {
    const queued = queue.shift()
    if (queued !== undefined) return queued
    const line = new Promise<string | Error>((resolve) => waiting.push(resolve))
    const result = await within(line, ms)
    if (result === 'timeout') {
      child.kill()
      throw new Error('child did not answer in time')
    }
    if (result instanceof Error) throw result
    return result
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [role, kind] = process.argv.slice(2)
  if (role === 'start') await startChild(kind as Kind)
  else if (role === 'serve') await serveChild(kind as Kind)
  else throw new Error(`unknown role ${role}: run bench/local-org.ts`)
}
