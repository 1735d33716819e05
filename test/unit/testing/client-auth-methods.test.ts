// Client authentication that works: each method through the SDK at
// /v1/token, /v1/introspect and /v1/revoke, and a client with a secret
// sending it either way, as Okta allows. The org and helpers are in
// client-auth-harness.ts.
import { describe, expect, it } from 'vitest'
import type { ClientAuth } from '../../../src/index.js'
import {
  client,
  expectOAuthError,
  harness,
  IDS,
  SECRET,
  useClientAuthHarness,
} from './client-auth-harness.js'
import { postForm, USER } from './helpers.js'

useClientAuthHarness()

const METHODS: [string, string, () => ClientAuth][] = [
  [
    'client_secret_basic',
    IDS.basic,
    () => ({ method: 'client_secret_basic', clientSecret: SECRET }),
  ],
  ['client_secret_post', IDS.post, () => ({ method: 'client_secret_post', clientSecret: SECRET })],
  [
    'client_secret_jwt (HS256)',
    IDS.jwt,
    () => ({ method: 'client_secret_jwt', clientSecret: SECRET, algorithm: 'HS256' }),
  ],
  [
    'private_key_jwt (RS256)',
    IDS.pkj,
    () => ({ method: 'private_key_jwt', key: harness.key.privateJwk }),
  ],
]

describe('client authentication: every method through the SDK', () => {
  it.each(METHODS)('%s at /v1/token, /v1/introspect and /v1/revoke', async (_name, id, auth) => {
    const c = await client(id, auth())
    const before = (['token', 'introspect', 'revoke'] as const).map((e) =>
      harness.org.requestCount(e),
    )
    const tokens = await c.clientCredentials({ scope: 'orders:read' })
    expect(tokens.scope).toBe('orders:read')
    const info = await c.introspect(tokens.accessToken!)
    expect(info).toMatchObject({ active: true, client_id: id, sub: id })
    await c.revoke(tokens.accessToken!)
    expect((await c.introspect(tokens.accessToken!)).active).toBe(false)
    const after = (['token', 'introspect', 'revoke'] as const).map((e) =>
      harness.org.requestCount(e),
    )
    expect(after.map((n, i) => n - before[i]!)).toEqual([1, 2, 1])
  })

  it('none: a public client uses the password grant, then introspects and revokes its own token', async () => {
    const c = await client(IDS.none, { method: 'none' })
    const tokens = await c.password({ ...USER, scope: 'openid offline_access' })
    expect(tokens.refreshToken).toBeTypeOf('string')
    expect(await c.introspect(tokens.accessToken!)).toMatchObject({
      active: true,
      client_id: IDS.none,
    })
    await c.revoke(tokens.refreshToken!)
    expect((await c.introspect(tokens.refreshToken!)).active).toBe(false)
    // Revoking the refresh token took its access token with it.
    expect((await c.introspect(tokens.accessToken!)).active).toBe(false)
  })

  it('none: a public client cannot use client_credentials (unauthorized_client)', async () => {
    const c = await client(IDS.none, { method: 'none' })
    const err = await expectOAuthError(
      c.clientCredentials({ scope: 'orders:read' }),
      'unauthorized_client',
      400,
    )
    expect(err.errorDescription).toMatch(/grant type/)
  })
})

describe('a client with a secret may send it either way (as Okta does)', () => {
  it.each<[string, string, ClientAuth]>([
    [
      'a client_secret_basic client posting its secret',
      IDS.basic,
      { method: 'client_secret_post', clientSecret: SECRET },
    ],
    [
      'a client_secret_post client sending Basic',
      IDS.post,
      { method: 'client_secret_basic', clientSecret: SECRET },
    ],
  ])('%s at /v1/token, /v1/introspect and /v1/revoke', async (_name, id, auth) => {
    const c = await client(id, auth)
    const tokens = await c.clientCredentials({ scope: 'orders:read' })
    expect(await c.introspect(tokens.accessToken!)).toMatchObject({ active: true, client_id: id })
    await c.revoke(tokens.accessToken!)
    expect((await c.introspect(tokens.accessToken!)).active).toBe(false)
  })

  it("okta-auth-js's mix: the secret posted to /v1/token, Basic at /v1/introspect and /v1/revoke", async () => {
    const token = await postForm(`${harness.org.issuer()}/v1/token`, {
      grant_type: 'client_credentials',
      scope: 'orders:read',
      client_id: IDS.post,
      client_secret: SECRET,
    })
    expect(token.status).toBe(200)
    const { access_token } = (await token.json()) as { access_token: string }
    const header = { authorization: `Basic ${btoa(`${IDS.post}:${SECRET}`)}` }
    const info = await postForm(
      `${harness.org.issuer()}/v1/introspect`,
      { token: access_token },
      header,
    )
    expect(await info.json()).toMatchObject({ active: true, client_id: IDS.post })
    const revoked = await postForm(
      `${harness.org.issuer()}/v1/revoke`,
      { token: access_token },
      header,
    )
    expect(revoked.status).toBe(200)
  })

  it('a wrong secret is still invalid_client, whichever way it is sent', async () => {
    for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
      const c = await client(IDS.basic, { method, clientSecret: 'wrong-secret' })
      await expectOAuthError(c.introspect('anything'), 'invalid_client', 401)
    }
  })
})
