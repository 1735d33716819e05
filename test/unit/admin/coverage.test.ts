/**
 * Every operation of today's authorization-server API (management.yaml,
 * Okta Admin Management API 5.1.0: 56 operations under
 * `/api/v1/authorizationServers` and `/api/v1/apps/{appId}/grants|tokens`)
 * is one method of the admin client: the method and path it sends, the
 * scope it needs (checked before sending), its ids checked, and the
 * README's table in step with it.
 */
import { readFileSync } from 'node:fs'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { AdminScopeError, InvalidOptionError, OktaApiError } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import {
  API,
  apiCalls,
  oauthClient,
  record,
  rejectionOf,
  serviceKey,
  sswsClient,
} from './helpers.js'
import { ID, type Ids, OPERATIONS } from './spec-operations.js'

/** The path the client must send for an operation: the template with {@link ID}'s values. */
const sentPath = (template: string) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => ID[name as keyof Ids])

const named = OPERATIONS.map((o) => [`${o.operationId} (${o.method} ${o.path})`, o] as const)

/** The operations of the spec, extracted from management.yaml by `test/fixtures/okta-management/extract.py`. */
const SPEC: {
  source: string
  operations: { method: string; path: string; operationId: string; scopes: string[] }[]
} = JSON.parse(
  readFileSync(new URL('../../fixtures/okta-management/operations.json', import.meta.url), 'utf8'),
)

describe('every operation of the authorization-server API', () => {
  it(`maps every operation of ${SPEC.source} to a method, with the spec's scope`, () => {
    expect(SPEC.operations).toHaveLength(56)
    const byId = (a: { operationId: string }, b: { operationId: string }) =>
      a.operationId.localeCompare(b.operationId)
    expect(
      OPERATIONS.map(({ method, path, operationId, scope }) => ({
        method,
        path,
        operationId,
        scopes: [scope],
      })).sort(byId),
    ).toEqual([...SPEC.operations].sort(byId))
  })

  it('has 56 operations, each operationId once, each method and path once', () => {
    expect(OPERATIONS).toHaveLength(56)
    expect(new Set(OPERATIONS.map((o) => o.operationId)).size).toBe(56)
    expect(new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`)).size).toBe(56)
    expect(new Set(OPERATIONS.map((o) => o.sdk)).size).toBe(56)
  })

  it.each(named)('%s: sends that method and path', async (_, o) => {
    const seen = record()
    server.use(
      http.all(`${API}/*`, () =>
        HttpResponse.json(
          { errorCode: 'E0000007', errorSummary: 'Not found', errorCauses: [] },
          { status: 404 },
        ),
      ),
    )
    const err = await rejectionOf(o.call(sswsClient(), ID))
    expect(err).toBeInstanceOf(OktaApiError)
    const calls = apiCalls(seen)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.method).toBe(o.method)
    expect(calls[0]!.url.pathname).toBe(sentPath(o.path))
  })

  it.each(named)('%s: needs its scope, checked before sending', async (_, o) => {
    const seen = record()
    const admin = oauthClient(await key(), ['okta.users.read'])
    const err = await rejectionOf(o.call(admin, ID))
    expect(err).toBeInstanceOf(AdminScopeError)
    expect(err.code).toBe('ERR_SCOPE_NOT_CONFIGURED')
    expect(err.requiredScope).toBe(o.scope)
    expect(seen).toHaveLength(0)
  })

  it.each(named.filter(([, o]) => o.path.includes('{')))(
    '%s: an empty id is refused before sending',
    async (_, o) => {
      const seen = record()
      const empty = Object.fromEntries(Object.keys(ID).map((k) => [k, ''])) as Ids
      const err = await rejectionOf(o.call(sswsClient(), empty))
      expect(err).toBeInstanceOf(InvalidOptionError)
      expect(seen).toHaveLength(0)
    },
  )

  it('the README maps each of them to its method', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
    const rows = [
      ...readme.matchAll(
        /^\| (\d+) \| (GET|POST|PUT|DELETE) \| `([^`]+)` \| (\w+) \| `admin\.(\w+\.\w+)\(/gm,
      ),
    ].map(([, n, method, path, operationId, sdk]) => ({ n, method, path, operationId, sdk }))
    expect(rows.map(({ n, ...row }) => row)).toEqual(
      OPERATIONS.map(({ method, path, operationId, sdk }) => ({ method, path, operationId, sdk })),
    )
    expect(rows.map((r) => Number(r.n))).toEqual(OPERATIONS.map((_, i) => i + 1))
  })
})

let cachedKey: Awaited<ReturnType<typeof serviceKey>> | undefined
async function key() {
  cachedKey ??= await serviceKey()
  return cachedKey
}
