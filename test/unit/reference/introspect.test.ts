import { HttpResponse, type JsonBodyType } from 'msw'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError, OAuthResponseError, type TokenTypeHint } from '../../../src/index.js'
import {
  INTROSPECT_ACCESS_TOKEN,
  INTROSPECT_ACCESS_TOKEN_CUSTOM,
  INTROSPECT_ERROR,
  INTROSPECT_INACTIVE,
  INTROSPECT_REFRESH_TOKEN,
  JSON_CONTENT_TYPE,
} from '../../fixtures/reference.js'
import { CLIENT_ID } from '../fake-issuer.js'
import {
  CUSTOM_ISSUER,
  ORG,
  type ReferenceServer,
  record,
  referenceClient,
  SERVERS,
} from './servers.js'

const json = (body: JsonBodyType) =>
  HttpResponse.json(body, { headers: { 'content-type': JSON_CONTENT_TYPE } })

describe.each(SERVERS)('introspection, $name', (kind: ReferenceServer) => {
  const endpoint = kind.metadata().introspection_endpoint!

  it("the endpoint is the document's /v1/introspect", () => {
    expect(endpoint).toBe(
      kind.issuer === ORG ? `${ORG}/oauth2/v1/introspect` : `${CUSTOM_ISSUER}/v1/introspect`,
    )
  })

  describe('request', () => {
    it.each(['access_token', 'refresh_token', 'id_token'] as const)(
      'client_secret_basic, hint %s: token and token_type_hint in the form, credentials in Authorization',
      async (hint: TokenTypeHint) => {
        const requests = record('post', endpoint, () => json(INTROSPECT_INACTIVE))
        await referenceClient(kind, {
          auth: { method: 'client_secret_basic', clientSecret: 'secret1' },
        }).introspect('the-token', { tokenTypeHint: hint })

        expect(requests).toHaveLength(1)
        const [req] = requests
        expect(req!.method).toBe('POST')
        expect(req!.url.href).toBe(endpoint)
        expect(Object.fromEntries(req!.form)).toEqual({ token: 'the-token', token_type_hint: hint })
        expect(req!.headers.get('authorization')).toBe(`Basic ${btoa(`${CLIENT_ID}:secret1`)}`)
        expect(req!.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/)
        expect(req!.headers.get('accept')).toBe('application/json')
      },
    )

    it('client_secret_post: client_id and client_secret in the form, no Authorization', async () => {
      const requests = record('post', endpoint, () => json(INTROSPECT_INACTIVE))
      await referenceClient(kind, {
        auth: { method: 'client_secret_post', clientSecret: 'secret2' },
      }).introspect('the-token', { tokenTypeHint: 'access_token' })
      const [req] = requests
      expect(Object.fromEntries(req!.form)).toEqual({
        token: 'the-token',
        token_type_hint: 'access_token',
        client_id: CLIENT_ID,
        client_secret: 'secret2',
      })
      expect(req!.headers.get('authorization')).toBeNull()
    })

    it('a public client (none): client_id only; without a hint no token_type_hint is sent', async () => {
      const requests = record('post', endpoint, () => json(INTROSPECT_INACTIVE))
      await referenceClient(kind).introspect('the-token')
      const [req] = requests
      expect(Object.fromEntries(req!.form)).toEqual({ token: 'the-token', client_id: CLIENT_ID })
      expect(req!.headers.get('authorization')).toBeNull()
    })

    it('refuses an empty token before sending anything', () => {
      const requests = record('post', endpoint, () => json(INTROSPECT_INACTIVE))
      expect(() => referenceClient(kind).introspect('')).toThrow(InvalidOptionError)
      expect(requests).toHaveLength(0)
    })
  })

  describe('responses', () => {
    it.each([
      ['Success, Access Token (oidc-api.md)', INTROSPECT_ACCESS_TOKEN],
      ['Success, Access Token (oauth2-api.md, custom claims)', INTROSPECT_ACCESS_TOKEN_CUSTOM],
      ['Success, Refresh Token', INTROSPECT_REFRESH_TOKEN],
    ])('"%s" is returned with all its members', async (_name, body) => {
      record('post', endpoint, () => json(body))
      const result = await referenceClient(kind, {
        auth: { method: 'client_secret_basic', clientSecret: 's' },
      }).introspect('the-token')
      expect(result).toEqual(body)
      expect(result.active).toBe(true)
    })

    it("the access token example's fields, typed", async () => {
      record('post', endpoint, () => json(INTROSPECT_ACCESS_TOKEN_CUSTOM))
      const result = await referenceClient(kind).introspect('t', { tokenTypeHint: 'access_token' })
      expect(result).toMatchObject({
        active: true,
        token_type: 'Bearer',
        scope: 'openid email flights custom',
        client_id: 'a9VpZDRCeFh3Nkk2VdYa',
        username: 'john.doe@example.com',
        exp: 1451606400,
        iat: 1451602800,
        sub: 'john.doe@example.com',
        aud: 'https://api.example.com',
        jti: 'AT.7P4KlczBYVcWLkxduEuKeZfeiNYkZIC9uGJ28Cc-YaI',
        uid: '00uid4BxXw6I6TV4m0g3',
        number_of_flights: 2,
        flight_number: ['AX102', 'CT508'],
        custom_claim: 'CustomValue',
      })
    })

    it('the refresh token example carries device_id', async () => {
      record('post', endpoint, () => json(INTROSPECT_REFRESH_TOKEN))
      const result = await referenceClient(kind).introspect('rt', {
        tokenTypeHint: 'refresh_token',
      })
      expect(result.device_id).toBe('q4SZgrA9sOeHkfst5uaa')
      expect(result.iat).toBeUndefined()
    })

    it('"Success, Inactive Token" → { active: false } and nothing else', async () => {
      record('post', endpoint, () => json(INTROSPECT_INACTIVE))
      await expect(referenceClient(kind).introspect('revoked')).resolves.toEqual({ active: false })
    })

    it('"Response Example (Error)": 401 invalid_client → OAuthResponseError', async () => {
      record('post', endpoint, () =>
        HttpResponse.json(INTROSPECT_ERROR.body, {
          status: INTROSPECT_ERROR.status,
          headers: INTROSPECT_ERROR.headers,
        }),
      )
      const err = await referenceClient(kind)
        .introspect('t')
        .catch((e) => e)
      expect(err).toBeInstanceOf(OAuthResponseError)
      expect(err).toMatchObject({
        code: 'ERR_OAUTH_RESPONSE',
        error: 'invalid_client',
        errorDescription: 'No client credentials found.',
        status: 401,
      })
    })

    it('a body without a boolean active → ERR_INVALID_RESPONSE', async () => {
      record('post', endpoint, () => json({ active: 'true' }))
      await expect(referenceClient(kind).introspect('t')).rejects.toMatchObject({
        code: 'ERR_INVALID_RESPONSE',
      })
    })
  })
})
