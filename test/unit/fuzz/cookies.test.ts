import fc from 'fast-check'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { HttpResponse, http } from 'msw'
import { beforeAll, beforeEach, describe, it } from 'vitest'
import { createClient } from '../../../src/index.js'
import { createServerAuth, type ServerAuth } from '../../../src/server/index.js'
import { CLIENT_ID, ISSUER, oktaMetadata } from '../fake-issuer.js'
import { server } from '../msw.js'
import {
  expectSafe,
  marker,
  mostly,
  nastyString,
  RUNS,
  SDK_TIMEOUT,
  settle,
  signRaw,
  TEST_TIMEOUT,
} from './helpers.js'

// Cookies of `okta-oauth-kit/server`: whatever `Cookie` header a browser (or
// an attacker) sends, reading the session, refreshing it, signing out and
// handling a callback resolve or reject with an SDK error, in bounded time,
// and never print a cookie value.

const REDIRECT = 'https://app.example.com/callback'
const SECRET = 'MARKcookieSecret-0123456789abcdefghijkl'
const KID = 'k1'
const SESSION = '__Host-okta-session'

let key: CryptoKey
let jwk: JWK
let auth: ServerAuth
/** A real transaction cookie (name, value) and its state, from `login()`. */
let txn: { name: string; value: string; state: string; nonce: string }
/** A real session cookie value, from `password()`. */
let session: string

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  key = pair.privateKey as CryptoKey
  jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }
})

/** The token endpoint's answer: tokens with an ID token for the nonce of the current run. */
let nonce = ''

/** Start a sign-in: a fresh transaction cookie (each can complete one callback). */
async function startSignIn(): Promise<void> {
  const login = await auth.login({ returnTo: '/orders' })
  const [name, value] = login.cookies[0]!.split(';')[0]!.split(/=(.*)/s) as [string, string]
  const params = login.url.searchParams
  txn = { name, value, state: params.get('state')!, nonce: params.get('nonce')! }
}

beforeEach(async () => {
  server.use(
    http.get(`${ISSUER}/v1/keys`, () => HttpResponse.json({ keys: [jwk] })),
    http.post(`${ISSUER}/v1/revoke`, () => new HttpResponse(null, { status: 200 })),
    http.post(`${ISSUER}/v1/token`, async () => {
      const now = Math.floor(Date.now() / 1000)
      return HttpResponse.json({
        access_token: 'MARKaccessTokenValue00',
        token_type: 'Bearer',
        expires_in: 30,
        refresh_token: 'MARKrefreshTokenValue0',
        id_token: await signRaw(
          key,
          { alg: 'RS256', kid: KID },
          {
            iss: ISSUER,
            aud: CLIENT_ID,
            sub: 'MARKsubjectValue000000',
            ...(nonce && { nonce }),
            iat: now,
            exp: now + 3600,
          },
        ),
      })
    }),
  )
  const client = createClient(oktaMetadata(), {
    clientId: CLIENT_ID,
    auth: { method: 'client_secret_basic', clientSecret: 'MARKclientSecretValue0' },
    timeout: SDK_TIMEOUT,
  })
  auth = createServerAuth(client, { secret: SECRET, redirectUri: REDIRECT })
  await startSignIn()
  nonce = ''
  const signedIn = await auth.password({ username: 'MARKuser', password: 'MARKpassword' })
  session = signedIn.cookies[0]!.split(';')[0]!.slice(SESSION.length + 1)
})

/** A sealed value spoiled: cut short, one character changed, or parts shuffled. */
function spoil(value: string, at: number, how: number): string {
  const i = at % value.length
  if (how % 3 === 0) return value.slice(0, i)
  if (how % 3 === 1)
    return `${value.slice(0, i)}${value[i] === 'A' ? 'B' : 'A'}${value.slice(i + 1)}`
  return value.split('.').reverse().join('.')
}

type Part = { name: string; value: string } | { raw: string }

/** One `name=value` of a Cookie header, or a stray fragment. */
const part: fc.Arbitrary<Part> = fc.oneof(
  fc
    .record({
      name: fc.constantFrom('@txn', SESSION, 'okta-session', '__Host-okta-txn.0000000000000000'),
      value: fc.oneof(
        fc.constantFrom('@txnValue', '@session'),
        fc
          .tuple(fc.constantFrom('@txnValue', '@session'), fc.nat(), fc.nat())
          .map(([v, at, how]) => `@spoil:${v}:${at}:${how}`),
        marker,
        marker.map((m) => `"${m}"`),
        marker.map((m) => `=${m}=`),
        marker.map((m) => `${m}.${m}.${m}.${m}.${m}`),
        marker.map((m) => m.repeat(300)),
        fc.constant(''),
      ),
    })
    .map((p): Part => p),
  fc.record({ name: marker, value: marker }).map((p): Part => p),
  fc.record({ name: nastyString, value: nastyString }).map((p): Part => p),
  fc
    .oneof(
      marker,
      marker.map((m) => `=${m}`),
      fc.constantFrom('"', ';=;', '=', ',', ' '),
    )
    .map((raw): Part => ({ raw })),
)

const cookieHeader = fc.record({
  parts: fc.array(part, { maxLength: 6 }),
  separator: mostly(fc.constant('; '), fc.constantFrom(';', ';;', ' ; ', ',', ';\t')),
})

type CookieRecipe = { parts: Part[]; separator: string }

/** The header text, with the real cookie values put in. */
function header(recipe: CookieRecipe): string {
  const real = (v: string) =>
    v === '@txnValue' ? txn.value : v === '@session' ? session : v.replace(/^@txn$/, txn.name)
  return recipe.parts
    .map((p) => {
      if ('raw' in p) return p.raw
      let value = real(p.value)
      const spoilt = /^@spoil:(@\w+):(\d+):(\d+)$/.exec(p.value)
      if (spoilt) value = spoil(real(spoilt[1]!), Number(spoilt[2]), Number(spoilt[3]))
      return `${real(p.name)}=${value}`
    })
    .join(recipe.separator)
}

/** The ways a Cookie header reaches the helpers. */
const carriers = fc.constantFrom('string', 'node', 'node-array', 'request')

function carry(how: string, cookie: string, init: RequestInit = {}): unknown {
  switch (how) {
    case 'string':
      return cookie
    case 'node':
      return { method: init.method ?? 'GET', headers: { cookie } }
    case 'node-array':
      return { method: init.method ?? 'GET', headers: { cookie: cookie.split('; ') } }
    default:
      try {
        return new Request(REDIRECT, { ...init, headers: { ...init.headers, cookie } })
      } catch {
        // A header the platform refuses to send cannot arrive either.
        return cookie
      }
  }
}

const secrets = () => [txn.value, session, SECRET]

describe('Cookie headers', () => {
  it(
    'session read, refresh, clear and logout: safe whatever the cookies',
    async () => {
      await fc.assert(
        fc.asyncProperty(cookieHeader, carriers, async (recipe, how) => {
          const request = carry(how, header(recipe)) as string
          const calls: [string, () => Promise<unknown>][] = [
            ['session.read', () => auth.session.read(request)],
            ['session.refresh', () => auth.session.refresh(request, { force: true })],
            ['session.clear', () => auth.session.clear(request)],
            ['logout', () => auth.logout(request)],
          ]
          for (const [label, run] of calls) {
            const outcome = await settle(run)
            expectSafe(outcome, { secrets: secrets(), label })
          }
        }),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )

  it(
    'form_post callbacks: safe whatever the cookies and the state',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          cookieHeader,
          mostly(fc.constant('@state'), marker, fc.constant('')),
          fc.constantFrom('request', 'node'),
          mostly(fc.constantFrom('first', 'last'), fc.constant('none')),
          async (recipe, state, how, where) => {
            await startSignIn()
            nonce = txn.nonce
            const form = new URLSearchParams({
              state: state === '@state' ? txn.state : state,
              code: 'MARKauthorizationCode0',
              iss: ISSUER,
            }).toString()
            const init = {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: form,
            }
            const real = `${txn.name}=${txn.value}`
            const rest = header(recipe)
            const cookie =
              where === 'first' ? `${real}; ${rest}` : where === 'last' ? `${rest}; ${real}` : rest
            const request =
              how === 'node'
                ? {
                    method: 'POST',
                    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
                    body: form,
                  }
                : carry('request', cookie, init)
            const outcome = await settle(() => auth.callback(request as Request))
            expectSafe(outcome, { secrets: secrets(), label: 'callback' })
          },
        ),
        { numRuns: RUNS },
      )
    },
    TEST_TIMEOUT,
  )
})
