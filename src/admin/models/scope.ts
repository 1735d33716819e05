import * as z from 'zod'
import type { Expect, Same } from './agreement.js'
import { known, type Links, links, nonEmpty } from './common.js'

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
  /** Whether the scope is a default scope: granted when a token request names no scope. */
  default?: boolean
  /** Whether user consent is needed: `REQUIRED`, `IMPLICIT` or `FLEXIBLE`. */
  consent?: 'REQUIRED' | 'IMPLICIT' | 'FLEXIBLE' | (string & {})
  /** Whether the scope is published in discovery's `scopes_supported`: `ALL_CLIENTS` or `NO_CLIENTS`. */
  metadataPublish?: 'ALL_CLIENTS' | 'NO_CLIENTS' | (string & {})
  /** Whether the user may skip consent for the scope. */
  optional?: boolean
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
  consent: z.optional(known('REQUIRED', 'IMPLICIT', 'FLEXIBLE')),
  metadataPublish: z.optional(known('ALL_CLIENTS', 'NO_CLIENTS')),
  optional: z.optional(z.boolean()),
  _links: links,
})

/** Schema of a Scope object. */
export const ScopeSchema: z.ZodType<Scope> = scope

/** Body of create/update scope. Exact: any other key is refused. */
export interface ScopeInput {
  /** Name of the scope (unique per server, no whitespace), e.g. `car:drive`. */
  name: string
  /** Description of the scope. */
  description?: string
  /** The name shown on the consent page. */
  displayName?: string
  /** Whether the scope is a default scope: granted when a token request names no scope. Default: `false`. */
  default?: boolean
  /** Whether user consent is needed. Default: `IMPLICIT`. */
  consent?: 'REQUIRED' | 'IMPLICIT' | 'FLEXIBLE'
  /** Whether the scope is published in discovery's `scopes_supported`. Default: `NO_CLIENTS`. */
  metadataPublish?: 'ALL_CLIENTS' | 'NO_CLIENTS'
  /** Whether the user may skip consent for the scope. Default: `false`. */
  optional?: boolean
  /** Whether Okta created the scope, as the API returns it. */
  system?: boolean
}

const scopeInput = z.strictObject({
  name: nonEmpty.refine((n) => !/\s/.test(n), { message: 'a scope name has no whitespace' }),
  description: z.optional(z.string()),
  displayName: z.optional(z.string()),
  default: z.optional(z.boolean()),
  consent: z.optional(z.enum(['REQUIRED', 'IMPLICIT', 'FLEXIBLE'])),
  metadataPublish: z.optional(z.enum(['ALL_CLIENTS', 'NO_CLIENTS'])),
  optional: z.optional(z.boolean()),
  system: z.optional(z.boolean()),
})

/** Schema of the body of create/update scope. */
export const ScopeInputSchema: z.ZodType<ScopeInput> = scopeInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof scope>, Scope>>,
  Expect<Same<z.output<typeof scopeInput>, ScopeInput>>,
  Expect<Same<z.input<typeof scopeInput>, ScopeInput>>,
]
