/**
 * `npm run bench:runtimes`: which build of `./verifier` is faster in each
 * server runtime that can load both, measured to choose the export
 * conditions (`bun` → node:crypto, `deno` → WebCrypto). Node, Deno and Bun
 * (from the dev dependencies) each run `runtime-verify.ts` on the same 3,000
 * distinct RS256 tokens against a JWKS server on 127.0.0.1; the figure that
 * matters is the ratio of the two builds inside one runtime, per round.
 * workerd has no node:crypto build to choose (no `node:crypto` KeyObjects
 * without nodejs_compat), so it is not measured here.
 *
 * Writes `bench/results/runtimes.md` (needs `npm run build` first).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem, type } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  AUDIENCE,
  fmt,
  generateKey,
  median,
  SCOPE,
  signMany,
  startJwksServer,
  table,
} from './common.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)
const ROUNDS = 30
const CALLS = 500

interface Child {
  crypto: Record<string, string>
  rounds: { webcrypto: number; 'node:crypto': number }[]
}

const RUNTIMES: Record<string, (input: string) => [string, string[]]> = {
  node: (input) => [process.execPath, ['--import', 'tsx', 'bench/runtime-verify.ts', input]],
  deno: (input) => [
    `${root}node_modules/.bin/deno`,
    [
      'run',
      '--no-lock',
      '--allow-net=127.0.0.1',
      `--allow-read=${root},${input}`,
      'bench/runtime-verify.ts',
      input,
    ],
  ],
  bun: (input) => [`${root}node_modules/.bin/bun`, ['run', 'bench/runtime-verify.ts', input]],
}
const PICKED: Record<string, string> = {
  node: 'node:crypto',
  deno: 'webcrypto',
  bun: 'node:crypto',
}

async function version(name: string): Promise<string> {
  if (name === 'node') return process.version
  const [file] = RUNTIMES[name]!('')
  const { stdout } = await run(file, ['--version'], {
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
  })
  // `deno 2.9.6 (stable, …)` or `1.4.5` (bun)
  const first = stdout.split('\n')[0]?.trim() ?? ''
  return first.includes(' ') ? first.split(' ')[1]! : first
}

const key = generateKey('bench-runtimes')
const server = await startJwksServer([key])
const dir = await mkdtemp(join(tmpdir(), 'bench-runtimes-'))
const rows: string[][] = []
const load = loadavg()
try {
  const input = join(dir, 'input.json')
  const tokens = signMany(key, server.issuer, 3_000)
  await writeFile(
    input,
    JSON.stringify({
      issuer: server.issuer,
      jwksUri: server.jwksUri,
      audience: AUDIENCE,
      scope: SCOPE,
      tokens,
      rounds: ROUNDS,
      calls: CALLS,
    }),
  )
  for (const name of Object.keys(RUNTIMES)) {
    console.error(`  ${name}…`)
    const [file, args] = RUNTIMES[name]!(input)
    const { stdout } = await run(file, args, {
      cwd: root,
      timeout: 300_000,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' },
    })
    const child = JSON.parse(stdout.trim().split('\n').at(-1)!) as Child
    if (child.crypto.webcrypto !== 'webcrypto' || child.crypto['node:crypto'] !== 'node:crypto') {
      throw new Error(`${name}: the builds reported ${JSON.stringify(child.crypto)}`)
    }
    const web = child.rounds.map((r) => r.webcrypto)
    const node = child.rounds.map((r) => r['node:crypto'])
    const ratios = child.rounds.map((r) => r['node:crypto'] / r.webcrypto)
    rows.push([
      `${name} (${await version(name)})`,
      fmt(median(web)),
      fmt(median(node)),
      `**${fmt(median(ratios), 2)}×** (${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})`,
      PICKED[name]!,
    ])
  }
} finally {
  await server.close()
  await rm(dir, { recursive: true, force: true })
}

const cpu = cpus()
const markdown = [
  '# Verifier builds per runtime',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Node: ${process.version} (runs the JWKS server and signs the tokens), ${type()} ${process.arch}`,
  `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length} logical cores; ${Math.round(totalmem() / 2 ** 30)} GiB`,
  `- Load average at the start: ${load.map((l) => l.toFixed(2)).join(', ')}${process.env.BENCH_NOTE ? ` (${process.env.BENCH_NOTE})` : ''}`,
  '- Command: `npm run bench:runtimes` (see `bench/README.md`)',
  '',
  `RS256, 2048-bit key; 3,000 distinct Okta-format access tokens, token cache off, \`{ scopes: ['${SCOPE}'] }\` on every call; in each runtime both builds are warmed up twice, then timed over ${fmt(CALLS)} sequential calls in each of ${ROUNDS} rounds, alternating which goes first. The ratio is node:crypto ÷ WebCrypto within a round (median, range over rounds): above 1 means the node:crypto build is faster there. The last column is the build the \`exports\` map gives that runtime.`,
  '',
  table(
    ['Runtime', 'WebCrypto ops/s', 'node:crypto ops/s', 'node:crypto ÷ WebCrypto', 'exports picks'],
    rows,
  ),
  '',
].join('\n')
await writeFile(join(root, 'bench/results/runtimes.md'), markdown)
console.log(markdown)
