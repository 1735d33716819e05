import { isObject, type Json } from './json.js'
import { byPriority } from './priority.js'
import type { PolicyRecord, TokenLifetimes } from './records.js'

// Okta's access policy evaluation at the authorize and token endpoints of a
// custom authorization server.

/** @internal A token request, as policy evaluation sees it. */
export interface AccessRequest {
  clientId: string
  /** `authorization_code`, `implicit`, `password` or `client_credentials`. */
  grantType: string
  scopes: readonly string[]
  /** The resource owner; `undefined` for client credentials (people conditions do not apply). */
  user: { id: string; login: string; groups?: string[] } | undefined
}

/** @internal What the access rule a token request matched grants. */
export interface AccessRule {
  /** The rule's token lifetimes; `undefined`: the org's configured ones (the built-in rule). */
  lifetimes: TokenLifetimes | undefined
}

/**
 * @internal
 * Okta's access policy evaluation: active policies in priority order whose
 * clients include the client (or `ALL_CLIENTS`) and do not exclude it; in
 * each, active rules in priority order whose grant types include the
 * request's, whose scopes cover every requested scope (or are `*`) and,
 * when a user is involved, whose people include the user (by id or login)
 * or one of the user's groups (`EVERYONE` for all), excluding neither. The
 * first match applies; `undefined` means no policy matched.
 */
export function matchAccessRule(
  policies: Iterable<PolicyRecord>,
  request: AccessRequest,
): AccessRule | undefined {
  for (const policy of byPriority(policies)) {
    if (policy.status !== 'ACTIVE') continue
    const { include, exclude = [] } = policy.clients
    if (exclude.includes(request.clientId)) continue
    if (!include.includes('ALL_CLIENTS') && !include.includes(request.clientId)) continue
    for (const rule of byPriority(policy.rules.values())) {
      if (rule.status === 'ACTIVE' && ruleMatches(rule.conditions, request)) {
        return { lifetimes: rule.inherit ? undefined : { ...rule.token } }
      }
    }
  }
  return undefined
}

/** Whether a rule's conditions (as stored by `ruleInput`) match a token request. */
function ruleMatches(conditions: Json, request: AccessRequest): boolean {
  const list = (value: unknown, key: string): unknown[] => {
    const inner = isObject(value) ? value[key] : undefined
    return Array.isArray(inner) ? inner : []
  }
  const grantTypes = list(conditions.grantTypes, 'include')
  if (!grantTypes.includes(request.grantType)) return false
  const scopes = list(conditions.scopes, 'include').map((entry) =>
    isObject(entry) ? entry.name : entry,
  )
  if (!scopes.includes('*') && !request.scopes.every((s) => scopes.includes(s))) return false
  const { user } = request
  if (!user) return true
  const people = isObject(conditions.people) ? conditions.people : {}
  const isUser = (x: unknown) => x === user.id || x === user.login
  const groups = new Set(user.groups ?? [])
  const inGroup = (x: unknown) => x === 'EVERYONE' || (typeof x === 'string' && groups.has(x))
  if (list(people.users, 'exclude').some(isUser)) return false
  if (list(people.groups, 'exclude').some(inGroup)) return false
  return list(people.users, 'include').some(isUser) || list(people.groups, 'include').some(inGroup)
}
