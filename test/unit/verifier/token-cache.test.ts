import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createWebCryptoBackend, type SignatureBackend } from '../../../src/verifier/backend.js'
import { createNodeBackend } from '../../../src/verifier/backend-node.js'
import { JwksError, TokenValidationError } from '../../../src/verifier/index.js'
import type { VerifierOptions } from '../../../src/verifier/types.js'
import { createVerifierWith } from '../../../src/verifier/verifier.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  cachedResult,
  makeSigner,
  NOW_S,
  oktaClaims,
  publish,
  rejection,
  type Signer,
  sign,
  T0,
} from './helpers.js'

let rs: Signer
let other: Signer
beforeAll(async () => {
  ;[rs, other] = await Promise.all([makeSigner('RS256'), makeSigner('RS256', 'other')])
})

let fake: FakeIssuer
let clock: number
beforeEach(async () => {
  fake = await createFakeIssuer()
  publish(fake, rs)
  clock = T0
})

const BACKEND_OF: Record<string, () => SignatureBackend> = {
  webcrypto: createWebCryptoBackend,
  'node:crypto': createNodeBackend,
}

describe.each(BACKENDS)('token cache on $name', ({ name, createVerifier }) => {
  const make = (extra: Partial<VerifierOptions> = {}) => {
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => clock,
      tokenCache: true,
      ...extra,
    })
    expect(verifier.crypto).toBe(name)
    return verifier
  }

  it('answers a token from the cache from its second verification on', async () => {
    const backend = BACKEND_OF[name]!()
    const verify = vi.fn(backend.verify)
    const verifier = createVerifierWith(
      { ...backend, verify },
      { issuer: ISSUER, audience: AUDIENCE, now: () => clock, tokenCache: true },
    )
    expect(verifier.crypto).toBe(name)
    const token = await sign(rs, oktaClaims(ISSUER))
    // Seen once: verified, and only its fingerprint kept.
    const first = await verifier.verifyAccessToken(token)
    expect(verify).toHaveBeenCalledTimes(1)
    expect(Object.isFrozen(first)).toBe(false)
    // Seen again: verified and cached (frozen); from then on, no signature check.
    const second = await verifier.verifyAccessToken(token)
    expect(verify).toHaveBeenCalledTimes(2)
    expect(second).not.toBe(first)
    expect(Object.isFrozen(second)).toBe(true)
    for (let i = 0; i < 3; i++) expect(await verifier.verifyAccessToken(token)).toBe(second)
    expect(verify).toHaveBeenCalledTimes(2)
    // Another token is verified.
    await verifier.verifyAccessToken(await sign(rs, oktaClaims(ISSUER, { jti: 'other' })))
    expect(verify).toHaveBeenCalledTimes(3)
  })

  it('is off by default', async () => {
    const verifier = make({ tokenCache: false })
    const token = await sign(rs, oktaClaims(ISSUER))
    const first = await verifier.verifyAccessToken(token)
    const second = await verifier.verifyAccessToken(token)
    expect(second).not.toBe(first)
    expect(second).toEqual(first)
  })

  it('no longer honours an entry once its key left the JWKS', async () => {
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER))
    const first = await cachedResult(() => verifier.verifyAccessToken(token))

    // A reload that keeps the key keeps the entry.
    publish(fake, other)
    await verifier.jwksCache()!.reload()
    expect(await verifier.verifyAccessToken(token)).toBe(first)

    // A reload without the key drops it.
    fake.keys.splice(
      fake.keys.findIndex((k) => k.kid === rs.kid),
      1,
    )
    await verifier.jwksCache()!.reload()
    const keysBefore = fake.requestsTo('/v1/keys').length
    const err = await rejection(verifier.verifyAccessToken(token))
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    // It was really verified again: the unknown kid caused a refetch.
    expect(fake.requestsTo('/v1/keys').length).toBe(keysBefore + 1)
  })

  it('does not honour an expired entry', async () => {
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER, { exp: NOW_S + 60 }))
    const first = await cachedResult(() => verifier.verifyAccessToken(token))
    // Within the tolerance past exp: still the cached answer.
    clock = (NOW_S + 60 + 29) * 1000
    expect(await verifier.verifyAccessToken(token)).toBe(first)
    clock = (NOW_S + 60 + 30) * 1000
    const err = await rejection(verifier.verifyAccessToken(token))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_JWT_EXPIRED', claim: 'exp', reason: 'expired' })
  })

  it('checks scope, claim and maxAge requirements on every hit', async () => {
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER))
    const first = await cachedResult(() =>
      verifier.verifyAccessToken(token, { scopes: ['orders:read'] }),
    )
    const scope = await rejection(verifier.verifyAccessToken(token, { scopes: ['orders:write'] }))
    expect(scope).toMatchObject({
      code: 'ERR_INSUFFICIENT_SCOPE',
      claim: 'scp',
      requiredScopes: ['orders:write'],
    })
    const claim = await rejection(verifier.verifyAccessToken(token, { claims: { cid: 'nope' } }))
    expect(claim).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'cid', reason: 'mismatch' })
    const age = await rejection(verifier.verifyAccessToken(token, { maxAge: 10 }))
    expect(age).toMatchObject({ code: 'ERR_JWT_EXPIRED', claim: 'iat', reason: 'too_old' })
    // The failures did not evict the entry.
    expect(await verifier.verifyAccessToken(token, { claims: { cid: '0oaclient' } })).toBe(first)
  })

  it('never caches a refused token', async () => {
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER, { aud: 'api://other' }))
    for (let i = 0; i < 2; i++) {
      expect(await rejection(verifier.verifyAccessToken(token))).toMatchObject({
        code: 'ERR_JWT_CLAIM_INVALID',
        claim: 'aud',
      })
    }
  })

  it('is bounded by maxEntries (oldest first)', async () => {
    const verifier = make({ tokenCache: { maxEntries: 2 } })
    const [t1, t2, t3] = (await Promise.all(
      [1, 2, 3].map((n) => sign(rs, oktaClaims(ISSUER, { jti: `AT.${n}` }))),
    )) as [string, string, string]
    const cached = (token: string) => cachedResult(() => verifier.verifyAccessToken(token))
    const r1 = await cached(t1)
    const r2 = await cached(t2)
    const r3 = await cached(t3)
    expect(await verifier.verifyAccessToken(t3)).toBe(r3)
    expect(await verifier.verifyAccessToken(t2)).toBe(r2)
    const again = await cached(t1)
    expect(again).not.toBe(r1)
    expect(again).toEqual(r1)
    // t1 came back in and pushed out t2.
    expect(await verifier.verifyAccessToken(t3)).toBe(r3)
    expect(await verifier.verifyAccessToken(t2)).not.toBe(r2)
  })

  it('forget(token) drops the entry', async () => {
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER))
    const first = await cachedResult(() => verifier.verifyAccessToken(token))
    verifier.forget(token)
    const second = await cachedResult(() => verifier.verifyAccessToken(token))
    expect(second).not.toBe(first)
    verifier.forget('not-cached')
    expect(await verifier.verifyAccessToken(token)).toBe(second)
  })
})
