import { HttpResponse } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  BearerTokenError,
  bearerChallenge,
  challengeResponse,
  extractBearerToken,
  InvalidOptionError,
  InvalidResponseError,
  JwksError,
  NetworkError,
  TimeoutError,
  TokenValidationError,
} from '../../../src/verifier/index.js'
import type { Verifier, VerifierOptions } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  cachedResult,
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

const TOKEN = 'eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl'

function bearerError(fn: () => unknown): BearerTokenError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(BearerTokenError)
    return err as BearerTokenError
  }
  throw new Error('expected a BearerTokenError')
}

describe('extractBearerToken', () => {
  it('reads the header value from a string', () => {
    expect(extractBearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN)
    expect(extractBearerToken('Bearer abc-._~+/09==')).toBe('abc-._~+/09==')
    expect(extractBearerToken(`Bearer   ${TOKEN}  `)).toBe(TOKEN)
  })

  it('matches the scheme case-insensitively', () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      expect(extractBearerToken(`${scheme} ${TOKEN}`)).toBe(TOKEN)
    }
  })

  it('reads Headers, Request, Node requests and header records', () => {
    expect(extractBearerToken(new Headers({ Authorization: `Bearer ${TOKEN}` }))).toBe(TOKEN)
    expect(
      extractBearerToken(
        new Request('https://api.example.com/', { headers: { authorization: `Bearer ${TOKEN}` } }),
      ),
    ).toBe(TOKEN)
    expect(extractBearerToken({ headers: { authorization: `Bearer ${TOKEN}` } })).toBe(TOKEN)
    expect(extractBearerToken({ headers: new Headers({ authorization: `Bearer ${TOKEN}` }) })).toBe(
      TOKEN,
    )
    expect(extractBearerToken({ authorization: `Bearer ${TOKEN}` })).toBe(TOKEN)
    expect(extractBearerToken({ Authorization: `Bearer ${TOKEN}` })).toBe(TOKEN)
    expect(extractBearerToken({ headers: { authorization: [`Bearer ${TOKEN}`] } })).toBe(TOKEN)
  })

  it('refuses several Authorization headers (ERR_BEARER_MALFORMED)', () => {
    const headers = new Headers()
    headers.append('authorization', 'Bearer a')
    headers.append('authorization', 'Bearer b')
    for (const source of [
      headers,
      new Request('https://api.example.com/', { headers }),
      { headers: { authorization: ['Bearer a', 'Bearer b'] } },
      { authorization: ['Bearer a', 'Bearer b'] },
      'Bearer a, Bearer b',
      'Bearer a,bearer b',
    ]) {
      expect(bearerError(() => extractBearerToken(source)).code).toBe('ERR_BEARER_MALFORMED')
    }
  })

  it('reports no token as ERR_BEARER_MISSING', () => {
    for (const source of [
      undefined,
      null,
      '',
      new Headers(),
      new Request('https://api.example.com/'),
      { headers: {} },
      { headers: { authorization: undefined } },
      { headers: { authorization: [] } },
      {},
      'Basic dXNlcjpwYXNz',
      `DPoP ${TOKEN}`,
      `Bearer${TOKEN}`,
      `Token ${TOKEN}`,
    ]) {
      expect(bearerError(() => extractBearerToken(source as never)).code).toBe('ERR_BEARER_MISSING')
    }
  })

  it('refuses a malformed bearer value (ERR_BEARER_MALFORMED), never echoing it', () => {
    for (const value of [
      'Bearer',
      'Bearer ',
      'bearer   ',
      'Bearer a b',
      'Bearer a,b',
      'Bearer a"b',
      'Bearer tökén',
      'Bearer a=b',
      'Bearer\tabc',
      'Bearer =abc',
      `Bearer ${TOKEN}\r\nX-Injected: 1`,
    ]) {
      const err = bearerError(() => extractBearerToken(value))
      expect(err.code).toBe('ERR_BEARER_MALFORMED')
      expect(`${err.message}${String(err)}${JSON.stringify(err)}`).not.toContain(
        value.slice(7) || '\u0000',
      )
    }
  })
})

describe('bearerChallenge and challengeResponse', () => {
  const missing = new BearerTokenError('no header', { code: 'ERR_BEARER_MISSING' })
  const malformed = new BearerTokenError('several "headers"', { code: 'ERR_BEARER_MALFORMED' })
  const expired = new TokenValidationError('access token has expired', {
    code: 'ERR_JWT_EXPIRED',
    token: 'access_token',
    claim: 'exp',
    reason: 'expired',
  })
  const scope = new TokenValidationError('lacks scope', {
    code: 'ERR_INSUFFICIENT_SCOPE',
    token: 'access_token',
    reason: 'insufficient_scope',
    claim: 'scp',
    requiredScopes: ['orders:write', 'admin'],
  })

  it('no token: 401 with only the realm, no error and no body', async () => {
    expect(bearerChallenge(missing, { realm: 'api' })).toEqual({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="api"' },
    })
    expect(bearerChallenge(missing)).toEqual({
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
    })
    const response = challengeResponse(bearerChallenge(missing, { realm: 'api' }))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('content-type')).toBeNull()
    expect(await response.text()).toBe('')
  })

  it('malformed request: 400 invalid_request', async () => {
    const challenge = bearerChallenge(malformed, { realm: 'api' })
    expect(challenge).toEqual({
      status: 400,
      headers: {
        'www-authenticate':
          'Bearer realm="api", error="invalid_request", error_description="several headers"',
      },
      body: { error: 'invalid_request', error_description: 'several "headers"' },
    })
    const response = challengeResponse(challenge)
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual(challenge.body)
  })

  it('invalid token: 401 invalid_token with a description', () => {
    expect(bearerChallenge(expired, { realm: 'api' })).toEqual({
      status: 401,
      headers: {
        'www-authenticate':
          'Bearer realm="api", error="invalid_token", error_description="access token has expired"',
      },
      body: { error: 'invalid_token', error_description: 'access token has expired' },
    })
    const noKey = bearerChallenge(new JwksError('no key', { code: 'ERR_JWKS_NO_MATCHING_KEY' }))
    expect(noKey.status).toBe(401)
    expect(noKey.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="no key"',
    )
    const inactive = bearerChallenge(
      new TokenValidationError('not active', {
        code: 'ERR_TOKEN_INACTIVE',
        token: 'access_token',
        reason: 'inactive',
      }),
    )
    expect(inactive.status).toBe(401)
  })

  it('insufficient scope: 403 with scope', () => {
    expect(bearerChallenge(scope, { realm: 'api' })).toEqual({
      status: 403,
      headers: {
        'www-authenticate':
          'Bearer realm="api", error="insufficient_scope", error_description="lacks scope", scope="orders:write admin"',
      },
      body: { error: 'insufficient_scope', error_description: 'lacks scope' },
    })
  })

  it.each([
    ['JwksError ERR_JWKS_UNAVAILABLE', new JwksError('down', { code: 'ERR_JWKS_UNAVAILABLE' })],
    ['NetworkError', new NetworkError('unreachable')],
    ['TimeoutError', new TimeoutError('slow', { timeout: 100 })],
    ['InvalidResponseError', new InvalidResponseError('garbage', { status: 500 })],
  ])('%s: 503 with retry-after', async (_, error) => {
    const challenge = bearerChallenge(error, { realm: 'api' })
    expect(challenge).toEqual({
      status: 503,
      headers: { 'retry-after': '5' },
      body: {
        error: 'temporarily_unavailable',
        error_description:
          'the token cannot be verified now: the authorization server is unreachable',
      },
    })
    const response = challengeResponse(challenge)
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('5')
    expect(response.headers.get('www-authenticate')).toBeNull()
  })

  it('an unknown error is a 503 without its message; a programmer error is rethrown', () => {
    const challenge = bearerChallenge(new Error('secret internals'))
    expect(challenge.status).toBe(503)
    expect(challenge.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'the token cannot be verified now',
    })
    expect(bearerChallenge('a string').status).toBe(503)
    expect(() => bearerChallenge(new InvalidOptionError('bad option'))).toThrow(InvalidOptionError)
  })

  it('strips quotes, backslashes, control and non-ASCII characters from attributes', () => {
    const nasty = new TokenValidationError('bad "claim" \\ ünïcode\r\nX-Injected: yes', {
      code: 'ERR_JWT_CLAIM_INVALID',
      token: 'access_token',
      reason: 'mismatch',
    })
    const challenge = bearerChallenge(nasty, { realm: 'a"pi\\ré\n' })
    expect(challenge.headers['www-authenticate']).toBe(
      'Bearer realm="apir", error="invalid_token", error_description="bad claim  ncodeX-Injected: yes"',
    )
    // Still a valid header value.
    expect(() => new Headers(challenge.headers)).not.toThrow()
    const scoped = bearerChallenge(
      new TokenValidationError('x', {
        code: 'ERR_INSUFFICIENT_SCOPE',
        token: 'access_token',
        reason: 'insufficient_scope',
        requiredScopes: ['a"b', 'ç'],
      }),
    )
    expect(scoped.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", error_description="x", scope="ab "',
    )
  })
})

let rs: Signer
beforeAll(async () => {
  rs = await makeSigner('RS256')
})

describe.each(BACKENDS)('verifyRequest and authenticate on $name', ({ name, createVerifier }) => {
  let fake: FakeIssuer
  let verifier: Verifier
  const make = (extra: Partial<VerifierOptions> = {}) =>
    createVerifier({ issuer: ISSUER, audience: AUDIENCE, now: () => T0, ...extra })
  beforeEach(async () => {
    fake = await createFakeIssuer()
    publish(fake, rs)
    verifier = make()
    expect(verifier.crypto).toBe(name)
  })
  const request = (token: string) =>
    new Request('https://api.example.com/orders', { headers: { authorization: `Bearer ${token}` } })

  it('verifyRequest reads every request shape', async () => {
    const token = await sign(rs, oktaClaims(ISSUER))
    for (const source of [
      request(token),
      new Headers({ authorization: `Bearer ${token}` }),
      { headers: { authorization: `bearer ${token}` } },
      `Bearer ${token}`,
    ]) {
      expect((await verifier.verifyRequest(source, { scopes: ['orders:read'] })).subject).toBe(
        'alice@example.com',
      )
    }
  })

  it('verifyRequest rejects with BearerTokenError before any request', async () => {
    expect(await rejection(verifier.verifyRequest({ headers: {} }))).toMatchObject({
      name: 'BearerTokenError',
      code: 'ERR_BEARER_MISSING',
    })
    expect(await rejection(verifier.verifyRequest('Bearer a b'))).toMatchObject({
      code: 'ERR_BEARER_MALFORMED',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('authenticate returns the token on success', async () => {
    const token = await sign(rs, oktaClaims(ISSUER))
    const auth = await verifier.authenticate(request(token), { scopes: ['orders:read'] })
    expect(auth.ok).toBe(true)
    if (auth.ok) expect(auth.token.clientId).toBe('0oaclient')
  })

  it('authenticate: no header → 401 with the realm only', async () => {
    const auth = await verifier.authenticate(new Request('https://api.example.com/'), {
      realm: 'orders',
    })
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.error).toBeInstanceOf(BearerTokenError)
    expect(auth.challenge).toEqual({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="orders"' },
    })
    expect(auth.response.status).toBe(401)
    expect(auth.response.headers.get('www-authenticate')).toBe('Bearer realm="orders"')
    expect(await auth.response.text()).toBe('')
  })

  it('authenticate: malformed header → 400 invalid_request', async () => {
    const auth = await verifier.authenticate('Bearer two tokens')
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.response.status).toBe(400)
    expect(await auth.response.json()).toEqual({
      error: 'invalid_request',
      error_description: auth.error.message,
    })
  })

  it('authenticate: an invalid token → 401 invalid_token, never echoing the token', async () => {
    const token = await sign(rs, oktaClaims(ISSUER, { exp: NOW_S - 3600 }))
    const auth = await verifier.authenticate(request(token), { realm: 'api' })
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.error).toBeInstanceOf(TokenValidationError)
    expectNoToken(auth.error, token)
    expect(auth.response.status).toBe(401)
    const header = auth.response.headers.get('www-authenticate')!
    expect(header).toBe(
      'Bearer realm="api", error="invalid_token", error_description="access token has expired"',
    )
    const body = await auth.response.text()
    expect(JSON.parse(body)).toEqual({
      error: 'invalid_token',
      error_description: 'access token has expired',
    })
    for (const part of [token, ...token.split('.')]) {
      expect(body).not.toContain(part)
      expect(header).not.toContain(part)
    }
  })

  it('authenticate: a forged token → 401 invalid_token', async () => {
    const token = await sign(rs, oktaClaims(ISSUER))
    const forged = `${token.slice(0, -10)}AAAAAAAAAA`
    const auth = await verifier.authenticate(`Bearer ${forged}`)
    expect(!auth.ok && auth.challenge.status).toBe(401)
    expect(!auth.ok && auth.challenge.body?.error).toBe('invalid_token')
    expect(!auth.ok && JSON.stringify(auth.challenge)).not.toContain(forged.split('.')[2])
  })

  it('authenticate: insufficient scope → 403 with the required scope', async () => {
    const token = await sign(rs, oktaClaims(ISSUER))
    const auth = await verifier.authenticate(request(token), {
      realm: 'api',
      scopes: ['orders:write'],
    })
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.response.status).toBe(403)
    expect(auth.response.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="access token lacks required scope(s): orders:write", scope="orders:write"',
    )
    expect(await auth.response.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'access token lacks required scope(s): orders:write',
    })
  })

  it('authenticate: keys unavailable → 503 with retry-after', async () => {
    fake.on('/v1/keys', () => HttpResponse.json({}, { status: 500 }))
    const token = await sign(rs, oktaClaims(ISSUER))
    const auth = await verifier.authenticate(request(token))
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.error).toBeInstanceOf(JwksError)
    expect(auth.response.status).toBe(503)
    expect(auth.response.headers.get('retry-after')).toBe('5')
    expect((await auth.response.json()).error).toBe('temporarily_unavailable')
  })

  it('authenticate: discovery down → 503', async () => {
    fake.on('/.well-known/openid-configuration', () => HttpResponse.error())
    const auth = await verifier.authenticate(request(await sign(rs, oktaClaims(ISSUER))))
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.error).toBeInstanceOf(NetworkError)
    expect(auth.response.status).toBe(503)
  })

  it('refuses a DPoP-bound token presented as a bearer token', async () => {
    const token = await sign(rs, oktaClaims(ISSUER, { cnf: { jkt: 'thumbprint' } }))
    // verifyAccessToken alone does not know how it was presented.
    expect((await verifier.verifyAccessToken(token)).claims.cnf).toEqual({ jkt: 'thumbprint' })
    const err = await rejection(verifier.verifyRequest(request(token)))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'cnf',
      reason: 'dpop_bound',
    })
    expectNoToken(err, token)
    const auth = await verifier.authenticate(request(token))
    expect(auth.ok).toBe(false)
    if (auth.ok) return
    expect(auth.response.status).toBe(401)
    expect(auth.challenge.body?.error).toBe('invalid_token')
    // Also on a token-cache hit.
    const cached = make({ tokenCache: true })
    await cachedResult(() => cached.verifyAccessToken(token))
    expect(await rejection(cached.verifyRequest(request(token)))).toMatchObject({ claim: 'cnf' })
    // A cnf without jkt is not DPoP binding.
    const other = await sign(rs, oktaClaims(ISSUER, { cnf: { 'x5t#S256': 'abc' } }))
    expect((await verifier.verifyRequest(request(other))).claims.cnf).toEqual({
      'x5t#S256': 'abc',
    })
  })
})
