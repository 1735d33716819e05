import type { AccessRule } from '../model/access-policy.js'
import type { ServerState } from '../model/server-state.js'
import type { OktaOrgState } from '../org.js'

// Access policies at the authorize and token endpoints: a custom server's
// policies decide whether a token request is allowed, and the lifetimes of
// what it gets.

/** @internal Okta's answer when no access policy rule of a custom server matches a token request. */
export const POLICY_DENIED =
  'Policy evaluation failed for this request, please check the policy configurations.'

/** @internal Token lifetimes, in seconds, of a matched access rule. */
export interface Lifetimes {
  access: number
  /** Absolute refresh token lifetime; `undefined`: unlimited. */
  refresh: number | undefined
  /** Refresh token idle window. */
  window: number
}

/**
 * @internal
 * The lifetimes a token request gets on `server`, or `undefined` when the
 * server's access policies refuse it ("Policy evaluation failed"). The org
 * authorization server has no access policies; a custom server without a
 * management record (no management handlers) allows everything.
 */
export function accessPolicy(
  state: OktaOrgState,
  server: ServerState,
  clientId: string,
  grantType: string,
  userId: string | undefined,
  scopes: readonly string[],
): { lifetimes: Lifetimes | undefined } | undefined {
  if (!server.custom || !server.admin) return { lifetimes: undefined }
  const user = userId === undefined ? undefined : state.users.get(userId)
  const rule: AccessRule | undefined = server.admin.accessRule({
    clientId,
    grantType,
    scopes,
    user: user && { id: user.id, login: user.login, ...(user.groups && { groups: user.groups }) },
  })
  if (!rule) return undefined
  const t = rule.lifetimes
  return {
    lifetimes: t && {
      access: t.accessTokenLifetimeMinutes * 60,
      refresh: t.refreshTokenLifetimeMinutes === 0 ? undefined : t.refreshTokenLifetimeMinutes * 60,
      window: t.refreshTokenWindowMinutes * 60,
    },
  }
}
