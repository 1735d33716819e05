/**
 * The smoke flows in Node, Deno or Bun: `SMOKE_CONFIG` (JSON) in, one JSON
 * line out. It also reports which file the runtime's own resolver picks for
 * each entry, with the runtime's export conditions (`import.meta.resolve`).
 */
import { type CreateVerifier, type SmokeConfig, smoke } from './smoke.js'

const g = globalThis as {
  Deno?: { env: { get(name: string): string | undefined } }
  process?: { env: Record<string, string | undefined> }
}
const raw = g.Deno ? g.Deno.env.get('SMOKE_CONFIG') : g.process?.env.SMOKE_CONFIG
if (!raw) throw new Error('set SMOKE_CONFIG')

const ENTRIES = [
  'okta-oauth-kit',
  'okta-oauth-kit/verifier',
  'okta-oauth-kit/admin',
  'okta-oauth-kit/server',
]
const resolved = Object.fromEntries(
  ENTRIES.map((e) => [e, new URL(import.meta.resolve(e)).pathname.split('/').slice(-2).join('/')]),
)
// The WebCrypto build by its file: Node and Bun resolve `./verifier` to the
// node:crypto build, yet the WebCrypto one must work there too.
const webCrypto = (await import(new URL('../../dist/verifier.js', import.meta.url).href)) as {
  createVerifier: CreateVerifier
}
const result = await smoke(JSON.parse(raw) as SmokeConfig, webCrypto.createVerifier)
console.log(JSON.stringify({ ...result, resolved }))
