import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { http } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import { type AdminClient, createAdminClient } from '../../../src/admin/index.js'
import {
  APP_ID,
  AUTHORIZATION_SERVER_API,
  GRANT,
  KEYS_RESPONSE,
  POLICY,
  SCOPE,
  SERVER_ID,
} from '../admin/fixtures.js'
import { oauthClient, serviceKey, TOKEN_ENDPOINT } from '../admin/helpers.js'
import { server } from '../msw.js'
import {
  anyJsonText,
  bodyAround,
  contentTypeArb,
  expectSafe,
  headerValue,
  marker,
  members,
  mostly,
  nastyNumberText,
  objectText,
  type ResponseSpec,
  RUNS,
  responseSpec,
  SDK_TIMEOUT,
  STALL_TIMEOUT,
  settle,
  statusArb,
  str,
  TEST_TIMEOUT,
  toResponse,
  unmarked,
  unmarkedJsonText,
} from './helpers.js'

// Management API pages and error bodies: whatever the org answers (bodies,
// statuses, `Link` and rate-limit headers), list and get operations resolve
// or reject with an SDK error, in bounded time, and print neither the API
// token nor any member of a body (Okta's own error fields are kept by design).

const ORG = 'https://example.okta.com'
const API = `${ORG}/api/v1`
const TOKEN = 'MARKsswsApiTokenValue0'

/** The answers still to give, in order; then an empty last page. */
let queue: ResponseSpec[] = []
let admin: AdminClient

beforeEach(() => {
  server.use(
    http.all(`${API}/*`, () =>
      toResponse(
        queue.shift() ?? { status: 200, contentType: 'application/json', headers: [], body: '[]' },
      ),
    ),
  )
  admin = createAdminClient({
    orgUrl: ORG,
    auth: { type: 'ssws', token: TOKEN },
    timeout: SDK_TIMEOUT,
    // One quick retry at most: a 429 asking for longer is reported at once.
    retry: { limit: 1, maxDelay: 20 },
  })
})

/** The first item of a success example of today's spec (test/fixtures/okta-management). */
function specItem(operationId: string): Record<string, unknown> {
  const { operations } = JSON.parse(
    readFileSync(new URL('../../fixtures/okta-management/examples.json', import.meta.url), 'utf8'),
  ) as { operations: Record<string, { responses: Record<string, Record<string, unknown>> }> }
  const [example] = Object.values(Object.values(operations[operationId]!.responses)[0]!)
  return (Array.isArray(example) ? example[0] : example) as Record<string, unknown>
}
const CLIENT = specItem('listOAuth2ClientsForAuthorizationServer')
const REFRESH_TOKEN = specItem('listRefreshTokensForAuthorizationServerAndClient')
const APP_TOKEN = specItem('getOAuth2TokenForApplication')
const ASSOCIATED_SERVER = specItem('listAssociatedServersByTrustedType')
const RESOURCE_KEY = specItem('getOAuth2ResourceServerJsonWebKey')
const SIGNING_KEY = specItem('getAuthorizationServerKey')

/** Any JSON value, member names and values marked: a data-model error names only model fields. */
const wrongValue = anyJsonText

/** A resource of the API with one member spoiled or marked, or something else entirely. */
function item(good: Record<string, unknown>): fc.Arbitrary<string> {
  const names = Object.keys(good)
  return mostly(
    fc.constant(JSON.stringify(good)),
    fc
      .tuple(fc.constantFrom(...names), marker)
      .map(([k, m]) => JSON.stringify({ ...good, [k]: m })),
    fc
      .tuple(fc.constantFrom(...names), wrongValue)
      .map(([k, v]) => JSON.stringify({ ...good, [k]: '__V__' }).replace('"__V__"', v)),
    marker.map((m) => JSON.stringify({ ...good, _links: { self: { href: m } }, [m]: m })),
    wrongValue,
  )
}

const page = (good: Record<string, unknown>) =>
  fc.array(item(good), { maxLength: 3 }).map((items) => `[${items.join(',')}]`)

/** Okta's error body: its own fields are echoed by design (never marked); the rest is. */
const oktaError = members(
  {
    errorCode: str(mostly(fc.constant('E0000001'), unmarked)),
    errorSummary: str(unmarked),
    errorLink: str(unmarked),
    errorId: str(unmarked),
    errorCauses: mostly(
      unmarked.map((u) => JSON.stringify([{ errorSummary: u }])),
      unmarkedJsonText,
    ),
  },
  { echoed: ['errorCode', 'errorSummary', 'errorLink', 'errorId', 'errorCauses'] },
)

const NEXT = `${API}/authorizationServers?after=`

/** `Link` headers, well and badly formed, pointing home and away. */
const link: fc.Arbitrary<string> = fc.oneof(
  marker.map((m) => `<${NEXT}${m}>; rel="next"`),
  marker.map((m) => `<${NEXT}${m}>; rel="self", <${NEXT}${m}2>; rel="next"`),
  marker.map((m) => `<https://evil.example/api/v1/x?${m}>; rel="next"`),
  marker.map((m) => `<${m}>; rel=next`),
  marker.map((m) => `<//evil.example/${m}>; rel="next"`),
  marker.map((m) => `<http://[::1${m}>; rel=next`),
  marker.map((m) => `<${NEXT}${m}>; rel="prev next"; title="${m}"`),
  marker.map((m) => `${NEXT}${m}; rel=next`),
  marker.map((m) => `<${NEXT}${m}>;;;; rel = "NEXT" ,,, <${NEXT}${m}>; rel=next`),
  fc.constantFrom(`<${NEXT}same>; rel="next"`, '<>; rel="next"', '<', '>; rel=next', ''),
  headerValue,
)

const rateHeaders = fc.array(
  fc.tuple(
    fc.constantFrom(
      'x-rate-limit-limit',
      'x-rate-limit-remaining',
      'x-rate-limit-reset',
      'retry-after',
      'date',
    ),
    fc.oneof(nastyNumberText, marker, fc.constantFrom('', 'Thu, 01 Jan 1970 00:00:00 GMT')),
  ),
  { maxLength: 3 },
)

function answer(body: fc.Arbitrary<string>): fc.Arbitrary<ResponseSpec> {
  return fc.record({
    status: statusArb(200),
    contentType: contentTypeArb,
    headers: fc
      .tuple(fc.option(link, { nil: undefined }), rateHeaders)
      .map(([l, rate]) => [...(l === undefined ? [] : [['link', l] as const]), ...rate]),
    body: fc.oneof(
      { arbitrary: bodyAround(body), weight: 4 },
      { arbitrary: bodyAround(oktaError.map(objectText)), weight: 1 },
    ),
  })
}

const LISTS: Record<string, [fc.Arbitrary<string>, (a: AdminClient) => Promise<unknown>]> = {
  'authorizationServers.list': [
    page(AUTHORIZATION_SERVER_API),
    (a) => a.authorizationServers.list({ limit: 2 }).all(50),
  ],
  'policies.list': [page(POLICY), (a) => a.policies.list(SERVER_ID).all(50)],
  'scopes.list': [page(SCOPE), (a) => a.scopes.list(SERVER_ID).all(50)],
  'appGrants.list': [page(GRANT), (a) => a.appGrants.list(APP_ID).all(50)],
  'clients.list': [page(CLIENT), (a) => a.clients.list(SERVER_ID).all(50)],
  'refreshTokens.list': [
    page(REFRESH_TOKEN),
    (a) => a.refreshTokens.list(SERVER_ID, APP_ID, { expand: 'scope' }).all(50),
  ],
  'associatedServers.list': [
    page(ASSOCIATED_SERVER),
    (a) => a.associatedServers.list(SERVER_ID, { trusted: true }).all(50),
  ],
  'resourceServerKeys.list': [
    page(RESOURCE_KEY),
    (a) => a.resourceServerKeys.list(SERVER_ID).all(50),
  ],
  'appTokens.list': [page(APP_TOKEN), (a) => a.appTokens.list(APP_ID).all(50)],
}

const GETS: Record<string, [fc.Arbitrary<string>, (a: AdminClient) => Promise<unknown>]> = {
  'authorizationServers.get': [
    item(AUTHORIZATION_SERVER_API),
    (a) => a.authorizationServers.get(SERVER_ID),
  ],
  'policies.get': [item(POLICY), (a) => a.policies.get(SERVER_ID, 'MARKpolicyIdValue00')],
  'keys.list': [
    fc.oneof(item(KEYS_RESPONSE), page(KEYS_RESPONSE.keys[0]!)),
    (a) => a.keys.list(SERVER_ID),
  ],
  'appGrants.get': [item(GRANT), (a) => a.appGrants.get(APP_ID, 'MARKgrantIdValue000')],
  'refreshTokens.get': [
    item(REFRESH_TOKEN),
    (a) => a.refreshTokens.get(SERVER_ID, APP_ID, 'MARKtokenIdValue000'),
  ],
  'resourceServerKeys.get': [
    item(RESOURCE_KEY),
    (a) => a.resourceServerKeys.get(SERVER_ID, 'MARKkeyIdValue00000'),
  ],
  'keys.get': [item(SIGNING_KEY), (a) => a.keys.get(SERVER_ID, 'MARKkidValue0000000')],
  'appTokens.get': [item(APP_TOKEN), (a) => a.appTokens.get(APP_ID, 'MARKtokenIdValue000')],
  'request (no schema)': [anyJsonText, (a) => a.request('GET', '/users/me')],
}

describe('management API answers', () => {
  it.each(Object.keys(LISTS))(
    '%s: any pages resolve or reject with a safe SDK error',
    async (name) => {
      const [body, run] = LISTS[name]!
      await fc.assert(
        fc.asyncProperty(fc.array(answer(body), { minLength: 1, maxLength: 3 }), async (pages) => {
          queue = [...pages]
          const outcome = await settle(() => run(admin))
          expectSafe(outcome, { secrets: [TOKEN], label: name })
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )

  it.each(Object.keys(GETS))(
    '%s: any answer resolves or rejects with a safe SDK error',
    async (name) => {
      const [body, run] = GETS[name]!
      await fc.assert(
        fc.asyncProperty(answer(body), async (spec) => {
          queue = [spec, spec]
          const outcome = await settle(() => run(admin))
          expectSafe(outcome, { secrets: [TOKEN], label: name })
          // A typed operation resolves with what its model promises, never nothing.
          if (outcome.ok && name !== 'request (no schema)') {
            expect(outcome.value).toBeTypeOf('object')
          }
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

describe('OAuth for Okta token answers', () => {
  it(
    'any token answer makes a read resolve or reject with a safe SDK error',
    async () => {
      const key = await serviceKey()
      const tokenMembers = members({
        access_token: str(marker),
        token_type: str(mostly(fc.constant('Bearer'), fc.constantFrom('DPoP', 'mac'), marker)),
        expires_in: mostly(fc.constant('3600'), nastyNumberText),
        scope: str(
          mostly(
            fc.constant('okta.authorizationServers.read'),
            fc.constantFrom('', 'okta.apps.read', 'okta.authorizationServers.read  x'),
            marker,
          ),
        ),
      })
      const errorMembers = members(
        {
          error: str(fc.constantFrom('invalid_scope', 'invalid_client')),
          error_description: str(unmarked),
        },
        { echoed: ['error', 'error_description'] },
      )
      const tokenAnswer = fc.oneof(
        { arbitrary: responseSpec(bodyAround(tokenMembers.map(objectText))), weight: 3 },
        {
          arbitrary: responseSpec(bodyAround(errorMembers.map(objectText)), { expected: 400 }),
          weight: 1,
        },
      )
      let token: ResponseSpec | undefined
      server.use(http.post(TOKEN_ENDPOINT, () => toResponse(token!)))
      await fc.assert(
        fc.asyncProperty(tokenAnswer, async (spec) => {
          token = spec
          queue = [okServer, okServer]
          const oauth = oauthClient(key, ['okta.authorizationServers.read'], {
            timeout: spec.stall ? STALL_TIMEOUT : SDK_TIMEOUT,
            retry: { limit: 0 },
          })
          const outcome = await settle(() => oauth.authorizationServers.get(SERVER_ID))
          expectSafe(outcome, { secrets: [key.pem], label: 'oauth for okta' })
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

const okServer: ResponseSpec = {
  status: 200,
  contentType: 'application/json',
  headers: [],
  body: JSON.stringify(AUTHORIZATION_SERVER_API),
}
