// Shared by the protocol-*.test.ts files (the protocol layer of ./browser):
// the issuer and client they talk about, six signing keys made once per file,
// a transport over the global fetch, minted ID tokens, and the verifyIdToken
// shorthands. Not a test file: vitest collects only *.test.ts.
import { base64url, SignJWT } from 'jose'
import { http } from 'msw'
import { afterEach, beforeAll, expect, vi } from 'vitest'
import {
  type BrowserIdTokenOptions,
  type BrowserJwks,
  browserJwks,
  type Transport,
  verifyIdToken,
} from '../../../src/browser/protocol.js'
import { rejection } from '../../support/rejection.js'
import { server } from '../msw.js'
import { makeSigner, type Signer } from '../verifier/helpers.js'

export { rejection }

export const ISSUER = 'https://idp.example.com/oauth2/default'
export const CLIENT_ID = '0oaclient0000000000'
export const SUB = '00uuser000000000000'
export const NONCE = 'nonce-1'
export const JWKS_URI = `${ISSUER}/v1/keys`
export const TOKEN_URI = `${ISSUER}/v1/token`
export const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']

/**
 * The signing keys, set by the `beforeAll` of {@link useProtocolHarness}: one
 * object, since importers cannot reassign an exported `let`.
 */
export const signers = {} as {
  rs: Signer
  ps: Signer
  es: Signer
  es384: Signer
  ed: Signer
  rsOther: Signer
}

/**
 * The hooks every protocol test file registers at its top: the signing keys,
 * made once for the file, and real timers again after each test.
 */
export function useProtocolHarness(): void {
  beforeAll(async () => {
    ;[signers.rs, signers.ps, signers.es, signers.es384, signers.ed, signers.rsOther] =
      await Promise.all([
        makeSigner('RS256', 'rs-1'),
        makeSigner('PS256', 'ps-1'),
        makeSigner('ES256', 'es-1'),
        makeSigner('ES384', 'es384-1'),
        makeSigner('EdDSA', 'ed-1'),
        makeSigner('RS256', 'rs-2'),
      ])
  })

  afterEach(() => {
    vi.useRealTimers()
  })
}

/**
 * How `work` rejects once its timeout of `ms` has passed, on fake timers:
 * the timeout is waited out without waiting in real time.
 */
export async function rejectionAfter(ms: number, work: () => Promise<unknown>) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const pending = rejection(work())
  await vi.advanceTimersByTimeAsync(ms)
  return pending
}

export function transport(overrides: Partial<Transport> = {}): Transport {
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    timeout: 2_000,
    offset: 0,
    ...overrides,
  }
}

/** Serve a key set at JWKS_URI and count the requests; `keys` is read at each request. */
export function serveJwks(keys: () => unknown) {
  const hits = { count: 0 }
  server.use(
    http.get(JWKS_URI, () => {
      hits.count++
      return Response.json(keys())
    }),
  )
  return hits
}

export const seconds = () => Math.floor(Date.now() / 1000)

/** An ID token signed with jose; `undefined` members of `overrides` are dropped. */
export async function mint(
  overrides: Record<string, unknown> = {},
  options: { by?: Signer; header?: Record<string, unknown> } = {},
): Promise<string> {
  const by = options.by ?? signers.rs
  const claims: Record<string, unknown> = standardClaims(overrides)
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name]
  return new SignJWT(claims)
    .setProtectedHeader({ alg: by.alg, kid: by.kid, ...options.header })
    .sign(by.privateKey)
}

export const segment = (value: unknown) => base64url.encode(JSON.stringify(value))

/** A compact JWS signed with WebCrypto directly (for what jose refuses to produce). */
export async function rawJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: CryptoKey,
  params: AlgorithmIdentifier | EcdsaParams,
): Promise<string> {
  const input = `${segment(header)}.${segment(payload)}`
  const signature = await crypto.subtle.sign(params, key, new TextEncoder().encode(input))
  return `${input}.${base64url.encode(new Uint8Array(signature))}`
}

/** The claims of a valid ID token for the client and nonce, issued now, with `overrides`. */
export function standardClaims(overrides: Record<string, unknown> = {}) {
  const t = seconds()
  return {
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: SUB,
    iat: t,
    exp: t + 3600,
    nonce: NONCE,
    ...overrides,
  }
}

export function options(
  keys: BrowserJwks,
  extra: Partial<BrowserIdTokenOptions> = {},
): BrowserIdTokenOptions {
  return {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    algorithms: ALGORITHMS,
    keys,
    now: Date.now(),
    tolerance: 60,
    nonce: NONCE,
    ...extra,
  }
}

// The verifyIdToken tests' fixture (protocol-id-token-*.test.ts): a key set
// made fresh for each test, and shorthands judging a token against it.

/** The key set of the current verifyIdToken test, set by {@link fresh}. */
export const idToken = {} as { jwks: BrowserJwks }

/** Serve every signing key but `rsOther` at JWKS_URI. */
export const serveAll = () =>
  serveJwks(() => ({
    keys: [signers.rs.jwk, signers.ps.jwk, signers.es.jwk, signers.es384.jwk, signers.ed.jwk],
  }))

/** The error `token` is refused with, `extra` on top of the default options. */
export const reject = async (
  token: string | Promise<string>,
  extra: Partial<BrowserIdTokenOptions> = {},
) => rejection(verifyIdToken(await token, options(idToken.jwks, extra)))

/** Expect `token` to verify with `extra` on top of the default options. */
export const accept = async (
  token: string | Promise<string>,
  extra: Partial<BrowserIdTokenOptions> = {},
) => expect(verifyIdToken(await token, options(idToken.jwks, extra))).resolves.toBeTruthy()

/** A new key set over JWKS_URI, nothing fetched yet. */
export function fresh() {
  idToken.jwks = browserJwks(transport(), async () => JWKS_URI)
}
