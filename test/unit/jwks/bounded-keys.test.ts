/**
 * Issue 14, weakness 10 (JWKS part): a hostile or broken server publishes
 * 10 000 keys, and forged tokens without `kid` arrive. The cache keeps at
 * most MAX_KEYS usable keys, and a header without `kid` that more than
 * MAX_KIDLESS_CANDIDATES keys fit is refused before any signature check,
 * through `resolve`/`peek` and through `getKey` (the core `validateIdToken`).
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { HttpResponse, http } from 'msw'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createJwksCache,
  type JwksCacheEvent,
  JwksError,
  validateIdToken,
} from '../../../src/index.js'
import { MAX_KEYS, MAX_KIDLESS_CANDIDATES } from '../../../src/jwks/key-set.js'
import { server } from '../msw.js'

const ISSUER = 'https://example.okta.com/oauth2/default'
const JWKS_URI = `${ISSUER}/v1/keys`
const CLIENT_ID = '0oa1example'
const T0 = 1_750_000_000_000
// 10 000 RSA keys are about 4.3 MB: over the default 1 MiB limit, so these
// tests raise it to let the key set in.
const BIG = 16 * 1024 * 1024

let genuine: { privateKey: CryptoKey; jwk: JWK }
let attacker: { privateKey: CryptoKey }
beforeAll(async () => {
  const [a, b] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256', { extractable: true }),
  ])
  genuine = { privateKey: a.privateKey as CryptoKey, jwk: await exportJWK(a.publicKey) }
  attacker = { privateKey: b.privateKey as CryptoKey }
})

afterEach(() => {
  vi.restoreAllMocks()
})

/** `count` RSA keys (the genuine modulus each time), each with its own kid. */
function manyKeys(count: number): JWK[] {
  return Array.from({ length: count }, (_, i) => ({
    ...genuine.jwk,
    kid: `k${i}`,
    alg: 'RS256',
    use: 'sig',
  }))
}

function serve(keys: JWK[]) {
  server.use(http.get(JWKS_URI, () => HttpResponse.json({ keys })))
}

function idToken(key: CryptoKey, header: Record<string, unknown> = {}) {
  return new SignJWT({ sub: 'SUBJECT-1', nonce: 'n' })
    .setProtectedHeader({ alg: 'RS256', ...header })
    .setIssuer(ISSUER)
    .setAudience(CLIENT_ID)
    .setIssuedAt(T0 / 1000 - 10)
    .setExpirationTime(T0 / 1000 + 600)
    .sign(key)
}

describe('a key set of 10 000 keys', () => {
  it(`keeps the first ${MAX_KEYS} usable keys`, async () => {
    serve(manyKeys(10_000))
    const events: JwksCacheEvent[] = []
    const cache = createJwksCache({
      jwksUri: JWKS_URI,
      maxResponseBytes: BIG,
      onEvent: (e) => events.push(e),
    })
    await cache.reload()
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'fetch', ok: true, keyCount: MAX_KEYS }),
    )
    expect(await cache.resolve({ alg: 'RS256', kid: `k${MAX_KEYS - 1}` })).toHaveLength(1)
    // A key past the bound is not held (Okta publishes a handful).
    const err = await cache.resolve({ alg: 'RS256', kid: `k${MAX_KEYS}` }).catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
  })

  it('refuses a header without kid that many keys fit, in resolve and peek', async () => {
    serve(manyKeys(10_000))
    const cache = createJwksCache({ jwksUri: JWKS_URI, maxResponseBytes: BIG })
    const err = await cache.resolve({ alg: 'RS256' }).catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect(cache.peek({ alg: 'RS256' })).toBeUndefined()
    // A header with a kid is unaffected.
    expect(cache.peek({ alg: 'RS256', kid: 'k7' })).toHaveLength(1)
  })

  it('validateIdToken refuses a forged ID token without kid with no signature check', async () => {
    serve(manyKeys(10_000))
    const cache = createJwksCache({ jwksUri: JWKS_URI, maxResponseBytes: BIG })
    await cache.reload()
    const verify = vi.spyOn(crypto.subtle, 'verify')
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    const err = await validateIdToken(await idToken(attacker.privateKey), {
      issuer: ISSUER,
      clientId: CLIENT_ID,
      keys: cache.getKey,
      now: () => T0,
    }).catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect(verify).not.toHaveBeenCalled()
    expect(importKey).not.toHaveBeenCalled()
  })

  it(`a token without kid still verifies when at most ${MAX_KIDLESS_CANDIDATES} keys fit`, async () => {
    // One RSA key among 9 999 EC keys: only it fits RS256.
    const ec = await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)
    serve([
      ...Array.from({ length: 9_999 }, (_, i) => ({ ...ec, kid: `ec${i}`, alg: 'ES256' })),
      { ...genuine.jwk, alg: 'RS256', use: 'sig' },
    ])
    const cache = createJwksCache({ jwksUri: JWKS_URI, maxResponseBytes: BIG })
    // The RSA key is the 10 000th: past the bound, so refused…
    const far = await cache.resolve({ alg: 'RS256' }).catch((e) => e)
    expect(far.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    // …while at the front it is found, alone.
    serve([
      { ...genuine.jwk, alg: 'RS256', use: 'sig' },
      ...Array.from({ length: 9_999 }, (_, i) => ({ ...ec, kid: `ec${i}`, alg: 'ES256' })),
    ])
    const near = createJwksCache({ jwksUri: JWKS_URI, maxResponseBytes: BIG })
    expect(await near.resolve({ alg: 'RS256' })).toHaveLength(1)
    const claims = await validateIdToken(await idToken(genuine.privateKey), {
      issuer: ISSUER,
      clientId: CLIENT_ID,
      keys: near.getKey,
      now: () => T0,
    })
    expect(claims.sub).toBe('SUBJECT-1')
  })
})
