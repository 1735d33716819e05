import fc from 'fast-check'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  type AuthorizationRequest,
  AuthorizationResponseError,
  type AuthorizationTransaction,
  CallbackError,
  type Client,
  isOktaOAuthError,
  tokenHash,
} from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { createFakeIssuer, type FakeIssuer, tokenBody, USER_SUB } from '../fake-issuer.js'

const REDIRECT = 'https://app.example.com/callback'
let fake: FakeIssuer
let client: Client

beforeEach(async () => {
  fake = await createFakeIssuer()
  client = fake.client({ redirectUri: REDIRECT, postMessageForCode: true })
})

async function start(request: AuthorizationRequest = {}) {
  return (await client.authorizationUrl(request)).transaction
}

/** The callback URL for a transaction, with parameters in its response mode's place. */
function callback(t: AuthorizationTransaction, params: Record<string, string>) {
  const q = new URLSearchParams(params).toString()
  return t.responseMode === 'fragment' ? `${REDIRECT}#${q}` : `${REDIRECT}?${q}`
}

function serveCode(code: string, idToken?: Promise<string>) {
  fake.on('/v1/token', async (_req, form) => {
    if (form.get('code') !== code) return Response.json({ error: 'invalid_grant' }, { status: 400 })
    return tokenBody({
      access_token: 'at-back',
      refresh_token: 'rt',
      ...(idToken && { id_token: await idToken }),
    })
  })
}

describe('code flow', () => {
  it.each(['query', 'fragment', 'form_post', 'okta_post_message'] as const)(
    'response_mode %s: checks state, exchanges the code with the verifier',
    async (responseMode) => {
      const t = await start({ responseMode })
      serveCode('the-code', fake.idToken({ nonce: t.nonce }))
      const params = { code: 'the-code', state: t.state, iss: fake.issuer }
      const input =
        responseMode === 'form_post'
          ? new URLSearchParams(params).toString()
          : responseMode === 'okta_post_message'
            ? { data: params, origin: new URL(fake.issuer).origin }
            : callback(t, params)
      const tokens = await client.handleCallback(input, t)
      expect(tokens.accessToken).toBe('at-back')
      expect(tokens.idTokenClaims).toMatchObject({ sub: USER_SUB, nonce: t.nonce })
      const [req] = fake.requestsTo('/v1/token')
      expect(req!.form.get('code_verifier')).toBe(t.codeVerifier)
      expect(req!.form.get('redirect_uri')).toBe(REDIRECT)
    },
  )

  it('accepts a form_post Request and refuses other methods and content types', async () => {
    const t = await start({ responseMode: 'form_post' })
    serveCode('c', fake.idToken({ nonce: t.nonce }))
    const body = new URLSearchParams({ code: 'c', state: t.state }).toString()
    const wrongType = new Request(REDIRECT, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain' },
    })
    expect(await rejection(client.handleCallback(wrongType, t))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
    })
    const put = new Request(REDIRECT, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(await rejection(client.handleCallback(put, t))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
    })
    const ok = new Request(REDIRECT, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    })
    // The refused requests consumed nothing: the genuine one still succeeds.
    await expect(client.handleCallback(ok, t)).resolves.toMatchObject({ accessToken: 'at-back' })
  })

  it('reads parameters only from where the response mode puts them', async () => {
    const t = await start({ responseMode: 'fragment' })
    const err = await rejection(client.handleCallback(`${REDIRECT}?code=c&state=${t.state}`, t))
    expect(err).toMatchObject({ code: 'ERR_STATE_MISMATCH', parameter: 'state' })
  })
})

describe('checks, in order, failing closed', () => {
  it('state: missing, wrong, duplicated', async () => {
    const t = await start()
    expect(await rejection(client.handleCallback(callback(t, { code: 'c' }), t))).toMatchObject({
      code: 'ERR_STATE_MISMATCH',
    })
    expect(
      await rejection(client.handleCallback(callback(t, { code: 'c', state: 'other' }), t)),
    ).toBeInstanceOf(CallbackError)
    const dup = `${REDIRECT}?code=c&state=${t.state}&state=${t.state}`
    expect(await rejection(client.handleCallback(dup, t))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
      parameter: 'state',
    })
    expect(fake.requestsTo('/v1/token')).toHaveLength(0)
  })

  it('an error with a wrong state is a state mismatch, not the error', async () => {
    const t = await start()
    const err = await rejection(
      client.handleCallback(callback(t, { error: 'access_denied', state: 'forged' }), t),
    )
    expect(err.code).toBe('ERR_STATE_MISMATCH')
  })

  it.each([
    'access_denied',
    'invalid_client',
    'login_required',
    'consent_required',
    'interaction_required',
    'invalid_scope',
    'unsupported_response_type',
    'unsupported_response_mode',
    'server_error',
    'temporarily_unavailable',
    'invalid_request',
  ])('%s becomes an AuthorizationResponseError', async (error) => {
    const t = await start()
    const err = await rejection(
      client.handleCallback(
        callback(t, {
          error,
          error_description: 'The resource owner or authorization server denied the request.',
          state: t.state,
        }),
        t,
      ),
    )
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({
      code: 'ERR_AUTHORIZATION_RESPONSE',
      error,
      errorDescription: 'The resource owner or authorization server denied the request.',
    })
  })

  it('iss: a wrong one is refused; a missing one only when the server promises it', async () => {
    const t = await start()
    const wrong = await rejection(
      client.handleCallback(
        callback(t, { code: 'c', state: t.state, iss: 'https://evil.example.com' }),
        t,
      ),
    )
    expect(wrong).toMatchObject({ code: 'ERR_CALLBACK_ISSUER_MISMATCH', parameter: 'iss' })
    Object.assign(fake.metadata, { authorization_response_iss_parameter_supported: true })
    const strictClient = fake.client({ redirectUri: REDIRECT })
    const t2 = (await strictClient.authorizationUrl()).transaction
    const missing = await rejection(
      strictClient.handleCallback(callback(t2, { code: 'c', state: t2.state }), t2),
    )
    expect(missing).toMatchObject({ code: 'ERR_CALLBACK_ISSUER_MISMATCH' })
  })

  it.each([
    ['code', { access_token: 'at', token_type: 'Bearer' }, 'access_token'],
    ['code', {}, 'code'],
    ['id_token token', { access_token: 'at', token_type: 'Bearer' }, 'id_token'],
    ['id_token', { code: 'c', id_token: 'x.y.z' }, 'code'],
    ['code id_token', { code: 'c' }, 'id_token'],
  ])('response type %s refuses a response %j (%s)', async (responseType, extra, parameter) => {
    const t = await start({ responseType })
    const params: Record<string, string> = { state: t.state, ...(extra as Record<string, string>) }
    if (responseType === 'code' && parameter === 'access_token') params.code = 'c'
    const err = await rejection(client.handleCallback(callback(t, params), t))
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TYPE_MISMATCH', parameter })
  })

  it('one response per transaction: a replay is refused, also after a failure', async () => {
    const t = await start()
    serveCode('c', fake.idToken({ nonce: t.nonce }))
    const url = callback(t, { code: 'c', state: t.state })
    await client.handleCallback(url, t)
    expect(await rejection(client.handleCallback(url, t))).toMatchObject({
      code: 'ERR_TRANSACTION_REUSED',
    })
    const t2 = await start()
    await rejection(
      client.handleCallback(callback(t2, { error: 'access_denied', state: t2.state }), t2),
    )
    expect(
      await rejection(client.handleCallback(callback(t2, { code: 'c', state: t2.state }), t2)),
    ).toMatchObject({
      code: 'ERR_TRANSACTION_REUSED',
    })
    expect(fake.requestsTo('/v1/token')).toHaveLength(1)
  })

  it('expired, foreign and malformed transactions', async () => {
    let now = Date.now()
    const timed = fake.client({ redirectUri: REDIRECT, now: () => now, transactionTtl: 60_000 })
    const t = (await timed.authorizationUrl()).transaction
    now += 61_000
    expect(
      await rejection(timed.handleCallback(callback(t, { code: 'c', state: t.state }), t)),
    ).toMatchObject({
      code: 'ERR_TRANSACTION_EXPIRED',
    })
    const foreign = { ...(await start()), clientId: 'someone-else' }
    expect(await rejection(client.handleCallback('https://x/?code=c', foreign))).toMatchObject({
      code: 'ERR_TRANSACTION_INVALID',
    })
    expect(await rejection(client.handleCallback('https://x/?code=c', {} as never))).toMatchObject({
      code: 'ERR_TRANSACTION_INVALID',
    })
    expect(
      await rejection(client.handleCallback('https://x/?code=c', null as never)),
    ).toMatchObject({ code: 'ERR_TRANSACTION_INVALID' })
  })
})

describe('implicit', () => {
  it('id_token token: validates the ID token, nonce and at_hash, returns both tokens', async () => {
    const t = await start({ responseType: 'id_token token' })
    const idToken = await fake.idToken({
      nonce: t.nonce,
      at_hash: await tokenHash('front-at', 'RS256'),
    })
    const result = await client.handleCallback(
      callback(t, {
        id_token: idToken,
        access_token: 'front-at',
        token_type: 'Bearer',
        expires_in: '3600',
        scope: 'openid',
        state: t.state,
      }),
      t,
    )
    expect(result).toMatchObject({
      accessToken: 'front-at',
      tokenType: 'Bearer',
      expiresIn: 3600,
      scope: 'openid',
      idToken,
    })
    expect(result.idTokenClaims?.nonce).toBe(t.nonce)
    expect(fake.requestsTo('/v1/token')).toHaveLength(0)
  })

  it('id_token token: a wrong or missing at_hash is refused', async () => {
    const t = await start({ responseType: 'id_token token' })
    const wrong = await fake.idToken({ nonce: t.nonce, at_hash: await tokenHash('other', 'RS256') })
    const err = await rejection(
      client.handleCallback(
        callback(t, {
          id_token: wrong,
          access_token: 'front-at',
          token_type: 'Bearer',
          state: t.state,
        }),
        t,
      ),
    )
    expect(err).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'at_hash' })
    const t2 = await start({ responseType: 'id_token token' })
    const none = await fake.idToken({ nonce: t2.nonce })
    const err2 = await rejection(
      client.handleCallback(
        callback(t2, { id_token: none, access_token: 'a', token_type: 'Bearer', state: t2.state }),
        t2,
      ),
    )
    expect(err2).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', reason: 'missing' })
  })

  it('id_token: the nonce is required and must match', async () => {
    const t = await start({ responseType: 'id_token' })
    const result = await client.handleCallback(
      callback(t, { id_token: await fake.idToken({ nonce: t.nonce }), state: t.state }),
      t,
    )
    expect(result.accessToken).toBeUndefined()
    expect(result.idTokenClaims?.sub).toBe(USER_SUB)
    const t2 = await start({ responseType: 'id_token' })
    const err = await rejection(
      client.handleCallback(callback(t2, { id_token: await fake.idToken(), state: t2.state }), t2),
    )
    expect(err).toMatchObject({ code: 'ERR_NONCE_MISMATCH' })
  })

  it('a tampered or expired front-channel ID token is refused', async () => {
    const t = await start({ responseType: 'id_token' })
    const token = await fake.idToken({ nonce: t.nonce })
    const [h, p, s] = token.split('.')
    const err = await rejection(
      client.handleCallback(callback(t, { id_token: `${h}.${p}x.${s}`, state: t.state }), t),
    )
    expect(isOktaOAuthError(err)).toBe(true)
    const t2 = await start({ responseType: 'id_token' })
    const now = Math.floor(Date.now() / 1000)
    const expired = await fake.idToken({ nonce: t2.nonce, iat: now - 7200, exp: now - 3600 })
    expect(
      await rejection(
        client.handleCallback(callback(t2, { id_token: expired, state: t2.state }), t2),
      ),
    ).toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    })
  })
})

describe('hybrid', () => {
  it('code id_token: checks c_hash, exchanges the code, binds the back-channel sub', async () => {
    const t = await start({ responseType: 'code id_token' })
    const front = await fake.idToken({
      nonce: t.nonce,
      c_hash: await tokenHash('hy-code', 'RS256'),
    })
    serveCode('hy-code', fake.idToken({ nonce: t.nonce }))
    const tokens = await client.handleCallback(
      callback(t, { code: 'hy-code', id_token: front, state: t.state }),
      t,
    )
    expect(tokens.accessToken).toBe('at-back')
    expect(tokens.idTokenClaims?.sub).toBe(USER_SUB)
  })

  it('code id_token: a wrong c_hash stops before the code is exchanged', async () => {
    const t = await start({ responseType: 'code id_token' })
    const front = await fake.idToken({
      nonce: t.nonce,
      c_hash: await tokenHash('other-code', 'RS256'),
    })
    const err = await rejection(
      client.handleCallback(callback(t, { code: 'hy-code', id_token: front, state: t.state }), t),
    )
    expect(err).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'c_hash' })
    expect(fake.requestsTo('/v1/token')).toHaveLength(0)
  })

  it('code id_token: a back-channel ID token for another user is refused', async () => {
    const t = await start({ responseType: 'code id_token' })
    const front = await fake.idToken({
      nonce: t.nonce,
      c_hash: await tokenHash('hy-code', 'RS256'),
    })
    serveCode('hy-code', fake.idToken({ nonce: t.nonce, sub: '00uSOMEONEELSE' }))
    const err = await rejection(
      client.handleCallback(callback(t, { code: 'hy-code', id_token: front, state: t.state }), t),
    )
    expect(err).toMatchObject({ code: 'ERR_SUBJECT_MISMATCH' })
  })

  it('code id_token token: at_hash and c_hash both required', async () => {
    const t = await start({ responseType: 'code id_token token' })
    const front = await fake.idToken({
      nonce: t.nonce,
      c_hash: await tokenHash('hy-code', 'RS256'),
      at_hash: await tokenHash('front-at', 'RS256'),
    })
    serveCode('hy-code', fake.idToken({ nonce: t.nonce }))
    const tokens = await client.handleCallback(
      callback(t, {
        code: 'hy-code',
        id_token: front,
        access_token: 'front-at',
        token_type: 'Bearer',
        state: t.state,
      }),
      t,
    )
    expect(tokens.accessToken).toBe('at-back')
  })
})

describe('every response type × response mode the servers list', () => {
  const TYPES = [
    'code',
    'token',
    'id_token',
    'id_token token',
    'code id_token',
    'code token',
    'code id_token token',
  ]
  const MODES = ['query', 'fragment', 'form_post', 'okta_post_message'] as const
  const cases = TYPES.flatMap((type) =>
    MODES.filter((mode) => mode !== 'query' || type === 'code').map(
      (mode) => [type, mode] as const,
    ),
  )

  it.each(cases)('%s via %s', async (responseType, responseMode) => {
    // The org server lists six types; custom servers also list bare `token`.
    Object.assign(fake.metadata, {
      response_types_supported: [...fake.metadata.response_types_supported!, 'token'],
    })
    client = fake.client({ redirectUri: REDIRECT, postMessageForCode: true })
    const t = await start({ responseType, responseMode, scope: 'openid profile' })
    const wants = new Set(responseType.split(' '))
    const params: Record<string, string> = { state: t.state }
    if (wants.has('code')) {
      params.code = 'matrix-code'
      serveCode('matrix-code', fake.idToken({ nonce: t.nonce }))
    }
    if (wants.has('token'))
      Object.assign(params, { access_token: 'front-at', token_type: 'Bearer', expires_in: '600' })
    if (wants.has('id_token')) {
      params.id_token = await fake.idToken({
        nonce: t.nonce,
        ...(wants.has('token') && { at_hash: await tokenHash('front-at', 'RS256') }),
        ...(wants.has('code') && { c_hash: await tokenHash('matrix-code', 'RS256') }),
      })
    }
    const input =
      responseMode === 'form_post'
        ? new URLSearchParams(params).toString()
        : responseMode === 'okta_post_message'
          ? { data: params, origin: new URL(fake.issuer).origin }
          : callback(t, params)
    const result = await client.handleCallback(input, t)
    if (wants.has('code')) expect(result.accessToken).toBe('at-back')
    else if (wants.has('token'))
      expect(result).toMatchObject({ accessToken: 'front-at', expiresIn: 600 })
    else expect(result.accessToken).toBeUndefined()
    if (wants.has('id_token') || wants.has('code')) expect(result.idTokenClaims?.sub).toBe(USER_SUB)
    expect(fake.requestsTo('/v1/token')).toHaveLength(wants.has('code') ? 1 : 0)
  })
})

describe('hostile and random input (property-based)', () => {
  const tokenish = fc.oneof(
    fc.string(),
    fc.constantFrom('', 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.', '%', '%%', '\u0000'),
  )
  const paramName = fc.constantFrom(
    'code',
    'state',
    'error',
    'error_description',
    'iss',
    'id_token',
    'access_token',
    'token_type',
    'expires_in',
    'scope',
    'x',
  )

  it('only ever resolves with validated tokens or rejects with an SDK error, never hangs', async () => {
    fake.on('/v1/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    const types = ['code', 'id_token', 'id_token token', 'code id_token'] as const
    const modes = ['query', 'fragment', 'form_post', 'okta_post_message'] as const
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...types),
        fc.constantFrom(...modes),
        fc.array(fc.tuple(paramName, tokenish), { maxLength: 8 }),
        fc.boolean(),
        fc.oneof(
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('url'),
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('string'),
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('params'),
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('object'),
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('garbage'),
        ),
        async (responseType, responseMode, pairs, withState, shape) => {
          if (responseMode === 'query' && responseType !== 'code') return
          const t = await start({ responseType, responseMode })
          const params = new URLSearchParams(pairs)
          if (withState) params.set('state', t.state)
          const input =
            shape === 'url'
              ? `${REDIRECT}${responseMode === 'fragment' ? '#' : '?'}${params}`
              : shape === 'string'
                ? params.toString()
                : shape === 'params'
                  ? params
                  : shape === 'object'
                    ? { data: Object.fromEntries(params), origin: new URL(fake.issuer).origin }
                    : ((pairs.length % 2 ? 42 : [params.toString()]) as never)
          const outcome = await Promise.race([
            client.handleCallback(input, t).then(
              (r) => ({ ok: r }),
              (e) => ({ err: e }),
            ),
            new Promise<{ hang: true }>((r) => setTimeout(() => r({ hang: true }), 5_000)),
          ])
          expect('hang' in outcome).toBe(false)
          if ('err' in outcome) {
            expect(isOktaOAuthError(outcome.err), String(outcome.err)).toBe(true)
          } else if ('ok' in outcome) {
            // Random input never carries a token our issuer signed: nothing may resolve.
            throw new Error('random input was accepted')
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('mutated genuine responses are refused with SDK errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.string({ minLength: 1, maxLength: 3 }),
        async (seed, junk) => {
          const t = await start({ responseType: 'id_token token' })
          const idToken = await fake.idToken({
            nonce: t.nonce,
            at_hash: await tokenHash('at', 'RS256'),
          })
          const genuine = new URLSearchParams({
            id_token: idToken,
            access_token: 'at',
            token_type: 'Bearer',
            state: t.state,
          }).toString()
          const i = seed % genuine.length
          const mutated = genuine.slice(0, i) + junk + genuine.slice(i + 1)
          if (mutated === genuine) return
          const result = await client.handleCallback(`${REDIRECT}#${mutated}`, t).then(
            (r) => r,
            (e) => e,
          )
          if (result instanceof Error) expect(isOktaOAuthError(result), String(result)).toBe(true)
          else expect(result.idTokenClaims?.sub).toBe(USER_SUB) // a mutation that decodes to the same values
        },
      ),
      { numRuns: 150 },
    )
  })
})
