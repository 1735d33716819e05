/**
 * What the verified-token cache costs when it never hits: a verifier with
 * `tokenCache` on, fed a stream of tokens it has not seen (every call a
 * miss), against the same verifier with the cache off. Paired A/B: in each of
 * 40 pairs both run 1 000 distinct tokens back to back (which goes first
 * alternates), and the figure is the median of the per-pair ratios, for
 * access tokens and ID tokens. The throughput run has the same rows among
 * 30 other contestants; pairing them directly takes out most of the noise of
 * a ±2 % target. Writes `bench/results/cache-miss.md` and prints it.
 *
 * Run: `npm run bench:cache-miss` (about 20 s).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createVerifier } from '../src/verifier/node.js'
import type { Verifier } from '../src/verifier/types.js'
import {
  AUDIENCE,
  CLIENT_ID,
  fmt,
  generateKey,
  median,
  NONCE,
  resultsHeader,
  SCOPE,
  signIdToken,
  signMany,
  startJwksServer,
  table,
} from './common.js'

const PAIRS = 40
const CALLS = 1_000
/** Distinct tokens cycled through; the cache holds fewer, so none is ever found again. */
const TOKENS = 3_000
const MAX_ENTRIES = 256

const key = generateKey('bench-key-1')
const server = await startJwksServer([key])
const accessTokens = signMany(key, server.issuer, TOKENS)
const idTokens = Array.from({ length: TOKENS }, () => signIdToken(key, server.issuer))
const base = { issuer: server.issuer, audience: AUDIENCE, jwksUri: server.jwksUri }
const off = createVerifier(base)
const on = createVerifier({ ...base, tokenCache: { maxEntries: MAX_ENTRIES } })
const need = { scopes: [SCOPE] }
const idCall = { clientId: CLIENT_ID, nonce: NONCE }

type Kind = 'access' | 'ID'
let cursor = 0
/** Calls per second of `verifier` over the next CALLS tokens of `kind`. */
async function rate(verifier: Verifier, kind: Kind): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < CALLS; i++) {
    const at = cursor++ % TOKENS
    if (kind === 'access') await verifier.verifyAccessToken(accessTokens[at]!, need)
    else await verifier.verifyIdToken(idTokens[at]!, idCall)
  }
  return (CALLS / (performance.now() - t0)) * 1000
}

const rows: string[][] = []
const verdicts: string[] = []
for (const kind of ['access', 'ID'] as const) {
  // Warm both (keys, JIT) before timing.
  for (let i = 0; i < 3; i++) await Promise.all([rate(off, kind), rate(on, kind)])
  const ratios: number[] = []
  for (let pair = 0; pair < PAIRS; pair++) {
    const first = pair % 2 === 0 ? on : off
    const a = await rate(first, kind)
    const b = await rate(first === on ? off : on, kind)
    ratios.push(first === on ? a / b : b / a)
  }
  ratios.sort((x, y) => x - y)
  const mid = median(ratios)
  const q1 = ratios[Math.floor(PAIRS / 4)]!
  const q3 = ratios[Math.floor((3 * PAIRS) / 4)]!
  rows.push([
    `${kind} tokens`,
    `**${fmt(mid, 3)}×**`,
    `${fmt(q1, 3)}–${fmt(q3, 3)}`,
    `${fmt(ratios[0]!, 3)}–${fmt(ratios[PAIRS - 1]!, 3)}`,
    mid >= 0.98 ? 'met' : '**not met**',
  ])
  verdicts.push(`${kind}: ${fmt(mid, 3)}×`)
}
await server.close()

const markdown = [
  resultsHeader('Token cache: the cost of a miss', 'npm run bench:cache-miss'),
  `RS256, 2048-bit key. A verifier with \`tokenCache: { maxEntries: ${MAX_ENTRIES} }\` fed ${fmt(TOKENS)} distinct ` +
    'tokens in a cycle (so no token is ever found again: every call a miss) against the same verifier with the ' +
    `cache off; ${PAIRS} pairs of ${fmt(CALLS)} calls each, run back to back with the order alternating. ` +
    '"Cache on ÷ off" is the median of the per-pair ratios (1.00× = free). Target (issue 16): ≥ 0.98× (at most 2 % slower).',
  '',
  table(
    ['Tokens', 'Cache on ÷ off (median)', 'Middle half of pairs', 'All pairs', 'Target ≥ 0.98×'],
    rows,
  ),
  '',
].join('\n')
const here = dirname(fileURLToPath(import.meta.url))
await mkdir(join(here, 'results'), { recursive: true })
await writeFile(join(here, 'results', 'cache-miss.md'), markdown)
console.log(markdown)
console.error(verdicts.join('; '))
