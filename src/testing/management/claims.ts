import { regex } from '../model/claims.js'
import { isObject, type Json } from '../model/json.js'
import type { ClaimRecord, Stamped } from '../model/records.js'
import type { ServerAdmin } from '../model/server-admin.js'
import type { ServerState } from '../model/server-state.js'
import type { OktaOrgState } from '../org.js'
import { AS, type Ctx, newId, type Route, route } from './context.js'
import { isStringList, Problems, readStatus } from './input.js'
import { iso, link, noContent, notFound, ok, page } from './responses.js'
import { findServerOrThrow } from './servers.js'

// Custom claims of a custom server: `/api/v1/authorizationServers/{id}/claims[/{claimId}]`.
// Tokens carry the claims the model (../model/claims.ts) can evaluate. The
// groups filter is `group_filter_type` in today's API (answered so); a body
// may also use the older `groupFilterType`.

/** @internal The routes of custom claims. */
export const claimRoutes: Route[] = [
  route(`${AS}/claims`, { GET: listClaims, POST: createClaim }),
  route(`${AS}/claims/:claim`, { GET: getClaim, PUT: updateClaim, DELETE: deleteClaim }),
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

function claimJson(state: OktaOrgState, server: ServerState, claim: ClaimRecord): Json {
  return {
    id: claim.id,
    name: claim.name,
    status: claim.status,
    claimType: claim.claimType,
    valueType: claim.valueType,
    value: claim.value,
    ...(claim.groupFilterType !== undefined && { group_filter_type: claim.groupFilterType }),
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

/** A claim's fields from the body; throws the 400 answer listing every problem. */
function claimInput(
  c: Ctx,
  server: ServerState,
  admin: ServerAdmin,
  self?: ClaimRecord,
): ClaimInput {
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
  // Today's name first; the older one is still read.
  const groupFilterType = body.group_filter_type ?? body.groupFilterType
  if (
    body.group_filter_type !== undefined &&
    body.groupFilterType !== undefined &&
    body.group_filter_type !== body.groupFilterType
  ) {
    p.add('group_filter_type', 'The group filter is given twice, with different values.')
  }
  if (valueType === 'GROUPS') {
    if (!['STARTS_WITH', 'EQUALS', 'CONTAINS', 'REGEX'].includes(groupFilterType as string)) {
      p.add(
        'group_filter_type',
        "A GROUPS claim needs 'STARTS_WITH', 'EQUALS', 'CONTAINS' or 'REGEX'.",
      )
    } else if (groupFilterType === 'REGEX' && typeof value === 'string' && !regex(value)) {
      p.add('value', 'The value is not a valid regular expression.')
    }
  } else if (groupFilterType !== undefined) {
    p.add('group_filter_type', 'A group filter goes with valueType GROUPS only.')
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
  if (!p.ok) throw p.response()
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

/** The claim of the path's `:claim`, with its server; throws the 404 answer. */
function findClaimOrThrow(c: Ctx): { server: ServerState; admin: ServerAdmin; claim: ClaimRecord } {
  const found = findServerOrThrow(c)
  const claim = found.admin.claims.get(c.params.claim!)
  if (!claim) throw notFound(c.params.claim!, 'OAuth2Claim')
  return { ...found, claim }
}

function listClaims(c: Ctx): Response {
  const found = findServerOrThrow(c)
  return page(c, [...found.admin.claims.values()], (x) => claimJson(c.state, found.server, x))
}

function createClaim(c: Ctx): Response {
  const found = findServerOrThrow(c)
  const input = claimInput(c, found.server, found.admin)
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
  const found = findClaimOrThrow(c)
  return ok(claimJson(c.state, found.server, found.claim))
}

function updateClaim(c: Ctx): Response {
  const found = findClaimOrThrow(c)
  const input = claimInput(c, found.server, found.admin, found.claim)
  const { claim } = found
  delete claim.groupFilterType
  Object.assign(claim, input, { lastUpdated: c.state.now() })
  return ok(claimJson(c.state, found.server, claim))
}

function deleteClaim(c: Ctx): Response {
  const found = findClaimOrThrow(c)
  found.admin.claims.delete(found.claim.id)
  return noContent()
}
