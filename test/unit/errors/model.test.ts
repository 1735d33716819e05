import { readFileSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { CLASSES, CODES } from '../../../src/errors/classes.js'
import * as errors from '../../../src/errors.js'
import {
  type AdminScopeErrorCode,
  type AnyOktaOAuthError,
  AuthorizationRequestError,
  type BearerTokenErrorCode,
  type BrowserAuthErrorCode,
  CallbackError,
  type CallbackErrorCode,
  type ErrorCode,
  HttpCallbackError,
  InvalidOptionError,
  type InvalidOptionErrorCode,
  type InvalidResponseErrorCode,
  isInvalidOptionError,
  isOktaOAuthError,
  type JwksErrorCode,
  type OAuthResponseError,
  type OktaApiError,
  type OktaApiErrorCode,
  OktaOAuthError,
  type RequestValidationError,
  type TimeoutError,
  TokenValidationError,
  type TokenValidationErrorCode,
} from '../../../src/index.js'

// Issue 19: an error model like jose's and ky's. Every class has a static
// and an instance code, one constructor shape, a realm-safe guard; the
// names and codes are derived, not hand-kept; InvalidOptionError and
// `instanceof OktaOAuthError` agree; the README's table is complete.

type Name = keyof typeof CODES
type Ctor = (typeof CLASSES)[keyof typeof CLASSES]
const SUBCLASSES = Object.entries(CLASSES).filter(([name]) => name !== 'OktaOAuthError') as [
  Name,
  Ctor,
][]
const codesOf = (name: Name): readonly string[] => CODES[name]
const nameOf = (Class: Ctor): string => Object.entries(CLASSES).find(([, C]) => C === Class)![0]

/** One instance of each class, made with the one constructor shape `(message, options)`. */
function sample(Class: Ctor): Error & { code: string } {
  const code = (Class as unknown as { code: string }).code
  const options = {
    code,
    status: 400,
    error: 'invalid_grant',
    timeout: 10,
    token: 'jwt',
    reason: 'r',
    rule: 'state',
    issues: [],
    requiredScope: 'okta.x.read',
  }
  return new (
    Class as unknown as new (
      m: string | undefined,
      o: object,
    ) => Error & { code: string }
  )('what failed', options)
}

/** The exported guard for a class: `is` + its name. */
function guardOf(Class: Ctor): (err: unknown) => boolean {
  const guard = (errors as Record<string, unknown>)[`is${nameOf(Class)}`]
  if (typeof guard !== 'function') throw new Error(`no guard is${nameOf(Class)}`)
  return guard as (err: unknown) => boolean
}

describe('every error class', () => {
  it.each(SUBCLASSES)(
    '%s: static and instance code, name, instanceof OktaOAuthError, its guard',
    (name, Class) => {
      const statics = Class as unknown as { code: string }
      expect(codesOf(name)).toContain(statics.code)
      const err = sample(Class)
      expect(err.code).toBe(statics.code)
      expect(err.name).toBe(name)
      expect(err.message).toBe('what failed')
      expect(err).toBeInstanceOf(Class)
      // One rule for every SDK error, InvalidOptionError (a TypeError) included.
      expect(err).toBeInstanceOf(OktaOAuthError)
      expect(isOktaOAuthError(err)).toBe(true)
      expect(guardOf(Class)(err)).toBe(true)
      for (const [otherName, Other] of SUBCLASSES) {
        const related = Other === Class || Class.prototype instanceof Other
        expect(guardOf(Other)(err), `is${otherName}`).toBe(related)
      }
      // JSON and logs show the name and the code.
      expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name, code: statics.code })
    },
  )

  it('instanceof OktaOAuthError and isOktaOAuthError agree on foreign errors too', () => {
    for (const other of [
      new Error('x'),
      new TypeError('x'),
      Object.assign(new Error('x'), { code: 'E' }),
    ]) {
      expect(other instanceof OktaOAuthError).toBe(false)
      expect(isOktaOAuthError(other)).toBe(false)
    }
    expect(new InvalidOptionError('x')).toBeInstanceOf(TypeError)
    expect(new AuthorizationRequestError('x', { rule: 'state' })).toBeInstanceOf(OktaOAuthError)
  })

  it('guards recognise errors from another realm by name and code', () => {
    const foreign = runInNewContext(
      "Object.assign(new TypeError('x'), { name: 'AuthorizationRequestError', code: 'ERR_INVALID_AUTHORIZATION_REQUEST' })",
    )
    expect(foreign instanceof Error).toBe(false)
    expect(isOktaOAuthError(foreign)).toBe(true)
    expect(isInvalidOptionError(foreign)).toBe(true)
    expect(errors.isAuthorizationRequestError(foreign)).toBe(true)
    expect(errors.isCallbackError(foreign)).toBe(false)
  })

  it('subclasses answer the guard of their parent: an HttpCallbackError is a CallbackError', () => {
    const err = new HttpCallbackError('x', { status: 405, allow: 'POST' })
    expect(errors.isCallbackError(err)).toBe(true)
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 405, allow: 'POST' })
  })

  it('fields absent from the options are absent from the error', () => {
    const err = new TokenValidationError('x', {
      code: 'ERR_JWT_EXPIRED',
      token: 'id_token',
      reason: 'expired',
    })
    expect('claim' in err).toBe(false)
    expect(Object.keys(err).sort()).toEqual(['code', 'name', 'reason', 'token'])
  })

  it('the codes of the classes are every ErrorCode, each class its own', () => {
    const owners = new Map<string, Name>()
    for (const [name, Class] of SUBCLASSES) {
      for (const code of codesOf(name)) {
        const owner = owners.get(code)
        // A subclass may share a code with its parent; unrelated classes never do.
        if (owner && !(Class.prototype instanceof CLASSES[owner])) {
          throw new Error(`${code} belongs to ${owner} and ${name}`)
        }
        if (!owner) owners.set(code, name)
      }
    }
    expect(owners.size).toBeGreaterThan(40)
  })
})

describe("the README's error table", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
  const section = readme.slice(
    readme.indexOf('\n## Errors'),
    readme.indexOf('\n## ', readme.indexOf('\n## Errors') + 1),
  )
  const rows = section.split('\n').filter((line) => line.startsWith('| `'))

  it.each(SUBCLASSES)('lists %s with every code', (name) => {
    const row = rows.find((r) => r.split('|')[1]?.includes(`\`${name}\``))
    expect(row, `a row for ${name}`).toBeDefined()
    for (const code of codesOf(name)) {
      expect(row, `${name} row lists ${code}`).toContain(`\`${code}\``)
    }
  })
})

describe('types', () => {
  it('AnyOktaOAuthError narrows on code', () => {
    const err = {} as AnyOktaOAuthError
    if (err.code === 'ERR_OAUTH_RESPONSE') expectTypeOf(err).toEqualTypeOf<OAuthResponseError>()
    if (err.code === 'ERR_TIMEOUT') expectTypeOf(err).toEqualTypeOf<TimeoutError>()
    if (err.code === 'ERR_INVALID_AUTHORIZATION_REQUEST') {
      expectTypeOf(err).toEqualTypeOf<AuthorizationRequestError>()
    }
    if (err.code === 'ERR_INVALID_REQUEST_BODY')
      expectTypeOf(err).toEqualTypeOf<RequestValidationError>()
    if (err.code === 'ERR_API_NOT_FOUND') expectTypeOf(err).toEqualTypeOf<OktaApiError>()
    expectTypeOf<AnyOktaOAuthError['code']>().toEqualTypeOf<ErrorCode>()
  })

  it('the codes of each class and the code unions agree', () => {
    expectTypeOf<
      (typeof CODES.TokenValidationError)[number]
    >().toEqualTypeOf<TokenValidationErrorCode>()
    expectTypeOf<(typeof CODES.BearerTokenError)[number]>().toEqualTypeOf<BearerTokenErrorCode>()
    expectTypeOf<(typeof CODES.JwksError)[number]>().toEqualTypeOf<JwksErrorCode>()
    expectTypeOf<(typeof CODES.OktaApiError)[number]>().toEqualTypeOf<OktaApiErrorCode>()
    expectTypeOf<(typeof CODES.AdminScopeError)[number]>().toEqualTypeOf<AdminScopeErrorCode>()
    expectTypeOf<(typeof CODES.BrowserAuthError)[number]>().toEqualTypeOf<BrowserAuthErrorCode>()
    expectTypeOf<(typeof CODES.CallbackError)[number]>().toEqualTypeOf<CallbackErrorCode>()
    expectTypeOf<
      (typeof CODES.InvalidOptionError)[number]
    >().toEqualTypeOf<InvalidOptionErrorCode>()
    expectTypeOf<
      (typeof CODES.InvalidResponseError)[number]
    >().toEqualTypeOf<InvalidResponseErrorCode>()
    type All = (typeof CODES)[keyof typeof CODES][number]
    expectTypeOf<All>().toEqualTypeOf<ErrorCode>()
  })

  it('isOktaOAuthError gives the union', () => {
    const caught: unknown = new Error()
    if (isOktaOAuthError(caught)) expectTypeOf(caught).toEqualTypeOf<AnyOktaOAuthError>()
  })
})
