/**
 * Ids and paths, checked before anything is sent: ids encoded into one
 * path segment, empty ids rejected, request() kept under /api/v1 and to
 * the methods it knows.
 */
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { APP_ID, CREATE_SCOPE_BODY, SCOPE } from './fixtures.js'
import { API, apiCalls, record, rejectionOf, sswsClient } from './helpers.js'

describe('operations: ids and paths', () => {
  it('encodes ids into one path segment', async () => {
    const seen = record()
    server.use(http.all(`${API}/*`, () => HttpResponse.json(SCOPE)))
    await sswsClient().scopes.get('aus 1', 'a b?c#d')
    expect(apiCalls(seen)[0]!.url.pathname).toBe(
      '/api/v1/authorizationServers/aus%201/scopes/a%20b%3Fc%23d',
    )
  })

  it('an empty id rejects (never throws synchronously) and sends nothing', async () => {
    const seen = record()
    const admin = sswsClient()
    const calls: (() => Promise<unknown>)[] = [
      () => admin.authorizationServers.get(''),
      () => admin.authorizationServers.delete(''),
      () => admin.policies.activate('aus1', ''),
      () => admin.policyRules.get('aus1', 'pol1', ''),
      () => admin.scopes.update('', 'scp1', CREATE_SCOPE_BODY),
      () => admin.claims.delete('aus1', ''),
      () => admin.keys.list(''),
      () => admin.keys.rotate(''),
      () => admin.keys.rotateAndWait(''),
      () => admin.appGrants.revoke(APP_ID, ''),
      () => admin.policies.list('').all(),
    ]
    for (const call of calls) {
      let promise: Promise<unknown> | undefined
      expect(() => {
        promise = call()
      }).not.toThrow()
      const err = await rejectionOf(promise!)
      expect(err).toBeInstanceOf(InvalidOptionError)
      expect(err.code).toBe('ERR_INVALID_OPTION')
    }
    expect(seen).toHaveLength(0)
  })

  it.each([
    '/../oauth2/v1/keys',
    '/%2e%2e/%2e%2e/oauth2/v1/keys',
    '/.%2E/x',
    '/users/%2E%2E/%2e%2e/%2e%2e/admin',
    '/users/%2e%2e/groups',
    '/apps/./0oa1',
    '/users\\..\\..\\x',
    '/api/v1/../../x',
    'users/me',
  ])('request() refuses %s before sending (the token stays under /api/v1)', async (path) => {
    const seen = record()
    const err = await rejectionOf(sswsClient().request('GET', path))
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(seen).toHaveLength(0)
  })

  it('request() refuses a method it does not know', async () => {
    const seen = record()
    const err = await rejectionOf(sswsClient().request('PATCH' as 'GET', '/users/me'))
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(seen).toHaveLength(0)
  })
})
