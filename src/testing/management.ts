import { HttpResponse, http, type RequestHandler } from 'msw'
import { regex } from './model/claims.js'
import { isObject, type Json } from './model/json.js'
import { byPriority, place } from './model/priority.js'
import type {
  ClaimRecord,
  PolicyRecord,
  RuleRecord,
  ScopeRecord,
  Stamped,
  Status,
  TokenLifetimes,
} from './model/records.js'
import { ServerAdmin } from './model/server-admin.js'
import {
  newSigningKey,
  OIDC_SCOPES,
  type OktaOrgState,
  type OrgClient,
  randomId,
  rotateServerKeys,
  type ServerState,
} from './org.js'
import { guarded } from './route.js'

// The management API of the emulated org (`/api/v1/…`), in memory: custom
// authorization servers (real ones: created servers issue tokens once an
// access policy allows it),
// their policies, rules, scopes, claims and signing keys, and app grants
// (OAuth for Okta). Authenticated with SSWS tokens or `okta.*` access tokens
// of the org authorization server; optionally rate-limited.

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

interface GrantRecord extends Stamped {
  issuer: string
  scopeId: string
  clientId: string
}

interface Store {
  grants: Map<string, GrantRecord[]>
  window: { reset: number; count: number } | undefined
}

interface Rate {
  limited: boolean
  headers: Record<string, string>
}

interface Ctx {
  state: OktaOrgState
  store: Store
  url: URL
  params: Record<string, string>
  body: Json
}

type Action = (c: Ctx) => Response | Promise<Response>

interface Route {
  pattern: string[]
  area: 'authorizationServers' | 'apps'
  methods: Partial<Record<Method, Action>>
}

const stores = new WeakMap<OktaOrgState, Store>()
const DAY = 24 * 60
const ROTATION_PERIOD = 90 * 24 * 3600
const GRANT_TYPES = [
  'authorization_code',
  'password',
  'refresh_token',
  'client_credentials',
  'implicit',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'interaction_code',
]
/** Claims the tokens' structure owns: a custom claim cannot take these names. */
const RESERVED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'cid',
  'uid',
  'scp',
  'ver',
  'auth_time',
  'amr',
  'idp',
  'nonce',
  'at_hash',
  'c_hash',
  'cnf',
])

/** @internal The management API handlers of an emulated org. */
export function managementHandlers(state: OktaOrgState): RequestHandler[] {
  let store = stores.get(state)
  if (!store) {
    store = { grants: new Map(), window: undefined }
    stores.set(state, store)
  }
  const s = store
  for (const server of state.servers.values()) if (server.custom) adminOf(state, server)
  const prefix = `${new URL(state.orgUrl).pathname.replace(/\/$/, '')}/api/v1/`
  return [
    http.all(`${state.orgUrl}/api/v1/*`, async ({ request }) => {
      const url = new URL(request.url)
      const found = match(url.pathname.slice(prefix.length))
      // Not an endpoint the emulator knows: let other handlers answer.
      if (!found) return undefined
      const rate = countRate(state, s)
      const response = await guarded(state, 'api', () =>
        answer(state, s, request, url, found.route, found.params, rate),
      )
      return finish(state, response, rate)
    }),
  ]
}

async function answer(
  state: OktaOrgState,
  store: Store,
  request: Request,
  url: URL,
  route: Route,
  params: Record<string, string>,
  rate: Rate | undefined,
): Promise<Response> {
  if (rate?.limited) {
    return apiError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.')
  }
  const method = request.method.toUpperCase() as Method
  const scope = `okta.${route.area}.${method === 'GET' ? 'read' : 'manage'}`
  const denied = authenticate(state, request, scope, url.pathname)
  if (denied) return denied
  const action = route.methods[method]
  if (!action) {
    return apiError(405, 'E0000022', 'The endpoint does not support the provided HTTP method', [], {
      allow: Object.keys(route.methods).join(', '),
    })
  }
  let body: Json = {}
  if (method === 'POST' || method === 'PUT') {
    const parsed = await readJson(request)
    if (parsed instanceof Response) return parsed
    body = parsed
  }
  return action({ state, store, url, params, body })
}

/** The Date, rate-limit and request-id headers every answer carries (scripted ones win). */
function finish(state: OktaOrgState, response: Response, rate: Rate | undefined): Response {
  const headers: Record<string, string> = {
    date: new Date(state.now() * 1000).toUTCString(),
    'x-okta-request-id': randomId(27),
    ...rate?.headers,
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!response.headers.has(name)) response.headers.set(name, value)
  }
  return response
}

function countRate(state: OktaOrgState, store: Store): Rate | undefined {
  const limit = state.rateLimit
  if (!limit) return undefined
  const now = state.now()
  if (!store.window || now >= store.window.reset) {
    store.window = { reset: now + limit.windowSeconds, count: 0 }
  }
  const window = store.window
  window.count++
  return {
    limited: window.count > limit.limit,
    headers: {
      'x-rate-limit-limit': String(limit.limit),
      'x-rate-limit-remaining': String(Math.max(0, limit.limit - window.count)),
      'x-rate-limit-reset': String(window.reset),
    },
  }
}

// ------------------------------------------------------------------ auth

/** Whether `granted` covers `needed` (`.manage` covers `.read`). */
function covers(granted: Iterable<string>, needed: string): boolean {
  const set = new Set(granted)
  return (
    set.has(needed) || (needed.endsWith('.read') && set.has(needed.replace(/\.read$/, '.manage')))
  )
}

/**
 * SSWS tokens can do everything; bearer tokens must be live access tokens of
 * the org authorization server carrying the scope, of an app whose admin
 * permissions cover it (silent downscoping otherwise).
 */
function authenticate(
  state: OktaOrgState,
  request: Request,
  scope: string,
  path: string,
): Response | undefined {
  const m = /^(\S+)\s+(\S+)\s*$/.exec(request.headers.get('authorization') ?? '')
  const scheme = m?.[1]?.toLowerCase()
  const credential = m?.[2] ?? ''
  const invalid = (headers: Record<string, string> = {}) =>
    apiError(401, 'E0000011', 'Invalid token provided', [], headers)
  if (scheme === 'ssws') return state.apiTokens.has(credential) ? undefined : invalid()
  if (scheme !== 'bearer') return invalid()
  const record = state.tokens.get(credential)
  if (
    record?.kind !== 'access_token' ||
    record.revoked ||
    record.exp < state.now() ||
    record.server.issuer !== state.orgUrl
  ) {
    return invalid({
      'www-authenticate': `Bearer realm="${state.orgUrl}", error="invalid_token", error_description="The access token is invalid."`,
    })
  }
  const forbidden = (headers: Record<string, string> = {}) =>
    apiError(
      403,
      'E0000006',
      'You do not have permission to perform the requested action',
      [],
      headers,
    )
  if (!covers(record.scopes, scope)) {
    return forbidden({
      'www-authenticate': `Bearer realm="${state.orgUrl}", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${path}"`,
    })
  }
  const permissions = state.clients.get(record.clientId)?.adminPermissions
  if (permissions && !covers(permissions, scope)) return forbidden()
  return undefined
}

// ------------------------------------------------------------------ routing

const AS = 'authorizationServers/:as'
const POLICY = `${AS}/policies/:policy`
const RULE = `${POLICY}/rules/:rule`

const ROUTES: Route[] = [
  route('authorizationServers', { GET: listServers, POST: createServer }),
  route(AS, { GET: getServer, PUT: updateServer, DELETE: deleteServer }),
  route(`${AS}/lifecycle/:action`, { POST: serverLifecycle }),
  route(`${AS}/policies`, { GET: listPolicies, POST: createPolicy }),
  route(POLICY, { GET: getPolicy, PUT: updatePolicy, DELETE: deletePolicy }),
  route(`${POLICY}/lifecycle/:action`, { POST: policyLifecycle }),
  route(`${POLICY}/rules`, { GET: listRules, POST: createRule }),
  route(RULE, { GET: getRule, PUT: updateRule, DELETE: deleteRule }),
  route(`${RULE}/lifecycle/:action`, { POST: ruleLifecycle }),
  route(`${AS}/scopes`, { GET: listScopes, POST: createScope }),
  route(`${AS}/scopes/:scope`, { GET: getScope, PUT: updateScope, DELETE: deleteScope }),
  route(`${AS}/claims`, { GET: listClaims, POST: createClaim }),
  route(`${AS}/claims/:claim`, { GET: getClaim, PUT: updateClaim, DELETE: deleteClaim }),
  route(`${AS}/credentials/keys`, { GET: listKeys }),
  route(`${AS}/credentials/keys/:kid`, { GET: getKey }),
  route(`${AS}/credentials/lifecycle/keyRotate`, { POST: rotateKeys }),
  route('apps/:app/grants', { GET: listGrants, POST: createGrant }, 'apps'),
  route('apps/:app/grants/:grant', { GET: getGrant, DELETE: deleteGrant }, 'apps'),
]

function route(
  pattern: string,
  methods: Route['methods'],
  area: Route['area'] = 'authorizationServers',
): Route {
  return { pattern: pattern.split('/'), area, methods }
}

function match(path: string): { route: Route; params: Record<string, string> } | undefined {
  let segments: string[]
  try {
    segments = path.split('/').map(decodeURIComponent)
  } catch {
    return undefined
  }
  if (segments.at(-1) === '') segments.pop()
  outer: for (const r of ROUTES) {
    if (r.pattern.length !== segments.length) continue
    const params: Record<string, string> = {}
    for (const [i, part] of r.pattern.entries()) {
      const segment = segments[i]!
      if (part.startsWith(':')) {
        if (segment === '') continue outer
        params[part.slice(1)] = segment
      } else if (part !== segment) continue outer
    }
    return { route: r, params }
  }
  return undefined
}

// ------------------------------------------------------------------ responses

function apiError(
  status: number,
  errorCode: string,
  errorSummary: string,
  causes: string[] = [],
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json(
    {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: `oae${randomId(22)}`,
      errorCauses: causes.map((c) => ({ errorSummary: c })),
    },
    { status, headers },
  )
}

function notFound(id: string, type: string): Response {
  return apiError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`)
}

/** 400 `E0000001`, as Okta reports a request its data model refuses. */
function invalid(what: string, ...causes: string[]): Response {
  return apiError(400, 'E0000001', `Api validation failed: ${what}`, causes)
}

/** Validation problems of a request body, reported together. */
class Problems {
  readonly #list: { field: string; message: string }[] = []

  add(field: string, message: string): void {
    this.#list.push({ field, message })
  }

  get ok(): boolean {
    return this.#list.length === 0
  }

  response(): Response {
    return invalid(this.#list[0]!.field, ...this.#list.map((p) => `${p.field}: ${p.message}`))
  }
}

async function readJson(request: Request): Promise<Json | Response> {
  const text = await request.text()
  if (text.trim() === '') return {}
  try {
    const value: unknown = JSON.parse(text)
    if (isObject(value)) return value
  } catch {
    // Reported below.
  }
  return apiError(400, 'E0000003', 'The request body was not well-formed.')
}

const ok = (body: unknown, status = 200) => HttpResponse.json(body as Json, { status })
const noContent = () => new HttpResponse(null, { status: 204 })
const iso = (seconds: number) => new Date(seconds * 1000).toISOString()
const link = (href: string, ...allow: string[]) => ({ href, hints: { allow } })

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

function newId(prefix: string, taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${prefix}${randomId(20 - prefix.length)}`
    if (!taken(id)) return id
  }
}

/** One page of a list: `limit` (default and most 200) and `after` (an id), with `Link` headers. */
function page<T extends { id: string }>(c: Ctx, items: T[], toJson: (item: T) => Json): Response {
  const query = c.url.searchParams
  let limit = 200
  const rawLimit = query.get('limit')
  if (rawLimit !== null) {
    const n = Number(rawLimit)
    if (!Number.isInteger(n) || n < 1) {
      return invalid('limit', 'limit: The limit must be a positive integer.')
    }
    limit = Math.min(n, 200)
  }
  const after = query.get('after')
  let start = 0
  if (after) {
    const i = items.findIndex((item) => item.id === after)
    start = i < 0 ? items.length : i + 1
  }
  const slice = items.slice(start, start + limit)
  const links = [`<${c.url.href}>; rel="self"`]
  if (start + limit < items.length && slice.length > 0) {
    const next = new URL(c.url)
    next.searchParams.set('after', slice.at(-1)!.id)
    next.searchParams.set('limit', String(limit))
    links.push(`<${next.href}>; rel="next"`)
  }
  return HttpResponse.json(slice.map(toJson), { headers: { link: links.join(', ') } })
}

// ------------------------------------------------------------------ servers

/** @internal The management record of a custom server, created on first use. */
export function adminOf(state: OktaOrgState, server: ServerState): ServerAdmin {
  let admin = server.admin
  if (!admin) {
    const now = state.now()
    admin = new ServerAdmin(
      server.id,
      server.id === 'default'
        ? 'Default Authorization Server'
        : `Authorization server ${server.id}`,
      now,
    )
    server.admin = admin
    // Servers configured in the org's options come with Okta's default
    // policy (only `default` has it in a real org); servers created through
    // the API start without policies and issue no tokens until they get one.
    const policy: PolicyRecord = {
      id: newId('00p', () => false),
      name: 'Default Policy',
      description: 'Default policy description',
      status: 'ACTIVE',
      priority: 1,
      clients: { include: ['ALL_CLIENTS'] },
      rules: new Map(),
      created: now,
      lastUpdated: now,
    }
    const rule: RuleRecord = {
      id: newId('0pr', () => false),
      name: 'Default Policy Rule',
      status: 'ACTIVE',
      priority: 1,
      conditions: {
        people: {
          users: { include: [], exclude: [] },
          groups: { include: ['EVERYONE'], exclude: [] },
        },
        grantTypes: {
          include: ['client_credentials', 'authorization_code', 'implicit', 'password'],
        },
        scopes: { include: ['*'] },
      },
      token: {
        accessTokenLifetimeMinutes: 60,
        refreshTokenLifetimeMinutes: 0,
        refreshTokenWindowMinutes: 10_080,
      },
      inherit: true,
      created: now,
      lastUpdated: now,
    }
    policy.rules.set(rule.id, rule)
    admin.policies.set(policy.id, policy)
  }
  // Keep the scope records in step with the scopes tokens can be requested with.
  const names = new Set<string>()
  for (const [id, scope] of admin.scopes) {
    if (server.scopes.has(scope.name)) names.add(scope.name)
    else admin.scopes.delete(id)
  }
  for (const name of server.scopes) {
    if (names.has(name)) continue
    const system = OIDC_SCOPES.includes(name)
    const id = newId('scp', (x) => admin.scopes.has(x))
    admin.scopes.set(id, {
      id,
      name,
      system,
      default: false,
      consent: 'IMPLICIT',
      metadataPublish: system ? 'ALL_CLIENTS' : 'NO_CLIENTS',
      created: admin.created,
      lastUpdated: admin.created,
    })
  }
  return admin
}

function findServer(c: Ctx): { server: ServerState; admin: ServerAdmin } | Response {
  const id = c.params.as!
  const server = c.state.servers.get(c.state.issuer(id))
  if (!server?.custom) return notFound(id, 'AuthorizationServer')
  return { server, admin: adminOf(c.state, server) }
}

function customServers(state: OktaOrgState): ServerState[] {
  return [...state.servers.values()].filter((s) => s.custom)
}

function serverJson(state: OktaOrgState, server: ServerState): Json {
  const admin = adminOf(state, server)
  const self = `${state.orgUrl}/api/v1/authorizationServers/${server.id}`
  const toggle = admin.status === 'ACTIVE' ? 'deactivate' : 'activate'
  return {
    id: server.id,
    name: admin.name,
    description: admin.description,
    audiences: [...server.audiences],
    issuer: server.issuer,
    issuerMode: 'ORG_URL',
    status: admin.status,
    created: iso(admin.created),
    lastUpdated: iso(admin.lastUpdated),
    credentials: {
      signing: {
        rotationMode: admin.rotationMode,
        lastRotated: iso(admin.lastRotated),
        ...(admin.rotationMode === 'AUTO' && {
          nextRotation: iso(admin.lastRotated + ROTATION_PERIOD),
        }),
        kid: server.keys.find((k) => k.status === 'ACTIVE')?.kid,
        use: 'sig',
      },
    },
    _links: {
      scopes: link(`${self}/scopes`, 'GET'),
      claims: link(`${self}/claims`, 'GET'),
      policies: link(`${self}/policies`, 'GET'),
      self: link(self, 'GET', 'DELETE', 'PUT'),
      metadata: ['oauth-authorization-server', 'openid-configuration'].map((name) => ({
        name,
        ...link(`${server.issuer}/.well-known/${name}`, 'GET'),
      })),
      rotateKey: link(`${self}/credentials/lifecycle/keyRotate`, 'POST'),
      [toggle]: link(`${self}/lifecycle/${toggle}`, 'POST'),
    },
  }
}

interface ServerInput {
  name: string
  description: string | undefined
  audiences: string[]
  rotationMode: 'AUTO' | 'MANUAL' | undefined
}

function serverInput(c: Ctx, self?: ServerState): ServerInput | Response {
  const { body } = c
  const p = new Problems()
  const name = typeof body.name === 'string' ? body.name.trim() : ''
  if (name === '') p.add('name', 'The field cannot be left blank.')
  else if (
    customServers(c.state).some(
      (s) => s !== self && adminOf(c.state, s).name.toLowerCase() === name.toLowerCase(),
    )
  ) {
    p.add('name', 'An object with this field already exists in the current organization.')
  }
  if (body.description !== undefined && typeof body.description !== 'string') {
    p.add('description', 'The field must be a string.')
  }
  const audiences = body.audiences
  if (!isStringList(audiences) || audiences.length === 0 || audiences.some((a) => a === '')) {
    p.add('audiences', 'The field cannot be left blank.')
  } else if (audiences.length > 1) {
    p.add('audiences', 'Okta supports only one audience.')
  } else if (audiences.some((a) => a.includes(':') && !URL.canParse(a))) {
    p.add('audiences', 'An audience containing ":" must be a valid URI.')
  }
  let rotationMode: ServerInput['rotationMode']
  const credentials = body.credentials
  if (credentials !== undefined) {
    const mode =
      isObject(credentials) && isObject(credentials.signing)
        ? credentials.signing.rotationMode
        : undefined
    if (mode === 'AUTO' || mode === 'MANUAL') rotationMode = mode
    else if (mode !== undefined || !isObject(credentials)) {
      p.add('credentials.signing.rotationMode', "The rotation mode must be 'AUTO' or 'MANUAL'.")
    }
  }
  if (!p.ok) return p.response()
  return {
    name,
    description: body.description as string | undefined,
    audiences: audiences as string[],
    rotationMode,
  }
}

function listServers(c: Ctx): Response {
  const q = c.url.searchParams.get('q')?.toLowerCase()
  const servers = customServers(c.state).filter(
    (s) =>
      !q ||
      adminOf(c.state, s).name.toLowerCase().startsWith(q) ||
      s.audiences.some((a) => a.toLowerCase().startsWith(q)),
  )
  return page(c, servers, (s) => serverJson(c.state, s))
}

async function createServer(c: Ctx): Promise<Response> {
  const input = serverInput(c)
  if (input instanceof Response) return input
  const { state } = c
  const id = newId('aus', (x) => state.servers.has(state.issuer(x)))
  const issuer = state.issuer(id)
  const now = state.now()
  const server: ServerState = {
    id,
    custom: true,
    issuer,
    base: issuer,
    audiences: input.audiences,
    scopes: new Set(OIDC_SCOPES),
    keys: [await newSigningKey('ACTIVE', now), await newSigningKey('NEXT', now)],
  }
  const admin = new ServerAdmin(input.name, input.description ?? '', now)
  if (input.rotationMode) admin.rotationMode = input.rotationMode
  server.admin = admin
  state.servers.set(issuer, server)
  return ok(serverJson(state, server), 201)
}

function getServer(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  return ok(serverJson(c.state, found.server))
}

function updateServer(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const input = serverInput(c, found.server)
  if (input instanceof Response) return input
  const { server, admin } = found
  admin.name = input.name
  admin.description = input.description ?? ''
  // Switching the rotation mode does not change the active key.
  if (input.rotationMode) admin.rotationMode = input.rotationMode
  server.audiences = input.audiences
  admin.lastUpdated = c.state.now()
  return ok(serverJson(c.state, server))
}

function deleteServer(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const { server } = found
  c.state.servers.delete(server.issuer)
  for (const token of c.state.tokens.values()) if (token.server === server) token.revoked = true
  return noContent()
}

function serverLifecycle(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  return applyLifecycle(c, found.admin)
}

/** `lifecycle/activate` or `lifecycle/deactivate` of a server, policy or rule. */
function applyLifecycle(c: Ctx, item: { status: Status; lastUpdated: number }): Response {
  const status = lifecycleStatus(c.params.action!)
  if (!status) return notFound(c.params.action!, 'Lifecycle')
  if (item.status !== status) {
    item.status = status
    item.lastUpdated = c.state.now()
  }
  return noContent()
}

function lifecycleStatus(action: string): Status | undefined {
  if (action === 'activate') return 'ACTIVE'
  if (action === 'deactivate') return 'INACTIVE'
  return undefined
}

function readStatus(p: Problems, value: unknown): Status | undefined {
  if (value === undefined || value === 'ACTIVE' || value === 'INACTIVE') return value
  p.add('status', "The status must be 'ACTIVE' or 'INACTIVE'.")
  return undefined
}

function readPriority(p: Problems, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  p.add('priority', 'The priority must be an integer of at least 1.')
  return undefined
}

// ------------------------------------------------------------------ policies

function policyJson(state: OktaOrgState, server: ServerState, policy: PolicyRecord): Json {
  const self = `${state.orgUrl}/api/v1/authorizationServers/${server.id}/policies/${policy.id}`
  const toggle = policy.status === 'ACTIVE' ? 'deactivate' : 'activate'
  return {
    type: 'OAUTH_AUTHORIZATION_POLICY',
    id: policy.id,
    status: policy.status,
    name: policy.name,
    description: policy.description,
    priority: policy.priority,
    system: false,
    conditions: { clients: policy.clients },
    created: iso(policy.created),
    lastUpdated: iso(policy.lastUpdated),
    _links: {
      self: link(self, 'GET', 'PUT', 'DELETE'),
      [toggle]: link(`${self}/lifecycle/${toggle}`, 'POST'),
      rules: link(`${self}/rules`, 'GET'),
    },
  }
}

interface PolicyInput {
  name: string
  description: string
  status: Status | undefined
  priority: number | undefined
  clients: PolicyRecord['clients']
}

function policyInput(c: Ctx): PolicyInput | Response {
  const { body } = c
  const p = new Problems()
  const name = typeof body.name === 'string' ? body.name.trim() : ''
  if (name === '') p.add('name', 'The field cannot be left blank.')
  if (typeof body.description !== 'string') p.add('description', 'The field cannot be left blank.')
  if (body.type !== undefined && body.type !== 'OAUTH_AUTHORIZATION_POLICY') {
    p.add('type', "The type must be 'OAUTH_AUTHORIZATION_POLICY'.")
  }
  const status = readStatus(p, body.status)
  const priority = readPriority(p, body.priority)
  let clients: PolicyRecord['clients'] = { include: ['ALL_CLIENTS'] }
  const conditions = body.conditions
  if (conditions !== undefined) {
    const given = isObject(conditions) ? conditions.clients : undefined
    if (
      !isObject(given) ||
      !isStringList(given.include) ||
      (given.exclude !== undefined && !isStringList(given.exclude))
    ) {
      p.add('conditions.clients', 'The clients condition must have an include list of client ids.')
    } else {
      const unknown = [...given.include, ...((given.exclude as string[] | undefined) ?? [])].filter(
        (id) => id !== 'ALL_CLIENTS' && !c.state.clients.has(id),
      )
      if (unknown.length > 0) {
        p.add('conditions.clients', `Unknown client id(s): ${unknown.join(', ')}.`)
      }
      clients = {
        include: [...given.include],
        ...(given.exclude !== undefined && { exclude: [...(given.exclude as string[])] }),
      }
    }
  }
  if (!p.ok) return p.response()
  return { name, description: body.description as string, status, priority, clients }
}

function findPolicy(
  c: Ctx,
): { server: ServerState; admin: ServerAdmin; policy: PolicyRecord } | Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const policy = found.admin.policies.get(c.params.policy!)
  if (!policy) return notFound(c.params.policy!, 'Policy')
  return { ...found, policy }
}

function listPolicies(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  return page(c, byPriority(found.admin.policies.values()), (p) =>
    policyJson(c.state, found.server, p),
  )
}

function createPolicy(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const input = policyInput(c)
  if (input instanceof Response) return input
  const now = c.state.now()
  const policy: PolicyRecord = {
    id: newId('00p', (x) => found.admin.policies.has(x)),
    name: input.name,
    description: input.description,
    status: input.status ?? 'ACTIVE',
    priority: 0,
    clients: input.clients,
    rules: new Map(),
    created: now,
    lastUpdated: now,
  }
  place(found.admin.policies, policy, input.priority)
  return ok(policyJson(c.state, found.server, policy), 201)
}

function getPolicy(c: Ctx): Response {
  const found = findPolicy(c)
  if (found instanceof Response) return found
  return ok(policyJson(c.state, found.server, found.policy))
}

function updatePolicy(c: Ctx): Response {
  const found = findPolicy(c)
  if (found instanceof Response) return found
  const input = policyInput(c)
  if (input instanceof Response) return input
  const { policy } = found
  policy.name = input.name
  policy.description = input.description
  if (input.status) policy.status = input.status
  policy.clients = input.clients
  policy.lastUpdated = c.state.now()
  place(found.admin.policies, policy, input.priority ?? policy.priority)
  return ok(policyJson(c.state, found.server, policy))
}

function deletePolicy(c: Ctx): Response {
  const found = findPolicy(c)
  if (found instanceof Response) return found
  found.admin.policies.delete(found.policy.id)
  return noContent()
}

function policyLifecycle(c: Ctx): Response {
  const found = findPolicy(c)
  if (found instanceof Response) return found
  return applyLifecycle(c, found.policy)
}

// ------------------------------------------------------------------ rules

function ruleJson(
  state: OktaOrgState,
  server: ServerState,
  policy: PolicyRecord,
  rule: RuleRecord,
): Json {
  const self = `${state.orgUrl}/api/v1/authorizationServers/${server.id}/policies/${policy.id}/rules/${rule.id}`
  const toggle = rule.status === 'ACTIVE' ? 'deactivate' : 'activate'
  return {
    type: 'RESOURCE_ACCESS',
    id: rule.id,
    status: rule.status,
    name: rule.name,
    priority: rule.priority,
    system: false,
    conditions: structuredClone(rule.conditions),
    // The reference's data model has `token`; current orgs send `actions.token`.
    token: { ...rule.token },
    actions: { token: { ...rule.token } },
    created: iso(rule.created),
    lastUpdated: iso(rule.lastUpdated),
    _links: {
      self: link(self, 'GET', 'PUT', 'DELETE'),
      [toggle]: link(`${self}/lifecycle/${toggle}`, 'POST'),
    },
  }
}

interface RuleInput {
  name: string
  status: Status | undefined
  priority: number | undefined
  conditions: Json
  token: TokenLifetimes
}

function includeExclude(
  p: Problems,
  field: string,
  value: unknown,
  fallback: string[],
): { include: string[]; exclude: string[] } {
  if (value === undefined) return { include: fallback, exclude: [] }
  if (
    !isObject(value) ||
    (value.include !== undefined && !isStringList(value.include)) ||
    (value.exclude !== undefined && !isStringList(value.exclude))
  ) {
    p.add(field, 'The condition must have include and exclude lists of strings.')
    return { include: [], exclude: [] }
  }
  return {
    include: [...((value.include as string[] | undefined) ?? [])],
    exclude: [...((value.exclude as string[] | undefined) ?? [])],
  }
}

function ruleInput(c: Ctx, server: ServerState): RuleInput | Response {
  const { body } = c
  const p = new Problems()
  const name = typeof body.name === 'string' ? body.name.trim() : ''
  if (name === '') p.add('name', 'The field cannot be left blank.')
  if (body.type !== undefined && body.type !== 'RESOURCE_ACCESS') {
    p.add('type', "The type must be 'RESOURCE_ACCESS'.")
  }
  const status = readStatus(p, body.status)
  const priority = readPriority(p, body.priority)
  const conditions = body.conditions ?? {}
  const given = isObject(conditions) ? conditions : {}
  if (!isObject(conditions)) p.add('conditions', 'The conditions must be an object.')
  const people = given.people
  if (people !== undefined && !isObject(people)) p.add('conditions.people', 'Invalid condition.')
  const peopleObject = isObject(people) ? people : {}
  const users = includeExclude(p, 'conditions.people.users', peopleObject.users, [])
  const groups = includeExclude(p, 'conditions.people.groups', peopleObject.groups, ['EVERYONE'])
  let grantTypes = ['client_credentials', 'authorization_code', 'implicit', 'password']
  if (given.grantTypes !== undefined) {
    const include = isObject(given.grantTypes) ? given.grantTypes.include : undefined
    if (!isStringList(include) || include.length === 0) {
      p.add('conditions.grantTypes.include', 'At least one grant type is required.')
    } else {
      const unknown = include.filter((g) => !GRANT_TYPES.includes(g))
      if (unknown.length > 0) {
        p.add('conditions.grantTypes.include', `Unsupported grant type(s): ${unknown.join(', ')}.`)
      }
      grantTypes = [...include]
    }
  }
  let scopes: unknown[] = ['*']
  if (given.scopes !== undefined) {
    const include = isObject(given.scopes) ? given.scopes.include : undefined
    if (!Array.isArray(include) || include.length === 0) {
      p.add('conditions.scopes.include', 'At least one scope is required.')
    } else {
      for (const entry of include) {
        const scopeName =
          typeof entry === 'string' ? entry : isObject(entry) ? entry.name : undefined
        if (typeof scopeName !== 'string' || (scopeName !== '*' && !server.scopes.has(scopeName))) {
          p.add('conditions.scopes.include', `Invalid scope: ${String(scopeName)}.`)
        }
      }
      scopes = structuredClone(include)
    }
  }
  const actions = body.actions
  const tokenBody = isObject(actions) && actions.token !== undefined ? actions.token : body.token
  const token = lifetimes(p, tokenBody)
  if (!p.ok) return p.response()
  return {
    name,
    status,
    priority,
    conditions: {
      people: { users, groups },
      grantTypes: { include: grantTypes },
      scopes: { include: scopes },
    },
    token,
  }
}

/** Token lifetimes with the documented limits: access 5 min – 1 day, window 10 min – 90 days. */
function lifetimes(p: Problems, value: unknown): TokenLifetimes {
  const out: TokenLifetimes = {
    accessTokenLifetimeMinutes: 60,
    refreshTokenLifetimeMinutes: 0,
    refreshTokenWindowMinutes: 10_080,
  }
  if (value === undefined) return out
  if (!isObject(value)) {
    p.add('token', 'The token lifetimes must be an object.')
    return out
  }
  const int = (key: keyof TokenLifetimes, min: number, max: number, message: string) => {
    const v = value[key]
    if (v === undefined) return
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) p.add(key, message)
    else out[key] = v
  }
  int(
    'accessTokenLifetimeMinutes',
    5,
    DAY,
    'The access token lifetime must be between 5 minutes and 1 day (1440 minutes).',
  )
  int(
    'refreshTokenWindowMinutes',
    10,
    90 * DAY,
    'The refresh token window must be between 10 minutes and 90 days (129600 minutes).',
  )
  int(
    'refreshTokenLifetimeMinutes',
    0,
    Number.MAX_SAFE_INTEGER,
    'The refresh token lifetime must be a whole number of minutes.',
  )
  const refresh = out.refreshTokenLifetimeMinutes
  if (refresh !== 0 && refresh < out.accessTokenLifetimeMinutes) {
    p.add(
      'refreshTokenLifetimeMinutes',
      'The refresh token lifetime must be unlimited (0) or at least the access token lifetime.',
    )
  }
  return out
}

function findRule(
  c: Ctx,
): { server: ServerState; policy: PolicyRecord; rule: RuleRecord } | Response {
  const found = findPolicy(c)
  if (found instanceof Response) return found
  const rule = found.policy.rules.get(c.params.rule!)
  if (!rule) return notFound(c.params.rule!, 'PolicyRule')
  return { ...found, rule }
}

function listRules(c: Ctx): Response {
  const found = findPolicy(c)
  if (found instanceof Response) return found
  return page(c, byPriority(found.policy.rules.values()), (r) =>
    ruleJson(c.state, found.server, found.policy, r),
  )
}

function createRule(c: Ctx): Response {
  const found = findPolicy(c)
  if (found instanceof Response) return found
  const input = ruleInput(c, found.server)
  if (input instanceof Response) return input
  const now = c.state.now()
  const rule: RuleRecord = {
    id: newId('0pr', (x) => found.policy.rules.has(x)),
    name: input.name,
    status: input.status ?? 'ACTIVE',
    priority: 0,
    conditions: input.conditions,
    token: input.token,
    created: now,
    lastUpdated: now,
  }
  place(found.policy.rules, rule, input.priority)
  return ok(ruleJson(c.state, found.server, found.policy, rule), 201)
}

function getRule(c: Ctx): Response {
  const found = findRule(c)
  if (found instanceof Response) return found
  return ok(ruleJson(c.state, found.server, found.policy, found.rule))
}

function updateRule(c: Ctx): Response {
  const found = findRule(c)
  if (found instanceof Response) return found
  const input = ruleInput(c, found.server)
  if (input instanceof Response) return input
  const { rule } = found
  rule.name = input.name
  if (input.status) rule.status = input.status
  rule.conditions = input.conditions
  rule.token = input.token
  rule.inherit = false
  rule.lastUpdated = c.state.now()
  place(found.policy.rules, rule, input.priority ?? rule.priority)
  return ok(ruleJson(c.state, found.server, found.policy, rule))
}

function deleteRule(c: Ctx): Response {
  const found = findRule(c)
  if (found instanceof Response) return found
  found.policy.rules.delete(found.rule.id)
  return noContent()
}

function ruleLifecycle(c: Ctx): Response {
  const found = findRule(c)
  if (found instanceof Response) return found
  return applyLifecycle(c, found.rule)
}

// ------------------------------------------------------------------ scopes

function scopeJson(state: OktaOrgState, server: ServerState, scope: ScopeRecord): Json {
  return {
    id: scope.id,
    name: scope.name,
    ...(scope.displayName !== undefined && { displayName: scope.displayName }),
    ...(scope.description !== undefined && { description: scope.description }),
    system: scope.system,
    default: scope.default,
    consent: scope.consent,
    metadataPublish: scope.metadataPublish,
    created: iso(scope.created),
    lastUpdated: iso(scope.lastUpdated),
    _links: {
      self: link(
        `${state.orgUrl}/api/v1/authorizationServers/${server.id}/scopes/${scope.id}`,
        'GET',
        'PUT',
        'DELETE',
      ),
    },
  }
}

type ScopeInput = Pick<
  ScopeRecord,
  'name' | 'description' | 'displayName' | 'default' | 'consent' | 'metadataPublish'
>

function scopeInput(c: Ctx, admin: ServerAdmin, self?: ScopeRecord): ScopeInput | Response {
  const { body } = c
  const p = new Problems()
  const name = typeof body.name === 'string' ? body.name : ''
  if (name.trim() === '') p.add('name', 'The field cannot be left blank.')
  else if (/\s/.test(name)) p.add('name', 'A scope name cannot contain whitespace.')
  else if (name.startsWith('okta.'))
    p.add('name', "Scope names starting with 'okta.' are reserved.")
  else if ([...admin.scopes.values()].some((s) => s !== self && s.name === name)) {
    p.add('name', `A scope named '${name}' already exists in this authorization server.`)
  }
  for (const key of ['description', 'displayName'] as const) {
    if (body[key] !== undefined && typeof body[key] !== 'string') {
      p.add(key, 'The field must be a string.')
    }
  }
  if (body.default !== undefined && typeof body.default !== 'boolean') {
    p.add('default', 'The field must be a boolean.')
  }
  const consent = body.consent ?? 'IMPLICIT'
  if (!['REQUIRED', 'IMPLICIT', 'FLEXIBLE'].includes(consent as string)) {
    p.add('consent', "The consent must be 'REQUIRED', 'IMPLICIT' or 'FLEXIBLE'.")
  }
  const metadataPublish = body.metadataPublish ?? 'NO_CLIENTS'
  if (!['ALL_CLIENTS', 'NO_CLIENTS'].includes(metadataPublish as string)) {
    p.add('metadataPublish', "The value must be 'ALL_CLIENTS' or 'NO_CLIENTS'.")
  }
  if (!p.ok) return p.response()
  return {
    name,
    description: body.description as string | undefined,
    displayName: body.displayName as string | undefined,
    default: (body.default as boolean | undefined) ?? false,
    consent: consent as string,
    metadataPublish: metadataPublish as string,
  }
}

/** A `filter` expression on scopes: `field op value` joined by `and` / `or` (`eq`, `ne`, `sw`, `co`). */
function scopeFilter(expression: string): ((scope: ScopeRecord) => boolean) | undefined {
  const tokens = expression.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? []
  const alternatives: ((scope: ScopeRecord) => boolean)[][] = [[]]
  for (let i = 0; i < tokens.length; i += 4) {
    const [field, op, raw, joiner] = tokens.slice(i, i + 4)
    if (field === undefined || op === undefined || raw === undefined) return undefined
    if (
      ![
        'name',
        'description',
        'displayName',
        'system',
        'default',
        'consent',
        'metadataPublish',
      ].includes(field)
    ) {
      return undefined
    }
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      return undefined
    }
    const operator = op.toLowerCase()
    if (!['eq', 'ne', 'sw', 'co'].includes(operator)) return undefined
    alternatives.at(-1)!.push((scope) => {
      const actual = (scope as unknown as Json)[field]
      if (operator === 'eq') return actual === value
      if (operator === 'ne') return actual !== value
      if (typeof actual !== 'string' || typeof value !== 'string') return false
      return operator === 'sw'
        ? actual.toLowerCase().startsWith(value.toLowerCase())
        : actual.toLowerCase().includes(value.toLowerCase())
    })
    if (joiner === undefined) break
    if (joiner.toLowerCase() === 'or') alternatives.push([])
    else if (joiner.toLowerCase() !== 'and') return undefined
    if (i + 4 >= tokens.length) return undefined
  }
  return (scope) => alternatives.some((all) => all.every((test) => test(scope)))
}

function findScope(
  c: Ctx,
): { server: ServerState; admin: ServerAdmin; scope: ScopeRecord } | Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const scope = found.admin.scopes.get(c.params.scope!)
  if (!scope) return notFound(c.params.scope!, 'OAuth2Scope')
  return { ...found, scope }
}

function listScopes(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  let scopes = [...found.admin.scopes.values()]
  const q = c.url.searchParams.get('q')?.toLowerCase()
  if (q) scopes = scopes.filter((s) => s.name.toLowerCase().startsWith(q))
  const filter = c.url.searchParams.get('filter')
  if (filter) {
    const test = scopeFilter(filter)
    if (!test) return invalid('filter', `filter: Invalid filter expression: ${filter}`)
    scopes = scopes.filter(test)
  }
  return page(c, scopes, (s) => scopeJson(c.state, found.server, s))
}

function createScope(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const input = scopeInput(c, found.admin)
  if (input instanceof Response) return input
  const now = c.state.now()
  const scope: ScopeRecord = {
    id: newId('scp', (x) => found.admin.scopes.has(x)),
    ...input,
    system: false,
    created: now,
    lastUpdated: now,
  }
  found.admin.scopes.set(scope.id, scope)
  // Token requests can use it at once.
  found.server.scopes.add(scope.name)
  return ok(scopeJson(c.state, found.server, scope), 201)
}

function getScope(c: Ctx): Response {
  const found = findScope(c)
  if (found instanceof Response) return found
  return ok(scopeJson(c.state, found.server, found.scope))
}

function updateScope(c: Ctx): Response {
  const found = findScope(c)
  if (found instanceof Response) return found
  const { server, admin, scope } = found
  if (scope.system)
    return invalid('name', `name: The system scope '${scope.name}' cannot be changed.`)
  const input = scopeInput(c, admin, scope)
  if (input instanceof Response) return input
  server.scopes.delete(scope.name)
  Object.assign(scope, input, { lastUpdated: c.state.now() })
  server.scopes.add(scope.name)
  return ok(scopeJson(c.state, server, scope))
}

function deleteScope(c: Ctx): Response {
  const found = findScope(c)
  if (found instanceof Response) return found
  const { server, admin, scope } = found
  if (scope.system)
    return invalid('name', `name: The system scope '${scope.name}' cannot be deleted.`)
  admin.scopes.delete(scope.id)
  server.scopes.delete(scope.name)
  return noContent()
}

// ------------------------------------------------------------------ claims

function claimJson(state: OktaOrgState, server: ServerState, claim: ClaimRecord): Json {
  return {
    id: claim.id,
    name: claim.name,
    status: claim.status,
    claimType: claim.claimType,
    valueType: claim.valueType,
    value: claim.value,
    ...(claim.groupFilterType !== undefined && { groupFilterType: claim.groupFilterType }),
    alwaysIncludeInToken: claim.alwaysIncludeInToken,
    conditions: { scopes: [...claim.scopes] },
    system: false,
    created: iso(claim.created),
    lastUpdated: iso(claim.lastUpdated),
    _links: {
      self: link(
        `${state.orgUrl}/api/v1/authorizationServers/${server.id}/claims/${claim.id}`,
        'GET',
        'PUT',
        'DELETE',
      ),
    },
  }
}

type ClaimInput = Omit<ClaimRecord, keyof Stamped>

function claimInput(
  c: Ctx,
  server: ServerState,
  admin: ServerAdmin,
  self?: ClaimRecord,
): ClaimInput | Response {
  const { body } = c
  const p = new Problems()
  const name = typeof body.name === 'string' ? body.name.trim() : ''
  const claimType = body.claimType
  if (name === '') p.add('name', 'The field cannot be left blank.')
  else if (RESERVED_CLAIMS.has(name)) p.add('name', `The claim name '${name}' is reserved.`)
  else if (
    [...admin.claims.values()].some(
      (x) => x !== self && x.name === name && x.claimType === claimType,
    )
  ) {
    p.add('name', `A ${String(claimType)} claim named '${name}' already exists.`)
  }
  const status = readStatus(p, body.status)
  if (claimType !== 'RESOURCE' && claimType !== 'IDENTITY') {
    p.add('claimType', "The claim type must be 'RESOURCE' or 'IDENTITY'.")
  }
  const valueType = body.valueType
  if (valueType !== 'EXPRESSION' && valueType !== 'GROUPS') {
    p.add('valueType', "The value type must be 'EXPRESSION' or 'GROUPS'.")
  }
  const value = body.value
  if (typeof value !== 'string' || value.trim() === '') {
    p.add('value', 'The field cannot be left blank.')
  }
  const groupFilterType = body.groupFilterType
  if (valueType === 'GROUPS') {
    if (!['STARTS_WITH', 'EQUALS', 'CONTAINS', 'REGEX'].includes(groupFilterType as string)) {
      p.add(
        'groupFilterType',
        "A GROUPS claim needs 'STARTS_WITH', 'EQUALS', 'CONTAINS' or 'REGEX'.",
      )
    } else if (groupFilterType === 'REGEX' && typeof value === 'string' && !regex(value)) {
      p.add('value', 'The value is not a valid regular expression.')
    }
  } else if (groupFilterType !== undefined) {
    p.add('groupFilterType', 'A group filter goes with valueType GROUPS only.')
  }
  let always = true
  const include = body.alwaysIncludeInToken
  if (include !== undefined) {
    const text = String(include).toLowerCase()
    if (text !== 'true' && text !== 'false')
      p.add('alwaysIncludeInToken', 'The field must be a boolean.')
    always = text === 'true'
    if (!always && claimType === 'RESOURCE') {
      p.add(
        'alwaysIncludeInToken',
        'Access token (RESOURCE) claims are always included in the token.',
      )
    }
  }
  let scopes: string[] = []
  const conditions = body.conditions
  if (conditions !== undefined) {
    const list = isObject(conditions) ? conditions.scopes : undefined
    if (list !== undefined && !isStringList(list)) {
      p.add('conditions.scopes', 'The scopes condition must be a list of scope names.')
    } else if (list !== undefined) {
      const unknown = list.filter((s) => !server.scopes.has(s))
      if (unknown.length > 0) p.add('conditions.scopes', `Unknown scope(s): ${unknown.join(', ')}.`)
      scopes = [...list]
    }
  }
  if (!p.ok) return p.response()
  return {
    name,
    status: status ?? 'ACTIVE',
    claimType: claimType as ClaimRecord['claimType'],
    valueType: valueType as ClaimRecord['valueType'],
    value: value as string,
    ...(valueType === 'GROUPS' && { groupFilterType: groupFilterType as string }),
    alwaysIncludeInToken: always,
    scopes,
  }
}

function findClaim(
  c: Ctx,
): { server: ServerState; admin: ServerAdmin; claim: ClaimRecord } | Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const claim = found.admin.claims.get(c.params.claim!)
  if (!claim) return notFound(c.params.claim!, 'OAuth2Claim')
  return { ...found, claim }
}

function listClaims(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  return page(c, [...found.admin.claims.values()], (x) => claimJson(c.state, found.server, x))
}

function createClaim(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const input = claimInput(c, found.server, found.admin)
  if (input instanceof Response) return input
  const now = c.state.now()
  const claim: ClaimRecord = {
    id: newId('ocl', (x) => found.admin.claims.has(x)),
    ...input,
    created: now,
    lastUpdated: now,
  }
  found.admin.claims.set(claim.id, claim)
  return ok(claimJson(c.state, found.server, claim), 201)
}

function getClaim(c: Ctx): Response {
  const found = findClaim(c)
  if (found instanceof Response) return found
  return ok(claimJson(c.state, found.server, found.claim))
}

function updateClaim(c: Ctx): Response {
  const found = findClaim(c)
  if (found instanceof Response) return found
  const input = claimInput(c, found.server, found.admin, found.claim)
  if (input instanceof Response) return input
  const { claim } = found
  delete claim.groupFilterType
  Object.assign(claim, input, { lastUpdated: c.state.now() })
  return ok(claimJson(c.state, found.server, claim))
}

function deleteClaim(c: Ctx): Response {
  const found = findClaim(c)
  if (found instanceof Response) return found
  found.admin.claims.delete(found.claim.id)
  return noContent()
}

// ------------------------------------------------------------------ keys

const STATUS_ORDER = { ACTIVE: 0, NEXT: 1, EXPIRED: 2 }

function keysJson(state: OktaOrgState, server: ServerState): Json[] {
  return [...server.keys]
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])
    .map((key) => ({
      status: key.status,
      ...key.publicJwk,
      _links: {
        self: link(
          `${state.orgUrl}/api/v1/authorizationServers/${server.id}/credentials/keys/${key.kid}`,
          'GET',
        ),
      },
    }))
}

function listKeys(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  return ok({ keys: keysJson(c.state, found.server) })
}

function getKey(c: Ctx): Response {
  const found = findServer(c)
  if (found instanceof Response) return found
  const key = keysJson(c.state, found.server).find((k) => k.kid === c.params.kid)
  return key ? ok(key) : notFound(c.params.kid!, 'Key')
}

async function rotateKeys(c: Ctx): Promise<Response> {
  const found = findServer(c)
  if (found instanceof Response) return found
  const use = c.body.use
  if (use !== undefined && use !== 'sig') {
    return invalid('rotateKeys', "Invalid value specified for key 'use' parameter.")
  }
  await rotateServerKeys(found.server, c.state.now())
  found.admin.lastRotated = c.state.now()
  return ok({ keys: keysJson(c.state, found.server) })
}

// ------------------------------------------------------------------ app grants

function findClient(c: Ctx): OrgClient | Response {
  const client = c.state.clients.get(c.params.app!)
  return client ?? notFound(c.params.app!, 'AppInstance')
}

/** An app's grants, kept in step with its `oktaScopes` (which tokens are checked against). */
function grantsOf(c: Ctx, client: OrgClient): GrantRecord[] {
  const scopes = client.oktaScopes ?? []
  const list = (c.store.grants.get(client.clientId) ?? []).filter((g) => scopes.includes(g.scopeId))
  for (const scopeId of scopes) {
    if (list.some((g) => g.scopeId === scopeId)) continue
    const now = c.state.now()
    list.push({
      id: newId('oag', (x) => list.some((g) => g.id === x)),
      issuer: c.state.orgUrl,
      scopeId,
      clientId: client.clientId,
      created: now,
      lastUpdated: now,
    })
  }
  c.store.grants.set(client.clientId, list)
  return list
}

function grantJson(state: OktaOrgState, grant: GrantRecord): Json {
  const app = `${state.orgUrl}/api/v1/apps/${grant.clientId}`
  return {
    id: grant.id,
    status: 'ACTIVE',
    created: iso(grant.created),
    lastUpdated: iso(grant.lastUpdated),
    issuer: grant.issuer,
    clientId: grant.clientId,
    scopeId: grant.scopeId,
    source: 'ADMIN',
    _links: {
      app: link(app, 'GET'),
      client: link(`${state.orgUrl}/oauth2/v1/clients/${grant.clientId}`, 'GET'),
      self: link(`${app}/grants/${grant.id}`, 'GET', 'DELETE'),
    },
  }
}

function listGrants(c: Ctx): Response {
  const client = findClient(c)
  if (client instanceof Response) return client
  return page(c, grantsOf(c, client), (g) => grantJson(c.state, g))
}

function createGrant(c: Ctx): Response {
  const client = findClient(c)
  if (client instanceof Response) return client
  const { issuer, scopeId } = c.body
  const p = new Problems()
  if (typeof issuer !== 'string' || issuer.replace(/\/$/, '') !== c.state.orgUrl) {
    p.add('issuer', `The issuer must be the org authorization server, ${c.state.orgUrl}.`)
  }
  if (typeof scopeId !== 'string' || !/^okta\.[A-Za-z]+\.[A-Za-z]+(\.self)?$/.test(scopeId)) {
    p.add('scopeId', 'The scopeId must be an okta.* scope.')
  } else if ((client.oktaScopes ?? []).includes(scopeId)) {
    p.add('scopeId', `The scope ${scopeId} is already granted to the app.`)
  }
  if (!p.ok) return p.response()
  const scope = scopeId as string
  client.oktaScopes = [...(client.oktaScopes ?? []), scope]
  // The org authorization server can then mint tokens with it.
  c.state.servers.get(c.state.orgUrl)?.scopes.add(scope)
  const grant = grantsOf(c, client).find((g) => g.scopeId === scope)!
  return ok(grantJson(c.state, grant), 201)
}

function getGrant(c: Ctx): Response {
  const client = findClient(c)
  if (client instanceof Response) return client
  const grant = grantsOf(c, client).find((g) => g.id === c.params.grant)
  return grant
    ? ok(grantJson(c.state, grant))
    : notFound(c.params.grant!, 'OAuth2ScopeConsentGrant')
}

function deleteGrant(c: Ctx): Response {
  const client = findClient(c)
  if (client instanceof Response) return client
  const grant = grantsOf(c, client).find((g) => g.id === c.params.grant)
  if (!grant) return notFound(c.params.grant!, 'OAuth2ScopeConsentGrant')
  client.oktaScopes = (client.oktaScopes ?? []).filter((s) => s !== grant.scopeId)
  grantsOf(c, client)
  return noContent()
}
