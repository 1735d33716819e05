import { HttpResponse, http } from 'msw'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { localCoordinator } from '../../../src/browser/coordinator.js'
import {
  type BrowserAuth,
  type BrowserAuthOptions,
  createBrowserAuth,
  type RedirectSignInOptions,
} from '../../../src/browser/index.js'
import { type KeyValueStore, memoryStore } from '../../../src/browser/storage.js'
import {
  AuthorizationRequestError,
  AuthorizationResponseError,
  CallbackError,
  InvalidOptionError,
  InvalidResponseError,
  OAuthResponseError,
  TokenValidationError,
} from '../../../src/errors.js'
import type { FetchLike } from '../../../src/lib/http.js'
import type { TokenSet } from '../../../src/oauth/token-set.js'
import { createOktaOrg, DEFAULT_USERS, type OktaOrg } from '../../../src/testing/index.js'
import { HOSTILE_RETURN_TO, SAFE_RETURN_TO } from '../lib/return-to-cases.js'
import { server } from '../msw.js'

const SPA = '0oaspa0000000000000'
const REDIRECT = 'http://localhost:8080/callback'
const LOGOUT_BACK = 'http://localhost:8080/'
const USER = DEFAULT_USERS[0]!

let org: OktaOrg
// How far both clocks (the org's and the app's) have been moved, in seconds.
let shift = 0
// How far the org's clock has been moved in this test (undone afterwards).
let orgShift = 0
let transactions: KeyValueStore
const auths: BrowserAuth[] = []

// One org for the file (its keys take a while to generate), reset between tests.
beforeAll(async () => {
  org = await createOktaOrg()
})

beforeEach(() => {
  server.use(...org.handlers)
  org.requestCounts.clear()
  org.behave()
  org.signOut()
  shift = 0
  orgShift = 0
  transactions = memoryStore()
})

afterEach(() => {
  org.advanceClock(-orgShift)
  for (const auth of auths.splice(0)) auth.dispose()
})

/** Move the org's clock only (a server clock ahead of the app's). */
function skewOrg(seconds: number) {
  org.advanceClock(seconds)
  orgShift += seconds
}

/** Move the org's clock and the app's together. */
function advance(seconds: number) {
  skewOrg(seconds)
  shift += seconds
}

function makeAuth(options: Partial<BrowserAuthOptions> = {}): BrowserAuth {
  const auth = createBrowserAuth({
    issuer: org.issuer(),
    clientId: SPA,
    redirectUri: REDIRECT,
    transactionStorage: transactions,
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
async function start(
  auth: BrowserAuth,
  request: Omit<RedirectSignInOptions, 'navigate'> = {},
): Promise<URL> {
  const navigate = vi.fn<(url: string) => void>()
  await auth.signInWithRedirect({ returnTo: '/', ...request, navigate })
  expect(navigate).toHaveBeenCalledTimes(1)
  return new URL(navigate.mock.calls[0]![0])
}

/** Let the emulated org answer an authorization URL; returns the callback URL (Location). */
async function follow(url: URL | string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' })
  expect(response.status).toBe(302)
  return response.headers.get('location')!
}

/** A whole redirect sign-in: navigate, authorize, callback URL. */
async function callbackFor(
  auth: BrowserAuth,
  request: Omit<RedirectSignInOptions, 'navigate'> = {},
) {
  const authorizeUrl = await start(auth, request)
  return { authorizeUrl, callback: await follow(authorizeUrl) }
}

/** `url` with its query parameter `name` set to `value`, or removed when `value` is `undefined`. */
function withParam(url: string, name: string, value: string | undefined): string {
  const u = new URL(url)
  if (value === undefined) u.searchParams.delete(name)
  else u.searchParams.set(name, value)
  return u.href
}

/**
 * A new auth and a real callback for it; `err` is what handling that callback
 * with its parameter `name` set to `value` (removed if `undefined`) rejects with.
 */
async function handleForged(name: string, value: string | undefined) {
  const auth = makeAuth()
  const { callback } = await callbackFor(auth)
  const err = await rejection(auth.handleRedirect(withParam(callback, name, value)))
  return { auth, callback, err }
}

async function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e) => e,
  )
}

/** A token endpoint request made outside the SDK (to check what the org still accepts). */
async function refreshDirectly(refreshToken: string) {
  const response = await fetch(`${org.issuer()}/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: SPA,
    }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('redirect sign-in (code + PKCE)', () => {
  it('round trip: authorization URL parameters, callback, tokens stored, returnTo', async () => {
    const auth = makeAuth()
    const url = await start(auth, { returnTo: '/orders?page=2#top', loginHint: USER.login })
    expect(url.origin + url.pathname).toBe(`${org.issuer()}/v1/authorize`)
    const p = url.searchParams
    expect(p.get('client_id')).toBe(SPA)
    expect(p.get('response_type')).toBe('code')
    expect(p.get('response_mode')).toBe('query')
    expect(p.get('redirect_uri')).toBe(REDIRECT)
    expect(p.get('code_challenge_method')).toBe('S256')
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(p.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(p.get('nonce')).not.toBe(p.get('state'))
    expect(p.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email']),
    )
    expect(p.get('login_hint')).toBe(USER.login)
    // The verifier stays home.
    expect(p.has('code_verifier')).toBe(false)
    // The transaction waits under its state.
    expect(await transactions.keys?.()).toEqual([`txn:${p.get('state')}`])

    const callback = await follow(url)
    expect(callback.startsWith(`${REDIRECT}?`)).toBe(true)
    expect(auth.isCallback(callback)).toBe(true)
    expect(org.requestCount('token')).toBe(0)
    const result = await auth.handleRedirect(callback)
    expect(org.requestCount('token')).toBe(1)
    expect(result.returnTo).toBe('/orders?page=2#top')
    const tokens = result.tokens as TokenSet
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 })
    expect(tokens.expiresAt).toBeCloseTo(Date.now() / 1000 + 3600, -1)
    expect(tokens.idTokenClaims).toMatchObject({
      iss: org.issuer(),
      aud: SPA,
      sub: USER.id,
      nonce: p.get('nonce'),
      email: USER.login,
    })
    expect(tokens.refreshToken).toBeUndefined()
    expect(await auth.tokens.getTokens()).toEqual(tokens)
    expect(await auth.getAccessToken()).toBe(tokens.accessToken)
    // One use: the transaction is gone.
    expect(await transactions.keys?.()).toEqual([])
    // Discovery ran once for all of it.
    expect(org.requestCount('discovery')).toBe(1)
  })

  it('always sends openid, and passes prompt, max_age, idp, acr_values, sessionToken and extras', async () => {
    const auth = makeAuth({ scope: 'profile' })
    const p = (
      await start(auth, {
        prompt: 'login',
        maxAge: 300,
        idp: '0oaidp',
        acrValues: 'urn:okta:loa:2fa:any',
        sessionToken: 'st',
        extra: { ui_locales: 'fr', client_id: 'overridden-by-the-sdk' },
      })
    ).searchParams
    expect(p.get('scope')).toBe('openid profile')
    expect(p.get('prompt')).toBe('login')
    expect(p.get('max_age')).toBe('300')
    expect(p.get('idp')).toBe('0oaidp')
    expect(p.get('acr_values')).toBe('urn:okta:loa:2fa:any')
    expect(p.get('sessionToken')).toBe('st')
    expect(p.get('ui_locales')).toBe('fr')
    expect(p.getAll('client_id')).toEqual([SPA])
  })

  it('signs in with a session token and checks auth_time against maxAge', async () => {
    const auth = makeAuth()
    const sessionToken = org.createSessionToken(USER.login, USER.password)
    const { callback } = await callbackFor(auth, { sessionToken, maxAge: 600 })
    const { tokens } = await auth.handleRedirect(callback)
    expect(tokens.idTokenClaims?.auth_time).toBeTypeOf('number')
  })

  it('refuses a replayed callback with ERR_TRANSACTION_MISSING, without a second token request', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth)
    await auth.handleRedirect(callback)
    expect(org.requestCount('token')).toBe(1)
    const err = await rejection(auth.handleRedirect(callback))
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_MISSING', parameter: 'state' })
    expect(org.requestCount('token')).toBe(1)
  })

  // React StrictMode runs effects twice: two handleRedirect calls for one
  // callback in the same tick must take the transaction once and send the
  // code once (a regression guard; this once sent it twice).
  it('concurrent handleRedirect calls for one callback send one token request', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth)
    const results = await Promise.allSettled([
      auth.handleRedirect(callback),
      auth.handleRedirect(callback),
    ])
    expect(org.requestCount('token')).toBe(1)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(rejected.reason).toMatchObject({ code: 'ERR_TRANSACTION_MISSING' })
  })

  it('refuses a state that matches no transaction, leaving the real one usable', async () => {
    const { auth, callback, err } = await handleForged('state', 'forged-state')
    expect(err).toMatchObject({
      code: 'ERR_TRANSACTION_MISSING',
    })
    expect(org.requestCount('token')).toBe(0)
    await expect(auth.handleRedirect(callback)).resolves.toMatchObject({ returnTo: '/' })
  })

  it('refuses a callback without state as malformed', async () => {
    const { auth, err } = await handleForged('state', undefined)
    expect(err).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
      parameter: 'state',
    })
    expect(await rejection(auth.handleRedirect('not a url'))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
    })
  })

  it('refuses an expired transaction (transactionTtl), without a token request', async () => {
    let t = Date.now()
    const auth = makeAuth({ now: () => t, transactionTtl: 1_000 })
    const { callback } = await callbackFor(auth)
    t += 1_500
    expect(await rejection(auth.handleRedirect(callback))).toMatchObject({
      code: 'ERR_TRANSACTION_MISSING',
    })
    expect(org.requestCount('token')).toBe(0)
  })

  it('accepts a transaction within its TTL', async () => {
    let t = Date.now()
    const auth = makeAuth({ now: () => t, transactionTtl: 1_000 })
    const { callback } = await callbackFor(auth)
    t += 900
    await expect(auth.handleRedirect(callback)).resolves.toBeTruthy()
  })

  it('reports error=access_denied as AuthorizationResponseError, storing nothing', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth, { sessionToken: 'not-a-session-token' })
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied')
    expect(auth.isCallback(callback)).toBe(true)
    const err = await rejection(auth.handleRedirect(callback))
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({
      code: 'ERR_AUTHORIZATION_RESPONSE',
      error: 'access_denied',
      errorDescription: 'The session token is invalid.',
    })
    expect(await auth.tokens.getTokens()).toBeUndefined()
    expect(org.requestCount('token')).toBe(0)
  })

  it('refuses a foreign iss with ERR_CALLBACK_ISSUER_MISMATCH, and accepts the right one', async () => {
    const { auth, err } = await handleForged('iss', 'https://evil.example.com/oauth2/default')
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_ISSUER_MISMATCH', parameter: 'iss' })
    expect(org.requestCount('token')).toBe(0)

    const second = await callbackFor(auth)
    const withIss = withParam(second.callback, 'iss', org.issuer())
    await expect(auth.handleRedirect(withIss)).resolves.toBeTruthy()
  })

  it('refuses a fragment response for a query transaction (ERR_CALLBACK_MALFORMED)', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth)
    const moved = `${REDIRECT}#${new URL(callback).searchParams}`
    expect(auth.isCallback(moved)).toBe(true)
    expect(await rejection(auth.handleRedirect(moved))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
    })
    expect(org.requestCount('token')).toBe(0)
  })

  it('refuses a code the org does not know as OAuthResponseError invalid_grant', async () => {
    const { auth, err } = await handleForged('code', 'not-the-code')
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'invalid_grant', status: 400 })
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })

  it('isCallback: only at the redirect URI, with state and a response parameter', () => {
    const auth = makeAuth()
    expect(auth.isCallback(`${REDIRECT}?code=c&state=s`)).toBe(true)
    expect(auth.isCallback(`${REDIRECT}?error=login_required&state=s`)).toBe(true)
    expect(auth.isCallback(`${REDIRECT}#id_token=x&state=s`)).toBe(true)
    expect(auth.isCallback(`${REDIRECT}#access_token=x&state=s`)).toBe(true)
    expect(auth.isCallback(`${REDIRECT}?code=c`)).toBe(false)
    expect(auth.isCallback(`${REDIRECT}?state=s`)).toBe(false)
    expect(auth.isCallback(REDIRECT)).toBe(false)
    expect(auth.isCallback('http://localhost:8080/other?code=c&state=s')).toBe(false)
    expect(auth.isCallback('http://localhost:8080/callback/more?code=c&state=s')).toBe(false)
    expect(auth.isCallback('http://127.0.0.1:8080/callback?code=c&state=s')).toBe(false)
    expect(auth.isCallback('https://localhost:8080/callback?code=c&state=s')).toBe(false)
    expect(auth.isCallback('not a url')).toBe(false)
  })

  it('retries a failed discovery on the next call', async () => {
    const auth = makeAuth()
    org.misbehave('discovery', { status: 503 })
    const navigate = vi.fn()
    const err = await rejection(auth.signInWithRedirect({ returnTo: '/', navigate }))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.status).toBe(503)
    expect(navigate).not.toHaveBeenCalled()
    await expect(auth.metadata()).resolves.toMatchObject({ issuer: org.issuer() })
    expect(org.requestCount('discovery')).toBe(2)
  })
})

describe('implicit and hybrid response types', () => {
  it('id_token token: fragment, at_hash checked, tokens stored, no token request', async () => {
    const auth = makeAuth()
    const { authorizeUrl, callback } = await callbackFor(auth, { responseType: 'id_token token' })
    expect(authorizeUrl.searchParams.get('response_type')).toBe('id_token token')
    expect(authorizeUrl.searchParams.get('response_mode')).toBe('fragment')
    expect(authorizeUrl.searchParams.has('code_challenge')).toBe(false)
    expect(new URL(callback).hash).toContain('access_token=')
    const { tokens } = await auth.handleRedirect(callback)
    expect(tokens.accessToken).toBeTypeOf('string')
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 })
    expect(tokens.idTokenClaims).toMatchObject({
      sub: USER.id,
      nonce: authorizeUrl.searchParams.get('nonce'),
    })
    expect(tokens.idTokenClaims?.at_hash).toBeTypeOf('string')
    expect(await auth.tokens.getTokens()).toEqual(tokens)
    expect(org.requestCount('token')).toBe(0)
  })

  it('id_token token: a swapped access token fails the at_hash check and stores nothing', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth, { responseType: 'id_token token' })
    const u = new URL(callback)
    const params = new URLSearchParams(u.hash.slice(1))
    params.set('access_token', 'someone-elses-token')
    const err = await rejection(auth.handleRedirect(`${REDIRECT}#${params}`))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'at_hash' })
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })

  it('id_token token: an ID token without at_hash is refused (required for implicit)', async () => {
    const auth = makeAuth()
    const { authorizeUrl, callback } = await callbackFor(auth, { responseType: 'id_token token' })
    const params = new URLSearchParams(new URL(callback).hash.slice(1))
    // The org's own key signs an ID token for this nonce, without at_hash.
    const t = org.now()
    params.set(
      'id_token',
      await org.sign(org.serverById('default'), {
        iss: org.issuer(),
        aud: SPA,
        sub: USER.id,
        iat: t,
        exp: t + 3600,
        nonce: authorizeUrl.searchParams.get('nonce'),
      }),
    )
    const err = await rejection(auth.handleRedirect(`${REDIRECT}#${params}`))
    expect(err).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'at_hash',
      reason: 'missing',
    })
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })

  it('id_token: the validated ID token alone, nothing stored', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth, { responseType: 'id_token', returnTo: '/profile' })
    const result = await auth.handleRedirect(callback)
    expect(result.returnTo).toBe('/profile')
    expect(result.tokens.accessToken).toBeUndefined()
    expect(result.tokens.idToken).toBeTypeOf('string')
    expect(result.tokens.idTokenClaims).toMatchObject({ sub: USER.id, aud: SPA })
    expect(await auth.tokens.getTokens()).toBeUndefined()
    expect(await auth.getAccessToken()).toBeUndefined()
  })

  it('id_token with a foreign nonce is refused', async () => {
    const auth = makeAuth()
    const url = await start(auth, { responseType: 'id_token' })
    // The org mints the ID token for the nonce it receives: send another.
    url.searchParams.set('nonce', 'another-nonce')
    const err = await rejection(auth.handleRedirect(await follow(url)))
    expect(err).toMatchObject({ code: 'ERR_NONCE_MISMATCH' })
  })

  it.each(['code id_token', 'code id_token token'] as const)(
    'hybrid %s: fragment, c_hash checked, code exchanged, back-channel tokens stored',
    async (responseType) => {
      const auth = makeAuth()
      const { authorizeUrl, callback } = await callbackFor(auth, { responseType })
      expect(authorizeUrl.searchParams.get('response_mode')).toBe('fragment')
      expect(authorizeUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(new URL(callback).search).toBe('')
      const front = new URLSearchParams(new URL(callback).hash.slice(1))
      const { tokens } = await auth.handleRedirect(callback)
      expect(org.requestCount('token')).toBe(1)
      expect(tokens.accessToken).toBeTypeOf('string')
      // The back channel's access token, not the front channel's.
      if (front.has('access_token')) expect(tokens.accessToken).not.toBe(front.get('access_token'))
      expect(tokens.idTokenClaims).toMatchObject({ sub: USER.id })
      expect(await auth.tokens.getTokens()).toEqual(tokens)
    },
  )

  it('hybrid code id_token: a swapped code fails the c_hash check before any token request', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth, { responseType: 'code id_token' })
    const params = new URLSearchParams(new URL(callback).hash.slice(1))
    params.set('code', 'an-injected-code')
    const err = await rejection(auth.handleRedirect(`${REDIRECT}#${params}`))
    expect(err).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'c_hash' })
    expect(org.requestCount('token')).toBe(0)
  })

  it('a query response for a fragment transaction is refused', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth, { responseType: 'code id_token' })
    const moved = `${REDIRECT}?${new URL(callback).hash.slice(1)}`
    expect(await rejection(auth.handleRedirect(moved))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
    })
  })
})

describe('token manager through createBrowserAuth', () => {
  async function signedIn(auth: BrowserAuth): Promise<TokenSet> {
    const { callback } = await callbackFor(auth)
    return (await auth.handleRedirect(callback)).tokens as TokenSet
  }

  it('refreshes near expiry with one request, rotating the refresh token', async () => {
    const auth = makeAuth({ scope: 'openid profile offline_access' })
    const first = await signedIn(auth)
    expect(first.refreshToken).toBeTypeOf('string')
    // Fresh: no request.
    expect(await auth.getAccessToken()).toBe(first.accessToken)
    expect(org.requestCount('token')).toBe(1)
    advance(3600 - 30)
    const changed = vi.fn()
    auth.events.on('tokensChanged', changed)
    const renewed = await auth.getAccessToken()
    expect(org.requestCount('token')).toBe(2)
    expect(renewed).toBeTypeOf('string')
    expect(renewed).not.toBe(first.accessToken)
    const now = (await auth.tokens.getTokens())!
    expect(now.accessToken).toBe(renewed)
    expect(now.refreshToken).toBeTypeOf('string')
    expect(now.refreshToken).not.toBe(first.refreshToken)
    expect(now.idTokenClaims).toMatchObject({ sub: USER.id })
    expect(now.expiresAt).toBeGreaterThan(first.expiresAt!)
    expect(changed).toHaveBeenCalledTimes(1)
    // The org rotated: the old refresh token no longer works, the new one does.
    expect((await refreshDirectly(first.refreshToken!)).body.error).toBe('invalid_grant')
    expect((await refreshDirectly(now.refreshToken!)).status).toBe(200)
  })

  it('shares one refresh among concurrent getAccessToken calls', async () => {
    const auth = makeAuth({ scope: 'openid profile offline_access' })
    const first = await signedIn(auth)
    advance(3600 - 10)
    const tokens = await Promise.all([
      auth.getAccessToken(),
      auth.getAccessToken(),
      auth.getAccessToken(),
    ])
    expect(org.requestCount('token')).toBe(2)
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).not.toBe(first.accessToken)
  })

  it('a failed refresh (revoked grant) emits renewFailed and keeps the still-valid token', async () => {
    const auth = makeAuth({ scope: 'openid profile offline_access' })
    const first = await signedIn(auth)
    org.revokeAll()
    advance(3600 - 30)
    const failed = vi.fn()
    auth.events.on('renewFailed', failed)
    expect(await auth.getAccessToken()).toBe(first.accessToken)
    expect(failed).toHaveBeenCalledTimes(1)
    expect(failed.mock.calls[0]![0].error).toBeInstanceOf(OAuthResponseError)
    expect(failed.mock.calls[0]![0].error).toMatchObject({ error: 'invalid_grant' })
  })

  it('without a refresh token and silentRenew off, an expired token is dropped', async () => {
    const auth = makeAuth()
    await signedIn(auth)
    advance(3600 + 5)
    const expired = vi.fn()
    auth.events.on('expired', expired)
    expect(await auth.getAccessToken()).toBeUndefined()
    expect(expired).toHaveBeenCalledTimes(1)
    expect(org.requestCount('token')).toBe(1)
  })
})

describe('signOut', () => {
  async function signedIn(auth: BrowserAuth): Promise<TokenSet> {
    const { callback } = await callbackFor(auth)
    return (await auth.handleRedirect(callback)).tokens as TokenSet
  }

  it('revokes both tokens, clears them, and returns the logout URL without navigating', async () => {
    const auth = makeAuth({
      scope: 'openid profile offline_access',
      postLogoutRedirectUri: LOGOUT_BACK,
    })
    const tokens = await signedIn(auth)
    const signedOut = vi.fn()
    auth.events.on('signedOut', signedOut)
    const result = await auth.signOut({ navigate: false })
    expect(org.requestCount('revoke')).toBe(2)
    expect(org.tokens.get(tokens.accessToken)?.revoked).toBe(true)
    expect(org.tokens.get(tokens.refreshToken!)?.revoked).toBe(true)
    expect(await auth.tokens.getTokens()).toBeUndefined()
    expect(await auth.getAccessToken()).toBeUndefined()
    expect(signedOut).toHaveBeenCalledWith({ remote: false })

    const url = new URL(result.logoutUrl!)
    expect(url.origin + url.pathname).toBe(`${org.issuer()}/v1/logout`)
    expect(url.searchParams.get('id_token_hint')).toBe(tokens.idToken)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(LOGOUT_BACK)
    expect(url.searchParams.get('state')).toBe(result.state)
    expect(result.state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // The org accepts it and sends the user back with the state; the session ends.
    expect(org.sessionUserId).toBe(USER.id)
    const back = new URL(await follow(url))
    expect(back.origin + back.pathname).toBe(LOGOUT_BACK)
    expect(back.searchParams.get('state')).toBe(result.state)
    expect(org.sessionUserId).toBeUndefined()
  })

  it('navigates to the logout URL when given a navigate function', async () => {
    const auth = makeAuth()
    await signedIn(auth)
    const navigate = vi.fn()
    const result = await auth.signOut({ navigate })
    expect(navigate).toHaveBeenCalledWith(result.logoutUrl)
    // No postLogoutRedirectUri configured: none sent.
    expect(new URL(result.logoutUrl!).searchParams.has('post_logout_redirect_uri')).toBe(false)
    // Only the access token to revoke.
    expect(org.requestCount('revoke')).toBe(1)
  })

  it('without an ID token: no logout URL; navigates to postLogoutRedirectUri if configured', async () => {
    const auth = makeAuth({ postLogoutRedirectUri: LOGOUT_BACK })
    await auth.tokens.setTokens({ accessToken: 'opaque-access-token', tokenType: 'Bearer' })
    const result = await auth.signOut({ navigate: false })
    expect(result).toEqual({})
    expect(org.requestCount('revoke')).toBe(1)
    expect(await auth.tokens.getTokens()).toBeUndefined()

    await auth.tokens.setTokens({ accessToken: 'opaque-access-token', tokenType: 'Bearer' })
    const navigate = vi.fn()
    expect(await auth.signOut({ navigate })).toEqual({})
    expect(navigate).toHaveBeenCalledWith(LOGOUT_BACK)
  })

  it('revoke: false sends no revocation; a failing revocation does not block sign-out', async () => {
    const auth = makeAuth({ scope: 'openid offline_access' })
    await signedIn(auth)
    await auth.signOut({ navigate: false, revoke: false })
    expect(org.requestCount('revoke')).toBe(0)

    await signedIn(auth)
    org.misbehave('revoke', { status: 503, times: Number.POSITIVE_INFINITY })
    const result = await auth.signOut({ navigate: false })
    expect(org.requestCount('revoke')).toBe(2)
    expect(result.logoutUrl).toBeTypeOf('string')
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })

  // Local sign-out must not depend on discovery: offline, with tokens loaded
  // from storage after a reload, the tokens are still cleared (a regression
  // guard; signOut once awaited discovery first and kept them).
  it('clears the tokens even when discovery is unreachable', async () => {
    const auth = makeAuth()
    await auth.tokens.setTokens({ accessToken: 'opaque-access-token', tokenType: 'Bearer' })
    org.misbehave('discovery', { status: 503, times: Number.POSITIVE_INFINITY })
    await auth.signOut({ navigate: false }).catch(() => undefined)
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })

  it('signed out already: no revocation, no logout URL', async () => {
    const auth = makeAuth()
    expect(await auth.signOut({ navigate: false })).toEqual({})
    expect(org.requestCount('revoke')).toBe(0)
  })
})

describe('options validation', () => {
  const base = () => ({ issuer: org.issuer(), clientId: SPA, redirectUri: REDIRECT })

  it.each([
    ['a missing clientId', { clientId: undefined }, 'ERR_INVALID_OPTION'],
    ['an empty clientId', { clientId: '' }, 'ERR_INVALID_OPTION'],
    ['a missing issuer', { issuer: undefined }, 'ERR_INVALID_OPTION'],
    ['an issuer that is no URL', { issuer: 'example.okta.com' }, 'ERR_INVALID_OPTION'],
    [
      'an insecure issuer',
      { issuer: 'http://example.okta.com/oauth2/default' },
      'ERR_INSECURE_URL',
    ],
    ['a missing redirectUri', { redirectUri: undefined }, 'ERR_INVALID_OPTION'],
    [
      'an insecure redirectUri',
      { redirectUri: 'http://app.example.com/callback' },
      'ERR_INSECURE_URL',
    ],
    ['a maxResponseBytes of 0', { maxResponseBytes: 0 }, 'ERR_INVALID_OPTION'],
    ['a fractional maxResponseBytes', { maxResponseBytes: 1.5 }, 'ERR_INVALID_OPTION'],
    ['a maxResponseBytes string', { maxResponseBytes: '1024' }, 'ERR_INVALID_OPTION'],
  ])('refuses %s with InvalidOptionError', (_name, override, code) => {
    const options = { ...base(), ...override } as BrowserAuthOptions
    let thrown: unknown
    try {
      createBrowserAuth(options)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError)
    expect(thrown).toMatchObject({ code })
  })

  // The core's rule (issue 19): AuthorizationRequestError, rule response_type.
  it('refuses an unsupported responseType, per request or as an option, before navigating', async () => {
    const auth = makeAuth()
    const navigate = vi.fn()
    for (const responseType of ['code code', 'code banana', 'id_token id_token token', '']) {
      const err = await rejection(
        auth.signInWithRedirect({ returnTo: '/', navigate, responseType: responseType as 'code' }),
      )
      expect(err, responseType).toBeInstanceOf(AuthorizationRequestError)
      expect(err, responseType).toMatchObject({
        code: 'ERR_INVALID_AUTHORIZATION_REQUEST',
        rule: 'response_type',
      })
    }
    const fromOptions = makeAuth({ responseType: 'code code' as 'code' })
    expect(
      await rejection(fromOptions.signInWithRedirect({ returnTo: '/', navigate })),
    ).toMatchObject({ rule: 'response_type' })
    expect(navigate).not.toHaveBeenCalled()
    expect(await transactions.keys?.()).toEqual([])
  })

  it('reads a responseType in any order, as the core does: id_token code is code id_token', async () => {
    const url = await start(makeAuth(), { responseType: 'id_token code' as 'code id_token' })
    expect(url.searchParams.get('response_type')).toBe('code id_token')
    expect(url.searchParams.get('response_mode')).toBe('fragment')
  })

  // null reads as "not given" (the current path), like undefined.
  it.each(HOSTILE_RETURN_TO.filter(([, value]) => value !== null))(
    'refuses returnTo (%s) before anything is stored or sent',
    async (_why, returnTo) => {
      const auth = makeAuth()
      const navigate = vi.fn()
      const err = await rejection(
        auth.signInWithRedirect({ returnTo: returnTo as string, navigate }),
      )
      expect(err).toBeInstanceOf(InvalidOptionError)
      expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION' })
      expect(navigate).not.toHaveBeenCalled()
      expect(org.requestCount('discovery')).toBe(0)
      expect(await transactions.keys?.()).toEqual([])
    },
  )

  it.each(SAFE_RETURN_TO)('keeps returnTo %j through the sign-in', async (returnTo) => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth, { returnTo })
    expect((await auth.handleRedirect(callback)).returnTo).toBe(returnTo)
  })

  // What a store can hold: JSON values.
  it.each(HOSTILE_RETURN_TO.filter(([, value]) => typeof value !== 'object' || value === null))(
    'refuses a stored transaction whose returnTo was altered (%s): no token request, nothing stored',
    async (_why, hostile) => {
      const auth = makeAuth()
      const { callback } = await callbackFor(auth, { returnTo: '/orders' })
      // Another script of the origin (or a custom store) rewrites the transaction.
      const [key] = (await transactions.keys?.()) ?? []
      const stored = (await transactions.get(key!)) as Record<string, unknown>
      await transactions.set(key!, { ...stored, returnTo: hostile })
      const err = await rejection(auth.handleRedirect(callback))
      expect(err).toBeInstanceOf(CallbackError)
      expect(err).toMatchObject({ code: 'ERR_TRANSACTION_INVALID', parameter: 'returnTo' })
      expect(org.requestCount('token')).toBe(0)
      expect(await auth.tokens.getTokens()).toBeUndefined()
      // One use: the altered transaction is gone.
      expect(await transactions.keys?.()).toEqual([])
    },
  )

  it('refuses a maxAge that is not a non-negative integer', async () => {
    const auth = makeAuth()
    for (const maxAge of [-1, 1.5, Number.NaN]) {
      const err = await rejection(
        auth.signInWithRedirect({ returnTo: '/', maxAge, navigate: vi.fn() }),
      )
      expect(err).toBeInstanceOf(AuthorizationRequestError)
      expect(err).toMatchObject({ rule: 'max_age' })
    }
  })
})

describe('bounded reads', () => {
  it('maxResponseBytes bounds discovery: a document over it is ERR_RESPONSE_TOO_LARGE', async () => {
    const auth = makeAuth({ maxResponseBytes: 256 })
    const err = await rejection(auth.metadata())
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    // Nothing was navigated to: the sign-in fails the same way.
    const navigate = vi.fn()
    expect(await rejection(auth.signInWithRedirect({ returnTo: '/', navigate }))).toMatchObject({
      code: 'ERR_RESPONSE_TOO_LARGE',
    })
    expect(navigate).not.toHaveBeenCalled()
  })

  it('a hostile token endpoint answering 2 MiB is refused with ERR_RESPONSE_TOO_LARGE, nothing stored', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth)
    server.use(
      http.post(`${org.issuer()}/v1/token`, () =>
        HttpResponse.json({
          access_token: 'at',
          token_type: 'Bearer',
          padding: 'p'.repeat(2 * 1024 * 1024),
        }),
      ),
    )
    const err = await rejection(auth.handleRedirect(callback))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', status: 200 })
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })
})

describe('issuer with a trailing slash (one issuer rule)', () => {
  it('signs in with the issuer configured with a slash the server does not publish', async () => {
    const auth = makeAuth({ issuer: `${org.issuer()}/` })
    expect((await auth.metadata()).issuer).toBe(org.issuer())
    const { authorizeUrl, callback } = await callbackFor(auth)
    expect(authorizeUrl.href.startsWith(`${org.issuer()}/v1/authorize`)).toBe(true)
    const { tokens } = await auth.handleRedirect(callback)
    expect(tokens.idTokenClaims?.iss).toBe(org.issuer())
    expect(org.requestCount('token')).toBe(1)
  })

  it('accepts a server that publishes its issuer with a slash the option does not have', async () => {
    const published = `${org.issuer()}/`
    const real = await (await fetch(`${org.issuer()}/.well-known/openid-configuration`)).json()
    server.use(
      http.get(`${org.issuer()}/.well-known/openid-configuration`, () =>
        HttpResponse.json({ ...real, issuer: published }),
      ),
    )
    const auth = makeAuth()
    expect((await auth.metadata()).issuer).toBe(published)
  })
})

describe('clock offset', () => {
  /** A fetch that stamps every response with the org's clock, as a real server's Date header would. */
  const stamped: FetchLike = async (input, init) => {
    const response = await globalThis.fetch(input, init)
    const headers = new Headers(response.headers)
    headers.set('date', new Date(org.now() * 1000).toUTCString())
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    })
  }

  it('validates ID tokens from a server 10 minutes ahead thanks to the Date header', async () => {
    skewOrg(600)
    const auth = makeAuth({ now: Date.now, fetch: stamped })
    const { callback } = await callbackFor(auth)
    const { tokens } = await auth.handleRedirect(callback)
    expect(tokens.idTokenClaims?.iat).toBeGreaterThan(Date.now() / 1000 + 500)
    expect(Math.abs(auth.clockOffset - 600_000)).toBeLessThanOrEqual(2_000)
  })

  it('without Date headers the same ID token is not yet valid', async () => {
    skewOrg(600)
    const auth = makeAuth({ now: Date.now })
    const { callback } = await callbackFor(auth)
    const err = await rejection(auth.handleRedirect(callback))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_JWT_NOT_YET_VALID', claim: 'iat' })
    expect(auth.clockOffset).toBe(0)
    expect(await auth.tokens.getTokens()).toBeUndefined()
  })

  it('also applies the offset to a refreshed ID token', async () => {
    skewOrg(600)
    const auth = makeAuth({ now: Date.now, fetch: stamped, scope: 'openid offline_access' })
    const { callback } = await callbackFor(auth)
    const { tokens } = await auth.handleRedirect(callback)
    const renewed = await auth.tokens.renew()
    expect(renewed?.accessToken).not.toBe(tokens.accessToken)
    expect(renewed?.idTokenClaims?.iat).toBeGreaterThan(Date.now() / 1000 + 500)
  })
})
