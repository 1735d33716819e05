/**
 * Operations outside authorization servers: an app's grants of Okta API
 * scopes, and request(), the escape hatch to any path under /api/v1.
 */
import { z } from 'zod'
import { APP_ID, GRANT, GRANT_BODY, GRANT_ID } from './fixtures.js'
import { describeOperations } from './operations-harness.js'

describeOperations({
  appGrants: [
    {
      name: 'grant (the guide body)',
      call: (a) => a.appGrants.grant(APP_ID, GRANT_BODY),
      method: 'POST',
      path: `/apps/${APP_ID}/grants`,
      body: GRANT_BODY,
      response: GRANT,
    },
    {
      name: 'list',
      call: (a) => a.appGrants.list(APP_ID).all(),
      method: 'GET',
      path: `/apps/${APP_ID}/grants`,
      response: [GRANT],
    },
    {
      name: 'get',
      call: (a) => a.appGrants.get(APP_ID, GRANT_ID),
      method: 'GET',
      path: `/apps/${APP_ID}/grants/${GRANT_ID}`,
      response: GRANT,
    },
    {
      name: 'revoke',
      call: (a) => a.appGrants.revoke(APP_ID, GRANT_ID),
      method: 'DELETE',
      path: `/apps/${APP_ID}/grants/${GRANT_ID}`,
    },
  ],
  'request() escape hatch': [
    {
      name: 'GET a path under /api/v1, no schema: the body as is',
      call: (a) => a.request('GET', '/users/me'),
      method: 'GET',
      path: '/users/me',
      response: { id: '00u1', profile: { login: 'alice@example.com' } },
    },
    {
      name: 'a path given with its /api/v1 prefix, query parameters',
      call: (a) => a.request('GET', '/api/v1/users', { searchParams: { limit: 2, q: 'al' } }),
      method: 'GET',
      path: '/users',
      query: { limit: '2', q: 'al' },
      response: [{ id: '00u1' }],
    },
    {
      name: 'POST with a JSON body and a schema',
      call: (a) =>
        a.request('POST', '/groups', {
          body: { profile: { name: 'admins' } },
          schema: z.object({ id: z.string() }),
        }),
      method: 'POST',
      path: '/groups',
      body: { profile: { name: 'admins' } },
      response: { id: '00g1', extra: 'dropped by z.object' },
      result: { id: '00g1' },
    },
    {
      name: 'PUT',
      call: (a) => a.request('PUT', '/groups/00g1', { body: { profile: { name: 'b' } } }),
      method: 'PUT',
      path: '/groups/00g1',
      body: { profile: { name: 'b' } },
      response: { id: '00g1' },
    },
    {
      name: 'DELETE answered with 204',
      call: (a) => a.request('DELETE', '/groups/00g1'),
      method: 'DELETE',
      path: '/groups/00g1',
    },
  ],
})
