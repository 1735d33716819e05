/**
 * The shared harness of the access-token tests (access-token-*.test.ts): the
 * signing keys, made once per file, a fake issuer publishing them, made fresh
 * for each test, and the verifier shorthands of one signature backend. Each
 * test file calls `useSigners()` at its top, and `useFakeIssuer()` inside its
 * `describe.each(BACKENDS)`. Not a test file: vitest collects only *.test.ts.
 */
import { beforeAll, beforeEach, expect } from 'vitest'
import { TokenValidationError } from '../../../src/verifier/index.js'
import type { Verifier, VerifierOptions } from '../../../src/verifier/types.js'
import { createFakeIssuer, type FakeIssuer, ISSUER } from '../fake-issuer.js'
import {
  AUDIENCE,
  expectNoToken,
  makeSigner,
  publish,
  rejection,
  type Signer,
  T0,
} from './helpers.js'

/**
 * The signing keys, set by the `beforeAll` of {@link useSigners}: one object,
 * since importers cannot reassign an exported `let`. All but `unpublished`
 * are in the fake issuer's JWKS.
 */
export const signers = {} as {
  rs: Signer
  ps: Signer
  rs512: Signer
  es256: Signer
  es384: Signer
  es512: Signer
  eddsa: Signer
  ed25519: Signer
  unpublished: Signer
}

/** The fake issuer of the current test, set by the `beforeEach` of {@link useFakeIssuer}. */
export const issuer = {} as { fake: FakeIssuer }

/** Registers the `beforeAll` that makes the signing keys, once for the file. */
export function useSigners(): void {
  beforeAll(async () => {
    ;[
      signers.rs,
      signers.ps,
      signers.rs512,
      signers.es256,
      signers.es384,
      signers.es512,
      signers.eddsa,
      signers.ed25519,
      signers.unpublished,
    ] = await Promise.all([
      makeSigner('RS256'),
      makeSigner('PS256'),
      makeSigner('RS512'),
      makeSigner('ES256'),
      makeSigner('ES384'),
      makeSigner('ES512'),
      makeSigner('EdDSA'),
      makeSigner('Ed25519'),
      makeSigner('RS256', 'not-published'),
    ])
  })
}

/**
 * Registers the `beforeEach` that starts a fresh fake issuer for each test and
 * publishes every signer but `unpublished`. Call it inside the backend's describe.
 */
export function useFakeIssuer(): void {
  beforeEach(async () => {
    issuer.fake = await createFakeIssuer()
    const { rs, ps, rs512, es256, es384, es512, eddsa, ed25519 } = signers
    publish(issuer.fake, rs, ps, rs512, es256, es384, es512, eddsa, ed25519)
  })
}

export interface Expected {
  code: string
  claim?: string
  reason: string
}

/**
 * The shorthands of one backend: `make` builds a verifier for ISSUER and
 * AUDIENCE on the fixed clock T0, and `expectRejected` checks a rejection.
 */
export function verifierOf(createVerifier: (options: VerifierOptions) => Verifier) {
  const make = (extra: Partial<VerifierOptions> = {}) =>
    createVerifier({ issuer: ISSUER, audience: AUDIENCE, now: () => T0, ...extra })

  /** Reject with a TokenValidationError of exactly this code/claim/reason, without leaking the token. */
  async function expectRejected(
    token: string,
    expected: Expected,
    extra: Partial<VerifierOptions> = {},
  ) {
    const err = await rejection(make(extra).verifyAccessToken(token))
    expect(err).toBeInstanceOf(TokenValidationError)
    expect({ code: err.code, claim: err.claim, reason: err.reason, token: err.token }).toEqual({
      ...expected,
      claim: expected.claim,
      token: 'access_token',
    })
    if (typeof token === 'string' && token.length > 0) expectNoToken(err, token)
    return err
  }

  return { make, expectRejected }
}
