import fc from 'fast-check'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { HttpResponse, http } from 'msw'
import { beforeAll, beforeEach, describe, it } from 'vitest'
import { type Client, createClient, type ServerMetadata } from '../../../src/index.js'
import { CLIENT_ID, ISSUER, oktaMetadata } from '../fake-issuer.js'
import { server } from '../msw.js'
import {
  bodyAround,
  buildIdToken,
  expectSafe,
  expectServerFault,
  idTokenClaims,
  idTokenRecipe,
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

// Token-endpoint responses (every grant), PAR and revocation responses:
// whatever the server answers, the grant resolves or rejects with an SDK
// error, in bounded time, and no value of the request or the answer is printed.

const T0 = 1_750_000_000_000
const NOW_S = T0 / 1000
const KID = 'k1'
const SECRET = 'MARKclientSecretValue0001'
const PLACEHOLDER = '"__ID_TOKEN__"'
const NONCE = 'MARKnonceSentInRequest0'
const CODE = 'MARKauthorizationCode00'
const VERIFIER = 'MARKcodeVerifier-0123456789abcdefghijklmnopqrstuv'
const REFRESH = 'MARKrefreshTokenSent000'

let signingKey: CryptoKey
let metadata: ServerMetadata
let client: Client
let answer: ResponseSpec
let idToken = ''
let jwk: JWK

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  signingKey = pair.privateKey as CryptoKey
  jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }
  metadata = {
    ...oktaMetadata(),
    pushed_authorization_request_endpoint: `${ISSUER}/v1/par`,
  }
})

beforeEach(() => {
  server.use(
    http.get(`${ISSUER}/v1/keys`, () => HttpResponse.json({ keys: [jwk] })),
    ...['/v1/token', '/v1/par', '/v1/revoke'].map((path) =>
      http.post(`${ISSUER}${path}`, () =>
        // The ID token goes in as a JSON string wherever the placeholder stands.
        toResponse(
          typeof answer.body === 'string'
            ? { ...answer, body: answer.body.replaceAll(PLACEHOLDER, JSON.stringify(idToken)) }
            : answer,
        ),
      ),
    ),
  )
  client = createClient(metadata, {
    clientId: CLIENT_ID,
    redirectUri: 'https://app.example.com/callback',
    auth: { method: 'client_secret_basic', clientSecret: SECRET },
    timeout: SDK_TIMEOUT,
    now: () => T0,
  })
})

const tokenMembers = members(
  {
    access_token: str(marker),
    token_type: str(
      mostly(fc.constant('Bearer'), fc.constantFrom('bearer', 'DPoP', 'mac', 'N_A'), marker),
    ),
    expires_in: mostly(fc.constant('3600'), nastyNumberText, fc.constant('"3600"')),
    refresh_token: str(marker),
    scope: str(mostly(fc.constant('openid profile'), marker)),
    id_token: fc.constant(PLACEHOLDER),
  },
  { extraNames: ['request_uri', 'issued_token_type'] },
)

const errorMembers = members(
  {
    error: str(
      fc.oneof(fc.constantFrom('invalid_grant', 'invalid_client', 'invalid_scope', ''), unmarked),
    ),
    // Echoed by design (fields and message): never marked.
    error_description: str(unmarked),
    error_uri: str(unmarked),
  },
  { echoed: ['error', 'error_description', 'error_uri'] },
)

const parMembers = members({
  request_uri: str(fc.oneof(fc.constant('urn:ietf:params:oauth:request_uri:x'), marker)),
  expires_in: mostly(fc.constant('60'), nastyNumberText),
})

function answers(success: fc.Arbitrary<string>): fc.Arbitrary<ResponseSpec> {
  return fc.oneof(
    { arbitrary: responseSpec(bodyAround(success), { expected: 200 }), weight: 3 },
    {
      arbitrary: responseSpec(bodyAround(errorMembers.map(objectText)), { expected: 400 }),
      weight: 1,
    },
  )
}

const idTokens = (options: { critMarkers?: boolean } = {}) =>
  idTokenRecipe(KID, idTokenClaims(ISSUER, CLIENT_ID, NOW_S, NONCE), options)

type Call = { timeout?: number }

const GRANTS: Record<string, (c: Client, call: Call) => Promise<unknown>> = {
  'authorization code': (c, call) =>
    c.exchangeCode({ code: CODE, codeVerifier: VERIFIER, nonce: NONCE, maxAge: 3600 }, call),
  refresh: (c, call) => c.refresh(REFRESH, { expectedSubject: 'MARKexpectedSubject0' }, call),
  password: (c, call) =>
    c.password(
      { username: 'MARKusernameValue00', password: 'MARKpasswordValue00', scope: 'openid' },
      call,
    ),
  'client credentials': (c, call) => c.clientCredentials({ scope: 'orders:read' }, call),
}

/** A stalled answer gets a short SDK timeout, so the bound is proven without waiting long. */
const callFor = (spec: ResponseSpec): Call => (spec.stall ? { timeout: STALL_TIMEOUT } : {})

describe('token endpoint responses', () => {
  it.each(Object.keys(GRANTS))(
    '%s: any answer resolves or rejects with a safe SDK error',
    async (grant) => {
      await fc.assert(
        fc.asyncProperty(answers(tokenMembers.map(objectText)), idTokens(), async (spec, token) => {
          answer = spec
          idToken = await buildIdToken(token, signingKey, KID)
          const outcome = await settle(() => GRANTS[grant]!(client, callFor(spec)))
          expectSafe(outcome, { secrets: [SECRET, idToken], label: `${grant} any` })
          expectServerFault(outcome)
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )

  it.each(['authorization code', 'refresh', 'password'])(
    '%s: a well-formed answer with a hostile ID token is refused safely',
    async (grant) => {
      const body = objectText([
        ['access_token', '"MARKaccessTokenValue0"'],
        ['token_type', '"Bearer"'],
        ['expires_in', '3600'],
        ['id_token', PLACEHOLDER],
      ])
      answer = { status: 200, contentType: 'application/json', headers: [], body }
      await fc.assert(
        fc.asyncProperty(idTokens(), async (token) => {
          idToken = await buildIdToken(token, signingKey, KID)
          const outcome = await settle(() => GRANTS[grant]!(client, {}))
          expectSafe(outcome, { secrets: [SECRET, idToken], label: `${grant} id_token` })
          expectServerFault(outcome)
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

describe('other token-endpoint-style responses', () => {
  it(
    'PAR: any answer resolves or rejects with a safe SDK error',
    async () => {
      await fc.assert(
        fc.asyncProperty(answers(parMembers.map(objectText)), async (spec) => {
          answer = spec.status === 200 ? { ...spec, status: 201 } : spec
          const outcome = await settle(() =>
            client.authorizationUrl(
              { state: 'MARKstateParameter00' },
              { par: true, ...callFor(spec) },
            ),
          )
          expectSafe(outcome, { secrets: [SECRET], label: 'PAR' })
          expectServerFault(outcome)
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )

  it(
    'revocation: any answer resolves or rejects with a safe SDK error',
    async () => {
      await fc.assert(
        fc.asyncProperty(answers(fc.constantFrom('', '{}')), async (spec) => {
          answer = spec
          const outcome = await settle(() =>
            client.revoke('MARKrevokedTokenValue0', {}, callFor(spec)),
          )
          expectSafe(outcome, { secrets: [SECRET], label: 'revocation' })
          expectServerFault(outcome)
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

/** What a misbehaving custom `fetch` hands back instead of an answer. */
const misbehaviour = fc.oneof(
  fc.constantFrom('error response', 'informational', 'not a response', 'undefined'),
  fc.constantFrom('throws Error', 'throws TypeError', 'throws string', 'throws object'),
  fc.constantFrom('body errors', 'rejects later'),
)

/** A custom fetch that answers with `kind`, quoting the request in what it throws. */
function misbehavingFetch(kind: string) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const quoted = `MARKquoted ${String(input)} ${String(init?.body)}`
    switch (kind) {
      case 'error response':
        return Response.error()
      case 'informational': {
        const response = new Response('{"access_token":"MARKaccessTokenValue0"}')
        Object.defineProperty(response, 'status', { value: 101 })
        return response
      }
      case 'not a response':
        return { status: 200, MARKmember: quoted } as unknown as Response
      case 'undefined':
        return undefined as unknown as Response
      case 'throws Error':
        throw new Error(quoted)
      case 'throws TypeError':
        throw new TypeError(quoted)
      case 'throws string':
        throw quoted
      case 'throws object':
        throw { message: quoted, code: 'MARKcodeValue000000' }
      case 'body errors':
        return new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"access_token":"MARK'))
              controller.error(new Error(quoted))
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        )
      default:
        await new Promise((resolve) => setTimeout(resolve, 1))
        throw new Error(quoted)
    }
  }
}

describe('a custom fetch that misbehaves', () => {
  it(
    'every grant rejects with a safe SDK error, never quoting the request',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          misbehaviour,
          fc.constantFrom(...Object.keys(GRANTS)),
          async (kind, grant) => {
            const custom = createClient(metadata, {
              clientId: CLIENT_ID,
              redirectUri: 'https://app.example.com/callback',
              auth: { method: 'client_secret_post', clientSecret: SECRET },
              timeout: SDK_TIMEOUT,
              now: () => T0,
              fetch: misbehavingFetch(kind),
            })
            const outcome = await settle(() => GRANTS[grant]!(custom, {}))
            expectSafe(outcome, { secrets: [SECRET], label: `custom fetch ${kind}` })
          },
        ),
        { numRuns: 60 },
      )
    },
    TEST_TIMEOUT,
  )
})
