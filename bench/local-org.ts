/**
 * The local org (`okta-oauth-kit/testing`) beside oidc-provider configured as
 * in the integration tests (`test/integration/harness/provider.ts`):
 *
 * - start time, each sample in a fresh process: `createOktaOrg()`,
 *   `startOktaOrg()` and `startProvider()` (module import timed apart), and
 *   the time to the first password grant answered after the start;
 * - password grants per second over HTTP on 127.0.0.1: each server in a
 *   child process of its own, driven by the same client code from this
 *   process (a few keep-alive connections, a fixed number of requests per
 *   timing), in interleaved rounds; ratios per round.
 *
 * `npm run bench:org` writes `bench/results/local-org.md`. Run alone (no
 * file written): `npx tsx bench/local-org.ts --print`. Every child is killed
 * at the end; every wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { cpus, loadavg, totalmem, type } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { fmt, median, table, within } from './common.js'

const here = dirname(fileURLToPath(import.meta.url))
const self = fileURLToPath(import.meta.url)

/** What a server child prints: where and how to ask for a password grant. */
interface Target {
  tokenUrl: string
  clientId: string
  clientSecret: string
  username: string
  password: string
}

/** What a start child prints (ms). */
interface StartSample {
  import: number
  start: number
  firstGrant: number
}

const SCOPE = 'openid profile orders:read'

// ---------------------------------------------------------------------------
// Children
// ---------------------------------------------------------------------------

type Kind = 'create' | 'serve' | 'provider'

/** Start one server of `kind`; its target, and how to stop it. */
async function startKind(kind: Kind): Promise<
  { target: Target; close(): Promise<void> } & {
    grant?: (body: string, auth: string) => Promise<Response>
  }
> {
  if (kind === 'provider') {
    const { startProvider } = await import('../test/integration/harness/provider.js')
    const op = await startProvider()
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
    grant: async (body, auth) =>
      (await getResponse(
        org.handlers,
        new Request(`${org.issuer()}/v1/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
          body,
        }),
      )) ?? new Response(null, { status: 404 }),
  }
}

function grantBody(target: Target): { body: string; auth: string } {
  return {
    body: new URLSearchParams({
      grant_type: 'password',
      username: target.username,
      password: target.password,
      scope: SCOPE,
    }).toString(),
    auth: `Basic ${Buffer.from(
      `${encodeURIComponent(target.clientId)}:${encodeURIComponent(target.clientSecret)}`,
    ).toString('base64')}`,
  }
}

/** Child: time the import, the start, and the first grant; print them; exit. */
async function startChild(kind: Kind): Promise<void> {
  const t0 = performance.now()
  if (kind === 'provider') {
    await import('oidc-provider')
    await import('../test/integration/harness/provider.js')
  } else {
    await import('../src/testing/index.js')
    if (kind === 'create') await import('msw')
  }
  const t1 = performance.now()
  const started = await startKind(kind)
  const t2 = performance.now()
  const { body, auth } = grantBody(started.target)
  const response = started.grant
    ? await started.grant(body, auth)
    : await fetch(started.target.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
        body,
      })
  const json = (await response.json()) as { access_token?: string }
  if (response.status !== 200 || !json.access_token) {
    throw new Error(`first grant failed: ${response.status}`)
  }
  const t3 = performance.now()
  await started.close()
  const sample: StartSample = { import: t1 - t0, start: t2 - t1, firstGrant: t3 - t1 }
  process.stdout.write(`${JSON.stringify(sample)}\n`)
  process.exit(0)
}

/**
 * Child: serve, print the target, then answer each line on stdin with the
 * CPU time the process has used (µs, every thread); stop when stdin closes.
 */
async function serveChild(kind: Kind): Promise<void> {
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

function spawnChild(role: string, kind: Kind): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', self, role, kind], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: join(here, '..'),
  })
}

/** The lines a child prints, one at a time, each awaited for at most `ms`. */
function linesOf(child: ChildProcess): (ms: number) => Promise<string> {
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

// ---------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------

async function measureStarts(
  rounds: number,
  log: (line: string) => void,
): Promise<Map<Kind, StartSample[]>> {
  const kinds: Kind[] = ['create', 'serve', 'provider']
  const samples = new Map<Kind, StartSample[]>(kinds.map((k) => [k, []]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(round + i) % kinds.length]!
      const child = spawnChild('start', kind)
      samples.get(kind)!.push(JSON.parse(await linesOf(child)(30_000)) as StartSample)
    }
    log(`start round ${round + 1}/${rounds}`)
  }
  return samples
}

/** `count` password grants over `connections` keep-alive connections; grants per second. */
async function grants(target: Target, count: number, connections: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  const url = new URL(target.tokenUrl)
  const { body, auth } = grantBody(target)
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            authorization: auth,
          },
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString()
            if (res.statusCode !== 200 || !text.includes('"access_token"')) {
              reject(new Error(`grant failed: ${res.statusCode} ${text.slice(0, 200)}`))
            } else resolve()
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error('grant timed out')))
      req.on('error', reject)
      req.end(body)
    })
  let next = 0
  const worker = async () => {
    while (next < count) {
      next++
      await one()
    }
  }
  const t = performance.now()
  await Promise.all(Array.from({ length: connections }, worker))
  const seconds = (performance.now() - t) / 1000
  agent.destroy()
  return count / seconds
}

interface GrantResult {
  org: number[]
  provider: number[]
  ratios: number[]
  /** CPU time per grant (ms, all threads) of each server, and of this client. */
  cpu: { org: number[]; provider: number[]; client: number[] }
}

interface ServerChild {
  target: Target
  /** CPU time the child has used so far, µs. */
  cpu(): Promise<number>
  stop(): Promise<void>
}

async function serverChild(kind: Kind): Promise<ServerChild> {
  const child = spawnChild('serve', kind)
  const next = linesOf(child)
  try {
    const target = JSON.parse(await next(30_000)) as Target
    return {
      target,
      cpu: async () => {
        child.stdin!.write('cpu\n')
        return Number(await next(5_000))
      },
      stop: async () => {
        child.stdin!.end()
        const exited = new Promise((resolve) => child.once('exit', resolve))
        if ((await within(exited, 5_000)) === 'timeout') child.kill()
      },
    }
  } catch (err) {
    child.kill()
    throw err
  }
}

async function measureGrants(
  rounds: number,
  count: number,
  connections: number,
  log: (line: string) => void,
): Promise<GrantResult> {
  const servers: Partial<Record<'org' | 'provider', ServerChild>> = {}
  try {
    servers.org = await serverChild('serve')
    servers.provider = await serverChild('provider')
    // Warm-up: keys, JIT, connection set-up.
    await grants(servers.org.target, 100, connections)
    await grants(servers.provider.target, 100, connections)
    const result: GrantResult = {
      org: [],
      provider: [],
      ratios: [],
      cpu: { org: [], provider: [], client: [] },
    }
    for (let round = 0; round < rounds; round++) {
      const order =
        round % 2 === 0 ? (['org', 'provider'] as const) : (['provider', 'org'] as const)
      const rates: Record<string, number> = {}
      for (const who of order) {
        const server = servers[who]!
        const before = await server.cpu()
        const client = process.cpuUsage()
        rates[who] = await grants(server.target, count, connections)
        const used = process.cpuUsage(client)
        result.cpu[who].push(((await server.cpu()) - before) / 1000 / count)
        result.cpu.client.push((used.user + used.system) / 1000 / count)
      }
      result.org.push(rates.org!)
      result.provider.push(rates.provider!)
      result.ratios.push(rates.org! / rates.provider!)
      log(
        `grants round ${round + 1}/${rounds}: org ${fmt(rates.org!)}/s, oidc-provider ${fmt(rates.provider!)}/s`,
      )
    }
    return result
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()))
  }
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

const ms = (v: number) => `${fmt(v, 0)} ms`

async function main(print: boolean): Promise<void> {
  const log = (line: string) => console.error(`  ${line}`)
  const startRounds = 7
  const grantRounds = 6
  const count = 400
  const connections = 4
  const load = loadavg()
  const t = performance.now()
  console.error('start times (fresh processes)…')
  const starts = await measureStarts(startRounds, log)
  console.error('password grants over HTTP…')
  const grant = await measureGrants(grantRounds, count, connections, log)
  const loadAfter = loadavg()

  const names: Record<Kind, string> = {
    create: '`createOktaOrg()` (msw handlers)',
    serve: '`startOktaOrg()` (HTTP on 127.0.0.1)',
    provider: 'oidc-provider (`startProvider()`, integration harness)',
  }
  const medianOf = (kind: Kind, field: keyof StartSample) =>
    median(starts.get(kind)!.map((s) => s[field]))
  const providerStart = medianOf('provider', 'start')
  const providerFirst = medianOf('provider', 'firstGrant')
  const startRows = (['create', 'serve', 'provider'] as const).map((kind) => [
    names[kind],
    ms(medianOf(kind, 'import')),
    `**${ms(medianOf(kind, 'start'))}**`,
    ms(medianOf(kind, 'firstGrant')),
    `${fmt(medianOf(kind, 'start') / providerStart, 2)}×`,
    `${fmt(medianOf(kind, 'firstGrant') / providerFirst, 2)}×`,
  ])
  const org = median(grant.org)
  const provider = median(grant.provider)
  const ratio = median(grant.ratios)
  const range = (values: number[]) =>
    `${fmt(Math.min(...values), 2)}–${fmt(Math.max(...values), 2)}`
  const cpu = cpus()
  const markdown = [
    '# Local org: start time and password grants',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Node: ${process.version} (OpenSSL ${process.versions.openssl}), ${type()} ${process.arch}`,
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length} logical cores; ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `- Load average (1 min) at the start and the end: ${fmt(load[0]!, 2)}, ${fmt(loadAfter[0]!, 2)}`,
    '- Command: `npm run bench:org` (see `bench/README.md`)',
    `- Run time: ${fmt((performance.now() - t) / 1000, 0)} s`,
    '',
    '## Start time',
    '',
    `Each sample in a fresh process (\`node --import tsx\`), ${startRounds} per contestant, interleaved; medians. "Import" is loading the module (TypeScript sources through tsx, so mostly transpiling); "start" is the call alone, from after the import until it resolves; "first grant" is from after the import until a password grant (\`${SCOPE}\`) made right after the start is answered, so it includes any key generated on demand.`,
    '',
    table(
      [
        'Contestant',
        'Import',
        'Start',
        'Start + first grant',
        'Start ÷ oidc-provider',
        'First grant ÷ oidc-provider',
      ],
      startRows,
    ),
    '',
    '## Password grants per second',
    '',
    `Each server in a child process of its own; this process sends ${fmt(count)} password grants (\`client_secret_basic\`, scope \`${SCOPE}\`) per timing over ${connections} keep-alive connections, the same client code for both, after 100 untimed; ${grantRounds} rounds, the order alternating. The ratio is the median over rounds of (local org ÷ oidc-provider in the same round). The local org signs two JWTs per grant (access token and ID token); the oidc-provider harness one (its access tokens are opaque, kept in its in-memory store).`,
    '',
    table(
      ['Server', 'grants/s (median)', 'min–max', 'server CPU per grant (median)'],
      [
        [
          '`startOktaOrg()`',
          fmt(org),
          `${fmt(Math.min(...grant.org))}–${fmt(Math.max(...grant.org))}`,
          `${fmt(median(grant.cpu.org), 3)} ms`,
        ],
        [
          'oidc-provider (harness)',
          fmt(provider),
          `${fmt(Math.min(...grant.provider))}–${fmt(Math.max(...grant.provider))}`,
          `${fmt(median(grant.cpu.provider), 3)} ms`,
        ],
      ],
    ),
    '',
    `Local org ÷ oidc-provider: **${fmt(ratio, 2)}×** (rounds: ${range(grant.ratios)}).`,
    '',
    `CPU per grant is the server process's CPU time (every thread, WebCrypto's thread pool included) over a timing, divided by its grants; the client (this process) used ${fmt(median(grant.cpu.client), 3)} ms per grant. Unlike grants per second, it hardly depends on what else the machine runs.`,
    '',
  ].join('\n')
  if (!print) {
    await mkdir(join(here, 'results'), { recursive: true })
    await writeFile(join(here, 'results', 'local-org.md'), markdown)
    console.error('wrote bench/results/local-org.md')
  }
  console.log(markdown)
}

const [role, kind] = process.argv.slice(2)
if (role === 'start') await startChild(kind as Kind)
else if (role === 'serve') await serveChild(kind as Kind)
else await main(role === '--print')
