import * as z from 'zod'
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
  /** The value of the claim: a string literal matched with `group_filter_type` for `GROUPS`, an Okta EL expression for `EXPRESSION`. */
  value?: string
  /** The type of group filter if `valueType` is `GROUPS` (today's API name; read from either spelling). */
  group_filter_type?: 'STARTS_WITH' | 'EQUALS' | 'CONTAINS' | 'REGEX' | (string & {})
  /**
   * The same value as `group_filter_type`, under the name older reference
   * pages use (filled from either spelling).
   * @deprecated Read `group_filter_type`.
   */
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

const GROUP_FILTERS = ['STARTS_WITH', 'EQUALS', 'CONTAINS', 'REGEX'] as const

const claim = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    status: z.optional(lifecycleStatus),
    claimType: known('RESOURCE', 'IDENTITY'),
    valueType: known('EXPRESSION', 'GROUPS', 'SYSTEM'),
    value: z.optional(z.string()),
    group_filter_type: z.optional(known(...GROUP_FILTERS)),
    groupFilterType: z.optional(known(...GROUP_FILTERS)),
    // Older reference pages write it as "TRUE"; the API sends a boolean.
    alwaysIncludeInToken: z.optional(z.union([z.boolean(), z.string()])),
    conditions: z.optional(z.looseObject({ scopes: z.optional(z.array(z.string())) })),
    system: z.optional(z.boolean()),
    _links: links,
  })
  // Today's API sends `group_filter_type`, older pages `groupFilterType`: both are filled.
  .transform((c) => {
    const filter = c.group_filter_type ?? c.groupFilterType
    return filter === undefined ? c : { ...c, group_filter_type: filter, groupFilterType: filter }
  })

/** Schema of a Claim object. */
export const ClaimSchema: z.ZodType<Claim> = claim

/** `conditions` of create/update claim. */
export interface ClaimConditionsInput {
  /** The scopes the claim is issued for, e.g. `['car:drive']` (empty: every scope). */
  scopes: string[]
}

/** Body of create/update claim. Exact: any other key is refused. */
export interface ClaimInput {
  /** Name of the claim. */
  name: string
  /** Specifies whether requests have access to this claim: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE'
  /** Whether the claim is for an access token (`RESOURCE`) or ID token (`IDENTITY`). */
  claimType: 'RESOURCE' | 'IDENTITY'
  /** Whether the claim is an Okta EL expression (`EXPRESSION`), a set of groups (`GROUPS`), or a system claim (`SYSTEM`). */
  valueType: 'EXPRESSION' | 'GROUPS' | 'SYSTEM'
  /** The value: a string literal matched with `group_filter_type` for `GROUPS`, an Okta EL expression for `EXPRESSION`. */
  value: string
  /** The type of group filter; required when `valueType` is `GROUPS`, and only then. */
  group_filter_type?: 'STARTS_WITH' | 'EQUALS' | 'CONTAINS' | 'REGEX'
  /**
   * The group filter under the name older reference pages use: sent as
   * `group_filter_type`, the name the API reads. Giving both is refused.
   * @deprecated Use `group_filter_type`.
   */
  groupFilterType?: 'STARTS_WITH' | 'EQUALS' | 'CONTAINS' | 'REGEX'
  /** Whether to include the claim in tokens; access token (`RESOURCE`) claims are always included. */
  alwaysIncludeInToken?: boolean
  /** Specifies the scopes for this claim. */
  conditions?: ClaimConditionsInput
  /** Whether Okta created the claim, as the API returns it. */
  system?: boolean
}

/** The body of create/update claim as it is sent: the group filter as `group_filter_type`. */
export type ClaimBody = Omit<ClaimInput, 'groupFilterType'>

const claimInput = z
  .strictObject({
    name: nonEmpty,
    status: z.optional(lifecycleStatusInput),
    claimType: z.enum(['RESOURCE', 'IDENTITY']),
    valueType: z.enum(['EXPRESSION', 'GROUPS', 'SYSTEM']),
    value: z.string(),
    group_filter_type: z.optional(z.enum(GROUP_FILTERS)),
    groupFilterType: z.optional(z.enum(GROUP_FILTERS)),
    alwaysIncludeInToken: z.optional(z.boolean()),
    conditions: z.optional(z.strictObject({ scopes: z.array(z.string()) })),
    system: z.optional(z.boolean()),
  })
  .refine((c) => c.group_filter_type === undefined || c.groupFilterType === undefined, {
    message: 'give the group filter once, as group_filter_type',
    path: ['groupFilterType'],
  })
  .refine(
    (c) =>
      (c.valueType === 'GROUPS') === ((c.group_filter_type ?? c.groupFilterType) !== undefined),
    {
      message: 'group_filter_type is required when valueType is GROUPS, and only then',
      path: ['group_filter_type'],
    },
  )
  .refine((c) => !(c.claimType === 'RESOURCE' && c.alwaysIncludeInToken === false), {
    message: 'access token (RESOURCE) claims are always included in the token',
    path: ['alwaysIncludeInToken'],
  })
  .transform(({ groupFilterType, ...c }): ClaimBody => {
    const filter = c.group_filter_type ?? groupFilterType
    return filter === undefined ? c : { ...c, group_filter_type: filter }
  })

/**
 * Schema of the body of create/update claim. Parsing gives the body as it is
 * sent ({@link ClaimBody}): a deprecated `groupFilterType` becomes
 * `group_filter_type`.
 */
export const ClaimInputSchema: z.ZodType<ClaimBody, ClaimInput> = claimInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof claim>, Claim>>,
  Expect<Same<z.output<typeof claimInput>, ClaimBody>>,
  Expect<Same<z.input<typeof claimInput>, ClaimInput>>,
]
