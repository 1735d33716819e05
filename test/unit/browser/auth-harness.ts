/**
 * The shared harness of the createBrowserAuth tests (auth-*.test.ts): one
 * emulated org for the file, a transaction store made fresh for each test,
 * BrowserAuth instances disposed after their test, a clock the test can move,
 * and the steps of a redirect sign-in. Each test file calls `useAuthHarness()`
 * at its top to register the hooks that set up and reset all of it.
 * Not a test file: vitest collects only *.test.ts.
 */
import { afterEach, beforeAll, beforeEach, expect, vi } from 'vitest'
import { localCoordinator } from '../../../src/browser/coordinator.js'
import {
  type BrowserAuth,
  type BrowserAuthOptions,
  createBrowserAuth,
  type RedirectSignInOptions,
} from '../../../src/browser/index.js'
import { type KeyValueStore, memoryStore } from '../../../src/browser/storage.js'
import type { TokenSet } from '../../../src/oauth/token-set.js'
import { createOktaOrg, DEFAULT_USERS, type OktaOrg } from '../../../src/testing/index.js'
import { server } from '../msw.js'
import { SPA } from './helpers.js'

export const REDIRECT = 'http://localhost:8080/callback'
export const USER = DEFAULT_USERS[0]!

/**
 * The org and the transaction store of the current test, set by the hooks of
 * {@link useAuthHarness}: one object, since importers cannot reassign an
 * exported `let`.
 */
export const fixture = {} as {
  org: OktaOrg
  transactions: KeyValueStore
}

// How far both clocks (the org's and the app's) have been moved, in seconds.
let shift = 0
// How far the org's clock has been moved in this test (undone afterwards).
let orgShift = 0
const auths: BrowserAuth[] = []

/**
 * The hooks every auth-*.test.ts file registers at its top: one org for the
 * file (its keys take a while to generate), reset between tests; a new
 * transaction store and unmoved clocks for each test; afterwards the org's
 * clock put back and every BrowserAuth made by {@link makeAuth} disposed.
 */
export function useAuthHarness(): void {
  beforeAll(async () => {
    fixture.org = await createOktaOrg()
  })

  beforeEach(() => {
    server.use(...fixture.org.handlers)
    fixture.org.requestCounts.clear()
    fixture.org.behave()
    fixture.org.signOut()
    shift = 0
    orgShift = 0
    fixture.transactions = memoryStore()
  })

  afterEach(() => {
    fixture.org.advanceClock(-orgShift)
    for (const auth of auths.splice(0)) auth.dispose()
  })
}

/** Move the org's clock only (a server clock ahead of the app's). */
export function skewOrg(seconds: number) {
  fixture.org.advanceClock(seconds)
  orgShift += seconds
}

/** Move the org's clock and the app's together. */
export function advance(seconds: number) {
  skewOrg(seconds)
  shift += seconds
}

export function makeAuth(options: Partial<BrowserAuthOptions> = {}): BrowserAuth {
  const auth = createBrowserAuth({
    issuer: fixture.org.issuer(),
    clientId: SPA,
    redirectUri: REDIRECT,
    transactionStorage: fixture.transactions,
    tokenStorage: memoryStore(),
    coordinator: localCoordinator(),
    silentRenew: false,
    now: () => Date.now() + shift * 1000,
    ...options,
  })
  auths.push(auth)
  return auth
}

/** Start a redirect sign-in; returns the authorization URL it navigated to. */
export async function start(
  auth: BrowserAuth,
  request: Omit<RedirectSignInOptions, 'navigate'> = {},
): Promise<URL> {
  const navigate = vi.fn<(url: string) => void>()
  await auth.signInWithRedirect({ returnTo: '/', ...request, navigate })
  expect(navigate).toHaveBeenCalledTimes(1)
  return new URL(navigate.mock.calls[0]![0])
}

/** Let the emulated org answer an authorization URL; returns the callback URL (Location). */
export async function follow(url: URL | string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' })
  expect(response.status).toBe(302)
  return response.headers.get('location')!
}

/** A whole redirect sign-in: navigate, authorize, callback URL. */
export async function callbackFor(
  auth: BrowserAuth,
  request: Omit<RedirectSignInOptions, 'navigate'> = {},
) {
  const authorizeUrl = await start(auth, request)
  return { authorizeUrl, callback: await follow(authorizeUrl) }
}

/** A whole redirect sign-in, handled: the tokens it stored. */
export async function signedIn(auth: BrowserAuth): Promise<TokenSet> {
  const { callback } = await callbackFor(auth)
  return (await auth.handleRedirect(callback)).tokens as TokenSet
}
