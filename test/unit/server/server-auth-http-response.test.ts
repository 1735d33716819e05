// toHttpResponse: the status and fixed, safe message for each kind of error,
// including faults of a hostile token endpoint. The harness is in
// server-auth-harness.ts.
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  AuthorizationResponseError,
  CallbackError,
  InvalidOptionError,
  InvalidResponseError,
  NetworkError,
  OAuthResponseError,
  TimeoutError,
  TokenValidationError,
} from '../../../src/index.js'
import { toHttpResponse } from '../../../src/server/index.js'
import { server } from '../msw.js'
import { authorize, formPost, HTTP_REDIRECT } from './helpers.js'
import { harness, makeAuth, rejection, useServerAuthHarness } from './server-auth-harness.js'

useServerAuthHarness()

describe('toHttpResponse', () => {
  it('maps every kind of error to a status and a fixed, safe message', async () => {
    const cases: [unknown, number][] = [
      [new CallbackError('x', { code: 'ERR_TRANSACTION_TAMPERED' }), 400],
      [
        new AuthorizationResponseError(undefined, {
          error: 'login_required',
          errorDescription: 'secret',
        }),
        401,
      ],
      [
        new TokenValidationError('x', {
          code: 'ERR_NONCE_MISMATCH',
          token: 'id_token',
          reason: 'x',
        }),
        401,
      ],
      [new OAuthResponseError(undefined, { error: 'invalid_grant', status: 400 }), 401],
      [new OAuthResponseError(undefined, { error: 'invalid_client', status: 401 }), 502],
      [new NetworkError('x'), 502],
      [new InvalidResponseError('x', { status: 200 }), 502],
      [new InvalidResponseError('x', { status: 200, code: 'ERR_RESPONSE_TOO_LARGE' }), 502],
      [new TimeoutError('x', { timeout: 10 }), 504],
      [new InvalidOptionError('x'), 500],
      [new Error('eyJsecret'), 500],
      ['a string', 500],
    ]
    for (const [err, status] of cases) {
      const answer = toHttpResponse(err)
      expect(answer.status).toBe(status)
      expect(answer.message).not.toMatch(/secret|eyJ/)
      const response = answer.response()
      expect(response.status).toBe(status)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(await response.text()).toBe(answer.message)
    }
  })

  it('a server fault is never a caller mistake: a token endpoint answering token_type "mac" → InvalidResponseError → 502', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    // The hostile token endpoint: a well-formed answer with a token type nobody asked for.
    server.use(
      http.post(`${harness.org.issuer()}/v1/token`, () =>
        HttpResponse.json({
          access_token: 'at-from-a-hostile-server',
          token_type: 'mac',
          expires_in: 3600,
          scope: 'openid',
        }),
      ),
    )
    const err = await rejection(auth.callback(formPost(action, fields, cookie)))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).not.toBeInstanceOf(InvalidOptionError)
    const answer = toHttpResponse(err)
    expect(answer.status).toBe(502)
    expect(answer.message).not.toContain('at-from-a-hostile-server')
  })

  it('a token endpoint answering more than 1 MiB → ERR_RESPONSE_TOO_LARGE → 502', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    server.use(
      http.post(`${harness.org.issuer()}/v1/token`, () =>
        HttpResponse.json({
          access_token: 'at',
          token_type: 'Bearer',
          padding: 'p'.repeat(2 * 1024 * 1024),
        }),
      ),
    )
    const err = await rejection(auth.callback(formPost(action, fields, cookie)))
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    expect(toHttpResponse(err).status).toBe(502)
  })

  it('sends Allow with a 405', async () => {
    const post = makeAuth()
    const get = await rejection(post.callback(new Request(HTTP_REDIRECT)))
    expect(toHttpResponse(get).response().headers.get('allow')).toBe('POST')
    const query = makeAuth({ responseMode: 'query' })
    const put = await rejection(query.callback(new Request(HTTP_REDIRECT, { method: 'PUT' })))
    expect(toHttpResponse(put).response().headers.get('allow')).toBe('GET')
  })
})
