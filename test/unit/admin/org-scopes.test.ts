/**
 * The local org checks the scope of each of the 19 operations added for
 * today's spec, as Okta does: a token without it gets 403 E0000006 before
 * anything is looked up or changed, whatever the ids.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AdminClient } from '../../../src/admin/index.js'
import { managementApi } from '../testing/helpers.js'
import { type EmulatedOrg, emulatedOrg, WEB } from './emulator.js'
import { CLIENT_ID } from './helpers.js'

let env: EmulatedOrg
beforeAll(async () => {
  env = await emulatedOrg()
})
beforeEach(() => env.use())

const AS = '/authorizationServers/default'
const KEY = `${AS}/resourceservercredentials/keys/apk2f4zrZbs8nUa7p0g4`

/** Method, path, and the scope the spec requires. */
const ROUTES: [string, string, string][] = [
  ['GET', `${AS}/clients`, 'okta.authorizationServers.read'],
  ['GET', `${AS}/clients/${WEB}/tokens`, 'okta.authorizationServers.read'],
  ['DELETE', `${AS}/clients/${WEB}/tokens`, 'okta.authorizationServers.manage'],
  ['GET', `${AS}/clients/${WEB}/tokens/oar1`, 'okta.authorizationServers.read'],
  ['DELETE', `${AS}/clients/${WEB}/tokens/oar1`, 'okta.authorizationServers.manage'],
  ['GET', `${AS}/associatedServers?trusted=true`, 'okta.authorizationServers.read'],
  ['POST', `${AS}/associatedServers`, 'okta.authorizationServers.manage'],
  ['DELETE', `${AS}/associatedServers/aus1`, 'okta.authorizationServers.manage'],
  ['GET', `${AS}/resourceservercredentials/keys`, 'okta.authorizationServers.read'],
  ['POST', `${AS}/resourceservercredentials/keys`, 'okta.authorizationServers.manage'],
  ['GET', KEY, 'okta.authorizationServers.read'],
  ['DELETE', KEY, 'okta.authorizationServers.manage'],
  ['POST', `${KEY}/lifecycle/activate`, 'okta.authorizationServers.manage'],
  ['POST', `${KEY}/lifecycle/deactivate`, 'okta.authorizationServers.manage'],
  ['GET', `${AS}/credentials/keys/kid1`, 'okta.authorizationServers.read'],
  ['GET', `/apps/${WEB}/tokens`, 'okta.apps.read'],
  ['DELETE', `/apps/${WEB}/tokens`, 'okta.apps.manage'],
  ['GET', `/apps/${WEB}/tokens/oar1`, 'okta.apps.read'],
  ['DELETE', `/apps/${WEB}/tokens/oar1`, 'okta.apps.manage'],
]

/** An access token of the service app granted exactly `scope` (obtained by a call it allows). */
async function tokenWith(scope: string): Promise<string> {
  const admin: AdminClient = env.oauth([scope])
  await (scope.startsWith('okta.apps.')
    ? admin.request('GET', `/apps/${WEB}/tokens`, { scope })
    : admin.request('GET', '/authorizationServers', { scope }))
  const found = [...env.org.tokens.entries()].find(
    ([, t]) => t.clientId === CLIENT_ID && t.scopes.length === 1 && t.scopes[0] === scope,
  )
  expect(found, scope).toBeDefined()
  return found![0]
}

describe('the org checks the scope of every new operation', () => {
  it('has the 19 operations', () => {
    expect(ROUTES).toHaveLength(19)
  })

  it.each(ROUTES)('%s %s: 403 E0000006 without %s', async (method, path, scope) => {
    // The scopes a caller could wrongly hold: the other area, or read for a change.
    const others = [
      'okta.authorizationServers.read',
      'okta.authorizationServers.manage',
      'okta.apps.read',
      'okta.apps.manage',
    ].filter(
      (s) => s !== scope && !(s.endsWith('.manage') && s.replace('manage', 'read') === scope),
    )
    for (const other of others) {
      const body = method === 'POST' && !path.includes('lifecycle') ? {} : undefined
      const answer = await managementApi(method, path, body, {
        authorization: `Bearer ${await tokenWith(other)}`,
      })
      expect(answer.status, other).toBe(403)
      expect(answer.body).toMatchObject({ errorCode: 'E0000006', errorLink: 'E0000006' })
    }
  })
})
