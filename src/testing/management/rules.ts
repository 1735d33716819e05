import { isObject, type Json } from '../model/json.js'
import { byPriority, place } from '../model/priority.js'
import type { PolicyRecord, RuleRecord, Status, TokenLifetimes } from '../model/records.js'
import type { ServerState } from '../model/server-state.js'
import type { OktaOrgState } from '../org.js'
import { type Ctx, newId, type Route, route } from './context.js'
import { isStringList, Problems, readPriority, readStatus } from './input.js'
import { applyLifecycle } from './lifecycle.js'
import { findPolicyOrThrow, POLICY } from './policies.js'
import { iso, link, noContent, notFound, ok, page } from './responses.js'

// Access policy rules:
// `/api/v1/authorizationServers/{id}/policies/{policyId}/rules[/{ruleId}]`
// and their lifecycle, with the conditions and token lifetimes Okta accepts.
// As in today's API (Admin Management API 5.1.0), the lifetimes and the
// token inline hook live in `actions.token`; a top-level `token` (older
// reference pages) is not part of the model and is ignored, as Okta ignores
// fields it does not know. The emulator keeps the inline hook's id but calls
// no hook.

const RULE = `${POLICY}/rules/:rule`

/** @internal The routes of access policy rules. */
export const ruleRoutes: Route[] = [
  route(`${POLICY}/rules`, { GET: listRules, POST: createRule }),
  route(RULE, { GET: getRule, PUT: updateRule, DELETE: deleteRule }),
  route(`${RULE}/lifecycle/:action`, { POST: ruleLifecycle }),
]

/** A day, in minutes. */
const DAY = 24 * 60
/** "The maximum is five years (2,628,000 minutes)." */
const FIVE_YEARS = 2_628_000
/** The grant types a rule's conditions may name. */
const GRANT_TYPES = [
  'authorization_code',
  'password',
  'refresh_token',
  'client_credentials',
  'implicit',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'interaction_code',
  'urn:openid:params:grant-type:ciba',
  'urn:okta:params:oauth:grant-type:otp',
  'urn:okta:params:oauth:grant-type:oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-oob',
]

function ruleJson(
  state: OktaOrgState,
  server: ServerState,
  policy: PolicyRecord,
  rule: RuleRecord,
): Json {
  const self = `${state.orgUrl}/api/v1/authorizationServers/${server.id}/policies/${policy.id}/rules/${rule.id}`
  const toggle = rule.status === 'ACTIVE' ? 'deactivate' : 'activate'
  return {
    type: 'RESOURCE_ACCESS',
    id: rule.id,
    status: rule.status,
    name: rule.name,
    priority: rule.priority,
    system: false,
    conditions: structuredClone(rule.conditions),
    actions: {
      token: { ...rule.token, ...(rule.inlineHook && { inlineHook: { ...rule.inlineHook } }) },
    },
    created: iso(rule.created),
    lastUpdated: iso(rule.lastUpdated),
    _links: {
      self: link(self, 'GET', 'PUT', 'DELETE'),
      [toggle]: link(`${self}/lifecycle/${toggle}`, 'POST'),
    },
  }
}

interface RuleInput {
  name: string
  status: Status | undefined
  priority: number | undefined
  conditions: Json
  token: TokenLifetimes
  inlineHook: { id: string } | undefined
}

function includeExclude(
  p: Problems,
  field: string,
  value: unknown,
  fallback: string[],
): { include: string[]; exclude: string[] } {
  if (value === undefined) return { include: fallback, exclude: [] }
  if (
    !isObject(value) ||
    (value.include !== undefined && !isStringList(value.include)) ||
    (value.exclude !== undefined && !isStringList(value.exclude))
  ) {
    p.add(field, 'The condition must have include and exclude lists of strings.')
    return { include: [], exclude: [] }
  }
  return {
    include: [...((value.include as string[] | undefined) ?? [])],
    exclude: [...((value.exclude as string[] | undefined) ?? [])],
  }
}

/** A rule's fields from the body; throws the 400 answer listing every problem. */
function ruleInput(c: Ctx, server: ServerState): RuleInput {
  const { body } = c
  const p = new Problems()
  const name = typeof body.name === 'string' ? body.name.trim() : ''
  if (name === '') p.add('name', 'The field cannot be left blank.')
  if (body.type !== undefined && body.type !== 'RESOURCE_ACCESS') {
    p.add('type', "The type must be 'RESOURCE_ACCESS'.")
  }
  const status = readStatus(p, body.status)
  const priority = readPriority(p, body.priority)
  const conditions = body.conditions ?? {}
  const given = isObject(conditions) ? conditions : {}
  if (!isObject(conditions)) p.add('conditions', 'The conditions must be an object.')
  const people = given.people
  if (people !== undefined && !isObject(people)) p.add('conditions.people', 'Invalid condition.')
  const peopleObject = isObject(people) ? people : {}
  const users = includeExclude(p, 'conditions.people.users', peopleObject.users, [])
  const groups = includeExclude(p, 'conditions.people.groups', peopleObject.groups, ['EVERYONE'])
  let grantTypes = ['client_credentials', 'authorization_code', 'implicit', 'password']
  if (given.grantTypes !== undefined) {
    const include = isObject(given.grantTypes) ? given.grantTypes.include : undefined
    if (!isStringList(include) || include.length === 0) {
      p.add('conditions.grantTypes.include', 'At least one grant type is required.')
    } else {
      const unknown = include.filter((g) => !GRANT_TYPES.includes(g))
      if (unknown.length > 0) {
        p.add('conditions.grantTypes.include', `Unsupported grant type(s): ${unknown.join(', ')}.`)
      }
      grantTypes = [...include]
    }
  }
  let scopes: unknown[] = ['*']
  if (given.scopes !== undefined) {
    const include = isObject(given.scopes) ? given.scopes.include : undefined
    if (!Array.isArray(include) || include.length === 0) {
      p.add('conditions.scopes.include', 'At least one scope is required.')
    } else {
      for (const entry of include) {
        const scopeName =
          typeof entry === 'string' ? entry : isObject(entry) ? entry.name : undefined
        if (typeof scopeName !== 'string' || (scopeName !== '*' && !server.scopes.has(scopeName))) {
          p.add('conditions.scopes.include', `Invalid scope: ${String(scopeName)}.`)
        }
      }
      scopes = structuredClone(include)
    }
  }
  // `null` is absent (serialisers send it for unset fields).
  const actions = body.actions ?? undefined
  if (actions !== undefined && !isObject(actions))
    p.add('actions', 'The actions must be an object.')
  const tokenBody = isObject(actions) ? (actions.token ?? undefined) : undefined
  const token = lifetimes(p, tokenBody)
  const inlineHook = readInlineHook(p, isObject(tokenBody) ? tokenBody.inlineHook : undefined)
  if (!p.ok) throw p.response()
  return {
    name,
    status,
    priority,
    conditions: {
      people: { users, groups },
      grantTypes: { include: grantTypes },
      scopes: { include: scopes },
    },
    token,
    inlineHook,
  }
}

/** `actions.token.inlineHook`: `{ id }` of a token inline hook (any id: the emulator has no hooks). */
function readInlineHook(p: Problems, value: unknown): { id: string } | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value) || typeof value.id !== 'string' || value.id.trim() === '') {
    p.add('actions.token.inlineHook.id', 'The inline hook must be given by its id.')
    return undefined
  }
  return { id: value.id }
}

/** Token lifetimes with today's limits: access 5 min – 1 day, window 10 min – 5 years. */
function lifetimes(p: Problems, value: unknown): TokenLifetimes {
  const out: TokenLifetimes = {
    accessTokenLifetimeMinutes: 60,
    refreshTokenLifetimeMinutes: 0,
    refreshTokenWindowMinutes: 10_080,
  }
  if (value === undefined) return out
  if (!isObject(value)) {
    p.add('actions.token', 'The token lifetimes must be an object.')
    return out
  }
  const int = (key: keyof TokenLifetimes, min: number, max: number, message: string) => {
    const v = value[key]
    if (v === undefined) return
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) p.add(key, message)
    else out[key] = v
  }
  int(
    'accessTokenLifetimeMinutes',
    5,
    DAY,
    'The access token lifetime must be between 5 minutes and 1 day (1440 minutes).',
  )
  int(
    'refreshTokenWindowMinutes',
    10,
    FIVE_YEARS,
    'The refresh token window must be between 10 minutes and 5 years (2628000 minutes).',
  )
  int(
    'refreshTokenLifetimeMinutes',
    0,
    Number.MAX_SAFE_INTEGER,
    'The refresh token lifetime must be a whole number of minutes.',
  )
  const refresh = out.refreshTokenLifetimeMinutes
  if (refresh !== 0 && refresh < out.accessTokenLifetimeMinutes) {
    p.add(
      'refreshTokenLifetimeMinutes',
      'The refresh token lifetime must be unlimited (0) or at least the access token lifetime.',
    )
  }
  return out
}

/** The rule of the path's `:rule`, with its policy and server; throws the 404 answer. */
function findRuleOrThrow(c: Ctx): { server: ServerState; policy: PolicyRecord; rule: RuleRecord } {
  const found = findPolicyOrThrow(c)
  const rule = found.policy.rules.get(c.params.rule!)
  if (!rule) throw notFound(c.params.rule!, 'PolicyRule')
  return { ...found, rule }
}

function listRules(c: Ctx): Response {
  const found = findPolicyOrThrow(c)
  return page(c, byPriority(found.policy.rules.values()), (r) =>
    ruleJson(c.state, found.server, found.policy, r),
  )
}

function createRule(c: Ctx): Response {
  const found = findPolicyOrThrow(c)
  const input = ruleInput(c, found.server)
  const now = c.state.now()
  const rule: RuleRecord = {
    id: newId('0pr', (x) => found.policy.rules.has(x)),
    name: input.name,
    status: input.status ?? 'ACTIVE',
    priority: 0,
    conditions: input.conditions,
    token: input.token,
    inlineHook: input.inlineHook,
    created: now,
    lastUpdated: now,
  }
  place(found.policy.rules, rule, input.priority)
  return ok(ruleJson(c.state, found.server, found.policy, rule), 201)
}

function getRule(c: Ctx): Response {
  const found = findRuleOrThrow(c)
  return ok(ruleJson(c.state, found.server, found.policy, found.rule))
}

function updateRule(c: Ctx): Response {
  const found = findRuleOrThrow(c)
  const input = ruleInput(c, found.server)
  const { rule } = found
  rule.name = input.name
  if (input.status) rule.status = input.status
  rule.conditions = input.conditions
  rule.token = input.token
  rule.inlineHook = input.inlineHook
  rule.inherit = false
  rule.lastUpdated = c.state.now()
  place(found.policy.rules, rule, input.priority ?? rule.priority)
  return ok(ruleJson(c.state, found.server, found.policy, rule))
}

function deleteRule(c: Ctx): Response {
  const found = findRuleOrThrow(c)
  found.policy.rules.delete(found.rule.id)
  return noContent()
}

function ruleLifecycle(c: Ctx): Response {
  const found = findRuleOrThrow(c)
  return applyLifecycle(c, found.rule)
}
