import { HttpResponse } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { isOktaOAuthError, TokenValidationError } from '../../../src/verifier/index.js'
import type { IntrospectionFallbackOptions, VerifierOptions } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  countRequests,
  deferred,
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

const RS_CLIENT = '0oaresource'
const SECRET = 'resource-secret'
const OPAQUE = 'opaque-token.ABC_123-xyz'
const INTROSPECT = '/v1/introspect'

let rs: Signer
beforeAll(async () => {
  rs = await makeSigner('RS256')
})

/** An active Okta introspection response. */
function active(extra: Record<string, unknown> = {}) {
  return {
    active: true,
    scope: 'openid orders:read',
    username: 'alice@example.com',
    exp: NOW_S + 3600,
    iat: NOW_S - 60,
    sub: 'alice@example.com',
    aud: AUDIENCE,
    iss: ISSUER,
    jti: 'AT.xyz',
    token_type: 'Bearer',
    client_id: '0oaclient',
    uid: '00uuser',
    ...extra,
  }
}

let fake: FakeIssuer
let clock: number
let answer: () => Response | Promise<Response>
beforeEach(async () => {
  fake = await createFakeIssuer()
  publish(fake, rs)
  clock = T0
  answer = () => HttpResponse.json(active())
  fake.on(INTROSPECT, () => answer())
})

describe.each(BACKENDS)('introspection fallback on $name', ({ name, createVerifier }) => {
  const make = (
    introspection: Partial<IntrospectionFallbackOptions> = {},
    extra: Partial<VerifierOptions> = {},
  ) => {
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => clock,
      introspection: {
        clientId: RS_CLIENT,
        auth: { method: 'client_secret_basic', clientSecret: SECRET },
        ...introspection,
      },
      ...extra,
    })
    expect(verifier.crypto).toBe(name)
    return verifier
  }
  const calls = () => fake.requestsTo(INTROSPECT).length

  it('introspects an opaque token with client_secret_basic', async () => {
    const result = await make().verifyAccessToken(OPAQUE)
    expect(result).toEqual({
      claims: active(),
      issuer: ISSUER,
      scopes: ['openid', 'orders:read'],
      clientId: '0oaclient',
      subject: 'alice@example.com',
      userId: '00uuser',
      expiresAt: NOW_S + 3600,
      format: 'introspection',
    })
    expect(result.header).toBeUndefined()
    const [request] = fake.requestsTo(INTROSPECT)
    expect(request!.method).toBe('POST')
    expect(request!.form.get('token')).toBe(OPAQUE)
    expect(request!.form.get('token_type_hint')).toBe('access_token')
    expect(request!.form.get('client_secret')).toBeNull()
    const basic = /^Basic (.+)$/.exec(request!.headers.get('authorization') ?? '')
    expect(basic).not.toBeNull()
    // RFC 6749 §2.3.1: each part form-encoded, then base64.
    expect(Buffer.from(basic![1]!, 'base64').toString().split(':').map(decodeURIComponent)).toEqual(
      [RS_CLIENT, SECRET],
    )
    // Discovery for the endpoint, no JWKS.
    expect(fake.requestsTo('/v1/keys')).toHaveLength(0)
  })

  it('checks scope requirements on introspected tokens (claim scope)', async () => {
    const verifier = make()
    await verifier.verifyAccessToken(OPAQUE, { scopes: ['orders:read'] })
    const err = await rejection(verifier.verifyAccessToken(OPAQUE, { scopes: ['orders:write'] }))
    expect(err).toMatchObject({
      code: 'ERR_INSUFFICIENT_SCOPE',
      claim: 'scope',
      requiredScopes: ['orders:write'],
    })
    expect(calls()).toBe(1)
  })

  it('refuses an inactive token and caches that answer', async () => {
    answer = () => HttpResponse.json({ active: false })
    const verifier = make()
    const err = await rejection(verifier.verifyAccessToken(OPAQUE))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
      claim: 'active',
      reason: 'inactive',
      token: 'access_token',
    })
    expectNoToken(err, OPAQUE)
    expect(await rejection(verifier.verifyAccessToken(OPAQUE))).toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    })
    expect(calls()).toBe(1)
    clock += 30_000
    await rejection(verifier.verifyAccessToken(OPAQUE))
    expect(calls()).toBe(2)
  })

  it.each([
    ['an untrusted iss', { iss: 'https://evil.example.com' }, 'iss', 'mismatch'],
    ['another audience', { aud: 'api://other' }, 'aud', 'mismatch'],
    ['an expired exp', { exp: NOW_S - 31 }, 'exp', 'expired'],
    // A refresh token presented as a bearer token: Okta says refresh_token,
    // oidc-provider says nothing; neither is an access token.
    ['token_type refresh_token', { token_type: 'refresh_token' }, 'token_type', 'not_access_token'],
    // Okta's refresh-token answer: token_type Bearer, but no aud, iss, jti or iat.
    [
      "Okta's refresh-token answer",
      { aud: undefined, iss: undefined, jti: undefined, iat: undefined, uid: undefined },
      'aud',
      'missing',
    ],
  ])('treats an active answer with %s as inactive', async (_, extra, claim, reason) => {
    answer = () => HttpResponse.json(active(extra))
    const err = await rejection(make().verifyAccessToken(OPAQUE))
    expect(err).toMatchObject({ code: 'ERR_TOKEN_INACTIVE', claim, reason })
  })

  it('with requireAudience: false, accepts an answer without aud only when it says token_type Bearer', async () => {
    const verifier = make({ requireAudience: false })
    answer = () => HttpResponse.json(active({ aud: undefined }))
    await expect(verifier.verifyAccessToken(OPAQUE)).resolves.toMatchObject({
      format: 'introspection',
    })
    const other = make({ requireAudience: false })
    answer = () => HttpResponse.json(active({ aud: undefined, token_type: undefined }))
    expect(await rejection(other.verifyAccessToken(OPAQUE))).toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
      claim: 'token_type',
      reason: 'not_access_token',
    })
  })

  it('accepts an aud array containing the audience', async () => {
    answer = () => HttpResponse.json(active({ aud: ['x', AUDIENCE] }))
    expect((await make().verifyAccessToken(OPAQUE)).format).toBe('introspection')
  })

  it('reuses an answer for cacheTtl', async () => {
    const verifier = make({ cacheTtl: 5_000 })
    const first = await verifier.verifyAccessToken(OPAQUE)
    clock += 4_999
    expect(await verifier.verifyAccessToken(OPAQUE)).toBe(first)
    expect(calls()).toBe(1)
    clock += 1
    const second = await verifier.verifyAccessToken(OPAQUE)
    expect(second).not.toBe(first)
    expect(calls()).toBe(2)
  })

  it('caps cacheTtl at 5 minutes', async () => {
    const verifier = make({ cacheTtl: 3_600_000 })
    await verifier.verifyAccessToken(OPAQUE)
    clock += 299_999
    await verifier.verifyAccessToken(OPAQUE)
    expect(calls()).toBe(1)
    clock += 1
    await verifier.verifyAccessToken(OPAQUE)
    expect(calls()).toBe(2)
  })

  it('never reuses an answer past the token exp', async () => {
    answer = () => HttpResponse.json(active({ exp: NOW_S + 2 }))
    const verifier = make({ cacheTtl: 30_000 })
    expect((await verifier.verifyAccessToken(OPAQUE)).expiresAt).toBe(NOW_S + 2)
    clock += 1_999
    await verifier.verifyAccessToken(OPAQUE)
    expect(calls()).toBe(1)
    clock += 1
    answer = () => HttpResponse.json({ active: false })
    expect(await rejection(verifier.verifyAccessToken(OPAQUE))).toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    })
    expect(calls()).toBe(2)
  })

  it('shares one request among concurrent calls for one token', async () => {
    const held = deferred()
    answer = async () => {
      await held.promise
      return HttpResponse.json(active())
    }
    const verifier = make()
    const all = Promise.all([1, 2, 3, 4, 5].map(() => verifier.verifyAccessToken(OPAQUE)))
    held.resolve()
    const results = await all
    expect(calls()).toBe(1)
    for (const r of results) expect(r).toBe(results[0])
    // Different tokens are different requests.
    await Promise.all([verifier.verifyAccessToken('t-1'), verifier.verifyAccessToken('t-2')])
    expect(calls()).toBe(3)
  })

  it("one caller's abort does not fail the others sharing the request", async () => {
    const arrived = deferred()
    const held = deferred()
    answer = async () => {
      arrived.resolve()
      await held.promise
      return HttpResponse.json(active())
    }
    const verifier = make()
    const controller = new AbortController()
    const aborted = verifier.verifyAccessToken(OPAQUE, { signal: controller.signal })
    const patient = verifier.verifyAccessToken(OPAQUE)
    await arrived.promise // the introspection request is under way
    controller.abort()
    expect(await rejection(aborted)).toMatchObject({ code: 'ERR_ABORTED' })
    held.resolve()
    expect((await patient).format).toBe('introspection')
    expect(calls()).toBe(1)
    // The answer was kept for later calls.
    await verifier.verifyAccessToken(OPAQUE)
    expect(calls()).toBe(1)
  })

  it('forget(token) drops the cached answer', async () => {
    const verifier = make()
    await verifier.verifyAccessToken(OPAQUE)
    verifier.forget(OPAQUE)
    answer = () => HttpResponse.json({ active: false })
    expect(await rejection(verifier.verifyAccessToken(OPAQUE))).toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    })
    expect(calls()).toBe(2)
  })

  it('keeps at most maxEntries answers', async () => {
    const verifier = make({ maxEntries: 1 })
    await verifier.verifyAccessToken('t-1')
    await verifier.verifyAccessToken('t-2')
    await verifier.verifyAccessToken('t-2')
    expect(calls()).toBe(2)
    await verifier.verifyAccessToken('t-1')
    expect(calls()).toBe(3)
  })

  it('verifies JWTs locally in the default opaque mode', async () => {
    const result = await make().verifyAccessToken(await sign(rs, oktaClaims(ISSUER)))
    expect(result.format).toBe('okta')
    expect(calls()).toBe(0)
  })

  it("introspects JWTs too in mode 'always'", async () => {
    const verifier = make({ mode: 'always' })
    const token = await sign(rs, oktaClaims(ISSUER))
    const result = await verifier.verifyAccessToken(token)
    expect(result.format).toBe('introspection')
    expect(fake.requestsTo(INTROSPECT)[0]!.form.get('token')).toBe(token)
    expect(fake.requestsTo('/v1/keys')).toHaveLength(0)
    // A revoked JWT is refused although its signature is good.
    answer = () => HttpResponse.json({ active: false })
    const revoked = await sign(rs, oktaClaims(ISSUER, { jti: 'revoked' }))
    expect(await rejection(verifier.verifyAccessToken(revoked))).toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    })
  })

  it('without introspection an opaque token is ERR_JWT_MALFORMED, with no request', async () => {
    const requests = countRequests()
    try {
      const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, now: () => clock })
      const err = await rejection(verifier.verifyAccessToken(OPAQUE))
      expect(err).toBeInstanceOf(TokenValidationError)
      expect(err).toMatchObject({ code: 'ERR_JWT_MALFORMED', reason: 'malformed' })
      expect(err.claim).toBeUndefined()
      expectNoToken(err, OPAQUE)
    } finally {
      requests.stop()
    }
    expect(requests.urls).toEqual([])
  })

  it('refuses an empty, non-string or too long token before any request', async () => {
    const verifier = make({ mode: 'always' }, { maxTokenLength: 64 })
    for (const bad of ['', 'x'.repeat(65), undefined, 42]) {
      expect(await rejection(verifier.verifyAccessToken(bad as never))).toMatchObject({
        code: 'ERR_JWT_MALFORMED',
      })
    }
    const opaque = make({}, { maxTokenLength: 64 })
    expect(await rejection(opaque.verifyAccessToken('x'.repeat(65)))).toMatchObject({
      code: 'ERR_JWT_MALFORMED',
      reason: 'malformed',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('reports a 5xx as a typed error that is not cached', async () => {
    answer = () => HttpResponse.json({ error: 'server_error' }, { status: 503 })
    const verifier = make()
    const err = await rejection(verifier.verifyAccessToken(OPAQUE))
    expect(err).not.toBeInstanceOf(TokenValidationError)
    expect(isOktaOAuthError(err)).toBe(true)
    expectNoToken(err, OPAQUE)
    answer = () => HttpResponse.text('<html>oops</html>', { status: 500 })
    const garbage = await rejection(verifier.verifyAccessToken(OPAQUE))
    expect(garbage).not.toBeInstanceOf(TokenValidationError)
    expect(isOktaOAuthError(garbage)).toBe(true)
    expect(calls()).toBe(2)
    answer = () => HttpResponse.json(active())
    expect((await verifier.verifyAccessToken(OPAQUE)).format).toBe('introspection')
    expect(calls()).toBe(3)
    // The 503 maps to a 503 answer.
    answer = () => HttpResponse.json({ error: 'server_error' }, { status: 503 })
    const auth = await verifier.authenticate(`Bearer other-opaque`)
    expect(auth.ok).toBe(false)
    if (!auth.ok) expect(auth.challenge.status).toBe(503)
  })

  it('reports a network failure as a typed error', async () => {
    answer = () => HttpResponse.error()
    const err = await rejection(make().verifyAccessToken(OPAQUE))
    expect(err).toMatchObject({ code: 'ERR_NETWORK' })
  })

  it('answers requests through authenticate', async () => {
    const verifier = make()
    const auth = await verifier.authenticate(
      new Request('https://api.example.com/orders', {
        headers: { authorization: `Bearer ${OPAQUE}` },
      }),
      { scopes: ['orders:read'] },
    )
    expect(auth.ok && auth.token.format).toBe('introspection')
  })
})
