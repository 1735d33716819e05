/**
 * Self-test of the oidc-provider harness: headless browser flows through authorize() and
 * logout() - code + PKCE, a confidential client, implicit, the provider session in a shared
 * CookieJar, RP-initiated logout. Shared setup in provider.selftest-harness.ts.
 */
import { describe, expect, it } from 'vitest'
import { type AuthorizeResult, CookieJar } from './provider.js'
import {
  basicAuth,
  fixture,
  passwordGrant,
  pkce,
  postForm,
  useDefaultProvider,
  verifyIdToken,
} from './provider.selftest-harness.js'

describe('oidc-provider harness (opaque access tokens, default)', () => {
  useDefaultProvider()

  it('authorization code + PKCE for the spa client (query and form_post)', async () => {
    const { op, meta } = fixture
    const spa = op.clients.spa
    const { verifier, challenge } = pkce()
    const url = new URL(meta.authorization_endpoint)
    url.search = new URLSearchParams({
      client_id: spa.clientId,
      response_type: 'code',
      scope: 'openid profile email offline_access',
      redirect_uri: spa.redirectUri,
      state: 'st-query',
      nonce: 'n-query',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString()

    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const cb = new URL(result.location)
    expect(`${cb.origin}${cb.pathname}`).toBe(spa.redirectUri)
    expect(cb.searchParams.get('state')).toBe('st-query')
    expect(cb.searchParams.get('iss')).toBe(op.issuer) // RFC 9207
    const code = cb.searchParams.get('code') as string
    expect(code).toBeTruthy()

    const tokens = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: spa.redirectUri,
      code_verifier: verifier,
      client_id: spa.clientId,
    })
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200)
    expect(tokens.body).toMatchObject({
      token_type: 'Bearer',
      scope: 'openid profile email offline_access',
    })
    expect(tokens.body.refresh_token).toEqual(expect.any(String))
    const claims = await verifyIdToken(tokens.body.id_token as string, spa.clientId)
    expect(claims).toMatchObject({
      nonce: 'n-query',
      sub: op.user.sub,
      name: op.user.name,
      amr: ['pwd'],
    })
    expect(claims.auth_time).toEqual(expect.any(Number))

    const userinfo = await fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    })
    expect(userinfo.status).toBe(200)
    expect(await userinfo.json()).toMatchObject({ sub: op.user.sub, email: op.user.email })

    // the code is single use
    const replay = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: spa.redirectUri,
      code_verifier: verifier,
      client_id: spa.clientId,
    })
    expect(replay.body.error).toBe('invalid_grant')

    // public clients must use PKCE
    const noPkce = new URL(url)
    noPkce.searchParams.delete('code_challenge')
    noPkce.searchParams.delete('code_challenge_method')
    const rejected = await op.authorize(noPkce)
    if (!('location' in rejected)) throw new Error('expected a redirect')
    expect(new URL(rejected.location).searchParams.get('error')).toBe('invalid_request')

    // response_mode=form_post
    const fp = pkce()
    url.searchParams.set('response_mode', 'form_post')
    url.searchParams.set('state', 'st-form')
    url.searchParams.set('code_challenge', fp.challenge)
    const posted = await op.authorize(url)
    if (!('formPost' in posted)) throw new Error('expected form_post')
    expect(posted.formPost.action).toBe(spa.redirectUri)
    expect(posted.formPost.params).toMatchObject({ state: 'st-form', iss: op.issuer })
    const formTokens = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code: posted.formPost.params.code as string,
      redirect_uri: spa.redirectUri,
      code_verifier: fp.verifier,
      client_id: spa.clientId,
    })
    expect(formTokens.status).toBe(200)
  })

  it('confidential client code flow to a non-local redirect_uri, and unregistered redirect_uri errors', async () => {
    const { op, meta } = fixture
    const client = op.clients.basic
    const url = new URL(meta.authorization_endpoint)
    url.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      scope: 'openid orders:read',
      redirect_uri: 'https://app.example.com/callback',
      state: 's1',
    }).toString()
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const cb = new URL(result.location)
    expect(cb.origin + cb.pathname).toBe('https://app.example.com/callback')
    const tokens = await postForm(
      meta.token_endpoint,
      {
        grant_type: 'authorization_code',
        code: cb.searchParams.get('code') as string,
        redirect_uri: 'https://app.example.com/callback',
      },
      { authorization: basicAuth(client) },
    )
    expect(tokens.status).toBe(200)
    expect(tokens.body.scope).toBe('openid orders:read')

    url.searchParams.set('redirect_uri', 'https://evil.example.com/cb')
    await expect(op.authorize(url)).rejects.toMatchObject({
      name: 'ProviderPageError',
      error: 'invalid_redirect_uri',
    })
  })

  it('implicit id_token token with fragment', async () => {
    const { op, meta } = fixture
    const spa = op.clients.spa
    const url = new URL(meta.authorization_endpoint)
    url.search = new URLSearchParams({
      client_id: spa.clientId,
      response_type: 'id_token token',
      scope: 'openid profile',
      redirect_uri: 'http://localhost:5173/callback',
      state: 'st-implicit',
      nonce: 'n-implicit',
    }).toString()
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const cb = new URL(result.location)
    expect(cb.origin + cb.pathname).toBe('http://localhost:5173/callback')
    expect(cb.search).toBe('')
    const fragment = new URLSearchParams(cb.hash.slice(1))
    expect(fragment.get('state')).toBe('st-implicit')
    expect(fragment.get('token_type')).toBe('Bearer')
    // with an id_token in the response oidc-provider omits `iss` (RFC 9207 allows that)
    expect(fragment.get('iss')).toBeNull()
    const claims = await verifyIdToken(fragment.get('id_token') as string, spa.clientId)
    expect(claims).toMatchObject({ nonce: 'n-implicit', at_hash: expect.any(String) })
    const userinfo = await fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${fragment.get('access_token')}` },
    })
    expect(userinfo.status).toBe(200)
  })

  it('a shared CookieJar keeps the provider session (prompt=none, logout)', async () => {
    const { op, meta } = fixture
    const spa = op.clients.spa
    const jar = new CookieJar()
    const url = (extra: Record<string, string>) =>
      `${meta.authorization_endpoint}?${new URLSearchParams({
        client_id: spa.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: spa.redirectUri,
        state: 'jar',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
        ...extra,
      })}`
    const codeOf = (r: AuthorizeResult) =>
      'location' in r ? new URL(r.location).searchParams : new URLSearchParams(r.formPost.params)
    expect(codeOf(await op.authorize(url({}), { jar })).get('code')).toBeTruthy()
    expect(codeOf(await op.authorize(url({ prompt: 'none' }), { jar })).get('code')).toBeTruthy()
    // without the jar there is no session
    expect(codeOf(await op.authorize(url({ prompt: 'none' }))).get('error')).toBe('login_required')
    const logout = await op.logout(
      `${meta.end_session_endpoint}?${new URLSearchParams({
        client_id: spa.clientId,
        post_logout_redirect_uri: 'https://app.example.com/',
      })}`,
      { jar },
    )
    expect(logout).toEqual({ location: 'https://app.example.com/' })
    expect(codeOf(await op.authorize(url({ prompt: 'none' }), { jar })).get('error')).toBe(
      'login_required',
    )
  })

  it('logout(): RP-initiated logout redirects to post_logout_redirect_uri with state', async () => {
    const { op, meta } = fixture
    const { id_token } = await passwordGrant('openid')
    const url = new URL(meta.end_session_endpoint)
    url.search = new URLSearchParams({
      id_token_hint: id_token as string,
      post_logout_redirect_uri: 'https://app.example.com/',
      state: 'bye',
    }).toString()
    expect(await op.logout(url)).toEqual({ location: 'https://app.example.com/?state=bye' })
  })
})
