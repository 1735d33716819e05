/**
 * Issue 14, weaknesses 5 and 7 (verifier part): no error the verifier builds
 * may carry a claim value or the token, in its message, its fields or its
 * `cause` chain (what `util.inspect` prints when the error is logged), and
 * nothing it builds from a custom `fetch`'s error or from a response body
 * may quote the request or the body. Each case performs the failure and
 * serialises the error every way a logger would.
 */
import { inspect } from 'node:util'
import { HttpResponse, http } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  BearerTokenError,
  createJwksCache,
  JwksError,
  TokenValidationError,
} from '../../../src/verifier/index.js'
import type { VerifierOptions } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import { server } from '../msw.js'
import {
  AUDIENCE,
  BACKENDS,
  makeSigner,
  NOW_S,
  oktaClaims,
  publish,
  rejection,
  type Signer,
  sign,
  T0,
} from './helpers.js'

/** Claim values no error may show. */
const SECRETS = {
  sub: 'SUBJECT-SECRET-1',
  email: 'EMAIL-SECRET-1@example.com',
  nonce: 'NONCE-SECRET-1',
  uid: '00uSECRETUID1',
  jti: 'AT.JTI-SECRET-1',
  name: 'NAME-SECRET-1',
}
const secretClaims = (extra: Record<string, unknown> = {}) =>
  oktaClaims(ISSUER, { ...SECRETS, ...extra })

/** Everything a logger could print of an error, its whole cause chain included. */
function serialised(err: unknown): string {
  const e = err as Error
  return [inspect(err, { depth: 10 }), String(err), JSON.stringify(err), e.stack ?? ''].join('\n')
}

/** None of the claim values, nor the token or any of its segments, in any serialisation. */
function expectNothingLeaks(err: unknown, token?: string, more: string[] = []): void {
  expect(err).toBeInstanceOf(Error)
  const text = serialised(err)
  for (const value of [...Object.values(SECRETS), ...more]) expect(text).not.toContain(value)
  if (token) {
    expect(text).not.toContain(token)
    for (const segment of token.split('.')) {
      if (segment.length > 16) expect(text).not.toContain(segment)
    }
  }
}

let rs: Signer
let forger: Signer
beforeAll(async () => {
  ;[rs, forger] = await Promise.all([makeSigner('RS256'), makeSigner('RS256')])
})

let fake: FakeIssuer
beforeEach(async () => {
  fake = await createFakeIssuer()
  publish(fake, rs)
})

describe.each(BACKENDS)('errors of $name leak no claim value', ({ createVerifier }) => {
  const make = (extra: Partial<VerifierOptions> = {}) =>
    createVerifier({ issuer: ISSUER, audience: AUDIENCE, now: () => T0, ...extra })

  it.each([
    { label: 'expired', claims: { exp: NOW_S - 3600 }, code: 'ERR_JWT_EXPIRED' },
    { label: 'not yet valid', claims: { nbf: NOW_S + 3600 }, code: 'ERR_JWT_NOT_YET_VALID' },
    { label: 'wrong aud', claims: { aud: 'api://other' }, code: 'ERR_JWT_CLAIM_INVALID' },
    {
      label: 'wrong iss',
      claims: { iss: 'https://evil.example.com/oauth2/default' },
      code: 'ERR_JWT_CLAIM_INVALID',
    },
    { label: 'no exp', claims: { exp: undefined }, code: 'ERR_JWT_CLAIM_INVALID' },
  ])('access token: $label', async ({ claims, code }) => {
    const token = await sign(rs, secretClaims(claims))
    const err = await rejection(make().verifyAccessToken(token))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err.code).toBe(code)
    expectNothingLeaks(err, token)
  })

  it('access token: bad signature, unknown key, scope and claim requirements', async () => {
    const verifier = make()
    const forged = await sign(forger, secretClaims(), { kid: rs.kid })
    const unknown = await sign(forger, secretClaims(), { kid: 'unknown-kid' })
    const good = await sign(rs, secretClaims())
    const cases = [
      [forged, () => verifier.verifyAccessToken(forged), 'ERR_JWT_SIGNATURE_INVALID'],
      [unknown, () => verifier.verifyAccessToken(unknown), 'ERR_JWKS_NO_MATCHING_KEY'],
      [
        good,
        () => verifier.verifyAccessToken(good, { scopes: ['admin'] }),
        'ERR_INSUFFICIENT_SCOPE',
      ],
      [
        good,
        () => verifier.verifyAccessToken(good, { claims: { email: 'someone@example.com' } }),
        'ERR_JWT_CLAIM_INVALID',
      ],
      [good, () => verifier.verifyAccessToken(good, { maxAge: 1 }), 'ERR_JWT_EXPIRED'],
    ] as const
    for (const [token, verify, code] of cases) {
      const err = await rejection(verify())
      expect(err.code).toBe(code)
      expectNothingLeaks(err, token)
    }
  })

  it('ID token: untrusted or missing issuer, malformed, wrong aud, expired, forged', async () => {
    const verifier = make()
    const untrusted = await sign(
      rs,
      secretClaims({ iss: 'https://evil.example.com', aud: '0oa1client' }),
    )
    const noIss = await sign(rs, secretClaims({ iss: undefined }))
    // Failures found by jose, whose errors carry the payload: wrong audience,
    // expired, and a signature by another key.
    const wrongAud = await sign(rs, secretClaims({ aud: 'another-client' }))
    const expired = await sign(rs, secretClaims({ aud: '0oa1client', exp: NOW_S - 3600 }))
    const forged = await sign(forger, secretClaims({ aud: '0oa1client' }))
    for (const token of [untrusted, noIss, `${untrusted}x.y`, wrongAud, expired, forged]) {
      const err = await rejection(verifier.verifyIdToken(token, { clientId: '0oa1client' }))
      expect(err).toBeInstanceOf(TokenValidationError)
      expectNothingLeaks(err, token)
    }
  })

  it.each([
    { label: 'inactive', answer: { active: false } },
    {
      label: 'expired',
      answer: { active: true, ...SECRETS, aud: AUDIENCE, iss: ISSUER, exp: NOW_S - 3600 },
    },
    {
      label: 'untrusted iss',
      answer: { active: true, ...SECRETS, aud: AUDIENCE, iss: 'https://evil.example.com' },
    },
    {
      label: 'wrong aud',
      answer: { active: true, ...SECRETS, aud: 'api://other', iss: ISSUER, exp: NOW_S + 60 },
    },
    {
      label: 'a refresh token (no aud)',
      answer: { active: true, ...SECRETS, iss: ISSUER, exp: NOW_S + 60, token_type: 'Bearer' },
    },
  ])('introspection: $label', async ({ answer }) => {
    fake.on('/v1/introspect', () => HttpResponse.json(answer))
    const opaque = 'opaque.TOKEN-SECRET-VALUE-1'
    const verifier = make({
      introspection: {
        clientId: '0oaresource',
        auth: { method: 'client_secret_basic', clientSecret: 'CLIENT-SECRET-1' },
      },
    })
    for (let i = 0; i < 2; i++) {
      // The second answer comes from the introspection cache.
      const err = await rejection(verifier.verifyAccessToken(opaque))
      expect(err).toBeInstanceOf(TokenValidationError)
      expect(err.code).toBe('ERR_TOKEN_INACTIVE')
      expectNothingLeaks(err, opaque, [opaque, 'CLIENT-SECRET-1'])
    }
  })

  it('a bearer token with a control character is refused without quoting it', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.SECRET\u0000PAYLOAD.c2ln'
    const auth = await make().authenticate({ authorization: `Bearer ${token}` })
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.error).toBeInstanceOf(BearerTokenError)
    expect(auth.response.status).toBe(400)
    expectNothingLeaks(auth.error, token, ['SECRET'])
    expect(JSON.stringify(await auth.response.json())).not.toContain('SECRET')
  })
})

describe('JWKS failures keep no foreign text', () => {
  const JWKS_URI = 'https://keys.example.com/leaky/keys'

  it('a custom fetch whose error quotes the request: its message is not kept', async () => {
    const quoting = `GET ${JWKS_URI}?x=${SECRETS.sub} failed: Authorization: Bearer ${SECRETS.jti}`
    const cache = createJwksCache({
      jwksUri: JWKS_URI,
      fetch: async () => {
        throw new TypeError(quoting)
      },
    })
    const err = await cache.reload().catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_UNAVAILABLE')
    expect(err.cause).toMatchObject({ name: 'TypeError' })
    expectNothingLeaks(err, undefined, [quoting])
  })

  it('a custom fetch that throws a string: nothing of it is kept', async () => {
    const cache = createJwksCache({
      jwksUri: JWKS_URI,
      fetch: () => Promise.reject(`request to ${JWKS_URI} with ${SECRETS.email} failed`),
    })
    const err = await cache.reload().catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expectNothingLeaks(err)
  })

  it('a body that is not JSON: the parser’s message (which quotes the body) is not kept', async () => {
    // V8 quotes up to about ten characters of the text it failed on: a short body whole.
    const body = 'BODY-S1'
    server.use(http.get(JWKS_URI, () => new HttpResponse(body)))
    const err = await createJwksCache({ jwksUri: JWKS_URI })
      .reload()
      .catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_UNAVAILABLE')
    expect(err.cause).toMatchObject({ name: 'SyntaxError' })
    expectNothingLeaks(err, undefined, [body])
  })

  it('the verifier reports the JWKS failure without the token or the foreign text', async () => {
    const quoting = `GET ${JWKS_URI} ${SECRETS.name}`
    const verifier = BACKENDS[1]!.createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: JWKS_URI,
      now: () => T0,
      fetch: async () => {
        throw new Error(quoting)
      },
    })
    const token = await sign(rs, secretClaims())
    const auth = await verifier.authenticate({ authorization: `Bearer ${token}` })
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.error).toBeInstanceOf(JwksError)
    expect(auth.response.status).toBe(503)
    expectNothingLeaks(auth.error, token, [quoting])
  })
})
