import type { ServerState } from '../model/server-state.js'
import { AS, type Ctx, type Route, route } from './context.js'
import { invalid, noContent, notFound, ok, page } from './responses.js'
import { adminOf, findServerOrThrow, serverJson } from './servers.js'

// Associated (trusted) servers of a custom server:
// `/api/v1/authorizationServers/{id}/associatedServers[/{associatedServerId}]`.
// A server trusts others (one way); the list shows the trusted ones
// (`trusted=true`, the default) or the others it could trust
// (`trusted=false`), filtered by `q` on name or audience.

/** @internal The routes of associated servers. */
export const associatedServerRoutes: Route[] = [
  route(`${AS}/associatedServers`, { GET: listAssociated, POST: createAssociated }),
  route(`${AS}/associatedServers/:associated`, { DELETE: deleteAssociated }),
]

/** The org's custom servers by id. */
function customServers(c: Ctx): Map<string, ServerState> {
  const servers = new Map<string, ServerState>()
  for (const s of c.state.servers.values()) if (s.custom) servers.set(s.id, s)
  return servers
}

/** Whether a server's name or an audience starts with `q` (case-insensitive). */
function matchesQuery(c: Ctx, server: ServerState, q: string | undefined): boolean {
  if (!q) return true
  const name = adminOf(c.state, server).name.toLowerCase()
  return name.startsWith(q) || server.audiences.some((a) => a.toLowerCase().startsWith(q))
}

function listAssociated(c: Ctx): Response {
  const { server, admin } = findServerOrThrow(c)
  const query = c.url.searchParams
  const flag = query.get('trusted')
  if (flag !== null && flag !== 'true' && flag !== 'false') {
    return invalid('trusted', "trusted: The value must be 'true' or 'false'.")
  }
  const trusted = flag !== 'false'
  const q = query.get('q')?.toLowerCase()
  const servers = [...customServers(c).values()].filter(
    (s) => s !== server && admin.trusted.has(s.id) === trusted && matchesQuery(c, s, q),
  )
  return page(c, servers, (s) => serverJson(c.state, s))
}

function createAssociated(c: Ctx): Response {
  const { server, admin } = findServerOrThrow(c)
  const ids = c.body.trusted
  const servers = customServers(c)
  const causes: string[] = []
  if (!Array.isArray(ids) || ids.length === 0) {
    causes.push('trusted: The field cannot be left blank.')
  } else {
    for (const id of ids) {
      if (typeof id !== 'string' || !servers.has(id)) {
        causes.push(`trusted: ${String(id)} is not an authorization server of the organization.`)
      } else if (id === server.id) {
        causes.push('trusted: An authorization server cannot trust itself.')
      }
    }
  }
  if (causes.length > 0) return invalid('trusted', ...causes)
  const added = [...new Set(ids as string[])]
  for (const id of added) admin.trusted.add(id)
  return ok(added.map((id) => serverJson(c.state, servers.get(id)!)))
}

function deleteAssociated(c: Ctx): Response {
  const { admin } = findServerOrThrow(c)
  const id = c.params.associated!
  // A server deleted since is no longer associated.
  if (!admin.trusted.has(id) || !customServers(c).has(id)) {
    return notFound(id, 'AuthorizationServer')
  }
  admin.trusted.delete(id)
  return noContent()
}
