// ID tokens, the claims: iss, aud, exp, iat, nbf, nonce, auth_time, at_hash,
// c_hash, azp and sub, on tokens with a valid signature.
// The signature checks of verifyIdToken are in protocol-id-token-signature.test.ts.
import { describe, expect, it } from 'vitest'
import { verifyIdToken } from '../../../src/browser/protocol.js'
import { TokenValidationError } from '../../../src/errors.js'
import { tokenHash } from '../../../src/jwt/claims.js'
import {
  accept,
  CLIENT_ID,
  fresh,
  ISSUER,
  idToken,
  mint,
  options,
  reject,
  SUB,
  seconds,
  serveAll,
  signers,
  useProtocolHarness,
} from './protocol-harness.js'

useProtocolHarness()

describe('verifyIdToken', () => {
  it.each([
    ['iss', { iss: 'https://evil.example.com/oauth2/default' }],
    ['iss', { iss: `${ISSUER}//` }],
    ['iss', { iss: `${ISSUER}/x` }],
    ['iss', { iss: ISSUER.toUpperCase() }],
    ['iss', { iss: ['https://idp.example.com/oauth2/default'] }],
    ['iss', { iss: undefined }],
    ['aud', { aud: 'another-client' }],
    ['aud', { aud: ['another-client', 'a-third'], azp: CLIENT_ID }],
    ['exp', { exp: undefined }],
    ['exp', { exp: '9999999999' }],
    ['iat', { iat: undefined }],
    ['sub', { sub: undefined }],
    ['sub', { sub: '' }],
  ])('rejects a wrong or missing %s with ERR_JWT_CLAIM_INVALID', async (claim, override) => {
    serveAll()
    fresh()
    const err = await reject(mint(override))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim })
  })

  it('iss: a single trailing slash is not significant, either way (one issuer rule)', async () => {
    serveAll()
    fresh()
    await accept(mint({ iss: `${ISSUER}/` }))
    await accept(mint({ iss: ISSUER }), { issuer: `${ISSUER}/` })
    await accept(mint({ iss: `${ISSUER}/` }), { issuer: `${ISSUER}/` })
  })

  it('rejects an expired token beyond the tolerance, accepts one within it', async () => {
    serveAll()
    fresh()
    const t = seconds()
    expect(await reject(mint({ iat: t - 7200, exp: t - 61 }))).toMatchObject({
      code: 'ERR_JWT_EXPIRED',
      claim: 'exp',
    })
    await accept(mint({ iat: t - 7200, exp: t - 30 }))
    // The same token, judged with a clock that runs behind (server-corrected now).
    const late = await mint({ iat: t - 7200, exp: t - 300 })
    expect(await reject(late)).toMatchObject({ code: 'ERR_JWT_EXPIRED' })
    await accept(late, { now: Date.now() - 600_000 })
  })

  it('rejects iat or nbf in the future beyond the tolerance with ERR_JWT_NOT_YET_VALID', async () => {
    serveAll()
    fresh()
    const t = seconds()
    expect(await reject(mint({ iat: t + 120 }))).toMatchObject({
      code: 'ERR_JWT_NOT_YET_VALID',
      claim: 'iat',
    })
    expect(await reject(mint({ nbf: t + 120 }))).toMatchObject({
      code: 'ERR_JWT_NOT_YET_VALID',
      claim: 'nbf',
    })
    await accept(mint({ iat: t + 30, nbf: t + 30 }))
    // A server clock 10 minutes ahead is fine once `now` carries the offset.
    await accept(mint({ iat: t + 600, exp: t + 4200 }), { now: Date.now() + 600_000 })
  })

  it('checks the nonce: mismatch and missing', async () => {
    serveAll()
    fresh()
    expect(await reject(mint({ nonce: 'other' }))).toMatchObject({
      code: 'ERR_NONCE_MISMATCH',
      claim: 'nonce',
      reason: 'mismatch',
    })
    expect(await reject(mint({ nonce: undefined }))).toMatchObject({
      code: 'ERR_NONCE_MISMATCH',
      reason: 'missing',
    })
  })

  it('checks auth_time against maxAge', async () => {
    serveAll()
    fresh()
    const t = seconds()
    expect(await reject(mint({ auth_time: t - 400 }), { maxAge: 300 })).toMatchObject({
      code: 'ERR_AUTH_TIME_TOO_OLD',
      claim: 'auth_time',
    })
    expect(await reject(mint({ auth_time: undefined }), { maxAge: 300 })).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'auth_time',
    })
    await accept(mint({ auth_time: t - 100 }), { maxAge: 300 })
  })

  it('checks at_hash: match (per alg hash), mismatch, and missing when required', async () => {
    serveAll()
    fresh()
    const accessToken = 'access-token-value'
    await accept(mint({ at_hash: await tokenHash(accessToken, 'RS256') }), {
      accessToken,
      requireAtHash: true,
    })
    // ES384 hashes with SHA-384.
    await accept(mint({ at_hash: await tokenHash(accessToken, 'ES384') }, { by: signers.es384 }), {
      accessToken,
      requireAtHash: true,
    })
    expect(
      await reject(
        mint({ at_hash: await tokenHash(accessToken, 'RS256') }, { by: signers.es384 }),
        {
          accessToken,
        },
      ),
    ).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'at_hash', reason: 'mismatch' })
    expect(
      await reject(mint({ at_hash: await tokenHash('another', 'RS256') }), { accessToken }),
    ).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'at_hash',
      reason: 'mismatch',
    })
    expect(await reject(mint(), { accessToken, requireAtHash: true })).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'at_hash',
      reason: 'missing',
    })
    // Not required: a missing at_hash is fine.
    await accept(mint(), { accessToken })
  })

  it('checks c_hash: match, mismatch, and missing when required', async () => {
    serveAll()
    fresh()
    const code = 'the-authorization-code'
    await accept(mint({ c_hash: await tokenHash(code, 'RS256') }), { code, requireCHash: true })
    expect(
      await reject(mint({ c_hash: await tokenHash('other-code', 'RS256') }), { code }),
    ).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'c_hash',
    })
    expect(await reject(mint(), { code, requireCHash: true })).toMatchObject({
      code: 'ERR_TOKEN_HASH_MISMATCH',
      claim: 'c_hash',
      reason: 'missing',
    })
  })

  it('checks azp with several audiences', async () => {
    serveAll()
    fresh()
    const aud = [CLIENT_ID, 'api://other']
    expect(await reject(mint({ aud }))).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'azp',
      reason: 'missing',
    })
    expect(await reject(mint({ aud, azp: 'api://other' }))).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'azp',
      reason: 'mismatch',
    })
    expect(await reject(mint({ azp: 'someone-else' }))).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'azp',
    })
    await expect(
      verifyIdToken(await mint({ aud, azp: CLIENT_ID }), options(idToken.jwks)),
    ).resolves.toMatchObject({ aud })
  })

  it('checks the expected subject', async () => {
    serveAll()
    fresh()
    expect(await reject(mint(), { expectedSubject: '00uanother' })).toMatchObject({
      code: 'ERR_SUBJECT_MISMATCH',
      claim: 'sub',
    })
    await accept(mint(), { expectedSubject: SUB })
  })
})
