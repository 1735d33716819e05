import type { Json } from './json.js'
import type { ClaimRecord } from './records.js'

// Custom claims of a custom authorization server: which apply to a token,
// and the values the emulator can evaluate.

/** @internal Who a token is minted for, to evaluate custom claims. */
export interface ClaimContext {
  clientId: string
  user:
    | { id: string; login: string; profile?: Record<string, unknown>; groups?: string[] }
    | undefined
  scopes: string[]
}

/**
 * @internal
 * The custom claims of a token: active claims of that kind whose
 * `conditions.scopes` is empty or shares a scope with the token, with a
 * value the emulator can evaluate (a literal, `app.clientId`,
 * `user.{attribute}`, or the user's groups for `GROUPS`).
 */
export function tokenClaims(
  claims: Iterable<ClaimRecord>,
  kind: 'RESOURCE' | 'IDENTITY',
  ctx: ClaimContext,
): Json {
  const out: Json = {}
  for (const claim of claims) {
    if (claim.status !== 'ACTIVE' || claim.claimType !== kind) continue
    if (kind === 'IDENTITY' && !claim.alwaysIncludeInToken) continue
    if (claim.scopes.length > 0 && !claim.scopes.some((s) => ctx.scopes.includes(s))) continue
    const value = evaluate(claim, ctx)
    if (value !== undefined) out[claim.name] = value
  }
  return out
}

/** @internal A claim value of `/…/` or `…` as a regular expression, or `undefined` when it is not one. */
export function regex(value: string): RegExp | undefined {
  const m = /^\/(.*)\/$/s.exec(value)
  try {
    return new RegExp(m ? m[1]! : value)
  } catch {
    return undefined
  }
}

/** The value of a claim for a token, or `undefined` when the emulator cannot evaluate it. */
function evaluate(claim: ClaimRecord, ctx: ClaimContext): unknown {
  if (claim.valueType === 'GROUPS') {
    if (!ctx.user) return undefined
    const value = claim.value.toLowerCase()
    const pattern = claim.groupFilterType === 'REGEX' ? regex(claim.value) : undefined
    const groups = (ctx.user.groups ?? []).filter((g) => {
      const name = g.toLowerCase()
      switch (claim.groupFilterType) {
        case 'STARTS_WITH':
          return name.startsWith(value)
        case 'EQUALS':
          return name === value
        case 'CONTAINS':
          return name.includes(value)
        default:
          return pattern !== undefined && new RegExp(`^(?:${pattern.source})$`).test(g)
      }
    })
    return groups.length > 0 ? groups : undefined
  }
  const expression = claim.value.trim()
  if (/^"(?:[^"\\]|\\.)*"$/s.test(expression)) {
    try {
      return JSON.parse(expression)
    } catch {
      return undefined
    }
  }
  if (/^'(?:[^'\\]|\\.)*'$/s.test(expression)) {
    return expression.slice(1, -1).replace(/\\(.)/g, '$1')
  }
  if (expression === 'true' || expression === 'false') return expression === 'true'
  if (/^-?\d+(\.\d+)?$/.test(expression)) return Number(expression)
  if (expression === 'app.clientId') return ctx.clientId
  const m = /^(user|appuser)\.(\w+)$/.exec(expression)
  if (m && ctx.user) {
    const attribute = m[2]!
    if (attribute === 'id') return ctx.user.id
    if (attribute === 'login' || attribute === 'userName') return ctx.user.login
    return ctx.user.profile?.[attribute]
  }
  return undefined
}
