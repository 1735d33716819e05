/// <reference types="node" />
import { constants, createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto'
import type { JWK } from '../lib/wire-types.js'
import { MIN_RSA_BITS, type SignatureBackend, unusableKey } from './backend.js'

const NODE_HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' }

/**
 * @internal
 * `node:crypto`: a `KeyObject` imported once per key, then a synchronous
 * `crypto.verify` per token, with no promise hop.
 */
export function createNodeBackend(): SignatureBackend {
  const keys = new WeakMap<JWK, KeyObject | Error>()
  const keyOf = (jwk: JWK, alg: string): KeyObject => {
    let key = keys.get(jwk)
    if (key === undefined) {
      try {
        key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
        const bits = key.asymmetricKeyDetails?.modulusLength
        if (bits !== undefined && bits < MIN_RSA_BITS) key = unusableKey(alg)
      } catch (cause) {
        key = unusableKey(alg, cause)
      }
      keys.set(jwk, key)
    }
    if (key instanceof Error) throw key
    return key
  }
  return {
    name: 'node:crypto',
    decode: (segment) => Buffer.from(segment, 'base64url').toString('utf8'),
    verify(alg, jwk, input, signature) {
      const key = keyOf(jwk, alg)
      const data = Buffer.from(input, 'latin1')
      const sig = Buffer.from(signature, 'base64url')
      const family = alg.slice(0, 2)
      try {
        if (family === 'RS') return nodeVerify(NODE_HASH[alg.slice(2)], data, key, sig)
        if (family === 'PS') {
          return nodeVerify(
            NODE_HASH[alg.slice(2)],
            data,
            {
              key,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
            },
            sig,
          )
        }
        if (family === 'ES') {
          return nodeVerify(NODE_HASH[alg.slice(2)], data, { key, dsaEncoding: 'ieee-p1363' }, sig)
        }
        return nodeVerify(null, data, key, sig)
      } catch {
        return false
      }
    },
  }
}
