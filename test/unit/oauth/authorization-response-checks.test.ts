// The checks handleCallback makes before it trusts a response, in order and
// failing closed: state, error responses, iss, the parameters the response
// type calls for, one response per transaction, and the transaction itself.
// The fake issuer and client are in authorization-response-harness.ts.
import { describe, expect, it } from 'vitest'
import { AuthorizationResponseError, CallbackError } from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import {
  callback,
  flow,
  REDIRECT,
  serveCode,
  start,
  useAuthorizationResponseHarness,
} from './authorization-response-harness.js'

useAuthorizationResponseHarness()

describe('checks, in order, failing closed', () => {
  it('state: missing, wrong, duplicated', async () => {
    const t = await start()
    expect(
      await rejection(flow.client.handleCallback(callback(t, { code: 'c' }), t)),
    ).toMatchObject({
      code: 'ERR_STATE_MISMATCH',
    })
    expect(
      await rejection(flow.client.handleCallback(callback(t, { code: 'c', state: 'other' }), t)),
    ).toBeInstanceOf(CallbackError)
    const dup = `${REDIRECT}?code=c&state=${t.state}&state=${t.state}`
    expect(await rejection(flow.client.handleCallback(dup, t))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
      parameter: 'state',
    })
    expect(flow.fake.requestsTo('/v1/token')).toHaveLength(0)
  })

  it('an error with a wrong state is a state mismatch, not the error', async () => {
    const t = await start()
    const err = await rejection(
      flow.client.handleCallback(callback(t, { error: 'access_denied', state: 'forged' }), t),
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
      flow.client.handleCallback(
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
      flow.client.handleCallback(
        callback(t, { code: 'c', state: t.state, iss: 'https://evil.example.com' }),
        t,
      ),
    )
    expect(wrong).toMatchObject({ code: 'ERR_CALLBACK_ISSUER_MISMATCH', parameter: 'iss' })
    Object.assign(flow.fake.metadata, { authorization_response_iss_parameter_supported: true })
    const strictClient = flow.fake.client({ redirectUri: REDIRECT })
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
    const err = await rejection(flow.client.handleCallback(callback(t, params), t))
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TYPE_MISMATCH', parameter })
  })

  it('one response per transaction: a replay is refused, also after a failure', async () => {
    const t = await start()
    serveCode('c', flow.fake.idToken({ nonce: t.nonce }))
    const url = callback(t, { code: 'c', state: t.state })
    await flow.client.handleCallback(url, t)
    expect(await rejection(flow.client.handleCallback(url, t))).toMatchObject({
      code: 'ERR_TRANSACTION_REUSED',
    })
    const t2 = await start()
    await rejection(
      flow.client.handleCallback(callback(t2, { error: 'access_denied', state: t2.state }), t2),
    )
    expect(
      await rejection(flow.client.handleCallback(callback(t2, { code: 'c', state: t2.state }), t2)),
    ).toMatchObject({
      code: 'ERR_TRANSACTION_REUSED',
    })
    expect(flow.fake.requestsTo('/v1/token')).toHaveLength(1)
  })

  it('expired, foreign and malformed transactions', async () => {
    let now = Date.now()
    const timed = flow.fake.client({
      redirectUri: REDIRECT,
      now: () => now,
      transactionTtl: 60_000,
    })
    const t = (await timed.authorizationUrl()).transaction
    now += 61_000
    expect(
      await rejection(timed.handleCallback(callback(t, { code: 'c', state: t.state }), t)),
    ).toMatchObject({
      code: 'ERR_TRANSACTION_EXPIRED',
    })
    const foreign = { ...(await start()), clientId: 'someone-else' }
    expect(await rejection(flow.client.handleCallback('https://x/?code=c', foreign))).toMatchObject(
      {
        code: 'ERR_TRANSACTION_INVALID',
      },
    )
    expect(
      await rejection(flow.client.handleCallback('https://x/?code=c', {} as never)),
    ).toMatchObject({
      code: 'ERR_TRANSACTION_INVALID',
    })
    expect(
      await rejection(flow.client.handleCallback('https://x/?code=c', null as never)),
    ).toMatchObject({ code: 'ERR_TRANSACTION_INVALID' })
  })
})
