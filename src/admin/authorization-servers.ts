import type { CallOptions } from '../lib/http.js'
import {
  type AuthorizationServer,
  type AuthorizationServerInput,
  AuthorizationServerInputSchema,
  AuthorizationServerSchema,
} from './models/authorization-server.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { type ListParams, list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/** Query parameters of {@link AuthorizationServers.list}. */
export interface ListAuthorizationServersParams extends ListParams {
  /** Match servers whose name or audience starts with this. */
  q?: string
}

/** Authorization servers: `/api/v1/authorizationServers`. Reads need `okta.authorizationServers.read`, writes `.manage`. */
export interface AuthorizationServers {
  /**
   * List the org's authorization servers.
   * @param params - `q`, `limit`, `after`.
   * @param options - signal and timeout (per page).
   * @returns A paged list.
   */
  list(
    params?: ListAuthorizationServersParams,
    options?: CallOptions,
  ): PagedList<AuthorizationServer>
  /**
   * Get one.
   * @param serverId - e.g. `aus5m9r1o4AsDJLe50g4`.
   * @param options - signal and timeout.
   * @returns The server.
   */
  get(serverId: string, options?: CallOptions): Promise<AuthorizationServer>
  /**
   * Create one (key rotation mode `AUTO`).
   * @param body - `name`, `description`, `audiences` (one; with `:` it must be a URI).
   * @param options - signal and timeout.
   * @returns The created server.
   */
  create(body: AuthorizationServerInput, options?: CallOptions): Promise<AuthorizationServer>
  /**
   * Replace one's settings.
   * @param serverId - The server.
   * @param body - The full settings.
   * @param options - signal and timeout.
   * @returns The updated server.
   */
  update(
    serverId: string,
    body: AuthorizationServerInput,
    options?: CallOptions,
  ): Promise<AuthorizationServer>
  /**
   * Delete one.
   * @param serverId - The server.
   * @param options - signal and timeout.
   */
  delete(serverId: string, options?: CallOptions): Promise<void>
  /**
   * Activate one.
   * @param serverId - The server.
   * @param options - signal and timeout.
   */
  activate(serverId: string, options?: CallOptions): Promise<void>
  /**
   * Deactivate one (its tokens stop being issued).
   * @param serverId - The server.
   * @param options - signal and timeout.
   */
  deactivate(serverId: string, options?: CallOptions): Promise<void>
}

/** @internal */
export function authorizationServers(t: AdminTransport): AuthorizationServers {
  const server = (serverId: string) => path`/authorizationServers/${{ serverId }}`
  return {
    list: (params = {}, options) =>
      list(
        t,
        op('authorizationServers.list', 'GET', 'authorizationServers', 'read'),
        path`/authorizationServers`,
        AuthorizationServerSchema,
        { q: params.q, limit: params.limit, after: params.after },
        options,
      ),
    get: (serverId, options) =>
      one(
        t,
        op('authorizationServers.get', 'GET', 'authorizationServers', 'read'),
        () => server(serverId),
        AuthorizationServerSchema,
        options,
      ),
    create: (body, options) =>
      one(
        t,
        op('authorizationServers.create', 'POST', 'authorizationServers', 'manage'),
        path`/authorizationServers`,
        AuthorizationServerSchema,
        { ...options, body, inputSchema: AuthorizationServerInputSchema },
      ),
    update: (serverId, body, options) =>
      one(
        t,
        op('authorizationServers.update', 'PUT', 'authorizationServers', 'manage'),
        () => server(serverId),
        AuthorizationServerSchema,
        { ...options, body, inputSchema: AuthorizationServerInputSchema },
      ),
    delete: (serverId, options) =>
      none(
        t,
        op('authorizationServers.delete', 'DELETE', 'authorizationServers', 'manage'),
        () => server(serverId),
        options,
      ),
    activate: (serverId, options) =>
      none(
        t,
        op('authorizationServers.activate', 'POST', 'authorizationServers', 'manage', true),
        () => path`/authorizationServers/${{ serverId }}/lifecycle/activate`,
        options,
      ),
    deactivate: (serverId, options) =>
      none(
        t,
        op('authorizationServers.deactivate', 'POST', 'authorizationServers', 'manage', true),
        () => path`/authorizationServers/${{ serverId }}/lifecycle/deactivate`,
        options,
      ),
  }
}
