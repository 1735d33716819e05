/**
 * Okta's sign-in SDK, `@okta/okta-auth-js` 8.0.1, in Node against the local
 * org over HTTP on 127.0.0.1: discovery, code + PKCE
 * (`token.prepareTokenParams` and `token.exchangeCodeForTokens`, the flow
 * its Node build supports), `token.verify`, `token.getUserInfo`, refresh
 * (`token.renewTokensWithRefresh`), introspection and revocation, for the
 * default SPA (a public client: okta-auth-js sends `Authorization: Basic
 * base64(client_id)` to /v1/introspect and /v1/revoke), the default web app
 * (`client_secret_basic`, while okta-auth-js posts its secret to /v1/token)
 * and a web app registered as `client_secret_post` (okta-auth-js sends it
 * Basic to /v1/introspect and /v1/revoke); the CORS headers of the answers
 * to a browser app's requests, and the preflights its requests need.
 */
import { type IDToken, OAuthError, TokenKind } from '@okta/okta-auth-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_USERS } from '../../src/testing/index.js'
import {
  type AuthJsApp,
  authJs,
  clearAuthJsCache,
  type Exchange,
  recordAuthJsRequests,
} from './harness/auth-js.js'
import { type ContractOrg, SPA, startContractOrg, USER, WEB, WEB_POST } from './harness/org.js'

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
    // Only what the org serves is advertised (test/unit/testing/discovery.test.ts fetches each).
    expect(metadata).not.toHaveProperty('registration_endpoint')
  })
})

/** The apps okta-auth-js signs in with: public, client_secret_basic, client_secret_post. */
const APPS: { kind: string; app: AuthJsApp }[] = [
  { kind: 'a public client (the default SPA)', app: SPA },
  { kind: 'a client_secret_basic client (the default web app)', app: WEB },
  { kind: 'a client_secret_post client', app: WEB_POST },
]

describe.each(APPS)('okta-auth-js with $kind', ({ app }) => {
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

describe.each(APPS)('okta-auth-js with $kind: introspect and revoke', ({ app }) => {
  it('signs in, introspects the access, ID and refresh tokens', async () => {
    const { token, signIn } = authJs(issuer, app)
    const { tokens } = await signIn()
    await expect(token.verify(tokens.idToken!)).resolves.toBeDefined()
    await expect(token.getUserInfo(tokens.accessToken, tokens.idToken)).resolves.toMatchObject({
      sub: USER_ID,
    })
    const access = await token.introspect(TokenKind.ACCESS, tokens.accessToken)
    expect(access).toMatchObject({
      active: true,
      token_type: 'Bearer',
      client_id: app.clientId,
      uid: USER_ID,
      username: USER.login,
      iss: issuer,
    })
    const id = await token.introspect(TokenKind.ID, tokens.idToken)
    expect(id).toMatchObject({ active: true, sub: USER_ID, aud: app.clientId })
    // A refresh token introspects as `token_type: Bearer` too (the spec's
    // IntrospectionRefreshToken example).
    const refreshed = await token.introspect(TokenKind.REFRESH, tokens.refreshToken)
    expect(refreshed).toMatchObject({ active: true, token_type: 'Bearer', client_id: app.clientId })
  })

  it('revokes the access token, then the refresh token', async () => {
    const { auth, token, signIn } = authJs(issuer, app)
    const { tokens } = await signIn()
    await auth.revokeAccessToken(tokens.accessToken)
    // okta-auth-js adds the answer's `headers` to what it returns.
    expect(await token.introspect(TokenKind.ACCESS, tokens.accessToken)).toMatchObject({
      active: false,
    })
    const err = await token.getUserInfo(tokens.accessToken, tokens.idToken).catch((e) => e)
    expect(err).toMatchObject({ errorCode: 'invalid_token' })
    await auth.revokeRefreshToken(tokens.refreshToken)
    expect(await token.introspect(TokenKind.REFRESH, tokens.refreshToken)).toMatchObject({
      active: false,
    })
  })
})

describe('okta-auth-js with a public client: a revoked refresh token no longer refreshes', () => {
  it('renewTokensWithRefresh fails with invalid_grant after token.revoke', async () => {
    const { token, signIn } = authJs(issuer, SPA)
    const { tokens } = await signIn()
    await token.revoke(tokens.refreshToken!)
    const err = await token.renewTokensWithRefresh({}, tokens.refreshToken!).catch((e) => e)
    expect(err).toBeInstanceOf(OAuthError)
    expect(err).toMatchObject({ errorCode: 'invalid_grant' })
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

/** What a browser puts in a CORS preflight for a request: its method and its non-safelisted header names. */
function preflightOf(e: Exchange): { method: string; headers: string[] } {
  const simpleType = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']
  const headers = [...e.headers.keys()]
    .filter((name) => {
      if (name === 'origin') return false
      if (name === 'accept' || name === 'accept-language' || name === 'content-language')
        return false
      const type = e.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? ''
      return !(name === 'content-type' && simpleType.includes(type))
    })
    .sort()
  return { method: e.method, headers }
}

describe('okta-auth-js from a browser app: CORS preflights', () => {
  it('allows the methods and headers of every request okta-auth-js sends', async () => {
    const app = authJs(issuer, SPA, { Origin: SPA.origin })
    clearAuthJsCache(app)
    const record = recordAuthJsRequests()
    try {
      const { tokens } = await app.signIn()
      await app.token.verify(tokens.idToken!)
      await app.token.getUserInfo(tokens.accessToken, tokens.idToken)
      await app.token.introspect(TokenKind.ACCESS, tokens.accessToken)
      const renewed = await app.token.renewTokensWithRefresh({}, tokens.refreshToken!)
      await app.token.revoke(renewed.accessToken!)
      await app.token.revoke(renewed.refreshToken!)
    } finally {
      record.restore()
    }
    const endpoints = new Set(record.exchanges.map((e) => e.url.pathname))
    expect([...endpoints].sort()).toEqual(
      [
        '/.well-known/openid-configuration',
        '/v1/introspect',
        '/v1/keys',
        '/v1/revoke',
        '/v1/token',
        '/v1/userinfo',
      ].map((p) => `/oauth2/default${p}`),
    )
    for (const e of record.exchanges) {
      const { method, headers } = preflightOf(e)
      // okta-auth-js's user-agent header alone makes every request a preflighted one.
      expect(headers).toContain('x-okta-user-agent-extended')
      const res = await fetch(e.url, {
        method: 'OPTIONS',
        headers: {
          Origin: SPA.origin,
          'Access-Control-Request-Method': method,
          'Access-Control-Request-Headers': headers.join(','),
        },
      })
      const where = `${method} ${e.url.pathname}`
      expect(res.status, where).toBeGreaterThanOrEqual(200)
      expect(res.status, where).toBeLessThan(300)
      expect(res.headers.get('access-control-allow-origin'), where).toBe(SPA.origin)
      const methods = (res.headers.get('access-control-allow-methods') ?? '')
        .split(',')
        .map((m) => m.trim().toUpperCase())
      expect(methods, where).toContain(method)
      const allowed = (res.headers.get('access-control-allow-headers') ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
      for (const header of headers) expect(allowed, `${where}: ${header}`).toContain(header)
    }
  })

  it('refuses a preflight from an origin it does not trust', async () => {
    const res = await fetch(`${issuer}/v1/token`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-okta-user-agent-extended',
      },
    })
    expect(res.headers.has('access-control-allow-origin')).toBe(false)
  })
})
