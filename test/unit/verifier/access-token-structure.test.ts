// Rejections for the token's structure, before any request: its header
// parameters (typ, crit, b64, kid) and its three base64url segments, and the
// length limit. Keys and fake issuer: access-token-harness.ts.
import { base64url } from 'jose'
import { describe, expect, it } from 'vitest'
import { ISSUER } from '../fake-issuer.js'
import { signers, useFakeIssuer, useSigners, verifierOf } from './access-token-harness.js'
import { BACKENDS, b64json, countRequests, NOW_S, oktaClaims, sign, signRaw } from './helpers.js'

useSigners()

describe.each(BACKENDS)('access tokens on $name', ({ createVerifier }) => {
  useFakeIssuer()
  const { make, expectRejected } = verifierOf(createVerifier)

  describe('rejections', () => {
    it('refuses any other typ (dpop+jwt, JWS, …)', async () => {
      for (const typ of [
        'dpop+jwt',
        'JWS',
        'JOSE',
        'id_token+jwt',
        'logout+jwt',
        'application/dpop+jwt',
        'jwt ',
        '',
      ]) {
        await expectRejected(await sign(signers.rs, oktaClaims(ISSUER), { typ }), {
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'typ',
          reason: 'mismatch',
        })
      }
    })

    it('refuses a non-string typ', async () => {
      await expectRejected(
        await signRaw(
          signers.rs,
          { alg: 'RS256', kid: signers.rs.kid, typ: 1 },
          oktaClaims(ISSUER),
        ),
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'typ', reason: 'mismatch' },
      )
    })

    it('refuses crit and b64 header parameters', async () => {
      await expectRejected(
        await signRaw(
          signers.rs,
          { alg: 'RS256', kid: signers.rs.kid, typ: 'JWT', crit: ['exp'], exp: NOW_S + 60 },
          oktaClaims(ISSUER),
        ),
        { code: 'ERR_JWT_MALFORMED', claim: 'crit', reason: 'unsupported' },
      )
      await expectRejected(
        await signRaw(
          signers.rs,
          { alg: 'RS256', kid: signers.rs.kid, b64: false },
          oktaClaims(ISSUER),
        ),
        { code: 'ERR_JWT_MALFORMED', claim: 'crit', reason: 'unsupported' },
      )
    })

    it('refuses a non-string kid', async () => {
      for (const kid of [42, null, { id: signers.rs.kid }, [signers.rs.kid]]) {
        await expectRejected(await signRaw(signers.rs, { alg: 'RS256', kid }, oktaClaims(ISSUER)), {
          code: 'ERR_JWT_MALFORMED',
          claim: 'kid',
          reason: 'malformed',
        })
      }
    })

    it('refuses malformed tokens without any request', async () => {
      const token = await sign(signers.rs, oktaClaims(ISSUER))
      const [h, p, s] = token.split('.') as [string, string, string]
      const requests = countRequests()
      try {
        for (const bad of [
          `${h}.${p}`,
          `${h}.${p}.${s}.${s}`,
          `${h}..${s}`,
          `.${p}.${s}`,
          `${h}.${p}.${s}=`,
          `${h}+.${p}.${s}`,
          `${h}.${p}/.${s}`,
          ` ${token}`,
          `${token}\n`,
          `${base64url.encode('not json')}.${p}.${s}`,
          `${h}.${base64url.encode('{"iss":')}.${s}`,
          `${h}.${b64json([oktaClaims(ISSUER)])}.${s}`,
          `${b64json([{ alg: 'RS256' }])}.${p}.${s}`,
          `${h}.${b64json('a string')}.${s}`,
          `${h}.${b64json(null)}.${s}`,
          `${h}.${base64url.encode(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]))}.${s}`,
        ]) {
          await expectRejected(bad, { code: 'ERR_JWT_MALFORMED', reason: 'malformed' })
        }
        for (const missing of ['', undefined, null, 42, {}, ['a.b.c']]) {
          await expectRejected(missing as never, { code: 'ERR_JWT_MALFORMED', reason: 'missing' })
        }
        await expectRejected(
          token,
          { code: 'ERR_JWT_MALFORMED', reason: 'malformed' },
          { maxTokenLength: token.length - 1 },
        )
        await expectRejected(`${h}.${'a'.repeat(16_384)}.${s}`, {
          code: 'ERR_JWT_MALFORMED',
          reason: 'malformed',
        })
      } finally {
        requests.stop()
      }
      expect(requests.urls).toEqual([])
      expect((await make({ maxTokenLength: token.length }).verifyAccessToken(token)).issuer).toBe(
        ISSUER,
      )
    })
  })
})
