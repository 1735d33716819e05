import type { Json } from '../model/json.js'
import type { GrantRecord } from '../model/records.js'
import { type OktaOrgState, randomId } from '../org.js'

// What every management route works with: the request context, the per-org
// store, and the route table's entry. A resource is one file of routes (see
// servers.ts) whose list the router (router.ts) concatenates.

/** @internal An HTTP method the management API routes. */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** @internal What the management API keeps per org besides the servers: app grants, the rate window. */
export interface Store {
  grants: Map<string, GrantRecord[]>
  window: { reset: number; count: number } | undefined
}

/** @internal What a route action gets: the org, its store, the URL, the path parameters and the JSON body. */
export interface Ctx {
  state: OktaOrgState
  store: Store
  url: URL
  params: Record<string, string>
  body: Json
}

/** @internal A route action: one method of one path. */
export type Action = (c: Ctx) => Response | Promise<Response>

/**
 * @internal A path pattern (`:name` segments are parameters), the `okta.{area}.*`
 * scope area (`appGrants` for an app's scope grants, `apps` for its tokens), and its methods.
 */
export interface Route {
  pattern: string[]
  area: 'authorizationServers' | 'apps' | 'appGrants'
  methods: Partial<Record<Method, Action>>
}

/** @internal The path of one custom authorization server, under which most resources live. */
export const AS = 'authorizationServers/:as'

/** @internal A route of the table: `pattern` is relative to `/api/v1/`. */
export function route(
  pattern: string,
  methods: Route['methods'],
  area: Route['area'] = 'authorizationServers',
): Route {
  return { pattern: pattern.split('/'), area, methods }
}

/** @internal A new id with Okta's prefix for the kind (`aus`, `00p`, `0pr`, `scp`, `ocl`, `oag`), not yet taken. */
export function newId(prefix: string, taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${prefix}${randomId(20 - prefix.length)}`
    if (!taken(id)) return id
  }
}
