// Tokens on the front channel: implicit responses (the ID token, its nonce and
// at_hash) and hybrid ones (c_hash before the code exchange, the back-channel
// subject). The fake issuer and client are in authorization-response-harness.ts.
import { describe, expect, it } from 'vitest'
import { isOktaOAuthError, tokenHash } from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { USER_SUB } from '../fake-issuer.js'
import {
  callback,
  flow,
  serveCode,
  start,
  useAuthorizationResponseHarness,
} from './authorization-response-harness.js'

useAuthorizationResponseHarness()

describe('implicit', () => {
  it('id_token token: validates the ID token, nonce and at_hash, returns both tokens', async () => {
    const t = await start({ responseType: 'id_token token' })
    const idToken = await flow.fake.idToken({
      nonce: t.nonce,
      at_hash: await tokenHash('front-at', 'RS256'),
    })
    const result = await flow.client.handleCallback(
      callback(t, {
        id_token: idToken,
        access_token: 'front-at',
        token_type: 'Bearer',
        expires_in: '3600',
        scope: 'openid',
        state: t.state,
      }),
      t,
    )
    expect(result).toMatchObject({
      accessToken: 'front-at',
      tokenType: 'Bearer',
      expiresIn: 3600,
      scope: 'openid',
      idToken,
    })
    expect(result.idTokenClaims?.nonce).toBe(t.nonce)
    expect(flow.fake.requestsTo('/v1/token')).toHaveLength(0)
  })

  it('id_token token: a wrong or missing at_hash is refused', async () => {
    const t = await start({ responseType: 'id_token token' })
    const wrong = await flow.fake.idToken({
      nonce: t.nonce,
      at_hash: await tokenHash('other', 'RS256'),
    })
    const err = await rejection(
      flow.client.handleCallback(
        callback(t, {
          id_token: wrong,
          access_token: 'front-at',
          token_type: 'Bearer',
          state: t.state,
        }),
        t,
      ),
    )
    expect(err).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'at_hash' })
    const t2 = await start({ responseType: 'id_token token' })
    const none = await flow.fake.idToken({ nonce: t2.nonce })
    const err2 = await rejection(
      flow.client.handleCallback(
        callback(t2, { id_token: none, access_token: 'a', token_type: 'Bearer', state: t2.state }),
        t2,
      ),
    )
    expect(err2).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', reason: 'missing' })
  })

  it('id_token: the nonce is required and must match', async () => {
    const t = await start({ responseType: 'id_token' })
    const result = await flow.client.handleCallback(
      callback(t, { id_token: await flow.fake.idToken({ nonce: t.nonce }), state: t.state }),
      t,
    )
    expect(result.accessToken).toBeUndefined()
    expect(result.idTokenClaims?.sub).toBe(USER_SUB)
    const t2 = await start({ responseType: 'id_token' })
    const err = await rejection(
      flow.client.handleCallback(
        callback(t2, { id_token: await flow.fake.idToken(), state: t2.state }),
        t2,
      ),
    )
    expect(err).toMatchObject({ code: 'ERR_NONCE_MISMATCH' })
  })

  it('a tampered or expired front-channel ID token is refused', async () => {
    const t = await start({ responseType: 'id_token' })
    const token = await flow.fake.idToken({ nonce: t.nonce })
    const [h, p, s] = token.split('.')
    const err = await rejection(
      flow.client.handleCallback(callback(t, { id_token: `${h}.${p}x.${s}`, state: t.state }), t),
    )
    expect(isOktaOAuthError(err)).toBe(true)
    const t2 = await start({ responseType: 'id_token' })
    const now = Math.floor(Date.now() / 1000)
    const expired = await flow.fake.idToken({ nonce: t2.nonce, iat: now - 7200, exp: now - 3600 })
    expect(
      await rejection(
        flow.client.handleCallback(callback(t2, { id_token: expired, state: t2.state }), t2),
      ),
    ).toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    })
  })
})

describe('hybrid', () => {
  it('code id_token: checks c_hash, exchanges the code, binds the back-channel sub', async () => {
    const t = await start({ responseType: 'code id_token' })
    const front = await flow.fake.idToken({
      nonce: t.nonce,
      c_hash: await tokenHash('hy-code', 'RS256'),
    })
    serveCode('hy-code', flow.fake.idToken({ nonce: t.nonce }))
    const tokens = await flow.client.handleCallback(
      callback(t, { code: 'hy-code', id_token: front, state: t.state }),
      t,
    )
    expect(tokens.accessToken).toBe('at-back')
    expect(tokens.idTokenClaims?.sub).toBe(USER_SUB)
  })

  it('code id_token: a wrong c_hash stops before the code is exchanged', async () => {
    const t = await start({ responseType: 'code id_token' })
    const front = await flow.fake.idToken({
      nonce: t.nonce,
      c_hash: await tokenHash('other-code', 'RS256'),
    })
    const err = await rejection(
      flow.client.handleCallback(
        callback(t, { code: 'hy-code', id_token: front, state: t.state }),
        t,
      ),
    )
    expect(err).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'c_hash' })
    expect(flow.fake.requestsTo('/v1/token')).toHaveLength(0)
  })

  it('code id_token: a back-channel ID token for another user is refused', async () => {
    const t = await start({ responseType: 'code id_token' })
    const front = await flow.fake.idToken({
      nonce: t.nonce,
      c_hash: await tokenHash('hy-code', 'RS256'),
    })
    serveCode('hy-code', flow.fake.idToken({ nonce: t.nonce, sub: '00uSOMEONEELSE' }))
    const err = await rejection(
      flow.client.handleCallback(
        callback(t, { code: 'hy-code', id_token: front, state: t.state }),
        t,
      ),
    )
    expect(err).toMatchObject({ code: 'ERR_SUBJECT_MISMATCH' })
  })

  it('code id_token token: at_hash and c_hash both required', async () => {
    const t = await start({ responseType: 'code id_token token' })
    const front = await flow.fake.idToken({
      nonce: t.nonce,
      c_hash: await tokenHash('hy-code', 'RS256'),
      at_hash: await tokenHash('front-at', 'RS256'),
    })
    serveCode('hy-code', flow.fake.idToken({ nonce: t.nonce }))
    const tokens = await flow.client.handleCallback(
      callback(t, {
        code: 'hy-code',
        id_token: front,
        access_token: 'front-at',
        token_type: 'Bearer',
        state: t.state,
      }),
      t,
    )
    expect(tokens.accessToken).toBe('at-back')
  })
})
