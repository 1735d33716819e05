/**
 * The resource-server verifier's introspection fallback for opaque tokens,
 * against a real oidc-provider on 127.0.0.1 in the default opaque mode
 * (oidc-provider refuses to introspect or revoke its JWT access tokens; see
 * harness/README.md): active, revoked and forgotten tokens, refresh tokens,
 * made-up tokens. The provider and helpers are in verifier-harness.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { VerifierOptions } from '../../src/verifier/types.js'
import { API_AUDIENCE } from './harness/provider.js'
import { authOf, bearer, clientOf, entries, providers, useProviders } from './verifier-harness.js'

useProviders({ opaque: true })

describe.each(entries)('introspection fallback ($entry entry)', ({ createVerifier }) => {
  const introspectPath = '/oauth2/default/v1/introspect'
  let options: VerifierOptions
  beforeAll(() => {
    // The resource server introspects as its own confidential client (`post`); the token
    // belongs to `basic`. The harness lets any confidential client introspect any token.
    options = {
      issuer: providers.opaque.issuer,
      audience: API_AUDIENCE,
      introspection: {
        clientId: providers.opaque.clients.post.clientId,
        auth: authOf(providers.opaque.clients.post),
        // oidc-provider's opaque access tokens have no `aud` (no resource indicator).
        requireAudience: false,
      },
    }
  })

  it('an opaque token is active by introspection; after revoke + forget it is inactive', async () => {
    const verifier = createVerifier(options)
    const owner = clientOf(providers.opaqueMetadata, providers.opaque.clients.basic)
    const { accessToken } = await owner.clientCredentials({ scope: 'orders:read' })
    expect(accessToken.split('.')).toHaveLength(1)
    providers.opaque.resetRequestCounts()

    const result = await verifier.verifyAccessToken(accessToken, { scopes: ['orders:read'] })
    expect(result).toMatchObject({
      format: 'introspection',
      issuer: providers.opaque.issuer,
      scopes: ['orders:read'],
      clientId: providers.opaque.clients.basic.clientId,
      claims: { active: true, scope: 'orders:read' },
    })
    expect(result.header).toBeUndefined()
    expect(providers.opaque.requestCount(introspectPath)).toBe(1)

    // The answer is cached: a 403 for a missing scope costs no request.
    const forbidden = await verifier.authenticate(bearer(accessToken), { scopes: ['orders:write'] })
    expect(forbidden.ok ? 200 : forbidden.response.status).toBe(403)
    expect(providers.opaque.requestCount(introspectPath)).toBe(1)

    await owner.revoke(accessToken, { tokenTypeHint: 'access_token' })
    // Still cached as active (up to introspection.cacheTtl, 30 s by default)…
    await expect(verifier.verifyAccessToken(accessToken)).resolves.toBeDefined()
    // …until the verifier is told to forget it.
    verifier.forget(accessToken)
    await expect(verifier.verifyAccessToken(accessToken)).rejects.toMatchObject({
      name: 'TokenValidationError',
      code: 'ERR_TOKEN_INACTIVE',
      reason: 'inactive',
    })
    expect(providers.opaque.requestCount(introspectPath)).toBe(2)
    // The inactive answer is cached too.
    const revoked = await verifier.authenticate(bearer(accessToken))
    if (revoked.ok) throw new Error('expected a failure')
    expect(revoked.response.status).toBe(401)
    expect(revoked.response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    expect(providers.opaque.requestCount(introspectPath)).toBe(2)
  })

  it('a refresh token presented as a bearer token is refused, though the server calls it active', async () => {
    const verifier = createVerifier(options)
    const owner = clientOf(providers.opaqueMetadata, providers.opaque.clients.basic)
    const { refreshToken } = await owner.password({
      username: providers.opaque.user.username,
      password: providers.opaque.user.password,
      scope: 'openid offline_access orders:read',
    })
    expect(refreshToken).toBeTypeOf('string')
    await expect(verifier.verifyAccessToken(refreshToken!)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
      claim: 'token_type',
      reason: 'not_access_token',
    })
  })

  it('a made-up opaque token is inactive; without the fallback it is malformed', async () => {
    const verifier = createVerifier(options)
    await expect(verifier.verifyAccessToken('not-a-real-token-123')).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    })
    const jwtOnly = createVerifier({ issuer: providers.opaque.issuer, audience: API_AUDIENCE })
    await expect(jwtOnly.verifyAccessToken('not-a-real-token-123')).rejects.toMatchObject({
      code: 'ERR_JWT_MALFORMED',
    })
  })
})
