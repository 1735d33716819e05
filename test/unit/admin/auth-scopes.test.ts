/**
 * Scopes: what an operation needs is checked against the configured
 * scopes before sending and against the granted ones after the token
 * request; invalid_scope and 403s after a granted scope (downscoping) are
 * reported as such.
 */
import { inspect } from 'node:util'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { AdminScopeError, OAuthResponseError, OktaApiError } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { key, MANAGE, ONE_SERVER, READ, SERVER, serverOk, useAuthHooks } from './auth-harness.js'
import { CREATE_SERVER_BODY, GRANT_BODY, SERVER_ID } from './fixtures.js'
import {
  API,
  apiCalls,
  oauthClient,
  oktaError,
  record,
  rejectionOf,
  sswsClient,
  TOKEN_ENDPOINT,
  tokenCalls,
  tokenEndpoint,
} from './helpers.js'

useAuthHooks()

describe('auth: scopes', () => {
  it.each([
    [
      'a write with only .read',
      [READ],
      (a: ReturnType<typeof oauthClient>) => a.authorizationServers.create(CREATE_SERVER_BODY),
      MANAGE,
    ],
    [
      'app grants with authorization server scopes',
      [MANAGE],
      (a: ReturnType<typeof oauthClient>) => a.appGrants.list('0oa1').all(),
      'okta.appGrants.read',
    ],
    [
      'granting with okta.appGrants.read',
      ['okta.appGrants.read'],
      (a: ReturnType<typeof oauthClient>) => a.appGrants.grant('0oa1', GRANT_BODY),
      'okta.appGrants.manage',
    ],
    [
      // Today's API: app grants need okta.appGrants.*, not okta.apps.*.
      'app grants with okta.apps.manage',
      ['okta.apps.manage'],
      (a: ReturnType<typeof oauthClient>) => a.appGrants.revoke('0oa1', 'oag1'),
      'okta.appGrants.manage',
    ],
    [
      'a key rotation with .read',
      [READ],
      (a: ReturnType<typeof oauthClient>) => a.keys.rotate(SERVER_ID),
      MANAGE,
    ],
    [
      'request() naming a scope',
      [MANAGE],
      (a: ReturnType<typeof oauthClient>) =>
        a.request('GET', '/users', { scope: 'okta.users.read' }),
      'okta.users.read',
    ],
  ])('%s → ERR_SCOPE_NOT_CONFIGURED, and no request at all', async (_, scopes, call, needed) => {
    tokenEndpoint()
    const seen = record()
    const err = await rejectionOf(call(oauthClient(key, scopes)))
    expect(err).toBeInstanceOf(AdminScopeError)
    expect(err).toMatchObject({
      name: 'AdminScopeError',
      code: 'ERR_SCOPE_NOT_CONFIGURED',
      requiredScope: needed,
    })
    expect(err.message).toContain(needed)
    expect(seen).toHaveLength(0)
  })

  it('.manage covers .read: reads work with only the manage scope', async () => {
    tokenEndpoint()
    serverOk()
    server.use(http.get(`${API}/apps/0oa1/grants`, () => HttpResponse.json([])))
    const seen = record()
    const admin = oauthClient(key, [MANAGE, 'okta.appGrants.manage'])
    await admin.authorizationServers.get(SERVER_ID)
    await admin.appGrants.list('0oa1').all()
    expect(apiCalls(seen)).toHaveLength(2)
    const form = new URLSearchParams(await tokenCalls(seen)[0]!.text)
    expect(form.get('scope')).toBe(`${MANAGE} okta.appGrants.manage`)
  })

  it('.read does not cover .manage, nor another resource', async () => {
    tokenEndpoint()
    const admin = oauthClient(key, ['okta.appGrants.read'])
    for (const call of [
      () => admin.appGrants.revoke('0oa1', 'oag1'),
      () => admin.authorizationServers.get(SERVER_ID),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({ code: 'ERR_SCOPE_NOT_CONFIGURED' })
    }
  })

  it('a token whose scope lacks what the operation needs → ERR_SCOPE_NOT_GRANTED, no API call', async () => {
    // The app was granted only the authorization server scope.
    tokenEndpoint({ scope: () => MANAGE })
    serverOk()
    const seen = record()
    const admin = oauthClient(key, [MANAGE, 'okta.appGrants.manage'])
    const err = await rejectionOf(admin.appGrants.list('0oa1').all())
    expect(err).toBeInstanceOf(AdminScopeError)
    expect(err).toMatchObject({
      code: 'ERR_SCOPE_NOT_GRANTED',
      requiredScope: 'okta.appGrants.read',
    })
    expect(apiCalls(seen)).toHaveLength(0)
    // What was granted still works, with the same token.
    await admin.authorizationServers.get(SERVER_ID)
    expect(tokenCalls(seen)).toHaveLength(1)
  })

  it('the org refusing the scopes at the token endpoint (invalid_scope) → AdminScopeError naming them', async () => {
    const description = 'The requested scope is invalid, unknown, or malformed.'
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json(
          { error: 'invalid_scope', error_description: description },
          { status: 400 },
        ),
      ),
    )
    const seen = record()
    const err = await rejectionOf(
      oauthClient(key, [MANAGE, 'okta.apps.read']).authorizationServers.get(SERVER_ID),
    )
    expect(err).toBeInstanceOf(AdminScopeError)
    expect(err).toMatchObject({
      name: 'AdminScopeError',
      code: 'ERR_SCOPE_NOT_GRANTED',
      requiredScope: READ,
      scopes: [MANAGE, 'okta.apps.read'],
    })
    expect(err.message).toContain(MANAGE)
    expect(err.message).toContain('okta.apps.read')
    // The OAuth error is kept as the cause, without the server's free text.
    expect(err.cause).toBeInstanceOf(OAuthResponseError)
    expect(err.cause).toMatchObject({ error: 'invalid_scope', status: 400 })
    expect(inspect(err, { depth: 10 })).not.toContain(description)
    expect(apiCalls(seen)).toHaveLength(0)
  })

  it('other token endpoint errors stay OAuthResponseError', async () => {
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({ error: 'invalid_client' }, { status: 401 }),
      ),
    )
    const err = await rejectionOf(oauthClient(key, [READ]).authorizationServers.get(SERVER_ID))
    expect(err).toBeInstanceOf(OAuthResponseError)
    expect(err).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', error: 'invalid_client' })
  })

  it('a token response without scope is taken to grant what was asked', async () => {
    server.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({ access_token: 'at-x', token_type: 'Bearer', expires_in: 3600 }),
      ),
    )
    serverOk()
    await expect(oauthClient(key, [READ]).authorizationServers.get(SERVER_ID)).resolves.toEqual(
      SERVER,
    )
  })

  it.each([
    [
      'with an insufficient_scope challenge',
      {
        'www-authenticate':
          'Bearer error="insufficient_scope", scope="okta.authorizationServers.manage"',
      },
    ],
    ['without a challenge', {}],
  ])('403 when the token had the scope %s → ERR_API_FORBIDDEN, downscoped', async (_, headers) => {
    tokenEndpoint()
    server.use(
      http.post(`${API}/authorizationServers`, () =>
        HttpResponse.json(
          {
            errorCode: 'E0000006',
            errorSummary: 'You do not have permission to perform the requested action',
            errorLink: 'E0000006',
            errorId: 'oae1',
            errorCauses: [],
          },
          { status: 403, headers },
        ),
      ),
    )
    const seen = record()
    const err = await rejectionOf(
      oauthClient(key, [MANAGE]).authorizationServers.create(CREATE_SERVER_BODY),
    )
    expect(err).toBeInstanceOf(OktaApiError)
    expect(err).toMatchObject({
      code: 'ERR_API_FORBIDDEN',
      status: 403,
      errorCode: 'E0000006',
      downscoped: true,
      requiredScope: MANAGE,
    })
    expect(err.message).toMatch(/silent downscoping/)
    // Not retried: a fresh token would not help.
    expect(tokenCalls(seen)).toHaveLength(1)
    expect(apiCalls(seen)).toHaveLength(1)
  })

  it('403 on a read whose scope the token covers through .manage is downscoped too', async () => {
    tokenEndpoint()
    server.use(http.get(ONE_SERVER, () => HttpResponse.json(oktaError(), { status: 403 })))
    const err = await rejectionOf(oauthClient(key, [MANAGE]).authorizationServers.get(SERVER_ID))
    expect(err).toMatchObject({ code: 'ERR_API_FORBIDDEN', downscoped: true, requiredScope: READ })
  })

  it('403 through request() without a scope, or with SSWS: downscoping is not claimed', async () => {
    tokenEndpoint()
    server.use(http.all(`${API}/*`, () => HttpResponse.json(oktaError(), { status: 403 })))
    const viaRequest = await rejectionOf(oauthClient(key, [MANAGE]).request('GET', '/users'))
    expect(viaRequest).toMatchObject({ code: 'ERR_API_FORBIDDEN' })
    expect(viaRequest.downscoped).toBeUndefined()
    const viaSsws = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    expect(viaSsws).toMatchObject({ code: 'ERR_API_FORBIDDEN' })
    expect(viaSsws.downscoped).toBeUndefined()
  })
})
