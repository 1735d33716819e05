import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// A user's own vitest setup: nothing special is needed for the emulator.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.test.ts'],
    testTimeout: 20_000,
  },
})
