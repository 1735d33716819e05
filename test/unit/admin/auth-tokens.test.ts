/**
 * Which credentials go on the wire: OAuth for Okta's token request (a
 * private_key_jwt client_credentials grant), its token cache and renewal,
 * and SSWS, which never asks for a token.
 */
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { server } from '../msw.js'
import { key, MANAGE, READ, SERVER, serverOk, useAuthHooks } from './auth-harness.js'
import { CREATE_SERVER_BODY, SERVER_ID } from './fixtures.js'
import {
  API,
  apiCalls,
  CLIENT_ID,
  jsonOf,
  oauthClient,
  record,
  rejectionOf,
  SSWS_TOKEN,
  sswsClient,
  TOKEN_ENDPOINT,
  tokenCalls,
  tokenEndpoint,
} from './helpers.js'

useAuthHooks()

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
