import type { ServerMetadata } from '../discovery/discover.js'
import { AuthorizationRequestError, InvalidOptionError } from '../errors.js'
import { randomBase64url, sha256Base64url } from '../lib/base64url.js'
import { assertSecureUrl, parseUrl } from '../lib/http.js'

// The one home of authorization requests. The core client builds its URLs
// with buildAuthorizationUrl (every rule, including those on the server's
// metadata and the client's settings); `./browser` builds its own with the
// same request rules (normaliseResponseType, checkMaxAge) and the same
// assembly (assembleAuthorizationUrl), so a bad request is refused the same
// way (`AuthorizationRequestError` and its `rule`) in both entries. This
// file must stay free of oauth4webapi and jose, which `./browser` does not
// bundle (a package test walks its chunks).

/** How the authorization response comes back. */
export type ResponseMode = 'query' | 'fragment' | 'form_post' | 'okta_post_message'

/** What to ask for in an authorization request. Everything is optional. */
export interface AuthorizationRequest {
  /** Space-separated scopes. Default: `openid profile email`. */
  scope?: string
  /**
   * Any combination of `code`, `token`, `id_token`. Default: `code`.
   * Implicit (`id_token`, `id_token token`, `token`) is legacy: prefer `code` with PKCE.
   */
  responseType?: string
  /** Default: `query` for `code`, `fragment` when tokens come back in the response. */
  responseMode?: ResponseMode
  /** Default: the client's `redirectUri`. */
  redirectUri?: string
  /** Default: a fresh random value. Alphanumerics, `,` `.` `_` `-` only. */
  state?: string
  /** Default: a fresh random value (always sent). */
  nonce?: string
  /** `none`, `login`, `consent`, `select_account`, or a space-separated combination (`none` alone). */
  prompt?: string
  /** Maximum seconds since the user last authenticated; `auth_time` is then checked. */
  maxAge?: number
  /** `page` or `popup`. */
  display?: string
  /** A username to prefill. */
  loginHint?: string
  /** Requested authentication context classes, space separated. */
  acrValues?: string
  /**
   * PKCE method for flows that return a code. Default: `S256`.
   *
   * > [!WARNING]
   * > `plain` sends the verifier itself as the challenge: only for servers that cannot do S256.
   */
  pkce?: 'S256' | 'plain'
  /** Okta: the identity provider id to sign in with. */
  idp?: string
  /** Okta: a one-time session token from the Authentication API. */
  sessionToken?: string
  /** Okta: extra scopes for the social identity provider, space separated. */
  idpScope?: string
  /** Other parameters, sent as given. They cannot override the parameters above. */
  extra?: Record<string, string>
}

/**
 * What the response handler needs to validate the authorization response:
 * plain JSON, so it can be stored in `sessionStorage`, a cookie or a database.
 *
 * > [!WARNING]
 * > It holds the PKCE verifier: keep it where only this user agent or server can read it.
 */
export interface AuthorizationTransaction {
  /** The issuer the request was sent to. */
  issuer: string
  /** The client id. */
  clientId: string
  /** The `state` sent. */
  state: string
  /** The `nonce` sent. */
  nonce: string
  /** The PKCE verifier, for flows that return a code. */
  codeVerifier?: string
  /** The PKCE method used. */
  codeChallengeMethod?: 'S256' | 'plain'
  /** The `redirect_uri` sent. */
  redirectUri: string
  /** The `response_type` sent, normalised (e.g. `code id_token`). */
  responseType: string
  /** The `response_mode` the response will use. */
  responseMode: ResponseMode
  /** The `scope` sent. */
  scope: string
  /** The `max_age` sent, if any. */
  maxAge?: number
  /** When the request was built, ms since the epoch. */
  createdAt: number
}

/** The result of building an authorization request. */
export interface AuthorizationUrl {
  /** Where to send the user's browser. */
  url: URL
  /** Store it; give it back to the response handler. */
  transaction: AuthorizationTransaction
}

/** @internal What the client passes to {@link buildAuthorizationUrl}. */
export interface AuthorizationDefaults {
  clientId: string
  redirectUri: string | undefined
  postMessageForCode: boolean
  allowInsecureRequests: boolean | undefined
  now: () => number
}

const RESPONSE_TYPE_PARTS = ['code', 'id_token', 'token'] as const
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account'])
const STATE = /^[A-Za-z0-9,._-]+$/
const MANAGED = new Set([
  'client_id',
  'response_type',
  'response_mode',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'display',
  'login_hint',
  'acr_values',
  'idp',
  'sessionToken',
  'idp_scope',
])

/** @internal Normalise a response_type to the canonical order: `code id_token token`. */
export function normaliseResponseType(value: string): string {
  const parts = value.split(' ').filter(Boolean)
  const unique = new Set(parts)
  if (
    parts.length === 0 ||
    unique.size !== parts.length ||
    parts.some((p) => !(RESPONSE_TYPE_PARTS as readonly string[]).includes(p))
  ) {
    throw new AuthorizationRequestError(
      'responseType must be a combination of code, token and id_token, each at most once',
      { rule: 'response_type' },
    )
  }
  return RESPONSE_TYPE_PARTS.filter((p) => unique.has(p)).join(' ')
}

/**
 * @internal
 * Validate an authorization request against the protocol and the server's
 * metadata, generate state, nonce and PKCE, and build the URL.
 */
export async function buildAuthorizationUrl(
  metadata: ServerMetadata,
  defaults: AuthorizationDefaults,
  request: AuthorizationRequest,
): Promise<AuthorizationUrl> {
  const endpoint = metadata.authorization_endpoint
  if (typeof endpoint !== 'string') {
    throw new InvalidOptionError('the server metadata has no authorization_endpoint', {
      code: 'ERR_MISSING_ENDPOINT',
    })
  }
  const url = parseUrl(endpoint, 'authorization_endpoint')
  assertSecureUrl(url, 'authorization_endpoint', defaults.allowInsecureRequests)

  const responseType = normaliseResponseType(request.responseType ?? 'code')
  const parts = new Set(responseType.split(' '))
  const supported = metadata.response_types_supported
  if (supported && !supported.some((t) => safeNormalise(t) === responseType)) {
    throw new AuthorizationRequestError(
      `the server does not support response_type ${responseType}`,
      { rule: 'response_type' },
    )
  }
  const returnsTokens = parts.has('token') || parts.has('id_token')
  const responseMode: ResponseMode = request.responseMode ?? (returnsTokens ? 'fragment' : 'query')
  if (!['query', 'fragment', 'form_post', 'okta_post_message'].includes(responseMode)) {
    throw new AuthorizationRequestError(`unknown response_mode ${String(responseMode)}`, {
      rule: 'response_mode',
    })
  }
  const modes = metadata.response_modes_supported
  if (modes && request.responseMode !== undefined && !modes.includes(responseMode)) {
    throw new AuthorizationRequestError(
      `the server does not support response_mode ${responseMode}`,
      { rule: 'response_mode' },
    )
  }
  if (responseMode === 'query' && returnsTokens) {
    throw new AuthorizationRequestError(
      'response_mode query cannot carry tokens: use fragment, form_post or okta_post_message',
      { rule: 'query_with_tokens' },
    )
  }
  if (
    responseMode === 'okta_post_message' &&
    responseType === 'code' &&
    defaults.postMessageForCode === false
  ) {
    throw new AuthorizationRequestError(
      'okta_post_message for the code flow is turned off (postMessageForCode: false)',
      { rule: 'post_message_for_code' },
    )
  }

  const scope = request.scope ?? 'openid profile email'
  const scopes = new Set(scope.split(' ').filter(Boolean))
  if (parts.has('id_token') && !scopes.has('openid')) {
    throw new AuthorizationRequestError('an ID token needs the openid scope', {
      rule: 'openid_scope',
    })
  }
  if (
    request.nonce !== undefined &&
    (typeof request.nonce !== 'string' || request.nonce.length === 0)
  ) {
    throw new AuthorizationRequestError('nonce must be a non-empty string', { rule: 'nonce' })
  }
  if (
    request.state !== undefined &&
    (typeof request.state !== 'string' || !STATE.test(request.state))
  ) {
    throw new AuthorizationRequestError(
      'state must be non-empty and use only letters, digits, comma, period, underscore and hyphen',
      { rule: 'state' },
    )
  }
  checkMaxAge(request.maxAge)
  if (request.prompt !== undefined) {
    const prompts = request.prompt.split(' ').filter(Boolean)
    if (
      prompts.length === 0 ||
      prompts.some((p) => !PROMPTS.has(p)) ||
      (prompts.includes('none') && prompts.length > 1)
    ) {
      throw new AuthorizationRequestError(
        'prompt must be none, or a combination of login, consent and select_account',
        { rule: 'prompt' },
      )
    }
  }
  const redirectUri = request.redirectUri ?? defaults.redirectUri
  if (typeof redirectUri !== 'string' || redirectUri.length === 0) {
    throw new AuthorizationRequestError('redirectUri is required (on the request or the client)', {
      rule: 'redirect_uri',
    })
  }
  try {
    new URL(redirectUri)
  } catch {
    throw new AuthorizationRequestError('redirectUri must be an absolute URL', {
      rule: 'redirect_uri',
    })
  }
  if (request.pkce !== undefined && request.pkce !== 'S256' && request.pkce !== 'plain') {
    throw new AuthorizationRequestError('pkce must be S256 or plain', { rule: 'pkce' })
  }
  for (const name of Object.keys(request.extra ?? {})) {
    if (MANAGED.has(name)) {
      throw new AuthorizationRequestError(
        `extra parameter ${name} is managed by the SDK: use its option`,
        { rule: 'extra' },
      )
    }
  }

  return assembleAuthorizationUrl(
    url,
    metadata.issuer,
    defaults,
    { responseType, responseMode, redirectUri, scope: [...scopes].join(' ') },
    request,
  )
}

/** @internal Refuse a `maxAge` that is not a non-negative integer of seconds (`max_age`). */
export function checkMaxAge(maxAge: number | undefined): void {
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0)) {
    throw new AuthorizationRequestError('maxAge must be a non-negative integer number of seconds', {
      rule: 'max_age',
    })
  }
}

/** @internal The checked values of an authorization request, ready to send. */
export interface AuthorizationValues {
  /** Normalised (see {@link normaliseResponseType}). */
  responseType: string
  responseMode: ResponseMode
  redirectUri: string
  /** Space-separated, each scope once. */
  scope: string
}

/**
 * @internal
 * Generate state, nonce and PKCE, and assemble the URL and the transaction
 * of a checked request: the parameters `request` sets, its extras (which
 * never override them), and the endpoint's own query parameters.
 */
export async function assembleAuthorizationUrl(
  url: URL,
  issuer: string,
  defaults: Pick<AuthorizationDefaults, 'clientId' | 'now'>,
  values: AuthorizationValues,
  request: AuthorizationRequest,
): Promise<AuthorizationUrl> {
  const { responseType, responseMode, redirectUri, scope } = values
  const state = request.state ?? randomBase64url()
  const nonce = request.nonce ?? randomBase64url()
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(request.extra ?? {})) params.set(name, value)
  params.set('client_id', defaults.clientId)
  params.set('response_type', responseType)
  params.set('response_mode', responseMode)
  params.set('redirect_uri', redirectUri)
  params.set('scope', scope)
  params.set('state', state)
  params.set('nonce', nonce)

  const transaction: AuthorizationTransaction = {
    issuer,
    clientId: defaults.clientId,
    state,
    nonce,
    redirectUri,
    responseType,
    responseMode,
    scope,
    createdAt: defaults.now(),
  }
  if (responseType.split(' ').includes('code')) {
    const method = request.pkce ?? 'S256'
    const verifier = randomBase64url()
    params.set('code_challenge', method === 'S256' ? await sha256Base64url(verifier) : verifier)
    params.set('code_challenge_method', method)
    transaction.codeVerifier = verifier
    transaction.codeChallengeMethod = method
  }
  const optional: [string, string | number | undefined][] = [
    ['prompt', request.prompt],
    ['max_age', request.maxAge],
    ['display', request.display],
    ['login_hint', request.loginHint],
    ['acr_values', request.acrValues],
    ['idp', request.idp],
    ['sessionToken', request.sessionToken],
    ['idp_scope', request.idpScope],
  ]
  for (const [name, value] of optional) if (value !== undefined) params.set(name, String(value))
  if (request.maxAge !== undefined) transaction.maxAge = request.maxAge

  for (const [name, value] of url.searchParams) if (!params.has(name)) params.set(name, value)
  url.search = params.toString()
  return { url, transaction }
}

function safeNormalise(value: string): string | undefined {
  try {
    return normaliseResponseType(value)
  } catch {
    return undefined
  }
}
