import type { JWTPayload } from 'jose'
import * as joseErrors from 'jose/errors'
import { InvalidOptionError, JwksError, OktaOAuthError, TokenValidationError } from '../errors.js'
import { isForbiddenAlg } from '../lib/algorithms.js'
import { safeCause } from '../lib/cause.js'
import { DEFAULT_CLOCK_TOLERANCE } from '../lib/defaults.js'
import { normalizeIssuer } from '../lib/issuer.js'
import { lazy } from '../lib/lazy.js'
import { checkIdTokenClaims, fail } from './claims.js'
import type { IdTokenClaims, ValidateIdTokenOptions } from './types.js'

export { tokenHash } from './claims.js'
export type { IdTokenClaims, ValidateIdTokenOptions } from './types.js'

/** jose's `jwtVerify`, loaded by the first validation (importing an entry does not read it). */
const loadJwtVerify = lazy(() => import('jose/jwt/verify'))

/**
 * Validate an ID token as Okta's rules and OIDC Core §3.1.3.7 require:
 * signature (algorithm pinned), `iss` exact, `aud` contains the client id,
 * `azp`, `exp`, `iat`, `nonce` when one was sent, `auth_time` against
 * `max_age`, and `at_hash`/`c_hash` when an access token or code came with it.
 *
 * @param idToken - The compact JWS.
 * @param options - What to validate against.
 * @returns The token's claims.
 * Rejects with `TokenValidationError` (`ERR_JWT_MALFORMED`,
 * `ERR_JWT_SIGNATURE_INVALID`, `ERR_JWT_ALG_NOT_ALLOWED`, `ERR_JWT_EXPIRED`,
 * `ERR_JWT_NOT_YET_VALID`, `ERR_JWT_CLAIM_INVALID`, `ERR_NONCE_MISMATCH`,
 * `ERR_AUTH_TIME_TOO_OLD`, `ERR_TOKEN_HASH_MISMATCH`, `ERR_SUBJECT_MISMATCH`)
 * or `JwksError`.
 *
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation | OIDC Core §3.1.3.7}
 * @example
 * ```ts
 * import { createJwksCache, validateIdToken } from 'okta-oauth-kit'
 * declare const idToken: string
 * const jwks = createJwksCache({ jwksUri: 'https://example.okta.com/oauth2/default/v1/keys' })
 * const claims = await validateIdToken(idToken, {
 *   issuer: 'https://example.okta.com/oauth2/default',
 *   clientId: '0oa1example',
 *   keys: jwks.getKey,
 *   nonce: 'the-nonce-you-sent',
 * })
 * console.log(claims.sub)
 * ```
 */
export async function validateIdToken(
  idToken: string,
  options: ValidateIdTokenOptions,
): Promise<IdTokenClaims> {
  if (typeof idToken !== 'string' || idToken.length === 0) {
    throw fail('ID token is missing', 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  const algorithms = (options.algorithms ?? ['RS256']).filter((a) => !isForbiddenAlg(a))
  if (algorithms.length === 0) {
    throw new InvalidOptionError('algorithms must include at least one asymmetric algorithm')
  }
  const tolerance = options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE
  const nowMs = (options.now ?? Date.now)()
  const now = Math.floor(nowMs / 1000)

  const { jwtVerify } = await loadJwtVerify()
  let payload: JWTPayload
  let alg: string
  try {
    const result = await jwtVerify(idToken, options.keys, {
      algorithms,
      // The SDK's one issuer rule: a single trailing slash is not significant.
      issuer: [normalizeIssuer(options.issuer), `${normalizeIssuer(options.issuer)}/`],
      audience: options.clientId,
      clockTolerance: tolerance,
      currentDate: new Date(nowMs),
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    })
    payload = result.payload
    alg = result.protectedHeader.alg
  } catch (err) {
    throw fromJose(err)
  }
  const claims = payload as IdTokenClaims
  await checkIdTokenClaims(claims, alg, options, now, tolerance)
  return claims
}

/** jose error codes whose messages are fixed text or name only claims the caller asked about. */
const TRUSTED_JOSE = new Set([
  joseErrors.JWSSignatureVerificationFailed.code,
  joseErrors.JOSEAlgNotAllowed.code,
  joseErrors.JWTExpired.code,
  joseErrors.JWTClaimValidationFailed.code,
])

/** @internal Map jose's errors to TokenValidationError; jose never puts token values in messages. */
export function fromJose(err: unknown, token: TokenValidationError['token'] = 'id_token'): Error {
  if (err instanceof OktaOAuthError || err instanceof InvalidOptionError) return err
  const e = err as { code?: string; claim?: string; reason?: string; message?: string }
  const make = (
    message: string,
    code: TokenValidationError['code'],
    claim: string | undefined,
    reason: string,
  ) =>
    new TokenValidationError(message, {
      code,
      token,
      reason,
      ...(claim !== undefined && { claim }),
      cause: safeCause(err, TRUSTED_JOSE.has(e.code ?? '')),
    })
  const kind = token === 'id_token' ? 'ID token' : token === 'access_token' ? 'access token' : 'JWT'
  switch (e.code) {
    case joseErrors.JWSSignatureVerificationFailed.code:
      return make(
        `${kind} signature is invalid`,
        'ERR_JWT_SIGNATURE_INVALID',
        undefined,
        'signature',
      )
    case joseErrors.JOSEAlgNotAllowed.code:
      return make(`${kind} alg is not allowed`, 'ERR_JWT_ALG_NOT_ALLOWED', 'alg', 'not_allowed')
    case joseErrors.JWTExpired.code:
      return make(`${kind} has expired`, 'ERR_JWT_EXPIRED', 'exp', 'expired')
    case joseErrors.JWTClaimValidationFailed.code: {
      const claim = e.claim ?? 'unknown'
      if ((claim === 'nbf' || claim === 'iat') && e.reason === 'check_failed') {
        return make(
          `${kind} ${claim} is in the future`,
          'ERR_JWT_NOT_YET_VALID',
          claim,
          'not_yet_valid',
        )
      }
      return make(
        `${kind} ${claim} claim is invalid`,
        'ERR_JWT_CLAIM_INVALID',
        claim,
        e.reason === 'missing' ? 'missing' : 'mismatch',
      )
    }
    case joseErrors.JWSInvalid.code:
    case joseErrors.JWTInvalid.code:
    case joseErrors.JOSENotSupported.code:
      return make(`${kind} is malformed`, 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  if (err instanceof TypeError || err instanceof SyntaxError) {
    return make(`${kind} is malformed`, 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  if (typeof e.code === 'string' && e.code.startsWith('ERR_JWKS_')) {
    // A jose key set given as the resolver (createLocalJWKSet, createRemoteJWKSet).
    return new JwksError(
      e.code === 'ERR_JWKS_NO_MATCHING_KEY'
        ? `no key of the key set matches the ${kind}`
        : `the key set could not supply a key for the ${kind}`,
      {
        code:
          e.code === 'ERR_JWKS_NO_MATCHING_KEY'
            ? 'ERR_JWKS_NO_MATCHING_KEY'
            : 'ERR_JWKS_UNAVAILABLE',
        cause: safeCause(err),
      },
    )
  }
  if (typeof e.code === 'string' && e.code.startsWith('ERR_J')) {
    return make(`${kind} could not be verified`, 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  // A custom key resolver's own error is the caller's: passed on unchanged.
  return err instanceof Error ? err : new Error(String(err))
}
