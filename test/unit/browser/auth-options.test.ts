// What createBrowserAuth and signInWithRedirect accept: options and request
// validation (returnTo included), maxResponseBytes and bounded reads, and the
// issuer with or without a trailing slash. The org and helpers are in auth-harness.ts.
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { type BrowserAuthOptions, createBrowserAuth } from '../../../src/browser/index.js'
import {
  AuthorizationRequestError,
  CallbackError,
  InvalidOptionError,
  InvalidResponseError,
} from '../../../src/errors.js'
import { HOSTILE_RETURN_TO, SAFE_RETURN_TO } from '../lib/return-to-cases.js'
import { server } from '../msw.js'
import { rejection } from '../verifier/helpers.js'
import { callbackFor, fixture, makeAuth, REDIRECT, start, useAuthHarness } from './auth-harness.js'
import { SPA } from './helpers.js'

useAuthHarness()

describe('options validation', () => {
  const base = () => ({ issuer: fixture.org.issuer(), clientId: SPA, redirectUri: REDIRECT })

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
    expect(await fixture.transactions.keys?.()).toEqual([])
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
      expect(fixture.org.requestCount('discovery')).toBe(0)
      expect(await fixture.transactions.keys?.()).toEqual([])
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
      const [key] = (await fixture.transactions.keys?.()) ?? []
      const stored = (await fixture.transactions.get(key!)) as Record<string, unknown>
      await fixture.transactions.set(key!, { ...stored, returnTo: hostile })
      const err = await rejection(auth.handleRedirect(callback))
      expect(err).toBeInstanceOf(CallbackError)
      expect(err).toMatchObject({ code: 'ERR_TRANSACTION_INVALID', parameter: 'returnTo' })
      expect(fixture.org.requestCount('token')).toBe(0)
      expect(await auth.tokens.getTokens()).toBeUndefined()
      // One use: the altered transaction is gone.
      expect(await fixture.transactions.keys?.()).toEqual([])
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
      http.post(`${fixture.org.issuer()}/v1/token`, () =>
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
    const auth = makeAuth({ issuer: `${fixture.org.issuer()}/` })
    expect((await auth.metadata()).issuer).toBe(fixture.org.issuer())
    const { authorizeUrl, callback } = await callbackFor(auth)
    expect(authorizeUrl.href.startsWith(`${fixture.org.issuer()}/v1/authorize`)).toBe(true)
    const { tokens } = await auth.handleRedirect(callback)
    expect(tokens.idTokenClaims?.iss).toBe(fixture.org.issuer())
    expect(fixture.org.requestCount('token')).toBe(1)
  })

  it('accepts a server that publishes its issuer with a slash the option does not have', async () => {
    const published = `${fixture.org.issuer()}/`
    const real = await (
      await fetch(`${fixture.org.issuer()}/.well-known/openid-configuration`)
    ).json()
    server.use(
      http.get(`${fixture.org.issuer()}/.well-known/openid-configuration`, () =>
        HttpResponse.json({ ...real, issuer: published }),
      ),
    )
    const auth = makeAuth()
    expect((await auth.metadata()).issuer).toBe(published)
  })
})
