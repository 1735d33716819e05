/**
 * Okta's sign-in SDK, `@okta/okta-auth-js` 8.0.1, in Node against the local
 * org over HTTP on 127.0.0.1: discovery, code + PKCE
 * (`token.prepareTokenParams` and `token.exchangeCodeForTokens`, the flow
 * its Node build supports), `token.verify`, `token.getUserInfo` and refresh
 * (`token.renewTokensWithRefresh`), for the default SPA (a public client)
 * and for a web app that posts its secret (a confidential client); and the
 * CORS headers of the answers to a browser app's requests.
 *
 * Introspection and revocation (okta-auth-js sends `Authorization: Basic`
 * for them, with the client id alone for a public client), the default web
 * app (`client_secret_basic`, while okta-auth-js posts the secret to
 * /v1/token) and CORS preflights are in `okta-auth-js.pending.test.ts` (see
 * README.md).
 */
import { type IDToken, OAuthError } from '@okta/okta-auth-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_USERS } from '../../src/testing/index.js'
import { authJs, clearAuthJsCache, recordAuthJsRequests } from './harness/auth-js.js'
import { type ContractOrg, SPA, startContractOrg, USER, WEB_POST } from './harness/org.js'

const USER_ID = DEFAULT_USERS[0]!.id!

let org: ContractOrg
let issuer: string

beforeAll(async () => {
  org = await startContractOrg()
  issuer = org.issuer()
})
afterAll(() => org?.close())

describe('okta-auth-js: discovery', () => {
  it('reads the endpoints and PKCE methods it needs', async () => {
    const metadata = await authJs(issuer, SPA).wellKnown()
    expect(metadata).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/v1/authorize`,
      token_endpoint: `${issuer}/v1/token`,
      userinfo_endpoint: `${issuer}/v1/userinfo`,
      jwks_uri: `${issuer}/v1/keys`,
      introspection_endpoint: `${issuer}/v1/introspect`,
      revocation_endpoint: `${issuer}/v1/revoke`,
      end_session_endpoint: `${issuer}/v1/logout`,
    })
    // okta-auth-js reads it to pick the PKCE method (its type omits the member).
    expect(
      (metadata as { code_challenge_methods_supported?: string[] })
        .code_challenge_methods_supported,
    ).toContain('S256')
    expect(metadata.response_types_supported).toContain('code')
  })
})

describe.each([
  { kind: 'a public client (the default SPA)', app: SPA },
  { kind: 'a confidential client (client_secret_post)', app: WEB_POST },
])('okta-auth-js with $kind', ({ app }) => {
  const clientId = app.clientId

  it('signs in with code + PKCE: token.exchangeCodeForTokens', async () => {
    const { token, signIn } = authJs(issuer, app)
    const { tokens, nonce } = await signIn()
    expect(tokens.accessToken).toMatchObject({
      tokenType: 'Bearer',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    })
    expect(token.decode(tokens.accessToken!.accessToken).payload).toMatchObject({
      iss: issuer,
      aud: 'api://default',
      cid: clientId,
      uid: USER_ID,
      sub: USER.login,
    })
    expect(tokens.idToken).toMatchObject({
      issuer,
      clientId,
      claims: { sub: USER_ID, aud: clientId, nonce, email: USER.login },
    })
    expect(tokens.refreshToken?.refreshToken).toEqual(expect.any(String))
  })

  it("token.verify: the ID token's signature (from /v1/keys) and claims", async () => {
    const { auth, token, signIn } = authJs(issuer, app)
    const { tokens, nonce } = await signIn()
    const idToken = tokens.idToken!
    await expect(token.verify(idToken, { nonce })).resolves.toMatchObject({
      claims: { sub: USER_ID },
    })
    // A token whose payload was changed fails its signature.
    const [header, , signature] = idToken.idToken.split('.')
    const forged = Buffer.from(JSON.stringify({ ...idToken.claims, sub: '00uforged' })).toString(
      'base64url',
    )
    const tampered: IDToken = { ...idToken, idToken: `${header}.${forged}.${signature}` }
    await expect(token.verify(tampered)).rejects.toMatchObject({
      name: 'AuthSdkError',
      errorSummary: 'The token signature is not valid',
    })
    expect(auth.options.issuer).toBe(issuer)
  })

  it('token.getUserInfo: the claims of the signed-in user', async () => {
    const { token, signIn } = authJs(issuer, app)
    const { tokens } = await signIn()
    const user = await token.getUserInfo(tokens.accessToken, tokens.idToken)
    expect(user).toMatchObject({
      sub: USER_ID,
      name: 'John Doe',
      email: USER.login,
      preferred_username: USER.login,
    })
  })
})

describe('okta-auth-js refresh', () => {
  it('a public client: token.renewTokensWithRefresh, and the used refresh token is spent', async () => {
    const { token, signIn } = authJs(issuer, SPA)
    const { tokens } = await signIn()
    const renewed = await token.renewTokensWithRefresh({}, tokens.refreshToken!)
    expect(renewed.accessToken?.accessToken).not.toBe(tokens.accessToken?.accessToken)
    expect(token.decode(renewed.accessToken!.accessToken).payload).toMatchObject({
      cid: SPA.clientId,
      uid: USER_ID,
    })
    expect(renewed.idToken?.claims).toMatchObject({ sub: USER_ID, aud: SPA.clientId })
    // Refresh tokens rotate: the new one works, the old one is refused.
    expect(renewed.refreshToken?.refreshToken).not.toBe(tokens.refreshToken?.refreshToken)
    await expect(token.renewTokensWithRefresh({}, renewed.refreshToken!)).resolves.toBeDefined()
    await expect(token.renewTokensWithRefresh({}, tokens.refreshToken!)).rejects.toMatchObject({
      errorCode: 'invalid_grant',
    })
  })

  it('a confidential client: refused, since okta-auth-js sends no client secret to refresh', async () => {
    // okta-auth-js's own limitation: its refresh request (postRefreshToken)
    // carries client_id alone, whatever the app's secret, so Okta refuses a
    // confidential client (it must authenticate) with invalid_client.
    const { token, signIn } = authJs(issuer, WEB_POST)
    const { tokens } = await signIn()
    const err = await token.renewTokensWithRefresh({}, tokens.refreshToken!).catch((e) => e)
    expect(err).toBeInstanceOf(OAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_client' })
  })
})

describe('okta-auth-js from a browser app: CORS on the answers', () => {
  it('every answer to the trusted origin allows that origin', async () => {
    // In a browser, each of okta-auth-js's requests carries the page's Origin.
    const app = authJs(issuer, SPA, { Origin: SPA.origin })
    clearAuthJsCache(app)
    const record = recordAuthJsRequests()
    try {
      const { token, signIn } = app
      const { tokens } = await signIn()
      await token.verify(tokens.idToken!)
      await token.getUserInfo(tokens.accessToken, tokens.idToken)
      await token.renewTokensWithRefresh({}, tokens.refreshToken!)
    } finally {
      record.restore()
    }
    const paths = record.exchanges.map((e) => e.url.pathname)
    expect(paths).toEqual(
      expect.arrayContaining(
        ['/.well-known/openid-configuration', '/v1/token', '/v1/keys', '/v1/userinfo'].map(
          (p) => `/oauth2/default${p}`,
        ),
      ),
    )
    for (const e of record.exchanges) {
      expect(e.status, e.url.pathname).toBeLessThan(400)
      expect(e.responseHeaders.get('access-control-allow-origin'), e.url.pathname).toBe(SPA.origin)
      expect(e.responseHeaders.get('vary'), e.url.pathname).toMatch(/\bOrigin\b/)
    }
  })

  it('an answer to another origin allows none', async () => {
    const app = authJs(issuer, SPA, { Origin: 'https://evil.example' })
    clearAuthJsCache(app)
    const record = recordAuthJsRequests()
    try {
      await app.wellKnown()
    } finally {
      record.restore()
    }
    expect(record.exchanges).toHaveLength(1)
    expect(record.exchanges[0]!.responseHeaders.has('access-control-allow-origin')).toBe(false)
  })
})

describe("okta-auth-js errors: Okta's OAuth error bodies", () => {
  it('an unknown code is invalid_grant', async () => {
    const { token } = authJs(issuer, SPA)
    const params = await token.prepareTokenParams()
    const err = await token
      .exchangeCodeForTokens({
        authorizationCode: 'not-a-code',
        codeVerifier: params.codeVerifier!,
      })
      .catch((e) => e)
    expect(err).toBeInstanceOf(OAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_grant' })
  })

  it('userinfo with a revoked token is refused', async () => {
    const { token, signIn } = authJs(issuer, SPA)
    const { tokens } = await signIn()
    org.running.org.revokeAll()
    const err = await token.getUserInfo(tokens.accessToken, tokens.idToken).catch((e) => e)
    expect(err).toBeInstanceOf(OAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_token' })
  })
})
