// Implicit (`id_token token`) and hybrid (`code id_token`) response types in
// headless Chromium, through redirect, popup and iframe; at_hash, c_hash and
// the ID token signature checked against tampered answers.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { TokenSet } from '../../src/browser/index.js'
import {
  authorizeRequests,
  callbackRecord,
  errorOf,
  jwtPayload,
  popupSignIn,
  resultOf,
  silentSignIn,
  USER_ID,
  useHarness,
} from './harness.js'

const h = useHarness()

/** The ID token the authorization server posted to the app window. */
const postedIdToken = async (page: Page) =>
  (await page.evaluate(() =>
    window.app.messages.map((m) => (m.data as { id_token?: string }).id_token).find(Boolean),
  )) as string | undefined

function expectImplicitTokens(tokens: TokenSet) {
  expect(tokens.accessToken).toEqual(expect.any(String))
  expect(tokens.tokenType).toBe('Bearer')
  expect(tokens.idToken).toEqual(expect.any(String))
  expect(tokens.refreshToken).toBeUndefined()
  // The front-channel ID token, validated, binds the access token.
  expect(tokens.idTokenClaims).toMatchObject({
    sub: USER_ID,
    iss: h.issuer,
    at_hash: expect.any(String),
  })
}

describe('implicit: id_token token', () => {
  it('through a redirect (fragment): tokens without a token request, fragment removed', async () => {
    const page = await h.openApp(h.context, '/', {
      tokenStorage: 'session',
      responseType: 'id_token token',
    })
    const authorize = authorizeRequests(h.context)
    const tokensBefore = h.org.requestCount('token')
    const fragments: string[] = []
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame() && f.url().includes('#')) fragments.push(f.url())
    })
    await page.evaluate(() => {
      void window.app.auth!.signInWithRedirect({ returnTo: '/done' })
    })
    await page.waitForURL(`${h.app}/done`)
    const record = await callbackRecord(page)
    const tokens = resultOf(record!.outcome).tokens as TokenSet
    expectImplicitTokens(tokens)
    expect(record!.hrefAfter).toBe(`${h.app}/callback`)
    expect(authorize[0]?.searchParams.get('response_type')).toBe('id_token token')
    expect(authorize[0]?.searchParams.get('response_mode')).toBe('fragment')
    expect(
      fragments.some((u) => u.startsWith(`${h.app}/callback#`) && u.includes('access_token=')),
    ).toBe(true)
    expect(h.org.requestCount('token')).toBe(tokensBefore)
    expect((await page.evaluate(() => window.app.auth!.tokens.getTokens()))?.accessToken).toBe(
      tokens.accessToken,
    )
  })

  it('through a popup', async () => {
    const page = await h.openApp(h.context)
    const tokensBefore = h.org.requestCount('token')
    const tokens = resultOf(await popupSignIn(page, { responseType: 'id_token token' }))
    expectImplicitTokens(tokens)
    expect(h.org.requestCount('token')).toBe(tokensBefore)
  })

  it('through the hidden iframe', async () => {
    const page = await h.openApp(h.context)
    h.org.signIn()
    const authorize = authorizeRequests(h.context)
    const tokensBefore = h.org.requestCount('token')
    const tokens = resultOf(
      await silentSignIn(page, { responseType: 'id_token token' }),
    ) as TokenSet
    expectImplicitTokens(tokens)
    expect(authorize[0]?.searchParams.get('prompt')).toBe('none')
    expect(h.org.requestCount('token')).toBe(tokensBefore)
    expect(await page.evaluate(() => window.app.iframes())).toBe(0)
  })

  it('a tampered access token fails at_hash; a tampered ID token fails its signature', async () => {
    const page = await h.openApp(h.context)
    const at = errorOf(
      await popupSignIn(page, {
        responseType: 'id_token token',
        extra: { tamper: 'access_token' },
      }),
    )
    expect(at).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH' })
    const sig = errorOf(
      await popupSignIn(page, { responseType: 'id_token token', extra: { tamper: 'id_token' } }),
    )
    expect(sig).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID' })
    expect(await page.evaluate(() => window.app.auth!.tokens.getTokens())).toBeUndefined()
  })
})

describe('hybrid: code id_token', () => {
  it('through a popup: c_hash binds the code, which is exchanged once', async () => {
    const page = await h.openApp(h.context)
    const authorize = authorizeRequests(h.context)
    const tokensBefore = h.org.requestCount('token')
    const tokens = resultOf(await popupSignIn(page, { responseType: 'code id_token' }))
    expect(authorize[0]?.searchParams.get('response_type')).toBe('code id_token')
    expect(authorize[0]?.searchParams.get('code_challenge_method')).toBe('S256')
    expect(tokens.accessToken).toEqual(expect.any(String))
    expect(tokens.idTokenClaims).toMatchObject({ sub: USER_ID, iss: h.issuer })
    expect(h.org.requestCount('token')).toBe(tokensBefore + 1)
    const front = await postedIdToken(page)
    expect(jwtPayload(front!)).toMatchObject({ sub: USER_ID, c_hash: expect.any(String) })
  })

  it('a tampered code fails c_hash before any token request', async () => {
    const page = await h.openApp(h.context)
    const tokensBefore = h.org.requestCount('token')
    const error = errorOf(
      await popupSignIn(page, { responseType: 'code id_token', extra: { tamper: 'code' } }),
    )
    expect(error).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH' })
    expect(h.org.requestCount('token')).toBe(tokensBefore)
  })
})
