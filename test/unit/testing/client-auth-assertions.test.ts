// Client assertions (client_secret_jwt and private_key_jwt) sent as raw
// requests: single use, audience, lifetime, issuer and subject, type and
// signature. The org and helpers are in client-auth-harness.ts.
import { describe, expect, it } from 'vitest'
import {
  ASSERTION_TYPE,
  assertion,
  ccForm,
  claimsFor,
  client,
  clients,
  harness,
  IDS,
  SECRET,
  useClientAuthHarness,
} from './client-auth-harness.js'
import { postForm, useOrg } from './helpers.js'

useClientAuthHarness()

describe('client assertions (raw requests)', () => {
  const endpoint = () => `${harness.org.issuer()}/v1/token`

  it('a valid HS256 assertion works once; the same jti again is invalid_client', async () => {
    const jwt = await assertion(claimsFor(IDS.jwt, endpoint()))
    const before = harness.org.requestCount('token')
    const first = await postForm(endpoint(), ccForm(IDS.jwt, jwt))
    expect(first.status).toBe(200)
    expect((await first.json()).token_type).toBe('Bearer')
    const again = await postForm(endpoint(), ccForm(IDS.jwt, jwt))
    expect(again.status).toBe(401)
    expect((await again.json()).error).toBe('invalid_client')
    expect(harness.org.requestCount('token') - before).toBe(2)
  })

  it('a reused private_key_jwt assertion is refused', async () => {
    const jwt = await assertion(claimsFor(IDS.pkj, endpoint()), {
      privateJwk: harness.key.privateJwk,
    })
    expect((await postForm(endpoint(), ccForm(IDS.pkj, jwt))).status).toBe(200)
    const again = await postForm(endpoint(), ccForm(IDS.pkj, jwt))
    expect(again.status).toBe(401)
    expect((await again.json()).error).toBe('invalid_client')
  })

  it('an assertion for another endpoint (aud) is invalid_client', async () => {
    for (const aud of [
      harness.org.issuer(),
      `${harness.org.issuer()}/v1/introspect`,
      `${harness.org.orgIssuer}/oauth2/v1/token`,
    ]) {
      const jwt = await assertion(claimsFor(IDS.jwt, aud))
      const response = await postForm(endpoint(), ccForm(IDS.jwt, jwt))
      expect(response.status, aud).toBe(401)
      expect((await response.json()).error).toBe('invalid_client')
    }
  })

  it('an expired assertion is invalid_client', async () => {
    const now = harness.org.now()
    const jwt = await assertion(claimsFor(IDS.jwt, endpoint(), { iat: now - 120, exp: now - 60 }))
    const response = await postForm(endpoint(), ccForm(IDS.jwt, jwt))
    expect(response.status).toBe(401)
    expect((await response.json()).error).toBe('invalid_client')
  })

  it('an assertion that the org clock has overtaken is invalid_client', async () => {
    harness.org = await useOrg({ clients: clients() })
    const jwt = await assertion(claimsFor(IDS.jwt, endpoint()))
    expect((await postForm(endpoint(), ccForm(IDS.jwt, jwt))).status).toBe(200)
    const second = await assertion(claimsFor(IDS.jwt, endpoint()))
    harness.org.advanceClock(61)
    const response = await postForm(endpoint(), ccForm(IDS.jwt, second))
    expect(response.status).toBe(401)
  })

  it('an exp more than one hour ahead is invalid_client', async () => {
    const jwt = await assertion(claimsFor(IDS.jwt, endpoint(), { exp: harness.org.now() + 3_700 }))
    const response = await postForm(endpoint(), ccForm(IDS.jwt, jwt))
    expect(response.status).toBe(401)
    expect((await response.json()).error).toBe('invalid_client')
  })

  it('an iat in the future is invalid_client', async () => {
    const jwt = await assertion(claimsFor(IDS.jwt, endpoint(), { iat: harness.org.now() + 120 }))
    const response = await postForm(endpoint(), ccForm(IDS.jwt, jwt))
    expect(response.status).toBe(401)
  })

  it('jti and iat are optional', async () => {
    const { jti: _jti, iat: _iat, ...claims } = claimsFor(IDS.jwt, endpoint())
    const jwt = await assertion(claims)
    const response = await postForm(endpoint(), ccForm(IDS.jwt, jwt))
    expect(response.status).toBe(200)
  })

  it.each([
    ['iss', { iss: IDS.basic }],
    ['sub', { sub: IDS.basic }],
  ])('an assertion whose %s is not the client is invalid_client', async (_name, extra) => {
    const jwt = await assertion(claimsFor(IDS.jwt, endpoint(), extra))
    const response = await postForm(endpoint(), ccForm(IDS.jwt, jwt))
    expect(response.status).toBe(401)
  })

  it('a wrong client_assertion_type or a non-JWT assertion is invalid_client', async () => {
    const jwt = await assertion(claimsFor(IDS.jwt, endpoint()))
    const wrongType = await postForm(endpoint(), {
      ...ccForm(IDS.jwt, jwt),
      client_assertion_type: 'urn:example:other',
    })
    expect(wrongType.status).toBe(401)
    const garbage = await postForm(endpoint(), ccForm(IDS.jwt, 'not-a-jwt'))
    expect(garbage.status).toBe(401)
    expect((await garbage.json()).error).toBe('invalid_client')
  })

  it('an HS256 assertion for a private_key_jwt client is invalid_client', async () => {
    const jwt = await assertion(claimsFor(IDS.pkj, endpoint()))
    const response = await postForm(endpoint(), ccForm(IDS.pkj, jwt))
    expect(response.status).toBe(401)
  })

  it('the assertion audience is the endpoint it is sent to: introspect and revoke', async () => {
    const c = await client(IDS.jwt, { method: 'client_secret_jwt', clientSecret: SECRET })
    const { accessToken } = await c.clientCredentials({ scope: 'orders:read' })
    const introspect = `${harness.org.issuer()}/v1/introspect`
    const good = await postForm(introspect, {
      token: accessToken!,
      client_id: IDS.jwt,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(claimsFor(IDS.jwt, introspect)),
    })
    expect(await good.json()).toMatchObject({ active: true })
    const wrong = await postForm(`${harness.org.issuer()}/v1/revoke`, {
      token: accessToken!,
      client_id: IDS.jwt,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(claimsFor(IDS.jwt, introspect)),
    })
    expect(wrong.status).toBe(401)
  })
})
