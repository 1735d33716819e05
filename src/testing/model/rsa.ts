import { exportJWK, generateKeyPair, type KeyObject } from 'jose'
import { encodeBase64url } from '../../lib/base64url.js'
import type { JWK } from '../../lib/wire-types.js'

// RS256 key pairs and signatures of the org's signing keys: on node:crypto
// where it exists, on WebCrypto elsewhere (browsers, with msw's worker).
// Both generate and sign on a thread pool, but in Node 20 each WebCrypto
// signature still spends about 0.13 ms on the main thread before it gets
// there, against 0.01 ms for node:crypto's, and a token request signs twice.

/** @internal An RS256 key pair. */
export interface RsaKeyPair {
  /** The public key, for jose's `jwtVerify`. */
  readonly publicKey: CryptoKey | KeyObject
  /** The public key as a JWK (`kty`, `n`, `e`). */
  readonly publicJwk: JWK
  /**
   * The RS256 signature of `input` (its UTF-8 bytes), base64url.
   * @param input - What to sign: a JWS signing input.
   */
  sign(input: string): Promise<string>
}

type NodeCrypto = typeof import('node:crypto')

const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined

const utf8 = new TextEncoder()

/** @internal A new RS256 key pair (2048 bits). */
export function generateRsaKeyPair(): Promise<RsaKeyPair> {
  return nodeCrypto ? nodeRsaKeyPair(nodeCrypto) : webRsaKeyPair()
}

/** @internal {@link generateRsaKeyPair} on node:crypto. */
export async function nodeRsaKeyPair(c: NodeCrypto): Promise<RsaKeyPair> {
  const { publicKey, privateKey } = await new Promise<{
    publicKey: import('node:crypto').KeyObject
    privateKey: import('node:crypto').KeyObject
  }>((resolve, reject) =>
    c.generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    ),
  )
  const { kty, n, e } = publicKey.export({ format: 'jwk' })
  return {
    publicKey,
    publicJwk: { kty: kty!, n: n!, e: e! },
    sign: (input) =>
      new Promise((resolve, reject) =>
        c.sign('sha256', utf8.encode(input), privateKey, (err, signature) =>
          err ? reject(err) : resolve(signature.toString('base64url')),
        ),
      ),
  }
}

/** @internal {@link generateRsaKeyPair} on WebCrypto. */
export async function webRsaKeyPair(): Promise<RsaKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const { kty, n, e } = await exportJWK(publicKey)
  return {
    publicKey,
    publicJwk: { kty: kty!, n: n!, e: e! },
    sign: async (input) =>
      encodeBase64url(
        new Uint8Array(
          await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, utf8.encode(input)),
        ),
      ),
  }
}
