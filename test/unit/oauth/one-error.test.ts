import { inspect } from 'node:util'
import { generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { HttpResponse } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  type Client,
  InvalidOptionError,
  InvalidResponseError,
  NetworkError,
  tokenHash,
} from '../../../src/index.js'
import { CLIENT_ID, createFakeIssuer, type FakeIssuer, tokenBody } from '../fake-issuer.js'

// Issue 14, "one defect, one error": the same defect gets the same class,
// code, claim and message on every flow; a server fault never looks like a
// caller mistake; no foreign wording and no secret reaches a message.

const REDIRECT = 'https://app.example.com/callback'
let fake: FakeIssuer
let client: Client

beforeEach(async () => {
  fake = await createFakeIssuer()
  client = fake.client({ redirectUri: REDIRECT })
})

type Defect = { name: string; claims: (nonce: string) => JWTPayload; foreignKey?: boolean }

const now = () => Math.floor(Date.now() / 1000)
const DEFECTS: Defect[] = [
  { name: 'wrong nonce', claims: () => ({ nonce: 'another-nonce' }) },
  { name: 'no sub', claims: (nonce) => ({ nonce, sub: undefined }) },
  { name: 'no iat', claims: (nonce) => ({ nonce, iat: undefined }) },
  { name: 'expired', claims: (nonce) => ({ nonce, iat: now() - 7200, exp: now() - 3600 }) },
  { name: 'iat in the future', claims: (nonce) => ({ nonce, iat: now() + 3600 }) },
  { name: 'wrong aud', claims: (nonce) => ({ nonce, aud: 'another-client' }) },
  { name: 'wrong iss', claims: (nonce) => ({ nonce, iss: 'https://evil.example.com' }) },
  { name: 'wrong azp', claims: (nonce) => ({ nonce, azp: 'another-client' }) },
  { name: 'signed by another key', claims: (nonce) => ({ nonce }), foreignKey: true },
]

async function idToken(defect: Defect, nonce: string, extra: JWTPayload = {}): Promise<string> {
  const claims = { ...defect.claims(nonce), ...extra }
  if (!defect.foreignKey) return fake.idToken(claims)
  const other = await generateKeyPair('RS256')
  return new SignJWT({
    iss: fake.issuer,
    sub: 'u',
    aud: CLIENT_ID,
    iat: now(),
    exp: now() + 60,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'kid-1' })
    .sign(other.privateKey)
}

/** The error each flow reports when its ID token has `defect`. */
const FLOWS: Record<string, (defect: Defect) => Promise<unknown>> = {
  async 'code (token endpoint)'(defect) {
    const { transaction: t } = await client.authorizationUrl()
    const token = await idToken(defect, t.nonce)
    fake.on('/v1/token', () => tokenBody({ access_token: 'at', id_token: token }))
    return client.handleCallback(`${REDIRECT}?code=c&state=${t.state}`, t).catch((e) => e)
  },
  async 'implicit id_token token'(defect) {
    const { transaction: t } = await client.authorizationUrl({ responseType: 'id_token token' })
    const token = await idToken(defect, t.nonce, { at_hash: await tokenHash('at', 'RS256') })
    const q = new URLSearchParams({
      id_token: token,
      access_token: 'at',
      token_type: 'Bearer',
      state: t.state,
    })
    return client.handleCallback(`${REDIRECT}#${q}`, t).catch((e) => e)
  },
  async 'hybrid code id_token'(defect) {
    const { transaction: t } = await client.authorizationUrl({ responseType: 'code id_token' })
    const token = await idToken(defect, t.nonce, { c_hash: await tokenHash('c', 'RS256') })
    const q = new URLSearchParams({ id_token: token, code: 'c', state: t.state })
    return client.handleCallback(`${REDIRECT}#${q}`, t).catch((e) => e)
  },
  async 'refresh (token endpoint)'(defect) {
    // No nonce on refresh: the defect's own nonce is sent as the one expected.
    const token = await idToken(defect, 'n')
    fake.on('/v1/token', () => tokenBody({ access_token: 'at', id_token: token }))
    return client.refresh('rt').then(
      async () => {
        // A refresh expects no nonce: only the nonce defect passes here; check it alone.
        if (defect.name !== 'wrong nonce') throw new Error('expected a rejection')
        return client.validateIdToken(token, { nonce: 'n' }).catch((e) => e)
      },
      (e) => e,
    )
  },
}

describe('one validation path: the same ID token defect, the same error on every flow', () => {
  it.each(DEFECTS.map((d) => [d.name, d] as const))('%s', async (_name, defect) => {
    const seen: Record<string, unknown> = {}
    for (const [flow, run] of Object.entries(FLOWS)) {
      const err = (await run(defect)) as Record<string, unknown> & Error
      expect(err, flow).toBeInstanceOf(Error)
      seen[flow] = {
        name: err.name,
        code: err.code,
        claim: err.claim,
        reason: err.reason,
        token: err.token,
        message: err.message,
      }
    }
    const [first, ...rest] = Object.values(seen)
    expect(first).toMatchObject({ name: 'TokenValidationError' })
    for (const other of rest) expect(other).toEqual(first)
  })
})

describe('a server fault is never a caller mistake', () => {
  it('token_type "mac" → InvalidResponseError (not InvalidOptionError), on every grant', async () => {
    fake.on('/v1/token', () => tokenBody({ access_token: 'at', token_type: 'mac' }))
    for (const grant of [
      () => client.refresh('rt'),
      () => client.password({ username: 'u', password: 'p', scope: 'openid' }),
      () => client.clientCredentials({ scope: 'x' }),
      () => client.exchangeCode({ code: 'c', codeVerifier: 'v'.repeat(43) }),
    ]) {
      const err = await grant().catch((e) => e)
      expect(err).toBeInstanceOf(InvalidResponseError)
      expect(err).not.toBeInstanceOf(InvalidOptionError)
      expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 200 })
      expect(err.message).toContain('token_type')
    }
  })

  it.each([
    [503, 'text/html', '<html>down</html>'],
    [200, 'text/html', '<html>login</html>'],
    [200, 'application/json', '{"access_token": 42, "token_type": "Bearer"}'],
    [200, 'application/json', '[]'],
    [302, 'text/plain', ''],
  ])('HTTP %s %s → InvalidResponseError in the SDK own words', async (status, type, body) => {
    fake.on(
      '/v1/token',
      () => new HttpResponse(body, { status, headers: { 'content-type': type } }),
    )
    const err = await client.refresh('rt').catch((e) => e)
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.status).toBe(status)
    expect(err.message).toMatch(/^refresh token grant/)
    // oauth4webapi's wording never reaches the message.
    expect(err.message).not.toMatch(/"response"|conform|must be|OperationProcessingError/)
  })
})

describe('no token in a message or cause (weaknesses 5 and 7)', () => {
  const SECRET = 'SECRET-TOKEN-VALUE-1234567890'

  it('a token with a control character is refused before anything is sent, without quoting it', async () => {
    for (const call of [
      (): Promise<unknown> => client.userinfo(`${SECRET}\n`, { skipSubjectCheck: true }),
      () => client.fetchProtected(`${SECRET}\r\nX-Injected: 1`, 'https://api.example.com/x'),
      () => client.fetchProtected(`${SECRET} `, 'https://api.example.com/x'),
    ]) {
      const err = await Promise.resolve()
        .then(call)
        .catch((e) => e)
      expect(err).toBeInstanceOf(InvalidOptionError)
      expect(inspect(err, { depth: 10 })).not.toContain(SECRET)
    }
    expect(fake.requestsTo('/v1/userinfo')).toHaveLength(0)
  })

  it('a header value with a control character is refused as the caller mistake it is', async () => {
    const err = await Promise.resolve()
      .then(() =>
        client.fetchProtected('at', 'https://api.example.com/x', {
          headers: { 'x-trace': `${SECRET}\nx-injected: 1` },
        }),
      )
      .catch((e) => e)
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(inspect(err, { depth: 10 })).not.toContain(SECRET)
  })

  it('a server issuing a token that cannot be sent in a header → InvalidResponseError at once', async () => {
    fake.on('/v1/token', () => tokenBody({ access_token: `${SECRET}\n` }))
    const err = await client.refresh('rt').catch((e) => e)
    expect(err).toMatchObject({ name: 'InvalidResponseError', code: 'ERR_INVALID_RESPONSE' })
    expect(inspect(err, { depth: 10 })).not.toContain(SECRET)
  })

  it('a custom fetch whose error quotes the request: its message is not copied, nor kept as cause', async () => {
    const quoting = fake.client({
      redirectUri: REDIRECT,
      fetch: async (input, init) => {
        const auth = new Headers(init?.headers).get('authorization')
        throw new Error(`cannot send ${String(input)} with ${auth}`)
      },
    })
    const err = await quoting.userinfo(SECRET, { skipSubjectCheck: true }).catch((e) => e)
    expect(err).toBeInstanceOf(NetworkError)
    expect(inspect(err, { depth: 10 })).not.toContain(SECRET)
    expect(JSON.stringify(err)).not.toContain(SECRET)
  })

  it('ID-token claim values never reach a message or a cause', async () => {
    const claims = {
      sub: 'SUBJECT-VALUE-1',
      email: 'EMAIL-VALUE@example.com',
      nonce: 'NONCE-VALUE-1',
    }
    for (const bad of [
      { aud: 'another-client' },
      { iss: 'https://evil.example.com' },
      { iat: now() - 7200, exp: now() - 3600 },
    ]) {
      const token = await fake.idToken({ ...claims, ...bad })
      const err = await client.validateIdToken(token, { nonce: claims.nonce }).catch((e) => e)
      expect(err.name).toBe('TokenValidationError')
      const printed = [String(err), JSON.stringify(err), inspect(err, { depth: 10 })].join('\n')
      for (const value of Object.values(claims)) expect(printed).not.toContain(value)
      expect(printed).not.toContain(token)
    }
  })
})
