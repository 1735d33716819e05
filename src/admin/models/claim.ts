import { z } from 'zod'
import type { Expect, Same } from './agreement.js'
import {
  known,
  type Links,
  lifecycleStatus,
  lifecycleStatusInput,
  links,
  nonEmpty,
} from './common.js'

// Custom claims of an authorization server: the model the API returns, and the
// body of create/update.

/** The conditions of a claim. */
export interface ClaimConditions {
  /** The scopes the claim is issued for (empty: every scope). */
  scopes?: string[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** A custom claim of an authorization server. */
export interface Claim {
  /** ID of the claim. */
  id: string
  /** Name of the claim. */
  name: string
  /** Specifies whether requests have access to this claim: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE' | (string & {})
  /** Specifies whether the claim is for an access token (`RESOURCE`) or ID token (`IDENTITY`). */
  claimType: 'RESOURCE' | 'IDENTITY' | (string & {})
  /** Specifies whether the claim is an Okta EL expression (`EXPRESSION`), a set of groups (`GROUPS`), or a system claim (`SYSTEM`). */
  valueType: 'EXPRESSION' | 'GROUPS' | 'SYSTEM' | (string & {})
  /** The value of the claim: a string literal matched with `groupFilterType` for `GROUPS`, an Okta EL expression for `EXPRESSION`. */
  value?: string
  /** Specifies the type of group filter if `valueType` is `GROUPS`. */
  groupFilterType?: 'STARTS_WITH' | 'EQUALS' | 'CONTAINS' | 'REGEX' | (string & {})
  /** Specifies whether to include the claim in tokens (always true for access tokens; the reference writes it as the string `"TRUE"`). */
  alwaysIncludeInToken?: boolean | string
  /** Specifies the scopes for this claim. */
  conditions?: ClaimConditions
  /** Specifies whether Okta created this claim. */
  system?: boolean
  /** List of discoverable resources related to the claim. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const claim = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.optional(lifecycleStatus),
  claimType: known('RESOURCE', 'IDENTITY'),
  valueType: known('EXPRESSION', 'GROUPS', 'SYSTEM'),
  value: z.optional(z.string()),
  groupFilterType: z.optional(known('STARTS_WITH', 'EQUALS', 'CONTAINS', 'REGEX')),
  // The reference writes it as "TRUE"; the API sends a boolean.
  alwaysIncludeInToken: z.optional(z.union([z.boolean(), z.string()])),
  conditions: z.optional(z.looseObject({ scopes: z.optional(z.array(z.string())) })),
  system: z.optional(z.boolean()),
  _links: links,
})

/** Schema of a Claim object. */
export const ClaimSchema: z.ZodType<Claim> = claim

/** `conditions` of create/update claim. */
export interface ClaimConditionsInput {
  /** The scopes the claim is issued for, e.g. `['car:drive']`. */
  scopes: string[]
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** Body of create/update claim. */
export interface ClaimInput {
  /** Name of the claim. */
  name: string
  /** Specifies whether requests have access to this claim: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE'
  /** Whether the claim is for an access token (`RESOURCE`) or ID token (`IDENTITY`). */
  claimType: 'RESOURCE' | 'IDENTITY'
  /** Whether the claim is an Okta EL expression (`EXPRESSION`), a set of groups (`GROUPS`), or a system claim (`SYSTEM`). */
  valueType: 'EXPRESSION' | 'GROUPS' | 'SYSTEM'
  /** The value: a string literal matched with `groupFilterType` for `GROUPS`, an Okta EL expression for `EXPRESSION`. */
  value: string
  /** The type of group filter; required when `valueType` is `GROUPS`, and only then. */
  groupFilterType?: 'STARTS_WITH' | 'EQUALS' | 'CONTAINS' | 'REGEX'
  /** Whether to include the claim in tokens; access token (`RESOURCE`) claims are always included. */
  alwaysIncludeInToken?: boolean
  /** Specifies the scopes for this claim. */
  conditions?: ClaimConditionsInput
  /** Other fields are sent as given. */
  [key: string]: unknown
}

const claimInput = z
  .looseObject({
    name: nonEmpty,
    status: z.optional(lifecycleStatusInput),
    claimType: z.enum(['RESOURCE', 'IDENTITY']),
    valueType: z.enum(['EXPRESSION', 'GROUPS', 'SYSTEM']),
    value: z.string(),
    groupFilterType: z.optional(z.enum(['STARTS_WITH', 'EQUALS', 'CONTAINS', 'REGEX'])),
    alwaysIncludeInToken: z.optional(z.boolean()),
    conditions: z.optional(z.looseObject({ scopes: z.array(z.string()) })),
  })
  .refine((c) => (c.valueType === 'GROUPS') === (c.groupFilterType !== undefined), {
    message: 'groupFilterType is required when valueType is GROUPS, and only then',
    path: ['groupFilterType'],
  })
  .refine((c) => !(c.claimType === 'RESOURCE' && c.alwaysIncludeInToken === false), {
    message: 'access token (RESOURCE) claims are always included in the token',
    path: ['alwaysIncludeInToken'],
  })

/** Schema of the body of create/update claim. */
export const ClaimInputSchema: z.ZodType<ClaimInput> = claimInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof claim>, Claim>>,
  Expect<Same<z.output<typeof claimInput>, ClaimInput>>,
  Expect<Same<z.input<typeof claimInput>, ClaimInput>>,
]
