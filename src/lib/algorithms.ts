import { decodeBase64url } from './base64url.js'

// JWS algorithm facts, in one place for the core, the verifier backends, the
// JWKS cache and the browser entry (no dependencies: `./browser` ships them).

/** @internal Keys shorter than this are refused, as RFC 7518 §3.3 requires. */
export const MIN_RSA_BITS = 2048

/**
 * @internal
 * `none` and the HMAC algorithms: never accepted for a token a server signs
 * (an HMAC "key" would be the public key, known to anyone).
 */
export function isForbiddenAlg(alg: string): boolean {
  return /^(none|HS\d+)$/i.test(alg)
}

/** @internal The JWK key type an algorithm verifies with, or undefined for those the SDK never verifies. */
export function ktyOf(alg: string): 'RSA' | 'EC' | 'OKP' | undefined {
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return 'RSA'
  if (/^ES(256|384|512)$/.test(alg)) return 'EC'
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'OKP'
  return undefined
}

/** @internal The curve an algorithm fixes (RFC 7518 §3.4, RFC 8037), or undefined for RSA. */
export function curveOf(alg: string): string | undefined {
  if (alg === 'ES256') return 'P-256'
  if (alg === 'ES384') return 'P-384'
  if (alg === 'ES512') return 'P-521'
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'Ed25519'
  return undefined
}

/** @internal The algorithm of a private key's curve, for keys that do not name one. */
export function algOfCurve(crv: unknown): string | undefined {
  if (crv === 'P-256') return 'ES256'
  if (crv === 'P-384') return 'ES384'
  if (crv === 'P-521') return 'ES512'
  if (crv === 'Ed25519') return 'EdDSA'
  return undefined
}

/** @internal Hash of an RS/PS/ES algorithm, in WebCrypto spelling. */
export function hashOf(alg: string): 'SHA-256' | 'SHA-384' | 'SHA-512' {
  const bits = alg.slice(-3)
  return bits === '384' ? 'SHA-384' : bits === '512' ? 'SHA-512' : 'SHA-256'
}

/**
 * @internal
 * The hash `at_hash` and `c_hash` use for an ID token signed with `alg`
 * (OIDC Core §3.3.2.11: the hash of the JWS algorithm; SHA-512 for EdDSA),
 * or undefined where none is defined.
 */
export function tokenHashOf(alg: string): 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined {
  if (/^(RS|PS|ES)256$|^ES256K$/.test(alg)) return 'SHA-256'
  if (/^(RS|PS|ES)384$/.test(alg)) return 'SHA-384'
  if (/^(RS|PS|ES)512$|^EdDSA$|^Ed25519$/.test(alg)) return 'SHA-512'
  return undefined
}

/** @internal WebCrypto's parameters to verify a signature of `alg`. */
export function verifyParams(alg: string): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  const kind = alg.slice(0, 2)
  return kind === 'PS'
    ? { name: 'RSA-PSS', saltLength: Number(alg.slice(-3)) >> 3 }
    : kind === 'ES'
      ? { name: 'ECDSA', hash: hashOf(alg) }
      : kind === 'RS'
        ? { name: 'RSASSA-PKCS1-v1_5' }
        : { name: 'Ed25519' }
}

/** @internal WebCrypto's parameters to import a public JWK for `alg`. */
export function importParams(
  alg: string,
  crv: unknown,
): AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams {
  const kind = alg.slice(0, 2)
  return kind === 'PS'
    ? { name: 'RSA-PSS', hash: hashOf(alg) }
    : kind === 'ES'
      ? { name: 'ECDSA', namedCurve: crv as string }
      : kind === 'RS'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: hashOf(alg) }
        : { name: 'Ed25519' }
}

/**
 * @internal The length in bits of an RSA modulus given as a JWK's `n`
 * (base64url), leading zero bits not counted; 0 when it is not base64url.
 */
export function rsaModulusBits(n: string): number {
  if (!/^[A-Za-z0-9_-]+$/.test(n)) return 0
  let bytes: Uint8Array
  try {
    bytes = decodeBase64url(n)
  } catch {
    return 0
  }
  const first = bytes.findIndex((b) => b !== 0)
  if (first < 0) return 0
  // clz32 of a byte counts 24 zero bits above it.
  return (bytes.length - first) * 8 - (Math.clz32(bytes[first]!) - 24)
}
