/**
 * Issue 14, "one defect, one error" (trailing-slash issuers): `discover()`
 * folded a trailing slash but `createVerifier` did not, so a verifier
 * configured with `…/oauth2/default/` refused every token, and the error
 * showed neither value. One rule now (src/lib/issuer.ts: a single trailing
 * slash is not significant) for access tokens, ID tokens and introspection,
 * and an untrusted issuer's error carries the token's `iss` (cut short and
 * escaped: it comes from the token) and the trusted issuers.
 */
import { HttpResponse } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenValidationError } from '../../../src/verifier/index.js'
import type { VerifierOptions } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  makeSigner,
  NOW_S,
  oktaClaims,
  publish,
  rejection,
  type Signer,
  sign,
  T0,
} from './helpers.js'

const SLASHED = `${ISSUER}/`
const CLIENT_ID = '0oa1client'

let rs: Signer
beforeAll(async () => {
  rs = await makeSigner('RS256')
})

let fake: FakeIssuer
beforeEach(async () => {
  // The server's own issuer has no trailing slash, as Okta's.
  fake = await createFakeIssuer(ISSUER)
  publish(fake, rs)
})

const directions = [
  { label: 'configured with the slash, token without', configured: SLASHED, iss: ISSUER },
  { label: 'configured without the slash, token with', configured: ISSUER, iss: SLASHED },
  { label: 'both with the slash', configured: SLASHED, iss: SLASHED },
]

describe.each(BACKENDS)('one issuer rule on $name', ({ createVerifier }) => {
  const make = (issuer: string | string[], extra: Partial<VerifierOptions> = {}) =>
    createVerifier({ issuer, audience: AUDIENCE, now: () => T0, ...extra })

  it.each(directions)('access tokens: $label', async ({ configured, iss }) => {
    const verifier = make(configured)
    const result = await verifier.verifyAccessToken(await sign(rs, oktaClaims(iss)))
    expect(result.subject).toBe('alice@example.com')
    expect(result.issuer).toBe(configured)
    expect(verifier.jwksCache(configured)).toBeDefined()
    expect(verifier.jwksCache(iss)).toBe(verifier.jwksCache(configured))
  })

  it.each(directions)('ID tokens: $label', async ({ configured, iss }) => {
    const idToken = await sign(
      rs,
      { iss, sub: '00u1', aud: CLIENT_ID, iat: NOW_S - 10, exp: NOW_S + 600, nonce: 'n-1' },
      { typ: undefined },
    )
    const claims = await make(configured).verifyIdToken(idToken, {
      clientId: CLIENT_ID,
      nonce: 'n-1',
    })
    expect(claims.sub).toBe('00u1')
  })

  it.each(directions)('introspection: $label', async ({ configured, iss }) => {
    fake.on('/v1/introspect', () =>
      HttpResponse.json({
        active: true,
        iss,
        aud: AUDIENCE,
        sub: 'alice@example.com',
        scope: 'orders:read',
        exp: NOW_S + 600,
        token_type: 'Bearer',
      }),
    )
    const verifier = make(configured, {
      introspection: {
        clientId: '0oaresource',
        auth: { method: 'client_secret_basic', clientSecret: 'resource-secret' },
        // The introspecting issuer named the other way round is the same issuer.
        issuer: iss,
      },
    })
    const result = await verifier.verifyAccessToken('opaque-token')
    expect(result.format).toBe('introspection')
    expect(result.scopes).toEqual(['orders:read'])
  })

  it('folds one slash only: two slashes, another path or case is another issuer', async () => {
    const verifier = make(SLASHED)
    for (const iss of [`${ISSUER}//`, `${ISSUER}/x`, ISSUER.toUpperCase()]) {
      const err = await rejection(verifier.verifyAccessToken(await sign(rs, oktaClaims(iss))))
      expect(err).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'mismatch' })
    }
  })

  it('an untrusted issuer’s error names the token’s iss and the trusted issuers', async () => {
    const trusted = [ISSUER, 'https://other.example.com/oauth2/aus1']
    const verifier = make(trusted)
    const iss = 'https://evil.example.com/oauth2/default'
    const token = await sign(rs, oktaClaims(iss))
    const err = await rejection(verifier.verifyAccessToken(token))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      token: 'access_token',
      claim: 'iss',
      reason: 'mismatch',
      actual: iss,
      expected: trusted,
    })
    expect(err.message).toContain(iss)
    for (const t of trusted) expect(err.message).toContain(t)
    // Also as data when the error is serialised for a log.
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ actual: iss, expected: trusted })

    const idErr = await rejection(verifier.verifyIdToken(token, { clientId: CLIENT_ID }))
    expect(idErr).toMatchObject({ token: 'id_token', claim: 'iss', actual: iss, expected: trusted })

    // No iss at all: the trusted issuers, and no actual value.
    const missing = await rejection(
      verifier.verifyAccessToken(await sign(rs, oktaClaims(ISSUER, { iss: undefined }))),
    )
    expect(missing).toMatchObject({ reason: 'missing', expected: trusted })
    expect(missing.actual).toBeUndefined()
  })

  it('an attacker’s iss is cut short and its control characters escaped', async () => {
    const verifier = make(ISSUER)
    const iss = `https://evil.example.com/\r\nX-Injected: 1\u0000\u001b[31m\u0085\u2028${'a.'.repeat(500)}`
    const err = await rejection(verifier.verifyAccessToken(await sign(rs, oktaClaims(iss))))
    expect(err).toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', expected: [ISSUER] })
    for (const text of [err.actual as string, err.message as string]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
      expect(text).toContain(String.raw`https://evil.example.com/\r\nX-Injected: 1\u0000\u001b[31m`)
      expect(text).toContain(String.raw`\u0085\u2028`)
      expect(text).not.toContain('a.'.repeat(150))
    }
    expect(err.actual.endsWith('…')).toBe(true)
    expect(err.actual.length).toBeLessThan(260)
  })

  it('lists at most three trusted issuers in the message, all of them in `expected`', async () => {
    const trusted = Array.from({ length: 6 }, (_, i) => `https://t${i}.example.com/oauth2/default`)
    const err = await rejection(
      make(trusted).verifyAccessToken(await sign(rs, oktaClaims('https://evil.example.com'))),
    )
    expect(err.expected).toEqual(trusted)
    expect(err.message).toContain(trusted[2])
    expect(err.message).not.toContain(trusted[3])
    expect(err.message).toContain('6 in all')
  })
})
