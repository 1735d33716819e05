/**
 * DPoP-bound OAuth for Okta tokens: every request, the token request
 * included, carries a proof for its method and URL, and a use_dpop_nonce
 * challenge from the API is answered with one retry.
 */
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
import { describe, expect, it } from 'vitest'
import { generateDPoPKeyPair } from '../../../src/index.js'
import { server } from '../msw.js'
import { key, MANAGE, ONE_SERVER, READ, SERVER, useAuthHooks } from './auth-harness.js'
import { CREATE_SERVER_BODY, SERVER_ID } from './fixtures.js'
import {
  API,
  apiCalls,
  jsonOf,
  oauthClient,
  record,
  TOKEN_ENDPOINT,
  tokenCalls,
  tokenEndpoint,
} from './helpers.js'

useAuthHooks()

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
