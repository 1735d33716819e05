// The `exports` map, resolved as each toolchain resolves it: esbuild with the
// condition set a runtime or bundler uses. The smoke suite (runtimes.test.ts)
// checks the real runtimes; this covers the condition sets of tools it does
// not start (a browser bundler, a `worker`-only bundler) and the CJS side.
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'
import { built, root } from './harness.js'

beforeAll(() => {
  if (!built()) throw new Error('dist/ is missing: run `npm run build` first')
})

async function resolveWith(
  specifier: string,
  conditions: string[],
  kind: 'import' | 'require',
): Promise<string> {
  const out = await build({
    stdin: {
      contents:
        kind === 'import'
          ? `export * from '${specifier}'`
          : `module.exports = require('${specifier}')`,
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    format: kind === 'import' ? 'esm' : 'cjs',
    conditions,
    mainFields: ['module', 'main'],
    external: ['jose', 'oauth4webapi', 'ky', 'zod', 'msw', 'node:*', 'crypto'],
    absWorkingDir: root,
    logLevel: 'silent',
  })
  const entries = Object.keys(out.metafile.inputs).filter((f) =>
    /^dist\/(index|verifier|verifier-node|server|admin|browser|testing)\.c?js$/.test(f),
  )
  return entries.join(',')
}

const VERIFIER: [string, string[], string, string][] = [
  // runtime or tool, its conditions, ESM file, CJS file
  ['Node', ['node'], 'dist/verifier-node.js', 'dist/verifier-node.cjs'],
  ['Bun', ['bun', 'node'], 'dist/verifier-node.js', 'dist/verifier-node.cjs'],
  ['Deno', ['deno', 'node'], 'dist/verifier.js', 'dist/verifier.cjs'],
  ['wrangler (workerd)', ['workerd', 'worker', 'browser'], 'dist/verifier.js', 'dist/verifier.cjs'],
  ['a worker bundler', ['worker'], 'dist/verifier.js', 'dist/verifier.cjs'],
  ['a browser bundler', ['browser'], 'dist/verifier.js', 'dist/verifier.cjs'],
  // A tool that sets `browser` and `node` together still gets the build that runs everywhere.
  ['browser and node', ['browser', 'node'], 'dist/verifier.js', 'dist/verifier.cjs'],
  ['no condition', [], 'dist/verifier.js', 'dist/verifier.cjs'],
]

describe('okta-oauth-kit/verifier under each condition set', () => {
  it.each(VERIFIER)('%s (%j) → %s / %s', async (_name, conditions, esm, cjs) => {
    expect(await resolveWith('okta-oauth-kit/verifier', conditions, 'import')).toBe(esm)
    expect(await resolveWith('okta-oauth-kit/verifier', conditions, 'require')).toBe(cjs)
  })
})

describe('the other entries: one build for every runtime', () => {
  const sets = VERIFIER.map(([, conditions]) => conditions)
  it.each(['', '/server', '/admin', '/browser'])('okta-oauth-kit%s', async (sub) => {
    const file = sub === '' ? 'index' : sub.slice(1)
    for (const conditions of sets) {
      expect(await resolveWith(`okta-oauth-kit${sub}`, conditions, 'import')).toBe(
        `dist/${file}.js`,
      )
      expect(await resolveWith(`okta-oauth-kit${sub}`, conditions, 'require')).toBe(
        `dist/${file}.cjs`,
      )
    }
  })
})
