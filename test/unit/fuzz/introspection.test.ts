import fc from 'fast-check'
import { beforeEach, describe, it } from 'vitest'
import type { Client } from '../../../src/index.js'
import { createVerifier } from '../../../src/verifier/index.js'
import type { Verifier } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  anyJsonText,
  bodyAround,
  expectSafe,
  expectServerFault,
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
  str,
  TEST_TIMEOUT,
  toResponse,
  unmarked,
} from './helpers.js'

// Introspection responses (RFC 7662), read by the core client and by the
// verifier's introspection fallback: any answer resolves or rejects with an
// SDK error, in bounded time, and no token or member value is printed.

const AUDIENCE = 'api://default'
const SECRET = 'MARKintrospectionSecret'
const T0 = 1_750_000_000_000
const NOW_S = T0 / 1000

let fake: FakeIssuer
let client: Client
let answer: ResponseSpec

beforeEach(async () => {
  fake = await createFakeIssuer()
  fake.on('/v1/introspect', () => toResponse(answer))
  client = fake.client({
    auth: { method: 'client_secret_basic', clientSecret: SECRET },
    timeout: SDK_TIMEOUT,
    now: () => T0,
  })
})

const time = (around: number) =>
  mostly(fc.integer({ min: around - 100, max: around + 100 }).map(String), nastyNumberText)

const introspectionMembers = members(
  {
    active: mostly(fc.constant('true'), fc.constantFrom('false', '"true"', '1', 'null')),
    scope: str(mostly(fc.constant('openid orders:read'), marker)),
    client_id: str(marker),
    username: str(marker),
    token_type: str(
      mostly(fc.constant('Bearer'), fc.constantFrom('refresh_token', 'DPoP'), marker),
    ),
    exp: time(NOW_S + 3600),
    iat: time(NOW_S),
    nbf: time(NOW_S),
    sub: str(marker),
    aud: mostly(
      fc.constant(JSON.stringify(AUDIENCE)),
      fc.constant(JSON.stringify([AUDIENCE, 'MARKotherAudience00'])),
      marker.map((m) => JSON.stringify(m)),
    ),
    // An untrusted iss is shown in the error by design (issue 14): not marked.
    iss: str(mostly(fc.constant(ISSUER), fc.constant(`${ISSUER}/`), unmarked)),
    jti: str(marker),
    uid: str(marker),
    scp: mostly(fc.constant('["orders:read"]'), anyJsonText),
  },
  { echoed: ['iss'] },
)

const errorMembers = members(
  {
    error: str(fc.oneof(fc.constant('invalid_client'), unmarked)),
    error_description: str(unmarked),
  },
  { echoed: ['error', 'error_description'] },
)

const answers = fc.oneof(
  { arbitrary: responseSpec(bodyAround(introspectionMembers.map(objectText))), weight: 4 },
  {
    arbitrary: responseSpec(bodyAround(errorMembers.map(objectText)), { expected: 401 }),
    weight: 1,
  },
)

describe('introspection responses', () => {
  it(
    'client.introspect: any answer resolves or rejects with a safe SDK error',
    async () => {
      await fc.assert(
        fc.asyncProperty(answers, marker, async (spec, token) => {
          answer = spec
          const outcome = await settle(() =>
            client.introspect(
              token,
              { tokenTypeHint: 'access_token' },
              { timeout: spec.stall ? STALL_TIMEOUT : SDK_TIMEOUT },
            ),
          )
          expectSafe(outcome, { secrets: [SECRET], label: 'introspect' })
          expectServerFault(outcome)
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )

  it(
    'the verifier fallback: any answer resolves or rejects with a safe SDK error',
    async () => {
      let verifier: Verifier | undefined
      await fc.assert(
        fc.asyncProperty(answers, marker, async (spec, token) => {
          answer = spec
          verifier ??= createVerifier({
            issuer: ISSUER,
            audience: AUDIENCE,
            now: () => T0,
            timeout: SDK_TIMEOUT,
            introspection: {
              clientId: '0oaresource',
              auth: { method: 'client_secret_basic', clientSecret: SECRET },
              cacheTtl: 1,
            },
          })
          const v = verifier
          const call = { timeout: spec.stall ? STALL_TIMEOUT : SDK_TIMEOUT }
          const outcome = await settle(() => v.verifyAccessToken(token, call))
          expectSafe(outcome, { secrets: [SECRET, token], label: 'verifier introspection' })
          expectServerFault(outcome)
          const scoped = await settle(() =>
            v.verifyAccessToken(token, { ...call, scopes: ['orders:read'] }),
          )
          expectSafe(scoped, { secrets: [SECRET, token] })
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})
