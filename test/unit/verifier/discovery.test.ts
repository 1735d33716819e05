import { HttpResponse } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AbortError,
  createJwksCache,
  InvalidResponseError,
  isOktaOAuthError,
  JwksError,
  NetworkError,
  TokenValidationError,
} from '../../../src/verifier/index.js'
import type { VerifierOptions } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  deferred,
  makeSigner,
  oktaClaims,
  publish,
  rejection,
  type Signer,
  sign,
  T0,
} from './helpers.js'

const DISCOVERY = '/.well-known/openid-configuration'

let rs: Signer
let es256: Signer
let es384: Signer
let ps384: Signer
beforeAll(async () => {
  ;[rs, es256, es384, ps384] = await Promise.all([
    makeSigner('RS256'),
    makeSigner('ES256'),
    makeSigner('ES384'),
    makeSigner('PS384'),
  ])
})

let fake: FakeIssuer
let clock: number
beforeEach(async () => {
  fake = await createFakeIssuer()
  publish(fake, rs, es256, es384, ps384)
  clock = T0
})

describe.each(BACKENDS)('discovery and key loading on $name', ({ name, createVerifier }) => {
  const make = (extra: Partial<VerifierOptions> = {}) => {
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => clock,
      ...extra,
    })
    expect(verifier.crypto).toBe(name)
    return verifier
  }
  const advertise = (algs: string[]) =>
    fake.on(DISCOVERY, () =>
      HttpResponse.json({ ...fake.metadata, id_token_signing_alg_values_supported: algs }),
    )

  it('allows RS256 plus the asymmetric algorithms the server advertises', async () => {
    advertise(['RS256', 'ES256', 'PS384', 'HS256', 'none', 'RS1'])
    const verifier = make()
    expect(
      (await verifier.verifyAccessToken(await sign(es256, oktaClaims(ISSUER)))).header?.alg,
    ).toBe('ES256')
    expect(
      (await verifier.verifyAccessToken(await sign(ps384, oktaClaims(ISSUER)))).header?.alg,
    ).toBe('PS384')
    expect((await verifier.verifyAccessToken(await sign(rs, oktaClaims(ISSUER)))).header?.alg).toBe(
      'RS256',
    )
    for (const token of [
      await sign(es384, oktaClaims(ISSUER)),
      `${Buffer.from('{"alg":"HS256","kid":"at-RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(oktaClaims(ISSUER))).toString('base64url')}.c2ln`,
    ]) {
      expect(await rejection(verifier.verifyAccessToken(token))).toMatchObject({
        code: 'ERR_JWT_ALG_NOT_ALLOWED',
        claim: 'alg',
      })
    }
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(1)
  })

  it('keeps RS256 when the server advertises nothing, and ignores it when algorithms is set', async () => {
    advertise([])
    expect((await make().verifyAccessToken(await sign(rs, oktaClaims(ISSUER)))).issuer).toBe(ISSUER)
    advertise(['RS256', 'ES256'])
    const pinned = make({ algorithms: ['RS256'] })
    expect(
      await rejection(pinned.verifyAccessToken(await sign(es256, oktaClaims(ISSUER)))),
    ).toMatchObject({ code: 'ERR_JWT_ALG_NOT_ALLOWED' })
  })

  it('backs off after a failed discovery and reports a typed error', async () => {
    fake.on(DISCOVERY, () => HttpResponse.json({ error: 'server_error' }, { status: 500 }))
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER))
    const first = await rejection(verifier.verifyAccessToken(token))
    expect(first).toBeInstanceOf(InvalidResponseError)
    expect(first).not.toBeInstanceOf(TokenValidationError)
    expect(isOktaOAuthError(first)).toBe(true)
    expect(first.code).toBe('ERR_INVALID_RESPONSE')
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(1)

    // Immediately again: the same error, no request.
    expect(await rejection(verifier.verifyAccessToken(token))).toBe(first)
    clock += 999
    expect(await rejection(verifier.verifyAccessToken(token))).toBe(first)
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(1)

    // After 1 s it retries (and fails again); the next delay is 2 s.
    clock += 2
    const second = await rejection(verifier.verifyAccessToken(token))
    expect(second).toBeInstanceOf(InvalidResponseError)
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(2)
    clock += 1_500
    await rejection(verifier.verifyAccessToken(token))
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(2)
    expect(verifier.jwksCache()).toBeUndefined()

    // Once the server is back, the next attempt after the delay succeeds.
    fake.on(DISCOVERY, () => HttpResponse.json(fake.metadata))
    clock += 600
    expect((await verifier.verifyAccessToken(token)).issuer).toBe(ISSUER)
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(3)
    expect(verifier.jwksCache()?.jwksUri).toBe(fake.metadata.jwks_uri)
  })

  it('reports an unreachable issuer as NetworkError', async () => {
    fake.on(DISCOVERY, () => HttpResponse.error())
    const err = await rejection(make().verifyAccessToken(await sign(rs, oktaClaims(ISSUER))))
    expect(err).toBeInstanceOf(NetworkError)
    expect(err.code).toBe('ERR_NETWORK')
  })

  it('refuses a discovery document for another issuer', async () => {
    fake.on(DISCOVERY, () =>
      HttpResponse.json({ ...fake.metadata, issuer: 'https://evil.example.com' }),
    )
    const err = await rejection(make().verifyAccessToken(await sign(rs, oktaClaims(ISSUER))))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.code).toBe('ERR_ISSUER_MISMATCH')
    expect(fake.requestsTo('/v1/keys')).toHaveLength(0)
  })

  it('reports metadata without jwks_uri as JwksError ERR_JWKS_UNAVAILABLE', async () => {
    const { jwks_uri: _, ...rest } = fake.metadata
    fake.on(DISCOVERY, () => HttpResponse.json(rest))
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER))
    for (let i = 0; i < 2; i++) {
      const err = await rejection(verifier.verifyAccessToken(token))
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_UNAVAILABLE')
    }
    // The metadata itself was good: it is not fetched again.
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(1)
  })

  it('reports a failing JWKS endpoint as JwksError ERR_JWKS_UNAVAILABLE', async () => {
    fake.on('/v1/keys', () => HttpResponse.json({ errorCode: 'E0000009' }, { status: 503 }))
    const err = await rejection(make().verifyAccessToken(await sign(rs, oktaClaims(ISSUER))))
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_UNAVAILABLE')
  })

  it('ready() discovers and loads keys up front', async () => {
    const verifier = make()
    expect(verifier.jwksCache()).toBeUndefined()
    expect(verifier.jwksCache(ISSUER)).toBeUndefined()
    await verifier.ready()
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(1)
    expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
    const cache = verifier.jwksCache(ISSUER)
    expect(cache).toBeDefined()
    expect(verifier.jwksCache()).toBe(cache)
    expect(cache?.jwksUri).toBe(fake.metadata.jwks_uri)
    expect(cache?.jwks?.keys.map((k) => k.kid)).toContain(rs.kid)
    expect(verifier.jwksCache('https://other.example.com')).toBeUndefined()

    await verifier.ready()
    await verifier.verifyAccessToken(await sign(rs, oktaClaims(ISSUER)))
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(1)
    expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
  })

  it('ready() rejects with the typed discovery error', async () => {
    fake.on(DISCOVERY, () => HttpResponse.json({}, { status: 502 }))
    const err = await rejection(make().ready())
    expect(err).toBeInstanceOf(InvalidResponseError)
  })

  it('concurrent first verifications share one discovery and one JWKS request', async () => {
    const verifier = make()
    const tokens = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => sign(rs, oktaClaims(ISSUER, { jti: `AT.${n}` }))),
    )
    const results = await Promise.all(tokens.map((t) => verifier.verifyAccessToken(t)))
    expect(results.map((r) => r.claims.jti)).toEqual(['AT.1', 'AT.2', 'AT.3', 'AT.4', 'AT.5'])
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(1)
    expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
  })

  it("one caller's abort during discovery fails only that caller, with no back-off", async () => {
    const arrived = deferred()
    const answer = deferred()
    fake.on(DISCOVERY, async () => {
      arrived.resolve()
      await answer.promise
      return HttpResponse.json(fake.metadata)
    })
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER))
    const controller = new AbortController()
    const aborted = verifier.verifyAccessToken(token, { signal: controller.signal })
    const patient = verifier.verifyAccessToken(token)
    await arrived.promise // discovery is under way
    controller.abort()
    const err = await rejection(aborted)
    expect(err).toBeInstanceOf(AbortError)
    answer.resolve()
    expect((await patient).issuer).toBe(ISSUER)
    expect((await verifier.verifyAccessToken(token)).issuer).toBe(ISSUER)
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(1)
  })

  it('an abort before discovery completes does not back off the next caller', async () => {
    const controller = new AbortController()
    const answer = deferred()
    fake.on(DISCOVERY, async () => {
      controller.abort() // while discovery is under way
      await answer.promise
      return HttpResponse.json(fake.metadata)
    })
    const verifier = make()
    const token = await sign(rs, oktaClaims(ISSUER))
    const err = await rejection(verifier.verifyAccessToken(token, { signal: controller.signal }))
    expect(err).toBeInstanceOf(AbortError)
    answer.resolve()
    expect((await verifier.verifyAccessToken(token)).issuer).toBe(ISSUER)
  })

  it('uses a JWKS cache it is given, without discovery', async () => {
    const cache = createJwksCache({ jwksUri: fake.metadata.jwks_uri!, now: () => clock })
    await cache.reload()
    const verifier = make({ jwksCache: cache })
    expect(verifier.jwksCache()).toBe(cache)
    await verifier.verifyAccessToken(await sign(rs, oktaClaims(ISSUER)))
    expect(fake.requestsTo(DISCOVERY)).toHaveLength(0)
    expect(fake.requestsTo('/v1/keys')).toHaveLength(1)
  })
})
