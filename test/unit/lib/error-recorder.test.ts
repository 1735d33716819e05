import { describe, expect, it } from 'vitest'
import {
  InvalidOptionError,
  InvalidResponseError,
  OAuthResponseError,
  TokenValidationError,
} from '../../../src/index.js'
import { takeLeaks } from '../../setup/errors.js'

// The recorder of test/setup/errors.ts sees every SDK error the suite
// constructs and fails a test file whose errors print secrets. This proves
// it sees them: errors made here on purpose are found, then cleared.

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.c2lnbmF0dXJlLXZhbHVl'

describe('the error recorder of the whole suite', () => {
  it('finds a JWT, a verifier, a sealed cookie and a known secret in any SDK error class', () => {
    takeLeaks()
    new InvalidResponseError(`bad ${JWT}`)
    new TokenValidationError('x', {
      code: 'ERR_JWT_MALFORMED',
      token: 'jwt',
      reason: 'r',
      cause: new Error('verifier dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
    })
    new InvalidOptionError(`cookie eyJhbGciOiJkaXIifQ..aXZpdmFsdWUx.Y2lwaGVy.dGFn`)
    new InvalidOptionError('password correct horse battery staple')
    const leaks = takeLeaks()
    expect(leaks).toHaveLength(4)
    expect(leaks.join('\n')).toMatch(/a JWT[\s\S]*a verifier[\s\S]*a sealed cookie[\s\S]*a secret/)
  })

  it('lets key ids, server-written text and ordinary messages through', () => {
    takeLeaks()
    // What the server wrote is shown by design, whatever it holds.
    new OAuthResponseError(undefined, {
      error: 'invalid_grant',
      errorDescription: `bad ${JWT}`,
      status: 400,
    })
    new InvalidOptionError(`the new key ${'k'.repeat(43)} was not published`)
    new TokenValidationError('access token has expired', {
      code: 'ERR_JWT_EXPIRED',
      token: 'access_token',
      reason: 'expired',
    })
    expect(takeLeaks()).toEqual([])
  })
})
