import { createPublicKey } from 'node:crypto'
import { base64url, type JWTPayload, SignJWT } from 'jose'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { InvalidOptionError, JwksError, TokenValidationError } from '../../../src/verifier/index.js'
import type { VerifierOptions } from '../../../src/verifier/types.js'
import { CLIENT_ID, createFakeIssuer, type FakeIssuer, ISSUER, USER_SUB } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  b64json,
  countRequests,
  expectNoToken,
  makeSigner,
  NOW_S,
  oktaClaims,
  publish,
  rejection,
  type Signer,
  sign,
  signRaw,
  T0,
  weakRsa,
} from './helpers.js'

let rs: Signer
let ps: Signer
let rs512: Signer
let es256: Signer
let es384: Signer
let es512: Signer
let eddsa: Signer
let ed25519: Signer
let unpublished: Signer
beforeAll(async () => {
  ;[rs, ps, rs512, es256, es384, es512, eddsa, ed25519, unpublished] = await Promise.all([
    makeSigner('RS256'),
    makeSigner('PS256'),
    makeSigner('RS512'),
    makeSigner('ES256'),
    makeSigner('ES384'),
    makeSigner('ES512'),
    makeSigner('EdDSA'),
    makeSigner('Ed25519'),
    makeSigner('RS256', 'not-published'),
  ])
})

let fake: FakeIssuer

interface Expected {
  code: string
  claim?: string
  reason: string
}

describe.each(BACKENDS)('access tokens on $name', ({ name, createVerifier }) => {
  beforeEach(async () => {
    fake = await createFakeIssuer()
    publish(fake, rs, ps, rs512, es256, es384, es512, eddsa, ed25519)
  })

  const make = (extra: Partial<VerifierOptions> = {}) =>
    createVerifier({ issuer: ISSUER, audience: AUDIENCE, now: () => T0, ...extra })

  /** Reject with a TokenValidationError of exactly this code/claim/reason, without leaking the token. */
  async function expectRejected(
    token: string,
    expected: Expected,
    extra: Partial<VerifierOptions> = {},
  ) {
    const err = await rejection(make(extra).verifyAccessToken(token))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect({ code: err.code, claim: err.claim, reason: err.reason, token: err.token }).toEqual({
      ...expected,
      claim: expected.claim,
      token: 'access_token',
    })
    if (typeof token === 'string' && token.length > 0) expectNoToken(err, token)
    return err
  }

  describe('formats', () => {
    it('reports the backend it runs on', () => {
      expect(make().crypto).toBe(name)
      expect(make().issuers).toEqual([ISSUER])
    })

    it('verifies an Okta-format token (typ JWT, scp array, cid, uid)', async () => {
      const claims = oktaClaims(ISSUER)
      const token = await sign(rs, claims)
      const result = await make().verifyAccessToken(token)
      expect(result).toEqual({
        claims,
        header: { alg: 'RS256', kid: rs.kid, typ: 'JWT' },
        issuer: ISSUER,
        scopes: ['openid', 'orders:read'],
        clientId: '0oaclient',
        userId: '00uuser',
        subject: 'alice@example.com',
        expiresAt: NOW_S + 3600,
        format: 'okta',
      })
      expect(fake.requestsTo('/.well-known/openid-configuration')).toHaveLength(1)
      expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
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
        const result = await make().verifyAccessToken(await sign(rs, claims, { typ }))
        expect(result.format).toBe('rfc9068')
        expect(result.scopes).toEqual(['orders:read', 'orders:write'])
        expect(result.clientId).toBe('0oa9068')
        expect(result.subject).toBe('svc')
        expect(result.userId).toBeUndefined()
        expect(result.expiresAt).toBe(NOW_S + 300)
        expect(result.header).toEqual({ alg: 'RS256', kid: rs.kid, typ })
      }
    })

    it('accepts a token without typ (Okta format)', async () => {
      const result = await make().verifyAccessToken(
        await sign(rs, oktaClaims(ISSUER), { typ: undefined }),
      )
      expect(result.format).toBe('okta')
      expect(result.header).toEqual({ alg: 'RS256', kid: rs.kid })
    })

    it('accepts typ JWT in any case, and application/jwt', async () => {
      for (const typ of ['jwt', 'Jwt', 'application/jwt']) {
        const result = await make().verifyAccessToken(await sign(rs, oktaClaims(ISSUER), { typ }))
        expect(result.format).toBe('okta')
        expect(result.header?.typ).toBe(typ)
      }
    })

    it('returns no scopes, clientId or userId when the token has none', async () => {
      const result = await make().verifyAccessToken(
        await sign(rs, { iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 60 }),
      )
      expect(result.scopes).toEqual([])
      expect(result.clientId).toBeUndefined()
      expect(result.userId).toBeUndefined()
      expect(result.subject).toBeUndefined()
    })

    it('accepts an aud array containing a configured audience', async () => {
      const token = await sign(rs, oktaClaims(ISSUER, { aud: ['api://other', AUDIENCE] }))
      expect((await make().verifyAccessToken(token)).claims.aud).toEqual(['api://other', AUDIENCE])
      const two = make({ audience: ['api://x', 'api://other'] })
      expect((await two.verifyAccessToken(token)).issuer).toBe(ISSUER)
    })

    it.each([
      ['PS256', () => ps],
      ['RS512', () => rs512],
      ['ES256', () => es256],
      ['ES384', () => es384],
      ['ES512', () => es512],
      ['EdDSA', () => eddsa],
      ['Ed25519', () => ed25519],
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
      const token = await sign(rs, oktaClaims(ISSUER), { kid: undefined })
      const result = await make().verifyAccessToken(token)
      expect(result.header).toEqual({ alg: 'RS256', typ: 'JWT' })
    })

    it('skips discovery with jwksUri', async () => {
      const verifier = make({ jwksUri: `${ISSUER}/v1/keys` })
      expect(verifier.jwksCache()?.jwksUri).toBe(`${ISSUER}/v1/keys`)
      await verifier.verifyAccessToken(await sign(rs, oktaClaims(ISSUER)))
      expect(fake.requestsTo('/.well-known/openid-configuration')).toHaveLength(0)
      expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
    })
  })

  describe('rejections', () => {
    it('refuses a tampered payload', async () => {
      const token = await sign(rs, oktaClaims(ISSUER))
      const [h, , s] = token.split('.')
      const forged = `${h}.${b64json(oktaClaims(ISSUER, { scp: ['admin'] }))}.${s}`
      await expectRejected(forged, { code: 'ERR_JWT_SIGNATURE_INVALID', reason: 'signature' })
    })

    it('refuses a tampered signature', async () => {
      const token = await sign(rs, oktaClaims(ISSUER))
      const [h, p, s] = token.split('.') as [string, string, string]
      const flipped = s[20] === 'A' ? 'B' : 'A'
      const forged = `${h}.${p}.${s.slice(0, 20)}${flipped}${s.slice(21)}`
      await expectRejected(forged, { code: 'ERR_JWT_SIGNATURE_INVALID', reason: 'signature' })
      // A signature of another token with the same key.
      const other = await sign(rs, oktaClaims(ISSUER, { sub: 'mallory' }))
      await expectRejected(`${h}.${p}.${other.split('.')[2]}`, {
        code: 'ERR_JWT_SIGNATURE_INVALID',
        reason: 'signature',
      })
    })

    it('refuses a signature segment that only differs in unused trailing bits', async () => {
      const token = await sign(rs, oktaClaims(ISSUER))
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
      await expectRejected(`${b64json({ alg: 'NONE', kid: rs.kid })}.${payload}.c2ln`, {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
    })

    it('refuses HS256 signed with the public key as the HMAC secret', async () => {
      const pem = createPublicKey({ key: rs.jwk as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      }) as string
      for (const secret of [pem, JSON.stringify(rs.jwk)]) {
        const token = await new SignJWT(oktaClaims(ISSUER))
          .setProtectedHeader({ alg: 'HS256', kid: rs.kid, typ: 'JWT' })
          .sign(new TextEncoder().encode(secret))
        await expectRejected(token, {
          code: 'ERR_JWT_ALG_NOT_ALLOWED',
          claim: 'alg',
          reason: 'not_allowed',
        })
      }
    })

    it('refuses an alg outside the allowed list (PS256 by default), and a missing alg', async () => {
      await expectRejected(await sign(ps, oktaClaims(ISSUER)), {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
      await expectRejected(await signRaw(rs, { kid: rs.kid }, oktaClaims(ISSUER)), {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
      // RS256 is not allowed when the list leaves it out.
      await expectRejected(
        await sign(rs, oktaClaims(ISSUER)),
        { code: 'ERR_JWT_ALG_NOT_ALLOWED', claim: 'alg', reason: 'not_allowed' },
        { algorithms: ['ES256'] },
      )
    })

    it('does not echo an arbitrary alg from the header', async () => {
      const payload = b64json(oktaClaims(ISSUER))
      for (const alg of ['x'.repeat(5_000), 'RS256"\r\nX-Injected: 1', '<script>']) {
        const err = await expectRejected(`${b64json({ alg, kid: rs.kid })}.${payload}.c2ln`, {
          code: 'ERR_JWT_ALG_NOT_ALLOWED',
          claim: 'alg',
          reason: 'not_allowed',
        })
        expect(err.message).toBe('access token alg (invalid) is not allowed')
      }
      const named = await expectRejected(`${b64json({ alg: 'PS512' })}.${payload}.c2ln`, {
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
        reason: 'not_allowed',
      })
      expect(named.message).toBe('access token alg PS512 is not allowed')
    })

    it('refuses an untrusted issuer without any request', async () => {
      const requests = countRequests()
      try {
        await expectRejected(
          await sign(rs, oktaClaims('https://evil.example.com/oauth2/default')),
          { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'mismatch' },
        )
        // One trailing slash is not significant (issuer-slash.test.ts), nothing else is folded.
        for (const iss of [`${ISSUER}//`, ISSUER.replace('example', 'EXAMPLE'), `${ISSUER}/x`]) {
          await expectRejected(await sign(rs, oktaClaims(iss)), {
            code: 'ERR_JWT_CLAIM_INVALID',
            claim: 'iss',
            reason: 'mismatch',
          })
        }
        await expectRejected(await sign(rs, oktaClaims(ISSUER, { iss: undefined })), {
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'iss',
          reason: 'missing',
        })
        await expectRejected(await sign(rs, oktaClaims(ISSUER, { iss: 42 as never })), {
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'iss',
          reason: 'missing',
        })
      } finally {
        requests.stop()
      }
      expect(requests.urls).toEqual([])
      expect(fake.requests).toHaveLength(0)
      // Control: the counter does see the requests of a trusted token.
      const control = countRequests()
      try {
        await make().verifyAccessToken(await sign(rs, oktaClaims(ISSUER)))
      } finally {
        control.stop()
      }
      expect(control.urls).toEqual([
        `${ISSUER}/.well-known/openid-configuration`,
        `${ISSUER}/v1/keys`,
      ])
    })

    it('refuses a wrong or missing aud', async () => {
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { aud: 'api://other' })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
        reason: 'mismatch',
      })
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { aud: ['a', 'b'] })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
        reason: 'mismatch',
      })
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { aud: undefined })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
        reason: 'missing',
      })
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { aud: [] })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
        reason: 'mismatch',
      })
    })

    it('applies the clock tolerance to exp', async () => {
      const within = await sign(rs, oktaClaims(ISSUER, { exp: NOW_S - 29 }))
      expect((await make().verifyAccessToken(within)).expiresAt).toBe(NOW_S - 29)
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { exp: NOW_S - 31 })), {
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
        await sign(rs, oktaClaims(ISSUER, { exp: NOW_S })),
        { code: 'ERR_JWT_EXPIRED', claim: 'exp', reason: 'expired' },
        { clockTolerance: 0 },
      )
      const later = await sign(rs, oktaClaims(ISSUER, { exp: NOW_S - 100 }))
      expect((await make({ clockTolerance: 120 }).verifyAccessToken(later)).expiresAt).toBe(
        NOW_S - 100,
      )
    })

    it('refuses a missing or non-numeric exp', async () => {
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { exp: undefined })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'exp',
        reason: 'missing',
      })
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { exp: `${NOW_S + 60}` as never })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'exp',
        reason: 'missing',
      })
    })

    it('refuses nbf and iat in the future beyond the tolerance', async () => {
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { nbf: NOW_S + 60 })), {
        code: 'ERR_JWT_NOT_YET_VALID',
        claim: 'nbf',
        reason: 'not_yet_valid',
      })
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { iat: NOW_S + 60 })), {
        code: 'ERR_JWT_NOT_YET_VALID',
        claim: 'iat',
        reason: 'not_yet_valid',
      })
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { nbf: 'soon' as never })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'nbf',
        reason: 'malformed',
      })
      await expectRejected(await sign(rs, oktaClaims(ISSUER, { iat: 'now' as never })), {
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'iat',
        reason: 'malformed',
      })
      const skewed = await sign(rs, oktaClaims(ISSUER, { nbf: NOW_S + 20, iat: NOW_S + 20 }))
      expect((await make().verifyAccessToken(skewed)).claims.nbf).toBe(NOW_S + 20)
    })

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
        await expectRejected(await sign(rs, oktaClaims(ISSUER), { typ }), {
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'typ',
          reason: 'mismatch',
        })
      }
    })

    it('refuses a non-string typ', async () => {
      await expectRejected(
        await signRaw(rs, { alg: 'RS256', kid: rs.kid, typ: 1 }, oktaClaims(ISSUER)),
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'typ', reason: 'mismatch' },
      )
    })

    it('refuses crit and b64 header parameters', async () => {
      await expectRejected(
        await signRaw(
          rs,
          { alg: 'RS256', kid: rs.kid, typ: 'JWT', crit: ['exp'], exp: NOW_S + 60 },
          oktaClaims(ISSUER),
        ),
        { code: 'ERR_JWT_MALFORMED', claim: 'crit', reason: 'unsupported' },
      )
      await expectRejected(
        await signRaw(rs, { alg: 'RS256', kid: rs.kid, b64: false }, oktaClaims(ISSUER)),
        { code: 'ERR_JWT_MALFORMED', claim: 'crit', reason: 'unsupported' },
      )
    })

    it('refuses a non-string kid', async () => {
      for (const kid of [42, null, { id: rs.kid }, [rs.kid]]) {
        await expectRejected(await signRaw(rs, { alg: 'RS256', kid }, oktaClaims(ISSUER)), {
          code: 'ERR_JWT_MALFORMED',
          claim: 'kid',
          reason: 'malformed',
        })
      }
    })

    it('refuses malformed tokens without any request', async () => {
      const token = await sign(rs, oktaClaims(ISSUER))
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

    it('refuses an unknown kid with JwksError ERR_JWKS_NO_MATCHING_KEY after one refetch', async () => {
      const verifier = make()
      await verifier.verifyAccessToken(await sign(rs, oktaClaims(ISSUER)))
      expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
      const token = await sign(unpublished, oktaClaims(ISSUER))
      const err = await rejection(verifier.verifyAccessToken(token))
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
      expectNoToken(err, token)
      expect(fake.requestsTo('/v1/keys')).toHaveLength(2)
      // The unknown kid is remembered: no second refetch.
      expect((await rejection(verifier.verifyAccessToken(token))).code).toBe(
        'ERR_JWKS_NO_MATCHING_KEY',
      )
      expect(fake.requestsTo('/v1/keys')).toHaveLength(2)
    })

    it('refuses a key of the wrong type for the alg (no matching key)', async () => {
      // ES256 header naming the RSA key's kid.
      const forged = await signRaw(
        rs,
        { alg: 'ES256', kid: rs.kid, typ: 'JWT' },
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
      fake.keys.push(weak.jwk)
      const token = weak.sign(oktaClaims(ISSUER))
      const err = await rejection(make().verifyAccessToken(token))
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
      expectNoToken(err, token)
    })
  })

  describe('verifyIdToken', () => {
    // The fake issuer signs ID tokens with its own key and the real clock.
    const live = () => createVerifier({ issuer: ISSUER, audience: AUDIENCE })

    it('verifies an ID token with the same keys', async () => {
      const verifier = live()
      const claims = await verifier.verifyIdToken(await fake.idToken({ nonce: 'n-1' }), {
        clientId: CLIENT_ID,
        nonce: 'n-1',
      })
      expect(claims).toMatchObject({ iss: ISSUER, sub: USER_SUB, aud: CLIENT_ID, nonce: 'n-1' })
      // Access tokens then reuse the cache.
      const at = await sign(rs, oktaClaims(ISSUER, { iat: undefined, exp: 9_999_999_999 }))
      expect((await verifier.verifyAccessToken(at)).issuer).toBe(ISSUER)
      expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
    })

    it('refuses a wrong nonce', async () => {
      const token = await fake.idToken({ nonce: 'n-1' })
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
        live().verifyIdToken(await fake.idToken(), { clientId: '0oaother' }),
      )
      expect(err).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud' })
    })

    it('refuses an untrusted or missing iss without any request', async () => {
      const requests = countRequests()
      try {
        const evil = await fake.idToken({ iss: 'https://evil.example.com' })
        const err = await rejection(live().verifyIdToken(evil, { clientId: CLIENT_ID }))
        expect(err).toBeInstanceOf(TokenValidationError)
        expect(err).toMatchObject({
          code: 'ERR_JWT_CLAIM_INVALID',
          claim: 'iss',
          reason: 'mismatch',
          token: 'id_token',
        })
        expectNoToken(err, evil)
        const none = await fake.idToken({ iss: undefined })
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

describe.each(BACKENDS)('verifier options on $name', ({ name, createVerifier }) => {
  const make = (extra: Partial<VerifierOptions> = {}) =>
    createVerifier({ issuer: ISSUER, audience: AUDIENCE, now: () => T0, ...extra })

  it('reports its backend', () => {
    expect(make().crypto).toBe(name)
  })

  it('refuses none, HMAC, unknown and empty algorithm lists', () => {
    for (const algorithms of [
      ['none'],
      ['HS256'],
      ['RS256', 'HS512'],
      ['hs384'],
      [],
      ['RS1'],
      ['A256GCM'],
      [256],
      'RS256',
    ]) {
      let err: unknown
      try {
        make({ algorithms: algorithms as never })
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(InvalidOptionError)
      expect((err as InvalidOptionError).code).toBe('ERR_INVALID_OPTION')
    }
  })

  it('refuses an http issuer off loopback, allows loopback and allowInsecureRequests', () => {
    let err: unknown
    try {
      make({ issuer: 'http://example.com/oauth2/default' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect((err as InvalidOptionError).code).toBe('ERR_INSECURE_URL')
    expect(() => make({ issuer: ['https://a.example.com', 'http://b.example.com'] })).toThrow(
      /must be an https/,
    )
    expect(make({ issuer: 'http://127.0.0.1:9000/oauth2/default' }).issuers).toEqual([
      'http://127.0.0.1:9000/oauth2/default',
    ])
    expect(
      make({ issuer: 'http://example.com/oauth2/default', allowInsecureRequests: true }).issuers,
    ).toHaveLength(1)
  })

  it('refuses jwksUri or jwksCache with several issuers', () => {
    const issuer = [ISSUER, 'https://b.example.com/oauth2/t2']
    expect(() => make({ issuer, jwksUri: `${ISSUER}/v1/keys` })).toThrow(InvalidOptionError)
    expect(() => make({ issuer, jwksCache: make().jwksCache() ?? ({} as never) })).toThrow(
      InvalidOptionError,
    )
  })

  it('refuses a missing issuer or audience', () => {
    for (const bad of [
      { issuer: '' },
      { issuer: [] },
      { issuer: [ISSUER, ''] },
      { audience: '' },
      { audience: [] },
      { audience: undefined },
      { issuer: 'not a url' },
    ]) {
      expect(() => make(bad as never)).toThrow(InvalidOptionError)
    }
  })
})
