// Types shared by the page (main.ts) and the tests (page.evaluate callbacks).
import type {
  BrowserAuth,
  BrowserAuthOptions,
  BrowserRedirectResult,
  createBrowserAuth,
  isBrowserAuthError,
  relayCallback,
  webStorage,
} from '../../../src/browser/index.js'

/** Where each page keeps the options of `app.setup`, for the next pages of the tab. */
export const OPTIONS_KEY = 'app:options'
/** Where /callback records its outcome (it navigates to `returnTo` afterwards). */
export const CALLBACK_KEY = 'app:callback'

/** What the harness writes into each page before /app.js. */
export interface AppConfig {
  /** The app's origin, `http://127.0.0.1:{port}`. */
  app: string
  /** The emulator's default authorization server. */
  issuer: string
  clientId: string
}

/** A promise's outcome, serialisable across page.evaluate. */
export type Settled<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** What tests can see of an error thrown in the page. */
export interface ErrorInfo {
  name: string
  message: string
  code?: string
  error?: string
  thirdPartyCookiesSuspected?: boolean
  openerSevered?: boolean
  isBrowserAuthError: boolean
}

/** `createBrowserAuth` options as JSON: storages by name, the rest as is. */
export interface AppOptions
  extends Omit<
    BrowserAuthOptions,
    | 'issuer'
    | 'clientId'
    | 'redirectUri'
    | 'tokenStorage'
    | 'transactionStorage'
    | 'coordinator'
    | 'fetch'
    | 'now'
  > {
  redirectUri?: string
  tokenStorage?: 'memory' | 'session' | 'local'
}

/** A message the app window received (any origin), recorded before the SDK sees it. */
export interface ReceivedMessage {
  origin: string
  data: unknown
  /** Milliseconds since the page loaded. */
  at: number
}

/** What the page puts on `window.app`. */
export interface AppApi {
  config: AppConfig
  /** The current BrowserAuth (recreated by `setup`, and on each page load from sessionStorage). */
  auth: BrowserAuth | undefined
  /** Create the BrowserAuth; the options are kept in sessionStorage for the next pages of this tab. */
  setup(options?: AppOptions): void
  /** A promise as a serialisable outcome. */
  settle<T>(promise: Promise<T>): Promise<Settled<T>>
  /** What the `#go` button runs inside the user's click (e.g. `signInWithPopup`). */
  onClick: (() => Promise<unknown>) | undefined
  /** The outcome of the last click. */
  pending: Promise<Settled> | undefined
  /** `tokensChanged` events of `auth`, with the access token they carried. */
  events: { type: string; accessToken?: string }[]
  /** Every `message` event this window received. */
  messages: ReceivedMessage[]
  /** On /callback: the outcome of `handleRedirect()`. */
  callback: Promise<Settled<BrowserRedirectResult>> | undefined
  /** Call `getAccessToken()` at an epoch-ms instant (both tabs of the race use the same one). */
  getAccessTokenAt(at: number): Promise<Settled<string | undefined>>
  /** How many iframes the document holds. */
  iframes(): number
}

declare global {
  interface Window {
    __APP_CONFIG__: AppConfig
    app: AppApi
    kit: {
      createBrowserAuth: typeof createBrowserAuth
      relayCallback: typeof relayCallback
      isBrowserAuthError: typeof isBrowserAuthError
      webStorage: typeof webStorage
    }
  }
}

/** What /callback stores under {@link CALLBACK_KEY}. */
export interface CallbackRecord {
  outcome: Settled<BrowserRedirectResult>
  /** `location.href` right after `handleRedirect()` settled. */
  hrefAfter: string
  /** Whether the token manager held tokens afterwards. */
  stored: boolean
}
