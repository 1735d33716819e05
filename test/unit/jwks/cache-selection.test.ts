// Which keys a lookup answers with (kid, algorithm, use), their identity across
// refreshes, and getKey as the key argument of jose.jwtVerify.
// The fake endpoint, keys and helpers are in cache-harness.ts.
import { jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { JwksError } from '../../../src/index.js'
import {
  jwks,
  keyring,
  noMatch,
  resolve,
  rs,
  setup,
  sign,
  signWithoutKid,
  useJwksHarness,
} from './cache-harness.js'

useJwksHarness()

describe('key identity and selection', () => {
  it('a refresh returning the same keys keeps the same JWK objects', async () => {
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    const { cache, clock, ofType } = setup()
    const [before] = await cache.resolve(rs('k1'))
    expect(cache.holds(before!)).toBe(true)
    clock.t += 1_000
    await cache.reload()
    expect(jwks.hits).toBe(2)
    const [after] = await cache.resolve(rs('k1'))
    expect(after).toBe(before)
    expect(cache.holds(before!)).toBe(true)
    expect(ofType('rotation')).toEqual([])
  })

  it('a key removed from the set is no longer held', async () => {
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    const { cache, ofType } = setup()
    const [one] = await cache.resolve(rs('k1'))
    const [two] = await cache.resolve(rs('k2'))
    jwks.published = [keyring.k2.jwk, keyring.k3.jwk]
    await cache.reload()
    expect(cache.holds(one!)).toBe(false)
    expect(cache.holds(two!)).toBe(true)
    expect(cache.holds({ ...two! })).toBe(false) // identity, not equality
    expect(cache.peek(rs('k1'))).toBeUndefined()
    expect(ofType('rotation')).toEqual([{ type: 'rotation', added: ['k3'], removed: ['k1'] }])
  })

  it('peek selects by kid, algorithm family, curve, alg and use', async () => {
    const plain = { ...keyring.k2.jwk, kid: 'plain' }
    delete plain.alg
    delete plain.use
    const rs384 = { ...keyring.k3.jwk, kid: 'r384', alg: 'RS384' }
    const enc = { ...keyring.k3.jwk, kid: 'enc1', use: 'enc' }
    delete enc.alg
    const opsEncrypt = { ...keyring.k3.jwk, kid: 'ops1', key_ops: ['encrypt'] }
    const opsVerify = { ...keyring.k3.jwk, kid: 'ops2', key_ops: ['verify'] }
    const oct = { kty: 'oct', k: 'c2VjcmV0', kid: 'oct1', alg: 'HS256' }
    jwks.published = [keyring.k1.jwk, keyring.ec, plain, rs384, enc, opsEncrypt, opsVerify, oct]
    const { cache, fetches } = setup()
    await cache.reload()
    expect(fetches()[0]).toMatchObject({ keyCount: 5 }) // k1, ec1, plain, r384, ops2
    expect(cache.jwks?.keys).toHaveLength(8) // as the server sent it
    expect(cache.peek(rs('k1'))).toEqual([keyring.k1.jwk])
    expect(cache.peek({ alg: 'RS256', kid: 'ec1' })).toBeUndefined()
    expect(cache.peek({ alg: 'ES256', kid: 'ec1' })).toEqual([keyring.ec])
    expect(cache.peek({ alg: 'ES384', kid: 'ec1' })).toBeUndefined() // P-256 key
    expect(cache.peek({ alg: 'ES256', kid: 'k1' })).toBeUndefined()
    expect(cache.peek({ alg: 'PS256', kid: 'k1' })).toBeUndefined() // alg on the JWK is RS256
    expect(cache.peek({ alg: 'PS256', kid: 'plain' })).toEqual([plain])
    expect(cache.peek({ alg: 'RS512', kid: 'plain' })).toEqual([plain])
    expect(cache.peek({ alg: 'RS256', kid: 'r384' })).toBeUndefined()
    expect(cache.peek({ alg: 'RS384', kid: 'r384' })).toEqual([rs384])
    expect(cache.peek({ alg: 'RS256', kid: 'enc1' })).toBeUndefined()
    expect(cache.peek({ alg: 'RS256', kid: 'ops1' })).toBeUndefined()
    expect(cache.peek({ alg: 'RS256', kid: 'ops2' })).toEqual([opsVerify])
    expect(cache.peek({ alg: 'HS256', kid: 'oct1' })).toBeUndefined()
    expect(cache.peek({ alg: 'none', kid: 'k1' })).toBeUndefined()
    expect(cache.peek({ alg: 'EdDSA', kid: 'k1' })).toBeUndefined()
    // Without a kid: every candidate for the algorithm.
    expect(cache.peek({ alg: 'RS256' })).toEqual([keyring.k1.jwk, plain, opsVerify])
    expect(cache.peek({ alg: 'ES256' })).toEqual([keyring.ec])
    expect(cache.peek({ alg: 'ES512' })).toBeUndefined()
    expect(jwks.hits).toBe(1)
  })
})

describe('getKey', () => {
  it('works as the key argument of jose.jwtVerify', async () => {
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    const { cache } = setup()
    const first = await jwtVerify(await sign(keyring.k1), cache.getKey)
    expect(first.payload.sub).toBe('x')
    expect(first.protectedHeader.kid).toBe('k1')
    const second = await jwtVerify(await sign(keyring.k2), cache.getKey)
    expect(second.protectedHeader.kid).toBe('k2')
    // A token signed by a key not in the set, naming a listed kid: the signature fails.
    await expect(jwtVerify(await sign(keyring.k3, 'k1'), cache.getKey)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
    expect(jwks.hits).toBe(1)
    // The imported key is reused for the same JWK and alg.
    expect(await resolve(cache, await sign(keyring.k1))).toBe(
      await resolve(cache, await sign(keyring.k1)),
    )
  })

  it('a token without kid: one candidate verifies, two candidates are refused', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache } = setup()
    await expect(jwtVerify(await signWithoutKid(keyring.k1), cache.getKey)).resolves.toBeDefined()
    jwks.published = [keyring.k1.jwk, keyring.k2.jwk]
    await cache.reload()
    const error = await jwtVerify(await signWithoutKid(keyring.k1), cache.getKey).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(JwksError)
    expect(error).toMatchObject(noMatch)
  })

  it('a key that cannot be imported rejects with ERR_JWKS_NO_MATCHING_KEY, and is retried', async () => {
    const zero = Buffer.alloc(32).toString('base64url')
    const bad = { kty: 'EC', crv: 'P-256', x: zero, y: zero, kid: 'bad', alg: 'ES256' }
    jwks.published = [bad]
    const { cache } = setup()
    const header = { alg: 'ES256', kid: 'bad' }
    const token = { protected: '', payload: '', signature: '' }
    for (let i = 0; i < 2; i++) {
      const error = await cache.getKey(header, token).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(JwksError)
      expect(error).toMatchObject({ ...noMatch, cause: { name: 'DataError' } })
    }
    await expect(cache.getKey({ kid: 'bad' }, token)).rejects.toMatchObject(noMatch) // no alg
    expect(jwks.hits).toBe(1)
  })

  it('a token whose kid is unknown rejects with ERR_JWKS_NO_MATCHING_KEY', async () => {
    jwks.published = [keyring.k1.jwk]
    const { cache } = setup()
    const error = await jwtVerify(await sign(keyring.k2), cache.getKey).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JwksError)
    expect(error).toMatchObject(noMatch)
  })
})
