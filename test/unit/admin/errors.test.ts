import { inspect } from 'node:util'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  InvalidResponseError,
  isOktaApiError,
  isOktaOAuthError,
  NetworkError,
  OktaApiError,
  OktaOAuthError,
  type PolicyInput,
  type PolicyRuleInput,
  RequestValidationError,
} from '../../../src/admin/index.js'
import { generateDPoPKeyPair } from '../../../src/index.js'
import { server } from '../msw.js'
import { ROTATE_ERROR } from './fixtures.js'
import {
  API,
  apiCalls,
  oauthClient,
  oktaError,
  record,
  rejectionOf,
  SSWS_TOKEN,
  serviceKey,
  sswsClient,
  TOKEN_ENDPOINT,
  tokenEndpoint,
} from './helpers.js'

/** Every way an error can be printed or serialised. */
function renderings(err: unknown): string[] {
  const e = err as Error
  return [
    e.message,
    String(e),
    e.stack ?? '',
    JSON.stringify(e),
    JSON.stringify({ ...e }),
    inspect(e, { depth: 10 }),
  ]
}

describe('errors: the Okta error body', () => {
  it('carries errorCode, errorSummary, errorLink, errorId, errorCauses and the status', async () => {
    server.use(
      http.post(`${API}/authorizationServers`, () =>
        HttpResponse.json(oktaError(), { status: 400 }),
      ),
    )
    const err = await rejectionOf(
      sswsClient().authorizationServers.create({ name: 'x', audiences: ['api://x'] }),
    )
    expect(err).toBeInstanceOf(OktaApiError)
    expect(err).toBeInstanceOf(OktaOAuthError)
    expect(isOktaApiError(err)).toBe(true)
    expect(isOktaOAuthError(err)).toBe(true)
    expect(err).toMatchObject({
      name: 'OktaApiError',
      code: 'ERR_API_BAD_REQUEST',
      status: 400,
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: name',
      errorLink: 'E0000001',
      errorId: 'oaeprak9qKHRlaWiclJ4oPJRQ',
      errorCauses: [{ errorSummary: 'name: is required' }],
      requiredScope: 'okta.authorizationServers.manage',
    })
    expect(err.message).toBe(
      'authorizationServers.create failed with HTTP 400: Api validation failed: name',
    )
  })

  it('maps the rotation error example of the reference', async () => {
    server.use(
      http.post(`${API}/authorizationServers/aus1/credentials/lifecycle/keyRotate`, () =>
        HttpResponse.json(ROTATE_ERROR, { status: 400 }),
      ),
    )
    const err = await rejectionOf(sswsClient().keys.rotate('aus1'))
    expect(err).toMatchObject({
      code: 'ERR_API_BAD_REQUEST',
      errorSummary: 'Api validation failed: rotateKeys',
      errorCauses: [{ errorSummary: "Invalid value specified for key 'use' parameter." }],
    })
  })

  it.each([
    [400, 'ERR_API_BAD_REQUEST'],
    [401, 'ERR_API_UNAUTHORIZED'],
    [403, 'ERR_API_FORBIDDEN'],
    [404, 'ERR_API_NOT_FOUND'],
    [409, 'ERR_API_RESPONSE'],
    [429, 'ERR_API_RATE_LIMITED'],
    [500, 'ERR_API_RESPONSE'],
    [503, 'ERR_API_RESPONSE'],
  ] as const)('HTTP %i → %s', async (status, code) => {
    const seen = record()
    server.use(
      http.get(`${API}/authorizationServers/aus1`, () =>
        HttpResponse.json(oktaError(`failure ${status}`), {
          status,
          // A reset far away, so a 429 is reported rather than retried.
          headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 3600) },
        }),
      ),
    )
    const err = await rejectionOf(sswsClient().authorizationServers.get('aus1'))
    expect(err).toBeInstanceOf(OktaApiError)
    expect(err).toMatchObject({ code, status, errorSummary: `failure ${status}` })
    expect(apiCalls(seen)).toHaveLength(1)
  })

  it.each([
    ['HTML', () => HttpResponse.html('<h1>Bad gateway</h1>', { status: 502 })],
    ['plain text', () => HttpResponse.text('upstream timeout', { status: 504 })],
    ['an empty body', () => new HttpResponse(null, { status: 500 })],
    ['a JSON array', () => HttpResponse.json([1, 2], { status: 500 })],
    [
      'JSON with wrong types',
      () => HttpResponse.json({ errorCode: 7, errorCauses: 'x' }, { status: 500 }),
    ],
  ])('a non-JSON or odd error body (%s) keeps the status only', async (_, respond) => {
    server.use(http.get(`${API}/authorizationServers/aus1`, respond))
    const err = await rejectionOf(sswsClient().authorizationServers.get('aus1'))
    expect(err).toBeInstanceOf(OktaApiError)
    expect(err.code).toBe('ERR_API_RESPONSE')
    expect(err.errorCode).toBeUndefined()
    expect(err.errorSummary).toBeUndefined()
    expect(err.errorCauses).toEqual([])
    expect(err.message).toMatch(/^authorizationServers\.get failed with HTTP 5\d\d$/)
  })

  it('an error of request() names no scope', async () => {
    server.use(http.get(`${API}/users/me`, () => HttpResponse.json(oktaError(), { status: 404 })))
    const err = await rejectionOf(sswsClient().request('GET', '/users/me'))
    expect(err).toMatchObject({ code: 'ERR_API_NOT_FOUND', status: 404 })
    expect(err.requiredScope).toBeUndefined()
    expect(err.message).toMatch(/^GET \/users\/me failed with HTTP 404/)
  })
})

describe('errors: secrets never leak', () => {
  it('the SSWS token is in no message, String(), stack, JSON or inspect()', async () => {
    server.use(
      // The token is refused everywhere: each error is built from a request that carried it.
      http.all(`${API}/*`, () =>
        HttpResponse.json(oktaError('Invalid token provided'), { status: 401 }),
      ),
    )
    const admin = sswsClient()
    const errors = [
      await rejectionOf(admin.authorizationServers.get('aus1')),
      await rejectionOf(admin.keys.rotate('aus1')),
      await rejectionOf(admin.request('GET', '/users/me')),
    ]
    for (const err of errors) {
      expect(err.code).toBe('ERR_API_UNAUTHORIZED')
      for (const text of renderings(err)) expect(text).not.toContain(SSWS_TOKEN)
    }
  })

  it('an SSWS token a header cannot carry is refused without echoing it', () => {
    const token = `${SSWS_TOKEN}\nX-Injected: 1`
    let err: unknown
    try {
      sswsClient({ auth: { type: 'ssws', token } })
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION' })
    for (const text of renderings(err)) expect(text).not.toContain(SSWS_TOKEN)
  })

  it('OAuth access tokens and the client assertion are in no error', async () => {
    const key = await serviceKey()
    const { issued } = tokenEndpoint()
    const seen = record()
    server.use(
      http.get(`${API}/authorizationServers/aus1`, () =>
        HttpResponse.json(oktaError('Invalid token provided'), {
          status: 401,
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        }),
      ),
      http.get(`${API}/authorizationServers/aus2`, () =>
        HttpResponse.json(oktaError('You do not have permission'), { status: 403 }),
      ),
    )
    const admin = oauthClient(key, ['okta.authorizationServers.read'])
    const errors = [
      await rejectionOf(admin.authorizationServers.get('aus1')),
      await rejectionOf(admin.authorizationServers.get('aus2')),
    ]
    const assertions = await Promise.all(
      seen
        .filter((s) => s.url.pathname === '/oauth2/v1/token')
        .map(async (s) => new URLSearchParams(await s.text).get('client_assertion')!),
    )
    expect(issued.length).toBeGreaterThan(0)
    expect(assertions.length).toBeGreaterThan(0)
    for (const err of errors) {
      for (const text of renderings(err)) {
        for (const secret of [...issued, ...assertions]) expect(text).not.toContain(secret)
      }
    }
  })

  it('a token endpoint failure does not print the assertion either', async () => {
    const key = await serviceKey()
    const seen = record()
    server.use(
      http.post('https://example.okta.com/oauth2/v1/token', () =>
        HttpResponse.json(
          {
            error: 'invalid_client',
            error_description: 'The client_assertion signature is invalid.',
          },
          { status: 401 },
        ),
      ),
    )
    const err = await rejectionOf(
      oauthClient(key, ['okta.authorizationServers.read']).authorizationServers.get('aus1'),
    )
    expect(err).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', error: 'invalid_client' })
    const assertion = new URLSearchParams(await seen[0]!.text).get('client_assertion')!
    expect(assertion.split('.')).toHaveLength(3)
    for (const text of renderings(err)) expect(text).not.toContain(assertion)
    expect(apiCalls(seen)).toHaveLength(0)
  })
})

describe('errors: foreign errors are never quoted', () => {
  it('an access token with a control character from the token endpoint is refused, never quoted', async () => {
    const token = 'at-secretAccessTokenValue\r\nX-Injected: 1'
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({ access_token: token, token_type: 'Bearer', expires_in: 3600 }),
      ),
    )
    const seen = record()
    const err = await rejectionOf(
      oauthClient(await serviceKey(), ['okta.authorizationServers.read']).authorizationServers.get(
        'aus1',
      ),
    )
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.code).toBe('ERR_INVALID_RESPONSE')
    for (const text of renderings(err)) expect(text).not.toContain('secretAccessTokenValue')
    expect(apiCalls(seen)).toHaveLength(0)
  })

  it('the same with a DPoP-bound token', async () => {
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({
          access_token: 'dpop-secretAccessTokenValue\n',
          token_type: 'DPoP',
          expires_in: 3600,
        }),
      ),
    )
    const seen = record()
    const admin = oauthClient(await serviceKey(), ['okta.authorizationServers.read'], {
      auth: { dpop: { keyPair: await generateDPoPKeyPair() } },
    })
    const err = await rejectionOf(admin.authorizationServers.get('aus1'))
    expect(err).toMatchObject({ name: 'InvalidResponseError', code: 'ERR_INVALID_RESPONSE' })
    for (const text of renderings(err)) expect(text).not.toContain('secretAccessTokenValue')
    expect(apiCalls(seen)).toHaveLength(0)
  })

  it.each([
    [
      'an Error quoting the request',
      () => new Error(`GET ${API}/authorizationServers/aus1 with authorization SSWS ${SSWS_TOKEN}`),
    ],
    [
      'a Headers TypeError quoting the value',
      () => new TypeError(`Headers.append: "SSWS ${SSWS_TOKEN}" is an invalid header value.`),
    ],
    ['a string', () => `failed: SSWS ${SSWS_TOKEN}`],
    [
      'an error whose cause quotes it',
      () => new Error('fetch failed', { cause: new Error(`SSWS ${SSWS_TOKEN}`) }),
    ],
  ])('a custom fetch that throws %s → NetworkError, with a safe cause only', async (_, thrown) => {
    const admin = sswsClient({
      fetch: async () => {
        throw thrown()
      },
    })
    const err = await rejectionOf(admin.authorizationServers.get('aus1'))
    expect(err).toBeInstanceOf(NetworkError)
    expect(err.code).toBe('ERR_NETWORK')
    expect(err.message).toBe('authorizationServers.get failed: the request did not complete')
    for (const text of renderings(err)) expect(text).not.toContain(SSWS_TOKEN)
  })

  it('a 200 that is not JSON: the parser’s message (which quotes the body) is not kept', async () => {
    // JSON.parse quotes up to about ten characters of the body.
    const body = 'sEcReT9876'
    server.use(http.get(`${API}/authorizationServers/aus1`, () => HttpResponse.text(body)))
    const err = await rejectionOf(sswsClient().authorizationServers.get('aus1'))
    expect(err).toMatchObject({ name: 'InvalidResponseError', code: 'ERR_INVALID_RESPONSE' })
    expect(err.cause).toMatchObject({ name: 'SyntaxError' })
    for (const text of renderings(err)) expect(text).not.toContain(body)
  })

  it('a request body the models refuse is described in the SDK’s words, not zod’s', async () => {
    const admin = sswsClient()
    const wrongType = await rejectionOf(
      admin.policies.create('aus1', { name: 5, description: 'd' } as unknown as PolicyInput),
    )
    expect(wrongType).toBeInstanceOf(RequestValidationError)
    expect(wrongType.issues).toEqual([{ path: 'name', message: 'expected string' }])
    const missing = await rejectionOf(
      admin.policies.create('aus1', { description: 'd' } as unknown as PolicyInput),
    )
    expect(missing.issues).toEqual([{ path: 'name', message: 'is required (expected string)' }])
    // An unknown key is named (inputs are exact: it is most likely a typo), its value is not.
    const unknownField = await rejectionOf(
      admin.keys.rotate('aus1', { use: 'sig', kidd: 'sEcReT' } as unknown as { use: 'sig' }),
    )
    expect(unknownField.issues).toEqual([
      { path: 'kidd', message: 'is not a field of this model (a typo?)' },
    ])
    for (const err of [wrongType, missing, unknownField]) {
      expect(err.message).not.toMatch(/Invalid input|Unrecognized key|sEcReT/)
    }
    // A key with control characters is escaped (and cut) where it is named.
    const odd = await rejectionOf(
      admin.keys.rotate('aus1', { use: 'sig', 'a\nb': 1 } as unknown as { use: 'sig' }),
    )
    expect(odd.issues).toEqual([
      { path: 'a\\nb', message: 'is not a field of this model (a typo?)' },
    ])
    // The models' own messages stay.
    const lifetime = await rejectionOf(
      admin.policyRules.create('aus1', 'pol1', {
        name: 'r',
        conditions: {},
        actions: { token: { accessTokenLifetimeMinutes: 4 } },
      } as PolicyRuleInput),
    )
    expect(lifetime.message).toContain('access token lifetime must be at least 5 minutes')
  })
})
