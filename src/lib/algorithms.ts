// JWS algorithm facts shared by the verifier backends and the browser entry (no dependencies).

/** @internal Hash of a JWS algorithm, in WebCrypto spelling. */
export function hashOf(alg: string): 'SHA-256' | 'SHA-384' | 'SHA-512' {
  const bits = alg.slice(-3)
  return bits === '384' ? 'SHA-384' : bits === '512' ? 'SHA-512' : 'SHA-256'
}

/** @internal Keys shorter than this are refused, as RFC 7518 §3.3 requires. */
export const MIN_RSA_BITS = 2048
