import fc from 'fast-check'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { HttpResponse, http } from 'msw'
import { beforeAll, beforeEach, describe, it } from 'vitest'
import {
  type AuthorizationTransaction,
  type Client,
  createClient,
  type ResponseMode,
  tokenHash,
} from '../../../src/index.js'
import { CLIENT_ID, ISSUER, oktaMetadata } from '../fake-issuer.js'
import { server } from '../msw.js'
import {
  anyJsonText,
  buildIdToken,
  expectSafe,
  type IdTokenRecipe,
  idTokenClaims,
  idTokenRecipe,
  marker,
  mostly,
  nastyString,
  RUNS,
  SDK_TIMEOUT,
  settle,
  signRaw,
  TEST_TIMEOUT,
  unmarked,
} from './helpers.js'

// Authorization responses, for every response mode and type, in every shape
// they can be handed over in (URLs, fragments, form bodies, Requests,
// postMessage objects): the callback resolves or rejects with an SDK error,
// in bounded time, and never prints a parameter value.

const REDIRECT = 'https://app.example.com/callback'
const KID = 'k1'
const T0 = 1_750_000_000_000
const NOW_S = T0 / 1000
const SLOT = {
  state: '@@STATE@@',
  nonce: '@@NONCE@@',
  idToken: '@@ID_TOKEN@@',
  cHash: '@@C_HASH@@',
  atHash: '@@AT_HASH@@',
}

let key: CryptoKey
let jwk: JWK
let client: Client
/** What the token endpoint signs into the back-channel ID token for the current run. */
let backChannel = { nonce: '', sub: '' }

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  key = pair.privateKey as CryptoKey
  jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }
})

beforeEach(() => {
  server.use(
    http.get(`${ISSUER}/v1/keys`, () => HttpResponse.json({ keys: [jwk] })),
    http.post(`${ISSUER}/v1/token`, async () =>
      HttpResponse.json({
        access_token: 'MARKbackChannelAccess0',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'MARKbackChannelRefresh',
        id_token: await signRaw(
          key,
          { alg: 'RS256', kid: KID },
          {
            iss: ISSUER,
            aud: CLIENT_ID,
            sub: backChannel.sub,
            nonce: backChannel.nonce,
            iat: NOW_S,
            exp: NOW_S + 3600,
          },
        ),
      }),
    ),
  )
  client = createClient(oktaMetadata(), {
    clientId: CLIENT_ID,
    redirectUri: REDIRECT,
    postMessageForCode: true,
    timeout: SDK_TIMEOUT,
    now: () => T0,
  })
})

type Pair = [string, string]

/**
 * A hostile parameter or member name. Names that look like parameter names
 * (`[A-Za-z0-9_.-]{1,40}`) are echoed in messages by design, so marked names
 * carry a character outside that set: they must then never be printed.
 */
const oddName = fc.oneof(
  marker.map((m) => `${m}!`),
  marker.map((m) => `${m}<script>`),
  marker.map((m) => m.repeat(3)),
)

/** The parameters of one response, with slots for values known only at run time. */
function parameters(responseType: string): fc.Arbitrary<Pair[]> {
  const has = new Set(responseType.split(' '))
  const opt = (present: boolean, name: string, value: fc.Arbitrary<string>) =>
    present
      ? mostly(
          value.map((v): Pair[] => [[name, v]]),
          fc.constant<Pair[]>([]),
        )
      : fc.oneof(
          { arbitrary: fc.constant<Pair[]>([]), weight: 12 },
          value.map((v): Pair[] => [[name, v]]),
        )
  const state = mostly(
    fc.constant<Pair[]>([['state', SLOT.state]]),
    fc.constant<Pair[]>([]),
    fc.constant<Pair[]>([['state', '']]),
    marker.map((m): Pair[] => [['state', m]]),
    fc.constant<Pair[]>([
      ['state', SLOT.state],
      ['state', SLOT.state],
    ]),
  )
  const iss = fc.oneof(
    fc.constant<Pair[]>([]),
    fc.constantFrom(ISSUER, `${ISSUER}/`).map((v): Pair[] => [['iss', v]]),
    fc.oneof(marker, fc.constant('https://evil.example')).map((v): Pair[] => [['iss', v]]),
  )
  const error = fc.oneof(
    { arbitrary: fc.constant<Pair[]>([]), weight: 12 },
    // `error`, `error_description` and `error_uri` are echoed by design: never marked.
    fc
      .tuple(fc.oneof(fc.constant('access_denied'), unmarked), unmarked, unmarked)
      .map(([e, d, u]): Pair[] => [
        ['error', e],
        ['error_description', d],
        ['error_uri', u],
      ]),
  )
  const extra = fc.oneof(
    { arbitrary: fc.constant<Pair[]>([]), weight: 6 },
    fc.array(
      fc.oneof(
        fc.tuple(oddName, nastyString),
        fc.tuple(fc.constantFrom('__proto__', 'constructor', 'code', 'scope'), nastyString),
        fc.tuple(
          nastyString.map((n) => `${n}!`),
          marker,
        ),
        marker.map((m): Pair => ['code', m.repeat(1200)]),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  return fc
    .tuple(
      state,
      iss,
      error,
      opt(has.has('code'), 'code', marker),
      opt(has.has('id_token'), 'id_token', fc.constant(SLOT.idToken)),
      opt(has.has('token'), 'access_token', marker),
      opt(has.has('token'), 'token_type', mostly(fc.constant('Bearer'), nastyString)),
      opt(
        has.has('token'),
        'expires_in',
        mostly(fc.constant('3600'), fc.constantFrom('-1', '1.5', '1e400', '0x10', ''), marker),
      ),
      opt(has.has('token'), 'scope', marker),
      extra,
    )
    .map((groups) => groups.flat())
}

/** The shapes a response arrives in; the first ones of each mode are the right ones. */
const SHAPES = [
  'query URL',
  'URL object',
  'GET Request',
  'fragment URL',
  'POST Request',
  'urlencoded body',
  'URLSearchParams',
  'postMessage object',
  'raw query URL',
  'not a callback',
] as const
type Shape = (typeof SHAPES)[number]

const RIGHT: Record<ResponseMode, Shape[]> = {
  query: ['query URL', 'URL object', 'GET Request', 'raw query URL'],
  fragment: ['fragment URL'],
  form_post: ['POST Request', 'urlencoded body', 'URLSearchParams'],
  okta_post_message: ['postMessage object'],
}

const TYPES: Record<ResponseMode, string[]> = {
  query: ['code'],
  fragment: ['code', 'id_token', 'id_token token', 'code id_token', 'code token'],
  form_post: ['code', 'id_token', 'id_token token', 'code id_token', 'code id_token token'],
  okta_post_message: ['code', 'id_token', 'id_token token', 'code id_token', 'code token'],
}

/** One hostile callback for a transaction of `mode`. */
function callback(mode: ResponseMode) {
  return fc.constantFrom(...TYPES[mode]).chain((responseType) =>
    fc.record({
      responseType: fc.constant(responseType),
      params: parameters(responseType),
      idToken: idTokenRecipe(
        KID,
        idTokenClaims(ISSUER, CLIENT_ID, NOW_S, SLOT.nonce).map((c) => ({
          ...c,
          c_hash: SLOT.cHash,
          at_hash: SLOT.atHash,
        })),
      ),
      shape: mostly(fc.constantFrom(...RIGHT[mode]), fc.constantFrom(...SHAPES)),
      method: mostly(fc.constant('POST'), fc.constantFrom('PUT', 'PATCH', 'DELETE')),
      contentType: mostly(
        fc.constant('application/x-www-form-urlencoded'),
        fc.constantFrom('text/plain', 'application/json', 'APPLICATION/X-WWW-FORM-URLENCODED'),
      ),
      /** Non-string members of a postMessage payload, as JSON text. */
      odd: fc.oneof(
        { arbitrary: fc.constant<[string, string][]>([]), weight: 6 },
        fc.array(fc.tuple(fc.oneof(oddName, fc.constantFrom('state', 'code')), anyJsonText), {
          maxLength: 2,
        }),
      ),
      garbage: fc.oneof(
        fc.constantFrom(null, 42, 'javascript:alert(1)', '::::', `${REDIRECT}#%zz`),
        fc.constant([]),
        marker,
      ),
    }),
  )
}

type Recipe = ReturnType<typeof callback> extends fc.Arbitrary<infer R> ? R : never

/** Fill the slots: state and nonce of the transaction, the ID token with the right hashes. */
async function fill(recipe: Recipe, t: AuthorizationTransaction): Promise<Pair[]> {
  const withState = recipe.params.map(([k, v]): Pair => [k, v.replaceAll(SLOT.state, t.state)])
  const first = (name: string) => withState.find(([k]) => k === name)?.[1] ?? ''
  let idToken = ''
  if (withState.some(([, v]) => v === SLOT.idToken)) {
    idToken = await buildIdToken(recipe.idToken as IdTokenRecipe, key, KID, {
      [SLOT.nonce]: t.nonce,
      [SLOT.cHash]: await tokenHash(first('code'), 'RS256'),
      [SLOT.atHash]: await tokenHash(first('access_token'), 'RS256'),
    })
  }
  return withState.map(([k, v]): Pair => [k, v === SLOT.idToken ? idToken : v])
}

/** The response in the recipe's shape. */
function deliver(recipe: Recipe, pairs: Pair[]): unknown {
  const query = new URLSearchParams(pairs).toString()
  switch (recipe.shape) {
    case 'query URL':
      return `${REDIRECT}?${query}`
    case 'URL object':
      return new URL(`${REDIRECT}?${query}`)
    case 'GET Request':
      return new Request(`${REDIRECT}?${query}`)
    case 'fragment URL':
      return `${REDIRECT}#${query}`
    case 'raw query URL':
      // Unencoded: `&`, `#`, `%` and `=` inside values split or break the query.
      return `${REDIRECT}?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`
    case 'POST Request':
      return new Request(REDIRECT, {
        method: recipe.method,
        headers: { 'content-type': recipe.contentType },
        body: query,
      })
    case 'urlencoded body':
      return query
    case 'URLSearchParams':
      return new URLSearchParams(pairs)
    case 'postMessage object': {
      const data: Record<string, unknown> = {}
      const put = (k: string, v: unknown) =>
        Object.defineProperty(data, k, { value: v, enumerable: true, writable: true })
      for (const [k, v] of pairs) put(k, v)
      for (const [k, v] of recipe.odd) put(k, JSON.parse(v))
      return data
    }
    case 'not a callback':
      return recipe.garbage
  }
}

describe('authorization responses', () => {
  it.each(Object.keys(RIGHT) as ResponseMode[])(
    '%s transactions: any response resolves or rejects with a safe SDK error',
    async (mode) => {
      await fc.assert(
        fc.asyncProperty(callback(mode), async (recipe) => {
          const { transaction: t } = await client.authorizationUrl({
            responseType: recipe.responseType,
            responseMode: mode,
          })
          const pairs = await fill(recipe, t)
          const sub = pairs.find(([k]) => k === 'id_token')?.[1]?.split('.')[1]
          backChannel = { nonce: t.nonce, sub: subOf(sub) }
          const input = deliver(recipe, pairs)
          const outcome = await settle(() => client.handleCallback(input as never, t))
          expectSafe(outcome, {
            secrets: [t.state, t.nonce, t.codeVerifier ?? ''],
            label: `callback ${mode}`,
          })
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

/** The front-channel ID token's `sub`, so a hybrid back channel can name the same user. */
function subOf(payload: string | undefined): string {
  try {
    const sub = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()).sub
    return typeof sub === 'string' ? sub : 'MARKbackChannelSubject'
  } catch {
    return 'MARKbackChannelSubject'
  }
}
