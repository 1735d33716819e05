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

/** The token inline hook a rule calls when it mints tokens. */
export interface RuleInlineHook {
  /** The inline hook's id, e.g. `cal4egvp1mbMldrYN0g7`. */
  id?: string
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** Lifetime durations of the tokens a rule mints, and its token inline hook. */
export interface RuleToken {
  /** Access token lifetime in minutes: minimum 5 minutes, maximum 1 day. */
  accessTokenLifetimeMinutes?: number
  /** Refresh token lifetime in minutes: 0 (unlimited), otherwise at least the access token lifetime. */
  refreshTokenLifetimeMinutes?: number
  /** Minutes a refresh token stays valid unless used: minimum 10 minutes, maximum 5 years (2 628 000). */
  refreshTokenWindowMinutes?: number
  /** The token inline hook the rule calls. */
  inlineHook?: RuleInlineHook
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** The actions of a rule. */
export interface RuleActions {
  /** Lifetime durations for the tokens minted, and the token inline hook: where today's API keeps them. */
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
  /**
   * The token lifetimes where older reference pages put them. Read
   * `actions.token`: a response with only this field gets it copied there.
   * @deprecated Today's API has the lifetimes in `actions.token`.
   */
  token?: RuleToken
  /** The rule's actions: `actions.token` holds the token lifetimes and the inline hook. */
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
  inlineHook: z.optional(z.looseObject({ id: z.optional(z.string()) })),
})

const policyRuleObject = z.looseObject({
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

// Older pages put the lifetimes in a top-level `token`: a response with only
// that gets them in `actions.token` too, the one place to read them.
const policyRule = policyRuleObject.transform((rule) =>
  rule.token !== undefined && rule.actions?.token === undefined
    ? { ...rule, actions: { ...rule.actions, token: rule.token } }
    : rule,
)

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
  | 'interaction_code'
  | 'urn:ietf:params:oauth:grant-type:device_code'
  | 'urn:ietf:params:oauth:grant-type:token-exchange'
  | 'urn:ietf:params:oauth:grant-type:saml2-bearer'
  | 'urn:ietf:params:oauth:grant-type:jwt-bearer'
  | 'urn:openid:params:grant-type:ciba'
  | 'urn:okta:params:oauth:grant-type:otp'
  | 'urn:okta:params:oauth:grant-type:oob'
  | 'http://auth0.com/oauth/grant-type/mfa-otp'
  | 'http://auth0.com/oauth/grant-type/mfa-oob'

/** `actions.token.inlineHook` of create/update rule. */
export interface RuleInlineHookInput {
  /** The token inline hook's id. */
  id: string
}

/** Token lifetimes (and inline hook) of create/update rule, with the API's limits. */
export interface RuleTokenInput {
  /** Access token lifetime in minutes: minimum 5, maximum 1 day (1440). */
  accessTokenLifetimeMinutes?: number
  /** Refresh token lifetime in minutes: 0 (unlimited), otherwise at least the access token lifetime. */
  refreshTokenLifetimeMinutes?: number
  /** Minutes a refresh token stays valid unless used: minimum 10, maximum 5 years (2 628 000). */
  refreshTokenWindowMinutes?: number
  /** The token inline hook to call when the rule mints tokens. */
  inlineHook?: RuleInlineHookInput
}

/** `grantTypes` of a rule's conditions in create/update rule. */
export interface GrantTypesConditionInput {
  /** The grant types the rule applies to (at least one). */
  include: GrantType[]
}

/** `scopes` of a rule's conditions in create/update rule. */
export interface ScopesConditionInput {
  /** The scope names the rule applies to (at least one), `*` for every scope. */
  include: string[]
}

/** `people` of a rule's conditions in create/update rule. */
export interface PeopleConditionInput {
  /** Users (ids) included in or excluded from the rule. */
  users?: IncludeExcludeInput
  /** Groups (ids, or `EVERYONE`) included in or excluded from the rule. */
  groups?: IncludeExcludeInput
}

/** `conditions` of create/update rule. */
export interface RuleConditionsInput {
  /** Which users and groups are included or excluded in the rule. */
  people?: PeopleConditionInput
  /** The grant types the rule applies to. */
  grantTypes?: GrantTypesConditionInput
  /** The scopes the rule applies to. */
  scopes?: ScopesConditionInput
}

/** `actions` of create/update rule. */
export interface RuleActionsInput {
  /** Lifetime durations of the tokens the rule mints, and its token inline hook. */
  token?: RuleTokenInput
}

/** Body of create/update rule. Exact: any other key is refused. */
export interface PolicyRuleInput {
  /** The rule type: `RESOURCE_ACCESS` (sent when omitted; the API requires it). */
  type?: 'RESOURCE_ACCESS'
  /** Name of the rule. */
  name: string
  /** Specifies whether requests have access to this rule: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE'
  /** The order in which the rule is evaluated within its policy (1 first). */
  priority?: number
  /** Specifies the people, groups, grant types and scopes the rule will be applied to (required by the API). */
  conditions: RuleConditionsInput
  /** The rule's actions: `actions.token` holds the token lifetimes and the inline hook. */
  actions?: RuleActionsInput
  /** Whether the rule is a system rule, as the API returns it. */
  system?: boolean
  /**
   * Token lifetimes where older reference pages put them: sent in
   * `actions.token`, the one place the API reads them. Giving both is refused.
   * @deprecated Use `actions.token`.
   */
  token?: RuleTokenInput
}

/** The body of create/update rule as it is sent: `type` set, lifetimes in `actions.token`. */
export interface PolicyRuleBody {
  /** The rule type. */
  type: 'RESOURCE_ACCESS'
  /** Name of the rule. */
  name: string
  /** `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE'
  /** The rule's priority. */
  priority?: number
  /** The rule's conditions. */
  conditions: RuleConditionsInput
  /** The rule's actions. */
  actions?: RuleActionsInput
  /** Whether the rule is a system rule. */
  system?: boolean
}

const GRANT_TYPES = [
  'authorization_code',
  'password',
  'refresh_token',
  'client_credentials',
  'implicit',
  'interaction_code',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:openid:params:grant-type:ciba',
  'urn:okta:params:oauth:grant-type:otp',
  'urn:okta:params:oauth:grant-type:oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-oob',
] as const satisfies readonly GrantType[]

/** A day, in minutes. */
const DAY = 24 * 60
/** "The maximum is five years (2,628,000 minutes)." */
const FIVE_YEARS = 2_628_000

const ruleTokenInput = z
  .strictObject({
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
        .max(FIVE_YEARS, 'refresh token window must be at most 5 years (2628000 minutes)'),
    ),
    inlineHook: z.optional(z.strictObject({ id: nonEmpty })),
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

const ruleConditionsInput = z.strictObject({
  people: z.optional(
    z.strictObject({
      users: z.optional(includeExcludeInput),
      groups: z.optional(includeExcludeInput),
    }),
  ),
  grantTypes: z.optional(z.strictObject({ include: z.array(z.enum(GRANT_TYPES)).min(1) })),
  scopes: z.optional(z.strictObject({ include: z.array(nonEmpty).min(1) })),
})

const policyRuleInput = z
  .strictObject({
    type: z.optional(z.literal('RESOURCE_ACCESS')),
    name: nonEmpty,
    status: z.optional(lifecycleStatusInput),
    priority: z.optional(z.int().min(1)),
    conditions: ruleConditionsInput,
    actions: z.optional(z.strictObject({ token: z.optional(ruleTokenInput) })),
    system: z.optional(z.boolean()),
    token: z.optional(ruleTokenInput),
  })
  .refine((r) => r.token === undefined || r.actions?.token === undefined, {
    message: 'give the token lifetimes once, in actions.token',
    path: ['token'],
  })
  .transform(({ token, ...rule }): PolicyRuleBody => {
    const actions = token === undefined ? rule.actions : { ...rule.actions, token }
    return { ...rule, type: 'RESOURCE_ACCESS', ...(actions !== undefined && { actions }) }
  })

/** Schema of token lifetimes in a rule, with the API's limits. */
export const RuleTokenInputSchema: z.ZodType<RuleTokenInput> = ruleTokenInput
/**
 * Schema of the body of create/update rule. Parsing gives the body as it is
 * sent ({@link PolicyRuleBody}): `type` set, a deprecated top-level `token`
 * moved into `actions.token`.
 */
export const PolicyRuleInputSchema: z.ZodType<PolicyRuleBody, PolicyRuleInput> = policyRuleInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof people>, PeopleCondition>>,
  Expect<Same<z.output<typeof ruleConditions>, RuleConditions>>,
  Expect<Same<z.output<typeof ruleToken>, RuleToken>>,
  Expect<Same<z.output<typeof policyRule>, PolicyRule>>,
  Expect<Same<z.output<typeof ruleTokenInput>, RuleTokenInput>>,
  Expect<Same<z.input<typeof ruleTokenInput>, RuleTokenInput>>,
  Expect<Same<z.output<typeof ruleConditionsInput>, RuleConditionsInput>>,
  Expect<Same<z.output<typeof policyRuleInput>, PolicyRuleBody>>,
  Expect<Same<z.input<typeof policyRuleInput>, PolicyRuleInput>>,
]
