import type { CallOptions } from '../lib/http.js'
import {
  type ResourceServerKey,
  type ResourceServerKeyInput,
  ResourceServerKeyInputSchema,
  ResourceServerKeySchema,
} from './models/resource-server-key.js'
import type { PagedList } from './paginate.js'
import { path } from './path.js'
import { list, none, one, op } from './resource.js'
import type { AdminTransport } from './transport.js'

/**
 * The resource-server credential keys of an authorization server, the
 * public keys it encrypts the tokens it mints with:
 * `/api/v1/authorizationServers/{serverId}/resourceservercredentials/keys`.
 * Reads need `okta.authorizationServers.read`, changes `.manage`.
 *
 * The lifecycle: a key is added `INACTIVE` (at most 5 keys, unique `kid`s,
 * RSA of at least 2,048 bits), then activated; one key is `ACTIVE` at a time
 * (activating one deactivates the other); the `ACTIVE` key cannot be
 * deleted, nor deactivated while the server encrypts access tokens.
 * @example
 * ```ts
 * import type { AdminClient } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * declare const next: { kid: string; e: string; n: string }
 * // Roll the encryption key: add the next one, activate it (the old one
 * // becomes INACTIVE), then delete the old one.
 * const [old] = (await admin.resourceServerKeys.list('aus5m9r1o4AsDJLe50g4').all()).filter(
 *   (k) => k.status === 'ACTIVE',
 * )
 * const added = await admin.resourceServerKeys.add('aus5m9r1o4AsDJLe50g4', { kty: 'RSA', use: 'enc', ...next })
 * await admin.resourceServerKeys.activate('aus5m9r1o4AsDJLe50g4', added.id)
 * if (old) await admin.resourceServerKeys.delete('aus5m9r1o4AsDJLe50g4', old.id)
 * ```
 */
export interface ResourceServerKeys {
  /**
   * List a server's keys.
   * @param serverId - The authorization server.
   * @param options - signal and timeout.
   * @returns A paged list. Rejects with `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown server.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OAuth2ResourceServerCredentialsKeys/#tag/OAuth2ResourceServerCredentialsKeys/operation/listOAuth2ResourceServerJsonWebKeys | listOAuth2ResourceServerJsonWebKeys}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * for await (const key of admin.resourceServerKeys.list('aus5m9r1o4AsDJLe50g4')) {
   *   console.log(key.id, key.kid, key.status)
   * }
   * ```
   */
  list(serverId: string, options?: CallOptions): PagedList<ResourceServerKey>
  /**
   * Add a public key (`INACTIVE`). Not retried after a 429 (a POST).
   * @param serverId - The authorization server.
   * @param body - `kty: 'RSA'`, `e`, `n` (at least 2,048 bits), `kid`, `use: 'enc'`.
   * @param options - signal and timeout.
   * @returns The key, with its `id`. Rejects with `RequestValidationError` for
   * a body the model refuses (nothing sent: not RSA, a short modulus,
   * `status: 'ACTIVE'`, an unknown field) and with `OktaApiError`
   * (`ERR_API_BAD_REQUEST`, `errorSummary` "Api validation failed:
   * JsonWebKey") when the org refuses it (a `kid` already used, 5 keys already).
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OAuth2ResourceServerCredentialsKeys/#tag/OAuth2ResourceServerCredentialsKeys/operation/addOAuth2ResourceServerJsonWebKey | addOAuth2ResourceServerJsonWebKey}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * declare const publicJwk: { e: string; n: string }
   * const key = await admin.resourceServerKeys.add('aus5m9r1o4AsDJLe50g4', {
   *   kty: 'RSA',
   *   use: 'enc',
   *   kid: 'encryption-key-1',
   *   e: publicJwk.e,
   *   n: publicJwk.n,
   * })
   * await admin.resourceServerKeys.activate('aus5m9r1o4AsDJLe50g4', key.id)
   * ```
   */
  add(
    serverId: string,
    body: ResourceServerKeyInput,
    options?: CallOptions,
  ): Promise<ResourceServerKey>
  /**
   * Get one key.
   * @param serverId - The authorization server.
   * @param keyId - The key's `id`, e.g. `apk2f4zrZbs8nUa7p0g4`.
   * @param options - signal and timeout.
   * @returns The key. Rejects with `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown server or key.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OAuth2ResourceServerCredentialsKeys/#tag/OAuth2ResourceServerCredentialsKeys/operation/getOAuth2ResourceServerJsonWebKey | getOAuth2ResourceServerJsonWebKey}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * const key = await admin.resourceServerKeys.get('aus5m9r1o4AsDJLe50g4', 'apk2f4zrZbs8nUa7p0g4')
   * console.log(key.status)
   * ```
   */
  get(serverId: string, keyId: string, options?: CallOptions): Promise<ResourceServerKey>
  /**
   * Delete an `INACTIVE` key.
   * @param serverId - The authorization server.
   * @param keyId - The key's `id`.
   * @param options - signal and timeout.
   * @returns Resolves when deleted. Rejects with `OktaApiError`:
   * `ERR_API_BAD_REQUEST` for the `ACTIVE` key, `ERR_API_NOT_FOUND` for an unknown server or key.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OAuth2ResourceServerCredentialsKeys/#tag/OAuth2ResourceServerCredentialsKeys/operation/deleteOAuth2ResourceServerJsonWebKey | deleteOAuth2ResourceServerJsonWebKey}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * await admin.resourceServerKeys.delete('aus5m9r1o4AsDJLe50g4', 'apk2f4zrZbs8nUa7p0g4')
   * ```
   */
  delete(serverId: string, keyId: string, options?: CallOptions): Promise<void>
  /**
   * Activate a key; the key that was `ACTIVE` becomes `INACTIVE`.
   * @param serverId - The authorization server.
   * @param keyId - The key's `id`.
   * @param options - signal and timeout.
   * @returns The key, `ACTIVE`. Rejects with `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown server or key.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OAuth2ResourceServerCredentialsKeys/#tag/OAuth2ResourceServerCredentialsKeys/operation/activateOAuth2ResourceServerJsonWebKey | activateOAuth2ResourceServerJsonWebKey}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * const key = await admin.resourceServerKeys.activate('aus5m9r1o4AsDJLe50g4', 'apk2f4zrZbs8nUa7p0g4')
   * console.log(key.status) // ACTIVE
   * ```
   */
  activate(serverId: string, keyId: string, options?: CallOptions): Promise<ResourceServerKey>
  /**
   * Deactivate a key.
   * @param serverId - The authorization server.
   * @param keyId - The key's `id`.
   * @param options - signal and timeout.
   * @returns The key, `INACTIVE`. Rejects with `OktaApiError`:
   * `ERR_API_BAD_REQUEST` for the `ACTIVE` key of a server that encrypts
   * access tokens (activate another key instead), `ERR_API_NOT_FOUND` for an
   * unknown server or key.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OAuth2ResourceServerCredentialsKeys/#tag/OAuth2ResourceServerCredentialsKeys/operation/deactivateOAuth2ResourceServerJsonWebKey | deactivateOAuth2ResourceServerJsonWebKey}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * await admin.resourceServerKeys.deactivate('aus5m9r1o4AsDJLe50g4', 'apk2f4zrZbs8nUa7p0g4')
   * ```
   */
  deactivate(serverId: string, keyId: string, options?: CallOptions): Promise<ResourceServerKey>
}

/** @internal */
export function resourceServerKeys(t: AdminTransport): ResourceServerKeys {
  const all = (serverId: string) =>
    path`/authorizationServers/${{ serverId }}/resourceservercredentials/keys`
  const key = (serverId: string, keyId: string) =>
    path`/authorizationServers/${{ serverId }}/resourceservercredentials/keys/${{ keyId }}`
  const lifecycle =
    (action: 'activate' | 'deactivate') =>
    (serverId: string, keyId: string, options?: CallOptions) =>
      one(
        t,
        op(`resourceServerKeys.${action}`, 'POST', 'authorizationServers', 'manage', true),
        () =>
          path`/authorizationServers/${{ serverId }}/resourceservercredentials/keys/${{ keyId }}/lifecycle/${{ action }}`,
        ResourceServerKeySchema,
        options,
      )
  return {
    list: (serverId, options) =>
      list(
        t,
        op('resourceServerKeys.list', 'GET', 'authorizationServers', 'read'),
        () => all(serverId),
        ResourceServerKeySchema,
        {},
        options,
      ),
    add: (serverId, body, options) =>
      one(
        t,
        op('resourceServerKeys.add', 'POST', 'authorizationServers', 'manage'),
        () => all(serverId),
        ResourceServerKeySchema,
        { ...options, body, inputSchema: ResourceServerKeyInputSchema },
      ),
    get: (serverId, keyId, options) =>
      one(
        t,
        op('resourceServerKeys.get', 'GET', 'authorizationServers', 'read'),
        () => key(serverId, keyId),
        ResourceServerKeySchema,
        options,
      ),
    delete: (serverId, keyId, options) =>
      none(
        t,
        op('resourceServerKeys.delete', 'DELETE', 'authorizationServers', 'manage'),
        () => key(serverId, keyId),
        options,
      ),
    activate: lifecycle('activate'),
    deactivate: lifecycle('deactivate'),
  }
}
