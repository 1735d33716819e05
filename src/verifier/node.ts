/**
 * `okta-oauth-kit/verifier` on Node (the `node` export condition): the same
 * API as the WebCrypto build, with signatures verified synchronously by
 * `node:crypto` on `KeyObject`s imported once per key.
 *
 * @module okta-oauth-kit/verifier/node
 * @internal
 */
import { createNodeBackend } from './backend-node.js'
import type { Verifier, VerifierOptions } from './types.js'
import { createVerifierWith } from './verifier.js'

export * from './common.js'

let backend: ReturnType<typeof createNodeBackend> | undefined

/**
 * Create a verifier (see the WebCrypto entry's documentation; same contract).
 * @param options - Issuer(s), audience, and tuning.
 * @returns The verifier, on `node:crypto`.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  backend ??= createNodeBackend()
  return createVerifierWith(backend, options)
}
