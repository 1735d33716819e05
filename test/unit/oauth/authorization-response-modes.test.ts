// Where a callback's parameters come from: the code flow in each response
// mode (query, fragment, form_post, okta_post_message, a form_post Request),
// and every response type in every mode the servers list. The fake issuer and
// client are in authorization-response-harness.ts.
import { describe, expect, it } from 'vitest'
import { tokenHash } from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { USER_SUB } from '../fake-issuer.js'
import {
  callback,
  flow,
  REDIRECT,
  serveCode,
  start,
  useAuthorizationResponseHarness,
} from './authorization-response-harness.js'

useAuthorizationResponseHarness()

describe('code flow', () => {
  it.each(['query', 'fragment', 'form_post', 'okta_post_message'] as const)(
    'response_mode %s: checks state, exchanges the code with the verifier',
    async (responseMode) => {
      const t = await start({ responseMode })
      serveCode('the-code', flow.fake.idToken({ nonce: t.nonce }))
      const params = { code: 'the-code', state: t.state, iss: flow.fake.issuer }
      const input =
        responseMode === 'form_post'
          ? new URLSearchParams(params).toString()
          : responseMode === 'okta_post_message'
            ? { data: params, origin: new URL(flow.fake.issuer).origin }
            : callback(t, params)
      const tokens = await flow.client.handleCallback(input, t)
      expect(tokens.accessToken).toBe('at-back')
      expect(tokens.idTokenClaims).toMatchObject({ sub: USER_SUB, nonce: t.nonce })
      const [req] = flow.fake.requestsTo('/v1/token')
      expect(req!.form.get('code_verifier')).toBe(t.codeVerifier)
      expect(req!.form.get('redirect_uri')).toBe(REDIRECT)
    },
  )

  it('accepts a form_post Request and refuses other methods and content types', async () => {
    const t = await start({ responseMode: 'form_post' })
    serveCode('c', flow.fake.idToken({ nonce: t.nonce }))
    const body = new URLSearchParams({ code: 'c', state: t.state }).toString()
    const wrongType = new Request(REDIRECT, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain' },
    })
    expect(await rejection(flow.client.handleCallback(wrongType, t))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
    })
    const put = new Request(REDIRECT, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(await rejection(flow.client.handleCallback(put, t))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
    })
    const ok = new Request(REDIRECT, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    })
    // The refused requests consumed nothing: the genuine one still succeeds.
    await expect(flow.client.handleCallback(ok, t)).resolves.toMatchObject({
      accessToken: 'at-back',
    })
  })

  it('reads parameters only from where the response mode puts them', async () => {
    const t = await start({ responseMode: 'fragment' })
    const err = await rejection(
      flow.client.handleCallback(`${REDIRECT}?code=c&state=${t.state}`, t),
    )
    expect(err).toMatchObject({ code: 'ERR_STATE_MISMATCH', parameter: 'state' })
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
    Object.assign(flow.fake.metadata, {
      response_types_supported: [...flow.fake.metadata.response_types_supported!, 'token'],
    })
    flow.client = flow.fake.client({ redirectUri: REDIRECT, postMessageForCode: true })
    const t = await start({ responseType, responseMode, scope: 'openid profile' })
    const wants = new Set(responseType.split(' '))
    const params: Record<string, string> = { state: t.state }
    if (wants.has('code')) {
      params.code = 'matrix-code'
      serveCode('matrix-code', flow.fake.idToken({ nonce: t.nonce }))
    }
    if (wants.has('token'))
      Object.assign(params, { access_token: 'front-at', token_type: 'Bearer', expires_in: '600' })
    if (wants.has('id_token')) {
      params.id_token = await flow.fake.idToken({
        nonce: t.nonce,
        ...(wants.has('token') && { at_hash: await tokenHash('front-at', 'RS256') }),
        ...(wants.has('code') && { c_hash: await tokenHash('matrix-code', 'RS256') }),
      })
    }
    const input =
      responseMode === 'form_post'
        ? new URLSearchParams(params).toString()
        : responseMode === 'okta_post_message'
          ? { data: params, origin: new URL(flow.fake.issuer).origin }
          : callback(t, params)
    const result = await flow.client.handleCallback(input, t)
    if (wants.has('code')) expect(result.accessToken).toBe('at-back')
    else if (wants.has('token'))
      expect(result).toMatchObject({ accessToken: 'front-at', expiresIn: 600 })
    else expect(result.accessToken).toBeUndefined()
    if (wants.has('id_token') || wants.has('code')) expect(result.idTokenClaims?.sub).toBe(USER_SUB)
    expect(flow.fake.requestsTo('/v1/token')).toHaveLength(wants.has('code') ? 1 : 0)
  })
})
