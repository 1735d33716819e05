import { TokenValidationError, type TokenValidationErrorCode } from '../errors.js'

/** @internal An access-token failure: `TokenValidationError` with `token: 'access_token'`. */
export function fail(
  message: string,
  code: TokenValidationErrorCode,
  claim: string | undefined,
  reason: string,
): TokenValidationError {
  return new TokenValidationError(message, {
    code,
    token: 'access_token',
    reason,
    ...(claim !== undefined && { claim }),
  })
}

/** @internal The access token's signature does not verify. */
export function badSignature(): TokenValidationError {
  return fail(
    'access token signature is invalid',
    'ERR_JWT_SIGNATURE_INVALID',
    undefined,
    'signature',
  )
}
