/**
 * One signing key of a server by its `kid` (getAuthorizationServerKey),
 * through the admin client against the local org: the path sent, the key
 * as the list shows it, Okta's 404, the scope checked before sending.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuthorizationServer } from '../../../src/admin/index.js'
import { type EmulatedOrg, emulatedOrg, expectOktaError } from './emulator.js'
import { apiCalls, record, rejectionOf } from './helpers.js'

let env: EmulatedOrg
beforeAll(async () => {
  env = await emulatedOrg()
})
beforeEach(() => env.use())

let serial = 0
async function newServer(): Promise<AuthorizationServer> {
  const name = `Signing ${++serial}`
  return env.admin.authorizationServers.create({
    name,
    description: name,
    audiences: [`api://sig-${serial}`],
  })
}

describe('keys.get: one signing key by kid', () => {
  it('reads ACTIVE and NEXT keys of a server as the list shows them; 404 otherwise', async () => {
    const server = await newServer()
    const listed = await env.admin.keys.list(server.id)
    const active = env.org.activeKid(server.id)
    const seen = record()
    const key = await env.admin.keys.get(server.id, active)
    expect(apiCalls(seen)[0]!.url.pathname).toBe(
      `/api/v1/authorizationServers/${server.id}/credentials/keys/${active}`,
    )
    expect(key).toEqual(listed.find((k) => k.kid === active))
    expect(key).toMatchObject({ status: 'ACTIVE', kty: 'RSA', use: 'sig', alg: 'RS256' })
    const next = listed.find((k) => k.status === 'NEXT')!
    expect(await env.admin.keys.get(server.id, next.kid)).toMatchObject({ status: 'NEXT' })
    expectOktaError(await rejectionOf(env.admin.keys.get(server.id, 'nope')), 404, 'E0000007')
    expectOktaError(await rejectionOf(env.admin.keys.get('ausNope', active)), 404, 'E0000007')
    const reader = env.oauth(['okta.apps.read'])
    expect(await rejectionOf(reader.keys.get(server.id, active))).toMatchObject({
      code: 'ERR_SCOPE_NOT_CONFIGURED',
      requiredScope: 'okta.authorizationServers.read',
    })
  })
})
