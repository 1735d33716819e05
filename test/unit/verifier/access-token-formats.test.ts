// The formats a verifier accepts: Okta access tokens and RFC 9068 ones, each
// typ, the optional claims, audience arrays, every allowed algorithm, tokens
// without a kid, and a configured jwksUri. Keys and fake issuer: access-token-harness.ts.
import type { JWTPayload } from 'jose'
import { describe, expect, it } from 'vitest'
import { ISSUER } from '../fake-issuer.js'
import { issuer, signers, useFakeIssuer, useSigners, verifierOf } from './access-token-harness.js'
import { AUDIENCE, BACKENDS, NOW_S, oktaClaims, sign } from './helpers.js'

useSigners()

describe.each(BACKENDS)('access tokens on $name', ({ name, createVerifier }) => {
  useFakeIssuer()
  const { make, expectRejected } = verifierOf(createVerifier)

  describe('formats', () => {
    it('reports the backend it runs on', () => {
      expect(make().crypto).toBe(name)
      expect(make().issuers).toEqual([ISSUER])
    })

    it('verifies an Okta-format token (typ JWT, scp array, cid, uid)', async () => {
      const claims = oktaClaims(ISSUER)
      const token = await sign(signers.rs, claims)
      const result = await make().verifyAccessToken(token)
      expect(result).toEqual({
        claims,
        header: { alg: 'RS256', kid: signers.rs.kid, typ: 'JWT' },
        issuer: ISSUER,
        scopes: ['openid', 'orders:read'],
        clientId: '0oaclient',
        userId: '00uuser',
        subject: 'alice@example.com',
        expiresAt: NOW_S + 3600,
        format: 'okta',
      })
      expect(issuer.fake.requestsTo('/.well-known/openid-configuration')).toHaveLength(1)
      expect(issuer.fake.requestsTo('/v1/keys')).toHaveLength(1)
    })

    it('verifies RFC 9068 tokens (typ at+jwt, client_id, scope string)', async () => {
      const claims: JWTPayload = {
        iss: ISSUER,
        aud: AUDIENCE,
        exp: NOW_S + 300,
        iat: NOW_S,
        sub: 'svc',
        client_id: '0oa9068',
        scope: 'orders:read  orders:write',
        jti: 'j-1',
      }
      for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT']) {
        const result = await make().verifyAccessToken(await sign(signers.rs, claims, { typ }))
        expect(result.format).toBe('rfc9068')
        expect(result.scopes).toEqual(['orders:read', 'orders:write'])
        expect(result.clientId).toBe('0oa9068')
        expect(result.subject).toBe('svc')
        expect(result.userId).toBeUndefined()
        expect(result.expiresAt).toBe(NOW_S + 300)
        expect(result.header).toEqual({ alg: 'RS256', kid: signers.rs.kid, typ })
      }
    })

    it('accepts a token without typ (Okta format)', async () => {
      const result = await make().verifyAccessToken(
        await sign(signers.rs, oktaClaims(ISSUER), { typ: undefined }),
      )
      expect(result.format).toBe('okta')
      expect(result.header).toEqual({ alg: 'RS256', kid: signers.rs.kid })
    })

    it('accepts typ JWT in any case, and application/jwt', async () => {
      for (const typ of ['jwt', 'Jwt', 'application/jwt']) {
        const result = await make().verifyAccessToken(
          await sign(signers.rs, oktaClaims(ISSUER), { typ }),
        )
        expect(result.format).toBe('okta')
        expect(result.header?.typ).toBe(typ)
      }
    })

    it('returns no scopes, clientId or userId when the token has none', async () => {
      const result = await make().verifyAccessToken(
        await sign(signers.rs, { iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 60 }),
      )
      expect(result.scopes).toEqual([])
      expect(result.clientId).toBeUndefined()
      expect(result.userId).toBeUndefined()
      expect(result.subject).toBeUndefined()
    })

    it('accepts an aud array containing a configured audience', async () => {
      const token = await sign(signers.rs, oktaClaims(ISSUER, { aud: ['api://other', AUDIENCE] }))
      expect((await make().verifyAccessToken(token)).claims.aud).toEqual(['api://other', AUDIENCE])
      const two = make({ audience: ['api://x', 'api://other'] })
      expect((await two.verifyAccessToken(token)).issuer).toBe(ISSUER)
    })

    it.each([
      ['PS256', () => signers.ps],
      ['RS512', () => signers.rs512],
      ['ES256', () => signers.es256],
      ['ES384', () => signers.es384],
      ['ES512', () => signers.es512],
      ['EdDSA', () => signers.eddsa],
      ['Ed25519', () => signers.ed25519],
    ])('verifies %s when algorithms allows it, refuses it by default', async (alg, signer) => {
      const token = await sign(signer(), oktaClaims(ISSUER))
      const result = await make({ algorithms: ['RS256', alg] }).verifyAccessToken(token)
      expect(result.header).toEqual({ alg, kid: signer().kid, typ: 'JWT' })
      expect(result.scopes).toEqual(['openid', 'orders:read'])
      await expectRejected(token, {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
    })

    it('tries every key when the token has no kid', async () => {
      const token = await sign(signers.rs, oktaClaims(ISSUER), { kid: undefined })
      const result = await make().verifyAccessToken(token)
      expect(result.header).toEqual({ alg: 'RS256', typ: 'JWT' })
    })

    it('skips discovery with jwksUri', async () => {
      const verifier = make({ jwksUri: `${ISSUER}/v1/keys` })
      expect(verifier.jwksCache()?.jwksUri).toBe(`${ISSUER}/v1/keys`)
      await verifier.verifyAccessToken(await sign(signers.rs, oktaClaims(ISSUER)))
      expect(issuer.fake.requestsTo('/.well-known/openid-configuration')).toHaveLength(0)
      expect(issuer.fake.requestsTo('/v1/keys')).toHaveLength(1)
    })
  })
})
