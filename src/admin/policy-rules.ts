import type { CallOptions } from '../lib/http.js'
import {
  type PolicyRule,
  type PolicyRuleInput,
  PolicyRuleInputSchema,
  PolicyRuleSchema,
} from './models.js'
import type { PagedList } from './paginate.js'
import { list, none, one, op, seg } from './resource.js'
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
  const base = (s: string, p: string) =>
    `/authorizationServers/${seg(s, 'serverId')}/policies/${seg(p, 'policyId')}/rules`
  const item = (s: string, p: string, r: string) => `${base(s, p)}/${seg(r, 'ruleId')}`
  const read = (name: string) => op(`policyRules.${name}`, 'GET', 'authorizationServers', 'read')
  const write = (name: string, method: 'POST' | 'PUT' | 'DELETE', idempotent?: boolean) =>
    op(`policyRules.${name}`, method, 'authorizationServers', 'manage', idempotent)
  return {
    list: (s, p, options) => list(t, read('list'), () => base(s, p), PolicyRuleSchema, {}, options),
    get: (s, p, r, options) => one(t, read('get'), () => item(s, p, r), PolicyRuleSchema, options),
    create: (s, p, body, options) =>
      one(t, write('create', 'POST'), () => base(s, p), PolicyRuleSchema, {
        ...options,
        body,
        inputSchema: PolicyRuleInputSchema,
      }),
    update: (s, p, r, body, options) =>
      one(t, write('update', 'PUT'), () => item(s, p, r), PolicyRuleSchema, {
        ...options,
        body,
        inputSchema: PolicyRuleInputSchema,
      }),
    delete: (s, p, r, options) => none(t, write('delete', 'DELETE'), () => item(s, p, r), options),
    activate: (s, p, r, options) =>
      none(
        t,
        write('activate', 'POST', true),
        () => `${item(s, p, r)}/lifecycle/activate`,
        options,
      ),
    deactivate: (s, p, r, options) =>
      none(
        t,
        write('deactivate', 'POST', true),
        () => `${item(s, p, r)}/lifecycle/deactivate`,
        options,
      ),
  }
}
