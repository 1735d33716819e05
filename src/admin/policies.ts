import type { CallOptions } from '../lib/http.js'
import { type Policy, type PolicyInput, PolicyInputSchema, PolicySchema } from './models/policy.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/** Policies of an authorization server: `/api/v1/authorizationServers/{serverId}/policies`. */
export interface Policies {
  /**
   * List a server's policies.
   * @param serverId - The authorization server.
   * @param options - signal and timeout.
   * @returns A paged list.
   */
  list(serverId: string, options?: CallOptions): PagedList<Policy>
  /**
   * Get one.
   * @param serverId - The authorization server.
   * @param policyId - The policy, e.g. `00p5m9xrrBffPd9ah0g4`.
   * @param options - signal and timeout.
   * @returns The policy.
   */
  get(serverId: string, policyId: string, options?: CallOptions): Promise<Policy>
  /**
   * Create one.
   * @param serverId - The authorization server.
   * @param body - `name`, `description`, `priority`, `conditions.clients`.
   * @param options - signal and timeout.
   * @returns The created policy.
   */
  create(serverId: string, body: PolicyInput, options?: CallOptions): Promise<Policy>
  /**
   * Replace one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param body - The full policy.
   * @param options - signal and timeout.
   * @returns The updated policy.
   */
  update(
    serverId: string,
    policyId: string,
    body: PolicyInput,
    options?: CallOptions,
  ): Promise<Policy>
  /**
   * Delete one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param options - signal and timeout.
   */
  delete(serverId: string, policyId: string, options?: CallOptions): Promise<void>
  /**
   * Activate one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param options - signal and timeout.
   */
  activate(serverId: string, policyId: string, options?: CallOptions): Promise<void>
  /**
   * Deactivate one.
   * @param serverId - The authorization server.
   * @param policyId - The policy.
   * @param options - signal and timeout.
   */
  deactivate(serverId: string, policyId: string, options?: CallOptions): Promise<void>
}

/** @internal */
export function policies(t: AdminTransport): Policies {
  const all = (serverId: string) => path`/authorizationServers/${{ serverId }}/policies`
  const policy = (serverId: string, policyId: string) =>
    path`/authorizationServers/${{ serverId }}/policies/${{ policyId }}`
  return {
    list: (serverId, options) =>
      list(
        t,
        op('policies.list', 'GET', 'authorizationServers', 'read'),
        () => all(serverId),
        PolicySchema,
        {},
        options,
      ),
    get: (serverId, policyId, options) =>
      one(
        t,
        op('policies.get', 'GET', 'authorizationServers', 'read'),
        () => policy(serverId, policyId),
        PolicySchema,
        options,
      ),
    create: (serverId, body, options) =>
      one(
        t,
        op('policies.create', 'POST', 'authorizationServers', 'manage'),
        () => all(serverId),
        PolicySchema,
        { ...options, body, inputSchema: PolicyInputSchema },
      ),
    update: (serverId, policyId, body, options) =>
      one(
        t,
        op('policies.update', 'PUT', 'authorizationServers', 'manage'),
        () => policy(serverId, policyId),
        PolicySchema,
        { ...options, body, inputSchema: PolicyInputSchema },
      ),
    delete: (serverId, policyId, options) =>
      none(
        t,
        op('policies.delete', 'DELETE', 'authorizationServers', 'manage'),
        () => policy(serverId, policyId),
        options,
      ),
    activate: (serverId, policyId, options) =>
      none(
        t,
        op('policies.activate', 'POST', 'authorizationServers', 'manage', true),
        () =>
          path`/authorizationServers/${{ serverId }}/policies/${{ policyId }}/lifecycle/activate`,
        options,
      ),
    deactivate: (serverId, policyId, options) =>
      none(
        t,
        op('policies.deactivate', 'POST', 'authorizationServers', 'manage', true),
        () =>
          path`/authorizationServers/${{ serverId }}/policies/${{ policyId }}/lifecycle/deactivate`,
        options,
      ),
  }
}
