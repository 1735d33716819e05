/**
 * Shared setup of the oidc-provider harness self-tests (provider.selftest-*.test.ts), which use
 * only fetch + jose (no SDK code), so they can run before/independently of src/. Together they
 * document, by assertion, the provider behaviours SDK tests rely on.
 *
 * Here: request helpers, and the default-mode (opaque access tokens) provider that a test file
 * registers with `useDefaultProvider()` inside its describe. Not a test file: vitest collects
 * only *.test.ts.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createRemoteJWKSet, importJWK, jwtVerify, SignJWT } from 'jose'
import { afterAll, beforeAll, expect } from 'vitest'
import { type HarnessClient, type StartedProvider, startProvider } from './provider.js'

// ---------------------------------------------------------------------------------------------
// Request helpers
// ---------------------------------------------------------------------------------------------

/** A parsed JSON response body. */
export type Json = Record<string, unknown>

/** The provider's discovery document, the members the self-tests read typed. */
export interface Discovery {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  userinfo_endpoint: string
  introspection_endpoint: string
  revocation_endpoint: string
  end_session_endpoint: string
  pushed_authorization_request_endpoint: string
  scopes_supported: string[]
  [key: string]: unknown
}

/** Content type of every token-endpoint style request. */
const FORM = 'application/x-www-form-urlencoded'

/** The `authorization` header value of `client_secret_basic` for `client`. */
export function basicAuth(client: HarnessClient): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`
}

/** A fresh PKCE verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** POST a form, asking for JSON; status, parsed body (`{}` when empty) and headers. */
export async function postForm(
  url: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': FORM, accept: 'application/json', ...headers },
    body: new URLSearchParams(params),
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers }
}

/**
 * Client-assertion parameters for `client`: a fresh JWT (iss = sub = client_id, random jti,
 * 2 min) for `audience`, signed with its private key (RS256) or its secret (HS256).
 */
export async function clientAssertion(
  client: HarnessClient,
  audience: string,
  mode: 'private_key_jwt' | 'client_secret_jwt',
): Promise<Record<string, string>> {
  const jwt = new SignJWT({})
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('2m')
  let assertion: string
  if (mode === 'private_key_jwt') {
    const jwk = client.privateJwk
    if (!jwk) throw new Error('no private key')
    assertion = await jwt
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .sign(await importJWK(jwk, 'RS256'))
  } else {
    assertion = await jwt
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(client.clientSecret))
  }
  return {
    client_id: client.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }
}

// ---------------------------------------------------------------------------------------------
// The default-mode provider
// ---------------------------------------------------------------------------------------------

/**
 * The provider of the calling test file, its discovery document and its JWKS, set by the hooks of
 * {@link useDefaultProvider}: one object, since importers cannot reassign an exported `let`.
 */
export const fixture = {} as {
  op: StartedProvider
  meta: Discovery
  jwks: ReturnType<typeof createRemoteJWKSet>
}

/**
 * Register, in the calling describe, the hooks that start a default-mode provider (opaque access
 * tokens) before its tests and close it after them, filling {@link fixture}.
 */
export function useDefaultProvider(): void {
  beforeAll(async () => {
    fixture.op = await startProvider()
    fixture.meta = (await (
      await fetch(`${fixture.op.issuer}/.well-known/openid-configuration`)
    ).json()) as Discovery
    fixture.jwks = createRemoteJWKSet(new URL(fixture.meta.jwks_uri), {
      cooldownDuration: 0,
      cacheMaxAge: 0,
    })
  })

  afterAll(async () => {
    await fixture.op?.close()
  })
}

/** Verify an ID token of the {@link fixture} provider (RS256, its issuer, `audience`); its claims. */
export const verifyIdToken = async (idToken: string, audience: string) =>
  (
    await jwtVerify(idToken, fixture.jwks, {
      issuer: fixture.op.issuer,
      audience,
      algorithms: ['RS256'],
    })
  ).payload

/** A password grant for the harness user with the `post` client of the {@link fixture} provider. */
export const passwordGrant = async (scope: string) => {
  const { op, meta } = fixture
  const client = op.clients.post
  const res = await postForm(meta.token_endpoint, {
    grant_type: 'password',
    username: op.user.username,
    password: op.user.password,
    scope,
    client_id: client.clientId,
    client_secret: client.clientSecret as string,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body as {
    access_token: string
    refresh_token?: string
    id_token?: string
    scope: string
  }
}
