import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  discover,
  generateDPoPKeyPair,
  type ServerMetadata,
} from '../../src/index.js'
import { type StartedProvider, startProvider } from './harness/provider.js'

let op: StartedProvider
let metadata: ServerMetadata

// The provider requires DPoP nonces, as Okta does: the first DPoP token
// request of a client is answered with use_dpop_nonce.
beforeAll(async () => {
  op = await startProvider({ requireDpopNonce: true })
  metadata = await discover(op.issuer, { cacheTtl: 0 })
})
afterAll(() => op?.close())

describe('DPoP against oidc-provider', () => {
  it('code + PKCE yields a DPoP-bound token that userinfo accepts; refresh stays bound', async () => {
    const c = op.clients.spa
    const client = createClient(metadata, {
      clientId: c.clientId,
      redirectUri: c.redirectUri,
      dpop: { keyPair: await generateDPoPKeyPair() },
    })
    const { url, transaction } = await client.authorizationUrl({
      scope: 'openid profile offline_access',
    })
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const tokens = await client.handleCallback(result.location, transaction)
    expect(tokens.tokenType).toBe('DPoP')
    if (tokens.accessToken === undefined) throw new Error('expected an access token')
    await expect(client.userinfo(tokens)).resolves.toMatchObject({ sub: op.user.sub })

    // The same token without the proof key is refused.
    const thief = createClient(metadata, { clientId: c.clientId })
    await expect(thief.userinfo(tokens)).rejects.toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      status: 401,
    })

    const refreshed = await client.refresh(tokens.refreshToken!)
    expect(refreshed.tokenType).toBe('DPoP')
  })

  it('client_credentials with client_secret_post: bound token, introspection shows the key thumbprint', async () => {
    const c = op.clients.post
    const client = createClient(metadata, {
      clientId: c.clientId,
      auth: { method: 'client_secret_post', clientSecret: c.clientSecret! },
      dpop: { keyPair: await generateDPoPKeyPair('ES256') },
    })
    const tokens = await client.clientCredentials({ scope: 'orders:read' })
    expect(tokens.tokenType).toBe('DPoP')
    const introspection = await client.introspect(tokens.accessToken)
    expect(introspection.active).toBe(true)
    expect(introspection.cnf).toMatchObject({ jkt: expect.any(String) })
  })
})
