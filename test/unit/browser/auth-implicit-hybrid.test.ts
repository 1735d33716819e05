// Implicit (id_token, id_token token) and hybrid (code id_token, code id_token
// token) sign-in through createBrowserAuth: fragment responses, at_hash and
// c_hash, nonces. The org and helpers are in auth-harness.ts.
import { describe, expect, it } from 'vitest'
import { TokenValidationError } from '../../../src/errors.js'
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
    expect(fixture.org.requestCount('token')).toBe(0)
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
    const t = fixture.org.now()
    params.set(
      'id_token',
      await fixture.org.sign(fixture.org.serverById('default'), {
        iss: fixture.org.issuer(),
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
      expect(fixture.org.requestCount('token')).toBe(1)
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
    expect(fixture.org.requestCount('token')).toBe(0)
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
