import type { Json } from '../model/json.js'
import type { ServerState } from '../model/server-state.js'
import type { OktaOrgState } from '../org.js'
import { AS, type Ctx, type Route, route } from './context.js'
import { link, page } from './responses.js'
import { findServerOrThrow } from './servers.js'

// The clients of a custom server: `/api/v1/authorizationServers/{id}/clients`,
// the OAuth 2.0 clients for which the server has live tokens (`OAuth2Client`).

/** @internal The routes of a server's clients. */
export const serverClientRoutes: Route[] = [route(`${AS}/clients`, { GET: listClients })]

function clientJson(state: OktaOrgState, server: ServerState, clientId: string): Json {
  return {
    client_id: clientId,
    // The emulator's clients have no name, URI or logo.
    client_name: clientId,
    client_uri: null,
    logo_uri: null,
    _links: {
      client: { ...link(`${state.orgUrl}/oauth2/v1/clients/${clientId}`, 'GET'), title: clientId },
      tokens: link(
        `${state.orgUrl}/api/v1/authorizationServers/${server.id}/clients/${clientId}/tokens`,
        'GET',
        'DELETE',
      ),
    },
  }
}

function listClients(c: Ctx): Response {
  const { server } = findServerOrThrow(c)
  const now = c.state.now()
  const ids = new Set<string>()
  for (const t of c.state.tokens.values()) {
    if (t.server === server && !t.revoked && t.exp >= now && c.state.clients.has(t.clientId)) {
      ids.add(t.clientId)
    }
  }
  const clients = [...ids].sort().map((id) => ({ id }))
  return page(c, clients, ({ id }) => clientJson(c.state, server, id))
}
