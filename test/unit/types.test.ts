import { describe, expectTypeOf, it } from 'vitest'
import type {
  Client,
  ClientAuth,
  ErrorCode,
  IdTokenClaims,
  IntrospectionResponse,
  OAuthResponseError,
  TokenSet,
  TokenValidationError,
  UserInfo,
} from '../../src/index.js'
import { createClient, isOAuthResponseError, isTokenValidationError } from '../../src/index.js'

// Type-level tests: checked by `tsc` (npm run typecheck), and run as no-ops by vitest.
describe('public types', () => {
  it('client methods resolve to the documented shapes', () => {
    expectTypeOf<Client['password']>().returns.resolves.toEqualTypeOf<TokenSet>()
    expectTypeOf<Client['introspect']>().returns.resolves.toEqualTypeOf<IntrospectionResponse>()
    expectTypeOf<Client['userinfo']>().returns.resolves.toEqualTypeOf<UserInfo>()
    expectTypeOf<Client['revoke']>().returns.resolves.toBeVoid()
    expectTypeOf<Client['logoutUrl']>().returns.toEqualTypeOf<URL>()
    expectTypeOf<TokenSet['idTokenClaims']>().toEqualTypeOf<IdTokenClaims | undefined>()
    expectTypeOf<IdTokenClaims['sub']>().toBeString()
  })

  it('client auth is a discriminated union that requires its secret or key', () => {
    expectTypeOf<{ method: 'client_secret_basic'; clientSecret: string }>().toExtend<ClientAuth>()
    expectTypeOf<{ method: 'client_secret_basic' }>().not.toExtend<ClientAuth>()
    expectTypeOf<{ method: 'private_key_jwt' }>().not.toExtend<ClientAuth>()
    expectTypeOf<{
      method: 'client_secret_jwt'
      clientSecret: string
      algorithm: 'HS1'
    }>().not.toExtend<ClientAuth>()
    expectTypeOf(createClient).parameter(1).toHaveProperty('clientId').toBeString()
  })

  it('guards narrow and errors carry their data', () => {
    const err: unknown = new Error()
    if (isOAuthResponseError(err)) expectTypeOf(err).toEqualTypeOf<OAuthResponseError>()
    if (isTokenValidationError(err)) expectTypeOf(err.claim).toEqualTypeOf<string | undefined>()
    expectTypeOf<TokenValidationError['code']>().toExtend<ErrorCode>()
    expectTypeOf<OAuthResponseError['status']>().toBeNumber()
  })
})

describe('verifier types', () => {
  it('both verifier builds share one API', async () => {
    const web = await import('../../src/verifier/index.js')
    const node = await import('../../src/verifier/node.js')
    expectTypeOf(node.createVerifier).toEqualTypeOf(web.createVerifier)
    expectTypeOf<ReturnType<typeof web.createVerifier>['crypto']>().toEqualTypeOf<
      'node:crypto' | 'webcrypto'
    >()
  })

  it('verification results and requirements are typed', () => {
    type V = import('../../src/verifier/index.js').Verifier
    type R = import('../../src/verifier/index.js').VerifiedAccessToken
    type A = import('../../src/verifier/index.js').AuthenticationResult
    expectTypeOf<V['verifyAccessToken']>().returns.resolves.toEqualTypeOf<R>()
    expectTypeOf<R['scopes']>().toEqualTypeOf<readonly string[]>()
    expectTypeOf<R['format']>().toEqualTypeOf<'okta' | 'rfc9068' | 'introspection'>()
    expectTypeOf<Extract<A, { ok: true }>['token']>().toEqualTypeOf<R>()
    expectTypeOf<Extract<A, { ok: false }>['response']>().toEqualTypeOf<Response>()
    type O = import('../../src/verifier/index.js').VerifyAccessTokenOptions
    expectTypeOf<{ scopes: ['a'] }>().toExtend<O>()
    expectTypeOf<{ scopes: { anyOf: ['a', 'b'] } }>().toExtend<O>()
    expectTypeOf<{
      claims: { uid: { includes: 'x' }; ver: 1; cid: (v: unknown) => boolean }
    }>().toExtend<O>()
    expectTypeOf<{ claims: { uid: { startsWith: 'x' } } }>().not.toExtend<O>()
    type Opts = import('../../src/verifier/index.js').VerifierOptions
    expectTypeOf<{ issuer: string }>().not.toExtend<Opts>()
    expectTypeOf<{ issuer: string[]; audience: string }>().toExtend<Opts>()
  })
})
