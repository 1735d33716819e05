import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// In your app, `okta-oauth-kit/browser` resolves from node_modules. Vite
// does not resolve a package's import of itself, so here the name points at
// the package's build (`npm run build` first), the same file an app gets.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: {
      'okta-oauth-kit/browser': fileURLToPath(new URL('../../dist/browser.js', import.meta.url)),
    },
  },
  server: { host: '127.0.0.1', port: 8080, strictPort: true },
  build: { target: 'es2022' },
})
