import fc from 'fast-check'
import { http } from 'msw'
import { beforeEach, describe, it } from 'vitest'
import { createClient, discover } from '../../../src/index.js'
import { oktaMetadata } from '../fake-issuer.js'
import { server } from '../msw.js'
import {
  anyJsonText,
  bodyAround,
  expectSafe,
  expectServerFault,
  marker,
  members,
  mostly,
  objectText,
  type ResponseSpec,
  RUNS,
  responseSpec,
  SDK_TIMEOUT,
  STALL_TIMEOUT,
  settle,
  str,
  TEST_TIMEOUT,
  toResponse,
} from './helpers.js'

// Discovery documents: whatever the server publishes, `discover` resolves
// with metadata or rejects with an SDK error, in bounded time, and prints no
// member of the document; a client built from what it resolves to works.

const ISSUER = 'https://example.okta.com/oauth2/default'
let answer: ResponseSpec

beforeEach(() => {
  server.use(
    http.get(`${ISSUER}/.well-known/openid-configuration`, () => toResponse(answer)),
    http.get(`${ISSUER}/.well-known/oauth-authorization-server`, () => toResponse(answer)),
  )
})

const url = (path: string) =>
  mostly(
    fc.constant(`${ISSUER}${path}`),
    marker,
    marker.map((m) => `http://evil.example/${m}`),
    marker.map((m) => `javascript:${m}`),
    fc.constantFrom('', '/relative', 'https://', 'https://[::1', 'https://user:pw@x/'),
  )

const strings = (...values: string[]) =>
  mostly(
    fc.constant(JSON.stringify(values)),
    fc.array(marker, { maxLength: 3 }).map((a) => JSON.stringify(a)),
    fc.constant(JSON.stringify(values.join(' '))),
    anyJsonText,
  )

const documentMembers = members(
  {
    issuer: str(
      mostly(
        fc.constant(ISSUER),
        fc.constant(`${ISSUER}/`),
        fc.constant(`${ISSUER}//`),
        fc.constant(ISSUER.toUpperCase()),
        fc.constant('https://example.okta.com/oauth2/other'),
        marker,
      ),
    ),
    authorization_endpoint: str(url('/v1/authorize')),
    token_endpoint: str(url('/v1/token')),
    jwks_uri: str(url('/v1/keys')),
    userinfo_endpoint: str(url('/v1/userinfo')),
    introspection_endpoint: str(url('/v1/introspect')),
    end_session_endpoint: str(url('/v1/logout')),
    response_types_supported: strings('code', 'id_token', 'code id_token'),
    response_modes_supported: strings('query', 'fragment', 'form_post', 'okta_post_message'),
    id_token_signing_alg_values_supported: strings('RS256'),
    token_endpoint_auth_methods_supported: strings('client_secret_basic', 'private_key_jwt'),
    code_challenge_methods_supported: strings('S256'),
    authorization_response_iss_parameter_supported: mostly(fc.constant('true'), anyJsonText),
  },
  { extraNames: ['mtls_endpoint_aliases', 'pushed_authorization_request_endpoint'] },
)

const documents = responseSpec(bodyAround(documentMembers.map(objectText)), {
  headers: fc.array(
    fc.tuple(
      fc.constantFrom('location', 'cache-control', 'content-length'),
      fc.oneof(
        marker,
        marker.map((m) => `https://evil.example/${m}`),
        fc.constant('0'),
      ),
    ),
    { maxLength: 2 },
  ),
})

describe('discovery documents', () => {
  it.each(['openid-configuration', 'oauth-authorization-server'] as const)(
    '%s: any document resolves or rejects with a safe SDK error',
    async (wellKnown) => {
      await fc.assert(
        fc.asyncProperty(documents, async (spec) => {
          answer = spec
          const outcome = await settle(() =>
            discover(ISSUER, {
              wellKnown,
              cacheTtl: 0,
              timeout: spec.stall ? STALL_TIMEOUT : SDK_TIMEOUT,
            }),
          )
          expectSafe(outcome, { label: `discover ${wellKnown}` })
          expectServerFault(outcome)
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

describe('metadata that discover accepted', () => {
  // Fails today (core): discover() accepts members of the wrong type (e.g.
  // `id_token_signing_alg_values_supported: 0`, `response_types_supported:
  // "code"`), then createClient and authorizationUrl throw raw TypeErrors
  // (`….filter is not a function`, `supported.some is not a function`).
  it(
    'builds a client and an authorization URL, or fails with SDK errors',
    async () => {
      await fc.assert(
        fc.asyncProperty(documentMembers, async (document) => {
          answer = {
            status: 200,
            contentType: 'application/json',
            headers: [],
            body: objectText(document),
          }
          const discovered = await settle(() => discover(ISSUER, { cacheTtl: 0 }))
          expectSafe(discovered)
          if (!discovered.ok) return
          const made = await settle(() =>
            createClient(discovered.value, {
              clientId: '0oa1example',
              redirectUri: 'https://app.example.com/callback',
            }),
          )
          expectSafe(made, { label: 'client from discovered metadata' })
          if (!made.ok) return
          const built = await settle(() =>
            made.value.authorizationUrl({ state: 'MARKstateValue000000' }),
          )
          expectSafe(built, { label: 'authorization URL from discovered metadata' })
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

describe('discovery, the control case', () => {
  it('the reference document resolves', async () => {
    answer = {
      status: 200,
      contentType: 'application/json',
      headers: [],
      body: JSON.stringify(oktaMetadata(ISSUER)),
    }
    const outcome = await settle(() => discover(ISSUER, { cacheTtl: 0 }))
    if (!outcome.ok) throw outcome.error
  })
})
