/**
 * `npm run bench`: the throughput benchmark, then the JWKS scenarios. Writes
 * `bench/results/throughput.md` and `bench/results/jwks.md` and prints both.
 * Everything runs against 127.0.0.1; the whole run takes two to three minutes.
 *
 * `npm run bench:throughput` and `npm run bench:jwks` run one part (printing only).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem, type } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadLine } from './common.js'
import { runJwks } from './jwks.js'
import { runThroughput } from './throughput.js'

const here = dirname(fileURLToPath(import.meta.url))
const resultsDir = join(here, 'results')
const log = (line: string) => console.error(`  ${line}`)

function header(title: string): string {
  const cpu = cpus()
  return [
    `# ${title}`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Node: ${process.version} (OpenSSL ${process.versions.openssl}), ${type()} ${process.arch}`,
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length} logical cores; ${Math.round(totalmem() / 2 ** 30)} GiB`,
    loadLine(),
    '- Command: `npm run bench` (see `bench/README.md`)',
    '',
  ].join('\n')
}

const started = performance.now()
await mkdir(resultsDir, { recursive: true })

console.error('throughput (interleaved rounds)…')
const throughput = await runThroughput({ log })
const throughputMd = `${header('Verifier throughput')}\n${throughput.markdown}\n`
await writeFile(join(resultsDir, 'throughput.md'), throughputMd)

console.error('JWKS scenarios…')
const jwks = await runJwks({ log })
const jwksMd = `${header('JWKS request counts and failure behaviour')}\n${jwks.markdown}\n`
await writeFile(join(resultsDir, 'jwks.md'), jwksMd)

console.log(throughputMd)
console.log(jwksMd)
console.error(
  `done in ${((performance.now() - started) / 1000).toFixed(0)} s; wrote bench/results/throughput.md and bench/results/jwks.md`,
)
// Every server we started is closed. @okta/jwt-verifier's rate limiter still holds timers for the
// calls it queued in scenario (c) (it releases one per 6 s), which would keep the process alive
// for minutes; nothing of ours is pending.
process.exit(0)
