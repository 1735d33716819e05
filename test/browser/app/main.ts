// The single-page app the browser tests drive. The harness bundles this file
// with esbuild (the SDK straight from src/) and serves it as /app.js on every
// page of the app origin. It only wires the SDK to `window` so tests can call
// it with page.evaluate; every protocol step is the SDK's own.
import {
  createBrowserAuth,
  isBrowserAuthError,
  memoryStore,
  relayCallback,
  webStorage,
} from '../../../src/browser/index.js'
import {
  type AppApi,
  type AppOptions,
  CALLBACK_KEY,
  type CallbackRecord,
  type ErrorInfo,
  OPTIONS_KEY,
  type Settled,
} from './api.js'

const started = performance.now()

function errorInfo(err: unknown): ErrorInfo {
  const e = (err ?? {}) as Record<string, unknown>
  const info: ErrorInfo = {
    name: String(e.name ?? typeof err),
    message: String(e.message ?? err),
    isBrowserAuthError: isBrowserAuthError(err),
  }
  for (const key of ['code', 'error'] as const) {
    if (typeof e[key] === 'string') info[key] = e[key] as string
  }
  for (const key of ['thirdPartyCookiesSuspected', 'openerSevered'] as const) {
    if (typeof e[key] === 'boolean') info[key] = e[key] as boolean
  }
  return info
}

const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, error: errorInfo(err) }),
  )

const config = window.__APP_CONFIG__

const app: AppApi = {
  config,
  auth: undefined,
  setup(options = {}) {
    app.auth?.dispose()
    sessionStorage.setItem(OPTIONS_KEY, JSON.stringify(options))
    const { tokenStorage = 'memory', ...rest } = options
    const auth = createBrowserAuth({
      issuer: config.issuer,
      clientId: config.clientId,
      redirectUri: `${config.app}/callback`,
      postLogoutRedirectUri: `${config.app}/`,
      ...rest,
      tokenStorage:
        tokenStorage === 'memory'
          ? memoryStore()
          : webStorage(tokenStorage === 'local' ? localStorage : sessionStorage),
    })
    auth.events.on('tokensChanged', ({ tokens }) => {
      app.events.push({
        type: 'tokensChanged',
        ...(tokens && { accessToken: tokens.accessToken }),
      })
    })
    app.auth = auth
  },
  settle,
  onClick: undefined,
  pending: undefined,
  events: [],
  messages: [],
  callback: undefined,
  async getAccessTokenAt(at) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())))
    return settle(app.auth!.getAccessToken())
  },
  iframes: () => document.querySelectorAll('iframe').length,
}

window.app = app
window.kit = { createBrowserAuth, relayCallback, isBrowserAuthError, webStorage }

addEventListener('message', (event) => {
  app.messages.push({ origin: event.origin, data: event.data, at: performance.now() - started })
})

document.querySelector('#go')?.addEventListener('click', () => {
  // Nothing awaited before onClick: signInWithPopup must open inside the click.
  if (app.onClick) app.pending = settle(app.onClick())
})

if (location.pathname === '/relay') {
  // The popup's relay page: hand the response to the opener over BroadcastChannel.
  relayCallback()
} else {
  const saved = sessionStorage.getItem(OPTIONS_KEY)
  if (saved) app.setup(JSON.parse(saved) as AppOptions)
  if (location.pathname === '/callback' && app.auth?.isCallback()) {
    const auth = app.auth
    app.callback = settle(auth.handleRedirect()).then(async (outcome) => {
      // Recorded before leaving: the page after returnTo reads it back.
      const record: CallbackRecord = {
        outcome,
        hrefAfter: location.href,
        stored: (await auth.tokens.getTokens()) !== undefined,
      }
      sessionStorage.setItem(CALLBACK_KEY, JSON.stringify(record))
      if (outcome.ok && outcome.value.returnTo) location.assign(outcome.value.returnTo)
      return outcome
    })
  }
}
