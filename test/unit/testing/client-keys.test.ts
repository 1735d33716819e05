import { describe, expect, it } from 'vitest'
import { createClient, discover } from '../../../src/index.js'
import {
  createOktaOrg,
  DEFAULT_ADMIN_TOOL_CLIENT_ID,
  DEFAULT_CLIENTS,
  DEFAULT_SERVICE_CLIENT_ID,
  InvalidOptionError,
  OKTA_SCOPES,
} from '../../../src/testing/index.js'
import { jwt, rsaClientKey, useOrg } from './helpers.js'

describe('the default service client and its generated key', () => {
  it('DEFAULT_CLIENTS holds an SPA, a web app, a service and an admin tool', () => {
    expect(DEFAULT_CLIENTS.map((c) => [c.clientId, c.tokenEndpointAuthMethod])).toEqual([
      ['0oaspa0000000000000', 'none'],
      ['0oaweb0000000000000', 'client_secret_basic'],
      [DEFAULT_SERVICE_CLIENT_ID, 'private_key_jwt'],
      [DEFAULT_ADMIN_TOOL_CLIENT_ID, 'none'],
    ])
    // Every okta.* scope the two admin clients hold is one the org server knows.
    for (const c of DEFAULT_CLIENTS.slice(2)) {
      expect(c.oktaScopes).toContain('okta.appGrants.manage')
      for (const s of c.oktaScopes ?? []) expect(OKTA_SCOPES).toContain(s)
    }
  })

  it('gets okta.* tokens with private_key_jwt signed by org.clientKey (JWK and PEM)', async () => {
    const org = await useOrg()
    const key = await org.clientKey(DEFAULT_SERVICE_CLIENT_ID)
    // The same key on every call, and its public half registered on the client.
    expect(await org.clientKey(DEFAULT_SERVICE_CLIENT_ID)).toBe(key)
    expect(org.clients.get(DEFAULT_SERVICE_CLIENT_ID)?.jwks?.keys[0]?.kid).toBe(key.kid)
    expect(key.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    for (const privateKey of [key.privateJwk, key.privatePem]) {
      const client = createClient(await discover(org.orgIssuer), {
        clientId: DEFAULT_SERVICE_CLIENT_ID,
        auth: { method: 'private_key_jwt', key: privateKey, kid: key.kid },
      })
      const tokens = await client.clientCredentials({
        scope: 'okta.authorizationServers.manage okta.appGrants.read',
      })
      expect(jwt(tokens.accessToken).claims.scp).toEqual([
        'okta.authorizationServers.manage',
        'okta.appGrants.read',
      ])
    }
  })

  it('another org generates another key', async () => {
    const [a, b] = await Promise.all([createOktaOrg(), createOktaOrg()])
    const [ka, kb] = await Promise.all([
      a.clientKey(DEFAULT_SERVICE_CLIENT_ID),
      b.clientKey(DEFAULT_SERVICE_CLIENT_ID),
    ])
    expect(ka.kid).not.toBe(kb.kid)
  })

  it('refuses clients the org holds no key for', async () => {
    const own = await rsaClientKey()
    const org = await createOktaOrg({
      clients: [
        ...DEFAULT_CLIENTS,
        {
          clientId: '0oaownkeys000000000',
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: own.jwks,
        },
      ],
    })
    for (const id of ['0oaweb0000000000000', '0oaownkeys000000000', '0oanobody0000000000']) {
      await expect(org.clientKey(id)).rejects.toSatisfy(
        (e) => e instanceof InvalidOptionError && (e as Error).message.includes(id),
      )
    }
  })
})
