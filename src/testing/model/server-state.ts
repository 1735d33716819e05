import type { ServerAdmin } from './server-admin.js'
import type { SigningKey } from './signing-keys.js'

// An authorization server of the org as the endpoints see it, and its
// signing keys (rotated by signing-keys.ts).

/** Status of a signing key, as the management API reports it. */
export type KeyStatus = 'ACTIVE' | 'NEXT' | 'EXPIRED'

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
  /** Replaced, never changed in place, when keys rotate (what is cached per list stays right). */
  keys: readonly SigningKey[]
  /** Management API state of a custom server (name, status, policies, scopes, claims). */
  admin?: ServerAdmin
}
