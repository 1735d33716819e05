/**
 * okta-sdk-nodejs 8.1.0 against the local org through the operations added
 * for today's API: the clients of a server and their refresh tokens (list,
 * get, revoke one, revoke all; a revoked token's use is `invalid_grant`),
 * associated (trusted) servers, resource-server credential keys, and an
 * app's tokens. Each runs with SSWS and with OAuth for Okta (PEM and JWK keys).
 */
import { exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_USERS } from '../../src/testing/index.js'
import { type ContractOrg, SERVICE_APP, SPA, startContractOrg } from './harness/org.js'
import {
  AUTH_MODES,
  all,
  newServer,
  type OktaSdk,
  oktaSdk,
  openPolicy,
  refusal,
  SERVER_SCOPES,
} from './harness/sdk.js'
import { codeWithPkce, refresh } from './harness/tokens.js'

const USER_ID = DEFAULT_USERS[0]!.id!

let org: ContractOrg

beforeAll(async () => {
  org = await startContractOrg()
})
afterAll(() => org?.close())

/** A refresh token of the SPA on a server, and its value. */
async function spaRefreshToken(serverId: string): Promise<string> {
  const t = await codeWithPkce(org.issuer(serverId), SPA, 'openid offline_access')
  return t.refresh_token!
}

describe.each(AUTH_MODES)('okta-sdk-nodejs with %s: the new operations', (mode) => {
  const slug = mode.toLowerCase().replace(/[^a-z]+/g, '-')
  let sdk: OktaSdk
  let serverId: string

  beforeAll(async () => {
    sdk = oktaSdk(org, mode, SERVER_SCOPES)
    serverId = await newServer(sdk, `New operations ${slug}`)
    // A policy and rule so the server issues tokens to the SPA.
    await openPolicy(sdk.authorizationServers, serverId, {
      name: 'Everyone',
      description: 'Every client',
      clients: ['ALL_CLIENTS'],
      grantTypes: ['authorization_code'],
    })
  })

  it("clients of a server, and a client's refresh tokens: list, get, revoke one, revoke all", async () => {
    const api = sdk.authorizationServers
    const values = [await spaRefreshToken(serverId), await spaRefreshToken(serverId)]
    const clients = await all(
      await api.listOAuth2ClientsForAuthorizationServer({ authServerId: serverId }),
    )
    expect(clients.map((c) => c.client_id)).toEqual([SPA.clientId])

    const ids = { authServerId: serverId, clientId: SPA.clientId }
    const tokens = await all(await api.listRefreshTokensForAuthorizationServerAndClient(ids))
    expect(tokens).toHaveLength(2)
    for (const t of tokens) {
      expect(t).toMatchObject({
        status: 'ACTIVE',
        issuer: org.issuer(serverId),
        userId: USER_ID,
        scopes: expect.arrayContaining(['offline_access']),
      })
      expect(t.id).toMatch(/^oar/)
    }
    const one = await api.getRefreshTokenForAuthorizationServerAndClient({
      ...ids,
      tokenId: tokens[0]!.id!,
      expand: 'scope',
    })
    expect(one.id).toBe(tokens[0]!.id)
    expect(one._embedded?.scopes?.map((s) => s.name)).toEqual(
      expect.arrayContaining(['offline_access']),
    )

    await api.revokeRefreshTokenForAuthorizationServerAndClient({ ...ids, tokenId: one.id! })
    expect(await all(await api.listRefreshTokensForAuthorizationServerAndClient(ids))).toHaveLength(
      1,
    )
    await api.revokeRefreshTokensForAuthorizationServerAndClient(ids)
    expect(await all(await api.listRefreshTokensForAuthorizationServerAndClient(ids))).toEqual([])
    // Revoked refresh tokens no longer refresh.
    for (const value of values) {
      await expect(refresh(org.issuer(serverId), SPA.clientId, value)).rejects.toThrow(
        /invalid_grant/,
      )
    }
  })

  it('associated servers: create, list (trusted, q), delete', async () => {
    const api = sdk.authorizationServers
    const trusted = await newServer(sdk, `Trusted ${slug}`)
    const created = await all(
      await api.createAssociatedServers({
        authServerId: serverId,
        associatedServerMediated: { trusted: [trusted] },
      }),
    )
    expect(created.map((s) => s.id)).toEqual([trusted])
    const listed = await all(
      await api.listAssociatedServersByTrustedType({ authServerId: serverId, trusted: true }),
    )
    expect(listed.map((s) => s.id)).toEqual([trusted])
    const searched = await all(
      await api.listAssociatedServersByTrustedType({
        authServerId: serverId,
        trusted: true,
        q: `Trusted ${slug}`,
      }),
    )
    expect(searched.map((s) => s.id)).toEqual([trusted])
    const untrusted = await all(
      await api.listAssociatedServersByTrustedType({ authServerId: serverId, trusted: false }),
    )
    expect(untrusted.map((s) => s.id)).not.toContain(trusted)
    await api.deleteAssociatedServer({ authServerId: serverId, associatedServerId: trusted })
    expect(
      await all(
        await api.listAssociatedServersByTrustedType({ authServerId: serverId, trusted: true }),
      ),
    ).toEqual([])
  })

  it('resource-server keys: add, list, get, activate, deactivate, delete', async () => {
    const api = sdk.resourceServerKeys
    const jwk = async (kid: string) => {
      const { publicKey } = await generateKeyPair('RSA-OAEP-256', { extractable: true })
      const { e, n } = await exportJWK(publicKey)
      return { kid, kty: 'RSA', use: 'enc', e: e!, n: n! }
    }
    // A key cannot be added ACTIVE (the spec's ErrorJsonWebKeyCannotAddActiveKey).
    const activeAdd = await refusal(
      api.addOAuth2ResourceServerJsonWebKey({
        authServerId: serverId,
        oAuth2ResourceServerJsonWebKeyRequestBody: {
          ...(await jwk(`enc-0-${slug}`)),
          status: 'ACTIVE',
        },
      }),
    )
    expect(activeAdd).toMatchObject({ status: 400, errorCode: 'E0000001' })
    const add = async (kid: string) =>
      api.addOAuth2ResourceServerJsonWebKey({
        authServerId: serverId,
        oAuth2ResourceServerJsonWebKeyRequestBody: { ...(await jwk(kid)), status: 'INACTIVE' },
      })
    const first = await add(`enc-1-${slug}`)
    const second = await add(`enc-2-${slug}`)
    expect(first).toMatchObject({ kid: `enc-1-${slug}`, status: 'INACTIVE', use: 'enc' })
    expect(second.status).toBe('INACTIVE')
    const listed = await all(
      await api.listOAuth2ResourceServerJsonWebKeys({ authServerId: serverId }),
    )
    expect(listed.map((k) => k.id).sort()).toEqual([first.id, second.id].sort())
    expect(
      await api.getOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: first.id! }),
    ).toMatchObject({ kid: `enc-1-${slug}` })
    expect(
      (
        await api.activateOAuth2ResourceServerJsonWebKey({
          authServerId: serverId,
          keyId: first.id!,
        })
      ).status,
    ).toBe('ACTIVE')

    // One active key at a time: activating the second deactivates the first.
    const activated = await api.activateOAuth2ResourceServerJsonWebKey({
      authServerId: serverId,
      keyId: second.id!,
    })
    expect(activated.status).toBe('ACTIVE')
    expect(
      (await api.getOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: first.id! }))
        .status,
    ).toBe('INACTIVE')
    // Only an inactive key can be deleted.
    const active = await refusal(
      api.deleteOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: second.id! }),
    )
    expect(active.status).toBe(400)
    const deactivated = await api.deactivateOAuth2ResourceServerJsonWebKey({
      authServerId: serverId,
      keyId: second.id!,
    })
    expect(deactivated.status).toBe('INACTIVE')
    await api.deleteOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: first.id! })
    await api.deleteOAuth2ResourceServerJsonWebKey({ authServerId: serverId, keyId: second.id! })
    expect(
      await all(await api.listOAuth2ResourceServerJsonWebKeys({ authServerId: serverId })),
    ).toEqual([])
  })
})

describe.each(AUTH_MODES)("okta-sdk-nodejs with %s: an app's tokens", (mode) => {
  it('lists, gets, revokes one and revokes all refresh tokens of an app', async () => {
    const { applications: api } = oktaSdk(org, mode, ['okta.apps.read', 'okta.apps.manage'])
    const appId = SPA.clientId
    // Start from none, whatever the other tests left.
    await api.revokeOAuth2TokensForApplication({ appId })
    const values = [await spaRefreshToken('default'), await spaRefreshToken('default')]
    const tokens = await all(await api.listOAuth2TokensForApplication({ appId }))
    expect(tokens).toHaveLength(2)
    expect(tokens[0]).toMatchObject({ clientId: appId, status: 'ACTIVE', issuer: org.issuer() })
    const one = await api.getOAuth2TokenForApplication({ appId, tokenId: tokens[0]!.id! })
    expect(one.id).toBe(tokens[0]!.id)
    await api.revokeOAuth2TokenForApplication({ appId, tokenId: one.id! })
    expect(await all(await api.listOAuth2TokensForApplication({ appId }))).toHaveLength(1)
    await api.revokeOAuth2TokensForApplication({ appId })
    expect(await all(await api.listOAuth2TokensForApplication({ appId }))).toEqual([])
    for (const value of values) {
      await expect(refresh(org.issuer(), SPA.clientId, value)).rejects.toThrow(/invalid_grant/)
    }
    // The service app has no tokens of its own here.
    expect(await all(await api.listOAuth2TokensForApplication({ appId: SERVICE_APP }))).toEqual([])
  })
})
