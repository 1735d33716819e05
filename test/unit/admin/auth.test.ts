import { inspect } from 'node:util'
import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  jwtVerify,
} from 'jose'
import { HttpResponse, http } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AdminScopeError, OAuthResponseError, OktaApiError } from '../../../src/admin/index.js'
import { generateDPoPKeyPair } from '../../../src/index.js'
import { server } from '../msw.js'
import { CREATE_SERVER_BODY, GRANT_BODY, SERVER_ID } from './fixtures.js'
import {
  API,
  apiCalls,
  CLIENT_ID,
  jsonOf,
  oauthClient,
  oktaError,
  record,
  rejectionOf,
  type ServiceKey,
  SSWS_TOKEN,
  serviceKey,
  sswsClient,
  TOKEN_ENDPOINT,
  tokenCalls,
  tokenEndpoint,
} from './helpers.js'

const SERVER = { id: SERVER_ID, name: 'n', audiences: ['api://default'] }
const ONE_SERVER = `${API}/authorizationServers/${SERVER_ID}`
const MANAGE = 'okta.authorizationServers.manage'
const READ = 'okta.authorizationServers.read'

let key: ServiceKey
beforeEach(async () => {
  key ??= await serviceKey()
})
afterEach(() => {
  vi.restoreAllMocks()
})

const serverOk = () => server.use(http.get(ONE_SERVER, () => HttpResponse.json(SERVER)))

describe('auth: OAuth for Okta token request', () => {
  it('client_credentials at the org token endpoint, scopes joined, a private_key_jwt assertion', async () => {
    tokenEndpoint()
    serverOk()
    const seen = record()
    await oauthClient(key, [MANAGE, 'okta.apps.read'], {
      auth: { kid: 'svc-key-1' },
    }).authorizationServers.get(SERVER_ID)

    const [tokenRequest] = tokenCalls(seen)
    expect(tokenRequest!.method).toBe('POST')
    expect(tokenRequest!.url.href).toBe(TOKEN_ENDPOINT)
    expect(tokenRequest!.headers.get('content-type')).toMatch(/application\/x-www-form-urlencoded/)
    expect(tokenRequest!.headers.get('authorization')).toBeNull()
    const form = Object.fromEntries(new URLSearchParams(await tokenRequest!.text))
    expect(form).toEqual({
      grant_type: 'client_credentials',
      scope: `${MANAGE} okta.apps.read`,
      client_id: CLIENT_ID,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: expect.any(String),
    })

    // Signed with the service key: verifies with its public half; aud is the token endpoint.
    const { payload, protectedHeader } = await jwtVerify(form.client_assertion!, key.publicKey, {
      audience: TOKEN_ENDPOINT,
      issuer: CLIENT_ID,
      subject: CLIENT_ID,
    })
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'svc-key-1' })
    expect(payload.aud).toBe(TOKEN_ENDPOINT)
    expect(typeof payload.jti).toBe('string')
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0)
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300)
  })

  it('the access token is sent as Authorization: Bearer on API calls', async () => {
    const { issued } = tokenEndpoint()
    serverOk()
    const seen = record()
    await oauthClient(key, [READ]).authorizationServers.get(SERVER_ID)
    const [call] = apiCalls(seen)
    expect(call!.headers.get('authorization')).toBe(`Bearer ${issued[0]}`)
    expect(call!.headers.get('dpop')).toBeNull()
    // The transport's internal tag never leaves the process.
    expect([...call!.headers.keys()].filter((h) => h.startsWith('x-okta'))).toEqual([])
  })

  it('a JWK private key works too (kid from the JWK)', async () => {
    tokenEndpoint()
    serverOk()
    const seen = record()
    const { exportJWK } = await import('jose')
    const jwk = { ...(await exportJWK(key.privateKey)), kid: 'jwk-kid', alg: 'RS256' }
    await oauthClient(key, [READ], { auth: { privateKey: jwk } }).authorizationServers.get(
      SERVER_ID,
    )
    const form = new URLSearchParams(await tokenCalls(seen)[0]!.text)
    const assertion = form.get('client_assertion')!
    expect(decodeProtectedHeader(assertion).kid).toBe('jwk-kid')
    await jwtVerify(assertion, key.publicKey, { audience: TOKEN_ENDPOINT })
  })
})

describe('auth: OAuth for Okta token cache', () => {
  it('is reused across calls', async () => {
    const { issued } = tokenEndpoint()
    serverOk()
    const seen = record()
    const admin = oauthClient(key, [READ])
    for (let i = 0; i < 3; i++) await admin.authorizationServers.get(SERVER_ID)
    expect(tokenCalls(seen)).toHaveLength(1)
    expect(apiCalls(seen).map((c) => c.headers.get('authorization'))).toEqual(
      Array(3).fill(`Bearer ${issued[0]}`),
    )
  })

  it('20 concurrent first calls cause exactly one token request', async () => {
    const { issued } = tokenEndpoint()
    serverOk()
    const seen = record()
    const admin = oauthClient(key, [READ])
    const results = await Promise.all(
      Array.from({ length: 20 }, () => admin.authorizationServers.get(SERVER_ID)),
    )
    expect(results).toHaveLength(20)
    expect(tokenCalls(seen)).toHaveLength(1)
    expect(issued).toHaveLength(1)
    expect(new Set(apiCalls(seen).map((c) => c.headers.get('authorization')))).toEqual(
      new Set([`Bearer ${issued[0]}`]),
    )
  })

  it('is renewed once within 60 s of its expiry, not before', async () => {
    const { issued } = tokenEndpoint({ expiresIn: 3600 })
    serverOk()
    const seen = record()
    const t0 = Date.now()
    const now = vi.spyOn(Date, 'now').mockReturnValue(t0)
    const admin = oauthClient(key, [READ])
    await admin.authorizationServers.get(SERVER_ID)
    // 61 s before expiry: still cached.
    now.mockReturnValue(t0 + (3600 - 61) * 1000)
    await admin.authorizationServers.get(SERVER_ID)
    expect(tokenCalls(seen)).toHaveLength(1)
    // 59 s before expiry: renewed.
    now.mockReturnValue(t0 + (3600 - 59) * 1000)
    await admin.authorizationServers.get(SERVER_ID)
    expect(tokenCalls(seen)).toHaveLength(2)
    expect(apiCalls(seen).map((c) => c.headers.get('authorization'))).toEqual([
      `Bearer ${issued[0]}`,
      `Bearer ${issued[0]}`,
      `Bearer ${issued[1]}`,
    ])
  })

  it('a token request that fails is not cached: the next call asks again', async () => {
    let n = 0
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        ++n === 1
          ? HttpResponse.json({ error: 'invalid_client' }, { status: 401 })
          : HttpResponse.json({ access_token: 'at-ok', token_type: 'Bearer', expires_in: 3600 }),
      ),
    )
    serverOk()
    const admin = oauthClient(key, [READ])
    expect(await rejectionOf(admin.authorizationServers.get(SERVER_ID))).toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
    })
    await expect(admin.authorizationServers.get(SERVER_ID)).resolves.toEqual(SERVER)
    expect(n).toBe(2)
  })
})

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

describe('auth: scopes', () => {
  it.each([
    [
      'a write with only .read',
      [READ],
      (a: ReturnType<typeof oauthClient>) => a.authorizationServers.create(CREATE_SERVER_BODY),
      MANAGE,
    ],
    [
      'app grants with authorization server scopes',
      [MANAGE],
      (a: ReturnType<typeof oauthClient>) => a.appGrants.list('0oa1').all(),
      'okta.appGrants.read',
    ],
    [
      'granting with okta.appGrants.read',
      ['okta.appGrants.read'],
      (a: ReturnType<typeof oauthClient>) => a.appGrants.grant('0oa1', GRANT_BODY),
      'okta.appGrants.manage',
    ],
    [
      // Today's API: app grants need okta.appGrants.*, not okta.apps.*.
      'app grants with okta.apps.manage',
      ['okta.apps.manage'],
      (a: ReturnType<typeof oauthClient>) => a.appGrants.revoke('0oa1', 'oag1'),
      'okta.appGrants.manage',
    ],
    [
      'a key rotation with .read',
      [READ],
      (a: ReturnType<typeof oauthClient>) => a.keys.rotate(SERVER_ID),
      MANAGE,
    ],
    [
      'request() naming a scope',
      [MANAGE],
      (a: ReturnType<typeof oauthClient>) =>
        a.request('GET', '/users', { scope: 'okta.users.read' }),
      'okta.users.read',
    ],
  ])('%s → ERR_SCOPE_NOT_CONFIGURED, and no request at all', async (_, scopes, call, needed) => {
    tokenEndpoint()
    const seen = record()
    const err = await rejectionOf(call(oauthClient(key, scopes)))
    expect(err).toBeInstanceOf(AdminScopeError)
    expect(err).toMatchObject({
      name: 'AdminScopeError',
      code: 'ERR_SCOPE_NOT_CONFIGURED',
      requiredScope: needed,
    })
    expect(err.message).toContain(needed)
    expect(seen).toHaveLength(0)
  })

  it('.manage covers .read: reads work with only the manage scope', async () => {
    tokenEndpoint()
    serverOk()
    server.use(http.get(`${API}/apps/0oa1/grants`, () => HttpResponse.json([])))
    const seen = record()
    const admin = oauthClient(key, [MANAGE, 'okta.appGrants.manage'])
    await admin.authorizationServers.get(SERVER_ID)
    await admin.appGrants.list('0oa1').all()
    expect(apiCalls(seen)).toHaveLength(2)
    const form = new URLSearchParams(await tokenCalls(seen)[0]!.text)
    expect(form.get('scope')).toBe(`${MANAGE} okta.appGrants.manage`)
  })

  it('.read does not cover .manage, nor another resource', async () => {
    tokenEndpoint()
    const admin = oauthClient(key, ['okta.appGrants.read'])
    for (const call of [
      () => admin.appGrants.revoke('0oa1', 'oag1'),
      () => admin.authorizationServers.get(SERVER_ID),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({ code: 'ERR_SCOPE_NOT_CONFIGURED' })
    }
  })

  it('a token whose scope lacks what the operation needs → ERR_SCOPE_NOT_GRANTED, no API call', async () => {
    // The app was granted only the authorization server scope.
    tokenEndpoint({ scope: () => MANAGE })
    serverOk()
    const seen = record()
    const admin = oauthClient(key, [MANAGE, 'okta.appGrants.manage'])
    const err = await rejectionOf(admin.appGrants.list('0oa1').all())
    expect(err).toBeInstanceOf(AdminScopeError)
    expect(err).toMatchObject({
      code: 'ERR_SCOPE_NOT_GRANTED',
      requiredScope: 'okta.appGrants.read',
    })
    expect(apiCalls(seen)).toHaveLength(0)
    // What was granted still works, with the same token.
    await admin.authorizationServers.get(SERVER_ID)
    expect(tokenCalls(seen)).toHaveLength(1)
  })

  it('the org refusing the scopes at the token endpoint (invalid_scope) → AdminScopeError naming them', async () => {
    const description = 'The requested scope is invalid, unknown, or malformed.'
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json(
          { error: 'invalid_scope', error_description: description },
          { status: 400 },
        ),
      ),
    )
    const seen = record()
    const err = await rejectionOf(
      oauthClient(key, [MANAGE, 'okta.apps.read']).authorizationServers.get(SERVER_ID),
    )
    expect(err).toBeInstanceOf(AdminScopeError)
    expect(err).toMatchObject({
      name: 'AdminScopeError',
      code: 'ERR_SCOPE_NOT_GRANTED',
      requiredScope: READ,
      scopes: [MANAGE, 'okta.apps.read'],
    })
    expect(err.message).toContain(MANAGE)
    expect(err.message).toContain('okta.apps.read')
    // The OAuth error is kept as the cause, without the server's free text.
    expect(err.cause).toBeInstanceOf(OAuthResponseError)
    expect(err.cause).toMatchObject({ error: 'invalid_scope', status: 400 })
    expect(inspect(err, { depth: 10 })).not.toContain(description)
    expect(apiCalls(seen)).toHaveLength(0)
  })

  it('other token endpoint errors stay OAuthResponseError', async () => {
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({ error: 'invalid_client' }, { status: 401 }),
      ),
    )
    const err = await rejectionOf(oauthClient(key, [READ]).authorizationServers.get(SERVER_ID))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', error: 'invalid_client' })
  })

  it('a token response without scope is taken to grant what was asked', async () => {
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({ access_token: 'at-x', token_type: 'Bearer', expires_in: 3600 }),
      ),
    )
    serverOk()
    await expect(oauthClient(key, [READ]).authorizationServers.get(SERVER_ID)).resolves.toEqual(
      SERVER,
    )
  })

  it.each([
    [
      'with an insufficient_scope challenge',
      {
        'www-authenticate':
          'Bearer error="insufficient_scope", scope="okta.authorizationServers.manage"',
      },
    ],
    ['without a challenge', {}],
  ])('403 when the token had the scope %s → ERR_API_FORBIDDEN, downscoped', async (_, headers) => {
    tokenEndpoint()
    server.use(
      http.post(`${API}/authorizationServers`, () =>
        HttpResponse.json(
          {
            errorCode: 'E0000006',
            errorSummary: 'You do not have permission to perform the requested action',
            errorLink: 'E0000006',
            errorId: 'oae1',
            errorCauses: [],
          },
          { status: 403, headers },
        ),
      ),
    )
    const seen = record()
    const err = await rejectionOf(
      oauthClient(key, [MANAGE]).authorizationServers.create(CREATE_SERVER_BODY),
    )
    expect(err).toBeInstanceOf(OktaApiError)
    expect(err).toMatchObject({
      code: 'ERR_API_FORBIDDEN',
      status: 403,
      errorCode: 'E0000006',
      downscoped: true,
      requiredScope: MANAGE,
    })
    expect(err.message).toMatch(/silent downscoping/)
    // Not retried: a fresh token would not help.
    expect(tokenCalls(seen)).toHaveLength(1)
    expect(apiCalls(seen)).toHaveLength(1)
  })

  it('403 on a read whose scope the token covers through .manage is downscoped too', async () => {
    tokenEndpoint()
    server.use(http.get(ONE_SERVER, () => HttpResponse.json(oktaError(), { status: 403 })))
    const err = await rejectionOf(oauthClient(key, [MANAGE]).authorizationServers.get(SERVER_ID))
    expect(err).toMatchObject({ code: 'ERR_API_FORBIDDEN', downscoped: true, requiredScope: READ })
  })

  it('403 through request() without a scope, or with SSWS: downscoping is not claimed', async () => {
    tokenEndpoint()
    server.use(http.all(`${API}/*`, () => HttpResponse.json(oktaError(), { status: 403 })))
    const viaRequest = await rejectionOf(oauthClient(key, [MANAGE]).request('GET', '/users'))
    expect(viaRequest).toMatchObject({ code: 'ERR_API_FORBIDDEN' })
    expect(viaRequest.downscoped).toBeUndefined()
    const viaSsws = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    expect(viaSsws).toMatchObject({ code: 'ERR_API_FORBIDDEN' })
    expect(viaSsws.downscoped).toBeUndefined()
  })
})

describe('auth: SSWS', () => {
  it('sends Authorization: SSWS <token> and never asks for an OAuth token', async () => {
    serverOk()
    server.use(http.post(`${API}/authorizationServers`, () => HttpResponse.json(SERVER)))
    const seen = record()
    const admin = sswsClient()
    await admin.authorizationServers.get(SERVER_ID)
    await admin.authorizationServers.create(CREATE_SERVER_BODY)
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual([
      `SSWS ${SSWS_TOKEN}`,
      `SSWS ${SSWS_TOKEN}`,
    ])
    expect(tokenCalls(seen)).toHaveLength(0)
    // SSWS has no scopes to check: any operation is sent.
    expect(await jsonOf(seen[1])).toEqual(CREATE_SERVER_BODY)
  })
})

describe('auth: DPoP', () => {
  /** Verify a DPoP proof and return its header and claims. */
  async function proof(jwt: string | null) {
    expect(jwt).toBeTruthy()
    const header = decodeProtectedHeader(jwt!)
    expect(header.typ).toBe('dpop+jwt')
    const jwk = header.jwk as JWK
    expect(jwk.d).toBeUndefined()
    const { payload } = await jwtVerify(jwt!, await importJWK(jwk, header.alg), {
      typ: 'dpop+jwt',
    })
    return { header, payload, jkt: await calculateJwkThumbprint(jwk) }
  }

  const ath = async (token: string) =>
    base64url.encode(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))),
    )

  it('API calls carry Authorization: DPoP and a proof whose htm/htu match the request', async () => {
    const keyPair = await generateDPoPKeyPair()
    const { issued } = tokenEndpoint({ tokenType: 'DPoP' })
    server.use(
      http.get(`${API}/authorizationServers`, () => HttpResponse.json([SERVER])),
      http.post(`${API}/authorizationServers`, () => HttpResponse.json(SERVER)),
    )
    const seen = record()
    const admin = oauthClient(key, [MANAGE], { auth: { dpop: { keyPair } } })
    await admin.authorizationServers.list({ q: 'Sample', limit: 5 }).all()
    await admin.authorizationServers.create(CREATE_SERVER_BODY)

    // The token request is bound to the key too.
    const tokenProof = await proof(tokenCalls(seen)[0]!.headers.get('dpop'))
    expect(tokenProof.payload).toMatchObject({ htm: 'POST', htu: TOKEN_ENDPOINT })

    const [list, create] = apiCalls(seen)
    expect(list!.headers.get('authorization')).toBe(`DPoP ${issued[0]}`)
    const listProof = await proof(list!.headers.get('dpop'))
    expect(listProof.payload).toMatchObject({
      htm: 'GET',
      // htu: the request URL without query (RFC 9449 §4.2).
      htu: `${API}/authorizationServers`,
      ath: await ath(issued[0]!),
    })
    expect(list!.url.search).toBe('?q=Sample&limit=5')

    expect(create!.headers.get('authorization')).toBe(`DPoP ${issued[0]}`)
    const createProof = await proof(create!.headers.get('dpop'))
    expect(createProof.payload).toMatchObject({
      htm: 'POST',
      htu: `${API}/authorizationServers`,
      ath: await ath(issued[0]!),
    })
    expect(await jsonOf(create)).toEqual(CREATE_SERVER_BODY)
    // One key for all proofs, a fresh jti for each.
    expect(new Set([tokenProof.jkt, listProof.jkt, createProof.jkt]).size).toBe(1)
    expect(listProof.payload.jti).not.toBe(createProof.payload.jti)
  })

  it('answers a use_dpop_nonce challenge from the API with one retry carrying the nonce', async () => {
    const keyPair = await generateDPoPKeyPair()
    tokenEndpoint({ tokenType: 'DPoP' })
    let n = 0
    server.use(
      http.get(ONE_SERVER, () =>
        ++n === 1
          ? new HttpResponse(null, {
              status: 401,
              headers: {
                'www-authenticate':
                  'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
                'dpop-nonce': 'nonce-1',
              },
            })
          : HttpResponse.json(SERVER),
      ),
    )
    const seen = record()
    await expect(
      oauthClient(key, [READ], { auth: { dpop: { keyPair } } }).authorizationServers.get(SERVER_ID),
    ).resolves.toEqual(SERVER)
    const calls = apiCalls(seen)
    expect(calls).toHaveLength(2)
    expect(decodeJwt(calls[0]!.headers.get('dpop')!).nonce).toBeUndefined()
    expect(decodeJwt(calls[1]!.headers.get('dpop')!).nonce).toBe('nonce-1')
    expect(tokenCalls(seen)).toHaveLength(1)
  })
})
