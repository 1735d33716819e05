import * as z from 'zod'
import type { CallOptions } from '../lib/http.js'
import {
  type AssociatedServersInput,
  AssociatedServersInputSchema,
} from './models/associated-servers.js'
import {
  type AuthorizationServer,
  AuthorizationServerSchema,
} from './models/authorization-server.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { type ListParams, list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/**
 * Query parameters of {@link AssociatedServers.list}.
 * @example
 * ```ts
 * import type { ListAssociatedServersParams } from 'okta-oauth-kit/admin'
 * const params: ListAssociatedServersParams = { trusted: false, q: 'Orders' }
 * console.log(params.q)
 * ```
 */
export interface ListAssociatedServersParams extends ListParams {
  /** `true`: the servers this one trusts; `false`: the servers it does not trust. */
  trusted?: boolean
  /** Match servers whose name or audience starts with this. */
  q?: string
}

/**
 * Associated (trusted) authorization servers of a server:
 * `/api/v1/authorizationServers/{serverId}/associatedServers`. Reads need
 * `okta.authorizationServers.read`, changes `.manage`.
 * @example
 * ```ts
 * import type { AdminClient } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * const [candidate] = await admin.associatedServers.list('aus5m9r1o4AsDJLe50g4', { trusted: false }).all()
 * if (candidate?.id) await admin.associatedServers.create('aus5m9r1o4AsDJLe50g4', { trusted: [candidate.id] })
 * ```
 */
export interface AssociatedServers {
  /**
   * List the servers a server trusts (or, with `trusted: false`, those it does not).
   * @param serverId - The authorization server.
   * @param params - `trusted`, `q`, `limit`, `after`.
   * @param options - signal and timeout (per page).
   * @returns A paged list of authorization servers. Rejects with
   * `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown server.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/listAssociatedServersByTrustedType | listAssociatedServersByTrustedType}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * const trusted = await admin.associatedServers.list('aus5m9r1o4AsDJLe50g4', { trusted: true }).all()
   * console.log(trusted.map((s) => s.name))
   * ```
   */
  list(
    serverId: string,
    params?: ListAssociatedServersParams,
    options?: CallOptions,
  ): PagedList<AuthorizationServer>
  /**
   * Trust other servers. Not retried after a 429 (a POST).
   * @param serverId - The authorization server that trusts.
   * @param body - `{ trusted: [ids] }`: the servers to trust.
   * @param options - signal and timeout.
   * @returns The servers now trusted. Rejects with `RequestValidationError`
   * for a body that is not `{ trusted: [ids] }` (nothing sent), and with
   * `OktaApiError` (`ERR_API_BAD_REQUEST`, `ERR_API_NOT_FOUND`) when the
   * org refuses it.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/createAssociatedServers | createAssociatedServers}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * await admin.associatedServers.create('aus5m9r1o4AsDJLe50g4', { trusted: ['aus6xt9jKPmCyn6kg0g4'] })
   * ```
   */
  create(
    serverId: string,
    body: AssociatedServersInput,
    options?: CallOptions,
  ): Promise<AuthorizationServer[]>
  /**
   * Stop trusting a server.
   * @param serverId - The authorization server that trusts.
   * @param associatedServerId - The trusted server.
   * @param options - signal and timeout.
   * @returns Resolves when done. Rejects with `OktaApiError`
   * (`ERR_API_NOT_FOUND`) for an unknown server or one that is not trusted.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/deleteAssociatedServer | deleteAssociatedServer}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * await admin.associatedServers.delete('aus5m9r1o4AsDJLe50g4', 'aus6xt9jKPmCyn6kg0g4')
   * ```
   */
  delete(serverId: string, associatedServerId: string, options?: CallOptions): Promise<void>
}

/** @internal */
export function associatedServers(t: AdminTransport): AssociatedServers {
  const all = (serverId: string) => path`/authorizationServers/${{ serverId }}/associatedServers`
  return {
    list: (serverId, params = {}, options) =>
      list(
        t,
        op('associatedServers.list', 'GET', 'authorizationServers', 'read'),
        () => all(serverId),
        AuthorizationServerSchema,
        {
          trusted: params.trusted === undefined ? undefined : String(params.trusted),
          q: params.q,
          limit: params.limit,
          after: params.after,
        },
        options,
      ),
    create: (serverId, body, options) =>
      one(
        t,
        op('associatedServers.create', 'POST', 'authorizationServers', 'manage'),
        () => all(serverId),
        z.array(AuthorizationServerSchema),
        { ...options, body, inputSchema: AssociatedServersInputSchema },
      ),
    delete: (serverId, associatedServerId, options) =>
      none(
        t,
        op('associatedServers.delete', 'DELETE', 'authorizationServers', 'manage'),
        () =>
          path`/authorizationServers/${{ serverId }}/associatedServers/${{ associatedServerId }}`,
        options,
      ),
  }
}
