import type { CallOptions } from '../lib/http.js'
import { type Claim, type ClaimInput, ClaimInputSchema, ClaimSchema } from './models/claim.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/** Custom claims of an authorization server: `/api/v1/authorizationServers/{serverId}/claims`. */
export interface Claims {
  /**
   * List a server's claims.
   * @param serverId - The authorization server.
   * @param options - signal and timeout.
   * @returns A paged list.
   */
  list(serverId: string, options?: CallOptions): PagedList<Claim>
  /**
   * Get one.
   * @param serverId - The authorization server.
   * @param claimId - The claim, e.g. `oclain6za1HQ0noop0h7`.
   * @param options - signal and timeout.
   * @returns The claim.
   */
  get(serverId: string, claimId: string, options?: CallOptions): Promise<Claim>
  /**
   * Create one. `group_filter_type` (today's name; the deprecated
   * `groupFilterType` is sent under it) goes with `valueType: 'GROUPS'` only;
   * access-token (`RESOURCE`) claims are always included in the token. The
   * body is exact: an unknown key is refused before sending.
   * @param serverId - The authorization server.
   * @param body - `name`, `claimType`, `valueType`, `value`, `conditions.scopes`, …
   * @param options - signal and timeout.
   * @returns The created claim, its filter under both names. Rejects with
   * `RequestValidationError` (invalid body), `AdminScopeError`, `OktaApiError`.
   * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/createOAuth2Claim
   * @example
   * ```ts
   * import { createAdminClient } from 'okta-oauth-kit/admin'
   *
   * const admin = createAdminClient({
   *   orgUrl: 'https://example.okta.com',
   *   auth: { type: 'ssws', token: 'api-token' },
   * })
   * const claim = await admin.claims.create('default', {
   *   name: 'groups',
   *   claimType: 'IDENTITY',
   *   valueType: 'GROUPS',
   *   group_filter_type: 'STARTS_WITH',
   *   value: 'orders-',
   *   conditions: { scopes: ['profile'] },
   * })
   * console.log(claim.group_filter_type) // 'STARTS_WITH'
   * ```
   */
  create(serverId: string, body: ClaimInput, options?: CallOptions): Promise<Claim>
  /**
   * Replace one.
   * @param serverId - The authorization server.
   * @param claimId - The claim.
   * @param body - The full claim.
   * @param options - signal and timeout.
   * @returns The updated claim.
   */
  update(serverId: string, claimId: string, body: ClaimInput, options?: CallOptions): Promise<Claim>
  /**
   * Delete one.
   * @param serverId - The authorization server.
   * @param claimId - The claim.
   * @param options - signal and timeout.
   */
  delete(serverId: string, claimId: string, options?: CallOptions): Promise<void>
}

/** @internal */
export function claims(t: AdminTransport): Claims {
  const all = (serverId: string) => path`/authorizationServers/${{ serverId }}/claims`
  const claim = (serverId: string, claimId: string) =>
    path`/authorizationServers/${{ serverId }}/claims/${{ claimId }}`
  return {
    list: (serverId, options) =>
      list(
        t,
        op('claims.list', 'GET', 'authorizationServers', 'read'),
        () => all(serverId),
        ClaimSchema,
        {},
        options,
      ),
    get: (serverId, claimId, options) =>
      one(
        t,
        op('claims.get', 'GET', 'authorizationServers', 'read'),
        () => claim(serverId, claimId),
        ClaimSchema,
        options,
      ),
    create: (serverId, body, options) =>
      one(
        t,
        op('claims.create', 'POST', 'authorizationServers', 'manage'),
        () => all(serverId),
        ClaimSchema,
        { ...options, body, inputSchema: ClaimInputSchema },
      ),
    update: (serverId, claimId, body, options) =>
      one(
        t,
        op('claims.update', 'PUT', 'authorizationServers', 'manage'),
        () => claim(serverId, claimId),
        ClaimSchema,
        { ...options, body, inputSchema: ClaimInputSchema },
      ),
    delete: (serverId, claimId, options) =>
      none(
        t,
        op('claims.delete', 'DELETE', 'authorizationServers', 'manage'),
        () => claim(serverId, claimId),
        options,
      ),
  }
}
