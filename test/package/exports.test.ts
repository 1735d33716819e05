import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Node resolves `okta-oauth-kit` to this package itself (self-reference
// through its `exports` map), so these scripts load exactly what ships: dist/.
const root = fileURLToPath(new URL('../..', import.meta.url))
const ENTRIES = [
  'okta-oauth-kit',
  'okta-oauth-kit/browser',
  'okta-oauth-kit/server',
  'okta-oauth-kit/verifier',
  'okta-oauth-kit/admin',
  'okta-oauth-kit/testing',
]

function run(args: string[]): unknown {
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' })
  return JSON.parse(out)
}

const probe = (load: (e: string) => string) => `
const entries = ${JSON.stringify(ENTRIES)};
const mods = {};
for (const e of entries) mods[e] = ${load('e')};
const core = mods['okta-oauth-kit'];
const result = {
  exports: Object.fromEntries(entries.map((e) => [e, Object.keys(mods[e]).sort()])),
  // One error class shared by every entry: instanceof holds across them.
  shared: entries.every((e) => mods[e].OktaOAuthError === core.OktaOAuthError),
  instanceOf: new mods['okta-oauth-kit/verifier'].JwksError('x', 'ERR_JWKS_UNAVAILABLE') instanceof core.OktaOAuthError,
  client: typeof core.createClient, discover: typeof core.discover,
};
process.stdout.write(JSON.stringify(result));
`

describe('the built package, through its exports map', () => {
  it('is built', () => {
    expect(existsSync(`${root}/dist/index.js`) && existsSync(`${root}/dist/index.cjs`)).toBe(true)
  })

  for (const [kind, args] of [
    ['ESM', ['--input-type=module', '-e', `${probe((e) => `await import(${e})`)}`]],
    ['CJS', ['--input-type=commonjs', '-e', probe((e) => `require(${e})`)]],
  ] as const) {
    it(`loads every entry in ${kind}`, () => {
      const result = run([...args]) as {
        exports: Record<string, string[]>
        shared: boolean
        instanceOf: boolean
        client: string
        discover: string
      }
      expect(result.client).toBe('function')
      expect(result.discover).toBe('function')
      expect(result.shared).toBe(true)
      expect(result.instanceOf).toBe(true)
      expect(result.exports['okta-oauth-kit']).toEqual(
        expect.arrayContaining([
          'createClient',
          'discover',
          'validateIdToken',
          'createJwksCache',
          'OAuthResponseError',
          'TokenValidationError',
          'isOktaOAuthError',
        ]),
      )
      expect(result.exports['okta-oauth-kit/verifier']).toEqual(
        expect.arrayContaining(['createJwksCache', 'validateIdToken']),
      )
      for (const entry of ENTRIES) expect(result.exports[entry], entry).toContain('OktaOAuthError')
    })
  }
})
