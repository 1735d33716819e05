/**
 * A 401 from the API: OAuth for Okta asks for a new token and retries
 * once (outside the 429 retry budget); a second 401 is the error; SSWS,
 * with nothing to refresh, does not retry.
 */
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { OktaApiError } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { key, MANAGE, ONE_SERVER, READ, SERVER, useAuthHooks } from './auth-harness.js'
import { CREATE_SERVER_BODY, SERVER_ID } from './fixtures.js'
import {
  API,
  apiCalls,
  oauthClient,
  oktaError,
  record,
  rejectionOf,
  sswsClient,
  tokenCalls,
  tokenEndpoint,
} from './helpers.js'

useAuthHooks()

describe('auth: 401 from the API', () => {
  it.each([
    [
      'with Okta’s WWW-Authenticate challenge',
      {
        'www-authenticate':
          'Bearer authorization_uri="https://example.okta.com/oauth2/v1/authorize", realm="IdpError", error="invalid_token", error_description="The access token is invalid.", resource="/api/v1/authorizationServers"',
      },
    ],
    ['without a challenge', {}],
  ])('%s: one new token request, one retry', async (_, headers) => {
    const { issued } = tokenEndpoint()
    let n = 0
    server.use(
      http.get(ONE_SERVER, () =>
        ++n === 1
          ? HttpResponse.json(oktaError('Invalid token provided'), { status: 401, headers })
          : HttpResponse.json(SERVER),
      ),
    )
    const seen = record()
    await expect(oauthClient(key, [READ]).authorizationServers.get(SERVER_ID)).resolves.toEqual(
      SERVER,
    )
    expect(tokenCalls(seen)).toHaveLength(2)
    expect(apiCalls(seen).map((c) => c.headers.get('authorization'))).toEqual([
      `Bearer ${issued[0]}`,
      `Bearer ${issued[1]}`,
    ])
  })

  it('a second 401 → OktaApiError ERR_API_UNAUTHORIZED, with the Okta body', async () => {
    tokenEndpoint()
    server.use(
      http.get(ONE_SERVER, () =>
        HttpResponse.json(oktaError('Invalid token provided'), {
          status: 401,
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        }),
      ),
    )
    const seen = record()
    const err = await rejectionOf(oauthClient(key, [READ]).authorizationServers.get(SERVER_ID))
    expect(err).toBeInstanceOf(OktaApiError)
    expect(err).toMatchObject({
      code: 'ERR_API_UNAUTHORIZED',
      status: 401,
      errorSummary: 'Invalid token provided',
    })
    expect(tokenCalls(seen)).toHaveLength(2)
    expect(apiCalls(seen)).toHaveLength(2)
  })

  it('the 401 retry is not one of the retry.limit 429 retries', async () => {
    tokenEndpoint()
    let n = 0
    server.use(
      http.get(ONE_SERVER, () =>
        ++n === 1
          ? HttpResponse.json(oktaError('Invalid token provided'), { status: 401 })
          : HttpResponse.json({ errorCode: 'E0000047' }, { status: 429 }),
      ),
    )
    const err = await rejectionOf(
      oauthClient(key, [READ], { retry: { limit: 0 } }).authorizationServers.get(SERVER_ID),
    )
    // Refreshed once although retry.limit is 0; the next 429 retry would be the first: 1 s.
    expect(err).toMatchObject({ code: 'ERR_API_RATE_LIMITED', retryAfter: 1_000 })
    expect(n).toBe(2)
  })

  it('a POST that creates is retried once with a fresh token too', async () => {
    tokenEndpoint()
    let n = 0
    server.use(
      http.post(`${API}/authorizationServers`, () =>
        ++n === 1
          ? HttpResponse.json(oktaError('Invalid token provided'), { status: 401 })
          : HttpResponse.json(SERVER),
      ),
    )
    await expect(
      oauthClient(key, [MANAGE]).authorizationServers.create(CREATE_SERVER_BODY),
    ).resolves.toEqual(SERVER)
    expect(n).toBe(2)
  })

  it('SSWS: a 401 is not retried (there is nothing to refresh)', async () => {
    server.use(http.get(ONE_SERVER, () => HttpResponse.json(oktaError(), { status: 401 })))
    const seen = record()
    const err = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    expect(err).toMatchObject({ code: 'ERR_API_UNAUTHORIZED' })
    expect(seen).toHaveLength(1)
  })
})
