// Client authentication that fails: wrong secrets and keys, a method the
// client is not registered for, unknown clients, missing, doubled and
// malformed credentials. The org and helpers are in client-auth-harness.ts.
import { describe, expect, it } from 'vitest'
import type { ClientAuth } from '../../../src/index.js'
import {
  assertion,
  ccForm,
  claimsFor,
  client,
  expectOAuthError,
  harness,
  IDS,
  SECRET,
  useClientAuthHarness,
} from './client-auth-harness.js'
import { basic, postForm } from './helpers.js'

useClientAuthHarness()

describe('client authentication failures', () => {
  it.each([
    ['client_secret_basic', IDS.basic, 'client_secret_basic'],
    ['client_secret_post', IDS.post, 'client_secret_post'],
  ] as const)(
    'a wrong secret with %s is invalid_client 401 at every endpoint',
    async (_n, id, method) => {
      const c = await client(id, { method, clientSecret: 'wrong-secret' })
      await expectOAuthError(c.clientCredentials({ scope: 'orders:read' }), 'invalid_client', 401)
      await expectOAuthError(c.introspect('anything'), 'invalid_client', 401)
      await expectOAuthError(c.revoke('anything'), 'invalid_client', 401)
    },
  )

  it('client_secret_jwt signed with a wrong secret is invalid_client', async () => {
    const c = await client(IDS.jwt, {
      method: 'client_secret_jwt',
      clientSecret: 'another-secret-that-is-also-32-bytes-long',
    })
    await expectOAuthError(c.clientCredentials({ scope: 'orders:read' }), 'invalid_client', 401)
  })

  it('private_key_jwt signed with an unregistered key (same kid) is invalid_client', async () => {
    const c = await client(IDS.pkj, { method: 'private_key_jwt', key: harness.otherKey.privateJwk })
    await expectOAuthError(c.clientCredentials({ scope: 'orders:read' }), 'invalid_client', 401)
  })

  it.each<[string, string, ClientAuth]>([
    [
      'a client_secret_jwt client sending client_secret_basic',
      IDS.jwt,
      { method: 'client_secret_basic', clientSecret: SECRET },
    ],
    [
      'a basic client sending client_secret_jwt',
      IDS.basic,
      { method: 'client_secret_jwt', clientSecret: SECRET },
    ],
    [
      'a private_key_jwt client sending client_secret_jwt',
      IDS.pkj,
      { method: 'client_secret_jwt', clientSecret: SECRET },
    ],
    ['a confidential client sending none', IDS.basic, { method: 'none' }],
    [
      'a public client sending client_secret_post',
      IDS.none,
      { method: 'client_secret_post', clientSecret: SECRET },
    ],
  ])('%s is invalid_client', async (_name, id, auth) => {
    const c = await client(id, auth)
    await expectOAuthError(c.clientCredentials({ scope: 'orders:read' }), 'invalid_client', 401)
    await expectOAuthError(c.introspect('anything'), 'invalid_client', 401)
  })

  it('an unknown client is invalid_client', async () => {
    const c = await client('0oaunknown0000000000', {
      method: 'client_secret_basic',
      clientSecret: SECRET,
    })
    await expectOAuthError(c.clientCredentials({ scope: 'orders:read' }), 'invalid_client', 401)
  })

  it('no credentials at all: 401 invalid_client "No client credentials found."', async () => {
    const response = await postForm(`${harness.org.issuer()}/v1/token`, {
      grant_type: 'client_credentials',
      scope: 'orders:read',
    })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'No client credentials found.',
    })
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('credentials in the header and the body together are invalid_request', async () => {
    const response = await postForm(
      `${harness.org.issuer()}/v1/token`,
      { grant_type: 'client_credentials', scope: 'orders:read', client_secret: SECRET },
      basic(IDS.basic, SECRET),
    )
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })

  it('a secret and an assertion together are invalid_request', async () => {
    const jwt = await assertion(claimsFor(IDS.jwt, `${harness.org.issuer()}/v1/token`))
    const response = await postForm(`${harness.org.issuer()}/v1/token`, {
      ...ccForm(IDS.jwt, jwt),
      client_secret: SECRET,
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })

  it.each([
    ['not base64', 'Basic %%%'],
    ['no colon', `Basic ${btoa('no-colon-here')}`],
    ['bad percent-encoding', `Basic ${btoa('%zz:secret')}`],
  ])('a malformed Basic header (%s) is invalid_request', async (_name, authorization) => {
    const response = await postForm(
      `${harness.org.issuer()}/v1/token`,
      { grant_type: 'client_credentials', scope: 'orders:read' },
      { authorization },
    )
    expect(response.status).toBe(400)
    expect((await response.json()).error).toBe('invalid_request')
  })

  it('a Basic client id that differs from the body client_id is invalid_client', async () => {
    const response = await postForm(
      `${harness.org.issuer()}/v1/token`,
      { grant_type: 'client_credentials', scope: 'orders:read', client_id: IDS.post },
      basic(IDS.basic, SECRET),
    )
    expect(response.status).toBe(401)
    expect((await response.json()).error).toBe('invalid_client')
  })

  it('form-encodes Basic credentials (a secret with reserved characters)', async () => {
    const secret = 'p@ss word:with/reserved+chars&more-than-32-bytes'
    harness.org.clients.set('0oaodd', { clientId: '0oaodd', clientSecret: secret })
    const c = await client('0oaodd', { method: 'client_secret_basic', clientSecret: secret })
    await expect(c.clientCredentials({ scope: 'orders:read' })).resolves.toMatchObject({
      scope: 'orders:read',
    })
  })
})
