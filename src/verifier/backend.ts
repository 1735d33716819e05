import * as base64url from 'jose/base64url'
import { JwksError } from '../errors.js'
import { MIN_RSA_BITS, verifyParams } from '../lib/algorithms.js'
import { safeCause } from '../lib/cause.js'
import { lazy } from '../lib/lazy.js'
import type { JWK } from '../lib/wire-types.js'

export { MIN_RSA_BITS }

/** jose's key import, loaded when the WebCrypto backend imports its first key. */
const loadKeyImport = lazy(() => import('jose/key/import'))

/**
 * @internal
 * The signature primitive a verifier runs on: `node:crypto` with `KeyObject`s
 * on Node (selected by the `node` export condition), WebCrypto elsewhere.
 */
export interface SignatureBackend {
  /** Which implementation this is. */
  readonly name: CryptoBackendName
  /**
   * Verify `signature` (base64url) over `input` (the ASCII signing input)
   * with `jwk` for `alg`. Synchronous where the platform allows it. Throws
   * `JwksError` when the key cannot be used for `alg`.
   */
  verify(alg: string, jwk: JWK, input: string, signature: string): boolean | Promise<boolean>
  /** Decode a base64url segment to a UTF-8 string. */
  decode(segment: string): string
}

/** The signature implementation a verifier uses: `node:crypto` (Node) or `webcrypto` (everywhere else). */
export type CryptoBackendName = 'node:crypto' | 'webcrypto'

/** @internal An unusable key: the token cannot verify with it. */
export function unusableKey(alg: string, cause?: unknown): JwksError {
  return new JwksError(`the JWKS key cannot verify alg ${alg}`, {
    code: 'ERR_JWKS_NO_MATCHING_KEY',
    ...(cause === undefined ? undefined : { cause: safeCause(cause, true) }),
  })
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** @internal WebCrypto: `crypto.subtle.verify` with `CryptoKey`s imported once per key and algorithm. */
export function createWebCryptoBackend(): SignatureBackend {
  const imported = new WeakMap<JWK, Map<string, Promise<CryptoKey>>>()
  const keyOf = (jwk: JWK, alg: string): Promise<CryptoKey> => {
    let byAlg = imported.get(jwk)
    if (!byAlg) {
      byAlg = new Map()
      imported.set(jwk, byAlg)
    }
    let key = byAlg.get(alg)
    if (!key) {
      key = (async () => {
        const { importJWK } = await loadKeyImport()
        const k = (await importJWK({ ...jwk, ext: true }, alg)) as CryptoKey
        const bits = (k.algorithm as { modulusLength?: number }).modulusLength
        if (bits !== undefined && bits < MIN_RSA_BITS) throw unusableKey(alg)
        return k
      })()
      byAlg.set(alg, key)
    }
    return key
  }
  return {
    name: 'webcrypto',
    decode: (segment) => decoder.decode(base64url.decode(segment)),
    async verify(alg, jwk, input, signature) {
      let key: CryptoKey
      try {
        key = await keyOf(jwk, alg)
      } catch (cause) {
        throw cause instanceof JwksError ? cause : unusableKey(alg, cause)
      }
      try {
        return await crypto.subtle.verify(
          verifyParams(alg),
          key,
          base64url.decode(signature) as Uint8Array<ArrayBuffer>,
          new TextEncoder().encode(input),
        )
      } catch {
        return false
      }
    },
  }
}
