import type { ServerState } from '../model/server-state.js'
import type { OrgClient } from '../options.js'
import { type OktaOrgState, randomId } from '../org.js'
import { errorResponse, type ReplyTo, type ResponseMode, respond } from './authorize-response.js'
import { grantsOf, methodOf } from './client.js'
import { mintAccessToken, mintIdToken } from './mint.js'
import { errorPage } from './pages.js'
import { accessPolicy, type Lifetimes, POLICY_DENIED } from './policy.js'
import { NO_DEFAULT_SCOPES, requestedScopes, unknownScopes } from './scopes.js'

// The authorization endpoint, `/v1/authorize`, headless: every response type
// and mode, PAR's request_uri, sessionToken, prompt, max_age, login_hint.
// authorize() checks the request in Okta's order, then who signs in
// (signedInUser), then mints the response (mintResponse); the answers
// themselves are in authorize-response.ts.

/** @internal Answer an authorization request (the query, or a pushed request's parameters). */
export async function authorize(
  state: OktaOrgState,
  server: ServerState,
  query: URLSearchParams,
): Promise<Response> {
  const params = requestParameters(state, query)
  const client = state.clients.get(params.get('client_id') ?? '')
  if (!client) return errorPage(400, 'invalid_client', 'The client_id is not valid.')
  const redirectUri = params.get('redirect_uri') ?? ''
  if (!(client.redirectUris ?? []).includes(redirectUri)) {
    return errorPage(
      400,
      'invalid_request',
      "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
    )
  }
  const responseType = (params.get('response_type') ?? '').split(' ').filter(Boolean).sort()
  const types = new Set(responseType)
  const implicit = types.has('token') || types.has('id_token')
  const requestedMode = params.get('response_mode')
  const defaultMode: ResponseMode = implicit ? 'fragment' : 'query'
  const known =
    requestedMode !== null &&
    ['query', 'fragment', 'form_post', 'okta_post_message'].includes(requestedMode)
  // A disallowed mode (query with tokens) or an unknown one is answered with
  // the default mode. okta_post_message with a pure code flow is allowed: the
  // reference's older text refuses it, current orgs (and SPA SDKs using
  // popups with PKCE) rely on it.
  const allowed = known && !(requestedMode === 'query' && implicit)
  const mode: ResponseMode = allowed ? (requestedMode as ResponseMode) : defaultMode
  const stateParam = params.get('state') ?? undefined
  const to: ReplyTo = { redirectUri, mode, state: stateParam }
  const fail = (error: string, description: string) => errorResponse(to, error, description)
  if (requestedMode !== null && !allowed) {
    return fail(
      'unsupported_response_mode',
      known
        ? `The response mode '${requestedMode}' is not allowed for the response type.`
        : `The response mode '${requestedMode}' is not supported.`,
    )
  }
  if (
    responseType.length === 0 ||
    responseType.some((t) => !['code', 'token', 'id_token'].includes(t))
  ) {
    return fail(
      'unsupported_response_type',
      'The response type is not supported by the authorization server.',
    )
  }
  const grants = grantsOf(client)
  if (
    (types.has('code') && !grants.has('authorization_code')) ||
    (implicit && !grants.has('implicit'))
  ) {
    return fail(
      'unauthorized_client',
      'The client is not authorized to use the provided response type.',
    )
  }
  if (!stateParam) return fail('invalid_request', "The 'state' parameter is required.")
  const scopes = requestedScopes(server, params.get('scope'))
  if (scopes.length === 0) return fail('invalid_scope', NO_DEFAULT_SCOPES)
  if (unknownScopes(server, scopes).length > 0) {
    return fail(
      'invalid_scope',
      'One or more scopes are not configured for the authorization server resource.',
    )
  }
  if (
    !server.custom &&
    scopes.some((s) => s.startsWith('okta.') && !(client.oktaScopes ?? []).includes(s))
  ) {
    return fail(
      'invalid_scope',
      'The requested scope is not granted to the client (OAuth for Okta app grants).',
    )
  }
  if (types.has('id_token') && !scopes.includes('openid')) {
    return fail('invalid_scope', "The 'openid' scope is required for an ID token.")
  }
  const nonce = params.get('nonce') ?? undefined
  if (types.has('id_token') && !nonce)
    return fail('invalid_request', "The 'nonce' parameter is required for an ID token.")
  const codeChallenge = params.get('code_challenge') ?? undefined
  const method = params.get('code_challenge_method') ?? (codeChallenge ? 'plain' : undefined)
  if (codeChallenge !== undefined && method !== 'S256') {
    return fail('invalid_request', "PKCE code_challenge_method must be 'S256'.")
  }
  if (codeChallenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    return fail('invalid_request', 'The PKCE code_challenge is not a valid S256 challenge.')
  }
  if (types.has('code') && methodOf(client) === 'none' && codeChallenge === undefined) {
    return fail(
      'invalid_request',
      "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.",
    )
  }

  const prompt = new Set((params.get('prompt') ?? '').split(' ').filter(Boolean))
  const now = state.now()
  const { userId, authTime } = signedInUser(state, params, prompt, now, fail)
  const consentKey = `${client.clientId} ${userId}`
  if (client.consentRequired && !state.consents.has(consentKey)) {
    if (prompt.has('none')) return fail('consent_required', 'The client requires user consent.')
    state.consents.add(consentKey)
  }

  // Access policies: the code flow is evaluated again at the token endpoint;
  // tokens from this endpoint are the implicit grant's.
  const codePolicy = types.has('code')
    ? accessPolicy(state, server, client.clientId, 'authorization_code', userId, scopes)
    : { lifetimes: undefined }
  const implicitPolicy = implicit
    ? accessPolicy(state, server, client.clientId, 'implicit', userId, scopes)
    : { lifetimes: undefined }
  if (!codePolicy || !implicitPolicy) return fail('access_denied', POLICY_DENIED)

  const out = await mintResponse(state, server, {
    client,
    redirectUri,
    types,
    scopes,
    nonce,
    codeChallenge,
    userId,
    authTime,
    now,
    implicitLifetimes: implicitPolicy.lifetimes,
  })
  out.state = stateParam
  return respond(redirectUri, mode, out)
}

/**
 * The request's parameters: the query, or the pushed request its
 * `request_uri` names (one use, unexpired, same client); throws the error
 * page otherwise.
 */
function requestParameters(state: OktaOrgState, query: URLSearchParams): URLSearchParams {
  let params = query
  const requestUri = query.get('request_uri')
  if (requestUri) {
    const pushed = state.pushed.get(requestUri)
    state.pushed.delete(requestUri)
    if (
      !pushed ||
      pushed.exp < state.now() ||
      pushed.params.get('client_id') !== query.get('client_id')
    ) {
      throw errorPage(400, 'invalid_request', 'The request_uri is invalid or has expired.')
    }
    params = pushed.params
  }
  return params
}

/**
 * Who is signing in: a session token, the browser session, or the headless
 * login (the `login_hint` user, or the first one). Throws the error answer
 * (`fail`) when nobody can be.
 */
function signedInUser(
  state: OktaOrgState,
  params: URLSearchParams,
  prompt: Set<string>,
  now: number,
  fail: (error: string, description: string) => Response,
): { userId: string; authTime: number } {
  const maxAge = params.get('max_age')
  let userId: string | undefined
  let authTime = now
  const sessionToken = params.get('sessionToken')
  if (sessionToken) {
    userId = state.sessionTokens.get(sessionToken)
    state.sessionTokens.delete(sessionToken)
    if (!userId) throw fail('access_denied', 'The session token is invalid.')
    state.signIn(state.users.get(userId)!.login)
  } else {
    const session = state.session
    const tooOld =
      session !== undefined && maxAge !== null && now - session.authTime > Number(maxAge)
    if (prompt.has('none')) {
      if (!session || tooOld)
        throw fail(
          'login_required',
          'The client specified not to prompt, but the user is not logged in.',
        )
      userId = session.userId
      authTime = session.authTime
    } else if (session && !prompt.has('login') && !tooOld) {
      userId = session.userId
      authTime = session.authTime
    } else {
      const hint = params.get('login_hint')
      const user = hint ? state.userByLogin(hint) : state.users.values().next().value
      if (!user) throw fail('access_denied', 'The user could not be signed in.')
      state.signIn(user.login)
      userId = user.id
    }
  }
  return { userId, authTime }
}

/** A checked authorization request, and who it is for. */
interface Authorized {
  client: OrgClient
  redirectUri: string
  types: Set<string>
  scopes: string[]
  nonce: string | undefined
  codeChallenge: string | undefined
  userId: string
  authTime: number
  now: number
  /** The implicit grant's lifetimes (its access policy rule). */
  implicitLifetimes: Lifetimes | undefined
}

/** The response parameters of each requested type: a code, an access token, an ID token. */
async function mintResponse(
  state: OktaOrgState,
  server: ServerState,
  request: Authorized,
): Promise<Record<string, string>> {
  const { client, redirectUri, types, scopes, nonce, codeChallenge, userId, authTime, now } =
    request
  const out: Record<string, string> = {}
  let code: string | undefined
  if (types.has('code')) {
    code = randomId(43)
    state.codes.set(code, {
      server,
      clientId: client.clientId,
      userId,
      redirectUri,
      scopes,
      ...(nonce !== undefined && { nonce }),
      ...(codeChallenge !== undefined && { codeChallenge, codeChallengeMethod: 'S256' }),
      authTime,
      // "This code remains valid for 300 seconds" (authorization code guide).
      exp: now + 300,
    })
    out.code = code
  }
  let accessToken: string | undefined
  if (types.has('token')) {
    const lifetime = request.implicitLifetimes?.access ?? state.tokenLifetime
    accessToken = await mintAccessToken(
      state,
      server,
      client.clientId,
      userId,
      scopes,
      randomId(16),
      authTime,
      lifetime,
    )
    out.access_token = accessToken
    out.token_type = 'Bearer'
    out.expires_in = String(lifetime)
    out.scope = scopes.join(' ')
  }
  if (types.has('id_token')) {
    out.id_token = await mintIdToken(state, server, client.clientId, userId, scopes, {
      ...(nonce !== undefined && { nonce }),
      authTime,
      ...(accessToken && { accessToken }),
      ...(code && { code }),
    })
  }
  return out
}
