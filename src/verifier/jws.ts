import type { JwksCache } from '../jwks/types.js'
import type { CallOptions } from '../lib/http.js'
import type { JWK } from '../lib/wire-types.js'
import type { SignatureBackend } from './backend.js'
import { badSignature, fail } from './fail.js'
import type { VerifiedHeader } from './types.js'

// The compact JWS of an access token: its shape, the decoding of its header
// and payload, the checked-header cache, and the signature check.

/** @internal A compact JWS: three base64url segments. */
export const TOKEN_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/
// RFC 7515 §4.1.9: a typ without '/' means application/<typ>, so JWT ≡ application/jwt.
export const JWT_TYP = new Set(['jwt', 'application/jwt'])
const AT_TYP = new Set([...JWT_TYP, 'at+jwt', 'application/at+jwt'])
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const SEGMENT = /^[\w-]+$/
const SEGMENTS = /^[\w-]+\.[\w-]+$/

/** Checked headers kept per issuer; Okta tokens share one header per key. */
const MAX_CACHED_HEADERS = 64

/** @internal A compact JWS split into what the checks need. */
export interface Parsed {
  headerSegment: string
  payload: Record<string, unknown>
  input: string
  signature: string
}

/** @internal Split a token and decode its payload (the header is decoded by {@link headerOf}). */
export function parse(token: string, backend: SignatureBackend, maxTokenLength: number): Parsed {
  if (typeof token !== 'string' || token.length === 0) {
    throw fail('access token is missing', 'ERR_JWT_MALFORMED', undefined, 'missing')
  }
  const d1 = token.indexOf('.')
  const d2 = token.indexOf('.', d1 + 1)
  // Three non-empty segments of the base64url alphabet (decoders skip other
  // characters, so a token with junk in it could pass as a twin of a valid
  // one). The header is checked when first seen, then cached.
  if (
    token.length > maxTokenLength ||
    d1 < 1 ||
    d2 < d1 + 2 ||
    d2 === token.length - 1 ||
    token.indexOf('.', d2 + 1) !== -1 ||
    !SEGMENTS.test(token.slice(d1 + 1))
  ) {
    throw fail('access token is not a compact JWS', 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  let payload: unknown
  try {
    payload = JSON.parse(backend.decode(token.slice(d1 + 1, d2)))
  } catch {
    throw fail(
      'access token header or payload is not JSON',
      'ERR_JWT_MALFORMED',
      undefined,
      'malformed',
    )
  }
  if (!isObject(payload)) {
    throw fail(
      'access token header or payload is not a JSON object',
      'ERR_JWT_MALFORMED',
      undefined,
      'malformed',
    )
  }
  return {
    headerSegment: token.slice(0, d1),
    payload,
    input: token.slice(0, d2),
    signature: token.slice(d2 + 1),
  }
}

/**
 * @internal The checked header: from the issuer's cache of header segments
 * (`IssuerState.headers`), or decoded and checked now.
 */
export function headerOf(
  segment: string,
  headers: Map<string, VerifiedHeader>,
  backend: SignatureBackend,
): VerifiedHeader {
  const cached = headers.get(segment)
  if (cached) return cached
  if (!SEGMENT.test(segment)) {
    throw fail('access token is not a compact JWS', 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  let header: unknown
  try {
    header = JSON.parse(backend.decode(segment))
  } catch {
    throw fail(
      'access token header or payload is not JSON',
      'ERR_JWT_MALFORMED',
      undefined,
      'malformed',
    )
  }
  if (!isObject(header)) {
    throw fail(
      'access token header or payload is not a JSON object',
      'ERR_JWT_MALFORMED',
      undefined,
      'malformed',
    )
  }
  // Frozen: every token with this header segment gets this very object.
  const checked = Object.freeze(checkHeader(header))
  if (headers.size >= MAX_CACHED_HEADERS) headers.clear()
  headers.set(segment, checked)
  return checked
}

function checkHeader(header: Record<string, unknown>): VerifiedHeader {
  const { alg, kid, typ } = header
  if (typeof alg !== 'string') {
    throw fail(
      'access token alg (missing) is not allowed',
      'ERR_JWT_ALG_NOT_ALLOWED',
      'alg',
      'not_allowed',
    )
  }
  if (kid !== undefined && typeof kid !== 'string') {
    throw fail('access token kid is not a string', 'ERR_JWT_MALFORMED', 'kid', 'malformed')
  }
  if (header.crit !== undefined || header.b64 !== undefined) {
    throw fail(
      'access token uses unsupported JWS extensions',
      'ERR_JWT_MALFORMED',
      'crit',
      'unsupported',
    )
  }
  if (typ !== undefined && (typeof typ !== 'string' || !AT_TYP.has(typ.toLowerCase()))) {
    throw fail('access token typ is not JWT or at+jwt', 'ERR_JWT_CLAIM_INVALID', 'typ', 'mismatch')
  }
  const out: VerifiedHeader = { alg }
  if (kid !== undefined) out.kid = kid
  if (typ !== undefined) out.typ = typ as string
  return out
}

/** The algorithm must be allowed for the issuer (its advertised ones are known once discovered). */
export function checkAlg(header: VerifiedHeader, algorithms: ReadonlySet<string>): void {
  const alg = header.alg
  if (!algorithms.has(alg)) {
    throw fail(
      // The header is the sender's: echo only what looks like an algorithm name.
      `access token alg ${/^[\w+-]{1,32}$/.test(alg) ? alg : '(invalid)'} is not allowed`,
      'ERR_JWT_ALG_NOT_ALLOWED',
      'alg',
      'not_allowed',
    )
  }
}

/** @internal Verify the signature with the keys the cache has (or fetches) for the header. */
export async function checkSignature(
  backend: SignatureBackend,
  parsed: Parsed,
  header: VerifiedHeader,
  cache: JwksCache,
  call: CallOptions | undefined,
): Promise<JWK> {
  if (!canonicalBase64url(parsed.signature)) {
    // Decoders ignore unused trailing bits: refuse the twins of a valid signature.
    throw badSignature()
  }
  const selector = { alg: header.alg, kid: header.kid }
  const candidates = cache.peek(selector) ?? (await cache.resolve(selector, call))
  let lastError: unknown
  for (const jwk of candidates) {
    try {
      let ok = backend.verify(header.alg, jwk, parsed.input, parsed.signature)
      if (typeof ok !== 'boolean') ok = await ok
      if (ok) return jwk
    } catch (err) {
      lastError = err
    }
  }
  if (lastError && candidates.length === 1) throw lastError
  throw badSignature()
}

/** Whether a base64url segment (no padding) is the one encoding of its bytes: no unused bits set. */
export function canonicalBase64url(segment: string): boolean {
  const rest = segment.length % 4
  if (rest === 0) return true
  if (rest === 1) return false
  const last = B64URL.indexOf(segment[segment.length - 1]!)
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
