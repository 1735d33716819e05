// verifyIdToken on the access-token verifier: the fake issuer's ID tokens,
// verified with the same keys, and the nonce, audience and issuer it refuses.
// Keys and fake issuer: access-token-harness.ts.
import { describe, expect, it } from 'vitest'
import { TokenValidationError } from '../../../src/verifier/index.js'
import { CLIENT_ID, ISSUER, USER_SUB } from '../fake-issuer.js'
import { issuer, signers, useFakeIssuer, useSigners } from './access-token-harness.js'
import {
  AUDIENCE,
  BACKENDS,
  countRequests,
  expectNoToken,
  oktaClaims,
  rejection,
  sign,
} from './helpers.js'

useSigners()

describe.each(BACKENDS)('access tokens on $name', ({ createVerifier }) => {
  useFakeIssuer()

  describe('verifyIdToken', () => {
    // The fake issuer signs ID tokens with its own key and the real clock.
    const live = () => createVerifier({ issuer: ISSUER, audience: AUDIENCE })

    it('verifies an ID token with the same keys', async () => {
      const verifier = live()
      const claims = await verifier.verifyIdToken(await issuer.fake.idToken({ nonce: 'n-1' }), {
        clientId: CLIENT_ID,
        nonce: 'n-1',
      })
      expect(claims).toMatchObject({ iss: ISSUER, sub: USER_SUB, aud: CLIENT_ID, nonce: 'n-1' })
      // Access tokens then reuse the cache.
      const at = await sign(signers.rs, oktaClaims(ISSUER, { iat: undefined, exp: 9_999_999_999 }))
      expect((await verifier.verifyAccessToken(at)).issuer).toBe(ISSUER)
      expect(issuer.fake.requestsTo('/v1/keys')).toHaveLength(1)
    })

    it('refuses a wrong nonce', async () => {
      const token = await issuer.fake.idToken({ nonce: 'n-1' })
      const err = await rejection(
        live().verifyIdToken(token, { clientId: CLIENT_ID, nonce: 'n-2' }),
      )
      expect(err).toBeInstanceOf(TokenValidationError)
      expect(err).toMatchObject({
        code: 'ERR_NONCE_MISMATCH',
        claim: 'nonce',
        reason: 'mismatch',
        token: 'id_token',
      })
      expectNoToken(err, token)
    })

    it('refuses another client', async () => {
      const err = await rejection(
        live().verifyIdToken(await issuer.fake.idToken(), { clientId: '0oaother' }),
      )
      expect(err).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud' })
    })

    it('refuses an untrusted or missing iss without any request', async () => {
      const requests = countRequests()
      try {
        const evil = await issuer.fake.idToken({ iss: 'https://evil.example.com' })
        const err = await rejection(live().verifyIdToken(evil, { clientId: CLIENT_ID }))
        expect(err).toBeInstanceOf(TokenValidationError)
        expect(err).toMatchObject({
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'iss',
          reason: 'mismatch',
          token: 'id_token',
        })
        expectNoToken(err, evil)
        const none = await issuer.fake.idToken({ iss: undefined })
        expect(await rejection(live().verifyIdToken(none, { clientId: CLIENT_ID }))).toMatchObject({
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'iss',
          reason: 'missing',
        })
        expect(
          await rejection(live().verifyIdToken('garbage', { clientId: CLIENT_ID })),
        ).toMatchObject({ code: 'ERR_JWT_MALFORMED', reason: 'malformed', token: 'id_token' })
        expect(await rejection(live().verifyIdToken('', { clientId: CLIENT_ID }))).toMatchObject({
          code: 'ERR_JWT_MALFORMED',
          reason: 'missing',
          token: 'id_token',
        })
      } finally {
        requests.stop()
      }
      expect(requests.urls).toEqual([])
    })
  })
})
