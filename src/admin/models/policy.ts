import * as z from 'zod'
import type { Expect, Same } from './agreement.js'
import {
  type IncludeExclude,
  type IncludeExcludeInput,
  includeExclude,
  includeExcludeInput,
  type Links,
  lifecycleStatus,
  lifecycleStatusInput,
  links,
  timestamp,
} from './common.js'

// Policies of an authorization server: the model the API returns, and the body
// of create/update.

/** The conditions of a policy. */
export interface PolicyConditions {
  /** Specifies which clients are included or excluded in the policy. */
  clients?: IncludeExclude
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** An authorization server policy. */
export interface Policy {
  /** ID of the policy. */
  id: string
  /** Indicates that the policy is an authorization server policy (`OAUTH_AUTHORIZATION_POLICY`). */
  type?: string
  /** Name of the policy. */
  name: string
  /** Description of the policy. */
  description?: string
  /** Specifies whether requests have access to this policy: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE' | (string & {})
  /** Specifies the order in which this policy is evaluated in relation to the other policies in the authorization server. */
  priority?: number
  /** Specifies whether Okta created this policy (`true`) or not (`false`). */
  system?: boolean
  /** Specifies the clients that the policy will be applied to. */
  conditions?: PolicyConditions
  /** Timestamp when the policy was created. */
  created?: string
  /** Timestamp when the policy was last updated. */
  lastUpdated?: string
  /** List of discoverable resources related to the policy. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const policy = z.looseObject({
  id: z.string(),
  type: z.optional(z.string()),
  name: z.string(),
  description: z.optional(z.string()),
  status: z.optional(lifecycleStatus),
  priority: z.optional(z.number()),
  system: z.optional(z.boolean()),
  conditions: z.optional(z.looseObject({ clients: z.optional(includeExclude) })),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  _links: links,
})

/** Schema of a Policy object. */
export const PolicySchema: z.ZodType<Policy> = policy

/** `conditions` of create/update policy. */
export interface PolicyConditionsInput {
  /** Specifies which clients are included or excluded in the policy, e.g. `{ include: ['ALL_CLIENTS'] }`. */
  clients: IncludeExcludeInput
}

/** Body of create/update policy. Exact: any other key is refused. */
export interface PolicyInput {
  /** Indicates that the policy is an authorization server policy (`OAUTH_AUTHORIZATION_POLICY`). */
  type?: 'OAUTH_AUTHORIZATION_POLICY'
  /** Name of the policy: 1 to 100 characters. */
  name: string
  /** Description of the policy: 1 to 255 characters, optional. */
  description?: string
  /** Specifies whether requests have access to this policy: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE'
  /** The order in which this policy is evaluated among the server's policies (1 first). */
  priority?: number
  /** Specifies the clients that the policy will be applied to. */
  conditions?: PolicyConditionsInput
  /** The policy's id, as the API returns it (an update of an object read from the API may carry it). */
  id?: string
  /** Whether Okta created the policy, as the API returns it. */
  system?: boolean
}

const policyInput = z.strictObject({
  type: z.optional(z.literal('OAUTH_AUTHORIZATION_POLICY')),
  name: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.optional(
    z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
  ),
  status: z.optional(lifecycleStatusInput),
  priority: z.optional(z.int().min(1)),
  conditions: z.optional(z.strictObject({ clients: includeExcludeInput })),
  id: z.optional(z.string()),
  system: z.optional(z.boolean()),
})

/** Schema of the body of create/update policy. */
export const PolicyInputSchema: z.ZodType<PolicyInput> = policyInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof policy>, Policy>>,
  Expect<Same<z.output<typeof policyInput>, PolicyInput>>,
  Expect<Same<z.input<typeof policyInput>, PolicyInput>>,
]
