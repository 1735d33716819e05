import { beforeEach, describe, expect, it } from 'vitest'
import { clearDiscoveryCache, createClient, discover } from '../../../src/index.js'
import { createOktaOrg, type OktaOrg } from '../../../src/testing/index.js'
import { createVerifier } from '../../../src/verifier/node.js'
import { server } from '../msw.js'

const SPA = '0oaspa0000000000000'
const WEB = '0oaweb0000000000000'
const WEB_SECRET = 'web-app-secret-that-is-long-enough-for-hs256'
const USER = { username: 'john.doe@example.com', password: 'correct horse battery staple' }

let org: OktaOrg
beforeEach(async () => {
  clearDiscoveryCache()
  org = await createOktaOrg()
  server.use(...org.handlers)
})

async function spaClient() {
  const metadata = await discover(org.issuer())
  return createClient(metadata, { clientId: SPA, redirectUri: 'http://localhost:8080/callback' })
}

async function webClient() {
  const metadata = await discover(org.issuer())
  return createClient(metadata, {
    clientId: WEB,
    redirectUri: 'http://localhost:3000/callback',
    auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
  })
}

describe('createOktaOrg through the SDK', () => {
  it('serves discovery for the default custom server and the org server', async () => {
    const custom = await discover(org.issuer())
    expect(custom.issuer).toBe('https://example.okta.com/oauth2/default')
    expect(custom.token_endpoint).toBe('https://example.okta.com/oauth2/default/v1/token')
    const orgServer = await discover(org.orgIssuer)
    expect(orgServer.token_endpoint).toBe('https://example.okta.com/oauth2/v1/token')
    expect(orgServer.scopes_supported).toContain('okta.authorizationServers.read')
  })

  it('runs code + PKCE with a headless login, then refresh with rotation, userinfo, introspect, revoke', async () => {
    const client = await spaClient()
    const { url, transaction } = await client.authorizationUrl({
      scope: 'openid profile email offline_access',
    })
    const response = await fetch(url, { redirect: 'manual' })
    expect(response.status).toBe(302)
    const tokens = await client.handleCallback(response.headers.get('location')!, transaction)
    expect(tokens.accessToken).toBeTypeOf('string')
    expect(tokens.idTokenClaims?.sub).toBe('00uid4BxXw6I6TV4m0g3')
    expect(tokens.idTokenClaims?.email).toBe('john.doe@example.com')
    const fresh = await client.refresh(tokens.refreshToken!)
    expect(fresh.refreshToken).not.toBe(tokens.refreshToken)
    await expect(client.refresh(tokens.refreshToken!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    const info = await client.userinfo(fresh, { expectedSubject: '00uid4BxXw6I6TV4m0g3' })
    expect(info.name).toBe('John Doe')

    const web = await webClient()
    expect((await web.introspect(fresh.accessToken!)).active).toBe(true)
  })

  it('runs the password and client-credentials grants, introspection and revocation', async () => {
    const web = await webClient()
    const tokens = await web.password({ ...USER, scope: 'openid orders:read' })
    expect(tokens.idTokenClaims?.sub).toBe('00uid4BxXw6I6TV4m0g3')
    const cc = await web.clientCredentials({ scope: 'orders:read' })
    expect(cc.scope).toBe('orders:read')
    expect(await web.introspect(cc.accessToken!)).toMatchObject({
      active: true,
      client_id: WEB,
      scope: 'orders:read',
    })
    await web.revoke(cc.accessToken!)
    expect((await web.introspect(cc.accessToken!)).active).toBe(false)
    await expect(web.clientCredentials({ scope: 'openid' })).rejects.toMatchObject({
      error: 'invalid_scope',
    })
  })

  it('issues Okta-format access tokens that the verifier accepts across a key rotation', async () => {
    const web = await webClient()
    const verifier = createVerifier({ issuer: org.issuer(), audience: 'api://default' })
    const before = await web.clientCredentials({ scope: 'orders:read' })
    const result = await verifier.verifyAccessToken(before.accessToken!, {
      scopes: ['orders:read'],
    })
    expect(result).toMatchObject({ format: 'okta', clientId: WEB, scopes: ['orders:read'] })
    expect(result.claims).toMatchObject({ ver: 1, cid: WEB, sub: WEB })
    const keysBefore = org.requestCount('keys')
    // The NEXT key is published ahead of a rotation: no refetch is needed.
    const kid = await org.rotateKeys()
    const after = await web.clientCredentials({ scope: 'orders:read' })
    await expect(verifier.verifyAccessToken(after.accessToken!)).resolves.toMatchObject({
      header: { kid },
    })
    expect(org.requestCount('keys')).toBe(keysBefore)
    // A second rotation activates a key the cache has never seen: one refetch.
    const kid2 = await org.rotateKeys()
    const later = await web.clientCredentials({ scope: 'orders:read' })
    await expect(verifier.verifyAccessToken(later.accessToken!)).resolves.toMatchObject({
      header: { kid: kid2 },
    })
    expect(org.requestCount('keys')).toBe(keysBefore + 1)
    // The previous key is EXPIRED but still published: its tokens still verify.
    await expect(verifier.verifyAccessToken(after.accessToken!)).resolves.toBeDefined()
  })

  it('prompt=none fails with login_required without a session and succeeds with one', async () => {
    const client = await spaClient()
    org.signOut()
    const first = await client.authorizationUrl({ scope: 'openid', prompt: 'none' })
    const denied = await fetch(first.url, { redirect: 'manual' })
    await expect(
      client.handleCallback(denied.headers.get('location')!, first.transaction),
    ).rejects.toMatchObject({ error: 'login_required' })
    org.signIn()
    const second = await client.authorizationUrl({ scope: 'openid', prompt: 'none' })
    const ok = await fetch(second.url, { redirect: 'manual' })
    await expect(
      client.handleCallback(ok.headers.get('location')!, second.transaction),
    ).resolves.toMatchObject({ idTokenClaims: { sub: '00uid4BxXw6I6TV4m0g3' } })
  })

  it('answers form_post with an auto-submitting form and okta_post_message with a page posting to the redirect origin', async () => {
    const client = await spaClient()
    const formPost = await client.authorizationUrl({ scope: 'openid', responseMode: 'form_post' })
    const page = await (await fetch(formPost.url)).text()
    expect(page).toContain('<form method="post" action="http://localhost:8080/callback">')
    expect(page).toContain('document.forms[0].submit()')
    const pm = await client.authorizationUrl({
      scope: 'openid',
      responseType: 'id_token',
      responseMode: 'okta_post_message',
    })
    const html = await (await fetch(pm.url)).text()
    expect(html).toContain('postMessage(d,"http://localhost:8080")')
  })

  it('scripts misbehaviour: a failing token endpoint, then recovery', async () => {
    const web = await webClient()
    org.misbehave('token', { status: 503 })
    await expect(web.clientCredentials({ scope: 'orders:read' })).rejects.toMatchObject({
      status: 503,
    })
    await expect(web.clientCredentials({ scope: 'orders:read' })).resolves.toBeDefined()
  })
})
