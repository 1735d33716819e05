import { z } from 'zod'

// Responses: every object is a `looseObject`, so fields the API adds later are
// kept, not dropped (the interfaces say so with an index signature). Enums the
// API may extend are typed as the known values plus `string`. Requests are
// validated before sending, with the documented limits.
//
// Every exported schema is typed `z.ZodType<Interface>`, and the `Agreement`
// type at the end proves each schema's inferred type and its interface are
// the same both ways, so the documented interfaces cannot drift from the
// schemas that check the wire.

// ------------------------------------------------------------------ shared

/** Hints of a {@link Link}. */
export interface LinkHints {
  /** The HTTP methods the linked resource allows, e.g. `GET`, `PUT`, `DELETE`. */
  allow?: string[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** A link to a related resource (an entry of `_links`). */
export interface Link {
  /** The URL of the related resource. */
  href: string
  /** The link's name, for links in a list (e.g. `openid-configuration` in `metadata`). */
  name?: string
  /** What the resource allows. */
  hints?: LinkHints
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** `_links`: discoverable resources related to an object, by relation (some relations are lists). */
export interface Links {
  /** A link, or a list of links, by relation name (`self`, `scopes`, `deactivate`, `metadata`, …). */
  [rel: string]: Link | Link[]
}

/** Include and exclude lists of a condition (clients, users, groups). */
export interface IncludeExclude {
  /** What the condition includes, e.g. `ALL_CLIENTS` or `EVERYONE`. */
  include?: string[]
  /** What the condition excludes. */
  exclude?: string[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const known = <T extends string>(...values: [T, ...T[]]) =>
  z.union([z.enum(values), z.string()]) as unknown as z.ZodType<T | (string & {})>

const timestamp = z.string()

const linkHints = z.looseObject({ allow: z.optional(z.array(z.string())) })

const link = z.looseObject({
  href: z.string(),
  name: z.optional(z.string()),
  hints: z.optional(linkHints),
})

const linksRecord = z.record(z.string(), z.union([link, z.array(link)]))
const links = z.optional(linksRecord)

const includeExclude = z.looseObject({
  include: z.optional(z.array(z.string())),
  exclude: z.optional(z.array(z.string())),
})

// ------------------------------------------------------- response models

/** The signing credentials of an authorization server (`credentials.signing`). */
export interface SigningCredentials {
  /** The key rotation mode for the authorization server. Can be `AUTO` or `MANUAL`. */
  rotationMode?: 'AUTO' | 'MANUAL' | (string & {})
  /** The timestamp when the authorization server started to use the `kid` for signing tokens. */
  lastRotated?: string
  /** The timestamp when the authorization server will change the key for signing tokens. Only returned when `rotationMode` is `AUTO`. */
  nextRotation?: string
  /** The ID of the key used for signing tokens issued by the authorization server. */
  kid?: string
  /** How the key is used: `sig`. */
  use?: string
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** The credentials of an authorization server. */
export interface AuthorizationServerCredentials {
  /** Keys used to sign tokens. */
  signing?: SigningCredentials
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** An authorization server, as the API returns it. */
export interface AuthorizationServer {
  /** ID of the authorization server, e.g. `ausain6z9zIedDCxB0h7`. */
  id: string
  /** The name of the authorization server. */
  name: string
  /** The description of the authorization server. */
  description?: string
  /** The recipients that the tokens are intended for; becomes the `aud` claim of access tokens (the reference's example shows a single string). */
  audiences: string[] | string
  /** The complete URL of the authorization server; becomes the `iss` claim of access tokens. */
  issuer?: string
  /** How the issuer URL is formed: `ORG_URL` or `CUSTOM_URL`. */
  issuerMode?: string
  /** Whether the authorization server is `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE' | (string & {})
  /** Timestamp when the authorization server was created. */
  created?: string
  /** Timestamp when the authorization server was last updated. */
  lastUpdated?: string
  /** Keys used to sign tokens. */
  credentials?: AuthorizationServerCredentials
  /** List of discoverable resources related to the authorization server. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

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

/** A signing key of an authorization server (a JSON Web Key), with its rotation status. */
export interface AuthorizationServerKey {
  /** Unique identifier for the certificate. */
  kid: string
  /** `ACTIVE` (signs tokens), `NEXT` (used after the next rotation) or `EXPIRED` (used before the last one). */
  status: 'ACTIVE' | 'NEXT' | 'EXPIRED' | (string & {})
  /** The algorithm used with the key: `RS256`. */
  alg?: string
  /** Cryptographic algorithm family for the certificate's key pair: `RSA`. */
  kty?: string
  /** How the key is used: `sig`. */
  use?: string
  /** RSA key value (exponent). */
  e?: string
  /** RSA key value (modulus). */
  n?: string
  /** List of discoverable resources related to the key. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

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
  /** Whether the grant is `ACTIVE`. */
  status?: string
  /** Where the grant comes from, e.g. `ADMIN`. */
  source?: string
  /** Timestamp when the grant was created. */
  created?: string
  /** Timestamp when the grant was last updated. */
  lastUpdated?: string
  /** List of discoverable resources related to the grant. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const signingCredentials = z.looseObject({
  rotationMode: z.optional(known('AUTO', 'MANUAL')),
  lastRotated: z.optional(timestamp),
  nextRotation: z.optional(timestamp),
  kid: z.optional(z.string()),
  use: z.optional(z.string()),
})

const authorizationServer = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  // The reference's example has a single string; the API sends an array.
  audiences: z.union([z.array(z.string()), z.string()]),
  issuer: z.optional(z.string()),
  issuerMode: z.optional(z.string()),
  status: z.optional(known('ACTIVE', 'INACTIVE')),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  credentials: z.optional(z.looseObject({ signing: z.optional(signingCredentials) })),
  _links: links,
})

const policy = z.looseObject({
  id: z.string(),
  type: z.optional(z.string()),
  name: z.string(),
  description: z.optional(z.string()),
  status: z.optional(known('ACTIVE', 'INACTIVE')),
  priority: z.optional(z.number()),
  system: z.optional(z.boolean()),
  conditions: z.optional(z.looseObject({ clients: z.optional(includeExclude) })),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  _links: links,
})

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
  status: z.optional(known('ACTIVE', 'INACTIVE')),
  priority: z.optional(z.number()),
  system: z.optional(z.boolean()),
  conditions: z.optional(ruleConditions),
  token: z.optional(ruleToken),
  actions: z.optional(z.looseObject({ token: z.optional(ruleToken) })),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  _links: links,
})

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

const claim = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.optional(known('ACTIVE', 'INACTIVE')),
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

const key = z.looseObject({
  kid: z.string(),
  status: known('ACTIVE', 'NEXT', 'EXPIRED'),
  alg: z.optional(z.string()),
  kty: z.optional(z.string()),
  use: z.optional(z.string()),
  e: z.optional(z.string()),
  n: z.optional(z.string()),
  _links: links,
})

const appGrant = z.looseObject({
  id: z.string(),
  issuer: z.string(),
  scopeId: z.string(),
  clientId: z.optional(z.string()),
  status: z.optional(z.string()),
  source: z.optional(z.string()),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  _links: links,
})

/** Schema of a link (an entry of `_links`). */
export const LinkSchema: z.ZodType<Link> = link
/** Schema of `_links`. */
export const LinksSchema: z.ZodType<Links> = linksRecord
/** Schema of the signing credentials of an authorization server. */
export const SigningCredentialsSchema: z.ZodType<SigningCredentials> = signingCredentials
/** Schema of an Authorization Server object. */
export const AuthorizationServerSchema: z.ZodType<AuthorizationServer> = authorizationServer
/** Schema of a Policy object. */
export const PolicySchema: z.ZodType<Policy> = policy
/** Schema of the conditions of a rule. */
export const RuleConditionsSchema: z.ZodType<RuleConditions> = ruleConditions
/** Schema of the token lifetimes of a rule. */
export const RuleTokenSchema: z.ZodType<RuleToken> = ruleToken
/** Schema of a policy Rule object. */
export const PolicyRuleSchema: z.ZodType<PolicyRule> = policyRule
/** Schema of a Scope object. */
export const ScopeSchema: z.ZodType<Scope> = scope
/** Schema of a Claim object. */
export const ClaimSchema: z.ZodType<Claim> = claim
/** Schema of an authorization server signing Key object. */
export const KeySchema: z.ZodType<AuthorizationServerKey> = key
/** Schema of an app grant (OAuth for Okta). */
export const AppGrantSchema: z.ZodType<AppGrant> = appGrant

// ---------------------------------------------------------------- requests

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

/** `credentials.signing` of create/update authorization server. */
export interface SigningCredentialsInput {
  /** The key rotation mode for the authorization server: `AUTO` or `MANUAL` (switching does not change the active key). */
  rotationMode?: 'AUTO' | 'MANUAL'
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** `credentials` of create/update authorization server. */
export interface AuthorizationServerCredentialsInput {
  /** The credentials signing object with the `rotationMode` of the authorization server. */
  signing?: SigningCredentialsInput
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** Body of create/update authorization server. */
export interface AuthorizationServerInput {
  /** The name of the authorization server. */
  name: string
  /** The description of the authorization server. */
  description?: string
  /** The recipients the tokens are intended for (Okta supports one); an audience containing `:` must be a valid URI. */
  audiences: string[]
  /** The credentials signing object with the `rotationMode` of the authorization server. */
  credentials?: AuthorizationServerCredentialsInput
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** `conditions` of create/update policy. */
export interface PolicyConditionsInput {
  /** Specifies which clients are included or excluded in the policy, e.g. `{ include: ['ALL_CLIENTS'] }`. */
  clients: IncludeExclude
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** Body of create/update policy. */
export interface PolicyInput {
  /** Indicates that the policy is an authorization server policy (`OAUTH_AUTHORIZATION_POLICY`). */
  type?: 'OAUTH_AUTHORIZATION_POLICY'
  /** Name of the policy. */
  name: string
  /** Description of the policy. */
  description: string
  /** Specifies whether requests have access to this policy: `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE'
  /** The order in which this policy is evaluated among the server's policies (1 first). */
  priority?: number
  /** Specifies the clients that the policy will be applied to. */
  conditions?: PolicyConditionsInput
  /** Other fields are sent as given. */
  [key: string]: unknown
}

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

/** Body of key rotation. */
export interface KeyRotationInput {
  /** Acceptable usage of the certificate. Can be only `sig`. */
  use?: 'sig'
}

/** Body of an app grant (OAuth for Okta). */
export interface AppGrantInput {
  /** The org authorization server the grant is for: the org URL, e.g. `https://example.okta.com`. */
  issuer: string
  /** The `okta.*` scope to grant, e.g. `okta.users.read`. */
  scopeId: string
  /** Other fields are sent as given. */
  [key: string]: unknown
}

const nonEmpty = z.string().min(1, 'must not be empty')

/**
 * RFC 3986 URI syntax: a scheme, then only URI characters, `%` only as
 * `%XX`. (WHATWG URL parsing alone also takes spaces, `|` or `%zz`.)
 */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/

/** An audience: any string, but one containing `:` must be a URI. */
const audience = nonEmpty.refine((a) => !a.includes(':') || (URI.test(a) && URL.canParse(a)), {
  message: 'an audience containing ":" must be a valid URI',
})

const authorizationServerInput = z.looseObject({
  name: nonEmpty,
  description: z.optional(z.string()),
  // "The list of audiences this Authorization Server can issue tokens to,
  // currently Okta only supports one audience."
  audiences: z
    .array(audience)
    .min(1, 'at least one audience is required')
    .max(1, 'Okta supports one audience per authorization server'),
  credentials: z.optional(
    z.looseObject({
      signing: z.optional(z.looseObject({ rotationMode: z.optional(z.enum(['AUTO', 'MANUAL'])) })),
    }),
  ),
})

const policyInput = z.looseObject({
  type: z.optional(z.literal('OAUTH_AUTHORIZATION_POLICY')),
  name: nonEmpty,
  description: z.string(),
  status: z.optional(z.enum(['ACTIVE', 'INACTIVE'])),
  priority: z.optional(z.int().min(1)),
  conditions: z.optional(z.looseObject({ clients: includeExclude })),
})

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
  status: z.optional(z.enum(['ACTIVE', 'INACTIVE'])),
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

const scopeInput = z.looseObject({
  name: nonEmpty.refine((n) => !/\s/.test(n), { message: 'a scope name has no whitespace' }),
  description: z.optional(z.string()),
  displayName: z.optional(z.string()),
  default: z.optional(z.boolean()),
  consent: z.optional(z.enum(['REQUIRED', 'IMPLICIT', 'FLEXIBLE'])),
  metadataPublish: z.optional(z.enum(['ALL_CLIENTS', 'NO_CLIENTS'])),
})

const claimInput = z
  .looseObject({
    name: nonEmpty,
    status: z.optional(z.enum(['ACTIVE', 'INACTIVE'])),
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

const keyRotationInput = z.strictObject({ use: z.optional(z.literal('sig')) })

const appGrantInput = z.looseObject({
  issuer: z.url(),
  scopeId: nonEmpty.refine((s) => s.startsWith('okta.'), {
    message: 'an app grant is for an okta.* scope',
  }),
})

/** Schema of the body of create/update authorization server. */
export const AuthorizationServerInputSchema: z.ZodType<AuthorizationServerInput> =
  authorizationServerInput
/** Schema of the body of create/update policy. */
export const PolicyInputSchema: z.ZodType<PolicyInput> = policyInput
/** Schema of token lifetimes in a rule, with the documented limits. */
export const RuleTokenInputSchema: z.ZodType<RuleTokenInput> = ruleTokenInput
/** Schema of the body of create/update rule. */
export const PolicyRuleInputSchema: z.ZodType<PolicyRuleInput> = policyRuleInput
/** Schema of the body of create/update scope. */
export const ScopeInputSchema: z.ZodType<ScopeInput> = scopeInput
/** Schema of the body of create/update claim. */
export const ClaimInputSchema: z.ZodType<ClaimInput> = claimInput
/** Schema of the body of key rotation: `use` can only be `sig`. */
export const KeyRotationInputSchema: z.ZodType<KeyRotationInput> = keyRotationInput
/** Schema of the body of an app grant. */
export const AppGrantInputSchema: z.ZodType<AppGrantInput> = appGrantInput

// The annotations above prove schema ⊆ interface; this proves the converse,
// and that both name the same properties at every depth (index signatures
// would otherwise let an optional property be missing on either side).
type Known<T> = T extends readonly (infer U)[]
  ? Known<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]-?: Known<Exclude<T[K], undefined>> }
    : T
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Same<A, B> = Mutual<A, B> extends true ? Mutual<Known<A>, Known<B>> : false
type Expect<T extends true> = T
/** @internal Compile-time only: every entry must be `true`. */
export type _Agreement = [
  Expect<Same<z.output<typeof link>, Link>>,
  Expect<Same<z.output<typeof linksRecord>, Links>>,
  Expect<Same<z.output<typeof includeExclude>, IncludeExclude>>,
  Expect<Same<z.output<typeof signingCredentials>, SigningCredentials>>,
  Expect<Same<z.output<typeof authorizationServer>, AuthorizationServer>>,
  Expect<Same<z.output<typeof policy>, Policy>>,
  Expect<Same<z.output<typeof people>, PeopleCondition>>,
  Expect<Same<z.output<typeof ruleConditions>, RuleConditions>>,
  Expect<Same<z.output<typeof ruleToken>, RuleToken>>,
  Expect<Same<z.output<typeof policyRule>, PolicyRule>>,
  Expect<Same<z.output<typeof scope>, Scope>>,
  Expect<Same<z.output<typeof claim>, Claim>>,
  Expect<Same<z.output<typeof key>, AuthorizationServerKey>>,
  Expect<Same<z.output<typeof appGrant>, AppGrant>>,
  Expect<Same<z.output<typeof authorizationServerInput>, AuthorizationServerInput>>,
  Expect<Same<z.input<typeof authorizationServerInput>, AuthorizationServerInput>>,
  Expect<Same<z.output<typeof policyInput>, PolicyInput>>,
  Expect<Same<z.input<typeof policyInput>, PolicyInput>>,
  Expect<Same<z.output<typeof ruleTokenInput>, RuleTokenInput>>,
  Expect<Same<z.input<typeof ruleTokenInput>, RuleTokenInput>>,
  Expect<Same<z.output<typeof policyRuleInput>, PolicyRuleInput>>,
  Expect<Same<z.input<typeof policyRuleInput>, PolicyRuleInput>>,
  Expect<Same<z.output<typeof scopeInput>, ScopeInput>>,
  Expect<Same<z.input<typeof scopeInput>, ScopeInput>>,
  Expect<Same<z.output<typeof claimInput>, ClaimInput>>,
  Expect<Same<z.input<typeof claimInput>, ClaimInput>>,
  Expect<Same<z.output<typeof keyRotationInput>, KeyRotationInput>>,
  Expect<Same<z.input<typeof keyRotationInput>, KeyRotationInput>>,
  Expect<Same<z.output<typeof appGrantInput>, AppGrantInput>>,
  Expect<Same<z.input<typeof appGrantInput>, AppGrantInput>>,
]
