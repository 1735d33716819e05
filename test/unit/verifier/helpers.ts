import { generateKeyPairSync, sign as nodeSign } from 'node:crypto'
import { base64url, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose'
import { expect } from 'vitest'
import { createVerifier as createWebCryptoVerifier } from '../../../src/verifier/index.js'
import { createVerifier as createNodeVerifier } from '../../../src/verifier/node.js'
import type { Verifier, VerifierOptions } from '../../../src/verifier/types.js'
import { rejection } from '../../support/rejection.js'
import type { FakeIssuer } from '../fake-issuer.js'
import { server } from '../msw.js'

export { rejection }

/** Both signature backends: every behaviour runs against each. */
export const BACKENDS: readonly {
  name: 'webcrypto' | 'node:crypto'
  createVerifier: (options: VerifierOptions) => Verifier
}[] = [
  { name: 'webcrypto', createVerifier: createWebCryptoVerifier },
  { name: 'node:crypto', createVerifier: createNodeVerifier },
]

export const AUDIENCE = 'api://default'
/** A fixed clock (ms) the verifiers and token claims agree on. */
export const T0 = 1_750_000_000_000
export const NOW_S = T0 / 1000

/** A signing key whose public half a test publishes in a fake issuer's JWKS. */
export interface Signer {
  alg: string
  kid: string
  privateKey: CryptoKey
  jwk: JWK
}

/** A key pair for `alg`, published as `kid`. */
export async function makeSigner(alg = 'RS256', kid = `at-${alg}`): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return {
    alg,
    kid,
    privateKey: privateKey as CryptoKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  }
}

/** Publish signers' public keys in a fake issuer's JWKS (it serves its `keys` array live). */
export function publish(fake: FakeIssuer, ...signers: Signer[]): void {
  for (const s of signers) fake.keys.push(s.jwk)
}

/** Okta-format access token claims for `issuer`, at the fixed clock. */
export function oktaClaims(issuer: string, extra: JWTPayload = {}): JWTPayload {
  return {
    ver: 1,
    jti: 'AT.abc123',
    iss: issuer,
    aud: AUDIENCE,
    iat: NOW_S - 60,
    exp: NOW_S + 3600,
    cid: '0oaclient',
    uid: '00uuser',
    scp: ['openid', 'orders:read'],
    sub: 'alice@example.com',
    ...extra,
  }
}

/** Sign with jose; `header` overrides (a `typ: undefined` removes it). */
export function sign(
  signer: Signer,
  payload: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT', ...header } as never)
    .sign(signer.privateKey)
}

/** Sign an arbitrary header (which jose would refuse to produce) with an RS256 signer. */
export async function signRaw(signer: Signer, header: unknown, payload: unknown): Promise<string> {
  const input = `${b64json(header)}.${b64json(payload)}`
  const sig = await crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    signer.privateKey,
    new TextEncoder().encode(input),
  )
  return `${input}.${base64url.encode(new Uint8Array(sig))}`
}

export function b64json(value: unknown): string {
  return base64url.encode(JSON.stringify(value))
}

/** A 1024-bit RSA key (jose refuses to sign with one, so node:crypto signs). */
export function weakRsa(kid = 'weak') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'RS256', use: 'sig' }
  return {
    jwk,
    sign(payload: unknown) {
      const input = `${b64json({ alg: 'RS256', kid, typ: 'JWT' })}.${b64json(payload)}`
      return `${input}.${nodeSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`
    },
  }
}

/** A promise the test settles itself: to hold a response, or to see a request arrive. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** The token must not leak through the error's message, string form, JSON form or stack. */
export function expectNoToken(err: unknown, token: string): void {
  const e = err as Error
  expect(e.message).not.toContain(token)
  expect(String(e)).not.toContain(token)
  expect(JSON.stringify(e)).not.toContain(token)
  expect(e.stack ?? '').not.toContain(token)
  // Also no recognisable piece of it (its signature segment).
  const sig = token.split('.').pop()!
  if (sig.length > 16) expect(`${e.message}${JSON.stringify(e)}`).not.toContain(sig)
}

/** Count every request msw sees (handled or not) until `stop()`. */
export function countRequests() {
  const urls: string[] = []
  const listener = ({ request }: { request: Request }) => {
    urls.push(request.url)
  }
  server.events.on('request:start', listener)
  return {
    urls,
    stop: () => server.events.removeListener('request:start', listener),
  }
}

/**
 * Verify until the token cache answers: a token is cached from its second
 * verification on (its first only marks its fingerprint, and another token
 * with the same fingerprint slot can push that out), so this calls until two
 * calls in a row return the very same object, at most five times.
 * @returns The cached result.
 */
export async function cachedResult<T>(verify: () => Promise<T>): Promise<T> {
  let previous = await verify()
  for (let i = 0; i < 4; i++) {
    const next = await verify()
    if (next === previous) return next
    previous = next
  }
  throw new Error('the token was never cached')
}
