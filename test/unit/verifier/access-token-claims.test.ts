// Rejections for the claims: an untrusted or missing iss (with no request), a
// wrong or missing aud, exp with the clock tolerance, nbf and iat in the
// future. Keys and fake issuer: access-token-harness.ts.
import { describe, expect, it } from 'vitest'
import { ISSUER } from '../fake-issuer.js'
import { issuer, signers, useFakeIssuer, useSigners, verifierOf } from './access-token-harness.js'
import { BACKENDS, countRequests, NOW_S, oktaClaims, sign } from './helpers.js'

useSigners()

describe.each(BACKENDS)('access tokens on $name', ({ createVerifier }) => {
  useFakeIssuer()
  const { make, expectRejected } = verifierOf(createVerifier)

  describe('rejections', () => {
    it('refuses an untrusted issuer without any request', async () => {
      const requests = countRequests()
      try {
        await expectRejected(
          await sign(signers.rs, oktaClaims('https://evil.example.com/oauth2/default')),
          { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'mismatch' },
        )
        // One trailing slash is not significant (issuer-slash.test.ts), nothing else is folded.
        for (const iss of [`${ISSUER}//`, ISSUER.replace('example', 'EXAMPLE'), `${ISSUER}/x`]) {
          await expectRejected(await sign(signers.rs, oktaClaims(iss)), {
            code: 'ERR_JWT_CLAIM_INVALID',
            claim: 'iss',
            reason: 'mismatch',
          })
        }
        await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { iss: undefined })), {
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'iss',
          reason: 'missing',
        })
        await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { iss: 42 as never })), {
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'iss',
          reason: 'missing',
        })
      } finally {
        requests.stop()
      }
      expect(requests.urls).toEqual([])
      expect(issuer.fake.requests).toHaveLength(0)
      // Control: the counter does see the requests of a trusted token.
      const control = countRequests()
      try {
        await make().verifyAccessToken(await sign(signers.rs, oktaClaims(ISSUER)))
      } finally {
        control.stop()
      }
      expect(control.urls).toEqual([
        `${ISSUER}/.well-known/openid-configuration`,
        `${ISSUER}/v1/keys`,
      ])
    })

    it('refuses a wrong or missing aud', async () => {
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { aud: 'api://other' })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
        reason: 'mismatch',
      })
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { aud: ['a', 'b'] })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
        reason: 'mismatch',
      })
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { aud: undefined })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
        reason: 'missing',
      })
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { aud: [] })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
        reason: 'mismatch',
      })
    })

    it('applies the clock tolerance to exp', async () => {
      const within = await sign(signers.rs, oktaClaims(ISSUER, { exp: NOW_S - 29 }))
      expect((await make().verifyAccessToken(within)).expiresAt).toBe(NOW_S - 29)
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { exp: NOW_S - 31 })), {
        code: 'ERR_JWT_EXPIRED',
        claim: 'exp',
        reason: 'expired',
      })
      await expectRejected(
        within,
        { code: 'ERR_JWT_EXPIRED', claim: 'exp', reason: 'expired' },
        { clockTolerance: 0 },
      )
      await expectRejected(
        await sign(signers.rs, oktaClaims(ISSUER, { exp: NOW_S })),
        { code: 'ERR_JWT_EXPIRED', claim: 'exp', reason: 'expired' },
        { clockTolerance: 0 },
      )
      const later = await sign(signers.rs, oktaClaims(ISSUER, { exp: NOW_S - 100 }))
      expect((await make({ clockTolerance: 120 }).verifyAccessToken(later)).expiresAt).toBe(
        NOW_S - 100,
      )
    })

    it('refuses a missing or non-numeric exp', async () => {
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { exp: undefined })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'exp',
        reason: 'missing',
      })
      await expectRejected(
        await sign(signers.rs, oktaClaims(ISSUER, { exp: `${NOW_S + 60}` as never })),
        {
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'exp',
          reason: 'missing',
        },
      )
    })

    it('refuses nbf and iat in the future beyond the tolerance', async () => {
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { nbf: NOW_S + 60 })), {
        code: 'ERR_JWT_NOT_YET_VALID',
        claim: 'nbf',
        reason: 'not_yet_valid',
      })
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { iat: NOW_S + 60 })), {
        code: 'ERR_JWT_NOT_YET_VALID',
        claim: 'iat',
        reason: 'not_yet_valid',
      })
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { nbf: 'soon' as never })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'nbf',
        reason: 'malformed',
      })
      await expectRejected(await sign(signers.rs, oktaClaims(ISSUER, { iat: 'now' as never })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'iat',
        reason: 'malformed',
      })
      const skewed = await sign(
        signers.rs,
        oktaClaims(ISSUER, { nbf: NOW_S + 20, iat: NOW_S + 20 }),
      )
      expect((await make().verifyAccessToken(skewed)).claims.nbf).toBe(NOW_S + 20)
    })
  })
})
