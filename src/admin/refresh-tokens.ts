import type { CallOptions } from '../lib/http.js'
import { type RefreshToken, RefreshTokenSchema } from './models/refresh-token.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { type ListParams, list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/**
 * Query parameters of reading refresh tokens ({@link RefreshTokens.get}, {@link AppTokens.get}).
 * @example
 * ```ts
 * import type { RefreshTokenParams } from 'okta-oauth-kit/admin'
 * const params: RefreshTokenParams = { expand: 'scope' }
 * console.log(params.expand)
 * ```
 */
export interface RefreshTokenParams {
  /** `scope`: the scope objects are added in `_embedded.scopes`. */
  expand?: 'scope'
}

/**
 * Query parameters of listing refresh tokens ({@link RefreshTokens.list}, {@link AppTokens.list}).
 * @example
 * ```ts
 * import type { ListRefreshTokensParams } from 'okta-oauth-kit/admin'
 * const params: ListRefreshTokensParams = { expand: 'scope', limit: 50 }
 * console.log(params.limit)
 * ```
 */
export interface ListRefreshTokensParams extends ListParams, RefreshTokenParams {}

/**
 * The refresh tokens an authorization server issued to a client:
 * `/api/v1/authorizationServers/{serverId}/clients/{clientId}/tokens`.
 * Reads need `okta.authorizationServers.read`, revocations `.manage`. A
 * revoked refresh token is refused at the token endpoint (`invalid_grant`),
 * and so are the access tokens minted with it at introspection.
 * @example
 * ```ts
 * import type { AdminClient } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * // Sign a user out of one app on one server: revoke their refresh tokens.
 * const tokens = admin.refreshTokens.list('aus5m9r1o4AsDJLe50g4', '0oabskvc6442nkvQO0h7')
 * for await (const token of tokens) {
 *   if (token.userId === '00u5t60iloOHN9pBi0h7') {
 *     await admin.refreshTokens.revoke('aus5m9r1o4AsDJLe50g4', '0oabskvc6442nkvQO0h7', token.id)
 *   }
 * }
 * ```
 */
export interface RefreshTokens {
  /**
   * List the refresh tokens a server issued to a client.
   * @param serverId - The authorization server.
   * @param clientId - The client, e.g. `0oabskvc6442nkvQO0h7`.
   * @param params - `expand: 'scope'`, `limit` (at most 200), `after`.
   * @param options - signal and timeout (per page).
   * @returns A paged list. Rejects with `OktaApiError` (`ERR_API_NOT_FOUND`)
   * for an unknown server or client.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/listRefreshTokensForAuthorizationServerAndClient | listRefreshTokensForAuthorizationServerAndClient}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * const tokens = admin.refreshTokens.list('aus5m9r1o4AsDJLe50g4', '0oabskvc6442nkvQO0h7', {
   *   expand: 'scope',
   * })
   * for await (const token of tokens) console.log(token.id, token.userId, token.expiresAt)
   * ```
   */
  list(
    serverId: string,
    clientId: string,
    params?: ListRefreshTokensParams,
    options?: CallOptions,
  ): PagedList<RefreshToken>
  /**
   * Get one refresh token of a client.
   * @param serverId - The authorization server.
   * @param clientId - The client.
   * @param tokenId - The token's id, e.g. `oar579Mcp7OUsNTlo0g3`.
   * @param params - `expand: 'scope'`.
   * @param options - signal and timeout.
   * @returns The token (`status` `ACTIVE` or `REVOKED`). Rejects with
   * `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown server, client or token.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/getRefreshTokenForAuthorizationServerAndClient | getRefreshTokenForAuthorizationServerAndClient}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * const token = await admin.refreshTokens.get('aus5m9r1o4AsDJLe50g4', '0oa1', 'oar579Mcp7OUsNTlo0g3')
   * console.log(token.status, token.scopes)
   * ```
   */
  get(
    serverId: string,
    clientId: string,
    tokenId: string,
    params?: RefreshTokenParams,
    options?: CallOptions,
  ): Promise<RefreshToken>
  /**
   * Revoke one refresh token of a client (and the access tokens minted with it).
   * @param serverId - The authorization server.
   * @param clientId - The client.
   * @param tokenId - The token's id.
   * @param options - signal and timeout.
   * @returns Resolves when revoked. Rejects with `OktaApiError`
   * (`ERR_API_NOT_FOUND`) for an unknown server, client or token.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/revokeRefreshTokenForAuthorizationServerAndClient | revokeRefreshTokenForAuthorizationServerAndClient}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * await admin.refreshTokens.revoke('aus5m9r1o4AsDJLe50g4', '0oa1', 'oar579Mcp7OUsNTlo0g3')
   * ```
   */
  revoke(serverId: string, clientId: string, tokenId: string, options?: CallOptions): Promise<void>
  /**
   * Revoke every refresh token a server issued to a client (and the access
   * tokens minted with them; other access tokens are not affected).
   * @param serverId - The authorization server.
   * @param clientId - The client.
   * @param options - signal and timeout.
   * @returns Resolves when revoked. Rejects with `OktaApiError`
   * (`ERR_API_NOT_FOUND`) for an unknown server or client.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/revokeRefreshTokensForAuthorizationServerAndClient | revokeRefreshTokensForAuthorizationServerAndClient}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * await admin.refreshTokens.revokeAll('aus5m9r1o4AsDJLe50g4', '0oabskvc6442nkvQO0h7')
   * ```
   */
  revokeAll(serverId: string, clientId: string, options?: CallOptions): Promise<void>
}

/** @internal */
export function refreshTokens(t: AdminTransport): RefreshTokens {
  const all = (serverId: string, clientId: string) =>
    path`/authorizationServers/${{ serverId }}/clients/${{ clientId }}/tokens`
  const token = (serverId: string, clientId: string, tokenId: string) =>
    path`/authorizationServers/${{ serverId }}/clients/${{ clientId }}/tokens/${{ tokenId }}`
  return {
    list: (serverId, clientId, params = {}, options) =>
      list(
        t,
        op('refreshTokens.list', 'GET', 'authorizationServers', 'read'),
        () => all(serverId, clientId),
        RefreshTokenSchema,
        { expand: params.expand, limit: params.limit, after: params.after },
        options,
      ),
    get: (serverId, clientId, tokenId, params = {}, options) =>
      one(
        t,
        op('refreshTokens.get', 'GET', 'authorizationServers', 'read'),
        () => token(serverId, clientId, tokenId),
        RefreshTokenSchema,
        { ...options, searchParams: { expand: params.expand } },
      ),
    revoke: (serverId, clientId, tokenId, options) =>
      none(
        t,
        op('refreshTokens.revoke', 'DELETE', 'authorizationServers', 'manage'),
        () => token(serverId, clientId, tokenId),
        options,
      ),
    revokeAll: (serverId, clientId, options) =>
      none(
        t,
        op('refreshTokens.revokeAll', 'DELETE', 'authorizationServers', 'manage'),
        () => all(serverId, clientId),
        options,
      ),
  }
}
