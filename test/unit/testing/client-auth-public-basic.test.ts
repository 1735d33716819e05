// A public client naming itself in Basic without a secret, as okta-auth-js
// does: accepted at /v1/introspect and /v1/revoke for a client without a
// secret only, and never at /v1/token. The org and helpers are in
// client-auth-harness.ts.
import { describe, expect, it } from 'vitest'
import { client, harness, IDS, useClientAuthHarness } from './client-auth-harness.js'
import { postForm, USER } from './helpers.js'

useClientAuthHarness()

describe('a public client naming itself in Basic without a secret: Basic base64(client_id)', () => {
  /** What okta-auth-js sends for a client without a secret. */
  const idAlone = (id: string) => ({ authorization: `Basic ${btoa(id)}` })

  async function publicTokens() {
    const c = await client(IDS.none, { method: 'none' })
    return c.password({ ...USER, scope: 'openid offline_access' })
  }

  it('is accepted at /v1/introspect and /v1/revoke, as okta-auth-js sends it', async () => {
    const tokens = await publicTokens()
    const introspect = (token: string) =>
      postForm(
        `${harness.org.issuer()}/v1/introspect`,
        { token, token_type_hint: 'access_token' },
        idAlone(IDS.none),
      )
    const before = await introspect(tokens.accessToken!)
    expect(before.status).toBe(200)
    expect(await before.json()).toMatchObject({ active: true, client_id: IDS.none })
    const revoked = await postForm(
      `${harness.org.issuer()}/v1/revoke`,
      { token: tokens.refreshToken!, token_type_hint: 'refresh_token' },
      idAlone(IDS.none),
    )
    expect(revoked.status).toBe(200)
    // The refresh token went, and its access token with it.
    expect(await (await introspect(tokens.refreshToken!)).json()).toEqual({ active: false })
    expect(await (await introspect(tokens.accessToken!)).json()).toEqual({ active: false })
  })

  it('with the same client_id in the body too; another one is invalid_client', async () => {
    const tokens = await publicTokens()
    const url = `${harness.org.issuer()}/v1/introspect`
    const same = await postForm(
      url,
      { token: tokens.accessToken!, client_id: IDS.none },
      idAlone(IDS.none),
    )
    expect(await same.json()).toMatchObject({ active: true })
    const other = await postForm(
      url,
      { token: tokens.accessToken!, client_id: IDS.basic },
      idAlone(IDS.none),
    )
    expect(other.status).toBe(401)
    expect((await other.json()).error).toBe('invalid_client')
  })

  it.each([
    ['client_secret_basic', IDS.basic],
    ['client_secret_post', IDS.post],
    ['private_key_jwt', IDS.pkj],
  ])('a %s client naming itself without its secret is invalid_client', async (_m, id) => {
    for (const endpoint of ['introspect', 'revoke']) {
      const response = await postForm(
        `${harness.org.issuer()}/v1/${endpoint}`,
        { token: 'anything' },
        idAlone(id),
      )
      expect(response.status, endpoint).toBe(401)
      expect((await response.json()).error, endpoint).toBe('invalid_client')
    }
  })

  it('an unknown client id is invalid_client; an empty one is a malformed header', async () => {
    const url = `${harness.org.issuer()}/v1/introspect`
    const unknown = await postForm(url, { token: 'anything' }, idAlone('0oaunknown0000000000'))
    expect(unknown.status).toBe(401)
    const empty = await postForm(url, { token: 'anything' }, idAlone(':'))
    expect(empty.status).toBe(400)
    expect((await empty.json()).error).toBe('invalid_request')
  })

  it('stays a malformed header at /v1/token (Basic there is client_id:client_secret)', async () => {
    // Decided from the spec (Basic at /v1/token is `client_id:client_secret`, a
    // public client sends client_id in the body) and okta-auth-js, which never
    // sends this header to /v1/token: what passes here passes on Okta.
    const response = await postForm(
      `${harness.org.issuer()}/v1/token`,
      { grant_type: 'password', scope: 'openid', ...USER },
      idAlone(IDS.none),
    )
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The authorization header is malformed.',
    })
  })
})
