/**
 * The resource-server verifier (`okta-oauth-kit/verifier`) against a real
 * oidc-provider on 127.0.0.1, in JWT mode: discovery and JWKS over HTTP,
 * RFC 9068 access tokens (`accessTokenFormat: 'jwt'`), authenticate(), ID
 * tokens, DPoP-bound tokens, the token cache, several issuers (with a second
 * provider in the default opaque mode, whose ID tokens are JWTs too) and a
 * trailing-slash issuer. The providers and helpers are in verifier-harness.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { clearDiscoveryCache, createClient, generateDPoPKeyPair } from '../../src/index.js'
import type { Verifier } from '../../src/verifier/types.js'
import { API_AUDIENCE } from './harness/provider.js'
import {
  authOf,
  bearer,
  clientCredentials,
  clientOf,
  entries,
  providers,
  tamper,
  useProviders,
} from './verifier-harness.js'

useProviders({ jwt: true, opaque: true })

describe.each(entries)('createVerifier ($entry entry)', ({ crypto, createVerifier }) => {
  let verifier: Verifier
  beforeAll(() => {
    clearDiscoveryCache(providers.op.issuer)
    providers.op.resetRequestCounts()
    verifier = createVerifier({ issuer: providers.op.issuer, audience: API_AUDIENCE })
  })

  it('verifies a client-credentials JWT over HTTP: discovery + JWKS once, RFC 9068 format', async () => {
    expect(verifier.crypto).toBe(crypto)
    expect(verifier.issuers).toEqual([providers.op.issuer])
    const token = await clientCredentials('orders:read')
    const result = await verifier.verifyAccessToken(token, { scopes: ['orders:read'] })
    expect(result).toMatchObject({
      format: 'rfc9068',
      issuer: providers.op.issuer,
      scopes: ['orders:read'],
      clientId: providers.op.clients.basic.clientId,
      subject: providers.op.clients.basic.clientId,
      header: { alg: 'RS256', typ: 'at+jwt', kid: providers.op.signingKid() },
    })
    expect(result.claims).toMatchObject({
      aud: API_AUDIENCE,
      scope: 'orders:read',
      scp: ['orders:read'],
      cid: providers.op.clients.basic.clientId,
      client_id: providers.op.clients.basic.clientId,
    })
    expect(result.expiresAt).toBe(result.claims.exp)
    expect(result.expiresAt).toBeGreaterThan(Date.now() / 1000)
    expect(verifier.jwksCache()?.jwksUri).toBe(providers.metadata.jwks_uri)

    // A second token costs no request: metadata and keys are cached.
    await verifier.verifyAccessToken(await clientCredentials('orders:read orders:write'), {
      scopes: { allOf: ['orders:write'], anyOf: ['orders:read', 'orders:admin'] },
      claims: {
        cid: providers.op.clients.basic.clientId,
        ver: 1,
        scp: { includes: 'orders:write' },
      },
    })
    expect(
      providers.op.requestCount(`${providers.op.issuer}/.well-known/openid-configuration`),
    ).toBe(1)
    expect(providers.op.requestCount(providers.metadata.jwks_uri!)).toBe(1)
  })

  it('refuses tampered, foreign-audience and wrong-claim tokens', async () => {
    const token = await clientCredentials('orders:read')
    await expect(
      verifier.verifyAccessToken(tamper(token, { scp: ['orders:read', 'orders:write'] })),
    ).rejects.toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID' })
    const elsewhere = createVerifier({ issuer: providers.op.issuer, audience: 'api://other' })
    await expect(elsewhere.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'aud',
    })
    await expect(
      verifier.verifyAccessToken(token, { claims: { cid: 'someone-else' } }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'cid', reason: 'mismatch' })
    await expect(
      verifier.verifyAccessToken(token, { scopes: ['orders:write'] }),
    ).rejects.toMatchObject({
      code: 'ERR_INSUFFICIENT_SCOPE',
      requiredScopes: ['orders:write'],
    })
  })

  it('authenticate(): 200-path token, 403 insufficient_scope, 401 without or with a bad token', async () => {
    const token = await clientCredentials('orders:read')
    const ok = await verifier.authenticate(bearer(token), { scopes: ['orders:read'] })
    expect(ok.ok).toBe(true)
    if (ok.ok) expect(ok.token.scopes).toEqual(['orders:read'])

    const forbidden = await verifier.authenticate(bearer(token), {
      scopes: ['orders:write'],
      realm: 'orders',
    })
    if (forbidden.ok) throw new Error('expected a failure')
    expect(forbidden.challenge.status).toBe(403)
    expect(forbidden.response.status).toBe(403)
    const challenge = forbidden.response.headers.get('www-authenticate')!
    expect(challenge).toMatch(/^Bearer realm="orders", error="insufficient_scope", /)
    expect(challenge).toContain('scope="orders:write"')
    expect(forbidden.response.headers.get('cache-control')).toBe('no-store')
    expect(await forbidden.response.json()).toMatchObject({ error: 'insufficient_scope' })

    const missing = await verifier.authenticate(new Request('http://127.0.0.1/api/orders'), {
      realm: 'orders',
    })
    if (missing.ok) throw new Error('expected a failure')
    expect(missing.response.status).toBe(401)
    expect(missing.response.headers.get('www-authenticate')).toBe('Bearer realm="orders"')
    expect(missing.challenge.body).toBeUndefined()

    const forged = await verifier.authenticate(bearer(tamper(token, { sub: 'mallory' })))
    if (forged.ok) throw new Error('expected a failure')
    expect(forged.response.status).toBe(401)
    expect(forged.response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    const text = await forged.response.text()
    expect(text).not.toContain(token.split('.')[2]!)
  })

  it('verifies ID tokens (password grant, code flow with nonce) with the same keys', async () => {
    const basic = clientOf(providers.metadata, providers.op.clients.basic)
    const { idToken } = await basic.password({
      username: providers.op.user.username,
      password: providers.op.user.password,
      scope: 'openid profile',
    })
    await expect(
      verifier.verifyIdToken(idToken!, { clientId: providers.op.clients.basic.clientId }),
    ).resolves.toMatchObject({
      sub: providers.op.user.sub,
      aud: providers.op.clients.basic.clientId,
      iss: providers.op.issuer,
      preferred_username: providers.op.user.username,
    })
    await expect(
      verifier.verifyIdToken(idToken!, { clientId: 'spa-client' }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud' })
    // An ID token is not an access token for this API.
    await expect(verifier.verifyAccessToken(idToken!)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'aud',
    })

    const spa = providers.op.clients.spa
    const public_ = createClient(providers.metadata, {
      clientId: spa.clientId,
      redirectUri: spa.redirectUri,
    })
    const { url, transaction } = await public_.authorizationUrl({ scope: 'openid email' })
    const result = await providers.op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const code = new URL(result.location).searchParams.get('code')!
    const tokens = await public_.exchangeCode({
      code,
      codeVerifier: transaction.codeVerifier!,
      nonce: transaction.nonce,
    })
    const claims = await verifier.verifyIdToken(tokens.idToken!, {
      clientId: spa.clientId,
      nonce: transaction.nonce!,
    })
    expect(claims).toMatchObject({
      sub: providers.op.user.sub,
      nonce: transaction.nonce,
      email: providers.op.user.email,
    })
    await expect(
      verifier.verifyIdToken(tokens.idToken!, { clientId: spa.clientId, nonce: 'another-nonce' }),
    ).rejects.toMatchObject({ code: 'ERR_NONCE_MISMATCH' })
  })

  it('refuses a DPoP-bound JWT presented as a bearer token', async () => {
    const dpop = createClient(providers.metadata, {
      clientId: providers.op.clients.post.clientId,
      auth: authOf(providers.op.clients.post),
      dpop: { keyPair: await generateDPoPKeyPair('ES256') },
    })
    const tokens = await dpop.clientCredentials({ scope: 'orders:read' })
    expect(tokens.tokenType).toBe('DPoP')
    // verifyAccessToken does not look at how the token was presented…
    const bound = await verifier.verifyAccessToken(tokens.accessToken)
    expect(bound.claims.cnf?.jkt).toEqual(expect.any(String))
    // …verifyRequest reads it from a Bearer header, which a bound token must not use.
    await expect(verifier.verifyRequest(bearer(tokens.accessToken))).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'cnf',
      reason: 'dpop_bound',
    })
  })

  it('token cache: a repeated token is answered from memory, scopes still checked', async () => {
    const cached = createVerifier({
      issuer: providers.op.issuer,
      audience: API_AUDIENCE,
      tokenCache: true,
    })
    await cached.ready()
    const token = await clientCredentials('orders:read')
    providers.op.resetRequestCounts()
    // Cached from its second verification on.
    const once = await cached.verifyAccessToken(token)
    const first = await cached.verifyAccessToken(token)
    expect(first).not.toBe(once)
    expect(await cached.verifyAccessToken(token)).toBe(first)
    await expect(
      cached.verifyAccessToken(token, { scopes: ['orders:write'] }),
    ).rejects.toMatchObject({ code: 'ERR_INSUFFICIENT_SCOPE' })
    cached.forget(token)
    const again = await cached.verifyAccessToken(token)
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
    expect(providers.op.requestCount(providers.metadata.jwks_uri!)).toBe(0)
  })
})

describe.each(entries)('several issuers ($entry entry)', ({ createVerifier }) => {
  it('verifies tokens of each trusted issuer with its own keys, and refuses others', async () => {
    const verifier = createVerifier({
      issuer: [providers.op.issuer, providers.opaque.issuer],
      audience: API_AUDIENCE,
    })
    await verifier.ready()
    expect(verifier.jwksCache(providers.op.issuer)?.jwksUri).toBe(providers.metadata.jwks_uri)
    expect(verifier.jwksCache(providers.opaque.issuer)?.jwksUri).toBe(
      providers.opaqueMetadata.jwks_uri,
    )

    const login = {
      username: providers.op.user.username,
      password: providers.op.user.password,
      scope: 'openid',
    }
    for (const [provider, md] of [
      [providers.op, providers.metadata],
      [providers.opaque, providers.opaqueMetadata],
    ] as const) {
      const { idToken } = await clientOf(md, provider.clients.basic).password(login)
      await expect(
        verifier.verifyIdToken(idToken!, { clientId: provider.clients.basic.clientId }),
      ).resolves.toMatchObject({ iss: provider.issuer, sub: provider.user.sub })
    }
    const token = await clientCredentials('orders:read')
    await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({
      issuer: providers.op.issuer,
    })

    const onlyOpaque = createVerifier({ issuer: providers.opaque.issuer, audience: API_AUDIENCE })
    await expect(onlyOpaque.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'iss',
    })
  })
})

describe.each(entries)(
  'trailing-slash issuer against oidc-provider ($entry entry)',
  ({ createVerifier }) => {
    it('a verifier configured with a trailing slash verifies the provider’s tokens', async () => {
      expect(providers.op.issuer.endsWith('/')).toBe(false)
      const verifier = createVerifier({ issuer: `${providers.op.issuer}/`, audience: API_AUDIENCE })
      const token = await clientCredentials('orders:read')
      await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({
        issuer: `${providers.op.issuer}/`,
        scopes: ['orders:read'],
      })
    })
  },
)
