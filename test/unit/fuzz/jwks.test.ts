import fc from 'fast-check'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { http } from 'msw'
import { beforeAll, beforeEach, describe, it } from 'vitest'
import {
  createJwksCache,
  type JwksCache,
  type JwksSnapshot,
  validateIdToken,
} from '../../../src/index.js'
import { server } from '../msw.js'
import {
  anyJsonText,
  b64json,
  bodyAround,
  buildIdToken,
  expectSafe,
  headerValue,
  idTokenClaims,
  idTokenRecipe,
  jwsHeader,
  marker,
  mostly,
  nastyString,
  type ResponseSpec,
  RUNS,
  responseSpec,
  SDK_TIMEOUT,
  STALL_TIMEOUT,
  settle,
  signRaw,
  TEST_TIMEOUT,
  toResponse,
} from './helpers.js'

// Key sets: whatever the JWKS endpoint (or a store) hands over, the cache and
// ID-token validation against it resolve or reject with an SDK error, in
// bounded time, and print no key member, claim or token.

const ISSUER = 'https://example.okta.com/oauth2/default'
const JWKS_URI = `${ISSUER}/v1/keys`
const CLIENT_ID = '0oa1example'
const KID = 'k1'
const NONCE = 'MARKnonceOfTheRequest0'
const T0 = 1_750_000_000_000
const NOW_S = T0 / 1000

let key: CryptoKey
let realJwk: JWK
let answer: ResponseSpec

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  key = pair.privateKey as CryptoKey
  realJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }
})

beforeEach(() => {
  server.use(http.get(JWKS_URI, () => toResponse(answer)))
})

const REAL = '"__REAL_KEY__"'

/** One JWK of any type, with members of the right and wrong types. */
const jwkText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(REAL), weight: 4 },
  fc
    .record(
      {
        kty: fc.constantFrom('RSA', 'EC', 'OKP', 'oct', 'MARKunknownKeyType0', '', 'rsa'),
        kid: mostly<unknown>(fc.constant(KID), marker, fc.integer(), fc.constant(null)),
        alg: fc.constantFrom('RS256', 'ES256', 'EdDSA', 'HS256', 'none', 'MARKalgValue0000'),
        use: fc.constantFrom('sig', 'enc', 'MARKuseValue0000', ''),
        key_ops: fc.oneof(fc.constant(['verify']), fc.constant('verify'), fc.array(marker)),
        n: fc.oneof(marker, fc.constant(''), fc.integer(), fc.constant('A'.repeat(700))),
        e: fc.oneof(fc.constant('AQAB'), marker, fc.constant('AA')),
        crv: fc.constantFrom('P-256', 'P-384', 'P-521', 'Ed25519', 'X25519', 'MARKcurveName000'),
        x: fc.oneof(marker, fc.constant('AAAA'), fc.constant(7)),
        y: fc.oneof(marker, fc.constant(null)),
        k: marker,
        d: marker,
        x5c: fc.array(marker, { maxLength: 2 }),
        MARKmemberName00000: marker,
      },
      { requiredKeys: ['kty'] },
    )
    .map((k) => JSON.stringify(k)),
  // The real key with one member spoiled.
  fc
    .tuple(
      fc.constantFrom('n', 'e', 'alg', 'use', 'kty', 'key_ops', 'kid'),
      fc.oneof(
        marker.map((m) => JSON.stringify(m)),
        anyJsonText,
      ),
    )
    .map(([member, value]) => `{"__SPOIL__":[${JSON.stringify(member)},${value}]}`),
  anyJsonText,
)

const keySet: fc.Arbitrary<string> = fc
  .array(jwkText, { maxLength: 5 })
  .map((keys) => `{"keys":[${keys.join(',')}]}`)

const cacheControl = fc.oneof(
  fc.constantFrom(
    'max-age=300',
    'max-age=-1',
    'max-age="abc"',
    'max-age=99999999999999999999999',
    'no-store',
    'no-cache, max-age=0',
    'max-age=1, max-age=2',
    'private, max-age=3832304, must-revalidate',
  ),
  headerValue,
)

const jwksAnswer = responseSpec(bodyAround(keySet), {
  headers: fc.array(fc.tuple(fc.constant('cache-control'), cacheControl), { maxLength: 1 }),
})

/** The key set text with the real key in place and spoiled keys built. */
function realize(spec: ResponseSpec): ResponseSpec {
  if (typeof spec.body !== 'string') return spec
  const body = spec.body
    .replaceAll(REAL, JSON.stringify(realJwk))
    .replace(/\{"__SPOIL__":\["(\w+)",(.*?)\]\}/g, (_, member: string, value: string) => {
      try {
        return JSON.stringify({ ...realJwk, [member]: JSON.parse(value) })
      } catch {
        return JSON.stringify(realJwk)
      }
    })
  return { ...spec, body }
}

function makeCache(
  extra: { store?: Parameters<typeof createJwksCache>[0]['store']; timeout?: number } = {},
) {
  return createJwksCache({ jwksUri: JWKS_URI, timeout: SDK_TIMEOUT, now: () => T0, ...extra })
}

const validate = (cache: JwksCache, token: string) =>
  validateIdToken(token, {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    keys: cache.getKey,
    nonce: NONCE,
    now: () => T0,
  })

/** Tokens signed with the real key: its kid, another, none. */
const tokenHeader = mostly<{ alg: string; kid?: string }>(
  fc.constant({ alg: 'RS256', kid: KID }),
  fc.constant({ alg: 'RS256' }),
  marker.map((kid) => ({ alg: 'RS256', kid })),
  fc.constantFrom('ES256', 'PS256', 'EdDSA', 'RS384').map((alg) => ({ alg, kid: KID })),
)

describe('JWKS responses', () => {
  it(
    'the cache and ID token validation survive any key set answer',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          jwksAnswer,
          tokenHeader,
          idTokenClaims(ISSUER, CLIENT_ID, NOW_S, NONCE),
          async (spec, header, claims) => {
            answer = realize(spec)
            const token = await signRaw(key, header, claims)
            const timeout = spec.stall ? STALL_TIMEOUT : SDK_TIMEOUT
            const cache = makeCache({ timeout })
            const call = { timeout }
            const loaded = await settle(() => cache.reload(call))
            expectSafe(loaded, { label: 'jwks reload' })
            const resolved = await settle(() =>
              cache.resolve({ alg: String(header.alg), kid: header.kid }, call),
            )
            expectSafe(resolved, { label: 'jwks resolve' })
            const validated = await settle(() => validate(makeCache({ timeout }), token))
            expectSafe(validated, { secrets: [token], label: 'jwks validate' })
          },
        ),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )

  it(
    'a store that returns anything costs at most a fetch',
    async () => {
      const snapshot = mostly<unknown>(
        fc.record({
          version: mostly<unknown>(fc.constant(1), fc.jsonValue()),
          jwksUri: mostly<unknown>(fc.constant(new URL(JWKS_URI).href), marker),
          jwks: fc.oneof(
            keySet.map((k) => JSON.parse(k.replaceAll(REAL, JSON.stringify(realJwk)))),
            fc.jsonValue(),
          ),
          fetchedAt: mostly<unknown>(fc.constant(T0 - 1000), fc.jsonValue(), fc.double()),
          expiresAt: mostly<unknown>(fc.constant(T0 + 60_000), fc.jsonValue(), fc.double()),
        }),
        fc.jsonValue(),
        fc.constant(undefined),
      )
      await fc.assert(
        fc.asyncProperty(
          snapshot,
          mostly(fc.constant(false), fc.constant(true)),
          async (stored, throws) => {
            answer = { status: 503, contentType: undefined, headers: [], body: '' }
            const cache = makeCache({
              store: {
                get: () => {
                  if (throws) throw new Error('store down: MARKstoreErrorMessage0')
                  return stored as JwksSnapshot
                },
                set: () => {},
              },
            })
            const token = await signRaw(key, { alg: 'RS256', kid: KID }, {})
            const outcome = await settle(() => validate(cache, token))
            expectSafe(outcome, { label: 'jwks store' })
            const imported = await settle(() => cache.import(stored as JwksSnapshot))
            expectSafe(imported)
          },
        ),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

describe('ID tokens against a good key set', () => {
  it(
    'hostile tokens are refused with safe SDK errors',
    async () => {
      answer = {
        status: 200,
        contentType: 'application/json',
        headers: [],
        body: JSON.stringify({ keys: [realJwk] }),
      }
      const cache = makeCache()
      await fc.assert(
        fc.asyncProperty(
          idTokenRecipe(KID, idTokenClaims(ISSUER, CLIENT_ID, NOW_S, NONCE)),
          fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 6 },
            nastyString,
            marker.map((m) => `${b64json({ alg: 'RS256', kid: KID })}.${m}`),
          ),
          async (recipe, raw) => {
            const token = raw ?? (await buildIdToken(recipe, key, KID))
            const outcome = await settle(() => validate(cache, token))
            expectSafe(outcome, { secrets: [token], label: 'id token' })
          },
        ),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})

describe('a crit header naming an unknown parameter', () => {
  // Fails today (core, src/jwt/id-token.ts): jose's message quotes the
  // parameter name ("Extension Header Parameter "…" is not recognized") and
  // fromJose keeps jose's messages as trusted in the cause.
  it(
    'is refused without printing the name',
    async () => {
      answer = {
        status: 200,
        contentType: 'application/json',
        headers: [],
        body: JSON.stringify({ keys: [realJwk] }),
      }
      const cache = makeCache()
      await fc.assert(
        fc.asyncProperty(
          jwsHeader(KID, { critMarkers: true }),
          idTokenClaims(ISSUER, CLIENT_ID, NOW_S, NONCE),
          async (header, claims) => {
            const token = await signRaw(key, header, claims)
            const outcome = await settle(() => validate(cache, token))
            expectSafe(outcome, { secrets: [token], label: 'crit' })
          },
        ),
        { numRuns: 30 },
      )
    },
    TEST_TIMEOUT,
  )
})
