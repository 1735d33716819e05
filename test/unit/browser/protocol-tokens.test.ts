// The protocol layer's token pieces: the token response mapped to tokens,
// the PKCE challenge and random values.
import { describe, expect, it } from 'vitest'
import { toTokens } from '../../../src/browser/protocol.js'
import { InvalidResponseError } from '../../../src/errors.js'
import {
  sha256Base64url as pkceChallenge,
  randomBase64url as random,
} from '../../../src/lib/base64url.js'
import { useProtocolHarness } from './protocol-harness.js'

useProtocolHarness()

describe('toTokens', () => {
  it('maps the members and computes expiresAt from the given now (seconds, floored)', () => {
    const now = 1_700_000_000_987
    expect(
      toTokens(
        {
          access_token: 'at',
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'openid profile',
          refresh_token: 'rt',
          id_token: 'id',
          extra: 'ignored',
        },
        now,
      ),
    ).toEqual({
      accessToken: 'at',
      tokenType: 'Bearer',
      expiresIn: 3600,
      expiresAt: 1_700_000_000 + 3600,
      scope: 'openid profile',
      refreshToken: 'rt',
      idToken: 'id',
    })
  })

  it('leaves expiresAt out without expires_in, and accepts expires_in 0', () => {
    expect(toTokens({ access_token: 'at', token_type: 'Bearer' }, 0)).toEqual({
      accessToken: 'at',
      tokenType: 'Bearer',
    })
    expect(
      toTokens({ access_token: 'at', token_type: 'Bearer', expires_in: 0 }, 5_000),
    ).toMatchObject({
      expiresIn: 0,
      expiresAt: 5,
    })
  })

  it.each([
    ['no body', undefined],
    ['null', null],
    ['a string', 'access_token'],
    ['no access_token', { token_type: 'Bearer' }],
    ['no token_type', { access_token: 'at' }],
    ['a numeric access_token', { access_token: 1, token_type: 'Bearer' }],
    ['a numeric token_type', { access_token: 'at', token_type: 1 }],
    ['a string expires_in', { access_token: 'at', token_type: 'Bearer', expires_in: '3600' }],
    ['a negative expires_in', { access_token: 'at', token_type: 'Bearer', expires_in: -1 }],
    ['a null expires_in', { access_token: 'at', token_type: 'Bearer', expires_in: null }],
    ['a numeric refresh_token', { access_token: 'at', token_type: 'Bearer', refresh_token: 5 }],
    ['an object id_token', { access_token: 'at', token_type: 'Bearer', id_token: {} }],
    ['an array scope', { access_token: 'at', token_type: 'Bearer', scope: ['openid'] }],
  ])('rejects %s with InvalidResponseError', (_name, body) => {
    expect(() => toTokens(body, Date.now())).toThrow(InvalidResponseError)
  })
})

describe('pkceChallenge and random', () => {
  it('computes the RFC 7636 Appendix B challenge', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    )
  })

  it('returns unpadded base64url of the requested entropy, different every time', () => {
    const a = random()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(random()).not.toBe(a)
    expect(random(16)).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })
})
