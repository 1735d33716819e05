import type { CallOptions } from '../lib/http.js'
import { type Policy, type PolicyInput, PolicyInputSchema, PolicySchema } from './models.js'
import type { PagedList } from './paginate.js'
import { list, none, one, op, seg } from './resource.js'
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
  const base = (s: string) => `/authorizationServers/${seg(s, 'serverId')}/policies`
  const item = (s: string, p: string) => `${base(s)}/${seg(p, 'policyId')}`
  return {
    list: (s, options) =>
      list(
        t,
        op('policies.list', 'GET', 'authorizationServers', 'read'),
        () => base(s),
        PolicySchema,
        {},
        options,
      ),
    get: (s, p, options) =>
      one(
        t,
        op('policies.get', 'GET', 'authorizationServers', 'read'),
        () => item(s, p),
        PolicySchema,
        options,
      ),
    create: (s, body, options) =>
      one(
        t,
        op('policies.create', 'POST', 'authorizationServers', 'manage'),
        () => base(s),
        PolicySchema,
        {
          ...options,
          body,
          inputSchema: PolicyInputSchema,
        },
      ),
    update: (s, p, body, options) =>
      one(
        t,
        op('policies.update', 'PUT', 'authorizationServers', 'manage'),
        () => item(s, p),
        PolicySchema,
        {
          ...options,
          body,
          inputSchema: PolicyInputSchema,
        },
      ),
    delete: (s, p, options) =>
      none(
        t,
        op('policies.delete', 'DELETE', 'authorizationServers', 'manage'),
        () => item(s, p),
        options,
      ),
    activate: (s, p, options) =>
      none(
        t,
        op('policies.activate', 'POST', 'authorizationServers', 'manage', true),
        () => `${item(s, p)}/lifecycle/activate`,
        options,
      ),
    deactivate: (s, p, options) =>
      none(
        t,
        op('policies.deactivate', 'POST', 'authorizationServers', 'manage', true),
        () => `${item(s, p)}/lifecycle/deactivate`,
        options,
      ),
  }
}
