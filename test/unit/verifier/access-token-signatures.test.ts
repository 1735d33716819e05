// Rejections for the signature and its key: tampered tokens, alg none, HMAC
// with the public key, algorithms outside the allowed list, and keys that are
// unknown, of the wrong type or too short. Keys and fake issuer: access-token-harness.ts.
import { createPublicKey } from 'node:crypto'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { JwksError } from '../../../src/verifier/index.js'
import { ISSUER } from '../fake-issuer.js'
import { issuer, signers, useFakeIssuer, useSigners, verifierOf } from './access-token-harness.js'
import {
  BACKENDS,
  b64json,
  expectNoToken,
  oktaClaims,
  rejection,
  sign,
  signRaw,
  weakRsa,
} from './helpers.js'

useSigners()

describe.each(BACKENDS)('access tokens on $name', ({ createVerifier }) => {
  useFakeIssuer()
  const { make, expectRejected } = verifierOf(createVerifier)

  describe('rejections', () => {
    it('refuses a tampered payload', async () => {
      const token = await sign(signers.rs, oktaClaims(ISSUER))
      const [h, , s] = token.split('.')
      const forged = `${h}.${b64json(oktaClaims(ISSUER, { scp: ['admin'] }))}.${s}`
      await expectRejected(forged, { code: 'ERR_JWT_SIGNATURE_INVALID', reason: 'signature' })
    })

    it('refuses a tampered signature', async () => {
      const token = await sign(signers.rs, oktaClaims(ISSUER))
      const [h, p, s] = token.split('.') as [string, string, string]
      const flipped = s[20] === 'A' ? 'B' : 'A'
      const forged = `${h}.${p}.${s.slice(0, 20)}${flipped}${s.slice(21)}`
      await expectRejected(forged, { code: 'ERR_JWT_SIGNATURE_INVALID', reason: 'signature' })
      // A signature of another token with the same key.
      const other = await sign(signers.rs, oktaClaims(ISSUER, { sub: 'mallory' }))
      await expectRejected(`${h}.${p}.${other.split('.')[2]}`, {
        code: 'ERR_JWT_SIGNATURE_INVALID',
        reason: 'signature',
      })
    })

    it('refuses a signature segment that only differs in unused trailing bits', async () => {
      const token = await sign(signers.rs, oktaClaims(ISSUER))
      const s = token.split('.')[2]!
      // 256 bytes → 342 characters: the last one carries 2 bits and 4 unused ones.
      expect(s.length % 4).toBe(2)
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      const last = alphabet.indexOf(s.at(-1)!)
      const twin = `${token.slice(0, -1)}${alphabet[last | 1]}`
      expect(twin).not.toBe(token)
      expect(Buffer.from(twin.split('.')[2]!, 'base64url')).toEqual(Buffer.from(s, 'base64url'))
      await expectRejected(twin, { code: 'ERR_JWT_SIGNATURE_INVALID', reason: 'signature' })
    })

    it('refuses alg none, with or without a signature segment', async () => {
      const payload = b64json(oktaClaims(ISSUER))
      const none = `${b64json({ alg: 'none', typ: 'JWT' })}.${payload}`
      await expectRejected(`${none}.`, { code: 'ERR_JWT_MALFORMED', reason: 'malformed' })
      await expectRejected(`${none}.c2ln`, {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
      await expectRejected(`${b64json({ alg: 'NONE', kid: signers.rs.kid })}.${payload}.c2ln`, {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
    })

    it('refuses HS256 signed with the public key as the HMAC secret', async () => {
      const pem = createPublicKey({ key: signers.rs.jwk as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      }) as string
      for (const secret of [pem, JSON.stringify(signers.rs.jwk)]) {
        const token = await new SignJWT(oktaClaims(ISSUER))
          .setProtectedHeader({ alg: 'HS256', kid: signers.rs.kid, typ: 'JWT' })
          .sign(new TextEncoder().encode(secret))
        await expectRejected(token, {
          code: 'ERR_JWT_ALG_NOT_ALLOWED',
          claim: 'alg',
          reason: 'not_allowed',
        })
      }
    })

    it('refuses an alg outside the allowed list (PS256 by default), and a missing alg', async () => {
      await expectRejected(await sign(signers.ps, oktaClaims(ISSUER)), {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
      await expectRejected(await signRaw(signers.rs, { kid: signers.rs.kid }, oktaClaims(ISSUER)), {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
      // RS256 is not allowed when the list leaves it out.
      await expectRejected(
        await sign(signers.rs, oktaClaims(ISSUER)),
        { code: 'ERR_JWT_ALG_NOT_ALLOWED', claim: 'alg', reason: 'not_allowed' },
        { algorithms: ['ES256'] },
      )
    })

    it('does not echo an arbitrary alg from the header', async () => {
      const payload = b64json(oktaClaims(ISSUER))
      for (const alg of ['x'.repeat(5_000), 'RS256"\r\nX-Injected: 1', '<script>']) {
        const err = await expectRejected(
          `${b64json({ alg, kid: signers.rs.kid })}.${payload}.c2ln`,
          {
            code: 'ERR_JWT_ALG_NOT_ALLOWED',
            claim: 'alg',
            reason: 'not_allowed',
          },
        )
        expect(err.message).toBe('access token alg (invalid) is not allowed')
      }
      const named = await expectRejected(`${b64json({ alg: 'PS512' })}.${payload}.c2ln`, {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
      expect(named.message).toBe('access token alg PS512 is not allowed')
    })

    it('refuses an unknown kid with JwksError ERR_JWKS_NO_MATCHING_KEY after one refetch', async () => {
      const verifier = make()
      await verifier.verifyAccessToken(await sign(signers.rs, oktaClaims(ISSUER)))
      expect(issuer.fake.requestsTo('/v1/keys')).toHaveLength(1)
      const token = await sign(signers.unpublished, oktaClaims(ISSUER))
      const err = await rejection(verifier.verifyAccessToken(token))
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
      expectNoToken(err, token)
      expect(issuer.fake.requestsTo('/v1/keys')).toHaveLength(2)
      // The unknown kid is remembered: no second refetch.
      expect((await rejection(verifier.verifyAccessToken(token))).code).toBe(
        'ERR_JWKS_NO_MATCHING_KEY',
      )
      expect(issuer.fake.requestsTo('/v1/keys')).toHaveLength(2)
    })

    it('refuses a key of the wrong type for the alg (no matching key)', async () => {
      // ES256 header naming the RSA key's kid.
      const forged = await signRaw(
        signers.rs,
        { alg: 'ES256', kid: signers.rs.kid, typ: 'JWT' },
        oktaClaims(ISSUER),
      )
      const err = await rejection(
        make({ algorithms: ['RS256', 'ES256'] }).verifyAccessToken(forged),
      )
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    })

    it('refuses an RSA key shorter than 2048 bits', async () => {
      const weak = weakRsa()
      issuer.fake.keys.push(weak.jwk)
      const token = weak.sign(oktaClaims(ISSUER))
      const err = await rejection(make().verifyAccessToken(token))
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
      expectNoToken(err, token)
    })
  })
})
