import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
import { HttpResponse, http } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  type Client,
  createClient,
  JwksError,
  OAuthResponseError,
  type ServerMetadata,
  type TokenSet,
  TokenValidationError,
  tokenHash,
} from '../../../src/index.js'
import {
  fill,
  JSON_CONTENT_TYPE,
  KEYS,
  PASSWORD_REQUEST,
  PASSWORD_TOKEN_RESPONSE,
  TOKEN_ERROR,
  TOKEN_ERRORS_CUSTOM,
  TOKEN_ERRORS_ORG,
  TOKEN_RESPONSE,
  type TokenErrorRow,
} from '../../fixtures/reference.js'
import { CLIENT_ID, type FakeIssuer } from '../fake-issuer.js'
import { server } from '../msw.js'
import {
  CUSTOM_ISSUER,
  PLACEHOLDERS,
  type ReferenceServer,
  record,
  referenceClient,
  referenceIssuer,
  SERVERS,
} from './servers.js'

// A fixed clock: expiresAt and the re-signed tokens' times are exact.
const NOW = Date.now()
const NOW_S = Math.floor(NOW / 1000)

const REDIRECT_URI = 'https://app.example.com/callback'

/** The claims of a reference ID token, moved to the fake issuer, this client and now. */
function adjusted(reference: string, issuer: string, overrides: JWTPayload = {}): JWTPayload {
  const claims = decodeJwt(reference)
  const iat = claims.iat!
  return {
    ...claims,
    iss: issuer,
    aud: CLIENT_ID,
    iat: NOW_S,
    exp: NOW_S + (claims.exp! - iat),
    auth_time: NOW_S + ((claims.auth_time as number) - iat),
    ...overrides,
  }
}

/** Sign exactly `claims` (the fake's default `idp` removed: the references have none or their own). */
function sign(fake: FakeIssuer, claims: JWTPayload): Promise<string> {
  return fake.idToken({ idp: undefined, ...claims })
}

/** The four grants, each taking whatever the token endpoint answers. */
const GRANTS: [string, (client: Client) => Promise<TokenSet>][] = [
  [
    'authorization_code',
    (c) =>
      c.exchangeCode({ code: 'code-1', codeVerifier: 'v'.repeat(43), redirectUri: REDIRECT_URI }),
  ],
  ['refresh_token', (c) => c.refresh('rt-1')],
  ['password', (c) => c.password({ username: 'u@example.com', password: 'pw', scope: 'openid' })],
  ['client_credentials', (c) => c.clientCredentials({ scope: 'custom' })],
]

describe.each(SERVERS)('token endpoint, $name', (kind: ReferenceServer) => {
  describe('"Response Example (Success)"', () => {
    let ref: Awaited<ReturnType<typeof referenceIssuer>>
    beforeEach(async () => {
      ref = await referenceIssuer(kind)
    })

    it('with the ID token re-signed by the fake issuer (reference claims, iss/aud/times adjusted) → every field in the TokenSet', async () => {
      const claims = adjusted(TOKEN_RESPONSE.id_token!, kind.issuer)
      const idToken = await sign(ref.fake, claims)
      ref.fake.on('/v1/token', () => HttpResponse.json({ ...TOKEN_RESPONSE, id_token: idToken }))

      const tokens = await ref
        .client({ redirectUri: REDIRECT_URI, now: () => NOW })
        .exchangeCode({ code: 'code-1', codeVerifier: 'v'.repeat(43) })

      // The reference's at_hash is the hash of its access token, so it is kept
      // as printed and checked (`cpqKfdQA5eH891Ff5oJr_Q`).
      expect(claims.at_hash).toBe(await tokenHash(TOKEN_RESPONSE.access_token, 'RS256'))
      expect(tokens).toEqual({
        accessToken: TOKEN_RESPONSE.access_token,
        tokenType: 'Bearer',
        expiresIn: 3600,
        expiresAt: NOW_S + 3600,
        scope: 'openid email',
        refreshToken: 'a9VpZDRCeFh3Nkk2VdY',
        idToken,
        idTokenClaims: claims,
      })
      expect(tokens.idTokenClaims).toMatchObject({
        sub: '00uid4BxXw6I6TV4m0g3',
        email: 'webmaster@clouditude.net',
        email_verified: true,
        login: 'administrator1@clouditude.net',
        amr: ['pwd'],
        jti: '4eAWJOCMB3SX8XewDfVR',
      })
      const [req] = ref.fake.requestsTo('/v1/token')
      expect(req!.url.href).toBe(ref.metadata.token_endpoint)
    })

    it('without its id_token: the access and refresh token part, through the refresh grant', async () => {
      const { id_token: _dropped, ...body } = TOKEN_RESPONSE
      ref.fake.on('/v1/token', () => HttpResponse.json(body))
      const tokens = await ref.client({ now: () => NOW }).refresh('rt-old')
      expect(tokens).toEqual({
        accessToken: TOKEN_RESPONSE.access_token,
        tokenType: 'Bearer',
        expiresIn: 3600,
        expiresAt: NOW_S + 3600,
        scope: 'openid email',
        refreshToken: 'a9VpZDRCeFh3Nkk2VdY',
      })
    })

    it('as printed: the literal id_token is rejected at its signature, before any claim', async () => {
      // The reference ID token is {"alg":"RS256"} (no kid) from
      // http://rain.okta1.com:1802 for client uAaunofWkaDJxukCFeBx, expired
      // since 2015-12-09. The SDK validates ID tokens on one path, on every
      // flow: the signature first, then the claims; no key of this server
      // signed it, so the error is the signature's.
      ref.fake.on('/v1/token', () => HttpResponse.json(TOKEN_RESPONSE))
      const err = await ref
        .client({ redirectUri: REDIRECT_URI })
        .exchangeCode({ code: 'code-1', codeVerifier: 'v'.repeat(43) })
        .catch((e) => e)
      expect(err).toBeInstanceOf(TokenValidationError)
      expect(err).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID', token: 'id_token' })
    })

    it('its claims as printed, signed by this server: refused for the issuer, then for the expiry', async () => {
      const printed = decodeJwt(TOKEN_RESPONSE.id_token!)
      const idToken = await sign(ref.fake, { ...printed })
      ref.fake.on('/v1/token', () => HttpResponse.json({ ...TOKEN_RESPONSE, id_token: idToken }))
      // At the time it was issued: its iss (rain.okta1.com) is not this server.
      const atIssue = await ref
        .client({ now: () => printed.iat! * 1000 })
        .refresh('rt-1')
        .catch((e) => e)
      expect(atIssue).toBeInstanceOf(TokenValidationError)
      expect(atIssue).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss' })
      // With only the issuer and audience moved here, today: expired since 2015.
      const moved = await sign(ref.fake, { ...printed, iss: ref.metadata.issuer, aud: CLIENT_ID })
      ref.fake.on('/v1/token', () => HttpResponse.json({ ...TOKEN_RESPONSE, id_token: moved }))
      const today = await ref
        .client()
        .refresh('rt-1')
        .catch((e) => e)
      expect(today).toMatchObject({ code: 'ERR_JWT_EXPIRED', claim: 'exp', token: 'id_token' })
    })
  })

  describe('"List of Errors"', () => {
    const rows = kind.issuer === CUSTOM_ISSUER ? TOKEN_ERRORS_CUSTOM : TOKEN_ERRORS_ORG
    const cases = rows.flatMap((row) =>
      GRANTS.map(([grant, call]) => [row.error, grant, row, call] as const),
    )

    it.each(cases)(
      '%s from the %s grant → OAuthResponseError',
      async (_e, _g, row: TokenErrorRow, call) => {
        const requests = record('post', kind.metadata().token_endpoint!, () =>
          HttpResponse.json(
            { error: row.error, error_description: row.details },
            { status: row.status, headers: { 'content-type': JSON_CONTENT_TYPE } },
          ),
        )
        const err = await call(
          referenceClient(kind, {
            auth: { method: 'client_secret_basic', clientSecret: 'secret' },
          }),
        ).catch((e) => e)
        expect(err).toBeInstanceOf(OAuthResponseError)
        expect(err).toMatchObject({
          code: 'ERR_OAUTH_RESPONSE',
          error: row.error,
          errorDescription: row.details,
          status: row.status,
        })
        expect(err.errorUri).toBeUndefined()
        expect(err.challenges).toBeUndefined()
        expect(requests).toHaveLength(1)
      },
    )

    it('"Response Example (Error)": 401 invalid_client "No client credentials found."', async () => {
      record('post', kind.metadata().token_endpoint!, () =>
        HttpResponse.json(TOKEN_ERROR.body, {
          status: TOKEN_ERROR.status,
          headers: TOKEN_ERROR.headers,
        }),
      )
      const err = await referenceClient(kind)
        .clientCredentials()
        .catch((e) => e)
      expect(err).toBeInstanceOf(OAuthResponseError)
      expect(err).toMatchObject({
        code: 'ERR_OAUTH_RESPONSE',
        error: 'invalid_client',
        errorDescription: 'No client credentials found.',
        status: 401,
      })
    })
  })
})

describe('the literal reference ID token, on its own server, at its own time', () => {
  // Give the token everything it asks for: issuer http://rain.okta1.com:1802,
  // client uAaunofWkaDJxukCFeBx, the clock at its iat, and the reference's
  // published keys (KEYS). It is still refused: none of those keys signed it.
  const issuer = 'http://rain.okta1.com:1802'
  const claims = decodeJwt(TOKEN_RESPONSE.id_token!)
  const metadata: ServerMetadata = {
    issuer,
    token_endpoint: `${issuer}/oauth2/v1/token`,
    jwks_uri: `${issuer}/oauth2/v1/keys`,
    id_token_signing_alg_values_supported: ['RS256'],
  }
  const client = () =>
    createClient(metadata, {
      clientId: claims.aud as string,
      allowInsecureRequests: true,
      now: () => claims.iat! * 1000,
    })
  const serveKeys = (keys: unknown[]) =>
    server.use(
      http.post(metadata.token_endpoint!, () => HttpResponse.json(TOKEN_RESPONSE)),
      http.get(metadata.jwks_uri!, () => HttpResponse.json({ keys }, { headers: KEYS.headers })),
    )

  it('the claims and header are what the example implies', () => {
    expect(decodeProtectedHeader(TOKEN_RESPONSE.id_token!)).toEqual({ alg: 'RS256' })
    expect(claims).toMatchObject({ iss: issuer, aud: 'uAaunofWkaDJxukCFeBx', iat: 1449624026 })
  })

  it('with all three published keys: no kid to choose by → JwksError ERR_JWKS_NO_MATCHING_KEY', async () => {
    // jose finds three RS256 candidates for a header without kid and refuses
    // to guess; the SDK reports that as "no matching key".
    serveKeys(KEYS.body!.keys)
    const err = await client()
      .refresh('rt')
      .catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
  })

  it.each(KEYS.body!.keys.map((k) => [k.kid, k] as const))(
    'with key %s alone: the signature does not verify → ERR_JWT_SIGNATURE_INVALID',
    async (_kid, key) => {
      serveKeys([key])
      const err = await client()
        .refresh('rt')
        .catch((e) => e)
      expect(err).toBeInstanceOf(TokenValidationError)
      expect(err.code).toBe('ERR_JWT_SIGNATURE_INVALID')
    },
  )
})

describe('oauth2-api.md "Resource Owner Password Credentials Flow"', () => {
  const kind = SERVERS[1]
  const request = fill(PASSWORD_REQUEST, PLACEHOLDERS)
  let ref: Awaited<ReturnType<typeof referenceIssuer>>
  beforeEach(async () => {
    ref = await referenceIssuer(kind)
  })

  const password = (client: Client) =>
    client.password({
      username: request.form.username,
      password: 'correct-horse-battery',
      scope: request.form.scope,
    })
  const confidential = (options = {}) =>
    ref.client({
      auth: { method: 'client_secret_post', clientSecret: 'client-secret-1' },
      now: () => NOW,
      ...options,
    })

  it('"Request Example": sends exactly the example form body, to the example URL', async () => {
    ref.fake.on('/v1/token', () =>
      HttpResponse.json({ access_token: 'at', token_type: 'Bearer', expires_in: 1800 }),
    )
    await password(confidential())

    const [req] = ref.fake.requestsTo('/v1/token')
    expect(req!.method).toBe(request.method)
    expect(req!.url.href).toBe(request.url)
    expect(req!.url.href).toBe(`${CUSTOM_ISSUER}/v1/token`)
    expect(req!.headers.get('accept')).toBe(request.headers.Accept)
    expect(req!.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded(;|$)/)
    expect(req!.headers.get('authorization')).toBeNull()
    expect(Object.fromEntries(req!.form)).toEqual({
      ...request.form,
      username: 'dolores.abernathy@example.com',
      password: 'correct-horse-battery',
      client_id: CLIENT_ID,
      client_secret: 'client-secret-1',
    })
    // Each parameter once.
    expect([...req!.form.keys()].sort()).toEqual(Object.keys(request.form).sort())
  })

  it('"Response Example": the body, with a re-signed RS256 ID token whose at_hash is recomputed → every field', async () => {
    const body = PASSWORD_TOKEN_RESPONSE
    const claims = adjusted(body.id_token!, CUSTOM_ISSUER, {
      at_hash: await tokenHash(body.access_token, 'RS256'),
    })
    const idToken = await sign(ref.fake, claims)
    ref.fake.on('/v1/token', () => HttpResponse.json({ ...body, id_token: idToken }))

    const tokens = await password(confidential())

    expect(tokens).toEqual({
      accessToken: body.access_token,
      tokenType: 'Bearer',
      expiresIn: 1800,
      expiresAt: NOW_S + 1800,
      scope: 'openid',
      idToken,
      idTokenClaims: claims,
    })
    expect(tokens.refreshToken).toBeUndefined()
    expect(tokens.idTokenClaims).toMatchObject({
      sub: '00uae3ubp9AIPSwBR0h7',
      idp: '00o8740bsphMpKDXb0h7',
      jti: 'ID.eulnRR_1BYbPFViia-aT-Pn21S8Gujx2jsmqlfpMWoo',
      amr: ['pwd'],
      ver: 1,
    })
  })

  it('"Response Example": re-signed with its at_hash as printed → ERR_TOKEN_HASH_MISMATCH (the example is inconsistent)', async () => {
    // The example's at_hash (ffrQ_nNxJs0OhD97h_W3Aw) is not the left half of
    // SHA-256 of its access_token (pgYuYSk8NIo9HryfEo6I3w): rejecting it is right.
    const body = PASSWORD_TOKEN_RESPONSE
    const claims = adjusted(body.id_token!, CUSTOM_ISSUER)
    expect(claims.at_hash).toBe('ffrQ_nNxJs0OhD97h_W3Aw')
    expect(await tokenHash(body.access_token, 'RS256')).toBe('pgYuYSk8NIo9HryfEo6I3w')
    const idToken = await sign(ref.fake, claims)
    ref.fake.on('/v1/token', () => HttpResponse.json({ ...body, id_token: idToken }))

    const err = await password(confidential()).catch((e) => e)

    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_TOKEN_HASH_MISMATCH', claim: 'at_hash' })
  })

  it('"Response Example" as printed: the HS256 id_token is rejected as TokenValidationError ERR_JWT_ALG_NOT_ALLOWED', async () => {
    // The printed ID token is {"typ":"JWT","alg":"HS256"}. An ID token MACed
    // with a shared secret is never accepted (the server advertises RS256 and
    // the SDK always drops HMAC). The SDK documents exactly this case as
    // TokenValidationError ERR_JWT_ALG_NOT_ALLOWED ("the header's alg is not
    // among the allowed algorithms"), and ID token failures of the grants as
    // TokenValidationError: the SDK validates ID tokens on its own path,
    // before oauth4webapi reads the rest of the response.
    expect(decodeProtectedHeader(PASSWORD_TOKEN_RESPONSE.id_token!)).toEqual({
      typ: 'JWT',
      alg: 'HS256',
    })
    ref.fake.on('/v1/token', () => HttpResponse.json(PASSWORD_TOKEN_RESPONSE))

    const err = await password(confidential({ now: undefined })).catch((e) => e)

    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_JWT_ALG_NOT_ALLOWED', claim: 'alg' })
  })

  it('"Response Example" as printed, at its own time: still rejected for alg (not for time or issuer)', async () => {
    const { iat } = decodeJwt(PASSWORD_TOKEN_RESPONSE.id_token!)
    ref.fake.on('/v1/token', () => HttpResponse.json(PASSWORD_TOKEN_RESPONSE))
    const err = await password(confidential({ now: () => iat! * 1000 })).catch((e) => e)
    // The algorithm is checked before the time and the issuer.
    expect(err).toMatchObject({ code: 'ERR_JWT_ALG_NOT_ALLOWED' })
  })
})
