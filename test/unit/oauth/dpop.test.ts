import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose'
import { HttpResponse, http } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  type Client,
  generateDPoPKeyPair,
  InvalidOptionError,
  OAuthResponseError,
} from '../../../src/index.js'
import { createFakeIssuer, type FakeIssuer, USER_SUB } from '../fake-issuer.js'
import { server } from '../msw.js'

let fake: FakeIssuer
let client: Client
let keyPair: CryptoKeyPair
beforeEach(async () => {
  fake = await createFakeIssuer()
  keyPair = await generateDPoPKeyPair()
  client = fake.client({ dpop: { keyPair } })
})

function proofOf(headers: Headers) {
  const proof = headers.get('dpop')
  expect(proof).toEqual(expect.any(String))
  return { header: decodeProtectedHeader(proof!), claims: decodeJwt(proof!) }
}

describe('DPoP', () => {
  it('sends a proof to the token endpoint and answers use_dpop_nonce once', async () => {
    let calls = 0
    fake.on('/v1/token', () => {
      calls++
      if (calls === 1) {
        return HttpResponse.json(
          {
            error: 'use_dpop_nonce',
            error_description: 'Authorization server requires nonce in DPoP proof',
          },
          { status: 400, headers: { 'dpop-nonce': 'server-nonce-1' } },
        )
      }
      return HttpResponse.json({ access_token: 'bound-at', token_type: 'DPoP', expires_in: 300 })
    })
    const tokens = await client.clientCredentials({ scope: 'orders:read' })
    expect(tokens.tokenType).toBe('DPoP')
    const [first, second] = fake.requestsTo('/v1/token')
    const a = proofOf(first!.headers)
    const b = proofOf(second!.headers)
    expect(a.header).toMatchObject({
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: expect.objectContaining({ kty: 'EC' }),
    })
    expect((a.header.jwk as JWK).d).toBeUndefined()
    expect(a.claims).toMatchObject({ htm: 'POST', htu: fake.metadata.token_endpoint })
    expect(a.claims.nonce).toBeUndefined()
    expect(b.claims.nonce).toBe('server-nonce-1')
    expect(b.claims.jti).not.toBe(a.claims.jti)
    expect(calls).toBe(2)
  })

  it('does not retry a second nonce error (bounded)', async () => {
    fake.on('/v1/token', () =>
      HttpResponse.json(
        { error: 'use_dpop_nonce' },
        { status: 400, headers: { 'dpop-nonce': `n-${Math.random()}` } },
      ),
    )
    const err = await client.clientCredentials().catch((e) => e)
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err.error).toBe('use_dpop_nonce')
    expect(fake.requestsTo('/v1/token')).toHaveLength(2)
  })

  it('binds userinfo: DPoP authorization scheme and a proof with ath', async () => {
    fake.on('/v1/userinfo', () => HttpResponse.json({ sub: USER_SUB }))
    await client.userinfo('bound-at', { expectedSubject: USER_SUB })
    const [req] = fake.requestsTo('/v1/userinfo')
    expect(req!.headers.get('authorization')).toBe('DPoP bound-at')
    const { claims } = proofOf(req!.headers)
    expect(claims).toMatchObject({
      htm: 'GET',
      htu: fake.metadata.userinfo_endpoint,
      ath: expect.any(String),
    })
  })

  it('fetchProtected: proof for the resource, one retry on a DPoP nonce challenge', async () => {
    const seen: Headers[] = []
    server.use(
      http.post('https://api.example.com/orders', ({ request }) => {
        seen.push(request.headers)
        if (seen.length === 1) {
          return new HttpResponse(null, {
            status: 401,
            headers: {
              'www-authenticate': 'DPoP error="use_dpop_nonce"',
              'dpop-nonce': 'rs-nonce',
            },
          })
        }
        return HttpResponse.json({ ok: true })
      }),
    )
    const response = await client.fetchProtected(
      { accessToken: 'bound-at' },
      'https://api.example.com/orders',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
    )
    expect(await response.json()).toEqual({ ok: true })
    expect(seen).toHaveLength(2)
    expect(seen[1]!.get('authorization')).toBe('DPoP bound-at')
    expect(proofOf(seen[1]!).claims).toMatchObject({
      htm: 'POST',
      htu: 'https://api.example.com/orders',
      nonce: 'rs-nonce',
    })
    // The proof key is the configured one.
    const jwk = proofOf(seen[1]!).header.jwk as JWK
    expect(await calculateJwkThumbprint(jwk)).toEqual(expect.any(String))
  })

  it('without DPoP, fetchProtected sends a Bearer token and maps invalid_token challenges', async () => {
    server.use(
      http.get('https://api.example.com/me', ({ request }) =>
        request.headers.get('authorization') === 'Bearer plain-at'
          ? new HttpResponse(null, {
              status: 401,
              headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
            })
          : HttpResponse.json({}, { status: 500 }),
      ),
    )
    const err = await fake
      .client()
      .fetchProtected('plain-at', 'https://api.example.com/me')
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', error: 'invalid_token', status: 401 })
    expect(() => fake.client().fetchProtected('t', 'http://api.example.com/')).toThrow(
      InvalidOptionError,
    )
  })

  it('refuses a bad key pair at construction', () => {
    expect(() => fake.client({ dpop: { keyPair: {} as CryptoKeyPair } })).toThrow(
      InvalidOptionError,
    )
  })
})
