import { beforeEach, describe, expect, it } from 'vitest'
import {
  AuthorizationResponseError,
  CallbackError,
  type Client,
  InvalidOptionError,
  OAuthResponseError,
  tokenHash,
} from '../../../src/index.js'
import {
  DEFAULT_CLIENTS,
  DEFAULT_USERS,
  type OktaOrg,
  type OktaOrgOptions,
} from '../../../src/testing/index.js'
import { rejection } from '../../support/rejection.js'
import {
  ALICE,
  clientOf,
  formInputs,
  jwt,
  location,
  orgClock,
  postMessage,
  redirectParams,
  SPA,
  SPA_REDIRECT,
  sharedOrg,
  spa,
  USER_ID,
  useOrg,
  visit,
  WEB,
  WEB_REDIRECT,
  web,
} from './helpers.js'

const CONSENT = '0oaconsent0000000000'
const OPTIONS: OktaOrgOptions = {
  users: [...DEFAULT_USERS, ALICE],
  clients: [
    ...DEFAULT_CLIENTS,
    {
      clientId: CONSENT,
      tokenEndpointAuthMethod: 'none',
      redirectUris: [SPA_REDIRECT],
      consentRequired: true,
    },
  ],
}

const shared = sharedOrg(() => OPTIONS)
let org: OktaOrg
beforeEach(() => {
  org = shared()
  org.signOut()
})

/** Send the browser to an authorization URL and hand the redirect to the client. */
async function roundTrip(client: Client, request: Parameters<Client['authorizationUrl']>[0]) {
  const { url, transaction } = await client.authorizationUrl(request)
  const response = await visit(url)
  return {
    response,
    transaction,
    result: () => client.handleCallback(location(response), transaction),
  }
}

/** An authorization URL with some parameters changed (for requests the SDK refuses to build). */
async function tampered(
  client: Client,
  request: Parameters<Client['authorizationUrl']>[0],
  change: (params: URLSearchParams) => void,
) {
  const { url, transaction } = await client.authorizationUrl(request)
  change(url.searchParams)
  return { url, transaction, response: await visit(url) }
}

describe('/v1/authorize response types and modes', () => {
  it('code (query): a 302 to the redirect URI with code and state, exchanged by handleCallback', async () => {
    const client = await spa(org)
    const before = org.requestCount('authorize')
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
    expect(org.requestCount('authorize') - before).toBe(1)
    // The headless login started a session for the first user.
    expect(org.sessionUserId).toBe(USER_ID)
  })

  it('code with form_post: an auto-submitting form whose inputs are the response', async () => {
    const client = await web(org)
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
    const client = await spa(org)
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
    const client = await spa(org)
    const tokenRequests = org.requestCount('token')
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
    expect(org.requestCount('token')).toBe(tokenRequests)
  })

  it('implicit id_token token: access token, token_type, expires_in, scope, and at_hash', async () => {
    const client = await spa(org)
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
    const client = await spa(org)
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
    const client = await spa(org)
    const tokenRequests = org.requestCount('token')
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
    expect(org.requestCount('token') - tokenRequests).toBe(1)
  })

  it('hybrid code id_token token: both c_hash and at_hash', async () => {
    const client = await spa(org)
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
    const client = await spa(org)
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
    const client = await spa(org)
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
    const client = await spa(org)
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
    const client = await web(org)
    const pushes = org.requestCount('par')
    const { url, transaction } = await client.authorizationUrl(
      { scope: 'openid profile' },
      { par: true },
    )
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:okta:/)
    expect(org.requestCount('par') - pushes).toBe(1)
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
    const bad = await clientOf(org, {
      clientId: WEB,
      redirectUri: WEB_REDIRECT,
      auth: { method: 'client_secret_basic', clientSecret: 'wrong' },
    })
    const err = await rejection(bad.authorizationUrl({ scope: 'openid' }, { par: true }))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ error: 'invalid_client', status: 401 })
    const response = await fetch(`${org.issuer()}/v1/par`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: SPA, request_uri: 'urn:okta:x' }),
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })
})

describe('/v1/authorize sign-in', () => {
  it('login_hint chooses another user when there is no session', async () => {
    const client = await spa(org)
    const { result } = await roundTrip(client, { scope: 'openid email', loginHint: ALICE.login })
    const tokens = await result()
    expect(tokens.idTokenClaims).toMatchObject({ sub: ALICE.id, email: ALICE.login })
    expect(org.sessionUserId).toBe(ALICE.id)
  })

  it('login_hint for an unknown user is access_denied', async () => {
    const client = await spa(org)
    const { result } = await roundTrip(client, { scope: 'openid', loginHint: 'nobody@example.com' })
    await expect(result()).rejects.toMatchObject({ error: 'access_denied' })
  })

  it('a sessionToken signs its user in, once', async () => {
    const client = await spa(org)
    org.signIn()
    const token = org.createSessionToken(ALICE.login, ALICE.password)
    const { result } = await roundTrip(client, { scope: 'openid', sessionToken: token })
    expect((await result()).idTokenClaims?.sub).toBe(ALICE.id)
    expect(org.sessionUserId).toBe(ALICE.id)
    const second = await roundTrip(client, { scope: 'openid', sessionToken: token })
    const err = await rejection(second.result())
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'access_denied' })
  })

  it('createSessionToken refuses wrong credentials', () => {
    expect(() => org.createSessionToken(ALICE.login, 'wrong')).toThrow(InvalidOptionError)
    expect(() => org.createSessionToken('nobody@example.com', 'x')).toThrow(InvalidOptionError)
  })

  it('prompt=none: login_required without a session (state kept), the session user with one', async () => {
    const client = await spa(org)
    const denied = await roundTrip(client, { scope: 'openid', prompt: 'none' })
    const params = redirectParams(denied.response)
    expect(params.get('error')).toBe('login_required')
    expect(params.get('state')).toBe(denied.transaction.state)
    await expect(denied.result()).rejects.toBeInstanceOf(AuthorizationResponseError)
    org.signIn(ALICE.login)
    const ok = await roundTrip(client, { scope: 'openid', prompt: 'none' })
    expect((await ok.result()).idTokenClaims?.sub).toBe(ALICE.id)
  })

  it('an existing session is reused without a prompt; prompt=login signs in again', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await spa(fresh, orgClock(fresh))
    fresh.signIn()
    const signedInAt = fresh.session!.authTime
    fresh.advanceClock(100)
    const reused = await (await roundTrip(client, { scope: 'openid' })).result()
    expect(reused.idTokenClaims?.auth_time).toBe(signedInAt)
    const again = await (
      await roundTrip(client, { scope: 'openid', prompt: 'login', loginHint: ALICE.login })
    ).result()
    expect(again.idTokenClaims?.sub).toBe(ALICE.id)
    expect(again.idTokenClaims?.auth_time).toBeGreaterThanOrEqual(signedInAt + 100)
    expect(fresh.sessionUserId).toBe(ALICE.id)
  })

  it('max_age: a recent session is reused; an old one forces a new login', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await spa(fresh, orgClock(fresh))
    fresh.signIn()
    const signedInAt = fresh.session!.authTime
    const recent = await (await roundTrip(client, { scope: 'openid', maxAge: 60 })).result()
    expect(recent.idTokenClaims?.auth_time).toBe(signedInAt)
    fresh.advanceClock(120)
    const relogin = await (await roundTrip(client, { scope: 'openid', maxAge: 60 })).result()
    expect(relogin.idTokenClaims?.auth_time).toBeGreaterThanOrEqual(signedInAt + 120)
  })

  it('prompt=none with max_age exceeded is login_required', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await spa(fresh, orgClock(fresh))
    fresh.signIn()
    fresh.advanceClock(120)
    const { response, transaction } = await roundTrip(client, {
      scope: 'openid',
      prompt: 'none',
      maxAge: 60,
    })
    const params = redirectParams(response)
    expect(params.get('error')).toBe('login_required')
    expect(params.get('state')).toBe(transaction.state)
    // The session itself is still there.
    expect(fresh.sessionUserId).toBe(USER_ID)
  })

  it('consentRequired: consent_required with prompt=none until the user consented once', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await clientOf(fresh, { clientId: CONSENT, redirectUri: SPA_REDIRECT })
    fresh.signIn()
    const silent = await roundTrip(client, { scope: 'openid', prompt: 'none' })
    const err = await rejection(silent.result())
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'consent_required' })
    // An interactive request records the consent …
    await (await roundTrip(client, { scope: 'openid' })).result()
    // … then prompt=none succeeds.
    await expect(
      (await roundTrip(client, { scope: 'openid', prompt: 'none' })).result(),
    ).resolves.toMatchObject({ idTokenClaims: { sub: USER_ID } })
  })
})

describe('/v1/authorize errors', () => {
  it('an unknown client_id is a 400 HTML page, never a redirect', async () => {
    const client = await clientOf(org, { clientId: '0oanobody', redirectUri: SPA_REDIRECT })
    const { url } = await client.authorizationUrl({ scope: 'openid' })
    const response = await visit(url)
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await response.text()).toContain('invalid_client')
  })

  it('an unregistered redirect_uri is a 400 HTML page, never a redirect', async () => {
    const client = await clientOf(org, { clientId: SPA, redirectUri: 'https://evil.example/cb' })
    const { url } = await client.authorizationUrl({ scope: 'openid' })
    const response = await visit(url)
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.text()).toContain('redirect_uri')
    // Another client's registered URI is not registered for this one.
    const other = await clientOf(org, { clientId: SPA, redirectUri: WEB_REDIRECT })
    expect((await visit((await other.authorizationUrl({ scope: 'openid' })).url)).status).toBe(400)
  })

  it('a missing state is an invalid_request redirect', async () => {
    const client = await spa(org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) => p.delete('state'))
    const params = redirectParams(response)
    expect(params.get('error')).toBe('invalid_request')
    expect(params.get('state')).toBeNull()
    expect(params.get('code')).toBeNull()
  })

  it('an ID token without a nonce is invalid_request, with the state', async () => {
    const client = await spa(org)
    const { response, transaction } = await tampered(
      client,
      { scope: 'openid', responseType: 'id_token' },
      (p) => p.delete('nonce'),
    )
    expect(new URL(location(response)).hash).not.toBe('')
    const params = redirectParams(response)
    expect(params.get('error')).toBe('invalid_request')
    expect(params.get('error_description')).toMatch(/nonce/)
    expect(params.get('state')).toBe(transaction.state)
    const err = await rejection(client.handleCallback(location(response), transaction))
    expect(err).toMatchObject({ error: 'invalid_request' })
  })

  it('an ID token without the openid scope is invalid_scope', async () => {
    const client = await spa(org)
    const { response, transaction } = await tampered(
      client,
      { scope: 'openid profile', responseType: 'id_token' },
      (p) => p.set('scope', 'profile'),
    )
    const params = redirectParams(response)
    expect(params.get('error')).toBe('invalid_scope')
    expect(params.get('state')).toBe(transaction.state)
  })

  it('an unknown scope is invalid_scope (through handleCallback)', async () => {
    const client = await spa(org)
    const { result, response, transaction } = await roundTrip(client, {
      scope: 'openid unknown:scope',
    })
    expect(redirectParams(response).get('state')).toBe(transaction.state)
    const err = await rejection(result())
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'invalid_scope' })
  })

  it('an okta.* scope is invalid_scope at a custom server, and at the org server unless granted', async () => {
    const client = await spa(org)
    const custom = await roundTrip(client, { scope: 'openid okta.users.read' })
    await expect(custom.result()).rejects.toMatchObject({ error: 'invalid_scope' })
    const orgClient = await clientOf(
      org,
      { clientId: SPA, redirectUri: SPA_REDIRECT },
      org.orgIssuer,
    )
    const denied = await roundTrip(orgClient, { scope: 'openid okta.users.read' })
    await expect(denied.result()).rejects.toMatchObject({ error: 'invalid_scope' })
  })

  it('a missing scope is invalid_scope', async () => {
    const client = await spa(org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) => p.delete('scope'))
    expect(redirectParams(response).get('error')).toBe('invalid_scope')
  })

  it('the query response mode with tokens is unsupported_response_mode, sent in the fragment', async () => {
    const client = await spa(org)
    const { response, transaction } = await tampered(
      client,
      { scope: 'openid', responseType: 'id_token token' },
      (p) => p.set('response_mode', 'query'),
    )
    const target = new URL(location(response))
    expect(target.search).toBe('')
    const params = new URLSearchParams(target.hash.slice(1))
    expect(params.get('error')).toBe('unsupported_response_mode')
    expect(params.get('state')).toBe(transaction.state)
    expect(params.get('access_token')).toBeNull()
  })

  it('an unknown response mode is unsupported_response_mode, sent with the default mode', async () => {
    const client = await spa(org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) =>
      p.set('response_mode', 'web_message'),
    )
    const target = new URL(location(response))
    expect(target.searchParams.get('error')).toBe('unsupported_response_mode')
  })

  it('an unknown response type is unsupported_response_type', async () => {
    const client = await spa(org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) =>
      p.set('response_type', 'code device'),
    )
    expect(redirectParams(response).get('error')).toBe('unsupported_response_type')
  })

  it('a public client without PKCE is invalid_request', async () => {
    const client = await spa(org)
    const { response, transaction } = await tampered(client, { scope: 'openid' }, (p) => {
      p.delete('code_challenge')
      p.delete('code_challenge_method')
    })
    const params = redirectParams(response)
    expect(params.get('error')).toBe('invalid_request')
    expect(params.get('error_description')).toMatch(/PKCE/)
    expect(params.get('state')).toBe(transaction.state)
  })

  it('a confidential client may omit PKCE', async () => {
    const client = await web(org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) => {
      p.delete('code_challenge')
      p.delete('code_challenge_method')
    })
    expect(redirectParams(response).get('code')).toBeTruthy()
  })

  it('code_challenge_method plain is invalid_request', async () => {
    const client = await spa(org)
    const { result } = await roundTrip(client, { scope: 'openid', pkce: 'plain' })
    const err = await rejection(result())
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'invalid_request' })
    expect((err as AuthorizationResponseError).errorDescription).toMatch(/S256/)
  })

  it('a malformed S256 challenge is invalid_request', async () => {
    const client = await spa(org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) =>
      p.set('code_challenge', 'short'),
    )
    expect(redirectParams(response).get('error')).toBe('invalid_request')
  })

  it('a response type outside the client grants is unauthorized_client', async () => {
    const fresh = await useOrg({
      clients: [
        {
          clientId: '0oacodeonly',
          tokenEndpointAuthMethod: 'none',
          redirectUris: [SPA_REDIRECT],
          grantTypes: ['authorization_code'],
        },
      ],
    })
    const client = await clientOf(fresh, { clientId: '0oacodeonly', redirectUri: SPA_REDIRECT })
    const { result } = await roundTrip(client, { scope: 'openid', responseType: 'id_token' })
    await expect(result()).rejects.toMatchObject({ error: 'unauthorized_client' })
  })

  it('an unknown authorization server is a 404', async () => {
    const response = await visit(`${org.orgUrl}/oauth2/nope/v1/authorize?client_id=${SPA}`)
    expect(response.status).toBe(404)
    expect((await response.json()).errorCode).toBe('E0000007')
  })

  it('a tampered state in the redirect is caught by the SDK', async () => {
    const client = await spa(org)
    const { response, transaction } = await roundTrip(client, { scope: 'openid' })
    const target = new URL(location(response))
    target.searchParams.set('state', 'forged')
    const err = await rejection(client.handleCallback(target, transaction))
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_STATE_MISMATCH' })
  })
})
