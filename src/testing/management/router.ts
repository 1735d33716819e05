import type { Json } from '../model/json.js'
import { type OktaOrgState, randomId } from '../org.js'
import { guarded } from '../route.js'
import type { OrgRoute } from '../routes.js'
import { appTokenRoutes } from './app-tokens.js'
import { associatedServerRoutes } from './associated-servers.js'
import { authenticate } from './auth.js'
import { claimRoutes } from './claims.js'
import type { Method, Route, Store } from './context.js'
import { grantRoutes } from './grants.js'
import { readJson } from './input.js'
import { keyRoutes } from './keys.js'
import { policyRoutes } from './policies.js'
import { countRate, type Rate } from './rate-limit.js'
import { refreshTokenRoutes } from './refresh-tokens.js'
import { resourceKeyRoutes } from './resource-keys.js'
import { apiError } from './responses.js'
import { ruleRoutes } from './rules.js'
import { scopeRoutes } from './scopes.js'
import { serverClientRoutes } from './server-clients.js'
import { adminOf, serverRoutes } from './servers.js'

// The management API of the emulated org (`/api/v1/…`), in memory: custom
// authorization servers (real ones: created servers issue tokens once an
// access policy allows it), their policies, rules, scopes, claims and signing
// keys, and app grants (OAuth for Okta). Authenticated with SSWS tokens or
// `okta.*` access tokens of the org authorization server; optionally
// rate-limited.
//
// This router matches the path, counts the rate, authenticates, reads the
// body and calls the route. Each resource is one file that exports its
// routes (servers.ts, policies.ts, …): a new resource is a new file and one
// line in ROUTES.

/** Every route, matched in order (no two patterns match the same path). */
const ROUTES: Route[] = [
  ...serverRoutes,
  ...policyRoutes,
  ...ruleRoutes,
  ...scopeRoutes,
  ...claimRoutes,
  ...keyRoutes,
  ...grantRoutes,
  ...serverClientRoutes,
  ...refreshTokenRoutes,
  ...associatedServerRoutes,
  ...resourceKeyRoutes,
  ...appTokenRoutes,
]

/** The management API's state of each org (app grants, the rate window). */
const stores = new WeakMap<OktaOrgState, Store>()

/** @internal The management API of an emulated org: one route for every path under `/api/v1/`. */
export function managementRoutes(state: OktaOrgState): OrgRoute[] {
  let store = stores.get(state)
  if (!store) {
    store = { grants: new Map(), window: undefined }
    stores.set(state, store)
  }
  const s = store
  for (const server of state.servers.values()) if (server.custom) adminOf(state, server)
  const prefix = `${new URL(state.orgUrl).pathname.replace(/\/$/, '')}/api/v1/`
  return [
    {
      method: '*',
      path: '/api/v1/*',
      answer: async (request) => {
        const url = new URL(request.url)
        const found = match(url.pathname.slice(prefix.length))
        // Not an endpoint the emulator knows: let other handlers answer.
        if (!found) return undefined
        const rate = countRate(state, s)
        const response = await guarded(state, 'api', () =>
          answer(state, s, request, url, found.route, found.params, rate),
        )
        return finish(state, response, rate)
      },
    },
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
    body = await readJson(request)
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
