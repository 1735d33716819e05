import * as z from 'zod'
import type { Expect, Same } from './agreement.js'
import { type Links, links } from './common.js'

// The clients an authorization server has tokens for (`OAuth2Client`): the
// model the API returns. Its fields keep the wire's snake_case.

/**
 * An OAuth 2.0 client for which an authorization server has tokens, as
 * {@link Clients.list} reads it.
 * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/listOAuth2ClientsForAuthorizationServer | OAuth2Client}
 * @example
 * ```ts
 * import type { AdminClient, OAuth2Client } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * const clients: OAuth2Client[] = await admin.clients.list('aus5m9r1o4AsDJLe50g4').all()
 * console.log(clients.map((c) => c.client_id))
 * ```
 */
export interface OAuth2Client {
  /** Unique key for the client application, e.g. `0oabskvc6442nkvQO0h7`. */
  client_id: string
  /** Human-readable name of the client application. */
  client_name?: string
  /** The client's URL (`null` when it has none). */
  client_uri?: string | null
  /** URL of the client's logo for the consent dialog (`null` when it has none). */
  logo_uri?: string | null
  /** `client` (the client), `tokens` (its refresh tokens on this server), `grants`. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const oauth2Client = z.looseObject({
  client_id: z.string(),
  client_name: z.optional(z.string()),
  client_uri: z.optional(z.nullable(z.string())),
  logo_uri: z.optional(z.nullable(z.string())),
  _links: links,
})

/**
 * Schema of an OAuth2Client object (a client of an authorization server);
 * unknown fields are kept.
 * @example
 * ```ts
 * import { OAuth2ClientSchema } from 'okta-oauth-kit/admin'
 * const client = OAuth2ClientSchema.parse({ client_id: '0oabskvc6442nkvQO0h7', client_name: 'My Web App' })
 * console.log(client.client_name)
 * ```
 */
export const OAuth2ClientSchema: z.ZodType<OAuth2Client> = oauth2Client

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [Expect<Same<z.output<typeof oauth2Client>, OAuth2Client>>]
