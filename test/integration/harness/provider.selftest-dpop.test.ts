/**
 * Self-test of the oidc-provider harness: DPoP-bound tokens, and DPoP nonces when
 * `requireDpopNonce` is set. Shared setup in provider.selftest-harness.ts.
 */
import { randomUUID } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { startProvider } from './provider.js'
import { basicAuth, fixture, postForm, useDefaultProvider } from './provider.selftest-harness.js'

describe('oidc-provider harness (opaque access tokens, default)', () => {
  useDefaultProvider()

  it('DPoP-bound client_credentials token', async () => {
    const { op, meta } = fixture
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const jwk = await exportJWK(publicKey)
    const proof = await new SignJWT({ htm: 'POST', htu: meta.token_endpoint })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(privateKey)
    const res = await postForm(
      meta.token_endpoint,
      { grant_type: 'client_credentials', scope: 'orders:read' },
      { authorization: basicAuth(op.clients.basic), dpop: proof },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.token_type).toBe('DPoP')
    const introspected = await postForm(
      meta.introspection_endpoint,
      { token: res.body.access_token as string },
      { authorization: basicAuth(op.clients.basic) },
    )
    expect(introspected.body).toMatchObject({
      active: true,
      token_type: 'DPoP',
      cnf: { jkt: await calculateJwkThumbprint(jwk) },
    })
  })
})

describe('oidc-provider harness (requireDpopNonce)', () => {
  it('asks for a DPoP nonce first, like Okta', async () => {
    const op = await startProvider({ requireDpopNonce: true })
    try {
      const tokenEndpoint = `${op.issuer}/v1/token`
      const { privateKey, publicKey } = await generateKeyPair('ES256')
      const jwk = await exportJWK(publicKey)
      const proof = (nonce?: string) =>
        new SignJWT({ htm: 'POST', htu: tokenEndpoint, ...(nonce ? { nonce } : {}) })
          .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
          .setIssuedAt()
          .setJti(randomUUID())
          .sign(privateKey)
      const params = { grant_type: 'client_credentials', scope: 'orders:read' }
      const auth = { authorization: basicAuth(op.clients.basic) }
      const first = await postForm(tokenEndpoint, params, { ...auth, dpop: await proof() })
      expect(first.status).toBe(400)
      expect(first.body.error).toBe('use_dpop_nonce')
      const nonce = first.headers.get('dpop-nonce')
      expect(nonce).toBeTruthy()
      const second = await postForm(tokenEndpoint, params, {
        ...auth,
        dpop: await proof(nonce as string),
      })
      expect(second.status, JSON.stringify(second.body)).toBe(200)
      expect(second.body.token_type).toBe('DPoP')
    } finally {
      await op.close()
    }
  })
})
