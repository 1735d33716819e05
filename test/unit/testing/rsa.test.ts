import * as nodeCrypto from 'node:crypto'
import { compactVerify, importJWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { nodeRsaKeyPair, type RsaKeyPair, webRsaKeyPair } from '../../../src/testing/model/rsa.js'
import { SigningKey } from '../../../src/testing/model/signing-keys.js'

// The org signs on node:crypto in Node and on WebCrypto elsewhere (msw's
// browser worker): both must make the same kind of key and signature.

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe.each([
  ['node:crypto', () => nodeRsaKeyPair(nodeCrypto)],
  ['WebCrypto', () => webRsaKeyPair()],
] as const)('RS256 key pairs on %s', (_name, generate: () => Promise<RsaKeyPair>) => {
  it('sign a JWS that verifies with the public key and with the public JWK', async () => {
    const pair = await generate()
    expect(Object.keys(pair.publicJwk).sort()).toEqual(['e', 'kty', 'n'])
    expect(pair.publicJwk).toMatchObject({ kty: 'RSA', e: 'AQAB' })
    expect(Buffer.from(pair.publicJwk.n as string, 'base64url')).toHaveLength(256)
    const input = `${encode({ alg: 'RS256', kid: 'k' })}.${encode({ sub: 'é', n: 1 })}`
    const signature = await pair.sign(input)
    expect(signature).toMatch(/^[\w-]{342}$/)
    const jws = `${input}.${signature}`
    const byKey = await compactVerify(jws, pair.publicKey, { algorithms: ['RS256'] })
    expect(JSON.parse(new TextDecoder().decode(byKey.payload))).toEqual({ sub: 'é', n: 1 })
    const byJwk = await compactVerify(jws, await importJWK(pair.publicJwk, 'RS256'))
    expect(byJwk.protectedHeader).toEqual({ alg: 'RS256', kid: 'k' })
    await expect(
      compactVerify(`${input.slice(0, -2)}e0.${signature}`, pair.publicKey),
    ).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
  })
})

describe('a signing key', () => {
  it('has its kid at once, its pair on first use, the same pair after', async () => {
    const key = new SigningKey('ACTIVE', 0)
    expect(key.kid).toMatch(/^[\w-]{43}$/)
    const [a, b] = await Promise.all([key.pair(), key.pair()])
    expect(a).toBe(b)
    const jwt = await key.sign({ sub: 'x' }, { typ: 'JWT' })
    const { protectedHeader } = await compactVerify(jwt, a.publicKey)
    expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'RS256', kid: key.kid })
    expect(await key.publicJwk()).toEqual({
      ...a.publicJwk,
      kid: key.kid,
      alg: 'RS256',
      use: 'sig',
    })
  })
})
