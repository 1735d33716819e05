import type { CallOptions } from '../lib/http.js'
import { type AppGrant, type AppGrantInput, AppGrantInputSchema, AppGrantSchema } from './models.js'
import type { PagedList } from './paginate.js'
import { list, none, one, op, seg } from './resource.js'
import type { AdminTransport } from './transport.js'

/**
 * Scopes granted to an app for OAuth for Okta: `/api/v1/apps/{appId}/grants`.
 * Reads need `okta.apps.read`, grants and revocations `okta.apps.manage`.
 */
export interface AppGrants {
  /**
   * Grant an `okta.*` scope to an app.
   * @param appId - The app (client) id.
   * @param body - `issuer` (the org URL) and `scopeId` (e.g. `okta.users.read`).
   * @param options - signal and timeout.
   * @returns The grant.
   */
  grant(appId: string, body: AppGrantInput, options?: CallOptions): Promise<AppGrant>
  /**
   * List an app's grants.
   * @param appId - The app.
   * @param options - signal and timeout.
   * @returns A paged list.
   */
  list(appId: string, options?: CallOptions): PagedList<AppGrant>
  /**
   * Get one grant.
   * @param appId - The app.
   * @param grantId - The grant.
   * @param options - signal and timeout.
   * @returns The grant.
   */
  get(appId: string, grantId: string, options?: CallOptions): Promise<AppGrant>
  /**
   * Revoke a grant.
   * @param appId - The app.
   * @param grantId - The grant.
   * @param options - signal and timeout.
   */
  revoke(appId: string, grantId: string, options?: CallOptions): Promise<void>
}

/** @internal */
export function appGrants(t: AdminTransport): AppGrants {
  const base = (a: string) => `/apps/${seg(a, 'appId')}/grants`
  return {
    grant: (a, body, options) =>
      one(t, op('appGrants.grant', 'POST', 'apps', 'manage'), () => base(a), AppGrantSchema, {
        ...options,
        body,
        inputSchema: AppGrantInputSchema,
      }),
    list: (a, options) =>
      list(
        t,
        op('appGrants.list', 'GET', 'apps', 'read'),
        () => base(a),
        AppGrantSchema,
        {},
        options,
      ),
    get: (a, g, options) =>
      one(
        t,
        op('appGrants.get', 'GET', 'apps', 'read'),
        () => `${base(a)}/${seg(g, 'grantId')}`,
        AppGrantSchema,
        options,
      ),
    revoke: (a, g, options) =>
      none(
        t,
        op('appGrants.revoke', 'DELETE', 'apps', 'manage'),
        () => `${base(a)}/${seg(g, 'grantId')}`,
        options,
      ),
  }
}
