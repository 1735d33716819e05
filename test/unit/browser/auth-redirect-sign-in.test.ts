// Redirect sign-in with code + PKCE through createBrowserAuth: the
// authorization URL, the callback and what is refused in it, transactions,
// isCallback and discovery retries. The org and helpers are in auth-harness.ts.
import { describe, expect, it, vi } from 'vitest'
import {
  AuthorizationResponseError,
  CallbackError,
  InvalidResponseError,
  OAuthResponseError,
} from '../../../src/errors.js'
import type { TokenSet } from '../../../src/oauth/token-set.js'
import { rejection } from '../verifier/helpers.js'
import {
  callbackFor,
  fixture,
  follow,
  makeAuth,
  REDIRECT,
  start,
  USER,
  useAuthHarness,
} from './auth-harness.js'
import { SPA } from './helpers.js'

useAuthHarness()

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

describe('redirect sign-in (code + PKCE)', () => {
  it('round trip: authorization URL parameters, callback, tokens stored, returnTo', async () => {
    const auth = makeAuth()
    const url = await start(auth, { returnTo: '/orders?page=2#top', loginHint: USER.login })
    expect(url.origin + url.pathname).toBe(`${fixture.org.issuer()}/v1/authorize`)
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
    expect(await fixture.transactions.keys?.()).toEqual([`txn:${p.get('state')}`])

    const callback = await follow(url)
    expect(callback.startsWith(`${REDIRECT}?`)).toBe(true)
    expect(auth.isCallback(callback)).toBe(true)
    expect(fixture.org.requestCount('token')).toBe(0)
    const result = await auth.handleRedirect(callback)
    expect(fixture.org.requestCount('token')).toBe(1)
    expect(result.returnTo).toBe('/orders?page=2#top')
    const tokens = result.tokens as TokenSet
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 })
    expect(tokens.expiresAt).toBeCloseTo(Date.now() / 1000 + 3600, -1)
    expect(tokens.idTokenClaims).toMatchObject({
      iss: fixture.org.issuer(),
      aud: SPA,
      sub: USER.id,
      nonce: p.get('nonce'),
      email: USER.login,
    })
    expect(tokens.refreshToken).toBeUndefined()
    expect(await auth.tokens.getTokens()).toEqual(tokens)
    expect(await auth.getAccessToken()).toBe(tokens.accessToken)
    // One use: the transaction is gone.
    expect(await fixture.transactions.keys?.()).toEqual([])
    // Discovery ran once for all of it.
    expect(fixture.org.requestCount('discovery')).toBe(1)
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
    const sessionToken = fixture.org.createSessionToken(USER.login, USER.password)
    const { callback } = await callbackFor(auth, { sessionToken, maxAge: 600 })
    const { tokens } = await auth.handleRedirect(callback)
    expect(tokens.idTokenClaims?.auth_time).toBeTypeOf('number')
  })

  it('refuses a replayed callback with ERR_TRANSACTION_MISSING, without a second token request', async () => {
    const auth = makeAuth()
    const { callback } = await callbackFor(auth)
    await auth.handleRedirect(callback)
    expect(fixture.org.requestCount('token')).toBe(1)
    const err = await rejection(auth.handleRedirect(callback))
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_MISSING', parameter: 'state' })
    expect(fixture.org.requestCount('token')).toBe(1)
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
    expect(fixture.org.requestCount('token')).toBe(1)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(rejected.reason).toMatchObject({ code: 'ERR_TRANSACTION_MISSING' })
  })

  it('refuses a state that matches no transaction, leaving the real one usable', async () => {
    const { auth, callback, err } = await handleForged('state', 'forged-state')
    expect(err).toMatchObject({
      code: 'ERR_TRANSACTION_MISSING',
    })
    expect(fixture.org.requestCount('token')).toBe(0)
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
    expect(fixture.org.requestCount('token')).toBe(0)
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
    expect(fixture.org.requestCount('token')).toBe(0)
  })

  it('refuses a foreign iss with ERR_CALLBACK_ISSUER_MISMATCH, and accepts the right one', async () => {
    const { auth, err } = await handleForged('iss', 'https://evil.example.com/oauth2/default')
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_ISSUER_MISMATCH', parameter: 'iss' })
    expect(fixture.org.requestCount('token')).toBe(0)

    const second = await callbackFor(auth)
    const withIss = withParam(second.callback, 'iss', fixture.org.issuer())
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
    expect(fixture.org.requestCount('token')).toBe(0)
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
    fixture.org.misbehave('discovery', { status: 503 })
    const navigate = vi.fn()
    const err = await rejection(auth.signInWithRedirect({ returnTo: '/', navigate }))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.status).toBe(503)
    expect(navigate).not.toHaveBeenCalled()
    await expect(auth.metadata()).resolves.toMatchObject({ issuer: fixture.org.issuer() })
    expect(fixture.org.requestCount('discovery')).toBe(2)
  })
})
