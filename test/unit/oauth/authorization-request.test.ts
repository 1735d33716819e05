import { HttpResponse, http } from 'msw'
import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import {
  type AuthorizationRequest,
  AuthorizationRequestError,
  createClient,
  isOktaOAuthError,
} from '../../../src/index.js'
import { CLIENT_ID, ISSUER, oktaMetadata } from '../fake-issuer.js'
import { server } from '../msw.js'

const REDIRECT = 'https://app.example.com/callback'
const client = (
  extra: Partial<Parameters<typeof createClient>[1]> = {},
  metadata = oktaMetadata(),
) => createClient(metadata, { clientId: CLIENT_ID, redirectUri: REDIRECT, ...extra })

async function refused(request: AuthorizationRequest, c = client()) {
  const err = await c.authorizationUrl(request).then(
    () => {
      throw new Error('expected a refusal')
    },
    (e) => e,
  )
  expect(err).toBeInstanceOf(AuthorizationRequestError)
  expect(err).toBeInstanceOf(TypeError)
  expect(err.code).toBe('ERR_INVALID_AUTHORIZATION_REQUEST')
  expect(isOktaOAuthError(err)).toBe(true)
  return err.rule as string
}

describe('client.authorizationUrl', () => {
  it('defaults to code + PKCE S256 + query with fresh state and nonce', async () => {
    const { url, transaction } = await client({ now: () => 1_700_000_000_000 }).authorizationUrl()
    expect(`${url.origin}${url.pathname}`).toBe(`${ISSUER}/v1/authorize`)
    const p = url.searchParams
    expect(p.get('client_id')).toBe(CLIENT_ID)
    expect(p.get('response_type')).toBe('code')
    expect(p.get('response_mode')).toBe('query')
    expect(p.get('redirect_uri')).toBe(REDIRECT)
    expect(p.get('scope')).toBe('openid profile email')
    expect(p.get('code_challenge_method')).toBe('S256')
    expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/)
    expect(p.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/)
    expect(transaction).toEqual({
      issuer: ISSUER,
      clientId: CLIENT_ID,
      state: p.get('state'),
      nonce: p.get('nonce'),
      codeVerifier: expect.any(String),
      codeChallengeMethod: 'S256',
      redirectUri: REDIRECT,
      responseType: 'code',
      responseMode: 'query',
      scope: 'openid profile email',
      createdAt: 1_700_000_000_000,
    })
    expect(p.get('code_challenge')).toBe(
      await oauth.calculatePKCECodeChallenge(transaction.codeVerifier!),
    )
    // The verifier never travels in the URL.
    expect(url.href).not.toContain(transaction.codeVerifier!)
  })

  it('generates different state, nonce and verifier every time', async () => {
    const a = await client().authorizationUrl()
    const b = await client().authorizationUrl()
    expect(a.transaction.state).not.toBe(b.transaction.state)
    expect(a.transaction.nonce).not.toBe(b.transaction.nonce)
    expect(a.transaction.codeVerifier).not.toBe(b.transaction.codeVerifier)
  })

  it('the transaction is plain JSON', async () => {
    const { transaction } = await client().authorizationUrl({ maxAge: 300 })
    expect(JSON.parse(JSON.stringify(transaction))).toEqual(transaction)
  })

  it('sends every documented parameter, including the Okta extensions', async () => {
    const { url, transaction } = await client().authorizationUrl({
      scope: 'openid offline_access',
      state: 'abc,def.ghi_jkl-mno',
      nonce: 'n-0S6_WzA2Mj',
      prompt: 'login consent',
      maxAge: 600,
      display: 'popup',
      loginHint: 'alice@example.com',
      acrValues: 'urn:okta:loa:2fa:any',
      idp: '0oa1social',
      sessionToken: 'st-123',
      idpScope: 'public_profile email',
      redirectUri: 'https://app.example.com/other',
      extra: { ui_locales: 'fr', foo: 'bar' },
    })
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      scope: 'openid offline_access',
      state: 'abc,def.ghi_jkl-mno',
      nonce: 'n-0S6_WzA2Mj',
      prompt: 'login consent',
      max_age: '600',
      display: 'popup',
      login_hint: 'alice@example.com',
      acr_values: 'urn:okta:loa:2fa:any',
      idp: '0oa1social',
      sessionToken: 'st-123',
      idp_scope: 'public_profile email',
      redirect_uri: 'https://app.example.com/other',
      ui_locales: 'fr',
      foo: 'bar',
    })
    expect(transaction).toMatchObject({
      maxAge: 600,
      redirectUri: 'https://app.example.com/other',
      state: 'abc,def.ghi_jkl-mno',
    })
  })

  it.each([
    ['id_token', 'fragment'],
    ['id_token token', 'fragment'],
    ['token id_token', 'fragment'],
    ['code id_token', 'fragment'],
    ['code token', 'fragment'],
    ['id_token code token', 'fragment'],
  ])('response_type %s defaults to %s and is normalised', async (responseType, mode) => {
    const { url, transaction } = await client().authorizationUrl({ responseType })
    const normalised = ['code', 'id_token', 'token']
      .filter((t) => responseType.split(' ').includes(t))
      .join(' ')
    expect(url.searchParams.get('response_type')).toBe(normalised)
    expect(url.searchParams.get('response_mode')).toBe(mode)
    expect(transaction.responseType).toBe(normalised)
    // PKCE only when a code comes back.
    expect(url.searchParams.has('code_challenge')).toBe(normalised.includes('code'))
    expect(transaction.codeVerifier !== undefined).toBe(normalised.includes('code'))
  })

  it.each(['fragment', 'form_post'] as const)(
    'allows code with response_mode %s',
    async (responseMode) => {
      const { url } = await client().authorizationUrl({ responseMode })
      expect(url.searchParams.get('response_mode')).toBe(responseMode)
    },
  )

  it('uses PKCE plain only when asked', async () => {
    const { url, transaction } = await client().authorizationUrl({ pkce: 'plain' })
    expect(url.searchParams.get('code_challenge_method')).toBe('plain')
    expect(url.searchParams.get('code_challenge')).toBe(transaction.codeVerifier)
  })

  it('keeps query parameters already in the authorization endpoint', async () => {
    const metadata = {
      ...oktaMetadata(),
      authorization_endpoint: `${ISSUER}/v1/authorize?tenant=t1`,
    }
    const { url } = await client({}, metadata).authorizationUrl()
    expect(url.searchParams.get('tenant')).toBe('t1')
  })

  describe('refusals, before anything is sent', () => {
    it.each([
      ['id_token', 'query'],
      ['id_token token', 'query'],
      ['code token', 'query'],
    ] as const)('%s with %s: query cannot carry tokens', async (responseType, responseMode) => {
      expect(await refused({ responseType, responseMode })).toBe('query_with_tokens')
    })

    it('okta_post_message for a pure code flow, only when the client turns it off', async () => {
      expect(
        await refused({ responseMode: 'okta_post_message' }, client({ postMessageForCode: false })),
      ).toBe('post_message_for_code')
      // Allowed by default, as today's Okta does (with PKCE, always).
      const ok = await client().authorizationUrl({
        responseMode: 'okta_post_message',
      })
      expect(ok.url.searchParams.get('response_mode')).toBe('okta_post_message')
      const implicit = await client().authorizationUrl({
        responseType: 'id_token token',
        responseMode: 'okta_post_message',
      })
      expect(implicit.transaction.responseMode).toBe('okta_post_message')
    })

    it('an ID token without openid', async () => {
      expect(await refused({ responseType: 'id_token', scope: 'profile' })).toBe('openid_scope')
      expect(await refused({ responseType: 'code id_token', scope: 'email' })).toBe('openid_scope')
    })

    it('an empty nonce', async () => {
      expect(await refused({ responseType: 'id_token', nonce: '' })).toBe('nonce')
    })

    it.each(['', 'has space', 'semi;colon', 'a/b', 'ünï'])('state %j', async (state) => {
      expect(await refused({ state })).toBe('state')
    })

    it.each(['', 'codes', 'code code', 'code\ttoken', 'id-token'])(
      'response_type %j',
      async (responseType) => {
        expect(await refused({ responseType })).toBe('response_type')
      },
    )

    it('a response type or mode the server does not list', async () => {
      const metadata = {
        ...oktaMetadata(),
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
      }
      expect(await refused({ responseType: 'id_token' }, client({}, metadata))).toBe(
        'response_type',
      )
      expect(await refused({ responseMode: 'form_post' }, client({}, metadata))).toBe(
        'response_mode',
      )
      expect(await refused({ responseMode: 'carrier_pigeon' as never })).toBe('response_mode')
    })

    it.each([-1, 1.5, Number.NaN])('max_age %s', async (maxAge) => {
      expect(await refused({ maxAge })).toBe('max_age')
    })

    it.each(['', 'none login', 'sometimes'])('prompt %j', async (prompt) => {
      expect(await refused({ prompt })).toBe('prompt')
    })

    it('a missing or relative redirect_uri', async () => {
      expect(await refused({}, client({ redirectUri: undefined }))).toBe('redirect_uri')
      expect(await refused({ redirectUri: '/callback' })).toBe('redirect_uri')
    })

    it('an unknown PKCE method', async () => {
      expect(await refused({ pkce: 'S512' as never })).toBe('pkce')
    })

    it('extra parameters that would override managed ones', async () => {
      for (const name of [
        'state',
        'nonce',
        'code_challenge_method',
        'response_mode',
        'redirect_uri',
      ]) {
        expect(await refused({ extra: { [name]: 'x' } }), name).toBe('extra')
      }
    })

    it('an http authorization endpoint off loopback', async () => {
      const metadata = {
        ...oktaMetadata(),
        authorization_endpoint: 'http://example.okta.com/oauth2/v1/authorize',
      }
      await expect(client({}, metadata).authorizationUrl()).rejects.toMatchObject({
        code: 'ERR_INSECURE_URL',
      })
    })
  })
})

describe('pushed authorization requests (RFC 9126)', () => {
  const PAR = `${ISSUER}/v1/par`
  const withPar = () => ({ ...oktaMetadata(), pushed_authorization_request_endpoint: PAR })

  it('pushes every parameter with client authentication and returns a request_uri URL', async () => {
    let pushed: URLSearchParams | undefined
    let authorization: string | null = null
    server.use(
      http.post(PAR, async ({ request }) => {
        pushed = new URLSearchParams(await request.text())
        authorization = request.headers.get('authorization')
        return HttpResponse.json(
          { request_uri: 'urn:ietf:params:oauth:request_uri:abc', expires_in: 60 },
          { status: 201 },
        )
      }),
    )
    const c = client({ auth: { method: 'client_secret_basic', clientSecret: 'sec' } }, withPar())
    const { url, transaction } = await c.authorizationUrl(
      { scope: 'openid profile', loginHint: 'alice' },
      { par: true },
    )
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT_ID,
      request_uri: 'urn:ietf:params:oauth:request_uri:abc',
    })
    expect(pushed?.get('state')).toBe(transaction.state)
    expect(pushed?.get('nonce')).toBe(transaction.nonce)
    expect(pushed?.get('code_challenge')).toBe(
      await oauth.calculatePKCECodeChallenge(transaction.codeVerifier!),
    )
    expect(pushed?.get('login_hint')).toBe('alice')
    expect(authorization).toBe(`Basic ${btoa(`${CLIENT_ID}:sec`)}`)
  })

  it('a PAR error is an OAuthResponseError; a server without PAR is refused before sending', async () => {
    server.use(
      http.post(PAR, () =>
        HttpResponse.json({ error: 'invalid_request', error_description: 'bad' }, { status: 400 }),
      ),
    )
    await expect(client({}, withPar()).authorizationUrl({}, { par: true })).rejects.toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'invalid_request',
      status: 400,
    })
    await expect(client().authorizationUrl({}, { par: true })).rejects.toMatchObject({
      code: 'ERR_MISSING_ENDPOINT',
    })
  })
})
