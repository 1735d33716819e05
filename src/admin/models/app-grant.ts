import * as z from 'zod'
import type { Expect, Same } from './agreement.js'
import { known, type Links, links, nonEmpty, timestamp } from './common.js'

// `okta.*` scope grants of an app (OAuth for Okta): the model the API returns,
// and the body of a grant.

/** An `okta.*` scope granted to an app (OAuth for Okta). */
export interface AppGrant {
  /** ID of the grant. */
  id: string
  /** The org authorization server the grant is for: the org URL. */
  issuer: string
  /** The granted scope, e.g. `okta.users.read`. */
  scopeId: string
  /** The app (client) the scope is granted to. */
  clientId?: string
  /** `ACTIVE` or `REVOKED`. */
  status?: 'ACTIVE' | 'REVOKED' | (string & {})
  /** Who granted it: `ADMIN` or `END_USER`. */
  source?: 'ADMIN' | 'END_USER' | (string & {})
  /** The user who granted consent, when `source` is `END_USER`. */
  userId?: string
  /** Timestamp when the grant was created. */
  created?: string
  /** Timestamp when the grant was last updated. */
  lastUpdated?: string
  /** Who created the grant. */
  createdBy?: {
    /** The actor's id, e.g. a user's `00u…`. */
    id?: string
    /** The kind of actor, e.g. `User`. */
    type?: string
    /** Fields the API adds later are kept. */
    [key: string]: unknown
  }
  /** Embedded resources related to the grant. */
  _embedded?: {
    /** The granted scope. */
    scope?: {
      /** The scope's name, e.g. `okta.users.read`. */
      id?: string
      /** Fields the API adds later are kept. */
      [key: string]: unknown
    }
    /** Fields the API adds later are kept. */
    [key: string]: unknown
  }
  /** List of discoverable resources related to the grant. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const appGrant = z.looseObject({
  id: z.string(),
  issuer: z.string(),
  scopeId: z.string(),
  clientId: z.optional(z.string()),
  status: z.optional(known('ACTIVE', 'REVOKED')),
  source: z.optional(known('ADMIN', 'END_USER')),
  userId: z.optional(z.string()),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  createdBy: z.optional(
    z.looseObject({ id: z.optional(z.string()), type: z.optional(z.string()) }),
  ),
  _embedded: z.optional(
    z.looseObject({ scope: z.optional(z.looseObject({ id: z.optional(z.string()) })) }),
  ),
  _links: links,
})

/** Schema of an app grant (OAuth for Okta). */
export const AppGrantSchema: z.ZodType<AppGrant> = appGrant

/** Body of an app grant (OAuth for Okta). Exact: any other key is refused. */
export interface AppGrantInput {
  /** The org authorization server the grant is for: the org URL, e.g. `https://example.okta.com`. */
  issuer: string
  /** The `okta.*` scope to grant, e.g. `okta.users.read`. */
  scopeId: string
}

const appGrantInput = z.strictObject({
  issuer: z.url(),
  scopeId: nonEmpty.refine((s) => s.startsWith('okta.'), {
    message: 'an app grant is for an okta.* scope',
  }),
})

/** Schema of the body of an app grant. */
export const AppGrantInputSchema: z.ZodType<AppGrantInput> = appGrantInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof appGrant>, AppGrant>>,
  Expect<Same<z.output<typeof appGrantInput>, AppGrantInput>>,
  Expect<Same<z.input<typeof appGrantInput>, AppGrantInput>>,
]
