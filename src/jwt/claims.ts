import { TokenValidationError } from '../errors.js'
import { tokenHashOf } from '../lib/algorithms.js'
import { encodeBase64url } from '../lib/base64url.js'
import type { IdTokenClaims, ValidateIdTokenOptions } from './types.js'

/** @internal What {@link checkIdTokenClaims} needs of the validation options. */
export type ClaimCheckOptions = Pick<
  ValidateIdTokenOptions,
  | 'clientId'
  | 'nonce'
  | 'maxAge'
  | 'requireAuthTime'
  | 'expectedSubject'
  | 'accessToken'
  | 'requireAtHash'
  | 'code'
  | 'requireCHash'
>

/**
 * @internal
 * The ID-token checks that follow the signature, `iss`, `aud` and `exp`
 * (OIDC Core §3.1.3.7): `sub`, `iat`, `azp`, `nonce`, `auth_time` against
 * `max_age`, the expected subject, `at_hash` and `c_hash`. No jose: the
 * browser entry runs them too.
 */
export async function checkIdTokenClaims(
  claims: IdTokenClaims,
  alg: string,
  options: ClaimCheckOptions,
  now: number,
  tolerance: number,
): Promise<void> {
  checkIdTokenClaimsButHashes(claims, options, now, tolerance)
  await checkIdTokenHashes(claims, alg, options)
}

/**
 * @internal
 * {@link checkIdTokenClaims} but `at_hash` and `c_hash`, synchronously (the
 * verifier's hot path: it awaits {@link checkIdTokenHashes} only when a
 * call gives an access token).
 */
export function checkIdTokenClaimsButHashes(
  claims: IdTokenClaims,
  options: ClaimCheckOptions,
  now: number,
  tolerance: number,
): void {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) {
    throw fail('ID token sub is missing', 'ERR_JWT_CLAIM_INVALID', 'sub', 'missing')
  }
  if (claims.iat > now + tolerance) {
    throw fail('ID token iat is in the future', 'ERR_JWT_NOT_YET_VALID', 'iat', 'not_yet_valid')
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  if (claims.azp !== undefined && claims.azp !== options.clientId) {
    throw fail('ID token azp is not this client', 'ERR_JWT_CLAIM_INVALID', 'azp', 'mismatch')
  }
  if (audiences.length > 1 && claims.azp === undefined) {
    throw fail(
      'ID token has several audiences but no azp',
      'ERR_JWT_CLAIM_INVALID',
      'azp',
      'missing',
    )
  }
  if (options.nonce !== undefined && claims.nonce !== options.nonce) {
    throw fail(
      claims.nonce === undefined
        ? 'ID token has no nonce but one was sent'
        : 'ID token nonce does not match the authorization request',
      'ERR_NONCE_MISMATCH',
      'nonce',
      claims.nonce === undefined ? 'missing' : 'mismatch',
    )
  }
  if (options.maxAge !== undefined || options.requireAuthTime) {
    if (typeof claims.auth_time !== 'number') {
      throw fail('ID token auth_time is missing', 'ERR_JWT_CLAIM_INVALID', 'auth_time', 'missing')
    }
    if (options.maxAge !== undefined && claims.auth_time + options.maxAge + tolerance < now) {
      throw fail(
        'ID token auth_time is older than max_age allows',
        'ERR_AUTH_TIME_TOO_OLD',
        'auth_time',
        'too_old',
      )
    }
  }
  if (options.expectedSubject !== undefined && claims.sub !== options.expectedSubject) {
    throw fail('ID token sub is not the expected user', 'ERR_SUBJECT_MISMATCH', 'sub', 'mismatch')
  }
}

/** @internal The `at_hash` and `c_hash` checks of {@link checkIdTokenClaims}. */
export async function checkIdTokenHashes(
  claims: IdTokenClaims,
  alg: string,
  options: ClaimCheckOptions,
): Promise<void> {
  await checkHash(claims, 'at_hash', alg, options.accessToken, options.requireAtHash)
  await checkHash(claims, 'c_hash', alg, options.code, options.requireCHash)
}

/**
 * The `at_hash` / `c_hash` value of `value` for a JWS `alg`: the left half of
 * the hash chosen by the algorithm, base64url-encoded.
 *
 * @param value - The access token or authorization code.
 * @param alg - The ID token's `alg`, e.g. `RS256`.
 * @returns The hash to compare with the claim.
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken | OIDC Core §3.3.2.11}
 * @example
 * ```ts
 * import { tokenHash } from 'okta-oauth-kit'
 * const atHash = await tokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')
 * // '77QmUPtjPfzWtF2AnpK9RQ' (the OIDC Core example)
 * ```
 */
export async function tokenHash(value: string, alg: string): Promise<string> {
  const hash = hashFor(alg)
  const digest = new Uint8Array(await crypto.subtle.digest(hash, new TextEncoder().encode(value)))
  return encodeBase64url(digest.slice(0, digest.length / 2))
}

function hashFor(alg: string): 'SHA-256' | 'SHA-384' | 'SHA-512' {
  const hash = tokenHashOf(alg)
  if (hash) return hash
  throw new TokenValidationError(`no token hash is defined for alg ${alg}`, {
    code: 'ERR_JWT_ALG_NOT_ALLOWED',
    token: 'id_token',
    claim: 'alg',
    reason: 'unsupported',
  })
}

async function checkHash(
  claims: IdTokenClaims,
  claim: 'at_hash' | 'c_hash',
  alg: string,
  value: string | undefined,
  required: boolean | undefined,
): Promise<void> {
  const present = claims[claim]
  if (present === undefined) {
    if (required)
      throw fail(`ID token ${claim} is missing`, 'ERR_TOKEN_HASH_MISMATCH', claim, 'missing')
    return
  }
  if (value === undefined) return
  if (present !== (await tokenHash(value, alg))) {
    throw fail(`ID token ${claim} does not match`, 'ERR_TOKEN_HASH_MISMATCH', claim, 'mismatch')
  }
}

/** @internal A TokenValidationError about an ID token. */
export function fail(
  message: string,
  code: TokenValidationError['code'],
  claim: string | undefined,
  reason: string,
): TokenValidationError {
  return new TokenValidationError(message, {
    code,
    token: 'id_token',
    reason,
    ...(claim !== undefined && { claim }),
  })
}
