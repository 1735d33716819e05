import { base64url, generateKeyPair, SignJWT } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createJwksCache,
  InvalidOptionError,
  JwksError,
  TokenValidationError,
  tokenHash,
  type ValidateIdTokenOptions,
  validateIdToken,
} from '../../../src/index.js'
import { CLIENT_ID, createFakeIssuer, type FakeIssuer, ISSUER, USER_SUB } from '../fake-issuer.js'

let fake: FakeIssuer
let options: ValidateIdTokenOptions
beforeEach(async () => {
  fake = await createFakeIssuer()
  const jwks = createJwksCache({ jwksUri: fake.metadata.jwks_uri! })
  options = { issuer: ISSUER, clientId: CLIENT_ID, keys: jwks.getKey }
})

async function reject(
  token: string | Promise<string>,
  extra: Partial<ValidateIdTokenOptions> = {},
) {
  return validateIdToken(await token, { ...options, ...extra }).then(
    () => {
      throw new Error('expected a rejection')
    },
    (e) => e,
  )
}

describe('validateIdToken', () => {
  it('accepts a valid token and returns its claims', async () => {
    const claims = await validateIdToken(await fake.idToken({ nonce: 'n' }), {
      ...options,
      nonce: 'n',
    })
    expect(claims).toMatchObject({
      iss: ISSUER,
      sub: USER_SUB,
      aud: CLIENT_ID,
      nonce: 'n',
      idp: '00o1example',
    })
  })

  it('rejects a tampered payload (signature)', async () => {
    const token = await fake.idToken()
    const [h, , s] = token.split('.')
    const forged = base64url.encode(
      JSON.stringify({ iss: ISSUER, sub: 'admin', aud: CLIENT_ID, iat: 1, exp: 9e9 }),
    )
    const err = await reject(`${h}.${forged}.${s}`)
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({
      code: 'ERR_JWT_SIGNATURE_INVALID',
      reason: 'signature',
      token: 'id_token',
    })
  })

  it('rejects a token signed by another key with the same kid', async () => {
    const other = await generateKeyPair('RS256')
    const now = Math.floor(Date.now() / 1000)
    const token = await new SignJWT({ sub: USER_SUB })
      .setProtectedHeader({ alg: 'RS256', kid: 'kid-1' })
      .setIssuer(ISSUER)
      .setAudience(CLIENT_ID)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(other.privateKey)
    expect((await reject(token)).code).toBe('ERR_JWT_SIGNATURE_INVALID')
  })

  it('rejects alg none and HMAC tokens whatever the options say', async () => {
    const payload = base64url.encode(
      JSON.stringify({ iss: ISSUER, sub: USER_SUB, aud: CLIENT_ID, iat: 1, exp: 9e9 }),
    )
    const none = `${base64url.encode('{"alg":"none"}')}.${payload}.`
    expect(await reject(none, { algorithms: ['RS256', 'none'] })).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
      claim: 'alg',
    })
    // HS256 keyed with the public key's bytes: the classic algorithm-confusion attack.
    const publicJwk = fake.keys[0]!
    const hs = await new SignJWT({ sub: USER_SUB })
      .setProtectedHeader({ alg: 'HS256', kid: 'kid-1' })
      .setIssuer(ISSUER)
      .setAudience(CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)))
    expect((await reject(hs, { algorithms: ['RS256', 'HS256'] })).code).toBe(
      'ERR_JWT_ALG_NOT_ALLOWED',
    )
    await expect(validateIdToken(hs, { ...options, algorithms: ['HS256'] })).rejects.toBeInstanceOf(
      InvalidOptionError,
    )
  })

  it('rejects an algorithm that is not pinned even if the key would verify it', async () => {
    const err = await reject(fake.idToken(), { algorithms: ['ES256'] })
    expect(err.code).toBe('ERR_JWT_ALG_NOT_ALLOWED')
  })

  it.each([
    ['iss', { iss: 'https://evil.example.com/oauth2/default' }],
    ['aud', { aud: 'another-client' }],
    ['iss', { iss: `${ISSUER}//` }],
    ['iss', { iss: `${ISSUER}/x` }],
  ])('rejects a wrong %s', async (claim, override) => {
    expect(await reject(fake.idToken(override))).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim,
    })
  })

  it('applies the one issuer rule: a single trailing slash on either side is not significant', async () => {
    await expect(
      validateIdToken(await fake.idToken({ iss: `${ISSUER}/` }), options),
    ).resolves.toMatchObject({ iss: `${ISSUER}/` })
    await expect(
      validateIdToken(await fake.idToken(), { ...options, issuer: `${ISSUER}/` }),
    ).resolves.toMatchObject({ iss: ISSUER })
  })

  it('checks azp: must be the client, and present with several audiences', async () => {
    expect(await reject(fake.idToken({ azp: 'someone-else' }))).toMatchObject({
      claim: 'azp',
      reason: 'mismatch',
    })
    expect(await reject(fake.idToken({ aud: [CLIENT_ID, 'api'] }))).toMatchObject({
      claim: 'azp',
      reason: 'missing',
    })
    await expect(
      validateIdToken(await fake.idToken({ aud: [CLIENT_ID, 'api'], azp: CLIENT_ID }), options),
    ).resolves.toBeDefined()
  })

  it('rejects expired tokens beyond the tolerance and accepts within it', async () => {
    const now = Math.floor(Date.now() / 1000)
    const token = await fake.idToken({ iat: now - 3600, exp: now - 20 })
    await expect(validateIdToken(token, options)).resolves.toBeDefined() // default tolerance 30 s
    expect(await reject(token, { clockTolerance: 5 })).toMatchObject({
      code: 'ERR_JWT_EXPIRED',
      claim: 'exp',
    })
  })

  it('uses the injected clock', async () => {
    const token = await fake.idToken()
    const inTwoHours = () => Date.now() + 2 * 3600 * 1000
    expect((await reject(token, { now: inTwoHours })).code).toBe('ERR_JWT_EXPIRED')
  })

  it('rejects iat in the future', async () => {
    const now = Math.floor(Date.now() / 1000)
    expect(await reject(fake.idToken({ iat: now + 600 }))).toMatchObject({
      code: 'ERR_JWT_NOT_YET_VALID',
      claim: 'iat',
    })
  })

  it('requires the claims OIDC requires', async () => {
    for (const claim of ['sub', 'iat', 'exp'] as const) {
      const err = await reject(fake.idToken({ [claim]: undefined }))
      expect(err).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'missing' })
    }
  })

  it('checks the nonce when one was sent: missing and mismatched', async () => {
    expect(await reject(fake.idToken(), { nonce: 'n' })).toMatchObject({
      code: 'ERR_NONCE_MISMATCH',
      reason: 'missing',
    })
    expect(await reject(fake.idToken({ nonce: 'x' }), { nonce: 'n' })).toMatchObject({
      code: 'ERR_NONCE_MISMATCH',
      reason: 'mismatch',
    })
  })

  it('checks auth_time against max_age', async () => {
    const now = Math.floor(Date.now() / 1000)
    const old = fake.idToken({ auth_time: now - 3600 })
    expect(await reject(old, { maxAge: 600 })).toMatchObject({
      code: 'ERR_AUTH_TIME_TOO_OLD',
      claim: 'auth_time',
    })
    await expect(validateIdToken(await old, { ...options, maxAge: 7200 })).resolves.toBeDefined()
    expect(await reject(fake.idToken({ auth_time: undefined }), { maxAge: 600 })).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'auth_time',
      reason: 'missing',
    })
    expect(
      (await reject(fake.idToken({ auth_time: undefined }), { requireAuthTime: true })).claim,
    ).toBe('auth_time')
  })

  it('rejects malformed input with ERR_JWT_MALFORMED', async () => {
    for (const bad of [
      '',
      'abc',
      'a.b.c',
      'x.y',
      `${base64url.encode('{"alg":"RS256"}')}.!!!.sig`,
    ]) {
      const err = await reject(bad)
      expect(err, bad).toBeInstanceOf(TokenValidationError)
      expect(err.code, bad).toMatch(/^ERR_JWT_(MALFORMED|SIGNATURE_INVALID)$/)
    }
  })

  it('fails with a JwksError when no key matches the kid even after a refetch', async () => {
    const err = await reject(fake.idToken({}, { kid: 'unknown-kid' }))
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    // The key set was loaded for this very token, so an immediate refetch could
    // not bring the kid: one request, and the kid is remembered as unknown.
    expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
  })
})

describe('at_hash and c_hash', () => {
  it('matches the OIDC Core examples', async () => {
    // OpenID Connect Core 1.0, Appendix A.3 / A.4 / A.6.
    expect(await tokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe(
      '77QmUPtjPfzWtF2AnpK9RQ',
    )
    expect(
      await tokenHash('Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk', 'RS256'),
    ).toBe('LDktKdoQak3Pk0cnXxCltA')
  })

  it('uses the hash of the alg: SHA-384 and SHA-512 halves', async () => {
    expect(base64url.decode(await tokenHash('token', 'ES384'))).toHaveLength(24)
    expect(base64url.decode(await tokenHash('token', 'PS512'))).toHaveLength(32)
    await expect(tokenHash('token', 'HS256')).rejects.toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
    })
  })

  it('validates at_hash against the access token and c_hash against the code', async () => {
    const at = 'access-token-value'
    const code = 'the-code'
    const token = await fake.idToken({
      at_hash: await tokenHash(at, 'RS256'),
      c_hash: await tokenHash(code, 'RS256'),
    })
    await expect(
      validateIdToken(token, { ...options, accessToken: at, code }),
    ).resolves.toBeDefined()
    expect(await reject(token, { accessToken: 'other' })).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'at_hash',
    })
    expect(await reject(token, { code: 'other' })).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'c_hash',
    })
  })

  it('requires the hash when asked (implicit id_token token, hybrid)', async () => {
    const token = await fake.idToken()
    expect(await reject(token, { accessToken: 'a', requireAtHash: true })).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      reason: 'missing',
    })
    expect((await reject(token, { code: 'c', requireCHash: true })).claim).toBe('c_hash')
  })
})

describe('ID token validation inside the client', () => {
  it('verifies the signature of token-endpoint ID tokens (oauth4webapi alone does not)', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true })
    const now = Math.floor(Date.now() / 1000)
    const forged = await new SignJWT({ sub: USER_SUB })
      .setProtectedHeader({ alg: 'RS256', kid: 'kid-1' })
      .setIssuer(ISSUER)
      .setAudience(CLIENT_ID)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(attacker.privateKey)
    fake.on('/v1/token', () =>
      Response.json({ access_token: 'a', token_type: 'Bearer', id_token: forged }),
    )
    const err = await fake
      .client()
      .refresh('rt')
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID' })
  })

  it('follows a key rotation without a restart', async () => {
    const client = fake.client()
    fake.on('/v1/token', async () =>
      Response.json({ access_token: 'a', token_type: 'Bearer', id_token: await fake.idToken() }),
    )
    await client.refresh('rt')
    await fake.rotate('kid-2')
    const tokens = await client.refresh('rt')
    expect(tokens.idTokenClaims?.sub).toBe(USER_SUB)
    expect(fake.requestsTo('/v1/keys')).toHaveLength(2)
  })
})
