import { z } from 'zod'
import type { Expect, Same } from './agreement.js'
import { type Links, links, nonEmpty } from './common.js'

// Custom scopes of an authorization server: the model the API returns, and the
// body of create/update.

/** A custom scope of an authorization server. */
export interface Scope {
  /** ID of the scope. */
  id: string
  /** Name of the scope, e.g. `car:drive`. */
  name: string
  /** Description of the scope. */
  description?: string
  /** The name shown on the consent page. */
  displayName?: string
  /** Whether Okta created the scope. */
  system?: boolean
  /** Whether the scope is a default scope. */
  default?: boolean
  /** Whether user consent is needed: `REQUIRED`, `IMPLICIT` or `FLEXIBLE`. */
  consent?: string
  /** Whether the scope is published in the metadata: `ALL_CLIENTS` or `NO_CLIENTS`. */
  metadataPublish?: string
  /** List of discoverable resources related to the scope. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const scope = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  displayName: z.optional(z.string()),
  system: z.optional(z.boolean()),
  default: z.optional(z.boolean()),
  consent: z.optional(z.string()),
  metadataPublish: z.optional(z.string()),
  _links: links,
})

/** Schema of a Scope object. */
export const ScopeSchema: z.ZodType<Scope> = scope

/** Body of create/update scope. */
export interface ScopeInput {
  /** Name of the scope (unique per server, no whitespace), e.g. `car:drive`. */
  name: string
  /** Description of the scope. */
  description?: string
  /** The name shown on the consent page. */
  displayName?: string
  /** Whether the scope is a default scope. */
  default?: boolean
  /** Whether user consent is needed. */
  consent?: 'REQUIRED' | 'IMPLICIT' | 'FLEXIBLE'
  /** Whether the scope is published in the metadata. */
  metadataPublish?: 'ALL_CLIENTS' | 'NO_CLIENTS'
  /** Other fields are sent as given. */
  [key: string]: unknown
}

const scopeInput = z.looseObject({
  name: nonEmpty.refine((n) => !/\s/.test(n), { message: 'a scope name has no whitespace' }),
  description: z.optional(z.string()),
  displayName: z.optional(z.string()),
  default: z.optional(z.boolean()),
  consent: z.optional(z.enum(['REQUIRED', 'IMPLICIT', 'FLEXIBLE'])),
  metadataPublish: z.optional(z.enum(['ALL_CLIENTS', 'NO_CLIENTS'])),
})

/** Schema of the body of create/update scope. */
export const ScopeInputSchema: z.ZodType<ScopeInput> = scopeInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof scope>, Scope>>,
  Expect<Same<z.output<typeof scopeInput>, ScopeInput>>,
  Expect<Same<z.input<typeof scopeInput>, ScopeInput>>,
]
