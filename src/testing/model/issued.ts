import type { ServerState } from './server-state.js'

// What the org has issued and keeps: tokens (for introspection, revocation
// and refresh) and pending authorization codes.

/** @internal A token the org issued. */
export interface IssuedToken {
  kind: 'access_token' | 'refresh_token'
  server: ServerState
  clientId: string
  userId: string | undefined
  scopes: string[]
  exp: number
  iat: number
  jti: string
  /** Refresh tokens: the id the management API lists and revokes it by (`oar…`). */
  id?: string
  revoked: boolean
  /** The refresh token it was minted with (to revoke descendants). */
  family: string
  authTime?: number
  /** Refresh tokens: the grant the family started with (policies are evaluated for it). */
  grant?: string
  /** Refresh tokens: when the family's first refresh token was minted (absolute lifetime). */
  familyStart?: number
}

/** @internal A pending authorization code. */
export interface IssuedCode {
  server: ServerState
  clientId: string
  userId: string
  redirectUri: string
  scopes: string[]
  nonce?: string
  codeChallenge?: string
  codeChallengeMethod?: string
  authTime: number
  exp: number
}
