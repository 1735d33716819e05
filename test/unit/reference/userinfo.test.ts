import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  type IdTokenClaims,
  InvalidOptionError,
  OAuthResponseError,
  type TokenSet,
  TokenValidationError,
} from '../../../src/index.js'
import {
  fill,
  USERINFO_401,
  USERINFO_403,
  USERINFO_REQUEST,
  USERINFO_RESPONSE,
} from '../../fixtures/reference.js'
import {
  CUSTOM_ISSUER,
  ORG,
  PLACEHOLDERS,
  type ReferenceServer,
  record,
  referenceClient,
  referenceIssuer,
  SERVERS,
} from './servers.js'

const SUB = USERINFO_RESPONSE.sub // 00uid4BxXw6I6TV4m0g3
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.opaque-to-the-client.sig'

/** A token set as sign-in returns it, for user `sub`. */
function tokensFor(sub: string): TokenSet {
  return {
    accessToken: ACCESS_TOKEN,
    tokenType: 'Bearer',
    idTokenClaims: { sub, iss: ORG, aud: 'x', exp: 0, iat: 0 } as IdTokenClaims,
  }
}

describe.each(SERVERS)('userinfo, $name', (kind: ReferenceServer) => {
  const endpoint = kind.metadata().userinfo_endpoint!

  /** Answer both GET and POST, so the test sees which one the SDK uses. */
  const serve = (respond: () => Response) =>
    [record('get', endpoint, respond), record('post', endpoint, respond)] as const

  it("the endpoint is the document's /v1/userinfo", () => {
    expect(endpoint).toBe(
      kind.issuer === ORG
        ? fill(USERINFO_REQUEST.url, PLACEHOLDERS)
        : `${CUSTOM_ISSUER}/v1/userinfo`,
    )
  })

  it('"Request Example": the access token goes in `Authorization: Bearer <access_token>`, by GET', async () => {
    // The example uses POST; OIDC Core §5.3.1 allows GET or POST and
    // oauth4webapi (hence the SDK) always sends GET, with no body.
    const [gets, posts] = serve(() => HttpResponse.json(USERINFO_RESPONSE))
    await referenceClient(kind).userinfo(tokensFor(SUB))

    expect(posts).toHaveLength(0)
    expect(gets).toHaveLength(1)
    const [req] = gets
    expect(req!.method).toBe('GET')
    expect(req!.url.href).toBe(endpoint)
    expect(req!.headers.get('authorization')).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(req!.headers.get('authorization')).toBe(
      USERINFO_REQUEST.headers.Authorization.replace('<access_token>', ACCESS_TOKEN),
    )
    expect(req!.headers.get('accept')).toBe('application/json, application/jwt')
    expect(req!.url.search).toBe('')
  })

  it('"Response Example (Success)" is returned with every claim', async () => {
    serve(() => HttpResponse.json(USERINFO_RESPONSE))
    const user = await referenceClient(kind).userinfo(tokensFor(SUB))
    expect(user).toEqual(USERINFO_RESPONSE)
    expect(user).toMatchObject({
      sub: '00uid4BxXw6I6TV4m0g3',
      name: 'John Doe',
      email_verified: true,
      updated_at: 1311280970,
      address: { postal_code: '90210', country: 'US' },
    })
  })

  it('a bare access token with expectedSubject works the same', async () => {
    serve(() => HttpResponse.json(USERINFO_RESPONSE))
    await expect(
      referenceClient(kind).userinfo(ACCESS_TOKEN, { expectedSubject: SUB }),
    ).resolves.toEqual(USERINFO_RESPONSE)
  })

  it('a bare access token with skipSubjectCheck works without a subject', async () => {
    serve(() => HttpResponse.json(USERINFO_RESPONSE))
    await expect(
      referenceClient(kind).userinfo(ACCESS_TOKEN, { skipSubjectCheck: true }),
    ).resolves.toEqual(USERINFO_RESPONSE)
  })

  it("a sub other than the ID token's → TokenValidationError ERR_SUBJECT_MISMATCH", async () => {
    serve(() => HttpResponse.json(USERINFO_RESPONSE))
    const err = await referenceClient(kind)
      .userinfo(tokensFor('00uSOMEONEELSE'))
      .catch((e) => e)
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_SUBJECT_MISMATCH', claim: 'sub' })
  })

  it("an expectedSubject other than the response's → ERR_SUBJECT_MISMATCH", async () => {
    serve(() => HttpResponse.json(USERINFO_RESPONSE))
    await expect(
      referenceClient(kind).userinfo(ACCESS_TOKEN, { expectedSubject: '00uOTHER' }),
    ).rejects.toMatchObject({ code: 'ERR_SUBJECT_MISMATCH' })
  })

  it('a bare access token without expectedSubject throws InvalidOptionError before sending', () => {
    const [gets, posts] = serve(() => HttpResponse.json(USERINFO_RESPONSE))
    expect(() => referenceClient(kind).userinfo(ACCESS_TOKEN)).toThrow(InvalidOptionError)
    const err = (() => {
      try {
        referenceClient(kind).userinfo(ACCESS_TOKEN)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION' })
    expect(gets).toHaveLength(0)
    expect(posts).toHaveLength(0)
  })

  it('"Response Example (Error)" 401: WWW-Authenticate invalid_token → OAuthResponseError with the parsed challenge', async () => {
    serve(
      () => new HttpResponse(null, { status: USERINFO_401.status, headers: USERINFO_401.headers }),
    )
    const err = await referenceClient(kind)
      .userinfo(tokensFor(SUB))
      .catch((e) => e)

    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'invalid_token',
      errorDescription: 'The access token is invalid',
      status: 401,
    })
    // The scheme is lower-cased ("Bearer" → "bearer"), as WWWAuthenticateChallenge documents.
    expect(err.challenges).toEqual([
      {
        scheme: 'bearer',
        parameters: { error: 'invalid_token', error_description: 'The access token is invalid' },
      },
    ])
  })

  it('"Response Example (Error)" 403: WWW-Authenticate insufficient_scope → OAuthResponseError with the parsed challenge', async () => {
    serve(
      () => new HttpResponse(null, { status: USERINFO_403.status, headers: USERINFO_403.headers }),
    )
    const err = await referenceClient(kind)
      .userinfo(tokensFor(SUB))
      .catch((e) => e)

    const description =
      'The access token must provide access to at least one of these scopes - profile, email, address or phone'
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'insufficient_scope',
      errorDescription: description,
      status: 403,
    })
    expect(err.challenges).toEqual([
      {
        scheme: 'bearer',
        parameters: { error: 'insufficient_scope', error_description: description },
      },
    ])
  })
})

describe('userinfo after a real sign-in', () => {
  it('the TokenSet of a code exchange carries the subject the response is checked against', async () => {
    const ref = await referenceIssuer(SERVERS[1])
    ref.fake.on('/v1/token', async () =>
      HttpResponse.json({
        access_token: ACCESS_TOKEN,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'openid profile email address phone',
        id_token: await ref.idToken({ sub: SUB }),
      }),
    )
    ref.fake.on('/v1/userinfo', () => HttpResponse.json(USERINFO_RESPONSE))
    const client = ref.client({ redirectUri: 'https://app.example.com/cb' })

    const tokens = await client.exchangeCode({ code: 'c', codeVerifier: 'v'.repeat(43) })
    const user = await client.userinfo(tokens)

    expect(tokens.idTokenClaims?.sub).toBe(SUB)
    expect(user).toEqual(USERINFO_RESPONSE)
    const [req] = ref.fake.requestsTo('/v1/userinfo')
    expect(req!.method).toBe('GET')
    expect(req!.headers.get('authorization')).toBe(`Bearer ${ACCESS_TOKEN}`)
  })
})
