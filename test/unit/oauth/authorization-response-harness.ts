/**
 * The shared harness of the authorization-response tests
 * (authorization-response-*.test.ts): a fake issuer and a client made fresh
 * for each test, and the steps of a callback: start a transaction, build its
 * callback URL, serve the code exchange. Each test file calls
 * `useAuthorizationResponseHarness()` at its top to register the hook.
 * Not a test file: vitest collects only *.test.ts.
 */
import { beforeEach } from 'vitest'
import type { AuthorizationRequest, AuthorizationTransaction, Client } from '../../../src/index.js'
import { createFakeIssuer, type FakeIssuer, tokenBody } from '../fake-issuer.js'

export const REDIRECT = 'https://app.example.com/callback'

/**
 * The fake issuer and client of the current test, set by the `beforeEach` of
 * {@link useAuthorizationResponseHarness}: one object, since importers cannot
 * reassign an exported `let`. A test may replace `flow.client`.
 */
export const flow = {} as { fake: FakeIssuer; client: Client }

/** Registers the `beforeEach` that makes a fresh fake issuer and client for each test. */
export function useAuthorizationResponseHarness(): void {
  beforeEach(async () => {
    flow.fake = await createFakeIssuer()
    flow.client = flow.fake.client({ redirectUri: REDIRECT, postMessageForCode: true })
  })
}

export async function start(request: AuthorizationRequest = {}) {
  return (await flow.client.authorizationUrl(request)).transaction
}

/** The callback URL for a transaction, with parameters in its response mode's place. */
export function callback(t: AuthorizationTransaction, params: Record<string, string>) {
  const q = new URLSearchParams(params).toString()
  return t.responseMode === 'fragment' ? `${REDIRECT}#${q}` : `${REDIRECT}?${q}`
}

export function serveCode(code: string, idToken?: Promise<string>) {
  flow.fake.on('/v1/token', async (_req, form) => {
    if (form.get('code') !== code) return Response.json({ error: 'invalid_grant' }, { status: 400 })
    return tokenBody({
      access_token: 'at-back',
      refresh_token: 'rt',
      ...(idToken && { id_token: await idToken }),
    })
  })
}
