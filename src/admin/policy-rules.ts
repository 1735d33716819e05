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
   * Create one. Token lifetimes are checked first: access 5 min – 1 day,
   * refresh window 10 min – 90 days, refresh lifetime 0 (unlimited) or ≥ access.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param body - `name`, `conditions` (people, grant types, scopes), token lifetimes.
   * @param options - signal and timeout.
   * @returns The created rule.
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
