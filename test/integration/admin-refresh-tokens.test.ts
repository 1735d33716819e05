/**
 * Refresh tokens revoked through the management API stop working at the
 * token endpoint, over real HTTP on 127.0.0.1: raw form POSTs to the local
 * org's `/v1/token` (no SDK on the OAuth side), the admin client with the
 * org's API token on the management side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AdminClient, createAdminClient } from '../../src/admin/index.js'
import {
  DEFAULT_API_TOKEN,
  DEFAULT_CLIENTS,
  DEFAULT_USERS,
  type RunningOktaOrg,
  startOktaOrg,
} from '../../src/testing/index.js'

const web = DEFAULT_CLIENTS.find((c) => c.tokenEndpointAuthMethod === 'client_secret_basic')!
const user = DEFAULT_USERS[0]!

let running: RunningOktaOrg
let admin: AdminClient
beforeAll(async () => {
  running = await startOktaOrg()
  admin = createAdminClient({
    orgUrl: running.url,
    auth: { type: 'ssws', token: DEFAULT_API_TOKEN },
  })
})
afterAll(() => running.close())

/** A raw POST to the default server's token endpoint, as the web app (client_secret_basic). */
async function token(form: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${running.org.issuer()}/v1/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      authorization: `Basic ${btoa(`${web.clientId}:${web.clientSecret}`)}`,
    },
    body: new URLSearchParams(form),
  })
  return { status: response.status, body: await response.json() }
}

async function signIn(): Promise<string> {
  const answer = await token({
    grant_type: 'password',
    username: user.login,
    password: user.password,
    scope: 'openid offline_access',
  })
  expect(answer.status).toBe(200)
  return answer.body.refresh_token
}

const refresh = (refreshToken: string) =>
  token({ grant_type: 'refresh_token', refresh_token: refreshToken })

/** The management id of a refresh token the org issued. */
const idOf = (refreshToken: string) => running.org.tokens.get(refreshToken)!.id!

describe('refresh tokens revoked through the management API, over HTTP', () => {
  it('refreshTokens.revoke: that token is refused (400 invalid_grant), the others still work', async () => {
    const [first, second] = [await signIn(), await signIn()]
    const listed = await admin.refreshTokens.list('default', web.clientId).all()
    expect(listed.map((t) => t.id)).toEqual(expect.arrayContaining([idOf(first), idOf(second)]))
    await admin.refreshTokens.revoke('default', web.clientId, idOf(first))
    expect(await refresh(first)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect((await refresh(second)).status).toBe(200)
    expect((await admin.refreshTokens.get('default', web.clientId, idOf(first))).status).toBe(
      'REVOKED',
    )
  })

  it('appTokens.revokeAll: every refresh token of the app is refused', async () => {
    const held = [await signIn(), await signIn()]
    await admin.appTokens.revokeAll(web.clientId)
    for (const refreshToken of held) {
      expect(await refresh(refreshToken)).toMatchObject({
        status: 400,
        body: { error: 'invalid_grant' },
      })
    }
    expect(await admin.appTokens.list(web.clientId).all()).toEqual([])
  })
})
