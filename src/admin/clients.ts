import type { CallOptions } from '../lib/http.js'
import { type OAuth2Client, OAuth2ClientSchema } from './models/oauth2-client.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { list, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/**
 * The clients of an authorization server, those it has tokens for:
 * `/api/v1/authorizationServers/{serverId}/clients`. Needs
 * `okta.authorizationServers.read`. Their refresh tokens are
 * {@link RefreshTokens}.
 * @example
 * ```ts
 * import type { AdminClient } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * // Revoke the refresh tokens of every client of a server.
 * for await (const client of admin.clients.list('aus5m9r1o4AsDJLe50g4')) {
 *   await admin.refreshTokens.revokeAll('aus5m9r1o4AsDJLe50g4', client.client_id)
 * }
 * ```
 */
export interface Clients {
  /**
   * List the clients for which a server has tokens.
   * @param serverId - The authorization server.
   * @param options - signal and timeout (per page).
   * @returns A paged list of `OAuth2Client`s (`client_id`, `client_name`, `_links.tokens`).
   * Rejects with `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown server.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/listOAuth2ClientsForAuthorizationServer | listOAuth2ClientsForAuthorizationServer}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * for await (const client of admin.clients.list('aus5m9r1o4AsDJLe50g4')) {
   *   console.log(client.client_id, client.client_name)
   * }
   * ```
   */
  list(serverId: string, options?: CallOptions): PagedList<OAuth2Client>
}

/** @internal */
export function clients(t: AdminTransport): Clients {
  return {
    list: (serverId, options) =>
      list(
        t,
        op('clients.list', 'GET', 'authorizationServers', 'read'),
        () => path`/authorizationServers/${{ serverId }}/clients`,
        OAuth2ClientSchema,
        {},
        options,
      ),
  }
}
