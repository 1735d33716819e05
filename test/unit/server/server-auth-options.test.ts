// The options ServerAuth refuses (secret, redirect URI, modes, numbers,
// returnTo), the returnTo values it keeps, and the authorization request
// options it passes through. The harness is in server-auth-harness.ts.
import { describe, expect, it } from 'vitest'
import { AuthorizationRequestError, InvalidOptionError } from '../../../src/index.js'
import { HOSTILE_RETURN_TO, SAFE_RETURN_TO } from '../lib/return-to-cases.js'
import { authorize, formPost, USER } from './helpers.js'
import { makeAuth, rejection, useServerAuthHarness } from './server-auth-harness.js'

useServerAuthHarness()

describe('options', () => {
  it('refuses a secret under 32 characters or bytes', () => {
    expect(() => makeAuth({ secret: 'too-short' })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ secret: new Uint8Array(31) })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ secret: crypto.getRandomValues(new Uint8Array(32)) })).not.toThrow()
    expect(() => makeAuth({ secret: 42 as unknown as string })).toThrow(InvalidOptionError)
  })

  it('refuses an http redirect URI off loopback, bad modes and bad numbers', () => {
    expect(() => makeAuth({ redirectUri: 'http://app.example.com/callback' })).toThrow(
      expect.objectContaining({ code: 'ERR_INSECURE_URL' }),
    )
    expect(() => makeAuth({ redirectUri: 'not a url' })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ responseMode: 'fragment' as 'query' })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ maxBodyBytes: -1 })).toThrow(InvalidOptionError)
    expect(() => makeAuth({ cookies: { sessionName: 'a b' } })).toThrow(InvalidOptionError)
  })

  it.each(HOSTILE_RETURN_TO.filter(([, value]) => value !== null))(
    'refuses returnTo (%s) in both call shapes',
    async (_why, returnTo) => {
      const auth = makeAuth()
      const request = new Request('http://localhost:3000/login')
      for (const attempt of [
        auth.login({ returnTo: returnTo as string }),
        auth.login(request, { returnTo: returnTo as string }),
      ]) {
        const err = await rejection(attempt)
        expect(err).toBeInstanceOf(InvalidOptionError)
        expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION' })
      }
    },
  )

  it.each(SAFE_RETURN_TO)('keeps returnTo %j through the sign-in', async (returnTo) => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth, returnTo)
    const outcome = await auth.callback(formPost(action, fields, cookie))
    expect(outcome.returnTo).toBe(returnTo)
    expect(outcome.response().headers.get('location')).toBe(returnTo)
  })

  it('passes authorization request options through, and their errors', async () => {
    const auth = makeAuth()
    const { url } = await auth.login({
      scope: 'openid email',
      loginHint: USER.login,
      prompt: 'login',
    })
    expect(url.searchParams.get('scope')).toBe('openid email')
    expect(url.searchParams.get('login_hint')).toBe(USER.login)
    await expect(auth.login({ state: 'bad state!' })).rejects.toBeInstanceOf(
      AuthorizationRequestError,
    )
  })
})
