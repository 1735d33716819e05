import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
} from 'jose'
import { InvalidOptionError } from '../../errors.js'
import { methodOf } from '../oidc/client.js'
import type { OrgClient } from '../options.js'

// The key pair of a `private_key_jwt` client registered without keys (the
// default service client): generated on first request, its public half
// registered on the client, its private half handed to the test or the dev
// server that signs client assertions with it.

/** The private key of a `private_key_jwt` client of the emulated org; see {@link OktaOrgState.clientKey}. */
export interface OrgClientKey {
  /** The key id, registered on the client (its JWK thumbprint). */
  readonly kid: string
  /** The signing algorithm: `RS256`. */
  readonly alg: 'RS256'
  /** The private key as a JWK (with `kid` and `alg`). */
  readonly privateJwk: JWK
  /** The private key as PKCS #8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  readonly privatePem: string
  /** The public key set now registered on the client. */
  readonly publicJwks: JSONWebKeySet
}

const generated = new WeakMap<OrgClient, Promise<OrgClientKey>>()

/**
 * @internal The generated key of a `private_key_jwt` client: created once,
 * its public half registered as the client's `jwks`.
 */
export function clientKeyOf(client: OrgClient): Promise<OrgClientKey> {
  const known = generated.get(client)
  if (known) return known
  if (methodOf(client) !== 'private_key_jwt') {
    throw new InvalidOptionError(
      `client ${client.clientId} does not use private_key_jwt, so the org holds no key for it`,
    )
  }
  if (client.jwks !== undefined) {
    throw new InvalidOptionError(
      `client ${client.clientId} was registered with its own jwks; the org never saw its private key`,
    )
  }
  const key = generate(client)
  generated.set(client, key)
  return key
}

async function generate(client: OrgClient): Promise<OrgClientKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' }
  const publicJwks = { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] }
  client.jwks = publicJwks
  return Object.freeze({
    kid,
    alg: 'RS256' as const,
    privateJwk,
    privatePem: await exportPKCS8(privateKey),
    publicJwks,
  })
}
