import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
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
  'okta-oauth-kit/redis',
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
        expect.arrayContaining([
          'createVerifier',
          'createJwksCache',
          'createMemoryJwksStore',
          'validateIdToken',
          'extractBearerToken',
          'bearerChallenge',
          'BearerTokenError',
        ]),
      )
      expect(result.exports['okta-oauth-kit/redis']).toEqual(
        expect.arrayContaining([
          'createRedisTransactionStore',
          'createRedisSessionStore',
          'createRedisJwksStore',
          'createRedisAdminTokenStore',
          'StoreError',
        ]),
      )
      for (const entry of ENTRIES) expect(result.exports[entry], entry).toContain('OktaOAuthError')
    })
  }

  // The `node` export condition selects the node:crypto build of the verifier;
  // without it (browsers, workers, bundlers targeting them) WebCrypto is used.
  const verifierProbe = (load: string) => `
const v = ${load};
const core = ${load.replace('okta-oauth-kit/verifier', 'okta-oauth-kit')};
const verifier = v.createVerifier({ issuer: 'https://example.okta.com/oauth2/default', audience: 'api://default' });
process.stdout.write(JSON.stringify({
  crypto: verifier.crypto,
  sameErrors: v.TokenValidationError === core.TokenValidationError,
  sameCache: v.createJwksCache === core.createJwksCache,
}));
`
  it.each([
    [
      'ESM',
      ['--input-type=module', '-e', verifierProbe("await import('okta-oauth-kit/verifier')")],
    ],
    ['CJS', ['--input-type=commonjs', '-e', verifierProbe("require('okta-oauth-kit/verifier')")]],
  ] as const)('selects the node:crypto verifier on Node (%s)', (_kind, args) => {
    expect(run([...args])).toEqual({ crypto: 'node:crypto', sameErrors: true, sameCache: true })
  })

  it('selects the WebCrypto verifier without the node condition', () => {
    // --conditions cannot remove `node`, so load the default target the map names.
    const out = run([
      '--input-type=module',
      '-e',
      `const pkg = (await import('node:fs')).readFileSync('package.json', 'utf8');
const target = JSON.parse(pkg).exports['./verifier'].import.default;
const v = await import(new URL(target, 'file://' + process.cwd() + '/').href);
const verifier = v.createVerifier({ issuer: 'https://example.okta.com/oauth2/default', audience: 'api://default' });
process.stdout.write(JSON.stringify({ target, crypto: verifier.crypto }));`,
    ])
    expect(out).toEqual({ target: './dist/verifier.js', crypto: 'webcrypto' })
  })
})

describe('what each built entry pulls in', () => {
  // Follow the static imports of an ESM entry through its chunks (with
  // `dynamic`, also the `import('…')`s that code loads at its first use).
  function reach(entry: string, { dynamic = false } = {}): Set<string> {
    const seen = new Set<string>()
    const bare = new Set<string>()
    const pattern = dynamic
      ? /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g
      : /(?:from|import)\s*['"]([^'"]+)['"]/g
    const walk = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const source = readFileSync(`${root}/dist/${file}`, 'utf8')
      for (const m of source.matchAll(pattern)) {
        const spec = m[1]!
        if (spec.startsWith('./')) walk(spec.slice(2))
        else bare.add(spec)
      }
    }
    walk(entry)
    return bare
  }

  it.each(['index.js', 'verifier.js', 'verifier-node.js', 'browser.js', 'server.js', 'redis.js'])(
    '%s loads neither zod nor ky (they are for ./admin)',
    (entry) => {
      const bare = reach(entry, { dynamic: true })
      expect([...bare].filter((s) => /^(zod|ky)(\/|$)/.test(s))).toEqual([])
    },
  )

  // A cold import loads only what every caller needs (bench/cold-import.ts):
  // jose by subpath, its key import and JWT functions at their first use.
  it.each(['index.js', 'verifier.js', 'verifier-node.js', 'server.js', 'admin.js'])(
    "%s does not import jose's whole index",
    (entry) => {
      expect(reach(entry)).not.toContain('jose')
      expect(reach(entry, { dynamic: true })).not.toContain('jose')
    },
  )

  it.each(['verifier.js', 'verifier-node.js', 'admin.js'])(
    "%s loads jose's key import only at its first use",
    (entry) => {
      expect(reach(entry)).not.toContain('jose/key/import')
      expect(reach(entry, { dynamic: true })).toContain('jose/key/import')
    },
  )

  it('only the node build of the verifier imports node:crypto', () => {
    // tsup writes `node:crypto` as `crypto`.
    const crypto = (entry: string) => [...reach(entry)].some((s) => /^(node:)?crypto$/.test(s))
    expect(crypto('verifier-node.js')).toBe(true)
    expect(crypto('verifier.js')).toBe(false)
    expect(crypto('index.js')).toBe(false)
    expect(crypto('browser.js')).toBe(false)
  })

  it('browser.js imports no package at all: fetch and WebCrypto only (the size budget)', () => {
    expect([...reach('browser.js')]).toEqual([])
  })

  it("redis.js imports no package at all: it takes the app's own Redis client", () => {
    expect([...reach('redis.js')]).toEqual([])
  })

  /** The dist files an entry loads (static imports, or dynamic too). */
  function files(entry: string, { dynamic = false } = {}): string[] {
    const seen = new Set<string>()
    const pattern = dynamic
      ? /(?:from|import)\s*\(?\s*['"](\.\/[^'"]+)['"]/g
      : /(?:from|import)\s*['"](\.\/[^'"]+)['"]/g
    const walk = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      for (const m of readFileSync(`${root}/dist/${file}`, 'utf8').matchAll(pattern)) {
        walk(m[1]!.slice(2))
      }
    }
    walk(entry)
    return [...seen]
  }
  const hasZodCode = (file: string) =>
    readFileSync(`${root}/dist/${file}`, 'utf8').includes('$ZodType')

  it('admin carries its own tree-shaken zod, and loads ky from its first request on', () => {
    // zod is bundled (only what the models use: a cold import without zod's
    // 90-odd modules and locales), so the entry imports no zod package...
    expect([...reach('admin.js', { dynamic: true })].filter((s) => /^zod(\/|$)/.test(s))).toEqual(
      [],
    )
    expect(files('admin.js').some(hasZodCode)).toBe(true)
    // ...and ky is imported by the first request, not with the entry.
    expect(reach('admin.js').has('ky')).toBe(false)
    expect(reach('admin.js', { dynamic: true }).has('ky')).toBe(true)
  })

  it.each(['index.js', 'verifier.js', 'verifier-node.js', 'browser.js', 'server.js', 'redis.js'])(
    "%s carries none of admin's bundled zod",
    (entry) => {
      expect(files(entry, { dynamic: true }).filter(hasZodCode)).toEqual([])
    },
  )
})

describe('examples', () => {
  it('import the SDK by its name, as an app copied from them would', async () => {
    const { readdir, readFile } = await import('node:fs/promises')
    const dir = new URL('../../examples/', import.meta.url)
    const files = (await readdir(dir, { recursive: true })).filter(
      (f) => /\.(ts|tsx|js|mjs|html)$/.test(f) && !f.includes('node_modules'),
    )
    expect(files.length).toBeGreaterThan(20)
    const offenders: string[] = []
    let named = 0
    for (const f of files) {
      const text = await readFile(new URL(f, dir), 'utf8')
      if (/from\s+['"](\.\.\/)+src\//.test(text) || /import\(\s*['"](\.\.\/)+src\//.test(text)) {
        offenders.push(f)
      }
      if (/from\s+['"]okta-oauth-kit(\/[a-z]+)?['"]/.test(text)) named++
    }
    expect(offenders).toEqual([])
    expect(named).toBeGreaterThan(10)
  })
})
