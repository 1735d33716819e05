import { z } from 'zod'
import type { Expect, Same } from './agreement.js'
import {
  type IncludeExclude,
  includeExclude,
  type Links,
  lifecycleStatus,
  lifecycleStatusInput,
  links,
  nonEmpty,
  timestamp,
} from './common.js'

// Rules of a policy: the model the API returns, and the body of create/update.

/** A scope granted by a rule, in the object form `{ name, access }`. */
export interface ScopeGrant {
  /** The scope name, or `*` for every scope. */
  name: string
  /** The access granted, e.g. `ALLOW`. */
  access?: string
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** The `people` condition of a rule. */
export interface PeopleCondition {
  /** Users included in or excluded from the rule. */
  users?: IncludeExclude
  /** Groups included in or excluded from the rule, e.g. `EVERYONE`. */
  groups?: IncludeExclude
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** The `grantTypes` condition of a rule. */
export interface GrantTypesCondition {
  /** The grant types the rule applies to, e.g. `authorization_code`, `client_credentials`. */
  include?: string[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** The `scopes` condition of a rule. */
export interface ScopesCondition {
  /** The scopes the rule applies to: names, or `{ name, access }` objects. */
  include?: (string | ScopeGrant)[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** The conditions of a rule: the people, groups, grant types and scopes it applies to. */
export interface RuleConditions {
  /** For rules, specifies which users and groups are included or excluded in the rule. */
  people?: PeopleCondition
  /** The grant types (`authorization_code`, `password`, `refresh_token`, `client_credentials`, …) the rule applies to. */
  grantTypes?: GrantTypesCondition
  /** The scopes this condition includes. */
  scopes?: ScopesCondition
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** Lifetime durations of the tokens a rule mints. */
export interface RuleToken {
  /** Access token lifetime in minutes: minimum 5 minutes, maximum 1 day. */
  accessTokenLifetimeMinutes?: number
  /** Refresh token lifetime in minutes: 0 (unlimited), otherwise at least the access token lifetime. */
  refreshTokenLifetimeMinutes?: number
  /** Minutes a refresh token stays valid unless used: minimum 10 minutes, maximum 90 days. */
  refreshTokenWindowMinutes?: number
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** The actions of a rule. */
export interface RuleActions {
  /** Specifies lifetime durations for the tokens minted. */
  token?: RuleToken
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** A rule of a policy. */
export interface PolicyRule {
  /** ID of the rule. */
  id: string
  /** The rule type: `RESOURCE_ACCESS`. */
  type?: string
  /** Name of the rule. */
  name: string
  /** Specifies whether requests have access to this rule: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE' | (string & {})
  /** The order in which the rule is evaluated within its policy. */
  priority?: number
  /** Specifies whether the rule was created by Okta or not. */
  system?: boolean
  /** Specifies the people, groups, grant types and scopes the rule will be applied to. */
  conditions?: RuleConditions
  /** Specifies lifetime durations for the token minted (where the reference puts them). */
  token?: RuleToken
  /** The rule's actions; the API puts the token lifetimes in `actions.token`. */
  actions?: RuleActions
  /** Timestamp when the rule was created. */
  created?: string
  /** Timestamp when the rule was last updated. */
  lastUpdated?: string
  /** List of discoverable resources related to the rule. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const scopeGrant = z.union([
  z.string(),
  z.looseObject({ name: z.string(), access: z.optional(z.string()) }),
])

const people = z.looseObject({
  users: z.optional(includeExclude),
  groups: z.optional(includeExclude),
})

const ruleConditions = z.looseObject({
  people: z.optional(people),
  grantTypes: z.optional(z.looseObject({ include: z.optional(z.array(z.string())) })),
  scopes: z.optional(z.looseObject({ include: z.optional(z.array(scopeGrant)) })),
})

const ruleToken = z.looseObject({
  accessTokenLifetimeMinutes: z.optional(z.number()),
  refreshTokenLifetimeMinutes: z.optional(z.number()),
  refreshTokenWindowMinutes: z.optional(z.number()),
})

const policyRule = z.looseObject({
  id: z.string(),
  type: z.optional(z.string()),
  name: z.string(),
  status: z.optional(lifecycleStatus),
  priority: z.optional(z.number()),
  system: z.optional(z.boolean()),
  conditions: z.optional(ruleConditions),
  token: z.optional(ruleToken),
  actions: z.optional(z.looseObject({ token: z.optional(ruleToken) })),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  _links: links,
})

/** Schema of the conditions of a rule. */
export const RuleConditionsSchema: z.ZodType<RuleConditions> = ruleConditions
/** Schema of the token lifetimes of a rule. */
export const RuleTokenSchema: z.ZodType<RuleToken> = ruleToken
/** Schema of a policy Rule object. */
export const PolicyRuleSchema: z.ZodType<PolicyRule> = policyRule

/** The grant types a rule's `conditions.grantTypes.include` accepts. */
export type GrantType =
  | 'authorization_code'
  | 'password'
  | 'refresh_token'
  | 'client_credentials'
  | 'implicit'
  | 'urn:ietf:params:oauth:grant-type:device_code'
  | 'urn:ietf:params:oauth:grant-type:token-exchange'
  | 'urn:ietf:params:oauth:grant-type:saml2-bearer'
  | 'urn:ietf:params:oauth:grant-type:jwt-bearer'
  | 'interaction_code'

/** Token lifetimes of create/update rule, with the documented limits. */
export interface RuleTokenInput {
  /** Access token lifetime in minutes: minimum 5, maximum 1 day (1440). */
  accessTokenLifetimeMinutes?: number
  /** Refresh token lifetime in minutes: 0 (unlimited), otherwise at least the access token lifetime. */
  refreshTokenLifetimeMinutes?: number
  /** Minutes a refresh token stays valid unless used: minimum 10, maximum 90 days (129 600). */
  refreshTokenWindowMinutes?: number
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** `grantTypes` of a rule's conditions in create/update rule. */
export interface GrantTypesConditionInput {
  /** The grant types the rule applies to (at least one). */
  include: GrantType[]
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** `scopes` of a rule's conditions in create/update rule. */
export interface ScopesConditionInput {
  /** The scopes the rule applies to (at least one): names such as `*`, or `{ name, access }`. */
  include: (string | ScopeGrant)[]
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** `conditions` of create/update rule. */
export interface RuleConditionsInput {
  /** Which users and groups are included or excluded in the rule. */
  people?: PeopleCondition
  /** The grant types the rule applies to. */
  grantTypes?: GrantTypesConditionInput
  /** The scopes the rule applies to. */
  scopes?: ScopesConditionInput
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** `actions` of create/update rule. */
export interface RuleActionsInput {
  /** Lifetime durations of the tokens the rule mints. */
  token?: RuleTokenInput
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** Body of create/update rule. */
export interface PolicyRuleInput {
  /** The rule type: `RESOURCE_ACCESS`. */
  type?: 'RESOURCE_ACCESS'
  /** Name of the rule. */
  name: string
  /** Specifies whether requests have access to this rule: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE'
  /** The order in which the rule is evaluated within its policy (1 first). */
  priority?: number
  /** Specifies the people, groups, grant types and scopes the rule will be applied to. */
  conditions?: RuleConditionsInput
  /** Token lifetimes, where the reference puts them. */
  token?: RuleTokenInput
  /** The rule's actions; the API takes the token lifetimes in `actions.token`. */
  actions?: RuleActionsInput
  /** Other fields are sent as given. */
  [key: string]: unknown
}

const GRANT_TYPES = [
  'authorization_code',
  'password',
  'refresh_token',
  'client_credentials',
  'implicit',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'interaction_code',
] as const satisfies readonly GrantType[]

const DAY = 24 * 60

const ruleTokenInput = z
  .looseObject({
    accessTokenLifetimeMinutes: z.optional(
      z
        .int()
        .min(5, 'access token lifetime must be at least 5 minutes')
        .max(DAY, 'access token lifetime must be at most 1 day (1440 minutes)'),
    ),
    refreshTokenLifetimeMinutes: z.optional(z.int().min(0)),
    refreshTokenWindowMinutes: z.optional(
      z
        .int()
        .min(10, 'refresh token window must be at least 10 minutes')
        .max(90 * DAY, 'refresh token window must be at most 90 days (129600 minutes)'),
    ),
  })
  .refine(
    // Compared only when both are given: the server knows the lifetime it would default to.
    (t) =>
      t.refreshTokenLifetimeMinutes === undefined ||
      t.refreshTokenLifetimeMinutes === 0 ||
      t.accessTokenLifetimeMinutes === undefined ||
      t.refreshTokenLifetimeMinutes >= t.accessTokenLifetimeMinutes,
    {
      message: 'refresh token lifetime must be 0 (unlimited) or at least the access token lifetime',
      path: ['refreshTokenLifetimeMinutes'],
    },
  )

const policyRuleInput = z.looseObject({
  type: z.optional(z.literal('RESOURCE_ACCESS')),
  name: nonEmpty,
  status: z.optional(lifecycleStatusInput),
  priority: z.optional(z.int().min(1)),
  conditions: z.optional(
    z.looseObject({
      people: z.optional(people),
      grantTypes: z.optional(z.looseObject({ include: z.array(z.enum(GRANT_TYPES)).min(1) })),
      scopes: z.optional(z.looseObject({ include: z.array(scopeGrant).min(1) })),
    }),
  ),
  token: z.optional(ruleTokenInput),
  actions: z.optional(z.looseObject({ token: z.optional(ruleTokenInput) })),
})

/** Schema of token lifetimes in a rule, with the documented limits. */
export const RuleTokenInputSchema: z.ZodType<RuleTokenInput> = ruleTokenInput
/** Schema of the body of create/update rule. */
export const PolicyRuleInputSchema: z.ZodType<PolicyRuleInput> = policyRuleInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof people>, PeopleCondition>>,
  Expect<Same<z.output<typeof ruleConditions>, RuleConditions>>,
  Expect<Same<z.output<typeof ruleToken>, RuleToken>>,
  Expect<Same<z.output<typeof policyRule>, PolicyRule>>,
  Expect<Same<z.output<typeof ruleTokenInput>, RuleTokenInput>>,
  Expect<Same<z.input<typeof ruleTokenInput>, RuleTokenInput>>,
  Expect<Same<z.output<typeof policyRuleInput>, PolicyRuleInput>>,
  Expect<Same<z.input<typeof policyRuleInput>, PolicyRuleInput>>,
]
