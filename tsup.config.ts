import { defineConfig } from 'tsup'

// One config for every entry with `splitting: true`: shared code (errors above
// all) lives in one chunk, so `instanceof` holds across entry points in CJS too.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    browser: 'src/browser/index.ts',
    server: 'src/server/index.ts',
    verifier: 'src/verifier/index.ts',
    'verifier-node': 'src/verifier/node.ts',
    cli: 'src/cli.ts',
    admin: 'src/admin/index.ts',
    redis: 'src/redis/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['msw', 'node:*'],
  noExternal: ['zod'],
})
