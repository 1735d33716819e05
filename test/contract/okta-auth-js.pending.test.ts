/**
 * PENDING (README.md): @okta/okta-auth-js 8.0.1 contracts that wait for the
 * emulator fixes of issue 15's "Divergences found" (branch h15-fix):
 *
 * - introspection and revocation with `Authorization: Basic` carrying the
 *   client id alone (a public client), as okta-auth-js sends them;
 * - a client with a secret authenticating either way: okta-auth-js posts
 *   the secret to /v1/token and uses Basic for /v1/introspect and
 *   /v1/revoke, whichever method the app is registered with;
 * - CORS preflights that allow the headers okta-auth-js sends
 *   (`X-Okta-User-Agent-Extended`, `Content-Type: application/json`,
 *   `Authorization`) for a trusted origin;
 * - discovery that advertises only what is served (no `registration_endpoint`).
 */
import { OAuthError, TokenKind } from '@okta/okta-auth-js'
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

describe('okta-auth-js: discovery advertises only what is served', () => {
  it('has no registration_endpoint', async () => {
    const metadata = await authJs(issuer, SPA).wellKnown()
    expect(metadata).not.toHaveProperty('registration_endpoint')
  })
})

describe.each([
  { kind: 'a public client (Basic with the client id alone)', app: SPA as AuthJsApp },
  { kind: 'a client_secret_post client (Basic with its secret)', app: WEB_POST as AuthJsApp },
  { kind: 'a client_secret_basic client (posting its secret to /v1/token)', app: WEB as AuthJsApp },
])('okta-auth-js with $kind: introspect and revoke', ({ app }) => {
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
    const refreshed = await token.introspect(TokenKind.REFRESH, tokens.refreshToken)
    expect(refreshed).toMatchObject({ active: true, token_type: 'refresh_token' })
  })

  it('revokes the access token, then the refresh token', async () => {
    const { auth, token, signIn } = authJs(issuer, app)
    const { tokens } = await signIn()
    await auth.revokeAccessToken(tokens.accessToken)
    expect(await token.introspect(TokenKind.ACCESS, tokens.accessToken)).toEqual({ active: false })
    const err = await token.getUserInfo(tokens.accessToken, tokens.idToken).catch((e) => e)
    expect(err).toMatchObject({ errorCode: 'invalid_token' })
    await auth.revokeRefreshToken(tokens.refreshToken)
    expect(await token.introspect(TokenKind.REFRESH, tokens.refreshToken)).toEqual({
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

describe('okta-auth-js from a browser app: CORS preflights from a trusted origin', () => {
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
