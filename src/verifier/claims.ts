import { fail } from './fail.js'
import { JWT_TYP } from './jws.js'
import type { AccessTokenClaims, VerifiedAccessToken, VerifiedHeader } from './types.js'

// The claims every access token must pass (exp, nbf, iat, aud), and the
// result read from them; the call's requirements come after (requirements.ts).

/**
 * @internal Check `exp`, `nbf`, `iat` (within `tolerance` seconds) and `aud`,
 * and read the result: format, scopes, client, subject, user.
 */
export function checkClaims(
  payload: Record<string, unknown>,
  header: VerifiedHeader,
  issuer: string,
  audiences: readonly string[],
  tolerance: number,
  now: () => number,
): VerifiedAccessToken {
  const t = now() / 1000
  const { aud, exp, nbf, iat } = payload
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw fail('access token exp is missing', 'ERR_JWT_CLAIM_INVALID', 'exp', 'missing')
  }
  if (exp <= t - tolerance)
    throw fail('access token has expired', 'ERR_JWT_EXPIRED', 'exp', 'expired')
  if (nbf !== undefined) {
    if (typeof nbf !== 'number')
      throw fail('access token nbf is not a number', 'ERR_JWT_CLAIM_INVALID', 'nbf', 'malformed')
    if (nbf > t + tolerance) {
      throw fail(
        'access token nbf is in the future',
        'ERR_JWT_NOT_YET_VALID',
        'nbf',
        'not_yet_valid',
      )
    }
  }
  if (iat !== undefined) {
    if (typeof iat !== 'number')
      throw fail('access token iat is not a number', 'ERR_JWT_CLAIM_INVALID', 'iat', 'malformed')
    if (iat > t + tolerance) {
      throw fail(
        'access token iat is in the future',
        'ERR_JWT_NOT_YET_VALID',
        'iat',
        'not_yet_valid',
      )
    }
  }
  if (!audienceMatches(aud, audiences)) {
    throw fail(
      aud === undefined
        ? 'access token aud is missing'
        : 'access token aud is not this resource server',
      'ERR_JWT_CLAIM_INVALID',
      'aud',
      aud === undefined ? 'missing' : 'mismatch',
    )
  }
  const claims = payload as AccessTokenClaims
  const rfc9068 = header.typ !== undefined && !JWT_TYP.has(header.typ.toLowerCase())
  const clientId =
    typeof claims.cid === 'string'
      ? claims.cid
      : typeof claims.client_id === 'string'
        ? claims.client_id
        : undefined
  const result: {
    -readonly [K in keyof VerifiedAccessToken]: VerifiedAccessToken[K]
  } = {
    claims,
    header,
    issuer,
    scopes: scopesOf(claims),
    expiresAt: exp,
    format: rfc9068 ? 'rfc9068' : 'okta',
  }
  if (clientId !== undefined) result.clientId = clientId
  if (typeof claims.sub === 'string') result.subject = claims.sub
  if (typeof claims.uid === 'string') result.userId = claims.uid
  return result
}

/** @internal Granted scopes, from `scp` (an array) or `scope` (space-separated). */
export function scopesOf(claims: AccessTokenClaims): readonly string[] {
  const scp = claims.scp
  if (Array.isArray(scp)) {
    // Usually all strings: hand the array out as is, without a copy.
    for (const s of scp) {
      if (typeof s !== 'string') return scp.filter((x): x is string => typeof x === 'string')
    }
    return scp
  }
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter(Boolean)
  return []
}

/** @internal Whether `aud` (a string or an array) names one of `audiences`. */
export function audienceMatches(aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud === 'string') return audiences.includes(aud)
  if (Array.isArray(aud)) return aud.some((a) => typeof a === 'string' && audiences.includes(a))
  return false
}
