import type * as z from 'zod'
import { InvalidOptionError, type RateLimitInfo } from '../errors.js'
import type { CallOptions } from '../lib/http.js'
import { type AppGrants, appGrants } from './app-grants.js'
import { type AppTokens, appTokens } from './app-tokens.js'
import { type AssociatedServers, associatedServers } from './associated-servers.js'
import { type AuthorizationServers, authorizationServers } from './authorization-servers.js'
import { type Claims, claims } from './claims.js'
import { type Clients, clients } from './clients.js'
import { type Keys, keys } from './keys.js'
import type { AdminClientOptions } from './options.js'
import { callerPath } from './path.js'
import { type Policies, policies } from './policies.js'
import { type PolicyRules, policyRules } from './policy-rules.js'
import { type RefreshTokens, refreshTokens } from './refresh-tokens.js'
import { type ResourceServerKeys, resourceServerKeys } from './resource-server-keys.js'
import { type Scopes, scopes } from './scopes.js'
import { AdminTransport, type Operation } from './transport.js'

/** Options of {@link AdminClient.request}. */
export interface AdminRequestOptions<T> extends CallOptions {
  /** A JSON body. */
  body?: unknown
  /** Query parameters. */
  searchParams?: Record<string, string | number | undefined>
  /** Validate (and type) the response with this zod schema. Without it the body is `unknown`. */
  schema?: z.ZodType<T>
  /**
   * The `okta.*` scope the endpoint needs, checked like the built-in
   * operations. Default: none checked locally (the server still decides).
   */
  scope?: string
  /** Safe to retry after a 429. Default: true for GET, PUT and DELETE. */
  idempotent?: boolean
}

/**
 * A typed client of the management API; see {@link createAdminClient}.
 *
 * Every operation rejects (never throws synchronously) with:
 * - `InvalidOptionError` (`ERR_INVALID_OPTION`) before anything is sent, for
 *   an id that is empty, `.` or `..`, or holds `/`, `\`, `%` or a control
 *   character (the message names the parameter, never the value);
 *   `RequestValidationError` for a body that breaks the data model;
 * - `AdminScopeError` when the `okta.*` scopes cannot cover it (not
 *   configured, not in the issued token, or refused by the org at the token
 *   endpoint: `ERR_SCOPE_NOT_GRANTED` with `scopes`);
 * - `OktaApiError` for an error status; `InvalidResponseError` for a body
 *   that is not the model, or larger than `maxResponseBytes`
 *   (`ERR_RESPONSE_TOO_LARGE`); `NetworkError`, `TimeoutError`, `AbortError`.
 */
export interface AdminClient {
  /** Authorization servers: create, list, get, update, delete, activate, deactivate. */
  readonly authorizationServers: AuthorizationServers
  /** Policies of a server. */
  readonly policies: Policies
  /** Rules of a policy. */
  readonly policyRules: PolicyRules
  /** Custom scopes of a server. */
  readonly scopes: Scopes
  /** Custom claims of a server. */
  readonly claims: Claims
  /** Signing keys of a server: list, get, rotate, rotate and wait until published. */
  readonly keys: Keys
  /** `okta.*` scope grants of apps (OAuth for Okta). */
  readonly appGrants: AppGrants
  /** The clients a server has tokens for. */
  readonly clients: Clients
  /** Refresh tokens a server issued to a client: list, get, revoke, revoke all. */
  readonly refreshTokens: RefreshTokens
  /** Associated (trusted) servers of a server: list, create, delete. */
  readonly associatedServers: AssociatedServers
  /** Resource-server credential keys (token encryption): list, add, get, delete, activate, deactivate. */
  readonly resourceServerKeys: ResourceServerKeys
  /** An app's refresh tokens: list, get, revoke, revoke all. */
  readonly appTokens: AppTokens
  /** The rate-limit headers of the last response that carried them. */
  readonly rateLimit: RateLimitInfo | undefined
  /**
   * Call any other `/api/v1` endpoint with the same authentication,
   * concurrency limit, retries and error handling.
   *
   * > [!WARNING]
   * > The path is sent as written: encode each id you put into it with
   * > `encodeURIComponent`, and refuse ids such as `..` yourself. Dot
   * > segments (also `%2e`), backslashes and control characters are refused.
   * @param method - The HTTP method.
   * @param path - The path under `/api/v1`, e.g. `/users/me` or `/api/v1/users/me`.
   * @param options - Body, query, response schema, scope.
   * @returns The response body, validated by `schema` when given. Rejects with
   * `InvalidOptionError` for a path that could leave `/api/v1` or resolve to
   * another path than written, and otherwise as every operation does.
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * const me = await admin.request('GET', '/users/me')
   * ```
   */
  request<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options?: AdminRequestOptions<T>,
  ): Promise<T>
}

/**
 * Create a management API client for an org, authenticated with an SSWS API
 * token or with OAuth for Okta (scoped `okta.*` tokens from the org
 * authorization server via client credentials and `private_key_jwt`).
 *
 * Every operation knows the scope it needs and fails before sending when the
 * configured scopes cannot cover it; requests are validated against the data
 * model's rules before sending; responses are validated, typed, and keep
 * fields the API adds later. Lists follow `Link` headers page by page.
 * Every id is checked and encoded into one path segment before sending.
 * Rate-limited (429) idempotent requests are retried after
 * `X-Rate-Limit-Reset` (measured against the response's `Date`), else
 * `Retry-After` (seconds or an HTTP date), else after 1 s, 2 s, 4 s…; a 401
 * is retried once with a fresh token. Every body read is bounded by
 * `maxResponseBytes` (default 16 MiB).
 *
 * @param options - Org URL, authentication, concurrency, retries, `maxResponseBytes`.
 * @returns The client; its operations reject as described on {@link AdminClient}.
 * @throws `InvalidOptionError` for a bad org URL, auth, retry, concurrency or
 * `maxResponseBytes` option.
 * @example
 * ```ts
 * import { createAdminClient } from 'okta-oauth-kit/admin'
 * declare const privateKeyPem: string
 * const admin = createAdminClient({
 *   orgUrl: 'https://example.okta.com',
 *   auth: {
 *     type: 'oauth',
 *     clientId: '0oa1service',
 *     privateKey: privateKeyPem,
 *     scopes: ['okta.authorizationServers.manage'],
 *   },
 * })
 * for await (const server of admin.authorizationServers.list()) console.log(server.name)
 * ```
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const t = new AdminTransport(options)
  return {
    authorizationServers: authorizationServers(t),
    policies: policies(t),
    policyRules: policyRules(t),
    scopes: scopes(t),
    claims: claims(t),
    keys: keys(t, options),
    appGrants: appGrants(t),
    clients: clients(t),
    refreshTokens: refreshTokens(t),
    associatedServers: associatedServers(t),
    resourceServerKeys: resourceServerKeys(t),
    appTokens: appTokens(t),
    get rateLimit() {
      return t.rateLimit
    },
    async request(method, path, requestOptions = {}) {
      if (!['GET', 'POST', 'PUT', 'DELETE'].includes(method)) {
        throw new InvalidOptionError('method must be GET, POST, PUT or DELETE')
      }
      const relative = callerPath(path, t.orgUrl)
      const { body, searchParams, schema, scope, idempotent, ...call } = requestOptions
      const operation: Operation = {
        name: `${method} ${relative}`,
        method,
        // An empty scope is always covered: the server decides.
        scope: scope ?? '',
        idempotent: idempotent ?? method !== 'POST',
      }
      const sent = await t.send(operation, relative, {
        ...call,
        ...(body !== undefined && { body }),
        ...(searchParams && { searchParams }),
        schema: (schema ?? ANY) as z.ZodType<never>,
        allowEmpty: schema === undefined,
      })
      return sent.data
    },
  }
}

const ANY = { safeParse: (data: unknown) => ({ success: true, data }) } as unknown as z.ZodType
