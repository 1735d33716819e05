import type { Json } from '../model/json.js'
import type { ScopeRecord } from '../model/records.js'
import type { ServerAdmin } from '../model/server-admin.js'
import type { ServerState } from '../model/server-state.js'
import type { OktaOrgState } from '../org.js'
import { AS, type Ctx, newId, type Route, route } from './context.js'
import { Problems } from './input.js'
import { invalid, iso, link, noContent, notFound, ok, page } from './responses.js'
import { findServerOrThrow } from './servers.js'

// Scopes of a custom server: `/api/v1/authorizationServers/{id}/scopes[/{scopeId}]`,
// with the `q` and `filter` queries. A scope created here can be requested
// at once; system scopes cannot be changed or deleted. `optional` (today's
// API: the user may skip consent) is kept and answered; the emulator has no
// consent page that would use it.

/** @internal The routes of scopes. */
export const scopeRoutes: Route[] = [
  route(`${AS}/scopes`, { GET: listScopes, POST: createScope }),
  route(`${AS}/scopes/:scope`, { GET: getScope, PUT: updateScope, DELETE: deleteScope }),
]

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
    optional: scope.optional ?? false,
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
  'name' | 'description' | 'displayName' | 'default' | 'consent' | 'metadataPublish' | 'optional'
>

/** A scope's fields from the body; throws the 400 answer listing every problem. */
function scopeInput(c: Ctx, admin: ServerAdmin, self?: ScopeRecord): ScopeInput {
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
  for (const key of ['default', 'optional'] as const) {
    if (body[key] !== undefined && typeof body[key] !== 'boolean') {
      p.add(key, 'The field must be a boolean.')
    }
  }
  const consent = body.consent ?? 'IMPLICIT'
  if (!['REQUIRED', 'IMPLICIT', 'FLEXIBLE'].includes(consent as string)) {
    p.add('consent', "The consent must be 'REQUIRED', 'IMPLICIT' or 'FLEXIBLE'.")
  }
  const metadataPublish = body.metadataPublish ?? 'NO_CLIENTS'
  if (!['ALL_CLIENTS', 'NO_CLIENTS'].includes(metadataPublish as string)) {
    p.add('metadataPublish', "The value must be 'ALL_CLIENTS' or 'NO_CLIENTS'.")
  }
  if (!p.ok) throw p.response()
  return {
    name,
    description: body.description as string | undefined,
    displayName: body.displayName as string | undefined,
    default: (body.default as boolean | undefined) ?? false,
    consent: consent as string,
    metadataPublish: metadataPublish as string,
    optional: (body.optional as boolean | undefined) ?? false,
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
        'optional',
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

/** The scope of the path's `:scope`, with its server; throws the 404 answer. */
function findScopeOrThrow(c: Ctx): { server: ServerState; admin: ServerAdmin; scope: ScopeRecord } {
  const found = findServerOrThrow(c)
  const scope = found.admin.scopes.get(c.params.scope!)
  if (!scope) throw notFound(c.params.scope!, 'OAuth2Scope')
  return { ...found, scope }
}

function listScopes(c: Ctx): Response {
  const found = findServerOrThrow(c)
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
  const found = findServerOrThrow(c)
  const input = scopeInput(c, found.admin)
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
  const found = findScopeOrThrow(c)
  return ok(scopeJson(c.state, found.server, found.scope))
}

function updateScope(c: Ctx): Response {
  const found = findScopeOrThrow(c)
  const { server, admin, scope } = found
  if (scope.system)
    return invalid('name', `name: The system scope '${scope.name}' cannot be changed.`)
  const input = scopeInput(c, admin, scope)
  server.scopes.delete(scope.name)
  Object.assign(scope, input, { lastUpdated: c.state.now() })
  server.scopes.add(scope.name)
  return ok(scopeJson(c.state, server, scope))
}

function deleteScope(c: Ctx): Response {
  const found = findScopeOrThrow(c)
  const { server, admin, scope } = found
  if (scope.system)
    return invalid('name', `name: The system scope '${scope.name}' cannot be deleted.`)
  admin.scopes.delete(scope.id)
  server.scopes.delete(scope.name)
  return noContent()
}
