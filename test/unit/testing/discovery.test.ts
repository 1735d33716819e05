import { describe, expect, it } from 'vitest'
import type { OktaOrg, OrgEndpoint } from '../../../src/testing/index.js'
import { sharedOrg } from './helpers.js'

// Discovery advertises only what the org serves: every endpoint URL in both
// documents of both kinds of server answers, from the endpoint it names.

/** Each endpoint member a document may hold: the endpoint that serves it, and how to call it. */
const ENDPOINTS: Record<string, { endpoint: OrgEndpoint; method: 'GET' | 'POST' }> = {
  authorization_endpoint: { endpoint: 'authorize', method: 'GET' },
  token_endpoint: { endpoint: 'token', method: 'POST' },
  userinfo_endpoint: { endpoint: 'userinfo', method: 'GET' },
  jwks_uri: { endpoint: 'keys', method: 'GET' },
  introspection_endpoint: { endpoint: 'introspect', method: 'POST' },
  revocation_endpoint: { endpoint: 'revoke', method: 'POST' },
  end_session_endpoint: { endpoint: 'logout', method: 'GET' },
  pushed_authorization_request_endpoint: { endpoint: 'par', method: 'POST' },
}

async function documentOf(issuer: string, name: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${issuer}/.well-known/${name}`)
  expect(response.status).toBe(200)
  return (await response.json()) as Record<string, unknown>
}

const shared = sharedOrg()

describe.each([
  ['a custom server', (org: OktaOrg) => org.issuer()],
  ['the org server', (org: OktaOrg) => org.orgIssuer],
])('discovery of %s', (_kind, issuerOf) => {
  it.each(['openid-configuration', 'oauth-authorization-server'])(
    '%s: every advertised endpoint is served, by the endpoint it names',
    async (name) => {
      const org = shared()
      const issuer = issuerOf(org)
      const doc = await documentOf(issuer, name)
      // No endpoint member without a handler behind it (a new one needs a row above).
      const advertised = Object.keys(doc).filter((k) => /_endpoint$|_uri$/.test(k))
      expect(advertised.sort()).toEqual(Object.keys(ENDPOINTS).sort())
      for (const [member, { endpoint, method }] of Object.entries(ENDPOINTS)) {
        const url = doc[member]
        expect(typeof url, member).toBe('string')
        expect((url as string).startsWith(`${org.orgUrl}/`), member).toBe(true)
        const before = org.requestCount(endpoint)
        const response = await fetch(url as string, {
          method,
          redirect: 'manual',
          ...(method === 'POST' && {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: '',
          }),
        })
        // Served (a bare request may be refused, but by the endpoint itself).
        expect(response.status, member).not.toBe(404)
        expect(org.requestCount(endpoint), member).toBe(before + 1)
      }
    },
  )

  it('advertises no registration endpoint and no request objects', async () => {
    const org = shared()
    const doc = await documentOf(issuerOf(org), 'openid-configuration')
    expect(doc).not.toHaveProperty('registration_endpoint')
    expect(doc.request_parameter_supported).toBe(false)
    expect(doc).not.toHaveProperty('request_object_signing_alg_values_supported')
  })
})
