import fc from 'fast-check'
import { http } from 'msw'
import { beforeAll, beforeEach, describe, it } from 'vitest'
import { type Client, createClient, generateDPoPKeyPair } from '../../../src/index.js'
import { CLIENT_ID, ISSUER, oktaMetadata } from '../fake-issuer.js'
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
  unmarked,
} from './helpers.js'

// `WWW-Authenticate` challenges (and the bodies around them) from the
// userinfo endpoint and from resource servers: the call resolves or rejects
// with an SDK error, in bounded time, and prints neither the access token nor
// a value of the answer. The server's `error` and `error_description` are
// echoed by design (never marked); the parsed `challenges` are kept as data.

const RESOURCE = 'https://api.example.com/orders'
const TOKEN = 'MARKaccessTokenValue00'
let answer: ResponseSpec
let client: Client
/** The same client binding tokens with DPoP: it answers one `use_dpop_nonce` challenge. */
let dpopClient: Client
let keyPair: CryptoKeyPair

beforeAll(async () => {
  keyPair = await generateDPoPKeyPair()
})

beforeEach(() => {
  server.use(
    http.all(`${ISSUER}/v1/userinfo`, () => toResponse(answer)),
    http.all(RESOURCE, () => toResponse(answer)),
  )
  client = createClient(oktaMetadata(), { clientId: CLIENT_ID, timeout: SDK_TIMEOUT })
  dpopClient = createClient(oktaMetadata(), {
    clientId: CLIENT_ID,
    timeout: SDK_TIMEOUT,
    dpop: { keyPair },
  })
})

/** Characters that break challenge syntax: quotes, escapes, commas, equals signs. */
const breaker = fc.constantFrom('"', '\\', ',', '=', ' ', '""', '\\"', ',,', '= =')

/** A parameter value, quoted or not, with syntax breakers around a marker. */
const markedValue = fc.oneof(
  marker,
  marker.map((m) => `"${m}"`),
  fc.tuple(marker, breaker).map(([m, b]) => `"${m}${b}"`),
  fc.tuple(breaker, marker).map(([b, m]) => `${b}${m}`),
  marker.map((m) => `"${m}\\"${m}"`),
)

/** `error` and `error_description` values: hostile, but never marked. */
const echoedValue = fc.oneof(
  fc.constantFrom('invalid_token', 'insufficient_scope', 'use_dpop_nonce', 'invalid_request'),
  unmarked.map((u) => JSON.stringify(u)),
  unmarked.filter((u) => /^[\w.-]+$/.test(u)),
)

const param = fc.oneof(
  fc.tuple(fc.constantFrom('error', 'ERROR', 'error_description'), echoedValue),
  fc.tuple(
    fc.constantFrom('realm', 'scope', 'error_uri', 'algs', 'resource_metadata', '__proto__'),
    markedValue,
  ),
  fc.tuple(marker, markedValue),
)

const challenge = fc
  .record({
    scheme: mostly(
      fc.constantFrom('Bearer', 'DPoP'),
      fc.constantFrom('bearer', 'Basic', 'Negotiate', '', '"Bearer"'),
    ),
    params: fc.array(param, { maxLength: 4 }),
    joiner: mostly(fc.constant(', '), fc.constantFrom(',', ' ,', ',,', ' ', ';')),
    token68: fc.oneof(
      { arbitrary: fc.constant(''), weight: 6 },
      marker.map((m) => ` ${m}==`),
    ),
  })
  .map(
    ({ scheme, params, joiner, token68 }) =>
      `${scheme}${token68}${params.length ? ' ' : ''}${params.map(([k, v]) => `${k}=${v}`).join(joiner)}`,
  )

const wwwAuthenticate = fc.array(fc.array(challenge, { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 2,
})

/** A userinfo body: claims with markers, or an OAuth error body. */
const userinfoBody = fc.oneof(
  members({ sub: str(mostly(fc.constant('MARKsubjectValue00000'), marker)), email: str(marker) }),
  members(
    { error: str(fc.constant('invalid_token')), error_description: str(unmarked) },
    { echoed: ['error', 'error_description'] },
  ),
)

const answers = fc
  .tuple(
    responseSpec(bodyAround(userinfoBody.map(objectText)), {
      expected: 401,
      headers: fc.constant([]),
    }),
    fc.oneof({ arbitrary: wwwAuthenticate, weight: 6 }, fc.constant([])),
    fc.option(fc.oneof(anyJsonText, marker), { nil: undefined }),
  )
  .map(
    ([spec, lines, dpopNonce]): ResponseSpec => ({
      ...spec,
      status: spec.status === 200 ? 401 : spec.status,
      headers: [
        ...lines.map((line) => ['www-authenticate', line.join(', ')] as const),
        ...(dpopNonce === undefined ? [] : [['dpop-nonce', dpopNonce] as const]),
      ],
    }),
  )

const CALLS: Record<string, (call: { timeout: number }) => Promise<unknown>> = {
  'userinfo (expected subject)': (call) =>
    client.userinfo(TOKEN, { expectedSubject: 'MARKsubjectValue00000', ...call }),
  'userinfo (any subject)': (call) => client.userinfo(TOKEN, { skipSubjectCheck: true, ...call }),
  fetchProtected: (call) => client.fetchProtected(TOKEN, RESOURCE, call),
  'fetchProtected POST': (call) =>
    client.fetchProtected({ accessToken: TOKEN }, RESOURCE, {
      method: 'POST',
      body: 'MARKrequestBodyValue0',
      ...call,
    }),
  'userinfo with DPoP': (call) =>
    dpopClient.userinfo(TOKEN, { expectedSubject: 'MARKsubjectValue00000', ...call }),
  'fetchProtected with DPoP': (call) => dpopClient.fetchProtected(TOKEN, RESOURCE, call),
}

describe('WWW-Authenticate challenges', () => {
  it.each(Object.keys(CALLS))(
    '%s: any challenge resolves or rejects with a safe SDK error',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(answers, fc.boolean(), async (spec, ok) => {
          // Sometimes a 200 with the challenge: a resource server's answer is returned as is.
          answer = ok ? { ...spec, status: 200 } : spec
          const call = { timeout: spec.stall ? STALL_TIMEOUT : SDK_TIMEOUT }
          const outcome = await settle(() => CALLS[name]!(call))
          expectSafe(outcome, { secrets: [TOKEN], allow: ['challenges'], label: name })
          expectServerFault(outcome)
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})
