import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError, OAuthResponseError } from '../../../src/index.js'
import { REVOKE_ERROR, REVOKE_SUCCESS } from '../../fixtures/reference.js'
import { CLIENT_ID } from '../fake-issuer.js'
import {
  CUSTOM_ISSUER,
  ORG,
  type ReferenceServer,
  record,
  referenceClient,
  SERVERS,
} from './servers.js'

const ok = () => new HttpResponse(null, { status: REVOKE_SUCCESS.status })

describe.each(SERVERS)('revocation, $name', (kind: ReferenceServer) => {
  const endpoint = kind.metadata().revocation_endpoint!

  it("the endpoint is the document's /v1/revoke", () => {
    expect(endpoint).toBe(
      kind.issuer === ORG ? `${ORG}/oauth2/v1/revoke` : `${CUSTOM_ISSUER}/v1/revoke`,
    )
  })

  it.each(['access_token', 'refresh_token'] as const)(
    'sends token and token_type_hint=%s; "200 OK" with an empty body resolves to undefined',
    async (hint) => {
      const requests = record('post', endpoint, ok)
      const result = await referenceClient(kind, {
        auth: { method: 'client_secret_basic', clientSecret: 'secret1' },
      }).revoke('the-token', { tokenTypeHint: hint })

      expect(result).toBeUndefined()
      expect(requests).toHaveLength(1)
      const [req] = requests
      expect(req!.method).toBe('POST')
      expect(req!.url.href).toBe(endpoint)
      expect(Object.fromEntries(req!.form)).toEqual({ token: 'the-token', token_type_hint: hint })
      expect(req!.headers.get('authorization')).toBe(`Basic ${btoa(`${CLIENT_ID}:secret1`)}`)
      expect(req!.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/)
    },
  )

  it('client_secret_post: client_id and client_secret in the form', async () => {
    const requests = record('post', endpoint, ok)
    await referenceClient(kind, {
      auth: { method: 'client_secret_post', clientSecret: 'secret2' },
    }).revoke('the-token', { tokenTypeHint: 'refresh_token' })
    expect(Object.fromEntries(requests[0]!.form)).toEqual({
      token: 'the-token',
      token_type_hint: 'refresh_token',
      client_id: CLIENT_ID,
      client_secret: 'secret2',
    })
  })

  it('a native app omits client_secret: client_id only, no hint when none is given', async () => {
    // oauth2-api.md: "Native applications … can omit client_secret".
    const requests = record('post', endpoint, ok)
    await expect(referenceClient(kind).revoke('the-token')).resolves.toBeUndefined()
    expect(Object.fromEntries(requests[0]!.form)).toEqual({
      token: 'the-token',
      client_id: CLIENT_ID,
    })
    expect(requests[0]!.headers.get('authorization')).toBeNull()
  })

  it('a 200 with a body also succeeds (the body is ignored, RFC 7009 §2.2)', async () => {
    record('post', endpoint, () => new HttpResponse('whatever', { status: 200 }))
    await expect(referenceClient(kind).revoke('t')).resolves.toBeUndefined()
  })

  it('"Response Example (Error)": 401 invalid_client → OAuthResponseError', async () => {
    record('post', endpoint, () =>
      HttpResponse.json(REVOKE_ERROR.body, {
        status: REVOKE_ERROR.status,
        headers: REVOKE_ERROR.headers,
      }),
    )
    const err = await referenceClient(kind)
      .revoke('t', { tokenTypeHint: 'access_token' })
      .catch((e) => e)
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'invalid_client',
      errorDescription: 'No client credentials found.',
      status: 401,
    })
  })

  it('invalid_request (the other listed error) → OAuthResponseError 400', async () => {
    record('post', endpoint, () =>
      HttpResponse.json(
        { error: 'invalid_request', error_description: 'The request structure was invalid.' },
        { status: 400 },
      ),
    )
    await expect(referenceClient(kind).revoke('t')).rejects.toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'invalid_request',
      status: 400,
    })
  })

  it('refuses an empty token before sending anything', () => {
    const requests = record('post', endpoint, ok)
    expect(() => referenceClient(kind).revoke('')).toThrow(InvalidOptionError)
    expect(requests).toHaveLength(0)
  })
})
