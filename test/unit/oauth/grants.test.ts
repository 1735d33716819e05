import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  jwtVerify,
} from 'jose'
import { HttpResponse } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  InvalidOptionError,
  OAuthResponseError,
  type TokenSet,
  TokenValidationError,
} from '../../../src/index.js'
import {
  CLIENT_ID,
  createFakeIssuer,
  type FakeIssuer,
  tokenBody,
  USER_SUB,
} from '../fake-issuer.js'

let fake: FakeIssuer
beforeEach(async () => {
  fake = await createFakeIssuer()
})

describe('authorization_code grant', () => {
  it('sends code, PKCE verifier and redirect_uri, and validates the ID token', async () => {
    const idToken = await fake.idToken({ nonce: 'n-123' })
    fake.on('/v1/token', () =>
      tokenBody({
        access_token: 'at-1',
        scope: 'openid email',
        refresh_token: 'rt-1',
        id_token: idToken,
      }),
    )
    const client = fake.client({ redirectUri: 'https://app.example.com/callback' })
    const before = Math.floor(Date.now() / 1000)
    const tokens = await client.exchangeCode({
      code: 'c-1',
      codeVerifier: 'v'.repeat(43),
      nonce: 'n-123',
    })

    const [req] = fake.requestsTo('/v1/token')
    expect(Object.fromEntries(req!.form)).toEqual({
      grant_type: 'authorization_code',
      code: 'c-1',
      code_verifier: 'v'.repeat(43),
      redirect_uri: 'https://app.example.com/callback',
      client_id: CLIENT_ID,
    })
    expect(req!.headers.get('authorization')).toBeNull()
    expect(tokens).toMatchObject({
      accessToken: 'at-1',
      tokenType: 'Bearer',
      expiresIn: 3600,
      scope: 'openid email',
      refreshToken: 'rt-1',
      idToken,
    })
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3600)
    expect(tokens.expiresAt).toBeLessThanOrEqual(before + 3601)
    expect(tokens.idTokenClaims).toMatchObject({ sub: USER_SUB, nonce: 'n-123', aud: CLIENT_ID })
  })

  it('rejects an ID token whose nonce differs', async () => {
    fake.on('/v1/token', async () =>
      tokenBody({ access_token: 'at', id_token: await fake.idToken({ nonce: 'other' }) }),
    )
    const err = await fake
      .client({ redirectUri: 'https://app.example.com/cb' })
      .exchangeCode({ code: 'c', codeVerifier: 'v'.repeat(43), nonce: 'mine' })
      .catch((e) => e)
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_NONCE_MISMATCH', claim: 'nonce' })
  })

  it('requires an ID token when a nonce was sent', async () => {
    fake.on('/v1/token', () => tokenBody({ access_token: 'at' }))
    const err = await fake
      .client({ redirectUri: 'https://app.example.com/cb' })
      .exchangeCode({ code: 'c', codeVerifier: 'v'.repeat(43), nonce: 'n' })
      .catch((e) => e)
    expect(err.code).toBe('ERR_INVALID_RESPONSE')
  })

  it('refuses a call without redirect_uri before sending anything', async () => {
    expect(() => fake.client().exchangeCode({ code: 'c', codeVerifier: 'v' })).toThrow(
      InvalidOptionError,
    )
    expect(fake.requestsTo('/v1/token')).toHaveLength(0)
  })
})

describe('refresh_token grant', () => {
  it('sends scope down-selection and returns the rotated refresh token', async () => {
    fake.on('/v1/token', () =>
      tokenBody({ access_token: 'at-2', refresh_token: 'rt-rotated', scope: 'openid' }),
    )
    const tokens = await fake.client().refresh('rt-old', { scope: 'openid' })
    const [req] = fake.requestsTo('/v1/token')
    expect(req!.form.get('grant_type')).toBe('refresh_token')
    expect(req!.form.get('refresh_token')).toBe('rt-old')
    expect(req!.form.get('scope')).toBe('openid')
    expect(tokens.refreshToken).toBe('rt-rotated')
  })

  it('rejects a refreshed ID token for another user', async () => {
    fake.on('/v1/token', async () =>
      tokenBody({ access_token: 'at', id_token: await fake.idToken({ sub: '00uOTHER' }) }),
    )
    const err = await fake
      .client()
      .refresh('rt', { expectedSubject: USER_SUB })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_SUBJECT_MISMATCH', claim: 'sub' })
  })
})

describe('password grant', () => {
  it('sends username, password and scope with client_secret_post', async () => {
    fake.on('/v1/token', async () =>
      tokenBody({
        access_token: 'at',
        scope: 'openid',
        id_token: await fake.idToken(),
        expires_in: 1800,
      }),
    )
    const client = fake.client({ auth: { method: 'client_secret_post', clientSecret: 's3cret' } })
    const tokens = await client.password({
      username: 'dolores.abernathy@example.com',
      password: 'pw',
      scope: 'openid',
    })
    const [req] = fake.requestsTo('/v1/token')
    expect(Object.fromEntries(req!.form)).toEqual({
      grant_type: 'password',
      username: 'dolores.abernathy@example.com',
      password: 'pw',
      scope: 'openid',
      client_id: CLIENT_ID,
      client_secret: 's3cret',
    })
    expect(tokens.expiresIn).toBe(1800)
    expect(tokens.idTokenClaims?.sub).toBe(USER_SUB)
  })

  it('turns invalid_grant into an OAuthResponseError without echoing the password', async () => {
    fake.on('/v1/token', () =>
      HttpResponse.json(
        { error: 'invalid_grant', error_description: 'The credentials provided were invalid.' },
        { status: 400 },
      ),
    )
    const err = await fake
      .client({ auth: { method: 'client_secret_basic', clientSecret: 'top-secret-value' } })
      .password({ username: 'u', password: 'hunter2-password', scope: 'openid' })
      .catch((e) => e)
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'invalid_grant',
      errorDescription: 'The credentials provided were invalid.',
      status: 400,
    })
    const dump = JSON.stringify({ m: err.message, s: err.stack, c: String(err.cause) })
    expect(dump).not.toContain('hunter2-password')
    expect(dump).not.toContain('top-secret-value')
  })
})

describe('client_credentials grant', () => {
  it('sends the scope and returns a token set without ID or refresh token', async () => {
    fake.on('/v1/token', () =>
      tokenBody({ access_token: 'svc-at', scope: 'okta.authorizationServers.read' }),
    )
    const tokens: TokenSet = await fake
      .client({ auth: { method: 'client_secret_basic', clientSecret: 'sec' } })
      .clientCredentials({ scope: 'okta.authorizationServers.read' })
    const [req] = fake.requestsTo('/v1/token')
    expect(req!.form.get('grant_type')).toBe('client_credentials')
    expect(req!.form.get('scope')).toBe('okta.authorizationServers.read')
    expect(tokens).toMatchObject({ accessToken: 'svc-at', scope: 'okta.authorizationServers.read' })
    expect(tokens.idToken).toBeUndefined()
  })
})

describe('client authentication', () => {
  beforeEach(() => fake.on('/v1/token', () => tokenBody({ access_token: 'at' })))

  it('none: only client_id in the body', async () => {
    await fake.client().clientCredentials()
    const [req] = fake.requestsTo('/v1/token')
    expect(req!.form.get('client_id')).toBe(CLIENT_ID)
    expect(req!.form.has('client_secret')).toBe(false)
    expect(req!.form.has('client_assertion')).toBe(false)
    expect(req!.headers.get('authorization')).toBeNull()
  })

  it('client_secret_basic: Basic base64(client_id:client_secret), nothing in the body', async () => {
    await fake
      .client({ auth: { method: 'client_secret_basic', clientSecret: 'secret123' } })
      .clientCredentials()
    const [req] = fake.requestsTo('/v1/token')
    expect(req!.headers.get('authorization')).toBe(`Basic ${btoa(`${CLIENT_ID}:secret123`)}`)
    expect(req!.form.has('client_id')).toBe(false)
    expect(req!.form.has('client_secret')).toBe(false)
    expect(req!.form.has('client_assertion')).toBe(false)
  })

  it('client_secret_basic: form-encodes id and secret first, as RFC 6749 §2.3.1 requires', async () => {
    // The Okta text shows Base64(id:secret); the RFC (which we follow) encodes
    // each part first. They agree unless the secret has reserved characters.
    await fake
      .client({ auth: { method: 'client_secret_basic', clientSecret: 'sec-ret:+/' } })
      .clientCredentials()
    const [req] = fake.requestsTo('/v1/token')
    expect(req!.headers.get('authorization')).toBe(
      `Basic ${btoa(`${CLIENT_ID}:sec%2Dret%3A%2B%2F`)}`,
    )
  })

  it('client_secret_post: id and secret in the body only', async () => {
    await fake
      .client({ auth: { method: 'client_secret_post', clientSecret: 'sec-ret' } })
      .clientCredentials()
    const [req] = fake.requestsTo('/v1/token')
    expect(req!.form.get('client_id')).toBe(CLIENT_ID)
    expect(req!.form.get('client_secret')).toBe('sec-ret')
    expect(req!.headers.get('authorization')).toBeNull()
  })

  it.each(['HS256', 'HS384', 'HS512'] as const)(
    'client_secret_jwt %s: assertion signed with the secret, aud = token endpoint, short-lived, unique jti',
    async (algorithm) => {
      const secret = 'a-client-secret-of-at-least-32-characters!!'
      const client = fake.client({
        auth: { method: 'client_secret_jwt', clientSecret: secret, algorithm },
      })
      await client.clientCredentials()
      await client.clientCredentials()
      const [a, b] = fake.requestsTo('/v1/token')
      expect(a!.form.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      )
      expect(a!.headers.get('authorization')).toBeNull()
      expect(a!.form.has('client_secret')).toBe(false)
      const { payload, protectedHeader } = await jwtVerify(
        a!.form.get('client_assertion')!,
        new TextEncoder().encode(secret),
        { algorithms: [algorithm] },
      )
      expect(protectedHeader.alg).toBe(algorithm)
      expect(payload).toMatchObject({
        iss: CLIENT_ID,
        sub: CLIENT_ID,
        aud: fake.metadata.token_endpoint,
      })
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300)
      expect(payload.jti).not.toBe(decodeJwt(b!.form.get('client_assertion')!).jti)
    },
  )

  it('private_key_jwt with a JWK: signed with the key, kid kept, aud = token endpoint', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const jwk = { ...(await exportJWK(privateKey)), kid: 'client-key-1', alg: 'RS256' }
    await fake.client({ auth: { method: 'private_key_jwt', key: jwk } }).clientCredentials()
    const [req] = fake.requestsTo('/v1/token')
    const assertion = req!.form.get('client_assertion')!
    const { payload, protectedHeader } = await jwtVerify(assertion, publicKey)
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'client-key-1' })
    expect(payload).toMatchObject({
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: fake.metadata.token_endpoint,
    })
    expect(typeof payload.jti).toBe('string')
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300)
  })

  it.each([
    ['ES256', 'ES256'],
    ['PS256', 'PS256'],
    ['ES384', 'ES384'],
  ])('private_key_jwt with a %s key', async (alg) => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
    await fake
      .client({
        auth: { method: 'private_key_jwt', key: { ...(await exportJWK(privateKey)), alg } },
      })
      .clientCredentials()
    const assertion = fake.requestsTo('/v1/token')[0]!.form.get('client_assertion')!
    expect(decodeProtectedHeader(assertion).alg).toBe(alg)
    await expect(jwtVerify(assertion, publicKey)).resolves.toBeDefined()
  })

  it('private_key_jwt with a PKCS#8 PEM and a CryptoKey', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const pem = await exportPKCS8(privateKey)
    await fake
      .client({ auth: { method: 'private_key_jwt', key: pem, kid: 'pem-key' } })
      .clientCredentials()
    await fake
      .client({ auth: { method: 'private_key_jwt', key: privateKey, kid: 'ck' } })
      .clientCredentials()
    const [pemReq, keyReq] = fake.requestsTo('/v1/token')
    const a = await jwtVerify(pemReq!.form.get('client_assertion')!, publicKey)
    const b = await jwtVerify(keyReq!.form.get('client_assertion')!, publicKey)
    expect(a.protectedHeader.kid).toBe('pem-key')
    expect(b.protectedHeader.kid).toBe('ck')
  })

  it('private_key_jwt assertions for introspect and revoke use those endpoints as aud', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    fake.on('/v1/introspect', () => HttpResponse.json({ active: false }))
    fake.on('/v1/revoke', () => new HttpResponse(null, { status: 200 }))
    const client = fake.client({ auth: { method: 'private_key_jwt', key: privateKey } })
    await client.introspect('t')
    await client.revoke('t')
    expect(decodeJwt(fake.requestsTo('/v1/introspect')[0]!.form.get('client_assertion')!).aud).toBe(
      fake.metadata.introspection_endpoint,
    )
    expect(decodeJwt(fake.requestsTo('/v1/revoke')[0]!.form.get('client_assertion')!).aud).toBe(
      fake.metadata.revocation_endpoint,
    )
  })

  it('refuses a public key or garbage as private_key_jwt key with a coded error', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true })
    const jwk = await exportJWK(publicKey)
    const err = await fake
      .client({ auth: { method: 'private_key_jwt', key: jwk } })
      .clientCredentials()
      .catch((e) => e)
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(err.code).toBe('ERR_INVALID_OPTION')
    expect(fake.requestsTo('/v1/token')).toHaveLength(0)
  })

  it('refuses an unknown method and HS1 at construction', () => {
    expect(() => fake.client({ auth: { method: 'magic' } as never })).toThrow(InvalidOptionError)
    expect(() =>
      fake.client({
        auth: { method: 'client_secret_jwt', clientSecret: 'x', algorithm: 'HS1' as never },
      }),
    ).toThrow(/HS256, HS384 or HS512/)
    expect(() =>
      fake.client({ auth: { method: 'client_secret_basic', clientSecret: '' } }),
    ).toThrow(InvalidOptionError)
  })
})
