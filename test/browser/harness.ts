/**
 * Real-browser harness for `okta-oauth-kit/browser`: headless Chromium
 * (playwright-core, Debian's /usr/bin/chromium or CHROMIUM_PATH) drives a single-page app
 * against the Okta-style org emulator served over HTTP. Three origins, all on
 * 127.0.0.1 with different ports:
 *
 * - the app: `/app.js` (test/browser/app/main.ts bundled with esbuild, the SDK
 *   straight from src/), and HTML pages `/`, `/callback`, `/relay` and any
 *   other path (for `returnTo`), each loading `/app.js` as a module;
 * - the authorization server: `startOktaOrg`, plus a few msw handlers that
 *   play an attacker or a misbehaving server on its origin (see
 *   {@link authServerExtras});
 * - a hostile origin: `/forge?data=…` posts `data` to its opener or parent
 *   with `*` (then goes on to `next`, if given).
 *
 * One browser per test file, a new context per test; {@link BrowserHarness.reset}
 * clears the emulator's session and misbehaviours between tests. Test files
 * get all three from {@link useHarness}.
 */
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { HttpResponse, http, type RequestHandler } from 'msw'
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type Request as PwRequest,
} from 'playwright-core'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import type {
  PopupSignInOptions,
  SignInResult,
  SilentSignInOptions,
  TokenSet,
} from '../../src/browser/index.js'
import {
  type RunningOktaOrg,
  type StartOktaOrgOptions,
  startOktaOrg,
} from '../../src/testing/index.js'
import {
  type AppConfig,
  type AppOptions,
  CALLBACK_KEY,
  type CallbackRecord,
  type Settled,
} from './app/api.js'

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set (a
 * contributor's Chrome or Chromium on macOS, say), else Debian's. A missing
 * browser fails the tests; it never skips them.
 */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium'
}
export const CLIENT_ID = '0oaspa0000000000000'
/** The emulator's default user. */
export const USER_ID = '00uid4BxXw6I6TV4m0g3'
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** Emulator options besides the client, trusted origins and handlers the harness sets. */
  org?: Omit<StartOktaOrgOptions, 'clients' | 'trustedOrigins' | 'handlers' | 'port'>
  /** More msw handlers on the authorization server's origin, consulted first. */
  handlers?: RequestHandler[]
}

/** A running harness: servers, emulator and browser. */
export interface BrowserHarness {
  /** The app's origin. */
  readonly app: string
  /** The authorization server's origin (the emulator). */
  readonly authOrigin: string
  /** The hostile origin. */
  readonly hostile: string
  /** The issuer the app uses. */
  readonly issuer: string
  /** The emulator: state and controls (`signOut`, `misbehave`, `requestCount`, …). */
  readonly org: RunningOktaOrg['org']
  readonly browser: Browser
  /** A fresh browser context; page errors are collected in {@link BrowserHarness.pageErrors}. */
  newContext(): Promise<BrowserContext>
  /** Open the app at `path` in a new page and create its BrowserAuth. */
  openApp(context: BrowserContext, path?: string, options?: AppOptions): Promise<Page>
  /** Uncaught errors of pages since the last reset. */
  readonly pageErrors: string[]
  /** End the emulator session, drop misbehaviours, forget page errors. */
  reset(): void
  /** Close the browser and every server. */
  close(): Promise<void>
}

/** Bound a wait: reject with a message naming what did not happen in time. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no outcome within ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** The value of a settled page promise, or a thrown error describing the failure. */
export function resultOf<T>(settled: Settled<T>): T {
  if (!settled.ok) throw new Error(`expected success, got ${JSON.stringify(settled.error)}`)
  return settled.value
}

/** The error of a settled page promise, or a thrown error when it succeeded. */
export function errorOf(settled: Settled): Extract<Settled, { ok: false }>['error'] {
  if (settled.ok) throw new Error(`expected a failure, got ${JSON.stringify(settled.value)}`)
  return settled.error
}

/** Whether a request is the emulator's authorize endpoint. */
export const isAuthorize = (request: PwRequest): boolean =>
  new URL(request.url()).pathname.endsWith('/v1/authorize')

/**
 * The URLs of the authorize requests that `target` (a page, or every page of
 * a context) sends from now on.
 */
export function authorizeRequests(target: {
  on(event: 'request', listener: (request: PwRequest) => void): unknown
}): URL[] {
  const urls: URL[] = []
  target.on('request', (r) => {
    if (isAuthorize(r)) urls.push(new URL(r.url()))
  })
  return urls
}

/** Decode a JWT's payload (no verification: for assertions only). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

function html(body: string, head = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`
}

/**
 * A page that posts the JSON of its `data` query parameter to its opener (a
 * popup) or parent (a frame), to any origin, then goes on to `next` if given.
 */
const FORGE_PAGE = html(
  '<script>var q=new URLSearchParams(location.search);' +
    "(window.opener||window.parent).postMessage(JSON.parse(q.get('data')),'*');" +
    "if(q.get('next'))location.replace(q.get('next'))</script>",
)

/**
 * Handlers on the authorization server's origin that play an attacker or a
 * server with other headers. They only act on requests with an extra
 * parameter (sent through `extra` of the sign-in options) and fall through to
 * the emulator otherwise:
 *
 * - `GET /forge?data=…`: {@link FORGE_PAGE}, served from the auth origin.
 * - `authorize?hostile=state`: posts `{ state: 'not-the-state', code: 'forged' }`
 *   to `opener` (to the app's origin), then `location.replace`s to the same
 *   request without `hostile`, which the emulator answers.
 * - `authorize?hostile=origin`: redirects the popup to the hostile origin's
 *   {@link FORGE_PAGE}, which posts the request's real `state` with
 *   `code: 'forged'` to `opener`, then comes back to the same request
 *   without `hostile`.
 * - `authorize?coop={ms}`: a "login page" sent with
 *   `Cross-Origin-Opener-Policy: same-origin` that continues to the same
 *   request without `coop` after `{ms}` (the user signing in).
 * - `authorize?tamper=code|access_token|id_token`: the emulator's real
 *   `okta_post_message` answer with that member altered (one character of
 *   the code or access token; the ID token's `sub`, under its signature).
 */
function authServerExtras(app: string, hostile: string): RequestHandler[] {
  return [
    http.get(
      '*/forge',
      () => new HttpResponse(FORGE_PAGE, { headers: { 'content-type': 'text/html' } }),
    ),
    http.get('*/oauth2/default/v1/authorize', async ({ request }) => {
      const url = new URL(request.url)
      const q = url.searchParams
      const page = (body: string, headers: Record<string, string> = {}) =>
        new HttpResponse(html(body), {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            ...headers,
          },
        })
      const mode = q.get('hostile')
      if (mode === 'state') {
        q.delete('hostile')
        const forged = JSON.stringify({ state: 'not-the-state', code: 'forged' })
        return page(
          `<script>opener.postMessage(${forged},${JSON.stringify(app)});location.replace(${JSON.stringify(url.href)})</script>`,
        )
      }
      if (mode === 'origin') {
        q.delete('hostile')
        const detour = new URL('/forge', hostile)
        detour.searchParams.set('data', JSON.stringify({ state: q.get('state'), code: 'forged' }))
        detour.searchParams.set('next', url.href)
        return new HttpResponse(null, { status: 302, headers: { location: detour.href } })
      }
      const coop = q.get('coop')
      if (coop !== null) {
        q.delete('coop')
        return page(
          `<p>Sign in</p><script>setTimeout(function(){location.replace(${JSON.stringify(url.href)})},${Number(coop)})</script>`,
          { 'cross-origin-opener-policy': 'same-origin' },
        )
      }
      const tamper = q.get('tamper')
      if (tamper !== null) {
        q.delete('tamper')
        const real = await fetch(url, { redirect: 'manual' })
        const text = await real.text()
        const headers = new Headers(real.headers)
        headers.delete('content-length')
        const m = /var d=(\{.*?\});var t=/.exec(text)
        if (!m?.[1]) return new HttpResponse(text, { status: real.status, headers })
        const data = JSON.parse(m[1]) as Record<string, string>
        const value = data[tamper]
        if (tamper === 'id_token' && value !== undefined) {
          // Another subject under the original signature.
          const [header, payload, signature] = value.split('.')
          const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'))
          claims.sub = '00uattacker000000000'
          data[tamper] = [
            header,
            Buffer.from(JSON.stringify(claims)).toString('base64url'),
            signature,
          ].join('.')
        } else if (value !== undefined) {
          // One character changed.
          const i = Math.floor(value.length / 2)
          data[tamper] = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1)
        }
        return new HttpResponse(text.replace(m[1], JSON.stringify(data)), {
          status: real.status,
          headers,
        })
      }
      return undefined
    }),
  ]
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'))
      else resolve(`http://127.0.0.1:${address.port}`)
    })
  })
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

async function bundleApp(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./app/main.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  })
  const out = result.outputFiles[0]
  if (!out) throw new Error('esbuild produced no output for the app')
  return out.text
}

/**
 * Start the app server first (its origin goes into the emulator's client and
 * trusted origins), then the emulator and the hostile server, then Chromium.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<BrowserHarness> {
  const executable = chromiumPath()
  if (!existsSync(executable)) {
    throw new Error(
      `browser tests need Chromium at ${executable}, which is missing: apt-get install chromium (Debian), or set CHROMIUM_PATH to a Chromium or Chrome binary`,
    )
  }
  const script = await bundleApp()
  let config: AppConfig | undefined
  const appServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/app.js') {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end(script)
    } else if (path === '/favicon.ico') {
      res.writeHead(404).end()
    } else {
      const json = JSON.stringify(config).replace(/</g, '\\u003c')
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end(
        html(
          '<button id="go">Sign in</button>',
          `<title>app ${path}</title><script>window.__APP_CONFIG__=${json}</script><script type="module" src="/app.js"></script>`,
        ),
      )
    }
  })
  const hostileServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(FORGE_PAGE)
  })
  const servers: { close(): Promise<void> }[] = []
  let browser: Browser | undefined
  try {
    const app = await listen(appServer)
    servers.push({ close: () => stop(appServer) })
    const hostile = await listen(hostileServer)
    servers.push({ close: () => stop(hostileServer) })
    const running = await startOktaOrg({
      ...options.org,
      clients: [
        {
          clientId: CLIENT_ID,
          tokenEndpointAuthMethod: 'none',
          redirectUris: [`${app}/callback`, `${app}/relay`],
          postLogoutRedirectUris: [`${app}/`],
        },
      ],
      trustedOrigins: [app],
      handlers: [...(options.handlers ?? []), ...authServerExtras(app, hostile)],
    })
    servers.push(running)
    const { org } = running
    config = { app, issuer: org.issuer(), clientId: CLIENT_ID }
    browser = await chromium.launch({
      executablePath: executable,
      args: LAUNCH_ARGS,
      timeout: 30_000,
    })
    const b = browser
    const pageErrors: string[] = []
    const contexts = new Set<BrowserContext>()
    return {
      app,
      authOrigin: running.url,
      hostile,
      issuer: org.issuer(),
      org,
      browser: b,
      pageErrors,
      async newContext() {
        const context = await b.newContext()
        contexts.add(context)
        context.on('close', () => contexts.delete(context))
        context.setDefaultTimeout(15_000)
        context.setDefaultNavigationTimeout(15_000)
        context.on('page', (page) => {
          page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`))
        })
        return context
      },
      async openApp(context, path = '/', appOptions = {}) {
        const page = await context.newPage()
        await page.goto(app + path)
        await page.evaluate((o) => window.app.setup(o), appOptions)
        return page
      },
      reset() {
        org.signOut()
        org.behave()
        pageErrors.length = 0
      },
      async close() {
        for (const context of contexts) await context.close().catch(() => undefined)
        await b.close().catch(() => undefined)
        for (const server of servers.reverse()) await server.close()
      },
    }
  } catch (err) {
    await browser?.close().catch(() => undefined)
    for (const server of servers.reverse()) await server.close()
    throw err
  }
}

/** A test file's harness (see {@link useHarness}) and the current test's browser context. */
export type HarnessInTest = BrowserHarness & {
  /** A new browser context for each test, closed after it. */
  readonly context: BrowserContext
}

/**
 * The hooks every browser test file registers: one harness for the file
 * (started before its tests, closed after them), {@link BrowserHarness.reset}
 * and a new browser context before each test, that context closed after it.
 * The result reads the running harness and the current test's context, so it
 * is only for use inside tests and hooks.
 */
export function useHarness(options: HarnessOptions = {}): HarnessInTest {
  let harness: BrowserHarness | undefined
  let context: BrowserContext | undefined
  beforeAll(async () => {
    harness = await startHarness(options)
  })
  afterAll(async () => {
    await harness?.close()
  })
  beforeEach(async () => {
    harness!.reset()
    const current = await harness!.newContext()
    context = current
    return () => current.close()
  })
  return new Proxy({} as HarnessInTest, {
    get(_, key) {
      if (harness === undefined) throw new Error('the browser harness runs only inside tests')
      if (key === 'context') {
        if (context === undefined) throw new Error('no browser context outside a test')
        return context
      }
      return Reflect.get(harness, key)
    },
  })
}

/** Arm `#go` with `signInWithPopup(options)` and click it; resolves to the popup. */
export async function startPopupSignIn(
  page: Page,
  options: PopupSignInOptions = {},
): Promise<Page> {
  await page.evaluate((o) => {
    window.app.onClick = () => window.app.auth!.signInWithPopup(o)
  }, options)
  return clickForPopup(page)
}

/** A whole popup sign-in: its outcome once the SDK settles (bounded). */
export async function popupSignIn<T = TokenSet>(
  page: Page,
  options: PopupSignInOptions = {},
): Promise<Settled<T>> {
  await startPopupSignIn(page, options)
  return pendingOutcome<T>(page)
}

/**
 * Click the app's `#go` button, which runs `window.app.onClick` inside the
 * user's gesture; resolves to the popup the click opened.
 */
export async function clickForPopup(page: Page): Promise<Page> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#go')])
  return popup
}

/** The outcome of the last click (e.g. the popup sign-in), bounded. */
export function pendingOutcome<T = unknown>(page: Page, ms = 20_000): Promise<Settled<T>> {
  return within(
    page.evaluate(() => window.app.pending) as Promise<Settled<T>>,
    ms,
    'the click handler',
  )
}

/**
 * `signInSilently(options)` in the page (the hidden iframe): its outcome,
 * bounded by `ms`; `what` names the wait in the timeout error.
 */
export function silentSignIn<T = SignInResult>(
  page: Page,
  options?: SilentSignInOptions,
  { ms = 15_000, what = 'signInSilently' } = {},
): Promise<Settled<T>> {
  return within(
    page.evaluate((o) => window.app.settle(window.app.auth!.signInSilently(o)), options) as Promise<
      Settled<T>
    >,
    ms,
    what,
  )
}

/** What /callback recorded (and forget it), once it went on to `returnTo`. */
export function callbackRecord(page: Page): Promise<CallbackRecord | undefined> {
  return page.evaluate((key) => {
    const raw = sessionStorage.getItem(key)
    sessionStorage.removeItem(key)
    return raw === null ? undefined : (JSON.parse(raw) as CallbackRecord)
  }, CALLBACK_KEY)
}
