import { isObject, type Json } from '../model/json.js'
import type { PolicyRecord, RuleRecord } from '../model/records.js'
import { ServerAdmin } from '../model/server-admin.js'
import type { ServerState } from '../model/server-state.js'
import { activeKey, newServerKeys } from '../model/signing-keys.js'
import { OIDC_SCOPES, type OktaOrgState } from '../org.js'
import { AS, type Ctx, newId, type Route, route } from './context.js'
import { isStringList, Problems } from './input.js'
import { applyLifecycle } from './lifecycle.js'
import { iso, link, noContent, notFound, ok, page } from './responses.js'
import {
  applyServerSettings,
  readServerSettings,
  type ServerSettings,
  serverSettingsJson,
} from './server-settings.js'

// Custom authorization servers: `/api/v1/authorizationServers[/{id}]` and
// their lifecycle, and the management record (ServerAdmin) of each, created
// on first use with Okta's default policy. Servers' sub-resources live in
// their own files and find their server with findServer.

/** @internal The routes of authorization servers. */
export const serverRoutes: Route[] = [
  route('authorizationServers', { GET: listServers, POST: createServer }),
  route(AS, { GET: getServer, PUT: updateServer, DELETE: deleteServer }),
  route(`${AS}/lifecycle/:action`, { POST: serverLifecycle }),
]

/** Okta rotates a server's keys every 90 days in `AUTO` mode. */
const ROTATION_PERIOD = 90 * 24 * 3600

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
      // Configured in the options: published in discovery, as they always were.
      metadataPublish: 'ALL_CLIENTS',
      created: admin.created,
      lastUpdated: admin.created,
    })
  }
  return admin
}

/** @internal The custom server of the path's `:as`, with its management record; throws the 404 answer. */
export function findServerOrThrow(c: Ctx): { server: ServerState; admin: ServerAdmin } {
  const id = c.params.as!
  const server = c.state.servers.get(c.state.issuer(id))
  if (!server?.custom) throw notFound(id, 'AuthorizationServer')
  return { server, admin: adminOf(c.state, server) }
}

function customServers(state: OktaOrgState): ServerState[] {
  return [...state.servers.values()].filter((s) => s.custom)
}

/** @internal The wire shape of a custom server. */
export function serverJson(state: OktaOrgState, server: ServerState): Json {
  const admin = adminOf(state, server)
  const self = `${state.orgUrl}/api/v1/authorizationServers/${server.id}`
  const toggle = admin.status === 'ACTIVE' ? 'deactivate' : 'activate'
  return {
    id: server.id,
    name: admin.name,
    description: admin.description,
    audiences: [...server.audiences],
    issuer: server.issuer,
    ...serverSettingsJson(admin),
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
        kid: activeKey(server).kid,
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
  settings: ServerSettings
}

/** A server's fields from the body; throws the 400 answer listing every problem. */
function serverInput(c: Ctx, self?: ServerState): ServerInput {
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
  const settings = readServerSettings(p, body)
  if (!p.ok) throw p.response()
  return {
    name,
    description: body.description as string | undefined,
    audiences: audiences as string[],
    rotationMode,
    settings,
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
    keys: newServerKeys(now),
  }
  const admin = new ServerAdmin(input.name, input.description ?? '', now)
  if (input.rotationMode) admin.rotationMode = input.rotationMode
  applyServerSettings(admin, input.settings)
  server.admin = admin
  state.servers.set(issuer, server)
  return ok(serverJson(state, server), 201)
}

function getServer(c: Ctx): Response {
  const found = findServerOrThrow(c)
  return ok(serverJson(c.state, found.server))
}

function updateServer(c: Ctx): Response {
  const found = findServerOrThrow(c)
  const input = serverInput(c, found.server)
  const { server, admin } = found
  admin.name = input.name
  admin.description = input.description ?? ''
  // Switching the rotation mode does not change the active key.
  if (input.rotationMode) admin.rotationMode = input.rotationMode
  applyServerSettings(admin, input.settings)
  server.audiences = input.audiences
  admin.lastUpdated = c.state.now()
  return ok(serverJson(c.state, server))
}

function deleteServer(c: Ctx): Response {
  const found = findServerOrThrow(c)
  const { server } = found
  c.state.servers.delete(server.issuer)
  for (const token of c.state.tokens.values()) if (token.server === server) token.revoked = true
  return noContent()
}

function serverLifecycle(c: Ctx): Response {
  const found = findServerOrThrow(c)
  return applyLifecycle(c, found.admin)
}
