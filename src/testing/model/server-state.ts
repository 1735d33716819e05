import type { JWK } from '../../lib/wire-types.js'
import type { ServerAdmin } from './server-admin.js'

// An authorization server of the org as the endpoints see it, and its
// signing keys (rotated by signing-keys.ts).

/** Status of a signing key, as the management API reports it. */
export type KeyStatus = 'ACTIVE' | 'NEXT' | 'EXPIRED'

/** @internal A signing key of one authorization server. */
export interface SigningKey {
  kid: string
  status: KeyStatus
  privateKey: CryptoKey
  publicJwk: JWK
  created: number
}

/** @internal One authorization server's runtime state. */
export interface ServerState {
  id: string
  /** `undefined` for the org authorization server. */
  custom: boolean
  issuer: string
  /** Base of the `/v1/*` endpoints. */
  base: string
  audiences: string[]
  scopes: Set<string>
  keys: SigningKey[]
  /** Management API state of a custom server (name, status, policies, scopes, claims). */
  admin?: ServerAdmin
}
