import type { CallOptions } from '../lib/http.js'
import {
  type AppGrant,
  type AppGrantInput,
  AppGrantInputSchema,
  AppGrantSchema,
} from './models/app-grant.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/**
 * Scopes granted to an app for OAuth for Okta: `/api/v1/apps/{appId}/grants`.
 * Reads need `okta.appGrants.read`, grants and revocations `okta.appGrants.manage`.
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
  const grants = (appId: string) => path`/apps/${{ appId }}/grants`
  const grant = (appId: string, grantId: string) => path`/apps/${{ appId }}/grants/${{ grantId }}`
  return {
    grant: (appId, body, options) =>
      one(
        t,
        op('appGrants.grant', 'POST', 'appGrants', 'manage'),
        () => grants(appId),
        AppGrantSchema,
        {
          ...options,
          body,
          inputSchema: AppGrantInputSchema,
        },
      ),
    list: (appId, options) =>
      list(
        t,
        op('appGrants.list', 'GET', 'appGrants', 'read'),
        () => grants(appId),
        AppGrantSchema,
        {},
        options,
      ),
    get: (appId, grantId, options) =>
      one(
        t,
        op('appGrants.get', 'GET', 'appGrants', 'read'),
        () => grant(appId, grantId),
        AppGrantSchema,
        options,
      ),
    revoke: (appId, grantId, options) =>
      none(
        t,
        op('appGrants.revoke', 'DELETE', 'appGrants', 'manage'),
        () => grant(appId, grantId),
        options,
      ),
  }
}
