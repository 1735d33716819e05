/**
 * Issue 14, weakness 8: a verifier result must be the caller's own. The
 * attack: one request's handler changes what it got back (the header's `kid`,
 * a scope pushed onto `scopes` or `claims.scp`, a nested claim), and another
 * request, with the same token or another token with the same header, must
 * not see it. Results that are shared (header cache, token cache,
 * introspection cache, the JWKS cache's keys) are deeply frozen, so the change
 * throws (test files are ES modules: strict mode); results that are not
 * shared are fresh objects, so a change stays in them.
 */
import { HttpResponse } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createJwksCache, TokenValidationError } from '../../../src/verifier/index.js'
import type { VerifiedAccessToken, VerifierOptions } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  cachedResult,
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

let fake: FakeIssuer
beforeEach(async () => {
  fake = await createFakeIssuer()
  publish(fake, rs)
})

/** Claims with nested objects and arrays, so that every level can be attacked. */
const aliceClaims = () =>
  oktaClaims(ISSUER, {
    sub: 'alice@example.com',
    groups: [{ name: 'readers', tags: ['a', 'b'] }],
    profile: { address: { country: 'NZ' }, langs: ['en'] },
  })

/**
 * Try every change a handler could make to a result. Each one must either
 * throw a TypeError (frozen) or land in this caller's own copy only; which
 * one happened is returned, so a test can require the frozen outcome.
 */
function mutateEverything(result: VerifiedAccessToken): { threw: number; applied: number } {
  const r = result as any
  const attempts: (() => void)[] = [
    () => {
      r.header.kid = 'attacker-kid'
    },
    () => {
      r.header.alg = 'none'
    },
    () => {
      delete r.header.typ
    },
    () => {
      r.scopes.push('admin')
    },
    () => {
      r.scopes[0] = 'admin'
    },
    () => {
      r.claims.scp.push('admin')
    },
    () => {
      r.claims.scp.length = 0
    },
    () => {
      r.claims.sub = 'mallory@example.com'
    },
    () => {
      r.claims.admin = true
    },
    () => {
      delete r.claims.exp
    },
    () => {
      r.claims.groups[0].name = 'admins'
    },
    () => {
      r.claims.groups[0].tags.push('root')
    },
    () => {
      r.claims.groups.push({ name: 'admins' })
    },
    () => {
      r.claims.profile.address.country = 'XX'
    },
    () => {
      r.claims.profile.langs.push('xx')
    },
    () => {
      r.subject = 'mallory@example.com'
    },
    () => {
      r.expiresAt = NOW_S + 10 ** 9
    },
  ]
  let threw = 0
  let applied = 0
  for (const attempt of attempts) {
    try {
      attempt()
      applied++
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError)
      threw++
    }
  }
  return { threw, applied }
}

/** The result of an untouched verification of `aliceClaims()`. */
function expectPristine(result: VerifiedAccessToken) {
  expect(result.header).toEqual({ alg: 'RS256', kid: rs.kid, typ: 'JWT' })
  expect(result.scopes).toEqual(['openid', 'orders:read'])
  expect(result.subject).toBe('alice@example.com')
  expect(result.claims).toEqual(aliceClaims())
}

describe.each(BACKENDS)('verifier results are the caller’s own on $name', ({ createVerifier }) => {
  const make = (extra: Partial<VerifierOptions> = {}) =>
    createVerifier({ issuer: ISSUER, audience: AUDIENCE, now: () => T0, ...extra })

  it.each([
    { tokenCache: true, frozen: true },
    { tokenCache: false, frozen: false },
  ])(
    'tokenCache $tokenCache: a changed result reaches no other call',
    async ({ tokenCache, frozen }) => {
      const verifier = make({ tokenCache })
      const alice = await sign(rs, aliceClaims())
      // Another user's token with the very same header segment (alg, kid, typ).
      const bob = await sign(rs, oktaClaims(ISSUER, { sub: 'bob@example.com', jti: 'AT.bob' }))
      expect(bob.split('.')[0]).toBe(alice.split('.')[0])

      // With the cache on, the result it hands every caller (from a token's second call on).
      const first = tokenCache
        ? await cachedResult(() => verifier.verifyAccessToken(alice))
        : await verifier.verifyAccessToken(alice)
      expectPristine(first)
      const { threw, applied } = mutateEverything(first)
      // The header is shared by every token with this header: always frozen.
      expect(Object.isFrozen(first.header)).toBe(true)
      if (frozen) {
        expect(applied).toBe(0)
        for (const part of [
          first,
          first.claims,
          first.scopes,
          first.claims.scp,
          (first.claims.groups as any)[0].tags,
          (first.claims.profile as any).address,
        ]) {
          expect(Object.isFrozen(part)).toBe(true)
        }
      } else {
        // The header's three changes threw; the rest changed this caller's own copy.
        expect(threw).toBe(3)
      }

      // The same token again: as first verified, and a scope "granted" by
      // mutation is not there.
      const again = await verifier.verifyAccessToken(alice, { scopes: ['orders:read'] })
      expectPristine(again)
      const denied = await rejection(verifier.verifyAccessToken(alice, { scopes: ['admin'] }))
      expect(denied).toBeInstanceOf(TokenValidationError)
      expect(denied.code).toBe('ERR_INSUFFICIENT_SCOPE')

      // Another user's valid token with the same header still verifies, with its own kid.
      const other = await verifier.verifyAccessToken(bob, { scopes: ['orders:read'] })
      expect(other.header).toEqual({ alg: 'RS256', kid: rs.kid, typ: 'JWT' })
      expect(other.subject).toBe('bob@example.com')
    },
  )

  it('an RFC 9068 token’s scopes (split from `scope`) are frozen with the cached result', async () => {
    const verifier = make({ tokenCache: true })
    const token = await sign(
      rs,
      oktaClaims(ISSUER, { scp: undefined, scope: 'openid orders:read', client_id: '0oa1' }),
      { typ: 'at+jwt' },
    )
    const first = await cachedResult(() => verifier.verifyAccessToken(token))
    expect(first.format).toBe('rfc9068')
    expect(() => (first.scopes as string[]).push('admin')).toThrow(TypeError)
    const again = await verifier.verifyAccessToken(token)
    expect(again.scopes).toEqual(['openid', 'orders:read'])
  })

  it('a cached introspection answer cannot be changed by one caller for the next', async () => {
    fake.on('/v1/introspect', () =>
      HttpResponse.json({
        active: true,
        scope: 'openid orders:read',
        sub: 'alice@example.com',
        aud: AUDIENCE,
        iss: ISSUER,
        exp: NOW_S + 3600,
        token_type: 'Bearer',
        client_id: '0oaclient',
        groups: [{ name: 'readers' }],
      }),
    )
    const verifier = make({
      introspection: {
        clientId: '0oaresource',
        auth: { method: 'client_secret_basic', clientSecret: 'resource-secret' },
      },
    })
    const opaque = 'opaque-token.ABC_123'
    const first = await verifier.verifyAccessToken(opaque)
    const r = first as any
    expect(() => (first.scopes as string[]).push('admin')).toThrow(TypeError)
    expect(() => {
      r.claims.scope = 'openid admin'
    }).toThrow(TypeError)
    expect(() => {
      r.claims.groups[0].name = 'admins'
    }).toThrow(TypeError)
    const again = await verifier.verifyAccessToken(opaque, { scopes: ['orders:read'] })
    expect(again.scopes).toEqual(['openid', 'orders:read'])
    expect(again.claims.scope).toBe('openid orders:read')
    expect(again.claims.groups).toEqual([{ name: 'readers' }])
    expect(fake.requestsTo('/v1/introspect')).toHaveLength(1)
  })
})

describe('JWKS cache keys are the cache’s own', () => {
  it('the key set and the keys resolve() hands out are frozen', async () => {
    const cache = createJwksCache({ jwksUri: `${ISSUER}/v1/keys` })
    const keys = await cache.resolve({ alg: 'RS256', kid: rs.kid })
    expect(() => (keys as unknown[]).push({ kty: 'RSA', n: 'attacker', e: 'AQAB' })).toThrow(
      TypeError,
    )
    expect(() => {
      ;(keys[0] as any).n = 'attacker'
    }).toThrow(TypeError)
    expect(() => {
      ;(cache.jwks!.keys as unknown[]).length = 0
    }).toThrow(TypeError)
    const again = await cache.resolve({ alg: 'RS256', kid: rs.kid })
    expect(again).toEqual([rs.jwk])
  })
})
