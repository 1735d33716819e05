import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { OktaOrg } from '../../../src/testing/index.js'
import {
  basic,
  jwt,
  managementApi,
  postForm,
  redirectParams,
  SPA,
  SPA_REDIRECT,
  USER,
  useOrg,
  visit,
  WEB,
  WEB_SECRET,
} from './helpers.js'

// The scopes of a custom server as its endpoints see them (today's Okta):
// a `metadataPublish: NO_CLIENTS` scope is not listed in discovery but can
// be requested; a request that names no scope is granted the server's
// `default: true` scopes, and is refused when there are none.

const NO_DEFAULT_SCOPES =
  "The authorization server resource does not have any configured default scopes, 'scope' must be provided."

/** Create a scope of the `default` server through the management API. */
async function createScope(body: Record<string, unknown>): Promise<string> {
  const answer = await managementApi('POST', '/authorizationServers/default/scopes', body)
  expect(answer.status, JSON.stringify(answer.body)).toBe(201)
  return answer.body.id as string
}

async function scopesSupported(org: OktaOrg, doc = 'openid-configuration'): Promise<string[]> {
  const response = await fetch(`${org.issuer()}/.well-known/${doc}`)
  return ((await response.json()) as { scopes_supported: string[] }).scopes_supported
}

/** A client credentials request of the web app; `scope` left out when undefined. */
async function clientCredentials(
  org: OktaOrg,
  scope?: string,
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await postForm(
    `${org.issuer()}/v1/token`,
    { grant_type: 'client_credentials', ...(scope !== undefined && { scope }) },
    basic(WEB, WEB_SECRET),
  )
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

/** The SPA's code + PKCE flow with the raw endpoints; `scope` left out when undefined. */
async function codeFlow(
  org: OktaOrg,
  scope?: string,
): Promise<{ params: URLSearchParams; tokens?: Record<string, string> }> {
  const verifier = 'a-code-verifier-of-at-least-forty-three-characters-long'
  const url = new URL(`${org.issuer()}/v1/authorize`)
  url.search = new URLSearchParams({
    client_id: SPA,
    redirect_uri: SPA_REDIRECT,
    response_type: 'code',
    state: 'the-state',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(scope !== undefined && { scope }),
  }).toString()
  const params = redirectParams(await visit(url))
  const code = params.get('code')
  if (!code) return { params }
  const response = await postForm(`${org.issuer()}/v1/token`, {
    grant_type: 'authorization_code',
    client_id: SPA,
    redirect_uri: SPA_REDIRECT,
    code,
    code_verifier: verifier,
  })
  expect(response.status).toBe(200)
  return { params, tokens: (await response.json()) as Record<string, string> }
}

describe('discovery lists the scopes published to clients (metadataPublish)', () => {
  it('leaves out NO_CLIENTS scopes, which can still be requested', async () => {
    const org = await useOrg()
    const hiddenId = await createScope({ name: 'hidden:read', metadataPublish: 'NO_CLIENTS' })
    await createScope({ name: 'unsaid:read' }) // NO_CLIENTS is the default
    await createScope({ name: 'shown:read', metadataPublish: 'ALL_CLIENTS' })
    for (const doc of ['openid-configuration', 'oauth-authorization-server']) {
      const listed = await scopesSupported(org, doc)
      // System scopes and the scopes configured in the org's options stay listed.
      expect(listed).toEqual(expect.arrayContaining(['openid', 'profile', 'orders:read']))
      expect(listed).toContain('shown:read')
      expect(listed).not.toContain('hidden:read')
      expect(listed).not.toContain('unsaid:read')
    }
    const token = await clientCredentials(org, 'hidden:read')
    expect(token.status).toBe(200)
    expect(jwt(token.body.access_token!).claims.scp).toEqual(['hidden:read'])
    // Published later: listed at once.
    const published = await managementApi(
      'PUT',
      `/authorizationServers/default/scopes/${hiddenId}`,
      {
        name: 'hidden:read',
        metadataPublish: 'ALL_CLIENTS',
      },
    )
    expect(published.status).toBe(200)
    expect(await scopesSupported(org)).toContain('hidden:read')
  })

  it('reports the scopes of the options as published (they are listed)', async () => {
    await useOrg()
    const answer = await managementApi('GET', '/authorizationServers/default/scopes?q=orders')
    expect(answer.body.map((s: { name: string }) => s.name).sort()).toEqual([
      'orders:read',
      'orders:write',
    ])
    for (const scope of answer.body) expect(scope.metadataPublish).toBe('ALL_CLIENTS')
  })
})

describe('a request that names no scope', () => {
  describe('on a server without default scopes', () => {
    it('is refused with invalid_scope at the token and authorization endpoints', async () => {
      const org = await useOrg()
      expect(await clientCredentials(org)).toEqual({
        status: 400,
        body: { error: 'invalid_scope', error_description: NO_DEFAULT_SCOPES },
      })
      const password = await postForm(
        `${org.issuer()}/v1/token`,
        { grant_type: 'password', ...USER },
        basic(WEB, WEB_SECRET),
      )
      expect(password.status).toBe(400)
      expect(await password.json()).toEqual({
        error: 'invalid_scope',
        error_description: NO_DEFAULT_SCOPES,
      })
      const { params, tokens } = await codeFlow(org)
      expect(tokens).toBeUndefined()
      expect(params.get('error')).toBe('invalid_scope')
      expect(params.get('error_description')).toBe(NO_DEFAULT_SCOPES)
      expect(params.get('state')).toBe('the-state')
    })
  })

  describe('on a server with default scopes', () => {
    async function orgWithDefaults(): Promise<{ org: OktaOrg; defaultId: string }> {
      const org = await useOrg()
      const defaultId = await createScope({ name: 'reports:read', default: true })
      await createScope({ name: 'reports:admin', default: false })
      return { org, defaultId }
    }

    it('client_credentials gets the default scopes; a named scope, only that one', async () => {
      const { org } = await orgWithDefaults()
      const granted = await clientCredentials(org)
      expect(granted.status).toBe(200)
      expect(granted.body.scope).toBe('reports:read')
      expect(jwt(granted.body.access_token!).claims.scp).toEqual(['reports:read'])
      const named = await clientCredentials(org, 'reports:admin')
      expect(named.body.scope).toBe('reports:admin')
      expect(jwt(named.body.access_token!).claims.scp).toEqual(['reports:admin'])
    })

    it('the code flow (PKCE) gets the default scopes: an access token, no ID token', async () => {
      const { org } = await orgWithDefaults()
      const { tokens } = await codeFlow(org)
      expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'reports:read' })
      expect(tokens).not.toHaveProperty('id_token')
      expect(jwt(tokens!.access_token!).claims.scp).toEqual(['reports:read'])
      // Naming scopes still works as before.
      const named = await codeFlow(org, 'openid reports:admin')
      expect(named.tokens?.scope).toBe('openid reports:admin')
      expect(named.tokens).toHaveProperty('id_token')
    })

    it('the password grant gets the default scopes', async () => {
      const { org } = await orgWithDefaults()
      const response = await postForm(
        `${org.issuer()}/v1/token`,
        { grant_type: 'password', ...USER },
        basic(WEB, WEB_SECRET),
      )
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ scope: 'reports:read' })
    })

    it('no longer once the scope is not a default one', async () => {
      const { org, defaultId } = await orgWithDefaults()
      const updated = await managementApi(
        'PUT',
        `/authorizationServers/default/scopes/${defaultId}`,
        { name: 'reports:read', default: false },
      )
      expect(updated.status).toBe(200)
      expect((await clientCredentials(org)).body.error).toBe('invalid_scope')
    })
  })
})
