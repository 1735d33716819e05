/**
 * Child of `bench/runtimes.ts`: in whichever runtime runs it (Node, Deno,
 * Bun), time both builds of the verifier on the same distinct tokens: the
 * WebCrypto build (`dist/verifier.js`) and the node:crypto build
 * (`dist/verifier-node.js`), imported by path so no export condition
 * chooses. Interleaved rounds, order rotating; prints one JSON line.
 */
import { readFile } from 'node:fs/promises'
import { createVerifier as createWebCrypto } from '../dist/verifier.js'
import { createVerifier as createNodeCrypto } from '../dist/verifier-node.js'

interface Input {
  issuer: string
  jwksUri: string
  audience: string
  scope: string
  tokens: string[]
  rounds: number
  calls: number
}

const path = (globalThis as { Deno?: { args: string[] } }).Deno?.args[0] ?? process.argv[2]
if (!path) throw new Error('usage: runtime-verify.ts <input.json>')
const input = JSON.parse(await readFile(path, 'utf8')) as Input

const options = { issuer: input.issuer, audience: input.audience, jwksUri: input.jwksUri }
const builds = {
  webcrypto: createWebCrypto(options),
  'node:crypto': createNodeCrypto(options),
}
type Build = keyof typeof builds
const names = Object.keys(builds) as Build[]
const cursor: Record<Build, number> = { webcrypto: 0, 'node:crypto': 0 }

async function time(name: Build, calls: number): Promise<number> {
  const verifier = builds[name]
  const started = performance.now()
  for (let i = 0; i < calls; i++) {
    const token = input.tokens[cursor[name]++ % input.tokens.length] as string
    await verifier.verifyAccessToken(token, { scopes: [input.scope] })
  }
  return calls / ((performance.now() - started) / 1000)
}

// Warm-up (keys fetched, code optimised), twice each, untimed.
for (let i = 0; i < 2; i++) for (const name of names) await time(name, input.calls)
const rounds: Record<Build, number>[] = []
for (let r = 0; r < input.rounds; r++) {
  const order = r % 2 === 0 ? names : [...names].reverse()
  const round = {} as Record<Build, number>
  for (const name of order) round[name] = await time(name, input.calls)
  rounds.push(round)
}
console.log(
  JSON.stringify({
    crypto: Object.fromEntries(names.map((n) => [n, builds[n].crypto])),
    rounds,
  }),
)
