import { defineConfig } from 'vitest/config'

// Seven projects: unit tests run behind msw (no request can leave the
// process), integration tests talk to a real oidc-provider on 127.0.0.1,
// contract tests run Okta's official clients against the local org over
// HTTP, package tests import the built package through its exports map, redis
// tests share state between processes through a real redis-server, browser
// tests drive the browser entry in headless Chromium, and runtime tests run
// the built package in Node, Deno, Bun and workerd (child processes) against
// the local org over HTTP.
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/setup/errors.ts', 'test/unit/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/setup/errors.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          setupFiles: ['test/setup/errors.ts'],
        },
      },
      { extends: true, test: { name: 'package', include: ['test/package/**/*.test.ts'] } },
      // A real redis-server (Debian's) on 127.0.0.1 and a random port, started by the tests,
      // and child Node processes sharing it: the fleet of issue 17.
      {
        extends: true,
        test: {
          name: 'redis',
          include: ['test/redis/**/*.test.ts'],
          setupFiles: ['test/setup/errors.ts'],
          testTimeout: 60_000,
        },
      },
      // Headless Chromium (CHROMIUM_PATH, else /usr/bin/chromium) against the emulator over HTTP.
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 60_000 },
      },
      // Deno, Bun and workerd come from npm dev dependencies (node_modules/.bin).
      {
        extends: true,
        test: { name: 'runtimes', include: ['test/runtimes/**/*.test.ts'], testTimeout: 60_000 },
      },
    ],
  },
})
