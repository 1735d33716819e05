/**
 * The shared harness of the client authentication tests
 * (client-auth-*.test.ts): one org for the file with a client for each
 * token endpoint authentication method, the keys of the private_key_jwt
 * client, and the helpers that build clients, client assertions and the
 * forms they are posted with. Each test file calls `useClientAuthHarness()`
 * at its top to register the hooks.
 * Not a test file: vitest collects only *.test.ts.
 */
import { importJWK, type JWK, SignJWT } from 'jose'
import { beforeEach, expect } from 'vitest'
import { type Client, type ClientAuth, OAuthResponseError } from '../../../src/index.js'
import type { OktaOrg, OrgClient } from '../../../src/testing/index.js'
import { rejection } from '../../support/rejection.js'
import { clientOf, rsaClientKey, sharedOrg } from './helpers.js'

export const SECRET = 'a-client-secret-of-at-least-thirty-two-bytes'
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
/** One client per authentication method. */
export const IDS = {
  basic: '0oabasic000000000000',
  post: '0oapost0000000000000',
  jwt: '0oajwt00000000000000',
  pkj: '0oapkj00000000000000',
  none: '0oanone000000000000',
} as const

type KeyPair = { privateJwk: JWK; jwks: { keys: JWK[] } }

/**
 * The org of the current test and the keys of the file, set by the hooks of
 * {@link useClientAuthHarness}: one object, since importers cannot reassign
 * an exported `let`. `key` is registered for the private_key_jwt client;
 * `otherKey` has the same kid but is not registered.
 */
export const harness = {} as { org: OktaOrg; key: KeyPair; otherKey: KeyPair }

/** The org's clients: one per method, the private_key_jwt one with `harness.key`. */
export function clients(): OrgClient[] {
  return [
    { clientId: IDS.basic, clientSecret: SECRET, tokenEndpointAuthMethod: 'client_secret_basic' },
    { clientId: IDS.post, clientSecret: SECRET, tokenEndpointAuthMethod: 'client_secret_post' },
    { clientId: IDS.jwt, clientSecret: SECRET, tokenEndpointAuthMethod: 'client_secret_jwt' },
    { clientId: IDS.pkj, tokenEndpointAuthMethod: 'private_key_jwt', jwks: harness.key.jwks },
    {
      clientId: IDS.none,
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['http://localhost:8080/callback'],
    },
  ]
}

/**
 * The hooks every client-auth-*.test.ts file registers at its top: the keys
 * and one org for the file (generated once), and `harness.org` put back to
 * that org before each test (a test may replace it with one of its own).
 */
export function useClientAuthHarness(): void {
  const shared = sharedOrg(async () => {
    harness.key = await rsaClientKey('pkj-1')
    harness.otherKey = await rsaClientKey('pkj-1')
    return { clients: clients() }
  })
  beforeEach(() => {
    harness.org = shared()
  })
}

/** A client of the org's `default` server authenticating as `auth` says. */
export function client(clientId: string, auth: ClientAuth): Promise<Client> {
  return clientOf(harness.org, { clientId, auth })
}

/** Expect `promise` to reject with an OAuthResponseError of this error and status. */
export async function expectOAuthError(
  promise: Promise<unknown>,
  error: string,
  status: number,
): Promise<OAuthResponseError> {
  const err = await rejection(promise)
  expect(err).toBeInstanceOf(OAuthResponseError)
  expect(err).toMatchObject({ error, status })
  return err as OAuthResponseError
}

/** A client assertion, signed with the secret (HS256) unless a private JWK is given. */
export async function assertion(
  claims: Record<string, unknown>,
  options: { secret?: string; privateJwk?: JWK } = {},
): Promise<string> {
  const jwt = new SignJWT(claims)
  if (options.privateJwk) {
    return jwt
      .setProtectedHeader({ alg: 'RS256', kid: options.privateJwk.kid! })
      .sign(await importJWK(options.privateJwk, 'RS256'))
  }
  return jwt
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(options.secret ?? SECRET))
}

/** The claims of a client assertion for `aud`, valid for a minute from the org's now. */
export function claimsFor(clientId: string, aud: string, extra: Record<string, unknown> = {}) {
  const now = harness.org.now()
  return {
    iss: clientId,
    sub: clientId,
    aud,
    iat: now,
    exp: now + 60,
    jti: crypto.randomUUID(),
    ...extra,
  }
}

/** A client_credentials form authenticated by a client assertion alone. */
export function ccForm(clientId: string, clientAssertion: string): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    scope: 'orders:read',
    client_id: clientId,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: clientAssertion,
  }
}
