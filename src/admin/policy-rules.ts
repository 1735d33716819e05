import type { CallOptions } from '../lib/http.js'
import {
  type PolicyRule,
  type PolicyRuleInput,
  PolicyRuleInputSchema,
  PolicyRuleSchema,
} from './models/policy-rule.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/** Rules of a policy: `/api/v1/authorizationServers/{serverId}/policies/{policyId}/rules`. */
export interface PolicyRules {
  /**
   * List a policy's rules.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param options - signal and timeout.
   * @returns A paged list.
   */
  list(serverId: string, policyId: string, options?: CallOptions): PagedList<PolicyRule>
  /**
   * Get one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param ruleId - The rule.
   * @param options - signal and timeout.
   * @returns The rule.
   */
  get(
    serverId: string,
    policyId: string,
    ruleId: string,
    options?: CallOptions,
  ): Promise<PolicyRule>
  /**
   * Create one. The lifetimes and the token inline hook go in
   * `actions.token` (a deprecated top-level `token` is sent there), checked
   * first: access 5 min – 1 day, refresh window 10 min – 5 years, refresh
   * lifetime 0 (unlimited) or ≥ access. `type: 'RESOURCE_ACCESS'` is sent
   * when omitted. The body is exact: an unknown key is refused before sending.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param body - `name`, `conditions` (people, grant types, scopes), `actions.token`.
   * @param options - signal and timeout.
   * @returns The created rule. Rejects with `RequestValidationError` (invalid
   * body), `AdminScopeError`, `OktaApiError`.
   * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/createAuthorizationServerPolicyRule
   * @example
   * ```ts
   * import { createAdminClient } from 'okta-oauth-kit/admin'
   *
   * const admin = createAdminClient({
   *   orgUrl: 'https://example.okta.com',
   *   auth: { type: 'ssws', token: 'api-token' },
   * })
   * const rule = await admin.policyRules.create('default', '00p1', {
   *   name: 'Client credentials',
   *   conditions: {
   *     grantTypes: { include: ['client_credentials'] },
   *     scopes: { include: ['orders:read'] },
   *   },
   *   actions: {
   *     token: { accessTokenLifetimeMinutes: 60, inlineHook: { id: 'cal4egvp1mbMldrYN0g7' } },
   *   },
   * })
   * console.log(rule.actions?.token?.accessTokenLifetimeMinutes) // 60
   * ```
   */
  create(
    serverId: string,
    policyId: string,
    body: PolicyRuleInput,
    options?: CallOptions,
  ): Promise<PolicyRule>
  /**
   * Replace one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param ruleId - The rule.
   * @param body - The full rule.
   * @param options - signal and timeout.
   * @returns The updated rule.
   */
  update(
    serverId: string,
    policyId: string,
    ruleId: string,
    body: PolicyRuleInput,
    options?: CallOptions,
  ): Promise<PolicyRule>
  /**
   * Delete one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param ruleId - The rule.
   * @param options - signal and timeout.
   */
  delete(serverId: string, policyId: string, ruleId: string, options?: CallOptions): Promise<void>
  /**
   * Activate one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param ruleId - The rule.
   * @param options - signal and timeout.
   */
  activate(serverId: string, policyId: string, ruleId: string, options?: CallOptions): Promise<void>
  /**
   * Deactivate one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param ruleId - The rule.
   * @param options - signal and timeout.
   */
  deactivate(
    serverId: string,
    policyId: string,
    ruleId: string,
    options?: CallOptions,
  ): Promise<void>
}

/** @internal */
export function policyRules(t: AdminTransport): PolicyRules {
  const all = (serverId: string, policyId: string) =>
    path`/authorizationServers/${{ serverId }}/policies/${{ policyId }}/rules`
  const rule = (serverId: string, policyId: string, ruleId: string) =>
    path`/authorizationServers/${{ serverId }}/policies/${{ policyId }}/rules/${{ ruleId }}`
  const read = (name: string) => op(`policyRules.${name}`, 'GET', 'authorizationServers', 'read')
  const write = (name: string, method: 'POST' | 'PUT' | 'DELETE', idempotent?: boolean) =>
    op(`policyRules.${name}`, method, 'authorizationServers', 'manage', idempotent)
  return {
    list: (serverId, policyId, options) =>
      list(t, read('list'), () => all(serverId, policyId), PolicyRuleSchema, {}, options),
    get: (serverId, policyId, ruleId, options) =>
      one(t, read('get'), () => rule(serverId, policyId, ruleId), PolicyRuleSchema, options),
    create: (serverId, policyId, body, options) =>
      one(t, write('create', 'POST'), () => all(serverId, policyId), PolicyRuleSchema, {
        ...options,
        body,
        inputSchema: PolicyRuleInputSchema,
      }),
    update: (serverId, policyId, ruleId, body, options) =>
      one(t, write('update', 'PUT'), () => rule(serverId, policyId, ruleId), PolicyRuleSchema, {
        ...options,
        body,
        inputSchema: PolicyRuleInputSchema,
      }),
    delete: (serverId, policyId, ruleId, options) =>
      none(t, write('delete', 'DELETE'), () => rule(serverId, policyId, ruleId), options),
    activate: (serverId, policyId, ruleId, options) =>
      none(
        t,
        write('activate', 'POST', true),
        () =>
          path`/authorizationServers/${{ serverId }}/policies/${{ policyId }}/rules/${{ ruleId }}/lifecycle/activate`,
        options,
      ),
    deactivate: (serverId, policyId, ruleId, options) =>
      none(
        t,
        write('deactivate', 'POST', true),
        () =>
          path`/authorizationServers/${{ serverId }}/policies/${{ policyId }}/rules/${{ ruleId }}/lifecycle/deactivate`,
        options,
      ),
  }
}
