/**
 * Associated (trusted) servers through the admin client against the local
 * org: create, list with `trusted` and `q`, delete; the exact body; scopes
 * checked before sending; Okta's error bodies.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AssociatedServersInputSchema,
  type AuthorizationServer,
  RequestValidationError,
} from '../../../src/admin/index.js'
import { type EmulatedOrg, emulatedOrg, expectOktaError } from './emulator.js'
import { apiCalls, jsonOf, record, rejectionOf } from './helpers.js'

let env: EmulatedOrg
beforeAll(async () => {
  env = await emulatedOrg()
})
beforeEach(() => env.use())

let serial = 0
async function newServer(name = `Trust ${++serial}`): Promise<AuthorizationServer> {
  return env.admin.authorizationServers.create({
    name,
    description: name,
    audiences: [`api://trust-${serial}`],
  })
}

describe('associatedServers', () => {
  it('create trusts servers (one way), list shows them, delete stops trusting', async () => {
    const a = await newServer()
    const b = await newServer()
    const c = await newServer()
    const seen = record()
    const created = await env.admin.associatedServers.create(a.id, { trusted: [b.id, c.id] })
    const [sent] = apiCalls(seen)
    expect(`${sent!.method} ${sent!.url.pathname}`).toBe(
      `POST /api/v1/authorizationServers/${a.id}/associatedServers`,
    )
    expect(await jsonOf(sent)).toEqual({ trusted: [b.id, c.id] })
    // The answer: the trusted servers, as authorization servers.
    expect(created.map((s) => s.id)).toEqual([b.id, c.id])
    expect(created[0]).toMatchObject({ name: b.name, issuer: b.issuer, audiences: b.audiences })

    const trusted = await env.admin.associatedServers.list(a.id).all()
    expect(trusted.map((s) => s.id).sort()).toEqual([b.id, c.id].sort())
    // One way: b trusts nobody.
    expect(await env.admin.associatedServers.list(b.id, { trusted: true }).all()).toEqual([])

    await env.admin.associatedServers.delete(a.id, b.id)
    expect((await env.admin.associatedServers.list(a.id).all()).map((s) => s.id)).toEqual([c.id])
    // Not trusted (any more): 404.
    expectOktaError(
      await rejectionOf(env.admin.associatedServers.delete(a.id, b.id)),
      404,
      'E0000007',
    )
    // A server deleted since is no longer associated.
    await env.admin.authorizationServers.delete(c.id)
    expect(await env.admin.associatedServers.list(a.id).all()).toEqual([])
  })

  it('list sends trusted and q; trusted: false lists the servers not trusted', async () => {
    const a = await newServer()
    const b = await newServer('Partner alpha')
    const d = await newServer('Partner beta')
    await env.admin.associatedServers.create(a.id, { trusted: [b.id] })
    const seen = record()
    const untrusted = await env.admin.associatedServers
      .list(a.id, { trusted: false, q: 'partner', limit: 1 })
      .all()
    const calls = apiCalls(seen)
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({
      trusted: 'false',
      q: 'partner',
      limit: '1',
    })
    // Not a, not b (trusted), and only names or audiences starting with "partner".
    expect(untrusted.map((s) => s.id)).toEqual([d.id])
    const byAudience = await env.admin.associatedServers
      .list(a.id, { trusted: true, q: b.audiences[0] as string })
      .all()
    expect(byAudience.map((s) => s.id)).toEqual([b.id])
    const everyOther = await env.admin.associatedServers.list(a.id, { trusted: false }).all()
    expect(everyOther.map((s) => s.id)).toContain('default')
    expect(everyOther.map((s) => s.id)).not.toContain(a.id)
    expect(everyOther.map((s) => s.id)).not.toContain(b.id)
  })

  it('pages with limit and after', async () => {
    const a = await newServer()
    const others = [await newServer(), await newServer(), await newServer()]
    await env.admin.associatedServers.create(a.id, { trusted: others.map((s) => s.id) })
    const seen = record()
    const all = await env.admin.associatedServers.list(a.id, { limit: 2 }).all()
    expect(all.map((s) => s.id)).toEqual(others.map((s) => s.id))
    const calls = apiCalls(seen)
    expect(calls).toHaveLength(2)
    expect(calls[1]!.url.searchParams.get('after')).toBe(others[1]!.id)
  })

  it('the org refuses unknown servers and the server itself: 400 E0000001', async () => {
    const a = await newServer()
    const unknown = await rejectionOf(
      env.admin.associatedServers.create(a.id, { trusted: ['ausUnknown000000000'] }),
    )
    expect(unknown).toMatchObject({ code: 'ERR_API_BAD_REQUEST' })
    expectOktaError(unknown, 400, 'E0000001', {
      errorSummary: 'Api validation failed: trusted',
      causes: ['trusted: ausUnknown000000000 is not an authorization server of the organization.'],
    })
    expectOktaError(
      await rejectionOf(env.admin.associatedServers.create(a.id, { trusted: [a.id] })),
      400,
      'E0000001',
      { causes: ['trusted: An authorization server cannot trust itself.'] },
    )
    expectOktaError(
      await rejectionOf(
        env.admin.associatedServers.create('ausUnknown000000000', { trusted: [a.id] }),
      ),
      404,
      'E0000007',
    )
    expect(await env.admin.associatedServers.list(a.id).all()).toEqual([])
  })

  it('refuses a body that is not exactly { trusted: [ids] } before sending', async () => {
    const seen = record()
    for (const [body, path] of [
      [{ trusted: [] }, 'trusted'],
      [{ trusted: 'aus1' }, 'trusted'],
      [{ trusted: [''] }, 'trusted.0'],
      // The root today; the key's own path once unknown keys are reported one by one.
      [{ trusted: ['aus1'], trust: ['aus2'] }, /^(trust)?$/],
      [{}, 'trusted'],
    ] as const) {
      const err = await rejectionOf(
        env.admin.associatedServers.create('aus1', body as unknown as { trusted: string[] }),
      )
      expect(err).toBeInstanceOf(RequestValidationError)
      const paths = (err as unknown as RequestValidationError).issues.map((i) => i.path)
      expect(paths).toContainEqual(typeof path === 'string' ? path : expect.stringMatching(path))
    }
    expect(seen).toHaveLength(0)
    const typo = AssociatedServersInputSchema.safeParse({ trusted: ['aus1'], trust: ['aus2'] })
    expect(typo.error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['trust'] }),
    ])
  })

  it('needs .read to list and .manage to change, checked before sending', async () => {
    const a = await newServer()
    const reader = env.oauth(['okta.authorizationServers.read'])
    const seen = record()
    for (const call of [
      () => reader.associatedServers.create(a.id, { trusted: ['default'] }),
      () => reader.associatedServers.delete(a.id, 'default'),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({
        code: 'ERR_SCOPE_NOT_CONFIGURED',
        requiredScope: 'okta.authorizationServers.manage',
      })
    }
    expect(seen).toHaveLength(0)
    expect(await reader.associatedServers.list(a.id).all()).toEqual([])
  })
})
