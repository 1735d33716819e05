import type { Json } from '../model/json.js'
import type { GrantRecord } from '../model/records.js'
import type { OrgClient } from '../options.js'
import type { OktaOrgState } from '../org.js'
import { type Ctx, newId, type Route, route } from './context.js'
import { Problems } from './input.js'
import { iso, link, noContent, notFound, ok, page } from './responses.js'

// App grants (OAuth for Okta): `/api/v1/apps/{id}/grants[/{grantId}]`, kept
// in step with each client's `oktaScopes`, which the org authorization
// server checks tokens against. Today's API guards them with
// `okta.appGrants.read` / `.manage` (not `okta.apps.*`).

/** @internal The routes of app grants. */
export const grantRoutes: Route[] = [
  route('apps/:app/grants', { GET: listGrants, POST: createGrant }, 'appGrants'),
  route('apps/:app/grants/:grant', { GET: getGrant, DELETE: deleteGrant }, 'appGrants'),
]

/** The app (client) of the path's `:app`; throws the 404 answer. */
function findClientOrThrow(c: Ctx): OrgClient {
  const client = c.state.clients.get(c.params.app!)
  if (!client) throw notFound(c.params.app!, 'AppInstance')
  return client
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
    _embedded: { scope: { id: grant.scopeId } },
    _links: {
      app: link(app, 'GET'),
      client: link(`${state.orgUrl}/oauth2/v1/clients/${grant.clientId}`, 'GET'),
      self: link(`${app}/grants/${grant.id}`, 'GET', 'DELETE'),
    },
  }
}

function listGrants(c: Ctx): Response {
  const client = findClientOrThrow(c)
  return page(c, grantsOf(c, client), (g) => grantJson(c.state, g))
}

function createGrant(c: Ctx): Response {
  const client = findClientOrThrow(c)
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
  const client = findClientOrThrow(c)
  const grant = grantsOf(c, client).find((g) => g.id === c.params.grant)
  return grant
    ? ok(grantJson(c.state, grant))
    : notFound(c.params.grant!, 'OAuth2ScopeConsentGrant')
}

function deleteGrant(c: Ctx): Response {
  const client = findClientOrThrow(c)
  const grant = grantsOf(c, client).find((g) => g.id === c.params.grant)
  if (!grant) return notFound(c.params.grant!, 'OAuth2ScopeConsentGrant')
  client.oktaScopes = (client.oktaScopes ?? []).filter((s) => s !== grant.scopeId)
  grantsOf(c, client)
  return noContent()
}
