import type { TokenKind } from '../errors.js'
import { TokenValidationError, type TokenValidationErrorCode } from '../errors.js'
import { printable } from '../lib/printable.js'

// Neither a token's `iss` nor the trusted issuers are secret, and showing both
// is what makes a misconfiguration (a trailing slash, the org server instead of
// a custom one) obvious. The `iss` comes from whoever sent the token, though:
// it is cut short and escaped before it goes into a message or a field.

/** Trusted issuers listed in the message (all of them are in `expected`). */
const MAX_LISTED = 3

/**
 * @internal
 * The error for a token whose `iss` is missing or not one of `trusted`:
 * `ERR_JWT_CLAIM_INVALID` (or `code`), `claim: 'iss'`, `reason` `missing` or
 * `mismatch`, with `actual` (the token's `iss`, escaped) and `expected`.
 */
export function untrustedIssuer(
  token: TokenKind,
  iss: unknown,
  trusted: readonly string[],
  code: TokenValidationErrorCode = 'ERR_JWT_CLAIM_INVALID',
): TokenValidationError {
  const what = token === 'id_token' ? 'ID token' : 'access token'
  const listed = trusted
    .slice(0, MAX_LISTED)
    .map((i) => `"${printable(i)}"`)
    .join(', ')
  const more = trusted.length > MAX_LISTED ? `, … (${trusted.length} in all)` : ''
  const expected = `expected ${trusted.length === 1 ? '' : 'one of '}${listed}${more}`
  if (typeof iss !== 'string') {
    return new TokenValidationError(`${what} iss is missing (${expected})`, {
      code,
      token,
      claim: 'iss',
      reason: 'missing',
      expected: [...trusted],
    })
  }
  const actual = printable(iss)
  return new TokenValidationError(`${what} iss "${actual}" is not a trusted issuer (${expected})`, {
    code,
    token,
    claim: 'iss',
    reason: 'mismatch',
    actual,
    expected: [...trusted],
  })
}
