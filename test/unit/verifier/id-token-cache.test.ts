import { beforeEach, describe, expect, it, vi } from 'vitest'
import { tokenHash } from '../../../src/jwt/claims.js'
import { createWebCryptoBackend, type SignatureBackend } from '../../../src/verifier/backend.js'
import { createNodeBackend } from '../../../src/verifier/backend-node.js'
import { TokenValidationError } from '../../../src/verifier/index.js'
import type { VerifierOptions } from '../../../src/verifier/types.js'
import { createVerifierWith } from '../../../src/verifier/verifier.js'
import { CLIENT_ID, createFakeIssuer, type FakeIssuer, ISSUER, USER_SUB } from '../fake-issuer.js'
import { AUDIENCE, BACKENDS, cachedResult, expectNoToken, rejection } from './helpers.js'

// verifyIdToken on the verifier's own backend and token cache: an entry
// answers only a call with the same requirements (client, nonce, max_age,
// access token); any other call verifies the token afresh.

let fake: FakeIssuer
let clock: number
beforeEach(async () => {
  fake = await createFakeIssuer()
  clock = Date.now()
})

const BACKEND_OF: Record<string, () => SignatureBackend> = {
  webcrypto: createWebCryptoBackend,
  'node:crypto': createNodeBackend,
}

describe.each(BACKENDS)('ID tokens on $name', ({ name }) => {
  /** A verifier on a backend whose signature checks are counted. */
  const make = (extra: Partial<VerifierOptions> = {}) => {
    const backend = BACKEND_OF[name]!()
    const verify = vi.fn(backend.verify)
    const verifier = createVerifierWith(
      { ...backend, verify },
      { issuer: ISSUER, audience: AUDIENCE, now: () => clock, tokenCache: true, ...extra },
    )
    expect(verifier.crypto).toBe(name)
    return { verifier, verify }
  }

  it('caches a verified ID token for the same requirements (frozen claims)', async () => {
    const { verifier, verify } = make()
    const token = await fake.idToken({ nonce: 'n-1' })
    const call = { clientId: CLIENT_ID, nonce: 'n-1' }
    const claims = await cachedResult(() => verifier.verifyIdToken(token, call))
    expect(claims).toMatchObject({ iss: ISSUER, sub: USER_SUB, aud: CLIENT_ID, nonce: 'n-1' })
    expect(Object.isFrozen(claims)).toBe(true)
    expect(Object.isFrozen(claims.amr)).toBe(true)
    const checks = verify.mock.calls.length
    for (let i = 0; i < 3; i++)
      expect(await verifier.verifyIdToken(token, { ...call })).toBe(claims)
    expect(verify).toHaveBeenCalledTimes(checks)
  })

  it('another client id: verified afresh and refused (aud)', async () => {
    const { verifier, verify } = make()
    const token = await fake.idToken()
    await cachedResult(() => verifier.verifyIdToken(token, { clientId: CLIENT_ID }))
    const checks = verify.mock.calls.length
    const err = await rejection(verifier.verifyIdToken(token, { clientId: '0oaother' }))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'aud',
      reason: 'mismatch',
      token: 'id_token',
    })
    expect(verify).toHaveBeenCalledTimes(checks + 1)
    expectNoToken(err, token)
  })

  it('another client among several audiences: verified afresh and refused (azp)', async () => {
    const { verifier, verify } = make()
    const token = await fake.idToken({ aud: [CLIENT_ID, '0oaother'], azp: CLIENT_ID })
    await cachedResult(() => verifier.verifyIdToken(token, { clientId: CLIENT_ID }))
    const checks = verify.mock.calls.length
    expect(await rejection(verifier.verifyIdToken(token, { clientId: '0oaother' }))).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'azp',
      reason: 'mismatch',
    })
    expect(verify).toHaveBeenCalledTimes(checks + 1)
  })

  it('another nonce: verified afresh and refused; no nonce: verified afresh', async () => {
    const { verifier, verify } = make()
    const token = await fake.idToken({ nonce: 'n-1' })
    const cached = await cachedResult(() =>
      verifier.verifyIdToken(token, { clientId: CLIENT_ID, nonce: 'n-1' }),
    )
    let checks = verify.mock.calls.length
    const err = await rejection(
      verifier.verifyIdToken(token, { clientId: CLIENT_ID, nonce: 'n-2' }),
    )
    expect(err).toMatchObject({ code: 'ERR_NONCE_MISMATCH', claim: 'nonce', reason: 'mismatch' })
    expect(verify).toHaveBeenCalledTimes(++checks)
    // Without a nonce the token passes (nothing was sent), but not from the n-1 entry.
    const plain = await verifier.verifyIdToken(token, { clientId: CLIENT_ID })
    expect(plain).not.toBe(cached)
    expect(plain).toEqual(cached)
    expect(verify).toHaveBeenCalledTimes(++checks)
  })

  it('another maxAge: verified afresh; an entry lapses when auth_time passes its maxAge', async () => {
    const { verifier, verify } = make()
    const authTime = Math.floor(clock / 1000) - 100
    const token = await fake.idToken({ auth_time: authTime })
    const call = { clientId: CLIENT_ID, maxAge: 200 }
    const cached = await cachedResult(() => verifier.verifyIdToken(token, call))
    const checks = verify.mock.calls.length
    expect(await rejection(verifier.verifyIdToken(token, { ...call, maxAge: 10 }))).toMatchObject({
      code: 'ERR_AUTH_TIME_TOO_OLD',
      claim: 'auth_time',
    })
    expect(verify).toHaveBeenCalledTimes(checks + 1)
    // A refused call caches nothing: maxAge 200 is still answered from the cache.
    expect(await verifier.verifyIdToken(token, call)).toBe(cached)
    // Past auth_time + 200 s + the 30 s tolerance, the cached answer no longer holds.
    clock = (authTime + 200 + 31) * 1000
    expect(await rejection(verifier.verifyIdToken(token, call))).toMatchObject({
      code: 'ERR_AUTH_TIME_TOO_OLD',
    })
  })

  it('another access token: verified afresh and refused (at_hash)', async () => {
    const { verifier } = make()
    const token = await fake.idToken({ at_hash: await tokenHash('access-1', 'RS256') })
    const call = { clientId: CLIENT_ID, accessToken: 'access-1' }
    await cachedResult(() => verifier.verifyIdToken(token, call))
    expect(
      await rejection(verifier.verifyIdToken(token, { ...call, accessToken: 'access-2' })),
    ).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'at_hash', reason: 'mismatch' })
  })

  it('an ID token in the cache never answers for an access token, and forget() drops it', async () => {
    const { verifier, verify } = make({ audience: CLIENT_ID })
    const token = await fake.idToken()
    const cached = await cachedResult(() => verifier.verifyIdToken(token, { clientId: CLIENT_ID }))
    // Its aud is this verifier's audience here, yet as an access token it is
    // verified on its own path (and has no scopes, no cid): a separate entry.
    const asAccess = await verifier.verifyAccessToken(token)
    expect(asAccess.claims).toEqual(cached)
    expect(asAccess).not.toBe(cached)
    verifier.forget(token)
    const checks = verify.mock.calls.length
    const again = await verifier.verifyIdToken(token, { clientId: CLIENT_ID })
    expect(again).not.toBe(cached)
    expect(verify).toHaveBeenCalledTimes(checks + 1)
  })

  it('with the cache off, every call verifies', async () => {
    const { verifier, verify } = make({ tokenCache: false })
    const token = await fake.idToken()
    const first = await verifier.verifyIdToken(token, { clientId: CLIENT_ID })
    const second = await verifier.verifyIdToken(token, { clientId: CLIENT_ID })
    expect(second).not.toBe(first)
    expect(Object.isFrozen(second)).toBe(false)
    expect(verify).toHaveBeenCalledTimes(2)
  })

  it.each([
    {
      label: 'a bad signature',
      token: async () => {
        const t = await fake.idToken()
        const [h, p] = t.split('.')
        const other = (await fake.idToken({ sub: 'someone-else' })).split('.')[2]
        return `${h}.${p}.${other}`
      },
      expected: { code: 'ERR_JWT_SIGNATURE_INVALID', reason: 'signature' },
    },
    {
      label: 'an expired token',
      token: () => fake.idToken({ exp: Math.floor(clock / 1000) - 100 }),
      expected: { code: 'ERR_JWT_EXPIRED', claim: 'exp', reason: 'expired' },
    },
    {
      label: 'a token not yet valid',
      token: () => fake.idToken({ nbf: Math.floor(clock / 1000) + 600 }),
      expected: { code: 'ERR_JWT_NOT_YET_VALID', claim: 'nbf', reason: 'not_yet_valid' },
    },
    {
      label: 'no sub',
      token: () => fake.idToken({ sub: undefined }),
      expected: { code: 'ERR_JWT_CLAIM_INVALID', claim: 'sub', reason: 'missing' },
    },
    {
      label: 'no iat',
      token: () => fake.idToken({ iat: undefined }),
      expected: { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iat', reason: 'missing' },
    },
    {
      label: 'a string exp',
      token: () => fake.idToken({ exp: 'soon' as unknown as number }),
      expected: { code: 'ERR_JWT_CLAIM_INVALID', claim: 'exp', reason: 'mismatch' },
    },
  ])('refuses $label with the typed error, twice (nothing cached)', async ({ token, expected }) => {
    const { verifier } = make()
    const t = await token()
    for (let i = 0; i < 2; i++) {
      const err = await rejection(verifier.verifyIdToken(t, { clientId: CLIENT_ID }))
      expect(err).toBeInstanceOf(TokenValidationError)
      expect(err).toMatchObject({ token: 'id_token', ...expected })
      expectNoToken(err, t)
    }
  })
})
