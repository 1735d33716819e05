/**
 * Issue 14, weakness 10 (verifier part): a token without `kid` used to be
 * checked against every key, about 1 s per forged token with a 10 000-key
 * JWKS. Now it is checked against at most MAX_KIDLESS_CANDIDATES keys that
 * fit, and refused before any check when more fit; the key set itself keeps
 * at most MAX_KEYS keys. Signature checks are counted on the backend.
 */
import { HttpResponse, http } from 'msw'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { MAX_KEYS, MAX_KIDLESS_CANDIDATES } from '../../../src/jwks/key-set.js'
import { createWebCryptoBackend, type SignatureBackend } from '../../../src/verifier/backend.js'
import { createNodeBackend } from '../../../src/verifier/backend-node.js'
import { JwksError, TokenValidationError } from '../../../src/verifier/index.js'
import { createVerifierWith } from '../../../src/verifier/verifier.js'
import { ISSUER } from '../fake-issuer.js'
import { server } from '../msw.js'
import { AUDIENCE, makeSigner, oktaClaims, rejection, type Signer, sign, T0 } from './helpers.js'

const JWKS_URI = 'https://keys.example.com/hostile/keys'
const BIG = 16 * 1024 * 1024

let genuine: Signer
let attacker: Signer
beforeAll(async () => {
  ;[genuine, attacker] = await Promise.all([makeSigner('RS256'), makeSigner('RS256', 'attacker')])
})

const BACKENDS: Record<string, () => SignatureBackend> = {
  webcrypto: createWebCryptoBackend,
  'node:crypto': createNodeBackend,
}

/** A verifier on `backend` whose signature checks are counted, reading `keys`. */
function counted(name: string, keys: unknown[]) {
  server.use(http.get(JWKS_URI, () => HttpResponse.json({ keys })))
  const backend = BACKENDS[name]!()
  const verify = vi.fn(backend.verify)
  const fetched: number[] = []
  const verifier = createVerifierWith(
    { ...backend, verify },
    {
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: JWKS_URI,
      maxResponseBytes: BIG,
      now: () => T0,
      jwks: { onEvent: (e) => e.type === 'fetch' && e.ok && fetched.push(e.keyCount!) },
    },
  )
  return { verifier, verify, fetched }
}

/** 10 000 keys that all fit RS256 (the genuine key's modulus, each with its own kid). */
const tenThousand = () =>
  Array.from({ length: 10_000 }, (_, i) => ({ ...genuine.jwk, kid: `k${i}` }))

describe.each(Object.keys(BACKENDS))('a 10 000-key JWKS on %s', (name) => {
  it('a forged token without kid is refused with no signature check', async () => {
    const { verifier, verify, fetched } = counted(name, tenThousand())
    for (let i = 0; i < 20; i++) {
      const forged = await sign(attacker, oktaClaims(ISSUER, { jti: `AT.${i}` }), {
        kid: undefined,
      })
      const err = await rejection(verifier.verifyAccessToken(forged))
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    }
    expect(verify.mock.calls.length).toBeLessThanOrEqual(MAX_KIDLESS_CANDIDATES)
    expect(verify).not.toHaveBeenCalled()
    expect(fetched).toEqual([MAX_KEYS])
  })

  it('a token with a kid among the kept keys verifies with one check', async () => {
    const { verifier, verify } = counted(name, tenThousand())
    const token = await sign(genuine, oktaClaims(ISSUER), { kid: 'k42' })
    expect((await verifier.verifyAccessToken(token)).header?.kid).toBe('k42')
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it(`without kid, at most ${MAX_KIDLESS_CANDIDATES} fitting keys are tried`, async () => {
    // Three RSA keys fit RS256 (the attacker's, twice, then the genuine one);
    // thousands of EC keys do not fit and cost no check.
    const es = await makeSigner('ES256', 'ec')
    const fitting = [
      { ...attacker.jwk, kid: undefined },
      { ...attacker.jwk, kid: 'a2' },
      { ...genuine.jwk, kid: undefined },
    ]
    const ecKeys = Array.from({ length: 9_000 }, (_, i) => ({ ...es.jwk, kid: `ec${i}` }))
    const { verifier, verify } = counted(name, [...fitting, ...ecKeys])
    const token = await sign(genuine, oktaClaims(ISSUER), { kid: undefined })
    expect((await verifier.verifyAccessToken(token)).subject).toBe('alice@example.com')
    expect(verify.mock.calls.length).toBeLessThanOrEqual(MAX_KIDLESS_CANDIDATES)
    verify.mockClear()
    const forged = await sign(await makeSigner('RS256', 'x'), oktaClaims(ISSUER), {
      kid: undefined,
    })
    const err = await rejection(verifier.verifyAccessToken(forged))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err.code).toBe('ERR_JWT_SIGNATURE_INVALID')
    expect(verify).toHaveBeenCalledTimes(MAX_KIDLESS_CANDIDATES)
  })
})
