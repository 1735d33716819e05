import type { CallOptions } from '../lib/http.js'
import { type Scope, type ScopeInput, ScopeInputSchema, ScopeSchema } from './models/scope.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { type ListParams, list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/** Query parameters of {@link Scopes.list}. */
export interface ListScopesParams extends ListParams {
  /** Match scopes whose name starts with this. */
  q?: string
  /** A filter expression, e.g. `system eq false`. */
  filter?: string
}

/** Custom scopes of an authorization server: `/api/v1/authorizationServers/{serverId}/scopes`. */
export interface Scopes {
  /**
   * List a server's scopes.
   * @param serverId - The authorization server.
   * @param params - `q`, `filter`, `after`, `limit`.
   * @param options - signal and timeout.
   * @returns A paged list.
   */
  list(serverId: string, params?: ListScopesParams, options?: CallOptions): PagedList<Scope>
  /**
   * Get one.
   * @param serverId - The authorization server.
   * @param scopeId - The scope, e.g. `scpanemfdtktNn7w10h7`.
   * @param options - signal and timeout.
   * @returns The scope.
   */
  get(serverId: string, scopeId: string, options?: CallOptions): Promise<Scope>
  /**
   * Create one (names are unique per server).
   * @param serverId - The authorization server.
   * @param body - `name` (e.g. `car:drive`), `description`, …
   * @param options - signal and timeout.
   * @returns The created scope.
   */
  create(serverId: string, body: ScopeInput, options?: CallOptions): Promise<Scope>
  /**
   * Replace one.
   * @param serverId - The authorization server.
   * @param scopeId - The scope.
   * @param body - The full scope.
   * @param options - signal and timeout.
   * @returns The updated scope.
   */
  update(serverId: string, scopeId: string, body: ScopeInput, options?: CallOptions): Promise<Scope>
  /**
   * Delete one.
   * @param serverId - The authorization server.
   * @param scopeId - The scope.
   * @param options - signal and timeout.
   */
  delete(serverId: string, scopeId: string, options?: CallOptions): Promise<void>
}

/** @internal */
export function scopes(t: AdminTransport): Scopes {
  const all = (serverId: string) => path`/authorizationServers/${{ serverId }}/scopes`
  const scope = (serverId: string, scopeId: string) =>
    path`/authorizationServers/${{ serverId }}/scopes/${{ scopeId }}`
  return {
    list: (serverId, params = {}, options) =>
      list(
        t,
        op('scopes.list', 'GET', 'authorizationServers', 'read'),
        () => all(serverId),
        ScopeSchema,
        { q: params.q, filter: params.filter, after: params.after, limit: params.limit },
        options,
      ),
    get: (serverId, scopeId, options) =>
      one(
        t,
        op('scopes.get', 'GET', 'authorizationServers', 'read'),
        () => scope(serverId, scopeId),
        ScopeSchema,
        options,
      ),
    create: (serverId, body, options) =>
      one(
        t,
        op('scopes.create', 'POST', 'authorizationServers', 'manage'),
        () => all(serverId),
        ScopeSchema,
        { ...options, body, inputSchema: ScopeInputSchema },
      ),
    update: (serverId, scopeId, body, options) =>
      one(
        t,
        op('scopes.update', 'PUT', 'authorizationServers', 'manage'),
        () => scope(serverId, scopeId),
        ScopeSchema,
        { ...options, body, inputSchema: ScopeInputSchema },
      ),
    delete: (serverId, scopeId, options) =>
      none(
        t,
        op('scopes.delete', 'DELETE', 'authorizationServers', 'manage'),
        () => scope(serverId, scopeId),
        options,
      ),
  }
}
