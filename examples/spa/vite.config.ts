import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// In your app, `okta-oauth-kit/browser` resolves from node_modules. Here it
// points at the SDK's sources so the example runs without a build.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: {
      'okta-oauth-kit/browser': fileURLToPath(
        new URL('../../src/browser/index.ts', import.meta.url),
      ),
    },
  },
  server: { host: '127.0.0.1', port: 8080, strictPort: true },
  build: { target: 'es2022' },
})
