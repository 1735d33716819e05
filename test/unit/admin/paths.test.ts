import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { type AdminClient, InvalidOptionError } from '../../../src/admin/index.js'
import type { FetchLike } from '../../../src/lib/http.js'
import { server } from '../msw.js'
import {
  APP_ID,
  CREATE_CLAIM_BODY,
  CREATE_POLICY_BODY,
  CREATE_SCOPE_BODY,
  CREATE_SERVER_BODY,
  GRANT_BODY,
  POLICY_ID,
  RULE_BODY,
  SERVER_ID,
} from './fixtures.js'
import { API, oauthClient, record, rejectionOf, serviceKey, sswsClient } from './helpers.js'

// Ids go into paths. An id that is (or becomes, once a URL parser or a server
// has read it) a dot segment or a separator retargets the operation: with
// `encodeURIComponent` alone, `policies.delete(serverId, '..')` sent
// `DELETE /api/v1/authorizationServers/{serverId}/` and deleted the server.

/** A marker in hostile ids, to prove no error quotes the id. */
const MARK = 'HOSTILEID'

/** Ids that must be refused, whatever operation and parameter they are given to. */
const HOSTILE: [label: string, id: unknown][] = [
  ['empty', ''],
  ['.', '.'],
  ['..', '..'],
  ['a slash', `${MARK}/x`],
  ['a leading ../', `../${MARK}`],
  ['a backslash', `${MARK}\\x`],
  ['..\\', '..\\'],
  ['%2e%2e (decoded twice by a proxy)', '%2e%2e'],
  ['%2E', '%2E'],
  ['.%2e', '.%2e'],
  ['an encoded slash', `${MARK}%2fx`],
  ['a percent sign', `${MARK}%`],
  ['TAB between dots (URL parsers drop it)', '.\t.'],
  ['LF', `${MARK}\nx`],
  ['CR', `${MARK}\rx`],
  ['NUL', `${MARK}\0`],
  ['DEL', `${MARK}\x7f`],
  ['a C1 control', `${MARK}\u0085`],
  ['fullwidth dots (NFKC: ..)', '\uff0e\uff0e'],
  ['a two-dot leader (NFKC: ..)', '\u2025'],
  ['a fullwidth solidus (NFKC: /)', `${MARK}\uff0fx`],
  ['a lone surrogate (encodeURIComponent throws)', `${MARK}\ud800`],
  ['a number', 42],
  ['undefined', undefined],
  ['null', null],
]

/** A 2,048-bit RSA modulus (base64url), for the add-key body. */
const MODULUS_2048 = `w${'A'.repeat(341)}`

/** One argument of an operation: an id (named as the parameter) or a fixed value. */
type Arg = { id: string } | { value: unknown }
const id = (name: string): Arg => ({ id: name })
const value = (v: unknown): Arg => ({ value: v })

const VALID: Record<string, string> = {
  serverId: SERVER_ID,
  policyId: POLICY_ID,
  ruleId: '0pr5m9xrrBffPd9ah0g4',
  scopeId: 'scpainazg3Ekay92V0h7',
  claimId: 'oclain6za1HQ0noop0h7',
  appId: APP_ID,
  grantId: 'oag3ih1zrm1cBFOiq0h6',
  keyId: 'RQ8DuhdxCczyMvy7GNJb4Ka3lQ99vrSo3oFBUiZjzzc',
  clientId: '0oabskvc6442nkvQO0h7',
  tokenId: 'oar579Mcp7OUsNTlo0g3',
  associatedServerId: 'aus6xt9jKPmCyn6kg0g4',
}

/**
 * Every operation of every resource, with its arguments. The test below
 * enumerates the client's methods and fails on one missing here, so a new
 * operation cannot skip this check.
 */
const SIGNATURES: Record<string, Arg[]> = {
  'authorizationServers.list': [],
  'authorizationServers.get': [id('serverId')],
  'authorizationServers.create': [value(CREATE_SERVER_BODY)],
  'authorizationServers.update': [id('serverId'), value(CREATE_SERVER_BODY)],
  'authorizationServers.delete': [id('serverId')],
  'authorizationServers.activate': [id('serverId')],
  'authorizationServers.deactivate': [id('serverId')],
  'policies.list': [id('serverId')],
  'policies.get': [id('serverId'), id('policyId')],
  'policies.create': [id('serverId'), value(CREATE_POLICY_BODY)],
  'policies.update': [id('serverId'), id('policyId'), value(CREATE_POLICY_BODY)],
  'policies.delete': [id('serverId'), id('policyId')],
  'policies.activate': [id('serverId'), id('policyId')],
  'policies.deactivate': [id('serverId'), id('policyId')],
  'policyRules.list': [id('serverId'), id('policyId')],
  'policyRules.get': [id('serverId'), id('policyId'), id('ruleId')],
  'policyRules.create': [id('serverId'), id('policyId'), value(RULE_BODY)],
  'policyRules.update': [id('serverId'), id('policyId'), id('ruleId'), value(RULE_BODY)],
  'policyRules.delete': [id('serverId'), id('policyId'), id('ruleId')],
  'policyRules.activate': [id('serverId'), id('policyId'), id('ruleId')],
  'policyRules.deactivate': [id('serverId'), id('policyId'), id('ruleId')],
  'scopes.list': [id('serverId')],
  'scopes.get': [id('serverId'), id('scopeId')],
  'scopes.create': [id('serverId'), value(CREATE_SCOPE_BODY)],
  'scopes.update': [id('serverId'), id('scopeId'), value(CREATE_SCOPE_BODY)],
  'scopes.delete': [id('serverId'), id('scopeId')],
  'claims.list': [id('serverId')],
  'claims.get': [id('serverId'), id('claimId')],
  'claims.create': [id('serverId'), value(CREATE_CLAIM_BODY)],
  'claims.update': [id('serverId'), id('claimId'), value(CREATE_CLAIM_BODY)],
  'claims.delete': [id('serverId'), id('claimId')],
  'keys.list': [id('serverId')],
  'keys.get': [id('serverId'), id('keyId')],
  'keys.rotate': [id('serverId')],
  'keys.rotateAndWait': [id('serverId'), value({ interval: 10, publishTimeout: 50 })],
  'appGrants.grant': [id('appId'), value(GRANT_BODY)],
  'appGrants.list': [id('appId')],
  'appGrants.get': [id('appId'), id('grantId')],
  'appGrants.revoke': [id('appId'), id('grantId')],
  'clients.list': [id('serverId')],
  'refreshTokens.list': [id('serverId'), id('clientId')],
  'refreshTokens.get': [id('serverId'), id('clientId'), id('tokenId')],
  'refreshTokens.revoke': [id('serverId'), id('clientId'), id('tokenId')],
  'refreshTokens.revokeAll': [id('serverId'), id('clientId')],
  'associatedServers.list': [id('serverId')],
  'associatedServers.create': [id('serverId'), value({ trusted: [SERVER_ID] })],
  'associatedServers.delete': [id('serverId'), id('associatedServerId')],
  'resourceServerKeys.list': [id('serverId')],
  'resourceServerKeys.add': [id('serverId'), value({ kty: 'RSA', e: 'AQAB', n: MODULUS_2048 })],
  'resourceServerKeys.get': [id('serverId'), id('keyId')],
  'resourceServerKeys.delete': [id('serverId'), id('keyId')],
  'resourceServerKeys.activate': [id('serverId'), id('keyId')],
  'resourceServerKeys.deactivate': [id('serverId'), id('keyId')],
  'appTokens.list': [id('appId')],
  'appTokens.get': [id('appId'), id('tokenId')],
  'appTokens.revoke': [id('appId'), id('tokenId')],
  'appTokens.revokeAll': [id('appId')],
}

type Method = (...args: unknown[]) => unknown

/** Every operation of the client's resources, by `resource.method`. */
function operations(admin: AdminClient): Map<string, Method> {
  const found = new Map<string, Method>()
  for (const [resource, value] of Object.entries(admin)) {
    if (typeof value !== 'object' || value === null) continue
    for (const [method, fn] of Object.entries(value)) {
      if (typeof fn === 'function') found.set(`${resource}.${method}`, fn as Method)
    }
  }
  return found
}

/** Call an operation and return what it settles with: lists are read, promises awaited. */
async function outcome(call: () => unknown): Promise<unknown> {
  let result: unknown
  try {
    result = call()
  } catch (err) {
    throw new Error(`threw synchronously instead of rejecting: ${String(err)}`)
  }
  const list = result as { all?: () => Promise<unknown> }
  return rejectionOf(typeof list.all === 'function' ? list.all() : (result as Promise<unknown>))
}

/** A fetch that counts, then lets msw see the request (which no handler answers). */
function countingFetch(): { fetch: FetchLike; count: () => number } {
  let n = 0
  return {
    fetch: (input, init) => {
      n++
      return globalThis.fetch(input, init)
    },
    count: () => n,
  }
}

describe('paths: every operation refuses hostile ids before sending', () => {
  it('the signature table lists exactly the operations the client has', () => {
    expect([...operations(sswsClient()).keys()].sort()).toEqual(Object.keys(SIGNATURES).sort())
  })

  for (const auth of ['ssws', 'oauth'] as const) {
    it(`${auth}: each id parameter of each operation, with each hostile id → ERR_INVALID_OPTION, nothing sent`, async () => {
      const seen = record()
      const counter = countingFetch()
      const admin =
        auth === 'ssws'
          ? sswsClient({ fetch: counter.fetch })
          : oauthClient(
              await serviceKey(),
              ['okta.authorizationServers.manage', 'okta.apps.manage', 'okta.appGrants.manage'],
              {
                fetch: counter.fetch,
              },
            )
      let checked = 0
      for (const [name, method] of operations(admin)) {
        const signature = SIGNATURES[name]!
        for (let position = 0; position < signature.length; position++) {
          const arg = signature[position]!
          if (!('id' in arg)) continue
          for (const [label, hostile] of HOSTILE) {
            const args = signature.map((a, i) =>
              i === position ? hostile : 'id' in a ? VALID[a.id] : a.value,
            )
            const err = (await outcome(() => method(...args))) as InvalidOptionError
            const where = `${name} with ${arg.id} ${label}`
            expect(err, where).toBeInstanceOf(InvalidOptionError)
            expect(err.code, where).toBe('ERR_INVALID_OPTION')
            expect(err.message, where).toContain(arg.id)
            if (typeof hostile === 'string' && hostile.includes(MARK)) {
              expect(err.message, where).not.toContain(MARK)
            }
            checked++
          }
        }
      }
      const idParameters = Object.values(SIGNATURES)
        .flat()
        .filter((a) => 'id' in a).length
      expect(idParameters).toBe(94)
      expect(checked).toBe(idParameters * HOSTILE.length)
      expect(seen).toHaveLength(0)
      expect(counter.count()).toBe(0)
    })
  }
})

describe('paths: the attacks of the audit', () => {
  // The API answers everything, so that a request that climbs would succeed
  // (as it did against a real org) and be counted, instead of failing as unhandled.
  function targets() {
    const hits: string[] = []
    server.use(
      http.all(`${API}/*`, ({ request }) => {
        hits.push(`${request.method} ${new URL(request.url).pathname}`)
        return new HttpResponse(null, { status: 204 })
      }),
    )
    return hits
  }

  it.each([
    [
      'policies.deactivate(serverId, "..")',
      (a: AdminClient) => a.policies.deactivate(SERVER_ID, '..'),
    ],
    ['policies.delete(serverId, "..")', (a: AdminClient) => a.policies.delete(SERVER_ID, '..')],
    ['appGrants.revoke(appId, "..")', (a: AdminClient) => a.appGrants.revoke(APP_ID, '..')],
    [
      'policies.delete(serverId, "%2e%2e")',
      (a: AdminClient) => a.policies.delete(SERVER_ID, '%2e%2e'),
    ],
    ['scopes.delete(serverId, ".\\t.")', (a: AdminClient) => a.scopes.delete(SERVER_ID, '.\t.')],
    [
      'policyRules.delete(serverId, "..", "..")',
      (a: AdminClient) => a.policyRules.delete(SERVER_ID, '..', '..'),
    ],
  ])('%s is refused, and nothing reaches the server', async (_, attack) => {
    const hits = targets()
    const err = await rejectionOf(attack(sswsClient()))
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(err.code).toBe('ERR_INVALID_OPTION')
    expect(hits).toEqual([])
  })

  it('ids that are only unusual are encoded into one segment and sent', async () => {
    const seen = record()
    server.use(http.all(`${API}/*`, () => new HttpResponse(null, { status: 204 })))
    const admin = sswsClient()
    await admin.scopes.delete('aus 1', 'a b?c#d')
    await admin.claims.delete('...', 'é:;@&=+$,')
    await admin.policies.delete('default', '.a')
    expect(seen.map((s) => s.url.pathname)).toEqual([
      '/api/v1/authorizationServers/aus%201/scopes/a%20b%3Fc%23d',
      '/api/v1/authorizationServers/.../claims/%C3%A9%3A%3B%40%26%3D%2B%24%2C',
      '/api/v1/authorizationServers/default/policies/.a',
    ])
  })
})

describe('paths: request()', () => {
  it.each([
    ['a TAB between dots (dropped by URL parsing, then ..)', '/users/.\t./groups'],
    ['a LF between dots', '/users/.\n./groups'],
    ['a CR', '/users/00u1\r/groups'],
    ['a NUL', '/users/00u1\0'],
  ])('refuses a path with %s before sending', async (_, path) => {
    const seen = record()
    const err = await rejectionOf(sswsClient().request('DELETE', path))
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(err.code).toBe('ERR_INVALID_OPTION')
    expect(seen).toHaveLength(0)
  })
})
