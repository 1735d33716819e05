import { tokenHash } from '../../jwt/id-token.js'
import type { ServerState } from '../model/server-state.js'
import type { OrgClient } from '../options.js'
import { type OktaOrgState, randomId } from '../org.js'
import { grantsOf } from './client.js'
import type { Lifetimes } from './policy.js'
import { profileClaims } from './profile.js'

// Minting tokens in Okta's format: access tokens (JWTs, recorded for
// introspection and revocation), ID tokens, refresh tokens (opaque), and the
// token endpoint's response for a grant.

/** @internal A token endpoint response body, with the tokens minted for it. */
export interface Minted {
  body: Record<string, unknown>
  accessToken?: string
  idToken?: string
}

/** @internal Mint an access token (Okta's format). */
export async function mintAccessToken(
  state: OktaOrgState,
  server: ServerState,
  clientId: string,
  userId: string | undefined,
  scopes: string[],
  family: string,
  authTime?: number,
  lifetime = state.tokenLifetime,
): Promise<string> {
  const iat = state.now()
  const exp = iat + lifetime
  const jti = `AT.${randomId(43)}`
  const user = userId === undefined ? undefined : state.users.get(userId)
  const claims: Record<string, unknown> = {
    // Custom claims (management API) first: the standard ones cannot be overridden.
    ...server.admin?.tokenClaims('RESOURCE', { clientId, user, scopes }),
    ver: 1,
    jti,
    iss: server.issuer,
    aud: server.audiences.length === 1 ? server.audiences[0] : server.audiences,
    iat,
    exp,
    cid: clientId,
    ...(user && { uid: user.id }),
    scp: scopes,
    ...(authTime !== undefined && { auth_time: authTime }),
    sub: user ? user.login : clientId,
  }
  const value = await state.sign(server, claims)
  state.tokens.set(value, {
    kind: 'access_token',
    server,
    clientId,
    userId,
    scopes,
    iat,
    exp,
    jti,
    revoked: false,
    family,
    ...(authTime !== undefined && { authTime }),
  })
  return value
}

/** @internal Mint an ID token with the profile claims the scopes allow. */
export async function mintIdToken(
  state: OktaOrgState,
  server: ServerState,
  clientId: string,
  userId: string,
  scopes: string[],
  extra: { nonce?: string; authTime: number; accessToken?: string; code?: string },
): Promise<string> {
  const user = state.users.get(userId)!
  const iat = state.now()
  const claims: Record<string, unknown> = {
    ...server.admin?.tokenClaims('IDENTITY', { clientId, user, scopes }),
    sub: user.id,
    ver: 1,
    iss: server.issuer,
    aud: clientId,
    iat,
    exp: iat + state.tokenLifetime,
    jti: `ID.${randomId(43)}`,
    amr: ['pwd'],
    idp: '00oexampleorgidp',
    ...(extra.nonce !== undefined && { nonce: extra.nonce }),
    auth_time: extra.authTime,
    ...profileClaims(user, scopes),
    ...(extra.accessToken && { at_hash: await tokenHash(extra.accessToken, 'RS256') }),
    ...(extra.code && { c_hash: await tokenHash(extra.code, 'RS256') }),
  }
  return state.sign(server, claims)
}

/**
 * @internal
 * The expiry of a refresh token used or minted now: the rule's idle window,
 * capped by its absolute lifetime from the first token of the family; the
 * org's `refreshTokenLifetime` under the built-in rule.
 */
export function refreshExpiry(
  state: OktaOrgState,
  lifetimes: Lifetimes | undefined,
  familyStart: number,
): number {
  const now = state.now()
  if (!lifetimes) return now + state.refreshTokenLifetime
  const idle = now + lifetimes.window
  return lifetimes.refresh === undefined ? idle : Math.min(idle, familyStart + lifetimes.refresh)
}

/** @internal Mint a refresh token (opaque), in the family of the tokens it came with. */
export function mintRefreshToken(
  state: OktaOrgState,
  server: ServerState,
  clientId: string,
  userId: string,
  scopes: string[],
  family: string,
  authTime: number | undefined,
  origin: { grant: string; familyStart?: number; lifetimes: Lifetimes | undefined },
): string {
  const refresh = randomId(43)
  const iat = state.now()
  const familyStart = origin.familyStart ?? iat
  state.tokens.set(refresh, {
    kind: 'refresh_token',
    server,
    clientId,
    userId,
    scopes,
    iat,
    exp: refreshExpiry(state, origin.lifetimes, familyStart),
    jti: `RT.${randomId(20)}`,
    id: `oar${randomId(17)}`,
    revoked: false,
    family,
    grant: origin.grant,
    familyStart,
    ...(authTime !== undefined && { authTime }),
  })
  return refresh
}

/** @internal The token endpoint response for a grant. */
export async function issueTokens(
  state: OktaOrgState,
  server: ServerState,
  client: OrgClient,
  userId: string | undefined,
  scopes: string[],
  options: {
    /** The grant the tokens come from (a refresh token's original grant). */
    grant: string
    lifetimes: Lifetimes | undefined
    nonce?: string
    authTime?: number
    family?: string
    refresh?: boolean
  },
): Promise<Minted> {
  const family = options.family ?? randomId(16)
  const lifetime = options.lifetimes?.access ?? state.tokenLifetime
  // The two signatures run side by side (the ID token needs nothing of the access token here).
  const signedAccessToken = mintAccessToken(
    state,
    server,
    client.clientId,
    userId,
    scopes,
    family,
    options.authTime,
    lifetime,
  )
  const signedIdToken =
    userId !== undefined && scopes.includes('openid')
      ? mintIdToken(state, server, client.clientId, userId, scopes, {
          ...(options.nonce !== undefined && { nonce: options.nonce }),
          authTime: options.authTime ?? state.now(),
        })
      : undefined
  // Settle both before reading either, so a failure of one leaves no rejection unhandled.
  const [accessToken, idToken] = await Promise.all([signedAccessToken, signedIdToken])
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    expires_in: lifetime,
    access_token: accessToken,
    scope: scopes.join(' '),
  }
  if (
    userId !== undefined &&
    scopes.includes('offline_access') &&
    grantsOf(client).has('refresh_token') &&
    options.refresh !== false
  ) {
    body.refresh_token = mintRefreshToken(
      state,
      server,
      client.clientId,
      userId,
      scopes,
      family,
      options.authTime,
      { grant: options.grant, lifetimes: options.lifetimes },
    )
  }
  if (idToken !== undefined) body.id_token = idToken
  return { body, accessToken, ...(idToken && { idToken }) }
}
