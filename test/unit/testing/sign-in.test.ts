import { beforeEach, describe, expect, it } from 'vitest'
import { createServerAuth } from '../../../src/server/index.js'
import {
  DEFAULT_CLIENTS,
  DEFAULT_USERS,
  InvalidOptionError,
  type OktaOrg,
  type OrgSignInResult,
} from '../../../src/testing/index.js'
import { cookieHeader } from '../server/helpers.js'
import {
  ALICE,
  clientOf,
  jwt,
  SPA,
  SPA_REDIRECT,
  sharedOrg,
  USER_ID,
  WEB,
  WEB_REDIRECT,
  WEB_SECRET,
} from './helpers.js'

const org = sharedOrg(() => ({ users: [DEFAULT_USERS[0]!, ALICE] }))

beforeEach(() => {
  org().signOut()
})

function expectMode<M extends OrgSignInResult['responseMode']>(
  result: OrgSignInResult,
  mode: M,
): OrgSignInResult & { responseMode: M } {
  expect(result.responseMode).toBe(mode)
  return result as OrgSignInResult & { responseMode: M }
}

describe('org.signIn: headless sign-in that returns what the callback receives', () => {
  it('query: follows the app’s own authorization URL; the callback URL completes it', async () => {
    const client = await clientOf(org(), { clientId: SPA, redirectUri: SPA_REDIRECT })
    const { url, transaction } = await client.authorizationUrl({ scope: 'openid profile' })
    const result = expectMode(await org().signIn({ url }), 'query')
    expect(result.url.origin + result.url.pathname).toBe(SPA_REDIRECT)
    expect(result.state).toBe(transaction.state)
    const tokens = await client.handleCallback(result.url, transaction)
    expect(tokens.idTokenClaims?.sub).toBe(USER_ID)
  })

  it('login: the named user signs in (and holds the session afterwards)', async () => {
    const client = await clientOf(org(), { clientId: SPA, redirectUri: SPA_REDIRECT })
    const { url, transaction } = await client.authorizationUrl()
    const result = expectMode(await org().signIn({ url, login: ALICE.login }), 'query')
    const tokens = await client.handleCallback(result.url, transaction)
    expect(tokens.idTokenClaims?.preferred_username).toBe(ALICE.login)
    expect(org().sessionUserId).toBe(tokens.idTokenClaims?.sub)
  })

  it('fragment: implicit id_token token, validated by the client', async () => {
    const client = await clientOf(org(), { clientId: SPA, redirectUri: SPA_REDIRECT })
    const { url, transaction } = await client.authorizationUrl({ responseType: 'id_token token' })
    const result = expectMode(await org().signIn({ url }), 'fragment')
    expect(result.url.hash).toContain('access_token=')
    const tokens = await client.handleCallback(result.url, transaction)
    expect(tokens.accessToken).toBeTypeOf('string')
  })

  it('okta_post_message: the message and its origin, as the app’s listener gets them', async () => {
    const client = await clientOf(org(), { clientId: SPA, redirectUri: SPA_REDIRECT })
    const { url, transaction } = await client.authorizationUrl({
      responseMode: 'okta_post_message',
    })
    const result = expectMode(await org().signIn({ url }), 'okta_post_message')
    expect(result.message.origin).toBe('https://example.okta.com')
    expect(result.message.data.state).toBe(transaction.state)
    const tokens = await client.handleCallback(result.message, transaction)
    expect(tokens.idTokenClaims?.sub).toBe(USER_ID)
  })

  it('form_post: a Request with the form and the app’s cookie, for ./server’s callback', async () => {
    const client = await clientOf(org(), {
      clientId: WEB,
      redirectUri: WEB_REDIRECT,
      auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
    })
    const auth = createServerAuth(client, {
      secret: 'a-cookie-secret-of-at-least-32-characters!',
      redirectUri: WEB_REDIRECT,
    })
    const login = await auth.login(new Request('http://localhost:3000/login'), {
      returnTo: '/orders',
    })
    const result = expectMode(
      await org().signIn({ url: login.url, cookie: cookieHeader(login.cookies) }),
      'form_post',
    )
    expect(result.request.method).toBe('POST')
    expect(result.request.url).toBe(WEB_REDIRECT)
    expect(result.request.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    const outcome = await auth.callback(result.request)
    expect(outcome.returnTo).toBe('/orders')
    expect(outcome.tokens.idTokenClaims?.sub).toBe(USER_ID)
  })

  it('parameters instead of a URL: state, nonce and a PKCE verifier are made and returned', async () => {
    const result = expectMode(
      await org().signIn({ clientId: SPA, scope: 'openid', responseMode: 'query' }),
      'query',
    )
    expect(result.params.get('state')).toBe(result.state)
    expect(result.codeVerifier).toMatch(/^[\w-]{43}$/)
    // The code is redeemable with that verifier, as a hand-written test would do.
    const token = await fetch('https://example.okta.com/oauth2/default/v1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: SPA,
        redirect_uri: DEFAULT_CLIENTS[0]!.redirectUris![0]!,
        code: result.params.get('code')!,
        code_verifier: result.codeVerifier!,
      }),
    })
    expect(token.status).toBe(200)
    const body = (await token.json()) as { id_token: string }
    expect(jwt(body.id_token).claims.nonce).toBe(result.nonce)
  })

  it('an error the server sends back to the app is a result, with state', async () => {
    const result = await org().signIn({ clientId: SPA, scope: 'openid nope:unknown' })
    expect(result.params.get('error')).toBe('invalid_scope')
    expect(result.params.get('state')).toBe(result.state)
  })

  it('a request refused before any redirect throws InvalidOptionError saying why', async () => {
    await expect(
      org().signIn({ clientId: SPA, redirectUri: 'https://evil.example/cb' }),
    ).rejects.toSatisfy(
      (e) =>
        e instanceof InvalidOptionError &&
        /before any redirect: invalid_request/.test((e as Error).message),
    )
    await expect(org().signIn({ clientId: '0oanobody0000000000' })).rejects.toBeInstanceOf(
      InvalidOptionError,
    )
    await expect(
      org().signIn({ url: 'https://elsewhere.example/oauth2/default/v1/authorize?x=1' }),
    ).rejects.toBeInstanceOf(InvalidOptionError)
  })

  it('counts as an authorize request and honours misbehaviour', async () => {
    const o: OktaOrg = org()
    const before = o.requestCount('authorize')
    o.misbehave('authorize', { status: 503 })
    await expect(o.signIn({ clientId: SPA })).rejects.toSatisfy(
      (e) => e instanceof InvalidOptionError && /HTTP 503/.test((e as Error).message),
    )
    expect(o.requestCount('authorize')).toBe(before + 1)
  })
})
