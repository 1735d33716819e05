import type { Json } from '../model/json.js'
import type { ServerState } from '../model/server-state.js'
import { rotateServerKeys } from '../model/signing-keys.js'
import type { OktaOrgState } from '../org.js'
import { AS, type Ctx, type Route, route } from './context.js'
import { invalid, link, notFound, ok } from './responses.js'
import { findServerOrThrow } from './servers.js'

// Signing keys of a custom server: `/api/v1/authorizationServers/{id}/credentials/keys[/{kid}]`
// and the manual rotation, the same as OktaOrgState.rotateKeys. The list and
// the rotation answer a bare JSON array, as today's API does (older reference
// pages showed `{ "keys": [...] }`, which Okta's own SDK cannot read).

/** @internal The routes of signing keys. */
export const keyRoutes: Route[] = [
  route(`${AS}/credentials/keys`, { GET: listKeys }),
  route(`${AS}/credentials/keys/:kid`, { GET: getKey }),
  route(`${AS}/credentials/lifecycle/keyRotate`, { POST: rotateKeys }),
]

const STATUS_ORDER = { ACTIVE: 0, NEXT: 1, EXPIRED: 2 }

function keysJson(state: OktaOrgState, server: ServerState): Promise<Json[]> {
  const sorted = [...server.keys].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])
  return Promise.all(
    sorted.map(async (key) => ({
      status: key.status,
      ...(await key.publicJwk()),
      _links: {
        self: link(
          `${state.orgUrl}/api/v1/authorizationServers/${server.id}/credentials/keys/${key.kid}`,
          'GET',
        ),
      },
    })),
  )
}

async function listKeys(c: Ctx): Promise<Response> {
  const found = findServerOrThrow(c)
  return ok(await keysJson(c.state, found.server))
}

async function getKey(c: Ctx): Promise<Response> {
  const found = findServerOrThrow(c)
  const key = found.server.keys.find((k) => k.kid === c.params.kid)
  if (!key) return notFound(c.params.kid!, 'Key')
  const json = (await keysJson(c.state, found.server)).find((k) => k.kid === key.kid)
  return ok(json!)
}

async function rotateKeys(c: Ctx): Promise<Response> {
  const found = findServerOrThrow(c)
  const use = c.body.use
  if (use !== undefined && use !== 'sig') {
    return invalid('rotateKeys', "Invalid value specified for key 'use' parameter.")
  }
  rotateServerKeys(found.server, c.state.now())
  found.admin.lastRotated = c.state.now()
  return ok(await keysJson(c.state, found.server))
}
