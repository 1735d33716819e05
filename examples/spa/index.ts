/**
 * The single-page app of `examples/spa` (Vite + `okta-oauth-kit/browser`),
 * against the SDK's local Okta-style org.
 *
 *   npx tsx examples/spa/index.ts          # build the app with Vite, serve it, start the local org
 *                                          # on another origin, drive it in headless Chromium:
 *                                          # redirect sign-in, API call, renewal, sign-out, popup
 *                                          # sign-in; print a transcript (no token values), exit 0
 *   npx tsx examples/spa/index.ts --serve  # Vite dev server on http://127.0.0.1:8080 and the local
 *                                          # org on http://127.0.0.1:8081: open the app yourself
 *
 * Chromium: Debian's `chromium` (`/usr/bin/chromium`, or set CHROMIUM_PATH).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startOktaOrg } from 'okta-oauth-kit/testing'
import { chromium } from 'playwright-core'
import { build, createServer as createViteServer } from 'vite'

const here = fileURLToPath(new URL('.', import.meta.url))
const configFile = join(here, 'vite.config.ts')
const CLIENT_ID = '0oaspa0000000000000'
const define = (issuer: string) => ({
  'import.meta.env.VITE_OKTA_ISSUER': JSON.stringify(issuer),
  'import.meta.env.VITE_OKTA_CLIENT_ID': JSON.stringify(CLIENT_ID),
})

async function drive() {
  const out = mkdtempSync(join(tmpdir(), 'okta-oauth-kit-spa-'))
  const app = await serveStatic(out)
  const origin = `http://127.0.0.1:${(app.address() as { port: number }).port}`
  const org = await startOktaOrg({
    clients: [
      {
        clientId: CLIENT_ID,
        tokenEndpointAuthMethod: 'none',
        redirectUris: [`${origin}/callback`],
        postLogoutRedirectUris: [`${origin}/`],
      },
    ],
    trustedOrigins: [origin],
  })
  const issuer = `${org.url}/oauth2/default`
  await build({
    configFile,
    define: define(issuer),
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true },
  })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  const state = org.org
  const step = (n: number, text: string) => console.log(`${n}. ${text}`)
  try {
    const page = await (await browser.newContext()).newPage()
    const status = () => page.textContent('#status')
    const expectText = async (selector: string, pattern: RegExp) => {
      await page.waitForFunction(
        ([s, p]) =>
          new RegExp(p as string).test(document.querySelector(s as string)?.textContent ?? ''),
        [selector, pattern.source],
        { timeout: 10_000 },
      )
      return page.textContent(selector)
    }
    console.log(`app ${origin}  (Vite build)  ·  local org ${issuer}\n`)

    await page.goto(`${origin}/`)
    await page.waitForSelector('body[data-ready="true"]')
    step(1, `open the app: ${await status()}`)

    await page.click('#sign-in-redirect')
    await page.waitForURL(`${origin}/`, { timeout: 10_000 })
    step(2, `redirect sign-in (code + PKCE): ${await expectText('#status', /Signed in as/)}`)
    console.log(
      `   address bar after the callback: ${new URL(page.url()).pathname} (no code, no state)`,
    )

    await page.click('#call-api')
    step(3, `call the API with the access token: ${await expectText('#api', /HTTP 200/)}`)

    const before = state.requestCount('token')
    await page.click('#renew')
    await expectText('#events', /^[2-9]/)
    step(
      4,
      `renew with the refresh token: ${state.requestCount('token') - before} token request, ${await page.textContent('#expiry')}`,
    )

    const revokes = state.requestCount('revoke')
    await page.click('#sign-out')
    await page.waitForURL(/\/\?state=/, { timeout: 10_000 })
    await page.waitForSelector('body[data-ready="true"]')
    step(
      5,
      `sign-out: ${state.requestCount('revoke') - revokes} tokens revoked, back at ${new URL(page.url()).pathname}, ${await expectText('#status', /Signed out/)}`,
    )

    await page.click('#sign-in-popup')
    step(6, `popup sign-in (okta_post_message): ${await expectText('#status', /Signed in as/)}`)

    const error = await page.textContent('#error')
    if (error) throw new Error(`the app reported an error: ${error}`)
    console.log('\nThe SPA example ran end to end.')
  } finally {
    await browser.close()
    await org.close()
    await new Promise((resolve) => app.close(resolve))
    rmSync(out, { recursive: true, force: true })
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
}

// A static server for the Vite build; any unknown path is the SPA's index.html.
function serveStatic(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(
      /^(\.\.[/\\])+/,
      '',
    )
    let file = join(root, path)
    let body: Buffer
    try {
      body = readFileSync(file)
    } catch {
      file = join(root, 'index.html')
      body = readFileSync(file)
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(body)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

if (process.argv.includes('--serve')) {
  // The default SPA client of the local org already has
  // http://127.0.0.1:8080/callback and http://localhost:8080/callback.
  const org = await startOktaOrg({ port: 8081 })
  const vite = await createViteServer({ configFile, define: define(`${org.url}/oauth2/default`) })
  await vite.listen()
  console.log(`local org   ${org.url}/oauth2/default`)
  console.log('app         http://127.0.0.1:8080/  (Ctrl-C to stop)')
} else {
  await drive()
}
