import { sha256Base64url } from '../../lib/base64url.js'
import type { ServerState } from '../model/server-state.js'
import type { OrgClient } from '../options.js'
import { OIDC_SCOPES, type OktaOrgState } from '../org.js'
import { grantsOf } from './client.js'
import { authenticateClient } from './client-auth.js'
import { jsonResponse, NO_STORE, oauthError, readForm } from './http.js'
import { issueTokens, type Minted, mintRefreshToken, refreshExpiry } from './mint.js'
import { accessPolicy, POLICY_DENIED } from './policy.js'
import { NO_DEFAULT_SCOPES, parseScopes, requestedScopes, unknownScopes } from './scopes.js'

// The token endpoint, `/v1/token`: one function per grant, authorization_code
// (with PKCE), refresh_token (with rotation), password and client_credentials.

const OIDC_ONLY = new Set(OIDC_SCOPES)

/** A grant of the token endpoint, for an authenticated client allowed to use it. */
type Grant = (
  state: OktaOrgState,
  server: ServerState,
  client: OrgClient,
  form: URLSearchParams,
) => Promise<Response>

/** The grants the token endpoint supports, by `grant_type`. */
const GRANTS: ReadonlyMap<string, Grant> = new Map([
  ['authorization_code', authorizationCodeGrant],
  ['refresh_token', refreshTokenGrant],
  ['password', passwordGrant],
  ['client_credentials', clientCredentialsGrant],
])

/** A token response, never cached. */
const ok = (minted: Minted) => jsonResponse(minted.body, { headers: NO_STORE })
/** No access policy rule allows the request. */
const denied = () => oauthError(400, 'access_denied', POLICY_DENIED)

/** @internal Answer a token request. */
export async function token(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  // Deactivated through the management API: no tokens are issued.
  if (server.admin?.status === 'INACTIVE') {
    return oauthError(400, 'invalid_request', 'The authorization server is inactive.')
  }
  const form = await readForm(request)
  const client = await authenticateClient(state, request, form, `${server.base}/v1/token`)
  const grant = form.get('grant_type')
  if (!grant) return oauthError(400, 'invalid_request', 'The grant_type parameter is required.')
  const answer = GRANTS.get(grant)
  if (!answer) {
    return oauthError(400, 'unsupported_grant_type', `The grant type '${grant}' is not supported.`)
  }
  if (!grantsOf(client).has(grant)) {
    return oauthError(
      400,
      'unauthorized_client',
      'The client is not authorized to use the provided grant type.',
    )
  }
  return answer(state, server, client, form)
}

/** authorization_code: one use of an unexpired code of this client and server, PKCE checked. */
async function authorizationCodeGrant(
  state: OktaOrgState,
  server: ServerState,
  client: OrgClient,
  form: URLSearchParams,
): Promise<Response> {
  const value = form.get('code') ?? ''
  const code = state.codes.get(value)
  state.codes.delete(value)
  if (
    !code ||
    code.exp < state.now() ||
    code.server !== server ||
    code.clientId !== client.clientId
  ) {
    return oauthError(400, 'invalid_grant', 'The authorization code is invalid or has expired.')
  }
  if (form.get('redirect_uri') !== code.redirectUri) {
    return oauthError(
      400,
      'invalid_grant',
      "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
    )
  }
  const verifier = form.get('code_verifier')
  if (code.codeChallenge !== undefined) {
    if (!verifier)
      return oauthError(400, 'invalid_grant', 'PKCE verification failed: code_verifier is missing.')
    if ((await sha256Base64url(verifier)) !== code.codeChallenge) {
      return oauthError(400, 'invalid_grant', 'PKCE verification failed.')
    }
  } else if (verifier) {
    return oauthError(
      400,
      'invalid_request',
      'code_verifier was sent but no code_challenge was in the authorization request.',
    )
  }
  const policy = accessPolicy(
    state,
    server,
    client.clientId,
    'authorization_code',
    code.userId,
    code.scopes,
  )
  if (!policy) return denied()
  return ok(
    await issueTokens(state, server, client, code.userId, code.scopes, {
      grant: 'authorization_code',
      lifetimes: policy.lifetimes,
      ...(code.nonce !== undefined && { nonce: code.nonce }),
      authTime: code.authTime,
    }),
  )
}

/**
 * refresh_token: a live refresh token of this client and server, scopes at
 * most its own; rotated (or its idle window renewed) when offline_access stays.
 */
async function refreshTokenGrant(
  state: OktaOrgState,
  server: ServerState,
  client: OrgClient,
  form: URLSearchParams,
): Promise<Response> {
  const value = form.get('refresh_token') ?? ''
  const record = state.tokens.get(value)
  if (
    record?.kind !== 'refresh_token' ||
    record.revoked ||
    record.exp < state.now() ||
    record.server !== server ||
    record.clientId !== client.clientId
  ) {
    return oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired.')
  }
  const requested = parseScopes(form.get('scope'))
  const scopes = requested.length > 0 ? requested : record.scopes
  if (scopes.some((s) => !record.scopes.includes(s))) {
    return oauthError(
      400,
      'invalid_scope',
      'The requested scopes exceed the scopes of the refresh token.',
    )
  }
  // The policies are evaluated again, for the grant the family started with.
  const grant = record.grant ?? 'authorization_code'
  const policy = accessPolicy(state, server, client.clientId, grant, record.userId, scopes)
  if (!policy) return denied()
  const minted = await issueTokens(state, server, client, record.userId, scopes, {
    grant,
    lifetimes: policy.lifetimes,
    family: record.family,
    ...(record.authTime !== undefined && { authTime: record.authTime }),
    refresh: false,
  })
  // Down-scoped without offline_access: an access token only, and the
  // refresh token stays as it is.
  if (!scopes.includes('offline_access')) return ok(minted)
  // The refresh token keeps its original scopes; with rotation it is
  // replaced and the old value stops working.
  if (state.rotateRefreshTokens) {
    record.revoked = true
    minted.body.refresh_token = mintRefreshToken(
      state,
      server,
      client.clientId,
      record.userId!,
      record.scopes,
      record.family,
      record.authTime,
      {
        grant,
        lifetimes: policy.lifetimes,
        ...(record.familyStart !== undefined && { familyStart: record.familyStart }),
      },
    )
  } else {
    // Used: its idle window starts again.
    record.exp = refreshExpiry(state, policy.lifetimes, record.familyStart ?? record.iat)
    minted.body.refresh_token = value
  }
  return ok(minted)
}

/** password (legacy): the user's credentials; the requested scopes, or the server's default ones. */
async function passwordGrant(
  state: OktaOrgState,
  server: ServerState,
  client: OrgClient,
  form: URLSearchParams,
): Promise<Response> {
  const username = form.get('username') ?? ''
  const user = state.userByLogin(username)
  if (!user || user.password !== form.get('password')) {
    return oauthError(400, 'invalid_grant', 'The credentials provided were invalid.')
  }
  const scopes = requestedScopes(server, form.get('scope'))
  if (scopes.length === 0) return oauthError(400, 'invalid_scope', NO_DEFAULT_SCOPES)
  const bad = unknownScopes(server, scopes).concat(scopes.filter((s) => s.startsWith('okta.')))
  if (bad.length > 0) {
    return oauthError(
      400,
      'invalid_scope',
      `One or more scopes are not configured for the authorization server resource.`,
    )
  }
  const policy = accessPolicy(state, server, client.clientId, 'password', user.id, scopes)
  if (!policy) return denied()
  return ok(
    await issueTokens(state, server, client, user.id, scopes, {
      grant: 'password',
      lifetimes: policy.lifetimes,
      authTime: state.now(),
    }),
  )
}

/**
 * client_credentials: the requested scopes, or the server's default ones; no
 * OpenID Connect scopes; on the org server, only the app's `okta.*` grants.
 */
async function clientCredentialsGrant(
  state: OktaOrgState,
  server: ServerState,
  client: OrgClient,
  form: URLSearchParams,
): Promise<Response> {
  const scopes = requestedScopes(server, form.get('scope'))
  if (scopes.length === 0) return oauthError(400, 'invalid_scope', NO_DEFAULT_SCOPES)
  if (scopes.some((s) => OIDC_ONLY.has(s))) {
    return oauthError(
      400,
      'invalid_scope',
      'The client_credentials flow does not allow OpenID Connect scopes.',
    )
  }
  if (unknownScopes(server, scopes).length > 0) {
    return oauthError(
      400,
      'invalid_scope',
      'One or more scopes are not configured for the authorization server resource.',
    )
  }
  if (!server.custom) {
    const granted = new Set(client.oktaScopes ?? [])
    if (scopes.some((s) => !granted.has(s))) {
      return oauthError(
        400,
        'invalid_scope',
        'The requested scope is not granted to the client (OAuth for Okta app grants).',
      )
    }
  }
  const policy = accessPolicy(
    state,
    server,
    client.clientId,
    'client_credentials',
    undefined,
    scopes,
  )
  if (!policy) return denied()
  return ok(
    await issueTokens(state, server, client, undefined, scopes, {
      grant: 'client_credentials',
      lifetimes: policy.lifetimes,
    }),
  )
}
