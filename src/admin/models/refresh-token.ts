import * as z from 'zod'
import type { Expect, Same } from './agreement.js'
import { known, type Links, links, timestamp } from './common.js'

// Refresh tokens the org issued (`OAuth2RefreshToken`), as a server lists
// them by client and an app lists its own: the model the API returns. There
// is no request body: tokens are listed, read and revoked.

/**
 * A scope attached to a refresh token (`_embedded.scopes`, with `expand: 'scope'`).
 * @example
 * ```ts
 * import type { AdminClient, RefreshTokenScope } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * const token = await admin.appTokens.get('0oabskvc6442nkvQO0h7', 'oar579Mcp7OUsNTlo0g3', { expand: 'scope' })
 * const scopes: RefreshTokenScope[] = token._embedded?.scopes ?? []
 * console.log(scopes.map((s) => s.displayName ?? s.name))
 * ```
 */
export interface RefreshTokenScope {
  /** Scope object ID. */
  id?: string
  /** Scope name, e.g. `offline_access`. */
  name?: string
  /** The name shown in a consent dialog. */
  displayName?: string
  /** Description of the scope. */
  description?: string
  /** `scope`: the scope object. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/**
 * The embedded resources of a refresh token (with `expand: 'scope'`).
 * @example
 * ```ts
 * import type { RefreshToken, RefreshTokenEmbedded } from 'okta-oauth-kit/admin'
 * declare const token: RefreshToken
 * const embedded: RefreshTokenEmbedded | undefined = token._embedded
 * console.log(embedded?.scopes?.length ?? 0)
 * ```
 */
export interface RefreshTokenEmbedded {
  /** The scope objects attached to the token. */
  scopes?: RefreshTokenScope[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/**
 * A refresh token the org issued (`OAuth2RefreshToken`), as
 * {@link RefreshTokens} and {@link AppTokens} read it: never the token's
 * value, only its id, owner, scopes and status.
 * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationTokens/#tag/ApplicationTokens/operation/getOAuth2TokenForApplication | OAuth2RefreshToken}
 * @example
 * ```ts
 * import type { AdminClient, RefreshToken } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * const tokens: RefreshToken[] = await admin.appTokens.list('0oabskvc6442nkvQO0h7').all()
 * const mine = tokens.filter((t) => t.userId === '00u5t60iloOHN9pBi0h7')
 * console.log(mine.map((t) => [t.id, t.issuer, t.expiresAt]))
 * ```
 */
export interface RefreshToken {
  /** ID of the token object, e.g. `oar579Mcp7OUsNTlo0g3`. */
  id: string
  /** `ACTIVE`, or `REVOKED`. */
  status?: 'ACTIVE' | 'REVOKED' | (string & {})
  /** Timestamp when the token was created. */
  created?: string
  /** Timestamp when the token was last updated. */
  lastUpdated?: string
  /** When the token expires. */
  expiresAt?: string
  /** The complete URL of the authorization server that issued it. */
  issuer?: string
  /**
   * The client the token was issued to. The spec's examples for a server's
   * client tokens spell it `client_id`: then that value is copied here (and
   * `client_id` is kept as well).
   */
  clientId?: string
  /** The user the token was issued for. */
  userId?: string
  /** The scope names attached to the token. */
  scopes?: string[]
  /** The scope objects, with `expand: 'scope'`. */
  _embedded?: RefreshTokenEmbedded
  /** `self`, `revoke`, `app`, `client`, `user`, `authorizationServer`. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const refreshTokenScope = z.looseObject({
  id: z.optional(z.string()),
  name: z.optional(z.string()),
  displayName: z.optional(z.string()),
  description: z.optional(z.string()),
  _links: links,
})

const refreshTokenEmbedded = z.looseObject({ scopes: z.optional(z.array(refreshTokenScope)) })

const refreshTokenObject = z.looseObject({
  id: z.string(),
  status: z.optional(known('ACTIVE', 'REVOKED')),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  expiresAt: z.optional(timestamp),
  issuer: z.optional(z.string()),
  clientId: z.optional(z.string()),
  userId: z.optional(z.string()),
  scopes: z.optional(z.array(z.string())),
  _embedded: z.optional(refreshTokenEmbedded),
  _links: links,
})

const refreshToken = refreshTokenObject.transform((token): RefreshToken => {
  const spelled = token.client_id
  return token.clientId === undefined && typeof spelled === 'string'
    ? { ...token, clientId: spelled }
    : token
})

/**
 * Schema of a refresh token (`OAuth2RefreshToken`); `client_id` is read as
 * `clientId`, unknown fields are kept.
 * @example
 * ```ts
 * import { RefreshTokenSchema } from 'okta-oauth-kit/admin'
 * const token = RefreshTokenSchema.parse({ id: 'oar579Mcp7OUsNTlo0g3', client_id: '0oabskvc6442nkvQO0h7' })
 * console.log(token.clientId) // 0oabskvc6442nkvQO0h7
 * ```
 */
export const RefreshTokenSchema: z.ZodType<RefreshToken> = refreshToken
/**
 * Schema of a scope embedded in a refresh token.
 * @example
 * ```ts
 * import { RefreshTokenScopeSchema } from 'okta-oauth-kit/admin'
 * console.log(RefreshTokenScopeSchema.parse({ name: 'offline_access' }).name)
 * ```
 */
export const RefreshTokenScopeSchema: z.ZodType<RefreshTokenScope> = refreshTokenScope

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof refreshTokenScope>, RefreshTokenScope>>,
  Expect<Same<z.output<typeof refreshTokenEmbedded>, RefreshTokenEmbedded>>,
  Expect<Same<z.output<typeof refreshTokenObject>, RefreshToken>>,
]
