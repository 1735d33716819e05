import { isObject, type Json } from '../model/json.js'
import { byPriority, place } from '../model/priority.js'
import type { PolicyRecord, Status } from '../model/records.js'
import type { ServerAdmin } from '../model/server-admin.js'
import type { ServerState } from '../model/server-state.js'
import type { OktaOrgState } from '../org.js'
import { AS, type Ctx, newId, type Route, route } from './context.js'
import { isStringList, Problems, readPriority, readStatus } from './input.js'
import { applyLifecycle } from './lifecycle.js'
import { iso, link, noContent, notFound, ok, page } from './responses.js'
import { findServerOrThrow } from './servers.js'

// Access policies of a custom server:
// `/api/v1/authorizationServers/{id}/policies[/{policyId}]` and their lifecycle.

/** @internal The path of one policy, under which its rules live. */
export const POLICY = `${AS}/policies/:policy`

/** @internal The routes of access policies. */
export const policyRoutes: Route[] = [
  route(`${AS}/policies`, { GET: listPolicies, POST: createPolicy }),
  route(POLICY, { GET: getPolicy, PUT: updatePolicy, DELETE: deletePolicy }),
  route(`${POLICY}/lifecycle/:action`, { POST: policyLifecycle }),
]

function policyJson(state: OktaOrgState, server: ServerState, policy: PolicyRecord): Json {
  const self = `${state.orgUrl}/api/v1/authorizationServers/${server.id}/policies/${policy.id}`
  const toggle = policy.status === 'ACTIVE' ? 'deactivate' : 'activate'
  return {
    type: 'OAUTH_AUTHORIZATION_POLICY',
    id: policy.id,
    status: policy.status,
    name: policy.name,
    ...(policy.description !== undefined && { description: policy.description }),
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
  description: string | undefined
  status: Status | undefined
  priority: number | undefined
  clients: PolicyRecord['clients']
}

/** A policy's fields from the body; throws the 400 answer listing every problem. */
function policyInput(c: Ctx): PolicyInput {
  const { body } = c
  const p = new Problems()
  const name = typeof body.name === 'string' ? body.name.trim() : ''
  if (name === '') p.add('name', 'The field cannot be left blank.')
  else if (name.length > 100) p.add('name', 'The field must be at most 100 characters.')
  // Today's API: a policy needs no description; one given has 1 to 255 characters.
  const description = body.description
  if (
    description !== undefined &&
    (typeof description !== 'string' || description === '' || description.length > 255)
  ) {
    p.add('description', 'The description must have 1 to 255 characters.')
  }
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
  if (!p.ok) throw p.response()
  return { name, description: description as string | undefined, status, priority, clients }
}

/** @internal The policy of the path's `:as` and `:policy`, with its server; throws the 404 answer. */
export function findPolicyOrThrow(c: Ctx): {
  server: ServerState
  admin: ServerAdmin
  policy: PolicyRecord
} {
  const found = findServerOrThrow(c)
  const policy = found.admin.policies.get(c.params.policy!)
  if (!policy) throw notFound(c.params.policy!, 'Policy')
  return { ...found, policy }
}

function listPolicies(c: Ctx): Response {
  const found = findServerOrThrow(c)
  return page(c, byPriority(found.admin.policies.values()), (p) =>
    policyJson(c.state, found.server, p),
  )
}

function createPolicy(c: Ctx): Response {
  const found = findServerOrThrow(c)
  const input = policyInput(c)
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
  const found = findPolicyOrThrow(c)
  return ok(policyJson(c.state, found.server, found.policy))
}

function updatePolicy(c: Ctx): Response {
  const found = findPolicyOrThrow(c)
  const input = policyInput(c)
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
  const found = findPolicyOrThrow(c)
  found.admin.policies.delete(found.policy.id)
  return noContent()
}

function policyLifecycle(c: Ctx): Response {
  const found = findPolicyOrThrow(c)
  return applyLifecycle(c, found.policy)
}
