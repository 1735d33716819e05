/**
 * `okta-oauth-kit/verifier`: access-token and ID-token verification for
 * resource servers, on the SDK's shared JWKS cache. On Node the `node` export
 * condition selects a build that verifies signatures with `node:crypto`;
 * every other runtime uses WebCrypto. Both export the same API.
 *
 * @module okta-oauth-kit/verifier
 */
import { createWebCryptoBackend } from './backend.js'
import type { Verifier, VerifierOptions } from './types.js'
import { createVerifierWith } from './verifier.js'

export * from './common.js'

let backend: ReturnType<typeof createWebCryptoBackend> | undefined

/**
 * Create a verifier for access tokens (Okta's `typ: JWT` format and RFC 9068
 * `at+jwt`) and ID tokens of one or more issuers.
 *
 * @param options - Issuer(s), audience, and tuning.
 * @returns The verifier. It discovers each issuer and loads its keys on first use (or on `ready()`).
 * @throws `InvalidOptionError` for a missing issuer or audience, an insecure URL, or a disallowed algorithm.
 * @example
 * ```ts
 * import { createVerifier } from 'okta-oauth-kit/verifier'
 * const verifier = createVerifier({
 *   issuer: 'https://example.okta.com/oauth2/default',
 *   audience: 'api://default',
 * })
 * async function handle(request: Request): Promise<Response> {
 *   const auth = await verifier.authenticate(request, { scopes: ['orders:read'] })
 *   if (!auth.ok) return auth.response // 401/403 with WWW-Authenticate
 *   return Response.json({ user: auth.token.subject, scopes: auth.token.scopes })
 * }
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  backend ??= createWebCryptoBackend()
  return createVerifierWith(backend, options)
}
