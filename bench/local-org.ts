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
import { generateKeyPairSync, sign } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { cpus, loadavg, totalmem, type } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fmt, median, table, within } from './common.js'
import {
  grantBody,
  type Kind,
  linesOf,
  SCOPE,
  type StartSample,
  spawnChild,
  type Target,
} from './local-org-children.js'

const here = dirname(fileURLToPath(import.meta.url))

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
async function grants(
  target: Target,
  extra: Record<string, string>,
  count: number,
  connections: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  const url = new URL(target.tokenUrl)
  const { body, auth } = grantBody(target, extra)
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

/** The password grant of one server, timed in each round. */
interface Contestant {
  key: 'org' | 'provider' | 'providerJwt'
  kind: Kind
  /** Extra parameters of the grant request. */
  extra: Record<string, string>
}

/** `resource` makes the JWT-mode harness sign its access token; the local org ignores it. */
const RESOURCE = { resource: 'api://default' }

const CONTESTANTS: Contestant[] = [
  { key: 'org', kind: 'serve', extra: {} },
  { key: 'provider', kind: 'provider', extra: {} },
  { key: 'providerJwt', kind: 'provider-jwt', extra: RESOURCE },
]

interface GrantResult {
  /** Grants per second in each round. */
  rates: Record<Contestant['key'], number[]>
  /** CPU time per grant (ms, all threads) of each server in each round. */
  cpu: Record<Contestant['key'], number[]>
  /** CPU time per grant of this process, the client (ms). */
  client: number[]
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
  const servers = new Map<Contestant['key'], ServerChild>()
  try {
    for (const c of CONTESTANTS) servers.set(c.key, await serverChild(c.kind))
    // Warm-up: keys, JIT, connection set-up.
    for (const c of CONTESTANTS) await grants(servers.get(c.key)!.target, c.extra, 500, connections)
    const result: GrantResult = {
      rates: { org: [], provider: [], providerJwt: [] },
      cpu: { org: [], provider: [], providerJwt: [] },
      client: [],
    }
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < CONTESTANTS.length; i++) {
        const c = CONTESTANTS[(round + i) % CONTESTANTS.length]!
        const server = servers.get(c.key)!
        const before = await server.cpu()
        const client = process.cpuUsage()
        result.rates[c.key].push(await grants(server.target, c.extra, count, connections))
        const used = process.cpuUsage(client)
        result.cpu[c.key].push(((await server.cpu()) - before) / 1000 / count)
        result.client.push((used.user + used.system) / 1000 / count)
      }
      const r = result.rates
      log(
        `grants round ${round + 1}/${rounds}: org ${fmt(r.org.at(-1)!)}/s, oidc-provider ${fmt(r.provider.at(-1)!)}/s, JWT mode ${fmt(r.providerJwt.at(-1)!)}/s`,
      )
    }
    return result
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()))
  }
}

/** CPU time of one RS256 signature (2048 bits, node:crypto, a token-sized input), ms. */
function signatureCost(): number {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const input = Buffer.from('x'.repeat(900))
  for (let i = 0; i < 100; i++) sign('sha256', input, privateKey)
  const n = 1_000
  const before = process.cpuUsage()
  for (let i = 0; i < n; i++) sign('sha256', input, privateKey)
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000 / n
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
  const signature = signatureCost()
  const loadAfter = loadavg()

  const names: Record<'create' | 'serve' | 'provider', string> = {
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
    ms(medianOf(kind, 'keySet')),
    `${fmt(medianOf(kind, 'start') / providerStart, 2)}×`,
    `${fmt(medianOf(kind, 'firstGrant') / providerFirst, 2)}×`,
  ])

  const rates = grant.rates
  const ratios = (other: 'provider' | 'providerJwt') =>
    rates.org.map((org, i) => org / rates[other][i]!)
  const client = median(grant.client)
  const cpu = (key: Contestant['key']) => median(grant.cpu[key])
  // If the org spent nothing but its two signatures per grant, the best ratio the
  // CPU allows (client and server sharing the machine).
  const ceiling = (other: 'provider' | 'providerJwt') =>
    (cpu(other) + client) / (2 * signature + client)
  const span = (values: number[], digits = 0) =>
    `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`
  const grantRow = (name: string, key: Contestant['key'], jwts: string) => [
    name,
    jwts,
    fmt(median(rates[key])),
    span(rates[key]),
    `${fmt(cpu(key), 3)} ms`,
  ]
  const ratioRow = (name: string, other: 'provider' | 'providerJwt') => [
    name,
    `**${fmt(median(ratios(other)), 2)}×**`,
    span(ratios(other), 2),
    `${fmt(cpu(other) / cpu('org'), 2)}×`,
    `${fmt(ceiling(other), 2)}×`,
  ]
  const host = cpus()
  const markdown = [
    '# Local org: start time and password grants',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Node: ${process.version} (OpenSSL ${process.versions.openssl}), ${type()} ${process.arch}`,
    `- CPU: ${host[0]?.model.trim() ?? 'unknown'} × ${host.length} logical cores; ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `- Load average (1 min) at the start and the end: ${fmt(load[0]!, 2)}, ${fmt(loadAfter[0]!, 2)}${load[0]! > host.length / 2 ? ' (the machine was busy with other work: read the ratios, not the absolute figures)' : ''}`,
    '- Command: `npm run bench:org` (see `bench/README.md`)',
    `- Run time: ${fmt((performance.now() - t) / 1000, 0)} s`,
    '',
    '## Start time',
    '',
    `Each sample in a fresh process (\`node --import tsx\`), ${startRounds} per contestant, interleaved; medians. "Import" is loading the module (TypeScript sources through tsx, so mostly transpiling); "start" is the call alone, from after the import until it resolves; "start + first grant" is from after the import until a password grant (\`${SCOPE}\`) sent right after the start is answered, so it includes the keys generated on first use; "+ key set" adds fetching \`/v1/keys\` after that grant (what a test verifying the token needs next: every published key, so the NEXT key's pair too).`,
    '',
    table(
      [
        'Contestant',
        'Import',
        'Start',
        'Start + first grant',
        '+ key set',
        'Start ÷ oidc-provider',
        'First grant ÷ oidc-provider',
      ],
      startRows,
    ),
    '',
    '## Password grants per second',
    '',
    `Each server in a child process of its own; this process sends ${fmt(count)} password grants (\`client_secret_basic\`, scope \`${SCOPE}\`) per timing over ${connections} keep-alive connections, the same client code for every server, after 500 untimed; ${grantRounds} rounds, the order rotating. A ratio is the median over rounds of (local org ÷ the other, same round). Two configurations of the oidc-provider harness: as the integration tests start it (opaque access tokens kept in its store: it signs one JWT per grant, the ID token), and in its JWT mode with \`resource=api://default\` in the request (it signs the access token too, as the local org does; the org ignores the parameter).`,
    '',
    table(
      ['Server', 'JWTs signed per grant', 'grants/s (median)', 'min–max', 'CPU per grant'],
      [
        grantRow('`startOktaOrg()`', 'org', '2'),
        grantRow('oidc-provider harness', 'provider', '1'),
        grantRow('oidc-provider harness, JWT mode', 'providerJwt', '2'),
      ],
    ),
    '',
    table(
      ['Local org ÷', 'grants/s', 'rounds', 'CPU per grant (its ÷ ours)', 'ceiling'],
      [
        ratioRow('oidc-provider harness', 'provider'),
        ratioRow('oidc-provider harness, JWT mode', 'providerJwt'),
      ],
    ),
    '',
    `- CPU per grant: the server process's CPU time (every thread, the signing thread pool included) over a timing, divided by its grants. It depends much less on the machine's load than grants per second do. The client (this process) used ${fmt(client, 3)} ms per grant.`,
    `- Ceiling: one RS256 signature (2048 bits, node:crypto) costs ${fmt(signature, 3)} ms of CPU here, and the org signs two per grant. If it did nothing else, and client and servers shared the CPU, its grants per second could be at most (the other server's CPU per grant + the client's) ÷ (two signatures + the client's) times the other's: the ceiling column.`,
    '',
  ].join('\n')
  if (!print) {
    await mkdir(join(here, 'results'), { recursive: true })
    await writeFile(join(here, 'results', 'local-org.md'), markdown)
    console.error('wrote bench/results/local-org.md')
  }
  console.log(markdown)
}

await main(process.argv[2] === '--print')
