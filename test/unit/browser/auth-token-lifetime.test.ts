// Tokens over time through createBrowserAuth: refresh near expiry, shared and
// failed refreshes, expiry, and ID tokens from a server whose clock is ahead
// (the offset learnt from Date headers). The org and helpers are in auth-harness.ts.
import { describe, expect, it, vi } from 'vitest'
import { OAuthResponseError, TokenValidationError } from '../../../src/errors.js'
import type { FetchLike } from '../../../src/lib/http.js'
import { rejection } from '../verifier/helpers.js'
import {
  advance,
  callbackFor,
  fixture,
  makeAuth,
  signedIn,
  skewOrg,
  USER,
  useAuthHarness,
} from './auth-harness.js'
import { SPA } from './helpers.js'

useAuthHarness()

/** A token endpoint request made outside the SDK (to check what the org still accepts). */
async function refreshDirectly(refreshToken: string) {
  const response = await fetch(`${fixture.org.issuer()}/v1/token`, {
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

describe('token manager through createBrowserAuth', () => {
  it('refreshes near expiry with one request, rotating the refresh token', async () => {
    const auth = makeAuth({ scope: 'openid profile offline_access' })
    const first = await signedIn(auth)
    expect(first.refreshToken).toBeTypeOf('string')
    // Fresh: no request.
    expect(await auth.getAccessToken()).toBe(first.accessToken)
    expect(fixture.org.requestCount('token')).toBe(1)
    advance(3600 - 30)
    const changed = vi.fn()
    auth.events.on('tokensChanged', changed)
    const renewed = await auth.getAccessToken()
    expect(fixture.org.requestCount('token')).toBe(2)
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
    expect(fixture.org.requestCount('token')).toBe(2)
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).not.toBe(first.accessToken)
  })

  it('a failed refresh (revoked grant) emits renewFailed and keeps the still-valid token', async () => {
    const auth = makeAuth({ scope: 'openid profile offline_access' })
    const first = await signedIn(auth)
    fixture.org.revokeAll()
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
    expect(fixture.org.requestCount('token')).toBe(1)
  })
})

describe('clock offset', () => {
  /** A fetch that stamps every response with the org's clock, as a real server's Date header would. */
  const stamped: FetchLike = async (input, init) => {
    const response = await globalThis.fetch(input, init)
    const headers = new Headers(response.headers)
    headers.set('date', new Date(fixture.org.now() * 1000).toUTCString())
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
