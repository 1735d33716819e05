import { TokenValidationError } from '../errors.js'
import { checkIdTokenClaimsButHashes, checkIdTokenHashes, fail } from '../jwt/claims.js'
import type { IdTokenClaims } from '../jwt/types.js'
import { normalizeIssuer } from '../lib/issuer.js'
import type { SignatureBackend } from './backend.js'
import { audienceMatches } from './claims.js'
import { cachesOf, type IssuerContext, type IssuerState } from './issuers.js'
import { canonicalBase64url, checkAlg, checkSignature, parse } from './jws.js'
import type { TokenCache } from './token-cache.js'
import type { VerifiedHeader, VerifyIdTokenOptions } from './types.js'
import { untrustedIssuer } from './untrusted-issuer.js'

// Verifier.verifyIdToken on the verifier's own signature backend (node:crypto
// on Node) and its token cache: the checks of validateIdToken (OIDC Core
// §3.1.3.7, as jose.jwtVerify and checkIdTokenClaims run them), without jose.

/**
 * @internal A cached ID token: its claims and the requirements they were
 * verified against. An entry answers only a call with the very same
 * requirements; any other call verifies the token afresh (and replaces it).
 */
export interface CachedIdToken {
  readonly claims: IdTokenClaims
  readonly clientId: string
  readonly nonce: string | undefined
  readonly maxAge: number | undefined
  readonly accessToken: string | undefined
}

/** @internal What {@link createIdTokenVerifier} needs of its verifier. */
export interface IdTokenDeps {
  backend: SignatureBackend
  states: ReadonlyMap<string, IssuerState>
  issuers: readonly string[]
  context: IssuerContext
  tolerance: number
  now: () => number
  maxTokenLength: number
  /** The ID-token cache, or `undefined` when the token cache is off. */
  cache: TokenCache<CachedIdToken> | undefined
}

/** Checked ID-token headers kept, by their encoded segment. */
const MAX_CACHED_HEADERS = 64

/** @internal `Verifier.verifyIdToken` for one verifier. */
export function createIdTokenVerifier(
  deps: IdTokenDeps,
): (token: string, call: VerifyIdTokenOptions) => Promise<IdTokenClaims> {
  const { backend, states, issuers, context, tolerance, now, maxTokenLength, cache } = deps
  const headers = new Map<string, VerifiedHeader>()

  return async function verifyIdToken(token, call) {
    if (typeof token !== 'string' || token.length === 0) {
      throw fail('ID token is missing', 'ERR_JWT_MALFORMED', undefined, 'missing')
    }
    if (cache) {
      const hit = cache.get(token, now)
      if (
        hit !== undefined &&
        hit.clientId === call.clientId &&
        hit.nonce === call.nonce &&
        hit.maxAge === call.maxAge &&
        hit.accessToken === call.accessToken
      ) {
        return hit.claims
      }
    }
    let parsed: ReturnType<typeof parse>
    try {
      parsed = parse(token, backend, maxTokenLength)
    } catch {
      throw fail('ID token is malformed', 'ERR_JWT_MALFORMED', undefined, 'malformed')
    }
    const iss = parsed.payload.iss
    const state = typeof iss === 'string' ? states.get(normalizeIssuer(iss)) : undefined
    if (!state) throw untrustedIssuer('id_token', iss, issuers)
    const keys = state.jwks ?? (await cachesOf(state, context, call))
    const header = headerOf(parsed.headerSegment, headers, backend)
    try {
      checkAlg(header, state.algorithms)
    } catch {
      throw fail('ID token alg is not allowed', 'ERR_JWT_ALG_NOT_ALLOWED', 'alg', 'not_allowed')
    }
    let jwk: Awaited<ReturnType<typeof checkSignature>>
    // The key at hand and one candidate: verify here, waiting only on a pool verification.
    const candidates = keys.peek({ alg: header.alg, kid: header.kid })
    if (candidates?.length === 1 && canonicalBase64url(parsed.signature)) {
      jwk = candidates[0]!
      let ok = backend.verify(header.alg, jwk, parsed.input, parsed.signature)
      if (typeof ok !== 'boolean') ok = await ok
      if (!ok) throw badSignature()
    } else {
      try {
        jwk = await checkSignature(backend, parsed, header, keys, call)
      } catch (err) {
        if (err instanceof TokenValidationError && err.code === 'ERR_JWT_SIGNATURE_INVALID') {
          throw badSignature()
        }
        throw err
      }
    }
    const nowMs = now()
    const nowS = Math.floor(nowMs / 1000)
    const claims = checkRegistered(parsed.payload, call.clientId, nowS, tolerance)
    checkIdTokenClaimsButHashes(claims, call, nowS, tolerance)
    if (call.accessToken !== undefined) await checkIdTokenHashes(claims, header.alg, call)
    if (cache) {
      let until = (claims.exp + tolerance) * 1000
      if (call.maxAge !== undefined && typeof claims.auth_time === 'number') {
        until = Math.min(until, (claims.auth_time + call.maxAge + tolerance) * 1000)
      }
      const entry: CachedIdToken = {
        claims,
        clientId: call.clientId,
        nonce: call.nonce,
        maxAge: call.maxAge,
        accessToken: call.accessToken,
      }
      cache.set(token, entry, jwk, keys, until)
    }
    return claims
  }
}

/**
 * What `jose.jwtVerify` checks of an ID token's claims for `validateIdToken`:
 * `iss`, `aud`, `iat`, `exp` and `sub` present (in jose's order), `aud`
 * naming the client, `iat`/`nbf`/`exp` numbers, `nbf` and `exp` against the
 * clock. (`iss` names a trusted issuer: the caller looked it up.)
 */
function checkRegistered(
  payload: Record<string, unknown>,
  clientId: string,
  now: number,
  tolerance: number,
): IdTokenClaims {
  for (const claim of ['iss', 'aud', 'iat', 'exp', 'sub']) {
    if (!Object.hasOwn(payload, claim)) {
      throw fail(`ID token ${claim} claim is invalid`, 'ERR_JWT_CLAIM_INVALID', claim, 'missing')
    }
  }
  if (!audienceMatches(payload.aud, [clientId])) {
    throw fail('ID token aud claim is invalid', 'ERR_JWT_CLAIM_INVALID', 'aud', 'mismatch')
  }
  const { iat, nbf, exp } = payload
  if (typeof iat !== 'number') {
    throw fail('ID token iat claim is invalid', 'ERR_JWT_CLAIM_INVALID', 'iat', 'mismatch')
  }
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') {
      throw fail('ID token nbf claim is invalid', 'ERR_JWT_CLAIM_INVALID', 'nbf', 'mismatch')
    }
    if (nbf > now + tolerance) {
      throw fail('ID token nbf is in the future', 'ERR_JWT_NOT_YET_VALID', 'nbf', 'not_yet_valid')
    }
  }
  if (typeof exp !== 'number') {
    throw fail('ID token exp claim is invalid', 'ERR_JWT_CLAIM_INVALID', 'exp', 'mismatch')
  }
  if (exp <= now - tolerance)
    throw fail('ID token has expired', 'ERR_JWT_EXPIRED', 'exp', 'expired')
  return payload as IdTokenClaims
}

/** The checked header of an ID token: from `headers`, or decoded and checked now. */
function headerOf(
  segment: string,
  headers: Map<string, VerifiedHeader>,
  backend: SignatureBackend,
): VerifiedHeader {
  const cached = headers.get(segment)
  if (cached) return cached
  let header: unknown
  try {
    header = JSON.parse(backend.decode(segment))
  } catch {
    header = undefined
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw fail('ID token is malformed', 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  const { alg, kid, typ, crit, b64 } = header as Record<string, unknown>
  // jose refuses these as an invalid or unsupported JWS; so do we.
  if (
    typeof alg !== 'string' ||
    (kid !== undefined && typeof kid !== 'string') ||
    crit !== undefined ||
    b64 !== undefined
  ) {
    throw fail('ID token is malformed', 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  const checked: VerifiedHeader = { alg }
  if (kid !== undefined) checked.kid = kid
  if (typeof typ === 'string') checked.typ = typ
  Object.freeze(checked)
  if (headers.size >= MAX_CACHED_HEADERS) headers.clear()
  headers.set(segment, checked)
  return checked
}

function badSignature(): TokenValidationError {
  return fail('ID token signature is invalid', 'ERR_JWT_SIGNATURE_INVALID', undefined, 'signature')
}
