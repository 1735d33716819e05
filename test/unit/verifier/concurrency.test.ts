import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createNodeBackend } from '../../../src/verifier/backend-node.js'
import { TokenValidationError } from '../../../src/verifier/index.js'
import { createVerifierWith } from '../../../src/verifier/verifier.js'
import { CLIENT_ID, createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  makeSigner,
  oktaClaims,
  publish,
  rejection,
  type Signer,
  sign,
  T0,
} from './helpers.js'

// The node:crypto backend verifies synchronously when alone and on libuv's
// thread pool while other verifications are in flight there.

let rs: Signer
beforeAll(async () => {
  rs = await makeSigner('RS256')
})

let fake: FakeIssuer
beforeEach(async () => {
  fake = await createFakeIssuer()
  publish(fake, rs)
})

/** `count` access tokens of different users. */
const tokensOf = (count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      sign(rs, oktaClaims(ISSUER, { sub: `user${i}@example.com`, jti: `AT.${i}` })),
    ),
  )

/** The same token with another (valid-looking, canonical) signature. */
function tampered(token: string): string {
  const dot = token.lastIndexOf('.')
  const sig = token.slice(dot + 1)
  const mid = sig.length >> 1
  return `${token.slice(0, dot + 1)}${sig.slice(0, mid)}${sig[mid] === 'A' ? 'B' : 'A'}${sig.slice(mid + 1)}`
}

describe('node:crypto backend: the sync / thread-pool switch', () => {
  it('alone it runs synchronously; every probeEvery-th call, and calls overlapping it, go to the pool', async () => {
    const backend = createNodeBackend({ probeEvery: 4, probeInterval: 0 })
    const token = await sign(rs, oktaClaims(ISSUER))
    const dot = token.lastIndexOf('.')
    const check = () => backend.verify('RS256', rs.jwk, token.slice(0, dot), token.slice(dot + 1))
    for (let i = 0; i < 3; i++) expect(check()).toBe(true)
    expect(backend.stats).toEqual({ sync: 3, pool: 0 })
    // The 4th is a probe: on the pool.
    const probe = check()
    expect(probe).toBeInstanceOf(Promise)
    // While it is in flight, the next ones join it there.
    const overlapping = [check(), check()]
    for (const p of overlapping) expect(p).toBeInstanceOf(Promise)
    expect(await Promise.all([probe, ...overlapping])).toEqual([true, true, true])
    expect(backend.stats).toEqual({ sync: 3, pool: 3 })
    // Alone again: synchronous.
    expect(check()).toBe(true)
    expect(backend.stats).toEqual({ sync: 4, pool: 3 })
    // A bad signature is false on either path.
    const bad = tampered(token).slice(dot + 1)
    expect(backend.verify('RS256', rs.jwk, token.slice(0, dot), bad)).toBe(false)
    expect(check()).toBe(true)
    expect(backend.stats).toEqual({ sync: 6, pool: 3 })
    // The next is a probe again; a bad signature overlapping it is false there too.
    const pooled = [check(), check(), backend.verify('RS256', rs.jwk, token.slice(0, dot), bad)]
    expect(pooled[0]).toBeInstanceOf(Promise)
    expect(await Promise.all(pooled)).toEqual([true, true, false])
  })

  it('maxInFlight: beyond it, a verification runs on the calling thread', async () => {
    const backend = createNodeBackend({ probeEvery: 1, probeInterval: 0, maxInFlight: 2 })
    const token = await sign(rs, oktaClaims(ISSUER))
    const dot = token.lastIndexOf('.')
    const check = () => backend.verify('RS256', rs.jwk, token.slice(0, dot), token.slice(dot + 1))
    const results = [check(), check(), check()]
    expect(results[0]).toBeInstanceOf(Promise)
    expect(results[1]).toBeInstanceOf(Promise)
    expect(results[2]).toBe(true)
    expect(await Promise.all(results)).toEqual([true, true, true])
  })
})

describe.each([
  { label: 'every verification on the pool', probeEvery: 1 },
  { label: 'the default switch', probeEvery: undefined },
])('concurrent verifications: $label', ({ probeEvery }) => {
  const make = (tokenCache = false, now: () => number = () => T0) => {
    const backend = createNodeBackend(
      probeEvery === undefined ? {} : { probeEvery, probeInterval: 0 },
    )
    const verifier = createVerifierWith(backend, {
      issuer: ISSUER,
      audience: AUDIENCE,
      now,
      tokenCache,
    })
    return { backend, verifier }
  }

  it.each([false, true])(
    'a tampered token among good ones gets ERR_JWT_SIGNATURE_INVALID; each good one its own claims (tokenCache %s)',
    async (tokenCache) => {
      const { backend, verifier } = make(tokenCache)
      await verifier.ready()
      const tokens = await tokensOf(8)
      const bad = tampered(tokens[3]!)
      // 8 callers, 5 rounds each, all started at once; caller 3 always sends the tampered token.
      const rounds = await Promise.all(
        tokens.map(async (token, caller) => {
          const outcomes: unknown[] = []
          for (let round = 0; round < 5; round++) {
            const t = caller === 3 ? bad : token
            outcomes.push(await verifier.verifyAccessToken(t).catch((err: unknown) => err))
          }
          return outcomes
        }),
      )
      for (const [caller, outcomes] of rounds.entries()) {
        for (const outcome of outcomes) {
          if (caller === 3) {
            expect(outcome).toBeInstanceOf(TokenValidationError)
            expect(outcome).toMatchObject({
              code: 'ERR_JWT_SIGNATURE_INVALID',
              token: 'access_token',
              reason: 'signature',
            })
          } else {
            expect(outcome).toMatchObject({ subject: `user${caller}@example.com` })
          }
        }
      }
      // The pool was used (the default switch probes within the first 128 calls only
      // when there were that many; here every call overlaps a probe or none).
      if (probeEvery === 1) expect(backend.stats.sync).toBe(0)
    },
  )

  it('ID tokens: a tampered one among good ones gets the ID-token error', async () => {
    // The fake issuer signs ID tokens at the real time.
    const { verifier } = make(false, Date.now)
    await verifier.ready()
    const good = await Promise.all(
      Array.from({ length: 7 }, (_, i) => fake.idToken({ sub: `00u${i}`, nonce: `n-${i}` })),
    )
    // The fake issuer signs ID tokens with its own key, which is in the key set.
    const bad = tampered(good[0]!)
    const outcomes = await Promise.allSettled([
      ...good.map((t, i) => verifier.verifyIdToken(t, { clientId: CLIENT_ID, nonce: `n-${i}` })),
      verifier.verifyIdToken(bad, { clientId: CLIENT_ID, nonce: 'n-0' }),
    ])
    for (const [i, outcome] of outcomes.slice(0, 7).entries()) {
      expect(outcome).toMatchObject({ status: 'fulfilled', value: { sub: `00u${i}` } })
    }
    const last = outcomes[7]!
    expect(last.status).toBe('rejected')
    expect((last as PromiseRejectedResult).reason).toMatchObject({
      code: 'ERR_JWT_SIGNATURE_INVALID',
      token: 'id_token',
    })
  })
})

describe('the switch with one caller and with eight', () => {
  it('one caller stays synchronous but for a probe every probeEvery calls', async () => {
    const backend = createNodeBackend({ probeEvery: 512, probeInterval: 0 })
    const verifier = createVerifierWith(backend, {
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => T0,
    })
    const tokens = await tokensOf(16)
    await verifier.ready()
    for (let i = 0; i < 1100; i++) await verifier.verifyAccessToken(tokens[i % 16]!)
    expect(backend.stats).toEqual({ sync: 1098, pool: 2 })
  })

  it('probes are spaced by probeInterval (the default: at most one per 20 ms)', async () => {
    const backend = createNodeBackend()
    const verifier = createVerifierWith(backend, {
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => T0,
    })
    const tokens = await tokensOf(16)
    await verifier.ready()
    const started = performance.now()
    for (let i = 0; i < 2000; i++) await verifier.verifyAccessToken(tokens[i % 16]!)
    const elapsed = performance.now() - started
    expect(backend.stats.sync + backend.stats.pool).toBe(2000)
    // The first probe at the 64th call, then at most one per 20 ms.
    expect(backend.stats.pool).toBeGreaterThanOrEqual(1)
    expect(backend.stats.pool).toBeLessThanOrEqual(1 + Math.floor(elapsed / 20))
  })

  it('8 concurrent callers join the pool once a probe is in flight', async () => {
    const backend = createNodeBackend({ probeEvery: 64, probeInterval: 0 })
    const verifier = createVerifierWith(backend, {
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => T0,
    })
    const tokens = await tokensOf(16)
    await verifier.ready()
    // Eight callers, 40 calls each: synchronous until the 64th, then on the pool.
    await Promise.all(
      Array.from({ length: 8 }, async (_, caller) => {
        for (let i = 0; i < 40; i++) {
          const t = tokens[(caller + i) % 16]!
          const result = await verifier.verifyAccessToken(t)
          expect(result.claims.jti).toBe(`AT.${(caller + i) % 16}`)
        }
      }),
    )
    expect(backend.stats.sync + backend.stats.pool).toBe(320)
    // 63 before the probe; then the pool, but for a caller left alone at the very end.
    expect(backend.stats.sync).toBeGreaterThanOrEqual(63)
    expect(backend.stats.pool).toBeGreaterThanOrEqual(240)
  })
})

it('an unusable key fails the same on the pool as alone', async () => {
  const backend = createNodeBackend({ probeEvery: 1, probeInterval: 0 })
  const token = await sign(rs, oktaClaims(ISSUER))
  const dot = token.lastIndexOf('.')
  const small = { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'tiny' }
  expect(() => backend.verify('RS256', small, token.slice(0, dot), token.slice(dot + 1))).toThrow(
    expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
  )
  expect(
    await rejection(Promise.resolve().then(() => backend.verify('RS256', small, '', ''))),
  ).toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' })
})
