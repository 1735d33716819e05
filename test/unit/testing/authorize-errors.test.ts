// /v1/authorize errors: the 400 pages for a request that cannot be trusted
// with a redirect, the error redirects (with the state) for the rest, and a
// tampered state caught by the SDK. The org and helpers are in
// authorize-harness.ts.
import { describe, expect, it } from 'vitest'
import { AuthorizationResponseError, CallbackError } from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { harness, roundTrip, tampered, useAuthorizeHarness } from './authorize-harness.js'
import {
  clientOf,
  location,
  redirectParams,
  SPA,
  SPA_REDIRECT,
  spa,
  useOrg,
  visit,
  WEB_REDIRECT,
  web,
} from './helpers.js'

useAuthorizeHarness()

describe('/v1/authorize errors', () => {
  it('an unknown client_id is a 400 HTML page, never a redirect', async () => {
    const client = await clientOf(harness.org, { clientId: '0oanobody', redirectUri: SPA_REDIRECT })
    const { url } = await client.authorizationUrl({ scope: 'openid' })
    const response = await visit(url)
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await response.text()).toContain('invalid_client')
  })

  it('an unregistered redirect_uri is a 400 HTML page, never a redirect', async () => {
    const client = await clientOf(harness.org, {
      clientId: SPA,
      redirectUri: 'https://evil.example/cb',
    })
    const { url } = await client.authorizationUrl({ scope: 'openid' })
    const response = await visit(url)
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.text()).toContain('redirect_uri')
    // Another client's registered URI is not registered for this one.
    const other = await clientOf(harness.org, { clientId: SPA, redirectUri: WEB_REDIRECT })
    expect((await visit((await other.authorizationUrl({ scope: 'openid' })).url)).status).toBe(400)
  })

  it('a missing state is an invalid_request redirect', async () => {
    const client = await spa(harness.org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) => p.delete('state'))
    const params = redirectParams(response)
    expect(params.get('error')).toBe('invalid_request')
    expect(params.get('state')).toBeNull()
    expect(params.get('code')).toBeNull()
  })

  it('an ID token without a nonce is invalid_request, with the state', async () => {
    const client = await spa(harness.org)
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
    const client = await spa(harness.org)
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
    const client = await spa(harness.org)
    const { result, response, transaction } = await roundTrip(client, {
      scope: 'openid unknown:scope',
    })
    expect(redirectParams(response).get('state')).toBe(transaction.state)
    const err = await rejection(result())
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'invalid_scope' })
  })

  it('an okta.* scope is invalid_scope at a custom server, and at the org server unless granted', async () => {
    const client = await spa(harness.org)
    const custom = await roundTrip(client, { scope: 'openid okta.users.read' })
    await expect(custom.result()).rejects.toMatchObject({ error: 'invalid_scope' })
    const orgClient = await clientOf(
      harness.org,
      { clientId: SPA, redirectUri: SPA_REDIRECT },
      harness.org.orgIssuer,
    )
    const denied = await roundTrip(orgClient, { scope: 'openid okta.users.read' })
    await expect(denied.result()).rejects.toMatchObject({ error: 'invalid_scope' })
  })

  it('a missing scope is invalid_scope', async () => {
    const client = await spa(harness.org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) => p.delete('scope'))
    expect(redirectParams(response).get('error')).toBe('invalid_scope')
  })

  it('the query response mode with tokens is unsupported_response_mode, sent in the fragment', async () => {
    const client = await spa(harness.org)
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
    const client = await spa(harness.org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) =>
      p.set('response_mode', 'web_message'),
    )
    const target = new URL(location(response))
    expect(target.searchParams.get('error')).toBe('unsupported_response_mode')
  })

  it('an unknown response type is unsupported_response_type', async () => {
    const client = await spa(harness.org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) =>
      p.set('response_type', 'code device'),
    )
    expect(redirectParams(response).get('error')).toBe('unsupported_response_type')
  })

  it('a public client without PKCE is invalid_request', async () => {
    const client = await spa(harness.org)
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
    const client = await web(harness.org)
    const { response } = await tampered(client, { scope: 'openid' }, (p) => {
      p.delete('code_challenge')
      p.delete('code_challenge_method')
    })
    expect(redirectParams(response).get('code')).toBeTruthy()
  })

  it('code_challenge_method plain is invalid_request', async () => {
    const client = await spa(harness.org)
    const { result } = await roundTrip(client, { scope: 'openid', pkce: 'plain' })
    const err = await rejection(result())
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'invalid_request' })
    expect((err as AuthorizationResponseError).errorDescription).toMatch(/S256/)
  })

  it('a malformed S256 challenge is invalid_request', async () => {
    const client = await spa(harness.org)
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
    const response = await visit(`${harness.org.orgUrl}/oauth2/nope/v1/authorize?client_id=${SPA}`)
    expect(response.status).toBe(404)
    expect((await response.json()).errorCode).toBe('E0000007')
  })

  it('a tampered state in the redirect is caught by the SDK', async () => {
    const client = await spa(harness.org)
    const { response, transaction } = await roundTrip(client, { scope: 'openid' })
    const target = new URL(location(response))
    target.searchParams.set('state', 'forged')
    const err = await rejection(client.handleCallback(target, transaction))
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_STATE_MISMATCH' })
  })
})
