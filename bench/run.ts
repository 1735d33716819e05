/**
 * `npm run bench`: the throughput benchmark, then the JWKS scenarios. Writes
 * `bench/results/throughput.md` and `bench/results/jwks.md` and prints both.
 * Everything runs against 127.0.0.1; the whole run takes two to three minutes.
 *
 * `npm run bench:throughput` and `npm run bench:jwks` run one part (printing only).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resultsHeader } from './common.js'
import { runJwks } from './jwks.js'
import { runThroughput } from './throughput.js'

const here = dirname(fileURLToPath(import.meta.url))
const resultsDir = join(here, 'results')
const log = (line: string) => console.error(`  ${line}`)

const started = performance.now()
await mkdir(resultsDir, { recursive: true })

console.error('throughput (interleaved rounds)…')
const throughput = await runThroughput({ log })
const throughputMd = `${resultsHeader('Verifier throughput', 'npm run bench')}\n${throughput.markdown}\n`
await writeFile(join(resultsDir, 'throughput.md'), throughputMd)

console.error('JWKS scenarios…')
const jwks = await runJwks({ log })
const jwksMd = `${resultsHeader('JWKS request counts and failure behaviour', 'npm run bench')}\n${jwks.markdown}\n`
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
