import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import type { KeyStatus, ServerState, SigningKey } from './server-state.js'

// The signing keys of an authorization server and their rotation
// (NEXT → ACTIVE → EXPIRED), shared by OktaOrgState.rotateKeys and the
// management API's keyRotate.

/**
 * @internal Rotate a server's keys: `NEXT` becomes `ACTIVE`, `ACTIVE` becomes
 * `EXPIRED`, older expired keys are dropped, a new `NEXT` is generated.
 * @returns The new active `kid`.
 */
export async function rotateServerKeys(server: ServerState, now: number): Promise<string> {
  const next = await newSigningKey('NEXT', now)
  server.keys = server.keys.filter((k) => k.status !== 'EXPIRED')
  for (const key of server.keys) {
    if (key.status === 'ACTIVE') key.status = 'EXPIRED'
    else if (key.status === 'NEXT') key.status = 'ACTIVE'
  }
  server.keys.push(next)
  return server.keys.find((k) => k.status === 'ACTIVE')!.kid
}

/** @internal A new RS256 signing key (`kid`: its JWK thumbprint). */
export async function newSigningKey(status: KeyStatus, created: number): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(jwk)
  return {
    kid,
    status,
    privateKey: privateKey as CryptoKey,
    publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' },
    created,
  }
}
