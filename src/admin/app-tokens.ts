import type { CallOptions } from '../lib/http.js'
import { type RefreshToken, RefreshTokenSchema } from './models/refresh-token.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import type { ListRefreshTokensParams, RefreshTokenParams } from './refresh-tokens.js'
import { list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/**
 * An app's refresh tokens, from every authorization server of the org:
 * `/api/v1/apps/{appId}/tokens`. Reads need `okta.apps.read`, revocations
 * `okta.apps.manage`. Revoking a refresh token also revokes the access
 * tokens minted with it; access tokens issued without a refresh token are
 * not affected.
 * @example
 * ```ts
 * import type { AdminClient } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * // An app's compromised secret was rotated: end every session it holds.
 * await admin.appTokens.revokeAll('0oabskvc6442nkvQO0h7')
 * ```
 */
export interface AppTokens {
  /**
   * List an app's refresh tokens.
   * @param appId - The app (client) id, e.g. `0oabskvc6442nkvQO0h7`.
   * @param params - `expand: 'scope'`, `limit` (1–200, 20 by default), `after`.
   * @param options - signal and timeout (per page).
   * @returns A paged list. Rejects with `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown app.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationTokens/#tag/ApplicationTokens/operation/listOAuth2TokensForApplication | listOAuth2TokensForApplication}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * for await (const token of admin.appTokens.list('0oabskvc6442nkvQO0h7', { limit: 50 })) {
   *   console.log(token.id, token.issuer, token.userId)
   * }
   * ```
   */
  list(
    appId: string,
    params?: ListRefreshTokensParams,
    options?: CallOptions,
  ): PagedList<RefreshToken>
  /**
   * Get one of an app's refresh tokens.
   * @param appId - The app.
   * @param tokenId - The token's id, e.g. `oar579Mcp7OUsNTlo0g3`.
   * @param params - `expand: 'scope'`.
   * @param options - signal and timeout.
   * @returns The token (`status` `ACTIVE` or `REVOKED`). Rejects with
   * `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown app or token.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationTokens/#tag/ApplicationTokens/operation/getOAuth2TokenForApplication | getOAuth2TokenForApplication}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * const token = await admin.appTokens.get('0oabskvc6442nkvQO0h7', 'oar579Mcp7OUsNTlo0g3', {
   *   expand: 'scope',
   * })
   * console.log(token._embedded?.scopes?.map((s) => s.name))
   * ```
   */
  get(
    appId: string,
    tokenId: string,
    params?: RefreshTokenParams,
    options?: CallOptions,
  ): Promise<RefreshToken>
  /**
   * Revoke one of an app's refresh tokens (and the access tokens minted with it).
   * @param appId - The app.
   * @param tokenId - The token's id.
   * @param options - signal and timeout.
   * @returns Resolves when revoked. Rejects with `OktaApiError`
   * (`ERR_API_NOT_FOUND`) for an unknown app or token.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationTokens/#tag/ApplicationTokens/operation/revokeOAuth2TokenForApplication | revokeOAuth2TokenForApplication}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * await admin.appTokens.revoke('0oabskvc6442nkvQO0h7', 'oar579Mcp7OUsNTlo0g3')
   * ```
   */
  revoke(appId: string, tokenId: string, options?: CallOptions): Promise<void>
  /**
   * Revoke every refresh token of an app (and the access tokens minted with them).
   * @param appId - The app.
   * @param options - signal and timeout.
   * @returns Resolves when revoked. Rejects with `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown app.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationTokens/#tag/ApplicationTokens/operation/revokeOAuth2TokensForApplication | revokeOAuth2TokensForApplication}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * await admin.appTokens.revokeAll('0oabskvc6442nkvQO0h7')
   * ```
   */
  revokeAll(appId: string, options?: CallOptions): Promise<void>
}

/** @internal */
export function appTokens(t: AdminTransport): AppTokens {
  const all = (appId: string) => path`/apps/${{ appId }}/tokens`
  const token = (appId: string, tokenId: string) => path`/apps/${{ appId }}/tokens/${{ tokenId }}`
  return {
    list: (appId, params = {}, options) =>
      list(
        t,
        op('appTokens.list', 'GET', 'apps', 'read'),
        () => all(appId),
        RefreshTokenSchema,
        { expand: params.expand, limit: params.limit, after: params.after },
        options,
      ),
    get: (appId, tokenId, params = {}, options) =>
      one(
        t,
        op('appTokens.get', 'GET', 'apps', 'read'),
        () => token(appId, tokenId),
        RefreshTokenSchema,
        { ...options, searchParams: { expand: params.expand } },
      ),
    revoke: (appId, tokenId, options) =>
      none(
        t,
        op('appTokens.revoke', 'DELETE', 'apps', 'manage'),
        () => token(appId, tokenId),
        options,
      ),
    revokeAll: (appId, options) =>
      none(t, op('appTokens.revokeAll', 'DELETE', 'apps', 'manage'), () => all(appId), options),
  }
}
