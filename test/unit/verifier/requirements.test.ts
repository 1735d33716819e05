import type { JWTPayload } from 'jose'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenValidationError } from '../../../src/verifier/index.js'
import type {
  ClaimAssertion,
  Verifier,
  VerifyAccessTokenOptions,
} from '../../../src/verifier/types.js'
import { createFakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  expectNoToken,
  makeSigner,
  NOW_S,
  oktaClaims,
  publish,
  rejection,
  type Signer,
  sign,
  T0,
} from './helpers.js'

let rs: Signer
beforeAll(async () => {
  rs = await makeSigner('RS256')
})

describe.each(BACKENDS)('scope and claim requirements on $name', ({ name, createVerifier }) => {
  let verifier: Verifier
  let okta: string
  let rfc9068: string
  beforeEach(async () => {
    const fake = await createFakeIssuer()
    publish(fake, rs)
    verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, now: () => T0 })
    expect(verifier.crypto).toBe(name)
    okta = await sign(
      rs,
      oktaClaims(ISSUER, {
        scp: ['openid', 'orders:read', 'orders:write'],
        groups: ['admins', 'staff'],
        amr: 'pwd mfa',
        tier: 2,
        verified: true,
        nothing: null,
        nested: { a: 1 },
      }),
    )
    rfc9068 = await sign(
      rs,
      {
        iss: ISSUER,
        aud: AUDIENCE,
        exp: NOW_S + 300,
        iat: NOW_S - 10,
        client_id: '0oa9068',
        scope: 'orders:read profile',
      },
      { typ: 'at+jwt' },
    )
  })

  const ok = (token: string, options: VerifyAccessTokenOptions) =>
    verifier.verifyAccessToken(token, options)

  async function refused(
    token: string,
    options: VerifyAccessTokenOptions,
    expected: Record<string, unknown>,
  ) {
    const err = await rejection(verifier.verifyAccessToken(token, options))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ token: 'access_token', ...expected })
    expectNoToken(err, token)
    return err as TokenValidationError
  }

  describe('scopes', () => {
    it('a list means all of them', async () => {
      expect((await ok(okta, { scopes: ['orders:read', 'orders:write'] })).scopes).toEqual([
        'openid',
        'orders:read',
        'orders:write',
      ])
      expect((await ok(okta, { scopes: [] })).format).toBe('okta')
      const err = await refused(
        okta,
        { scopes: ['orders:read', 'orders:delete'] },
        { code: 'ERR_INSUFFICIENT_SCOPE', claim: 'scp', reason: 'insufficient_scope' },
      )
      expect(err.requiredScopes).toEqual(['orders:read', 'orders:delete'])
      expect(err.message).toContain('orders:delete')
    })

    it('allOf and anyOf', async () => {
      await ok(okta, { scopes: { allOf: ['openid'], anyOf: ['orders:delete', 'orders:write'] } })
      await ok(okta, { scopes: { anyOf: ['x', 'orders:read'] } })
      await ok(okta, { scopes: {} })
      const any = await refused(
        okta,
        { scopes: { anyOf: ['orders:delete', 'admin'] } },
        { code: 'ERR_INSUFFICIENT_SCOPE', claim: 'scp', reason: 'insufficient_scope' },
      )
      expect(any.requiredScopes).toEqual(['orders:delete', 'admin'])
      const all = await refused(
        okta,
        { scopes: { allOf: ['openid', 'admin'], anyOf: ['orders:read'] } },
        { code: 'ERR_INSUFFICIENT_SCOPE', claim: 'scp' },
      )
      expect(all.requiredScopes).toEqual(['openid', 'admin'])
    })

    it('reads RFC 9068 scope strings and names the scope claim', async () => {
      expect((await ok(rfc9068, { scopes: ['profile', 'orders:read'] })).scopes).toEqual([
        'orders:read',
        'profile',
      ])
      const err = await refused(
        rfc9068,
        { scopes: ['orders:write'] },
        { code: 'ERR_INSUFFICIENT_SCOPE', claim: 'scope', reason: 'insufficient_scope' },
      )
      expect(err.requiredScopes).toEqual(['orders:write'])
    })

    it('a token without any scope claim satisfies no requirement', async () => {
      const bare = await sign(rs, { iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 60 })
      await refused(
        bare,
        { scopes: ['openid'] },
        { code: 'ERR_INSUFFICIENT_SCOPE', claim: 'scope' },
      )
      // Non-string entries of scp are ignored.
      const odd = await sign(rs, oktaClaims(ISSUER, { scp: ['a', 1, null, 'b'] as never }))
      expect((await ok(odd, {})).scopes).toEqual(['a', 'b'])
      await refused(odd, { scopes: ['1'] }, { code: 'ERR_INSUFFICIENT_SCOPE', claim: 'scp' })
    })
  })

  describe('claims', () => {
    it('equality, null, numbers and booleans', async () => {
      await ok(okta, {
        claims: { cid: '0oaclient', tier: 2, verified: true, nothing: null, ver: 1 },
      })
      await refused(
        okta,
        { claims: { cid: '0oaother' } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'cid', reason: 'mismatch' },
      )
      await refused(
        okta,
        { claims: { tier: '2' } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'tier', reason: 'mismatch' },
      )
      await refused(
        okta,
        { claims: { cid: null } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'cid', reason: 'mismatch' },
      )
      // An object claim never equals a primitive.
      await refused(
        okta,
        { claims: { nested: '[object Object]' } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'nested', reason: 'mismatch' },
      )
    })

    it('oneOf', async () => {
      await ok(okta, { claims: { cid: { oneOf: ['0oaother', '0oaclient'] } } })
      await ok(okta, { claims: { nothing: { oneOf: [null] } } })
      await refused(
        okta,
        { claims: { cid: { oneOf: ['0oaother'] } } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'cid', reason: 'mismatch' },
      )
      await refused(
        okta,
        { claims: { cid: { oneOf: [] } } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'cid', reason: 'mismatch' },
      )
    })

    it('includes on an array claim and on a space-separated string', async () => {
      await ok(okta, { claims: { groups: { includes: 'admins' } } })
      await ok(okta, { claims: { groups: { includes: ['staff', 'admins'] } } })
      await ok(okta, { claims: { amr: { includes: ['mfa', 'pwd'] } } })
      await ok(rfc9068, { claims: { scope: { includes: 'profile' } } })
      await refused(
        okta,
        { claims: { groups: { includes: ['admins', 'root'] } } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'groups', reason: 'mismatch' },
      )
      // A substring is not a member.
      await refused(
        okta,
        { claims: { amr: { includes: 'mf' } } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'amr', reason: 'mismatch' },
      )
      // A number claim contains nothing.
      await refused(
        okta,
        { claims: { tier: { includes: 2 } } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'tier', reason: 'mismatch' },
      )
    })

    it('predicates: true passes, false and throwing fail', async () => {
      const seen: unknown[] = []
      await ok(okta, {
        claims: {
          tier: (value, claims) => {
            seen.push(value, claims.cid)
            return typeof value === 'number' && value > 1
          },
        },
      })
      expect(seen).toEqual([2, '0oaclient'])
      await refused(
        okta,
        { claims: { tier: (value) => value === 3 } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'tier', reason: 'mismatch' },
      )
      const err = await refused(
        okta,
        {
          claims: {
            tier: () => {
              throw new Error('boom')
            },
          },
        },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'tier', reason: 'mismatch' },
      )
      expect(err.message).not.toContain('boom')
      // Truthy is not true.
      await refused(
        okta,
        { claims: { tier: (() => 1) as unknown as ClaimAssertion } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'tier', reason: 'mismatch' },
      )
      // A predicate may accept a missing claim.
      await ok(okta, { claims: { absent: (value) => value === undefined } })
      await refused(
        okta,
        { claims: { absent: (value) => value !== undefined } },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'absent', reason: 'missing' },
      )
    })

    it('a missing claim fails with reason missing', async () => {
      for (const assertion of [
        'x',
        null,
        0,
        false,
        { oneOf: [null] },
        { includes: 'x' },
      ] as ClaimAssertion[]) {
        await refused(
          okta,
          { claims: { tenant: assertion } },
          { code: 'ERR_JWT_CLAIM_INVALID', claim: 'tenant', reason: 'missing' },
        )
      }
    })

    it('inherited names never pass', async () => {
      for (const claim of [
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'valueOf',
        'isPrototypeOf',
      ]) {
        const claims: Record<string, ClaimAssertion> = {}
        Object.defineProperty(claims, claim, {
          value: (v: unknown) => v !== undefined,
          enumerable: true,
        })
        await refused(okta, { claims }, { code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'missing' })
        const includes: Record<string, ClaimAssertion> = {}
        Object.defineProperty(includes, claim, { value: { includes: 'x' }, enumerable: true })
        await refused(
          okta,
          { claims: includes },
          { code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'missing' },
        )
      }
    })

    it('an own __proto__ claim in the token is an ordinary claim', async () => {
      const token = await sign(rs, { ...oktaClaims(ISSUER), ['__proto__']: 'x' } as JWTPayload)
      const claims: Record<string, ClaimAssertion> = {}
      Object.defineProperty(claims, '__proto__', { value: 'x', enumerable: true })
      const result = await ok(token, { claims })
      expect(Object.hasOwn(result.claims, '__proto__')).toBe(true)
      // And it did not change the claims' prototype.
      expect(Object.getPrototypeOf(result.claims)).toBe(Object.prototype)
    })
  })

  describe('maxAge', () => {
    it('measures the age from iat, with the tolerance', async () => {
      // iat is 60 s ago.
      await ok(okta, { maxAge: 60 })
      await ok(okta, { maxAge: 30 })
      await refused(
        okta,
        { maxAge: 29 },
        { code: 'ERR_JWT_EXPIRED', claim: 'iat', reason: 'too_old' },
      )
      const noIat = await sign(rs, oktaClaims(ISSUER, { iat: undefined }))
      await ok(noIat, {})
      await refused(
        noIat,
        { maxAge: 3600 },
        { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iat', reason: 'missing' },
      )
    })
  })
})
