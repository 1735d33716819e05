import fc from 'fast-check'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BearerTokenError, JwksError, TokenValidationError } from '../../../src/verifier/index.js'
import type { Verifier } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  BACKENDS,
  b64json,
  cachedResult,
  expectNoToken,
  makeSigner,
  NOW_S,
  oktaClaims,
  publish,
  type Signer,
  sign,
  T0,
} from './helpers.js'

const RUNS = 200
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** How a verification ended: resolved, or rejected with an error of the verifier's own types. */
async function outcome(promise: Promise<unknown>): Promise<'ok' | Error> {
  try {
    await promise
    return 'ok'
  } catch (err) {
    if (
      err instanceof TokenValidationError ||
      err instanceof JwksError ||
      err instanceof BearerTokenError
    ) {
      return err
    }
    throw new Error(`unexpected rejection: ${String(err)}`, { cause: err })
  }
}

/** A mutation of a token: replace, delete or insert one character. */
const mutation = fc.record({
  op: fc.constantFrom('replace', 'delete', 'insert'),
  at: fc.nat(),
  char: fc.oneof(
    fc.constantFrom(...ALPHABET),
    fc.constantFrom('.', '=', ' ', '+', '/', '"', '\u00e9', '\u0000'),
  ),
})

function mutate(token: string, m: { op: string; at: number; char: string }): string {
  const i = m.at % (token.length + (m.op === 'insert' ? 1 : 0))
  if (m.op === 'delete') return token.slice(0, i) + token.slice(i + 1)
  if (m.op === 'insert') return token.slice(0, i) + m.char + token.slice(i)
  return token.slice(0, i) + m.char + token.slice(i + 1)
}

let rs: Signer
beforeAll(async () => {
  rs = await makeSigner('RS256')
})

describe.each(BACKENDS)('fuzzing on $name', ({ name, createVerifier }) => {
  let fake: FakeIssuer
  let verifier: Verifier
  let token: string
  beforeEach(async () => {
    fake = await createFakeIssuer()
    publish(fake, rs)
    verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => T0,
      tokenCache: true,
    })
    expect(verifier.crypto).toBe(name)
    token = await sign(rs, oktaClaims(ISSUER))
    // Valid, and now in the token cache (from its second verification on).
    await cachedResult(() => verifier.verifyAccessToken(token))
  })

  it('random strings only ever reject with the verifier error types', async () => {
    const header = fc.record(
      {
        alg: fc.oneof(fc.constantFrom('RS256', 'none', 'HS256', 'ES256', 'PS256'), fc.string()),
        kid: fc.oneof(fc.constant(rs.kid), fc.string(), fc.integer()),
        typ: fc.oneof(fc.constantFrom('JWT', 'at+jwt', 'dpop+jwt'), fc.jsonValue()),
        crit: fc.array(fc.string()),
      },
      { requiredKeys: [] },
    )
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record({ iss: fc.oneof(fc.constant(ISSUER), fc.jsonValue()), exp: fc.jsonValue() }),
    )
    const input = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.stringMatching(/^[\w-]{0,40}(\.[\w-]{0,60}){0,4}$/),
      fc
        .tuple(header, payload, fc.stringMatching(/^[\w-]{1,50}$/))
        .map(([h, p, s]) => `${b64json(h)}.${b64json(p)}.${s}`),
    )
    await fc.assert(
      fc.asyncProperty(input, async (s) => {
        const result = await outcome(verifier.verifyAccessToken(s))
        expect(result).not.toBe('ok')
        if (result !== 'ok' && s.length > 8) expectNoToken(result, s)
        const request = await outcome(verifier.verifyRequest(`Bearer ${s}`))
        expect(request).not.toBe('ok')
        const auth = await verifier.authenticate({ headers: { authorization: `Bearer ${s}` } })
        expect(auth.ok).toBe(false)
        if (!auth.ok) {
          expect([400, 401]).toContain(auth.challenge.status)
          if (s.length > 8) expect(JSON.stringify(auth.challenge)).not.toContain(s)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('no mutation of a valid token verifies, and a mutated signature is a signature error', async () => {
    const [h, p] = token.split('.') as [string, string]
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const mutated = mutate(token, m)
        fc.pre(mutated !== token)
        const result = await outcome(verifier.verifyAccessToken(mutated))
        expect(result).not.toBe('ok')
        const parts = mutated.split('.')
        if (parts.length === 3 && parts[0] === h && parts[1] === p && /^[\w-]+$/.test(parts[2]!)) {
          expect(result).toBeInstanceOf(TokenValidationError)
          expect((result as TokenValidationError).code).toBe('ERR_JWT_SIGNATURE_INVALID')
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('every mutation of the last signature character is refused', async () => {
    // The trailing bits make up to 16 spellings of one signature: only one is valid.
    for (const c of ALPHABET) {
      const mutated = token.slice(0, -1) + c
      if (mutated === token) continue
      const result = await outcome(verifier.verifyAccessToken(mutated))
      expect(result).toBeInstanceOf(TokenValidationError)
      expect((result as TokenValidationError).code).toBe('ERR_JWT_SIGNATURE_INVALID')
    }
  })

  it('a validly signed token with random claims verifies only when its claims are valid', async () => {
    const claim = fc.oneof(fc.jsonValue(), fc.integer({ min: NOW_S - 100, max: NOW_S + 100 }))
    const claims = fc.record(
      {
        iss: fc.oneof(fc.constant(ISSUER), claim),
        aud: fc.oneof(fc.constant(AUDIENCE), fc.constant([AUDIENCE, 'x']), claim),
        exp: claim,
        nbf: claim,
        iat: claim,
        scp: fc.oneof(fc.array(fc.string()), claim),
      },
      { requiredKeys: [] },
    )
    await fc.assert(
      fc.asyncProperty(claims, async (c) => {
        const signed = await sign(rs, c as never)
        const result = await outcome(verifier.verifyAccessToken(signed))
        if (result === 'ok') {
          expect(c.iss).toBe(ISSUER)
          expect(c.aud === AUDIENCE || (Array.isArray(c.aud) && c.aud.includes(AUDIENCE))).toBe(
            true,
          )
          expect(typeof c.exp === 'number' && c.exp > NOW_S - 30).toBe(true)
          for (const t of [c.nbf, c.iat]) {
            expect(t === undefined || (typeof t === 'number' && t <= NOW_S + 30)).toBe(true)
          }
        } else {
          expect(result).toBeInstanceOf(TokenValidationError)
        }
      }),
      { numRuns: RUNS },
    )
  })
})
