import type { BrowserAuthError } from '../errors.js'
import { InvalidOptionError } from '../errors.js'
import { RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import { DEFAULT_TIMEOUT } from '../lib/http.js'
import type { BrowserAuthOptions } from './options.js'
import { DEFAULT_CLOCK_TOLERANCE } from './options.js'
import {
  type BrowserIdTokenOptions,
  type BrowserServerMetadata,
  browserJwks,
  checkUrlOption,
  discoverServer,
  idTokenAlgorithms,
  type Transport,
} from './protocol.js'
import { memoryStore, webStorage } from './storage.js'
import type { TokenManager } from './token-manager.js'
import { type BrowserTransactionStore, createTransactionStore } from './transactions.js'

// What the flows of one createBrowserAuth share: the checked options, the
// transport and its clock offset, discovery (once), the key set, the
// transaction store, the token manager, and whether the browser seems to
// withhold the server's session cookie from iframes.

/** @internal The state shared by the flows of one {@link createBrowserAuth}. */
export interface AuthContext {
  readonly options: BrowserAuthOptions
  readonly clientId: string
  /** The `redirectUri` option, normalised. */
  readonly redirectUri: string
  readonly now: () => number
  readonly transport: Transport
  readonly transactions: BrowserTransactionStore
  /** The origin `returnTo` must stay on: this page's, else the callback page's. */
  readonly appOrigin: () => string
  /** The discovered server metadata (discovery runs once; a failure is retried on the next call). */
  readonly metadata: () => Promise<BrowserServerMetadata>
  /** What every ID token of this client is validated against. */
  readonly rules: (m: BrowserServerMetadata) => IdTokenRules
  /** The token manager (set by createBrowserAuth right after the context). */
  tokens: TokenManager
  /** Set when a silent sign-in suggests the browser hides the server's session cookie. */
  suspect: BrowserAuthError | undefined
}

/** @internal The client-wide part of `BrowserIdTokenOptions`. */
export type IdTokenRules = Pick<
  BrowserIdTokenOptions,
  'issuer' | 'clientId' | 'algorithms' | 'keys' | 'now' | 'tolerance'
>

/** @internal Check the options and make the shared state, without the token manager. */
export function createContext(options: BrowserAuthOptions): Omit<AuthContext, 'tokens'> {
  const issuer = checkUrlOption(options?.issuer, 'issuer')
  const { clientId } = options
  if (typeof clientId !== 'string' || clientId === '') {
    throw new InvalidOptionError('clientId must be a non-empty string')
  }
  const redirectUri = new URL(checkUrlOption(options.redirectUri, 'redirectUri')).href
  const now = options.now ?? Date.now
  const tolerance = options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE
  const transport: Transport = {
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
    offset: 0,
    ...(options.maxResponseBytes !== undefined && {
      maxResponseBytes: responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.protocol),
    }),
  }
  // The origin `returnTo` must stay on: this page's, else the callback page's.
  const appOrigin = () =>
    typeof location !== 'undefined' ? location.origin : new URL(redirectUri).origin
  const session = (globalThis as { sessionStorage?: Storage }).sessionStorage
  const transactions = createTransactionStore({
    storage: options.transactionStorage ?? (session ? webStorage(session) : memoryStore()),
    ...(options.transactionTtl !== undefined && { ttl: options.transactionTtl }),
    now,
  })

  let discovered: Promise<BrowserServerMetadata> | undefined
  const metadata = () =>
    (discovered ??= discoverServer(transport, issuer).catch((err) => {
      discovered = undefined
      throw err
    }))
  const jwks = browserJwks(transport, async () => (await metadata()).jwks_uri)
  // What every ID token of this client is validated against: `iss` is the
  // issuer the server publishes (the configured one may differ by a slash).
  const rules = (m: BrowserServerMetadata) => ({
    issuer: m.issuer,
    clientId,
    algorithms: idTokenAlgorithms(m),
    keys: jwks,
    now: now() + transport.offset,
    tolerance,
  })
  return {
    options,
    clientId,
    redirectUri,
    now,
    transport,
    transactions,
    appOrigin,
    metadata,
    rules,
    suspect: undefined,
  }
}
