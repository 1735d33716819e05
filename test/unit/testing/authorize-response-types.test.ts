// /v1/authorize response types and modes: code (query and form_post),
// implicit and hybrid (with at_hash and c_hash), okta_post_message, and
// pushed authorization requests (PAR). The org and helpers are in
// authorize-harness.ts.
import { describe, expect, it } from 'vitest'
import { AuthorizationResponseError, OAuthResponseError, tokenHash } from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { harness, OPTIONS, roundTrip, tampered, useAuthorizeHarness } from './authorize-harness.js'
import {
  clientOf,
  formInputs,
  jwt,
  location,
  postMessage,
  redirectParams,
  SPA,
  SPA_REDIRECT,
  spa,
  USER_ID,
  useOrg,
  visit,
  WEB,
  WEB_REDIRECT,
  web,
} from './helpers.js'

useAuthorizeHarness()

describe('/v1/authorize response types and modes', () => {
  it('code (query): a 302 to the redirect URI with code and state, exchanged by handleCallback', async () => {
    const client = await spa(harness.org)
    const before = harness.org.requestCount('authorize')
    const { response, transaction, result } = await roundTrip(client, {
      scope: 'openid profile offline_access',
    })
    const target = new URL(location(response))
    expect(target.origin + target.pathname).toBe(SPA_REDIRECT)
    expect(target.hash).toBe('')
    expect(target.searchParams.get('state')).toBe(transaction.state)
    expect(target.searchParams.get('code')).toMatch(/^[\w-]{43}$/)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    const tokens = await result()
    expect(tokens.accessToken).toBeTypeOf('string')
    expect(tokens.refreshToken).toBeTypeOf('string')
    expect(tokens.idTokenClaims).toMatchObject({ sub: USER_ID, nonce: transaction.nonce })
    expect(harness.org.requestCount('authorize') - before).toBe(1)
    // The headless login started a session for the first user.
    expect(harness.org.sessionUserId).toBe(USER_ID)
  })

  it('code with form_post: an auto-submitting form whose inputs are the response', async () => {
    const client = await web(harness.org)
    const { url, transaction } = await client.authorizationUrl({
      scope: 'openid email',
      responseMode: 'form_post',
    })
    const response = await visit(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await response.text()
    expect(html).toContain(`<form method="post" action="${WEB_REDIRECT}">`)
    const form = formInputs(html)
    expect([...form.keys()].sort()).toEqual(['code', 'state'])
    expect(form.get('state')).toBe(transaction.state)
    const tokens = await client.handleCallback(form, transaction)
    expect(tokens.idTokenClaims?.email).toBe('john.doe@example.com')
  })

  it('form_post body as a string and as a Request are accepted too', async () => {
    const client = await spa(harness.org)
    const a = await client.authorizationUrl({ scope: 'openid', responseMode: 'form_post' })
    const bodyA = formInputs(await (await visit(a.url)).text()).toString()
    await expect(client.handleCallback(bodyA, a.transaction)).resolves.toMatchObject({
      idTokenClaims: { sub: USER_ID },
    })
    const b = await client.authorizationUrl({ scope: 'openid', responseMode: 'form_post' })
    const bodyB = formInputs(await (await visit(b.url)).text()).toString()
    const request = new Request(SPA_REDIRECT, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: bodyB,
    })
    await expect(client.handleCallback(request, b.transaction)).resolves.toMatchObject({
      idTokenClaims: { sub: USER_ID },
    })
  })

  it('implicit id_token: in the fragment, with the nonce and no at_hash', async () => {
    const client = await spa(harness.org)
    const tokenRequests = harness.org.requestCount('token')
    const { response, transaction, result } = await roundTrip(client, {
      scope: 'openid profile',
      responseType: 'id_token',
    })
    const target = new URL(location(response))
    expect(target.search).toBe('')
    const params = new URLSearchParams(target.hash.slice(1))
    expect([...params.keys()].sort()).toEqual(['id_token', 'state'])
    const { claims } = jwt(params.get('id_token')!)
    expect(claims).toMatchObject({ nonce: transaction.nonce, sub: USER_ID, aud: SPA })
    expect(claims.at_hash).toBeUndefined()
    expect(claims.c_hash).toBeUndefined()
    const out = await result()
    expect(out.accessToken).toBeUndefined()
    expect(out.idTokenClaims).toMatchObject({ name: 'John Doe' })
    expect(harness.org.requestCount('token')).toBe(tokenRequests)
  })

  it('implicit id_token token: access token, token_type, expires_in, scope, and at_hash', async () => {
    const client = await spa(harness.org)
    const { response, result } = await roundTrip(client, {
      scope: 'openid email',
      responseType: 'id_token token',
    })
    const params = redirectParams(response)
    expect(params.get('token_type')).toBe('Bearer')
    expect(params.get('expires_in')).toBe('3600')
    expect(params.get('scope')).toBe('openid email')
    const accessToken = params.get('access_token')!
    const { claims } = jwt(params.get('id_token')!)
    expect(claims.at_hash).toBe(await tokenHash(accessToken, 'RS256'))
    const tokens = await result()
    expect(tokens).toMatchObject({ accessToken, tokenType: 'Bearer', expiresIn: 3600 })
    expect(jwt(accessToken).claims).toMatchObject({
      cid: SPA,
      uid: USER_ID,
      scp: ['openid', 'email'],
    })
  })

  it('token alone (as in the OAuth for Okta guide): an access token in the fragment', async () => {
    const client = await spa(harness.org)
    const { response } = await tampered(
      client,
      { scope: 'openid', responseType: 'id_token' },
      (p) => {
        p.set('response_type', 'token')
        p.set('scope', 'orders:read')
      },
    )
    const params = redirectParams(response)
    expect(params.get('access_token')).toBeTruthy()
    expect(params.get('id_token')).toBeNull()
    expect(jwt(params.get('access_token')!).claims.scp).toEqual(['orders:read'])
  })

  it('hybrid code id_token: c_hash binds the code, the code is exchanged', async () => {
    const client = await spa(harness.org)
    const tokenRequests = harness.org.requestCount('token')
    const { response, result } = await roundTrip(client, {
      scope: 'openid offline_access',
      responseType: 'code id_token',
    })
    const params = redirectParams(response)
    const code = params.get('code')!
    const { claims } = jwt(params.get('id_token')!)
    expect(claims.c_hash).toBe(await tokenHash(code, 'RS256'))
    expect(claims.at_hash).toBeUndefined()
    const tokens = await result()
    expect(tokens.accessToken).toBeTypeOf('string')
    expect(tokens.refreshToken).toBeTypeOf('string')
    expect(tokens.idTokenClaims?.sub).toBe(USER_ID)
    expect(harness.org.requestCount('token') - tokenRequests).toBe(1)
  })

  it('hybrid code id_token token: both c_hash and at_hash', async () => {
    const client = await spa(harness.org)
    const { response, result } = await roundTrip(client, {
      scope: 'openid',
      responseType: 'code id_token token',
    })
    const params = redirectParams(response)
    const { claims } = jwt(params.get('id_token')!)
    expect(claims.c_hash).toBe(await tokenHash(params.get('code')!, 'RS256'))
    expect(claims.at_hash).toBe(await tokenHash(params.get('access_token')!, 'RS256'))
    await expect(result()).resolves.toMatchObject({ idTokenClaims: { sub: USER_ID } })
  })

  it('okta_post_message: a page posting the response object to the redirect URI origin', async () => {
    const client = await spa(harness.org)
    const { url, transaction } = await client.authorizationUrl({
      scope: 'openid profile',
      responseType: 'id_token token',
      responseMode: 'okta_post_message',
    })
    const response = await visit(url)
    expect(response.status).toBe(200)
    const { data, origin } = postMessage(await response.text())
    expect(origin).toBe('http://localhost:8080')
    expect(Object.keys(data).sort()).toEqual(
      ['access_token', 'expires_in', 'id_token', 'scope', 'state', 'token_type'].sort(),
    )
    const tokens = await client.handleCallback(
      { data, origin: new URL(client.metadata.issuer).origin },
      transaction,
    )
    expect(tokens.idTokenClaims).toMatchObject({ sub: USER_ID, name: 'John Doe' })
  })

  it('okta_post_message carries errors too, with the state', async () => {
    const client = await spa(harness.org)
    const { url, transaction } = await client.authorizationUrl({
      scope: 'openid',
      responseType: 'id_token',
      responseMode: 'okta_post_message',
      prompt: 'none',
    })
    const { data } = postMessage(await (await visit(url)).text())
    expect(data).toMatchObject({ error: 'login_required', state: transaction.state })
    const err = await rejection(
      client.handleCallback({ data, origin: new URL(client.metadata.issuer).origin }, transaction),
    )
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'login_required' })
  })

  it('okta_post_message carries a code + PKCE response (popup sign-in, allowed by default)', async () => {
    const client = await spa(harness.org)
    const { url, transaction } = await client.authorizationUrl({
      scope: 'openid',
      responseMode: 'okta_post_message',
    })
    const { origin, data } = postMessage(await (await visit(url)).text())
    expect(origin).toBe('http://localhost:8080')
    expect(Object.keys(data).sort()).toEqual(['code', 'state'])
    const tokens = await client.handleCallback(
      { data, origin: new URL(client.metadata.issuer).origin },
      transaction,
    )
    expect(tokens.idTokenClaims).toMatchObject({ sub: USER_ID, nonce: transaction.nonce })
  })

  it('PAR: the browser carries only client_id and request_uri; the pushed request is used once', async () => {
    const client = await web(harness.org)
    const pushes = harness.org.requestCount('par')
    const { url, transaction } = await client.authorizationUrl(
      { scope: 'openid profile' },
      { par: true },
    )
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:okta:/)
    expect(harness.org.requestCount('par') - pushes).toBe(1)
    const response = await visit(url)
    const tokens = await client.handleCallback(location(response), transaction)
    expect(tokens.idTokenClaims).toMatchObject({ sub: USER_ID, nonce: transaction.nonce })
    const again = await visit(url)
    expect(again.status).toBe(400)
    expect(again.headers.get('location')).toBeNull()
  })

  it('PAR: an expired request_uri, or one used with another client_id, is a 400 page', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await web(fresh)
    const a = await client.authorizationUrl({ scope: 'openid' }, { par: true })
    fresh.advanceClock(61)
    expect((await visit(a.url)).status).toBe(400)
    const b = await client.authorizationUrl({ scope: 'openid' }, { par: true })
    b.url.searchParams.set('client_id', SPA)
    expect((await visit(b.url)).status).toBe(400)
  })

  it('PAR authenticates the client and refuses a request_uri inside the push', async () => {
    const bad = await clientOf(harness.org, {
      clientId: WEB,
      redirectUri: WEB_REDIRECT,
      auth: { method: 'client_secret_basic', clientSecret: 'wrong' },
    })
    const err = await rejection(bad.authorizationUrl({ scope: 'openid' }, { par: true }))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'invalid_client', status: 401 })
    const response = await fetch(`${harness.org.issuer()}/v1/par`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: SPA, request_uri: 'urn:okta:x' }),
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })
})
