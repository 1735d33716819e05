import { HttpResponse, http, type JsonBodyType } from 'msw'
import { describe, expect, it } from 'vitest'
import { type AdminClient, OktaApiError, RequestValidationError } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { API, jsonOf, record, rejectionOf, sswsClient } from './helpers.js'
import { APP, type Example, keyOf, REPAIRS, repaired, SERVER, spec } from './openapi/spec.js'

// Every example of Okta's current spec (Admin Management API 5.1.0,
// management.yaml) for the authorization-server operations the admin client
// covers: each success response example is answered to the client's own
// call and must be read (unknown fields kept), each request example must be
// accepted by the exact input models and sent as the API defines it, and
// each error example must give an OktaApiError with its fields.
//
// The fixture `openapi/examples.json` is extracted from the spec, verbatim,
// by `scripts/extract-openapi-examples.py` (the spec is not in the
// repository). The spec's examples have a few evident defects; the repairs
// of `openapi/spec.ts` are applied where they are needed and are listed, so a
// new spec that fixes them shows up here.

type Call = (admin: AdminClient, body?: unknown) => Promise<unknown>

/** The client's call for each of the 37 operations it has had, with the example body where one goes. */
const OPERATIONS: Record<string, Call> = {
  listScopeConsentGrants: (a) => a.appGrants.list(APP).all(),
  grantConsentToScope: (a, b) => a.appGrants.grant(APP, b as never),
  getScopeConsentGrant: (a) => a.appGrants.get(APP, 'oag1'),
  revokeScopeConsentGrant: (a) => a.appGrants.revoke(APP, 'oag1'),
  listAuthorizationServers: (a) => a.authorizationServers.list().all(),
  createAuthorizationServer: (a, b) => a.authorizationServers.create(b as never),
  getAuthorizationServer: (a) => a.authorizationServers.get(SERVER),
  replaceAuthorizationServer: (a, b) => a.authorizationServers.update(SERVER, b as never),
  deleteAuthorizationServer: (a) => a.authorizationServers.delete(SERVER),
  activateAuthorizationServer: (a) => a.authorizationServers.activate(SERVER),
  deactivateAuthorizationServer: (a) => a.authorizationServers.deactivate(SERVER),
  listOAuth2Claims: (a) => a.claims.list(SERVER).all(),
  createOAuth2Claim: (a, b) => a.claims.create(SERVER, b as never),
  getOAuth2Claim: (a) => a.claims.get(SERVER, 'ocl1'),
  replaceOAuth2Claim: (a, b) => a.claims.update(SERVER, 'ocl1', b as never),
  deleteOAuth2Claim: (a) => a.claims.delete(SERVER, 'ocl1'),
  listAuthorizationServerKeys: (a) => a.keys.list(SERVER),
  rotateAuthorizationServerKeys: (a, b) => a.keys.rotate(SERVER, b as never),
  listAuthorizationServerPolicies: (a) => a.policies.list(SERVER).all(),
  createAuthorizationServerPolicy: (a, b) => a.policies.create(SERVER, b as never),
  getAuthorizationServerPolicy: (a) => a.policies.get(SERVER, 'pol1'),
  replaceAuthorizationServerPolicy: (a, b) => a.policies.update(SERVER, 'pol1', b as never),
  deleteAuthorizationServerPolicy: (a) => a.policies.delete(SERVER, 'pol1'),
  activateAuthorizationServerPolicy: (a) => a.policies.activate(SERVER, 'pol1'),
  deactivateAuthorizationServerPolicy: (a) => a.policies.deactivate(SERVER, 'pol1'),
  listAuthorizationServerPolicyRules: (a) => a.policyRules.list(SERVER, 'pol1').all(),
  createAuthorizationServerPolicyRule: (a, b) => a.policyRules.create(SERVER, 'pol1', b as never),
  getAuthorizationServerPolicyRule: (a) => a.policyRules.get(SERVER, 'pol1', 'rul1'),
  replaceAuthorizationServerPolicyRule: (a, b) =>
    a.policyRules.update(SERVER, 'pol1', 'rul1', b as never),
  deleteAuthorizationServerPolicyRule: (a) => a.policyRules.delete(SERVER, 'pol1', 'rul1'),
  activateAuthorizationServerPolicyRule: (a) => a.policyRules.activate(SERVER, 'pol1', 'rul1'),
  deactivateAuthorizationServerPolicyRule: (a) => a.policyRules.deactivate(SERVER, 'pol1', 'rul1'),
  listOAuth2Scopes: (a) => a.scopes.list(SERVER).all(),
  createOAuth2Scope: (a, b) => a.scopes.create(SERVER, b as never),
  getOAuth2Scope: (a) => a.scopes.get(SERVER, 'scp1'),
  replaceOAuth2Scope: (a, b) => a.scopes.update(SERVER, 'scp1', b as never),
  deleteOAuth2Scope: (a) => a.scopes.delete(SERVER, 'scp1'),
}

/** The 19 operations added on the h15-new branch, with their own tests there. */
const ADDED_ELSEWHERE = [
  'listOAuth2TokensForApplication',
  'revokeOAuth2TokensForApplication',
  'getOAuth2TokenForApplication',
  'revokeOAuth2TokenForApplication',
  'listAssociatedServersByTrustedType',
  'createAssociatedServers',
  'deleteAssociatedServer',
  'listOAuth2ClientsForAuthorizationServer',
  'listRefreshTokensForAuthorizationServerAndClient',
  'revokeRefreshTokensForAuthorizationServerAndClient',
  'getRefreshTokenForAuthorizationServerAndClient',
  'revokeRefreshTokenForAuthorizationServerAndClient',
  'getAuthorizationServerKey',
  'listOAuth2ResourceServerJsonWebKeys',
  'addOAuth2ResourceServerJsonWebKey',
  'getOAuth2ResourceServerJsonWebKey',
  'deleteOAuth2ResourceServerJsonWebKey',
  'activateOAuth2ResourceServerJsonWebKey',
  'deactivateOAuth2ResourceServerJsonWebKey',
]

const examples = (spec.examples as Example[]).filter((e) => e.operationId in OPERATIONS)
const responses = examples.filter((e) => e.kind === 'response')
const requests = examples.filter((e) => e.kind === 'request')
const BODY_OF: Record<string, unknown> = Object.fromEntries(
  requests.map((e) => [e.operationId, repaired(e)]),
)

/** Answer every management API request with `status` and `body` (no body for 204). */
function answer(status: number, body: unknown): void {
  const reply = () =>
    status === 204
      ? new HttpResponse(null, { status })
      : HttpResponse.json(body as JsonBodyType, { status })
  server.use(http.all(`${API}/*`, reply))
}

/** Whether `read` holds every field of `example`, recursively (the client may add fields). */
function keeps(read: unknown, example: unknown): void {
  expect(read).toMatchObject(example as object)
}

describe('the spec examples (Admin Management API 5.1.0)', () => {
  it('the fixture covers the 56 operations: 37 here, 19 added on h15-new', () => {
    expect(spec.source).toMatch(/5\.1\.0/)
    const ids = spec.operations.map((o) => o.operationId).sort()
    expect(ids).toHaveLength(56)
    expect(ids).toEqual([...Object.keys(OPERATIONS), ...ADDED_ELSEWHERE].sort())
    // Each of the 37 has a success example, except the 6 deletes and 6 lifecycle operations.
    expect(new Set(responses.map((e) => e.operationId)).size).toBe(25)
    expect(requests).toHaveLength(13)
  })

  it('each listed repair is still needed', () => {
    for (const key of Object.keys(REPAIRS)) {
      const e = examples.find((x) => keyOf(x) === key)
      expect(e, key).toBeDefined()
      expect(repaired(e!), key).not.toEqual(e!.value)
    }
  })

  it.each(responses.map((e) => [keyOf(e), e] as const))(
    'response %s is read by the client, every field kept',
    async (_, e) => {
      answer(e.status!, repaired(e))
      const call = OPERATIONS[e.operationId]!
      const result = await call(sswsClient(), BODY_OF[e.operationId])
      keeps(result, repaired(e))
    },
  )

  it.each(requests.map((e) => [keyOf(e), e] as const))(
    'request %s passes the exact input model and is sent as the API defines it',
    async (_, e) => {
      const seen = record()
      // The call's own answer: any success example of the operation.
      const reply = responses.find((r) => r.operationId === e.operationId)
      answer(reply?.status ?? 200, reply ? repaired(reply) : {})
      await OPERATIONS[e.operationId]!(sswsClient(), repaired(e))
      expect(seen).toHaveLength(1)
      // Sent as given: every example already has today's shapes
      // (group_filter_type, actions.token, type RESOURCE_ACCESS).
      expect(await jsonOf(seen[0])).toEqual(repaired(e))
    },
  )

  it('a request example with a field the model does not name would be refused', async () => {
    // The unrepaired policy example (`clients"`) is exactly the typo the exact models catch.
    const raw = requests.find((e) => e.operationId === 'createAuthorizationServerPolicy')!
    const err = await rejectionOf(OPERATIONS[raw.operationId]!(sswsClient(), raw.value))
    expect(err).toBeInstanceOf(RequestValidationError)
    expect(err.issues).toContainEqual({
      path: 'conditions.clients\\"',
      message: 'is not a field of this model (a typo?)',
    })
  })

  const errors = Object.entries(
    spec.errors as Record<string, { status: number; value: unknown; operations: string[] }>,
  ).filter(([, e]) => e.operations.some((id) => id in OPERATIONS))

  it.each(errors)('error %s gives an OktaApiError with its fields', async (_, e) => {
    const operationId = e.operations.find((id) => id in OPERATIONS)!
    answer(e.status, e.value)
    const err = await rejectionOf(
      OPERATIONS[operationId]!(sswsClient({ retry: { limit: 0 } }), BODY_OF[operationId]),
    )
    expect(err).toBeInstanceOf(OktaApiError)
    const body = e.value as {
      errorCode: string
      errorSummary: string
      errorLink: string
      errorId: string
      errorCauses: { errorSummary: string }[]
    }
    expect(err).toMatchObject({
      status: e.status,
      errorCode: body.errorCode,
      errorSummary: body.errorSummary,
      errorLink: body.errorLink,
      errorId: body.errorId,
      errorCauses: body.errorCauses.map((c) => ({ errorSummary: c.errorSummary })),
    })
  })
})
