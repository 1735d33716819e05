import type { TokenKind } from '../errors.js'
import { TokenValidationError, type TokenValidationErrorCode } from '../errors.js'

// Neither a token's `iss` nor the trusted issuers are secret, and showing both
// is what makes a misconfiguration (a trailing slash, the org server instead of
// a custom one) obvious. The `iss` comes from whoever sent the token, though:
// it is cut short and escaped before it goes into a message or a field.

/** Longest `iss` shown, in characters. */
const MAX_SHOWN = 200
/** Trusted issuers listed in the message (all of them are in `expected`). */
const MAX_LISTED = 3

/**
 * @internal
 * A value from a token, fit for a message or a log line: at most 200
 * characters (then `…`), escaped like the inside of a JSON string, plus DEL,
 * C1 controls and the Unicode line separators.
 */
export function shown(value: string): string {
  const cut = value.length > MAX_SHOWN
  const json = JSON.stringify(cut ? value.slice(0, MAX_SHOWN) : value).slice(1, -1)
  const escaped = json.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return cut ? `${escaped}…` : escaped
}

/**
 * @internal
 * The error for a token whose `iss` is missing or not one of `trusted`:
 * `ERR_JWT_CLAIM_INVALID` (or `code`), `claim: 'iss'`, `reason` `missing` or
 * `mismatch`, with `actual` (the token's `iss`, {@link shown}) and `expected`.
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
    .map((i) => `"${shown(i)}"`)
    .join(', ')
  const more = trusted.length > MAX_LISTED ? `, … (${trusted.length} in all)` : ''
  const expected = `expected ${trusted.length === 1 ? '' : 'one of '}${listed}${more}`
  if (typeof iss !== 'string') {
    return new TokenValidationError(`${what} iss is missing (${expected})`, code, {
      token,
      claim: 'iss',
      reason: 'missing',
      expected: [...trusted],
    })
  }
  const actual = shown(iss)
  return new TokenValidationError(
    `${what} iss "${actual}" is not a trusted issuer (${expected})`,
    code,
    { token, claim: 'iss', reason: 'mismatch', actual, expected: [...trusted] },
  )
}
