import { HttpResponse } from 'msw'
import { type OktaOrgState, randomId, type ServerState } from '../org.js'
import { grantsOf, methodOf } from './client.js'
import { NO_STORE } from './http.js'
import { mintAccessToken, mintIdToken } from './mint.js'
import { errorPage, html, page } from './pages.js'
import { accessPolicy, POLICY_DENIED } from './policy.js'
import { parseScopes, unknownScopes } from './scopes.js'

// The authorization endpoint, `/v1/authorize`, headless: every response type
// and mode, PAR's request_uri, sessionToken, prompt, max_age, login_hint.

type ResponseMode = 'query' | 'fragment' | 'form_post' | 'okta_post_message'

/** @internal Answer an authorization request (the query, or a pushed request's parameters). */
export async function authorize(
  state: OktaOrgState,
  server: ServerState,
  query: URLSearchParams,
): Promise<Response> {
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
      return errorPage(400, 'invalid_request', 'The request_uri is invalid or has expired.')
    }
    params = pushed.params
  }
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
  const fail = (error: string, description: string) =>
    respond(redirectUri, mode, {
      error,
      error_description: description,
      ...(stateParam !== undefined && { state: stateParam }),
    })
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
  const scopes = parseScopes(params.get('scope'))
  if (scopes.length === 0) return fail('invalid_scope', "The 'scope' parameter is required.")
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

  // Who is signing in: a session token, the browser session, or the headless login.
  const prompt = new Set((params.get('prompt') ?? '').split(' ').filter(Boolean))
  const maxAge = params.get('max_age')
  const now = state.now()
  let userId: string | undefined
  let authTime = now
  const sessionToken = params.get('sessionToken')
  if (sessionToken) {
    userId = state.sessionTokens.get(sessionToken)
    state.sessionTokens.delete(sessionToken)
    if (!userId) return fail('access_denied', 'The session token is invalid.')
    state.signIn(state.users.get(userId)!.login)
  } else {
    const session = state.session
    const tooOld =
      session !== undefined && maxAge !== null && now - session.authTime > Number(maxAge)
    if (prompt.has('none')) {
      if (!session || tooOld)
        return fail(
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
      if (!user) return fail('access_denied', 'The user could not be signed in.')
      state.signIn(user.login)
      userId = user.id
    }
  }
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
    const lifetime = implicitPolicy.lifetimes?.access ?? state.tokenLifetime
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
  out.state = stateParam
  return respond(redirectUri, mode, out)
}

function respond(
  redirectUri: string,
  mode: ResponseMode,
  params: Record<string, string>,
): Response {
  if (mode === 'query' || mode === 'fragment') {
    const url = new URL(redirectUri)
    const encoded = new URLSearchParams(params)
    if (mode === 'query') for (const [k, v] of encoded) url.searchParams.append(k, v)
    else url.hash = encoded.toString()
    return new HttpResponse(null, {
      status: 302,
      headers: { location: url.href, 'referrer-policy': 'no-referrer', ...NO_STORE },
    })
  }
  if (mode === 'form_post') {
    const inputs = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${html(k)}" value="${html(v)}"/>`)
      .join('')
    return page(
      `<form method="post" action="${html(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>` +
        '<script>document.forms[0].submit()</script>',
    )
  }
  // okta_post_message: post the response to the window that opened the popup
  // or framed the page, and only to the redirect URI's origin.
  const origin = new URL(redirectUri).origin
  const data = JSON.stringify(params).replace(/</g, '\\u003c')
  return page(
    `<script>(function(){var d=${data};var t=window.opener||window.parent;if(t&&t!==window){t.postMessage(d,${JSON.stringify(origin)})}})()</script>`,
  )
}
