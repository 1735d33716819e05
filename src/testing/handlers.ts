import {
  base64url,
  createLocalJWKSet,
  decodeJwt,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose'
import { HttpResponse, http, type RequestHandler } from 'msw'
import { tokenHash } from '../jwt/id-token.js'
import type { AccessRule } from './model/access-policy.js'
import {
  type IssuedToken,
  OIDC_SCOPES,
  type OktaOrgState,
  type OrgClient,
  type OrgClientAuthMethod,
  type OrgEndpoint,
  randomId,
  type ServerState,
} from './org.js'
import { guarded } from './route.js'

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const OIDC_ONLY = new Set(OIDC_SCOPES)
/** Okta's answer when no access policy rule of a custom server matches a token request. */
const POLICY_DENIED =
  'Policy evaluation failed for this request, please check the policy configurations.'

/** Token lifetimes, in seconds, of a matched access rule. */
interface Lifetimes {
  access: number
  /** Absolute refresh token lifetime; `undefined`: unlimited. */
  refresh: number | undefined
  /** Refresh token idle window. */
  window: number
}

/** @internal The OIDC/OAuth handlers of an emulated org (the management API has its own). */
export function oidcHandlers(state: OktaOrgState): RequestHandler[] {
  const org = state.orgUrl
  const routes: [string, string][] = [
    [`${org}/oauth2/:server`, 'custom'],
    [`${org}/oauth2`, 'org'],
  ]
  // CORS preflights first (before userinfo's `http.all`); they are not counted.
  const handlers: RequestHandler[] = [
    ...[`${org}/oauth2/:server`, org].flatMap((prefix) =>
      ['openid-configuration', 'oauth-authorization-server'].map(
        (doc) => `${prefix}/.well-known/${doc}`,
      ),
    ),
    ...routes.flatMap(([prefix]) =>
      ['keys', 'token', 'userinfo', 'introspect', 'revoke', 'par'].map((e) => `${prefix}/v1/${e}`),
    ),
  ].map((path) => http.options(path, ({ request }) => preflight(state, request)))
  // Discovery lives at the issuer: https://{org}/.well-known/… for the org server.
  for (const [prefix, discoveryBase] of [
    [`${org}/oauth2/:server`, 'custom'],
    [org, 'org'],
  ] as const) {
    for (const doc of ['openid-configuration', 'oauth-authorization-server']) {
      handlers.push(
        http.get(`${prefix}/.well-known/${doc}`, async ({ request, params }) =>
          cors(
            state,
            request,
            'discovery',
            await guarded(state, 'discovery', async () => {
              const server = serverOf(state, discoveryBase === 'org' ? undefined : params.server)
              if (!server) return notFound()
              return HttpResponse.json(metadata(server), {
                headers: { 'cache-control': 'max-age=86400' },
              })
            }),
          ),
        ),
      )
    }
  }
  for (const [prefix, kind] of routes) {
    const server = (params: Record<string, unknown>) =>
      serverOf(state, kind === 'org' ? undefined : params.server)
    // Count, apply misbehaviour, find the server (404 if there is none), answer,
    // then add the CORS headers of a trusted origin.
    const route =
      (endpoint: OrgEndpoint, answer: (s: ServerState, request: Request) => Promise<Response>) =>
      async ({ request, params }: { request: Request; params: Record<string, unknown> }) =>
        cors(
          state,
          request,
          endpoint,
          await guarded(state, endpoint, async () => {
            const s = server(params)
            return s ? answer(s, request) : notFound()
          }),
        )
    handlers.push(
      http.get(
        `${prefix}/v1/keys`,
        route('keys', async (s) => {
          return HttpResponse.json(
            { keys: s.keys.map((k) => k.publicJwk) },
            { headers: { 'cache-control': 'max-age=3832304, must-revalidate' } },
          )
        }),
      ),
      http.get(
        `${prefix}/v1/authorize`,
        route('authorize', async (s, request) => {
          return authorize(state, s, new URL(request.url).searchParams)
        }),
      ),
      http.post(
        `${prefix}/v1/par`,
        route('par', async (s, request) => {
          const form = await readForm(request)
          if (form instanceof Response) return form
          const client = await authenticateClient(state, request, form, `${s.base}/v1/par`)
          if (client instanceof Response) return client
          if (form.has('request_uri'))
            return oauthError(
              400,
              'invalid_request',
              'request_uri is not allowed in a pushed request.',
            )
          form.set('client_id', client.clientId)
          const requestUri = `urn:okta:${randomId(32)}`
          state.pushed.set(requestUri, { params: form, exp: state.now() + 60 })
          return HttpResponse.json(
            { request_uri: requestUri, expires_in: 60 },
            { status: 201, headers: NO_STORE },
          )
        }),
      ),
      http.post(
        `${prefix}/v1/token`,
        route('token', async (s, request) => {
          // Deactivated through the management API: no tokens are issued.
          if (s.admin?.status === 'INACTIVE') {
            return oauthError(400, 'invalid_request', 'The authorization server is inactive.')
          }
          return token(state, s, request)
        }),
      ),
      http.all(
        `${prefix}/v1/userinfo`,
        route('userinfo', async (s, request) => {
          return userinfo(state, s, request)
        }),
      ),
      http.post(
        `${prefix}/v1/introspect`,
        route('introspect', async (s, request) => {
          return introspect(state, s, request)
        }),
      ),
      http.post(
        `${prefix}/v1/revoke`,
        route('revoke', async (s, request) => {
          return revoke(state, s, request)
        }),
      ),
      http.get(
        `${prefix}/v1/logout`,
        route('logout', async (s, request) => {
          return logout(state, s, new URL(request.url).searchParams)
        }),
      ),
    )
  }
  return handlers
}

/**
 * The endpoints a browser app calls cross-origin (not the `authorize` and
 * `logout` navigations), with the response headers it may read besides the
 * CORS-safelisted ones: the SDK reads the token response's `Date` to estimate
 * the clock offset, and userinfo's `WWW-Authenticate` for the error.
 */
const CORS_ENDPOINTS: ReadonlyMap<OrgEndpoint, string | undefined> = new Map([
  ['discovery', undefined],
  ['keys', undefined],
  ['token', 'Date, DPoP-Nonce'],
  ['userinfo', 'WWW-Authenticate'],
  ['introspect', undefined],
  ['revoke', undefined],
  ['par', undefined],
])

/** The request's `Origin` when the org trusts it exactly, else `undefined`. */
function trustedOrigin(state: OktaOrgState, request: Request): string | undefined {
  const origin = request.headers.get('origin')
  return origin !== null && state.trustedOrigins.has(origin) ? origin : undefined
}

/**
 * Decorate a CORS endpoint's response (errors and misbehaviours included)
 * for a trusted `Origin`; any other origin, or none, gets no CORS headers.
 */
function cors(
  state: OktaOrgState,
  request: Request,
  endpoint: OrgEndpoint,
  response: Response,
): Response {
  const origin = trustedOrigin(state, request)
  if (origin === undefined || !CORS_ENDPOINTS.has(endpoint)) return response
  response.headers.set('access-control-allow-origin', origin)
  response.headers.append('vary', 'Origin')
  const expose = CORS_ENDPOINTS.get(endpoint)
  if (expose) response.headers.set('access-control-expose-headers', expose)
  return response
}

/**
 * Answer a CORS preflight: 204 for a trusted origin, 403 for another.
 * Not a preflight (no `Origin` or no `Access-Control-Request-Method`):
 * `undefined`, so the next handler, if any, answers the `OPTIONS` as before.
 */
function preflight(state: OktaOrgState, request: Request): Response | undefined {
  const origin = request.headers.get('origin')
  if (origin === null || !request.headers.has('access-control-request-method')) return undefined
  if (!state.trustedOrigins.has(origin)) return new HttpResponse(null, { status: 403 })
  return new HttpResponse(null, {
    status: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type, DPoP, Accept',
      'access-control-max-age': '600',
      vary: 'Origin',
    },
  })
}

function serverOf(state: OktaOrgState, id: unknown): ServerState | undefined {
  if (id === undefined) return state.servers.get(state.orgUrl)
  return typeof id === 'string' ? state.servers.get(state.issuer(id)) : undefined
}

function notFound(): Response {
  return HttpResponse.json(
    {
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found',
      errorLink: 'E0000007',
      errorId: `oae${randomId(20)}`,
      errorCauses: [],
    },
    { status: 404 },
  )
}

function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json(
    { error, error_description: description },
    { status, headers: { ...NO_STORE, ...headers } },
  )
}

/** @internal The discovery document of a server, in Okta's shape. */
export function metadata(server: ServerState): Record<string, unknown> {
  const v1 = `${server.base}/v1`
  const authMethods = [
    'client_secret_basic',
    'client_secret_post',
    'client_secret_jwt',
    'private_key_jwt',
    'none',
  ]
  return {
    issuer: server.issuer,
    authorization_endpoint: `${v1}/authorize`,
    token_endpoint: `${v1}/token`,
    userinfo_endpoint: `${v1}/userinfo`,
    registration_endpoint: `${server.custom ? server.issuer.replace(/\/oauth2\/[^/]+$/, '') : server.issuer}/oauth2/v1/clients`,
    jwks_uri: `${v1}/keys`,
    response_types_supported: [
      'code',
      'id_token',
      'code id_token',
      'code token',
      'id_token token',
      'code id_token token',
    ],
    response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
    grant_types_supported: [
      'authorization_code',
      'implicit',
      'refresh_token',
      'password',
      'client_credentials',
    ],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: [...server.scopes],
    token_endpoint_auth_methods_supported: authMethods,
    claims_supported: [
      'iss',
      'ver',
      'sub',
      'aud',
      'iat',
      'exp',
      'jti',
      'auth_time',
      'amr',
      'idp',
      'nonce',
      'name',
      'nickname',
      'preferred_username',
      'given_name',
      'middle_name',
      'family_name',
      'email',
      'email_verified',
      'profile',
      'zoneinfo',
      'locale',
      'address',
      'phone_number',
      'picture',
      'website',
      'gender',
      'birthdate',
      'updated_at',
      'at_hash',
      'c_hash',
    ],
    code_challenge_methods_supported: ['S256'],
    introspection_endpoint: `${v1}/introspect`,
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint: `${v1}/revoke`,
    revocation_endpoint_auth_methods_supported: authMethods,
    end_session_endpoint: `${v1}/logout`,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: [
      'HS256',
      'HS384',
      'HS512',
      'RS256',
      'RS384',
      'RS512',
      'ES256',
      'ES384',
      'ES512',
    ],
    pushed_authorization_request_endpoint: `${v1}/par`,
  }
}

async function readForm(request: Request): Promise<URLSearchParams | Response> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(
      400,
      'invalid_request',
      'The request must be application/x-www-form-urlencoded.',
    )
  }
  const form = new URLSearchParams(await request.text())
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) {
      return oauthError(
        400,
        'invalid_request',
        `The '${key}' parameter was included multiple times.`,
      )
    }
  }
  return form
}

function grantsOf(client: OrgClient): Set<string> {
  if (client.grantTypes) return new Set(client.grantTypes)
  const method = methodOf(client)
  const grants = ['authorization_code', 'refresh_token', 'implicit', 'password']
  if (method !== 'none') grants.push('client_credentials')
  return new Set(grants)
}

function methodOf(client: OrgClient): OrgClientAuthMethod {
  return client.tokenEndpointAuthMethod ?? (client.clientSecret ? 'client_secret_basic' : 'none')
}

/** @internal Authenticate the client of a token/introspect/revoke/par request. */
async function authenticateClient(
  state: OktaOrgState,
  request: Request,
  form: URLSearchParams,
  endpoint: string,
): Promise<OrgClient | Response> {
  const invalid = (description: string) => oauthError(401, 'invalid_client', description)
  const header = request.headers.get('authorization')
  let clientId: string | null = form.get('client_id')
  let used: OrgClientAuthMethod
  let secret: string | undefined
  const basic = header?.toLowerCase().startsWith('basic ') ?? false
  // One method per request: a Basic header, a client_secret and an assertion
  // together are a malformed request (invalid_request), not a failed authentication.
  if ([basic, form.has('client_secret'), form.has('client_assertion')].filter(Boolean).length > 1) {
    return oauthError(
      400,
      'invalid_request',
      'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
    )
  }
  if (header && basic) {
    const malformed = () =>
      oauthError(400, 'invalid_request', 'The authorization header is malformed.')
    let id: string
    try {
      const decoded = atob(header.slice(6).trim())
      const i = decoded.indexOf(':')
      if (i < 0) return malformed()
      id = decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' '))
      secret = decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, ' '))
    } catch {
      return malformed()
    }
    if (clientId !== null && clientId !== id) return invalid('Client authentication failed.')
    clientId = id
    used = 'client_secret_basic'
  } else if (form.has('client_assertion')) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
      return invalid('The client_assertion_type is invalid.')
    }
    let iss: unknown
    try {
      iss = decodeJwt(form.get('client_assertion')!).iss
    } catch {
      return invalid('The client_assertion is not a valid JWT.')
    }
    if (typeof iss !== 'string' || (clientId !== null && clientId !== iss)) {
      return invalid('The client_assertion issuer is invalid.')
    }
    clientId = iss
    const client = state.clients.get(clientId)
    if (!client) return invalid('Client authentication failed.')
    const method = methodOf(client)
    if (method !== 'client_secret_jwt' && method !== 'private_key_jwt') {
      return invalid(`Client authentication failed: the client uses ${method}.`)
    }
    let key: JWTVerifyGetKey | Uint8Array
    if (method === 'client_secret_jwt') {
      if (!client.clientSecret) return invalid('Client authentication failed.')
      key = new TextEncoder().encode(client.clientSecret)
    } else {
      if (!client.jwks) return invalid('The client has no registered keys.')
      key = createLocalJWKSet(client.jwks)
    }
    const now = state.now()
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(form.get('client_assertion')!, key as Uint8Array, {
        algorithms:
          method === 'client_secret_jwt'
            ? ['HS256', 'HS384', 'HS512']
            : ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        issuer: clientId,
        subject: clientId,
        audience: endpoint,
        // `jti` and `iat` are optional; `exp` is required.
        requiredClaims: ['exp'],
        currentDate: new Date(now * 1000),
      }))
    } catch {
      return invalid('The client_assertion signature or claims are invalid.')
    }
    // The exp must be at most one hour ahead; an iat must be before the request.
    if (payload.exp! > now + 3_600) {
      return invalid('The client_assertion token has an expiration too far in the future.')
    }
    if (payload.iat !== undefined && payload.iat > now) {
      return invalid('The client_assertion token was issued in the future.')
    }
    // With a jti, the assertion can be used only once.
    if (payload.jti !== undefined) {
      const jti = `${clientId} ${String(payload.jti)}`
      if (state.assertionIds.has(jti))
        return invalid('The client_assertion token has already been used.')
      state.assertionIds.add(jti)
    }
    return client
  } else if (form.has('client_secret')) {
    secret = form.get('client_secret')!
    used = 'client_secret_post'
  } else {
    used = 'none'
  }
  if (clientId === null) return invalid('No client credentials found.')
  const client = state.clients.get(clientId)
  if (!client) return invalid('Client authentication failed.')
  const method = methodOf(client)
  if (method !== used) {
    return invalid(`Client authentication failed: the client must use ${method}.`)
  }
  if (used !== 'none' && secret !== client.clientSecret) {
    return invalid("Invalid value for 'client_secret'.")
  }
  return client
}

function parseScopes(value: string | null): string[] {
  return value ? [...new Set(value.split(' ').filter(Boolean))] : []
}

function unknownScopes(server: ServerState, scopes: string[]): string[] {
  return scopes.filter((s) => !server.scopes.has(s))
}

interface Minted {
  body: Record<string, unknown>
  accessToken?: string
  idToken?: string
}

/**
 * The lifetimes a token request gets on `server`, or `undefined` when the
 * server's access policies refuse it ("Policy evaluation failed"). The org
 * authorization server has no access policies; a custom server without a
 * management record (no management handlers) allows everything.
 */
function accessPolicy(
  state: OktaOrgState,
  server: ServerState,
  clientId: string,
  grantType: string,
  userId: string | undefined,
  scopes: readonly string[],
): { lifetimes: Lifetimes | undefined } | undefined {
  if (!server.custom || !server.admin) return { lifetimes: undefined }
  const user = userId === undefined ? undefined : state.users.get(userId)
  const rule: AccessRule | undefined = server.admin.accessRule({
    clientId,
    grantType,
    scopes,
    user: user && { id: user.id, login: user.login, ...(user.groups && { groups: user.groups }) },
  })
  if (!rule) return undefined
  const t = rule.lifetimes
  return {
    lifetimes: t && {
      access: t.accessTokenLifetimeMinutes * 60,
      refresh: t.refreshTokenLifetimeMinutes === 0 ? undefined : t.refreshTokenLifetimeMinutes * 60,
      window: t.refreshTokenWindowMinutes * 60,
    },
  }
}

/** @internal Mint an access token (Okta's format). */
async function mintAccessToken(
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
async function mintIdToken(
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

function profileClaims(
  user: { id: string; login: string; profile?: Record<string, unknown>; groups?: string[] },
  scopes: string[],
): Record<string, unknown> {
  const p = user.profile ?? {}
  const out: Record<string, unknown> = {}
  if (scopes.includes('profile')) {
    for (const k of [
      'name',
      'given_name',
      'family_name',
      'middle_name',
      'nickname',
      'locale',
      'zoneinfo',
      'picture',
      'website',
      'gender',
      'birthdate',
    ]) {
      if (p[k] !== undefined) out[k] = p[k]
    }
    out.preferred_username = user.login
    out.updated_at = Math.floor(Date.now() / 1000)
  }
  if (scopes.includes('email')) {
    out.email = p.email ?? user.login
    out.email_verified = p.email_verified ?? true
  }
  if (scopes.includes('phone') && p.phone_number !== undefined) out.phone_number = p.phone_number
  if (scopes.includes('address') && p.address !== undefined) out.address = p.address
  if (scopes.includes('groups')) out.groups = user.groups ?? []
  return out
}

/**
 * The expiry of a refresh token used or minted now: the rule's idle window,
 * capped by its absolute lifetime from the first token of the family; the
 * org's `refreshTokenLifetime` under the built-in rule.
 */
function refreshExpiry(
  state: OktaOrgState,
  lifetimes: Lifetimes | undefined,
  familyStart: number,
): number {
  const now = state.now()
  if (!lifetimes) return now + state.refreshTokenLifetime
  const idle = now + lifetimes.window
  return lifetimes.refresh === undefined ? idle : Math.min(idle, familyStart + lifetimes.refresh)
}

function mintRefreshToken(
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
    revoked: false,
    family,
    grant: origin.grant,
    familyStart,
    ...(authTime !== undefined && { authTime }),
  })
  return refresh
}

/** @internal The token endpoint response for a grant. */
async function issueTokens(
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
  const accessToken = await mintAccessToken(
    state,
    server,
    client.clientId,
    userId,
    scopes,
    family,
    options.authTime,
    lifetime,
  )
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
  let idToken: string | undefined
  if (userId !== undefined && scopes.includes('openid')) {
    idToken = await mintIdToken(state, server, client.clientId, userId, scopes, {
      ...(options.nonce !== undefined && { nonce: options.nonce }),
      authTime: options.authTime ?? state.now(),
    })
    body.id_token = idToken
  }
  return { body, accessToken, ...(idToken && { idToken }) }
}

async function token(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  const form = await readForm(request)
  if (form instanceof Response) return form
  const client = await authenticateClient(state, request, form, `${server.base}/v1/token`)
  if (client instanceof Response) return client
  const grant = form.get('grant_type')
  if (!grant) return oauthError(400, 'invalid_request', 'The grant_type parameter is required.')
  if (!['authorization_code', 'refresh_token', 'password', 'client_credentials'].includes(grant)) {
    return oauthError(400, 'unsupported_grant_type', `The grant type '${grant}' is not supported.`)
  }
  if (!grantsOf(client).has(grant)) {
    return oauthError(
      400,
      'unauthorized_client',
      'The client is not authorized to use the provided grant type.',
    )
  }
  const ok = (minted: Minted) => HttpResponse.json(minted.body, { headers: NO_STORE })
  const denied = () => oauthError(400, 'access_denied', POLICY_DENIED)

  if (grant === 'authorization_code') {
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
        return oauthError(
          400,
          'invalid_grant',
          'PKCE verification failed: code_verifier is missing.',
        )
      const digest = new Uint8Array(
        await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
      )
      if (base64url.encode(digest) !== code.codeChallenge) {
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

  if (grant === 'refresh_token') {
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

  if (grant === 'password') {
    const username = form.get('username') ?? ''
    const user = state.userByLogin(username)
    if (!user || user.password !== form.get('password')) {
      return oauthError(400, 'invalid_grant', 'The credentials provided were invalid.')
    }
    const scopes = parseScopes(form.get('scope'))
    if (scopes.length === 0)
      return oauthError(400, 'invalid_scope', "The 'scope' parameter is required.")
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

  // client_credentials
  const scopes = parseScopes(form.get('scope'))
  if (scopes.length === 0) {
    return oauthError(
      400,
      'invalid_scope',
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    )
  }
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

type ResponseMode = 'query' | 'fragment' | 'form_post' | 'okta_post_message'

async function authorize(
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

function page(body: string): Response {
  return new HttpResponse(
    `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`,
    {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE },
    },
  )
}

function errorPage(status: number, error: string, description: string): Response {
  return new HttpResponse(
    `<!doctype html><html><body><h1>${html(error)}</h1><p>${html(description)}</p></body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE } },
  )
}

function html(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function liveToken(state: OktaOrgState, value: string): IssuedToken | undefined {
  const record = state.tokens.get(value)
  if (!record || record.revoked || record.exp < state.now()) return undefined
  return record
}

async function userinfo(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  const challenge = (status: number, error: string, description: string) =>
    new HttpResponse(null, {
      status,
      headers: {
        'www-authenticate': `Bearer error="${error}", error_description="${description}"`,
        'cache-control': 'no-cache, no-store',
        pragma: 'no-cache',
        expires: '0',
      },
    })
  const header = request.headers.get('authorization') ?? ''
  const m = /^Bearer ([^\s]+)$/i.exec(header)
  if (!m) return challenge(401, 'invalid_token', 'The access token is missing.')
  const record = liveToken(state, m[1]!)
  if (record?.kind !== 'access_token' || record.server !== server || !record.userId) {
    return challenge(401, 'invalid_token', 'The access token is invalid.')
  }
  if (!record.scopes.includes('openid')) {
    return challenge(
      403,
      'insufficient_scope',
      'The access token must provide access to at least one of these scopes - profile, email, address or phone',
    )
  }
  const user = state.users.get(record.userId)!
  return HttpResponse.json(
    { sub: user.id, ...profileClaims(user, record.scopes) },
    { headers: NO_STORE },
  )
}

async function introspect(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  const form = await readForm(request)
  if (form instanceof Response) return form
  const client = await authenticateClient(state, request, form, `${server.base}/v1/introspect`)
  if (client instanceof Response) return client
  const value = form.get('token')
  if (!value) return oauthError(400, 'invalid_request', 'The token parameter is required.')
  const inactive = () => HttpResponse.json({ active: false }, { headers: NO_STORE })
  // A public (implicit) client can only introspect its own tokens; a
  // confidential client can inspect all of them.
  const visible = (clientId: string) => methodOf(client) !== 'none' || clientId === client.clientId
  const record = liveToken(state, value)
  if (!record) {
    // ID tokens are not stored; they are "also valid" here while unexpired.
    if (state.tokens.has(value)) return inactive()
    const claims = await liveIdToken(state, server, value)
    if (!claims || !visible(String(claims.aud))) return inactive()
    const user = state.users.get(String(claims.sub))
    return HttpResponse.json(
      {
        active: true,
        ...(user && { username: user.login }),
        exp: claims.exp,
        iat: claims.iat,
        sub: claims.sub,
        aud: claims.aud,
        iss: claims.iss,
        jti: claims.jti,
        token_type: 'Bearer',
        client_id: claims.aud,
      },
      { headers: NO_STORE },
    )
  }
  if (record.server !== server || !visible(record.clientId)) return inactive()
  const user = record.userId === undefined ? undefined : state.users.get(record.userId)
  return HttpResponse.json(
    {
      active: true,
      scope: record.scopes.join(' '),
      ...(user && { username: user.login }),
      exp: record.exp,
      sub: user ? user.login : record.clientId,
      // The reference's refresh-token answer has no iat, aud, iss or jti.
      ...(record.kind === 'access_token' && {
        iat: record.iat,
        aud: server.audiences.length === 1 ? server.audiences[0] : server.audiences,
        iss: server.issuer,
        jti: record.jti,
      }),
      // "The value is always Bearer"; uid only for access tokens of end users.
      token_type: 'Bearer',
      client_id: record.clientId,
      ...(user && record.kind === 'access_token' && { uid: user.id }),
    },
    { headers: NO_STORE },
  )
}

/** The claims of an unexpired ID token this server signed, or `undefined`. */
async function liveIdToken(
  state: OktaOrgState,
  server: ServerState,
  value: string,
): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(
      value,
      createLocalJWKSet({ keys: server.keys.map((k) => k.publicJwk) }),
      { issuer: server.issuer, algorithms: ['RS256'], currentDate: new Date(state.now() * 1000) },
    )
    return typeof payload.jti === 'string' && payload.jti.startsWith('ID.') ? payload : undefined
  } catch {
    return undefined
  }
}

async function revoke(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  const form = await readForm(request)
  if (form instanceof Response) return form
  const client = await authenticateClient(state, request, form, `${server.base}/v1/revoke`)
  if (client instanceof Response) return client
  const value = form.get('token')
  if (!value) return oauthError(400, 'invalid_request', 'The token parameter is required.')
  const record = state.tokens.get(value)
  // RFC 7009 §2.2: unknown tokens, and other clients' tokens, are not an error.
  if (record && record.clientId === client.clientId && record.server === server) {
    record.revoked = true
    if (record.kind === 'refresh_token') {
      for (const t of state.tokens.values()) if (t.family === record.family) t.revoked = true
    }
  }
  return new HttpResponse(null, { status: 200, headers: NO_STORE })
}

async function logout(
  state: OktaOrgState,
  server: ServerState,
  query: URLSearchParams,
): Promise<Response> {
  const hint = query.get('id_token_hint')
  if (!hint) return errorPage(400, 'invalid_request', "The 'id_token_hint' parameter is required.")
  let clientId: string
  let subject: unknown
  try {
    const { payload } = await jwtVerify(
      hint,
      createLocalJWKSet({ keys: server.keys.map((k) => k.publicJwk) }),
      {
        issuer: server.issuer,
        algorithms: ['RS256'],
        // Okta accepts an expired ID token as a hint.
        currentDate: new Date(0),
        clockTolerance: Number.MAX_SAFE_INTEGER,
      },
    )
    clientId = typeof payload.aud === 'string' ? payload.aud : String(payload.aud?.[0])
    subject = payload.sub
  } catch {
    return errorPage(400, 'invalid_request', "The 'id_token_hint' is not valid.")
  }
  const client = state.clients.get(clientId)
  const target = query.get('post_logout_redirect_uri')
  if (target && !(client?.postLogoutRedirectUris ?? []).includes(target)) {
    return errorPage(
      400,
      'invalid_request',
      "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.",
    )
  }
  // The session ends only if the hint's subject is the signed-in user.
  if (state.sessionUserId !== undefined && state.sessionUserId === subject) state.signOut()
  if (!target) return page('<p>You have been signed out.</p>')
  const url = new URL(target)
  const st = query.get('state')
  if (st !== null) url.searchParams.set('state', st)
  return new HttpResponse(null, { status: 302, headers: { location: url.href, ...NO_STORE } })
}
