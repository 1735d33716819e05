import { TokenValidationError } from '../errors.js'
import { fail } from './fail.js'
import type {
  AccessTokenClaims,
  ClaimAssertion,
  ScopeRequirement,
  VerifiedAccessToken,
  VerifyAccessTokenOptions,
} from './types.js'

// The per-call requirements of verifyAccessToken (maxAge, scopes, claims),
// checked on every call, cached result or not.

/** @internal Check the call's `maxAge`, `scopes` and `claims` against a verified token. */
export function checkRequirements(
  result: VerifiedAccessToken,
  call: VerifyAccessTokenOptions,
  now: () => number,
  tolerance: number,
): void {
  const token = 'access_token'
  if (call.maxAge !== undefined) {
    const iat = result.claims.iat
    if (typeof iat !== 'number') {
      throw fail(
        'access token iat is missing but maxAge requires it',
        'ERR_JWT_CLAIM_INVALID',
        'iat',
        'missing',
      )
    }
    if (iat + call.maxAge + tolerance < now() / 1000) {
      throw fail('access token is older than maxAge allows', 'ERR_JWT_EXPIRED', 'iat', 'too_old')
    }
  }
  if (call.scopes !== undefined) checkScopes(result, call.scopes)
  if (call.claims !== undefined) {
    for (const name of Object.keys(call.claims)) {
      const assertion = call.claims[name] as ClaimAssertion
      const present = Object.hasOwn(result.claims, name)
      const value = present ? result.claims[name] : undefined
      if (!present && typeof assertion !== 'function') {
        throw new TokenValidationError(`access token ${name} claim is missing`, {
          code: 'ERR_JWT_CLAIM_INVALID',
          token,
          claim: name,
          reason: 'missing',
        })
      }
      if (!assertClaim(assertion, value, result.claims)) {
        throw new TokenValidationError(
          `access token ${name} claim does not satisfy the assertion`,
          {
            code: 'ERR_JWT_CLAIM_INVALID',
            token,
            claim: name,
            reason: present ? 'mismatch' : 'missing',
          },
        )
      }
    }
  }
}

function assertClaim(
  assertion: ClaimAssertion,
  value: unknown,
  claims: AccessTokenClaims,
): boolean {
  if (typeof assertion === 'function') {
    try {
      return assertion(value, claims) === true
    } catch {
      return false
    }
  }
  if (assertion === null || typeof assertion !== 'object') return value === assertion
  if ('oneOf' in assertion) return assertion.oneOf.some((v) => v === value)
  const wanted = Array.isArray(assertion.includes) ? assertion.includes : [assertion.includes]
  const have: unknown[] = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(' ')
      : []
  return wanted.every((w) => have.includes(w))
}

function checkScopes(result: VerifiedAccessToken, requirement: ScopeRequirement): void {
  const granted = result.scopes
  const allOf = isScopeList(requirement) ? requirement : (requirement.allOf ?? [])
  const anyOf = isScopeList(requirement) ? [] : (requirement.anyOf ?? [])
  let ok = anyOf.length === 0 || anyOf.some((s) => granted.includes(s))
  for (let i = 0; ok && i < allOf.length; i++) ok = granted.includes(allOf[i]!)
  if (ok) return
  const missing = allOf.filter((s) => !granted.includes(s))
  const required = missing.length > 0 ? [...allOf] : [...anyOf]
  throw new TokenValidationError(
    missing.length > 0
      ? `access token lacks required scope(s): ${missing.join(' ')}`
      : `access token has none of the scopes: ${anyOf.join(' ')}`,
    {
      code: 'ERR_INSUFFICIENT_SCOPE',
      token: 'access_token',
      claim: result.claims.scp !== undefined ? 'scp' : 'scope',
      reason: 'insufficient_scope',
      requiredScopes: required,
    },
  )
}

function isScopeList(r: ScopeRequirement): r is readonly string[] {
  return Array.isArray(r)
}
