/**
 * The shared harness of the verifier integration tests (verifier-*.test.ts):
 * the two entries every behaviour runs against, the oidc-provider instances a
 * file starts with `useProviders()` (a JWT-mode one and one in the default
 * opaque mode, each only if the file asks for it), and the helpers that get
 * and present tokens. Not a test file: vitest collects only *.test.ts.
 */
import { base64url } from 'jose'
import { afterAll, beforeAll } from 'vitest'
import {
  type Client,
  type ClientAuth,
  createClient,
  discover,
  type ServerMetadata,
} from '../../src/index.js'
import { createVerifier as createWebCryptoVerifier } from '../../src/verifier/index.js'
import { createVerifier as createNodeVerifier } from '../../src/verifier/node.js'
import { type HarnessClient, type StartedProvider, startProvider } from './harness/provider.js'

export const entries = [
  { entry: 'node', crypto: 'node:crypto', createVerifier: createNodeVerifier },
  { entry: 'webcrypto', crypto: 'webcrypto', createVerifier: createWebCryptoVerifier },
] as const

/**
 * The providers of the current file, set by the `beforeAll` of
 * {@link useProviders}: one object, since importers cannot reassign an
 * exported `let`.
 */
export const providers = {} as {
  /** The JWT-mode provider most tests share (never rotated; rotation has its own). */
  op: StartedProvider
  metadata: ServerMetadata
  /** A provider in the default opaque mode, for introspection. */
  opaque: StartedProvider
  opaqueMetadata: ServerMetadata
}

/**
 * Registers the hooks that start the providers a file uses, once for the file
 * (in parallel, with their discovery documents), and close them after it.
 */
export function useProviders(which: { jwt?: boolean; opaque?: boolean }): void {
  beforeAll(async () => {
    await Promise.all([
      which.jwt &&
        (async () => {
          providers.op = await startProvider({ accessTokenFormat: 'jwt' })
          providers.metadata = await discover(providers.op.issuer, { cacheTtl: 0 })
        })(),
      which.opaque &&
        (async () => {
          providers.opaque = await startProvider()
          providers.opaqueMetadata = await discover(providers.opaque.issuer, { cacheTtl: 0 })
        })(),
    ])
  })
  afterAll(async () => {
    await Promise.all([providers.op?.close(), providers.opaque?.close()])
  })
}

export function authOf(c: HarnessClient): ClientAuth {
  if (c.tokenEndpointAuthMethod === 'client_secret_post') {
    return { method: 'client_secret_post', clientSecret: c.clientSecret! }
  }
  return { method: 'client_secret_basic', clientSecret: c.clientSecret! }
}

export function clientOf(md: ServerMetadata, c: HarnessClient): Client {
  return createClient(md, { clientId: c.clientId, redirectUri: c.redirectUri, auth: authOf(c) })
}

/** A client-credentials access token from `provider` (by default the shared JWT-mode one). */
export async function clientCredentials(
  scope: string,
  provider = providers.op,
  md = providers.metadata,
): Promise<string> {
  const { accessToken } = await clientOf(md, provider.clients.basic).clientCredentials({ scope })
  return accessToken
}

export function bearer(token: string, path = '/orders'): Request {
  return new Request(`http://127.0.0.1/api${path}`, {
    headers: { authorization: `Bearer ${token}` },
  })
}

/** Change one claim, keeping the original header and signature. */
export function tamper(token: string, claims: Record<string, unknown>): string {
  const [h, p, s] = token.split('.') as [string, string, string]
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p)))
  return `${h}.${base64url.encode(JSON.stringify({ ...payload, ...claims }))}.${s}`
}
