import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, createClient, discover } from '../../src/index.js'
import { createServerAuth, type ServerAuth, toHttpResponse } from '../../src/server/index.js'
import { type StartedProvider, startProvider } from './harness/provider.js'

// The whole form_post round trip over HTTP against a real oidc-provider on
// 127.0.0.1: login URL → the provider's login and consent (driven headlessly
// by the harness) → the auto-submitted form's fields → callback → tokens.

const SECRET = 'integration-cookie-secret-at-least-32-chars'

let op: StartedProvider
let client: Client
let auth: ServerAuth

beforeAll(async () => {
  op = await startProvider()
  const c = op.clients.basic
  client = createClient(await discover(op.issuer, { cacheTtl: 0 }), {
    clientId: c.clientId,
    auth: { method: 'client_secret_basic', clientSecret: c.clientSecret! },
  })
  // The https redirect URI the harness registers for its confidential clients:
  // the cookies are then Secure with the __Host- prefix, as in production.
  auth = createServerAuth(client, {
    secret: SECRET,
    redirectUri: 'https://app.example.com/callback',
    postLogoutRedirectUri: `${op.origin}/logged-out`,
  })
})
afterAll(() => op?.close())

const cookieHeader = (setCookies: readonly string[]) =>
  setCookies
    .filter((c) => !c.includes('Max-Age=0;'))
    .map((c) => c.split(';')[0])
    .join('; ')

async function signIn(returnTo = '/') {
  const login = await auth.login({ returnTo })
  const result = await op.authorize(login.url)
  if (!('formPost' in result)) throw new Error('expected the provider to answer with a form_post')
  return { login, ...result.formPost, cookie: cookieHeader(login.cookies) }
}

function post(action: string, params: Record<string, string>, cookie: string): Request {
  return new Request(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(params),
  })
}

describe('okta-oauth-kit/server against oidc-provider', () => {
  it('form_post round trip: tokens with the right ID token claims, then refresh, userinfo and logout', async () => {
    const { login, action, params, cookie } = await signIn('/account')
    expect(login.cookies[0]).toMatch(/^__Host-okta-txn\.[\w-]{16}=.+; Secure; SameSite=None$/)
    expect(action).toBe('https://app.example.com/callback')
    expect(params).toMatchObject({
      code: expect.any(String),
      state: expect.any(String),
      iss: op.issuer,
    })

    const outcome = await auth.callback(post(action, params, cookie))
    expect(outcome.returnTo).toBe('/account')
    const claims = outcome.tokens.idTokenClaims!
    expect(claims).toMatchObject({
      iss: op.issuer,
      sub: op.user.sub,
      aud: op.clients.basic.clientId,
      nonce: login.url.searchParams.get('nonce'),
      email: op.user.email,
      name: op.user.name,
      amr: ['pwd'],
    })
    expect(outcome.tokens.refreshToken).toEqual(expect.any(String))
    expect(outcome.cookies[1]).toMatch(/^__Host-okta-session=.+; Secure; SameSite=Lax$/)

    const session = cookieHeader(outcome.cookies)
    expect((await auth.session.read(session))?.idTokenClaims?.sub).toBe(op.user.sub)
    const refreshed = await auth.session.refresh(session, { force: true })
    expect(refreshed?.refreshed).toBe(true)
    expect(refreshed?.session.refreshToken).not.toBe(outcome.tokens.refreshToken)
    expect(refreshed?.session.idTokenClaims?.sub).toBe(op.user.sub)
    const current = cookieHeader(refreshed!.cookies)
    const me = await client.userinfo((await auth.session.read(current))!.accessToken, {
      expectedSubject: op.user.sub,
    })
    expect(me.email).toBe(op.user.email)

    const out = await auth.logout(current, { state: 'bye' })
    expect(`${out.url.origin}${out.url.pathname}`).toBe(`${op.issuer}/v1/logout`)
    expect(out.url.searchParams.get('id_token_hint')).toBe(refreshed?.session.idToken)
    expect(out.cookies[0]).toMatch(/^__Host-okta-session=; Max-Age=0;/)
    // Revoked: the refresh token no longer works.
    await expect(client.refresh(refreshed!.session.refreshToken!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    const end = await op.logout(out.url)
    expect(end.location).toBe(`${op.origin}/logged-out?state=bye`)
  })

  it('a Node IncomingMessage callback works too', async () => {
    const { action, params, cookie } = await signIn()
    const req = new IncomingMessage(new Socket())
    req.method = 'POST'
    req.url = new URL(action).pathname
    req.headers = { 'content-type': 'application/x-www-form-urlencoded', cookie }
    req.push(new URLSearchParams(params).toString())
    req.push(null)
    expect((await auth.callback(req)).tokens.idTokenClaims?.sub).toBe(op.user.sub)
  })

  it('refuses a replay, a GET, and a tampered code with typed errors', async () => {
    const { action, params, cookie } = await signIn()
    await auth.callback(post(action, params, cookie))
    const replay = await auth.callback(post(action, params, cookie)).catch((e: unknown) => e)
    expect(replay).toMatchObject({ code: 'ERR_TRANSACTION_REUSED' })

    const again = await signIn()
    const get = new Request(`${again.action}?${new URLSearchParams(again.params)}`, {
      headers: { cookie: again.cookie },
    })
    const refused = await auth.callback(get).catch((e: unknown) => e)
    expect(toHttpResponse(refused).status).toBe(405)

    const bad = await auth
      .callback(post(again.action, { ...again.params, code: 'not-the-code' }, again.cookie))
      .catch((e: unknown) => e)
    expect(bad).toMatchObject({ error: 'invalid_grant' })
    expect(toHttpResponse(bad).status).toBe(401)
  })

  it('query mode on the harness callback over GET', async () => {
    const c = op.clients.basic
    const query = createServerAuth(client, {
      secret: SECRET,
      redirectUri: c.redirectUri,
      responseMode: 'query',
    })
    const login = await query.login()
    const result = await op.authorize(login.url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const outcome = await query.callback(
      new Request(result.location, { headers: { cookie: cookieHeader(login.cookies) } }),
    )
    expect(outcome.tokens.idTokenClaims?.sub).toBe(op.user.sub)
  })
})
