import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { InvalidOptionError, TokenValidationError } from '../../../src/verifier/index.js'
import type { Verifier } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  countRequests,
  makeSigner,
  oktaClaims,
  publish,
  rejection,
  type Signer,
  sign,
  T0,
} from './helpers.js'

const A = 'https://a.example.com/oauth2/t1'
const B = 'https://b.example.com/oauth2/t2'

// The same kid at both issuers, different keys.
let keyA: Signer
let keyB: Signer
beforeAll(async () => {
  ;[keyA, keyB] = await Promise.all([makeSigner('RS256', 'tenant'), makeSigner('RS256', 'tenant')])
})

let a: FakeIssuer
let b: FakeIssuer
beforeEach(async () => {
  ;[a, b] = await Promise.all([createFakeIssuer(A), createFakeIssuer(B)])
  publish(a, keyA)
  publish(b, keyB)
})

describe.each(BACKENDS)('several issuers on $name', ({ name, createVerifier }) => {
  let verifier: Verifier
  beforeEach(() => {
    verifier = createVerifier({ issuer: [A, B], audience: AUDIENCE, now: () => T0 })
    expect(verifier.crypto).toBe(name)
  })

  it('verifies each token with its own issuer keys, one JWKS request per issuer', async () => {
    expect(verifier.issuers).toEqual([A, B])
    for (let i = 0; i < 3; i++) {
      const fromA = await verifier.verifyAccessToken(
        await sign(keyA, oktaClaims(A, { jti: `a${i}` })),
      )
      const fromB = await verifier.verifyAccessToken(
        await sign(keyB, oktaClaims(B, { jti: `b${i}` })),
      )
      expect([fromA.issuer, fromA.claims.jti]).toEqual([A, `a${i}`])
      expect([fromB.issuer, fromB.claims.jti]).toEqual([B, `b${i}`])
    }
    expect(a.requestsTo('/v1/keys')).toHaveLength(1)
    expect(b.requestsTo('/v1/keys')).toHaveLength(1)
    expect(a.requestsTo('/.well-known/openid-configuration')).toHaveLength(1)
    expect(b.requestsTo('/.well-known/openid-configuration')).toHaveLength(1)
    expect(verifier.jwksCache(A)?.jwksUri).toBe(`${A}/v1/keys`)
    expect(verifier.jwksCache(B)?.jwksUri).toBe(`${B}/v1/keys`)
    expect(verifier.jwksCache()).toBe(verifier.jwksCache(A))
  })

  it('does not touch the other issuer for a token of one', async () => {
    await verifier.verifyAccessToken(await sign(keyB, oktaClaims(B)))
    expect(a.requests).toHaveLength(0)
    expect(verifier.jwksCache(A)).toBeUndefined()
    expect(verifier.jwksCache(B)).toBeDefined()
  })

  it('refuses a token claiming issuer A signed with B key (signature)', async () => {
    for (const [claimed, key] of [
      [A, keyB],
      [B, keyA],
    ] as const) {
      const err = await rejection(verifier.verifyAccessToken(await sign(key, oktaClaims(claimed))))
      expect(err).toBeInstanceOf(TokenValidationError)
      expect(err).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID', reason: 'signature' })
      expect(err.claim).toBeUndefined()
    }
  })

  it('refuses an issuer outside the list without a request', async () => {
    const requests = countRequests()
    try {
      const err = await rejection(
        verifier.verifyAccessToken(await sign(keyA, oktaClaims('https://c.example.com/oauth2/t3'))),
      )
      expect(err).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'mismatch' })
    } finally {
      requests.stop()
    }
    expect(requests.urls).toEqual([])
  })

  it('ready() loads every issuer', async () => {
    await verifier.ready()
    expect(a.requestsTo('/v1/keys')).toHaveLength(1)
    expect(b.requestsTo('/v1/keys')).toHaveLength(1)
    expect(verifier.jwksCache(A)?.jwks?.keys).toHaveLength(2)
    expect(verifier.jwksCache(B)?.jwks?.keys).toHaveLength(2)
  })

  it('verifies ID tokens of each issuer with its keys', async () => {
    const live = createVerifier({ issuer: [A, B], audience: AUDIENCE })
    const claims = await live.verifyIdToken(await b.idToken(), { clientId: '0oa1example' })
    expect(claims.iss).toBe(B)
    expect(a.requests).toHaveLength(0)
  })

  it('introspection.issuer must be one of the issuers', () => {
    expect(() =>
      createVerifier({
        issuer: [A, B],
        audience: AUDIENCE,
        introspection: {
          clientId: 'x',
          auth: { method: 'client_secret_basic', clientSecret: 's' },
          issuer: 'https://c.example.com',
        },
      }),
    ).toThrow(InvalidOptionError)
  })
})
