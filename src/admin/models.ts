import { z } from 'zod'

// Responses: every object is a `looseObject`, so fields the API adds later are
// kept, not dropped. Enums the API may extend are typed as known values plus
// `string`. Requests: validated before sending, with the documented limits.

const known = <T extends string>(...values: [T, ...T[]]) =>
  z.union([z.enum(values), z.string()]) as unknown as z.ZodType<T | (string & {})>

const timestamp = z.string()

const link = z.looseObject({
  href: z.string(),
  hints: z.optional(z.looseObject({ allow: z.optional(z.array(z.string())) })),
})

/** `_links` of a resource: named links (some are lists). */
const links = z.optional(z.record(z.string(), z.union([link, z.array(link)])))

/** Schema of the signing credentials of an authorization server. */
export const SigningCredentialsSchema = z.looseObject({
  rotationMode: z.optional(known('AUTO', 'MANUAL')),
  lastRotated: z.optional(timestamp),
  nextRotation: z.optional(timestamp),
  kid: z.optional(z.string()),
  use: z.optional(z.string()),
})

/** Schema of an Authorization Server object. */
export const AuthorizationServerSchema = z.looseObject({
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
  credentials: z.optional(z.looseObject({ signing: z.optional(SigningCredentialsSchema) })),
  _links: links,
})

const includeExclude = z.looseObject({
  include: z.optional(z.array(z.string())),
  exclude: z.optional(z.array(z.string())),
})

/** Schema of a Policy object. */
export const PolicySchema = z.looseObject({
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

/** Schema of the conditions of a rule. */
export const RuleConditionsSchema = z.looseObject({
  people: z.optional(
    z.looseObject({ users: z.optional(includeExclude), groups: z.optional(includeExclude) }),
  ),
  grantTypes: z.optional(z.looseObject({ include: z.optional(z.array(z.string())) })),
  scopes: z.optional(z.looseObject({ include: z.optional(z.array(scopeGrant)) })),
})

/** Schema of the token lifetimes of a rule. */
export const RuleTokenSchema = z.looseObject({
  accessTokenLifetimeMinutes: z.optional(z.number()),
  refreshTokenLifetimeMinutes: z.optional(z.number()),
  refreshTokenWindowMinutes: z.optional(z.number()),
})

/** Schema of a policy Rule object. */
export const PolicyRuleSchema = z.looseObject({
  id: z.string(),
  type: z.optional(z.string()),
  name: z.string(),
  status: z.optional(known('ACTIVE', 'INACTIVE')),
  priority: z.optional(z.number()),
  system: z.optional(z.boolean()),
  conditions: z.optional(RuleConditionsSchema),
  token: z.optional(RuleTokenSchema),
  actions: z.optional(z.looseObject({ token: z.optional(RuleTokenSchema) })),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  _links: links,
})

/** Schema of a Scope object. */
export const ScopeSchema = z.looseObject({
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

/** Schema of a Claim object. */
export const ClaimSchema = z.looseObject({
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

/** Schema of an authorization server signing Key object. */
export const KeySchema = z.looseObject({
  kid: z.string(),
  status: known('ACTIVE', 'NEXT', 'EXPIRED'),
  alg: z.optional(z.string()),
  kty: z.optional(z.string()),
  use: z.optional(z.string()),
  e: z.optional(z.string()),
  n: z.optional(z.string()),
  _links: links,
})

/** Schema of an app grant (OAuth for Okta). */
export const AppGrantSchema = z.looseObject({
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

/** An authorization server, as the API returns it. */
export type AuthorizationServer = z.infer<typeof AuthorizationServerSchema>
/** An authorization server policy. */
export type Policy = z.infer<typeof PolicySchema>
/** A rule of a policy. */
export type PolicyRule = z.infer<typeof PolicyRuleSchema>
/** A custom scope of an authorization server. */
export type Scope = z.infer<typeof ScopeSchema>
/** A custom claim of an authorization server. */
export type Claim = z.infer<typeof ClaimSchema>
/** A signing key of an authorization server, with its rotation status. */
export type AuthorizationServerKey = z.infer<typeof KeySchema>
/** A scope granted to an app (OAuth for Okta). */
export type AppGrant = z.infer<typeof AppGrantSchema>

// ---------------------------------------------------------------- requests

const nonEmpty = z.string().min(1, 'must not be empty')

/** An audience: any string, but one containing `:` must be a URI. */
const audience = nonEmpty.refine((a) => !a.includes(':') || URL.canParse(a), {
  message: 'an audience containing ":" must be a valid URI',
})

/** Schema of the body of create/update authorization server. */
export const AuthorizationServerInputSchema = z.looseObject({
  name: nonEmpty,
  description: z.optional(z.string()),
  audiences: z.array(audience).min(1, 'at least one audience is required'),
  credentials: z.optional(
    z.looseObject({
      signing: z.optional(z.looseObject({ rotationMode: z.optional(z.enum(['AUTO', 'MANUAL'])) })),
    }),
  ),
})

/** Schema of the body of create/update policy. */
export const PolicyInputSchema = z.looseObject({
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
] as const

const DAY = 24 * 60

/** Schema of token lifetimes in a rule, with the documented limits. */
export const RuleTokenInputSchema = z
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
    (t) =>
      t.refreshTokenLifetimeMinutes === undefined ||
      t.refreshTokenLifetimeMinutes === 0 ||
      t.refreshTokenLifetimeMinutes >= (t.accessTokenLifetimeMinutes ?? 60),
    {
      message: 'refresh token lifetime must be 0 (unlimited) or at least the access token lifetime',
      path: ['refreshTokenLifetimeMinutes'],
    },
  )

/** Schema of the body of create/update rule. */
export const PolicyRuleInputSchema = z.looseObject({
  type: z.optional(z.literal('RESOURCE_ACCESS')),
  name: nonEmpty,
  status: z.optional(z.enum(['ACTIVE', 'INACTIVE'])),
  priority: z.optional(z.int().min(1)),
  conditions: z.looseObject({
    people: z.optional(
      z.looseObject({ users: z.optional(includeExclude), groups: z.optional(includeExclude) }),
    ),
    grantTypes: z.optional(z.looseObject({ include: z.array(z.enum(GRANT_TYPES)).min(1) })),
    scopes: z.optional(z.looseObject({ include: z.array(scopeGrant).min(1) })),
  }),
  token: z.optional(RuleTokenInputSchema),
  actions: z.optional(z.looseObject({ token: z.optional(RuleTokenInputSchema) })),
})

/** Schema of the body of create/update scope. */
export const ScopeInputSchema = z.looseObject({
  name: nonEmpty.refine((n) => !/\s/.test(n), { message: 'a scope name has no whitespace' }),
  description: z.optional(z.string()),
  displayName: z.optional(z.string()),
  default: z.optional(z.boolean()),
  consent: z.optional(z.enum(['REQUIRED', 'IMPLICIT', 'FLEXIBLE'])),
  metadataPublish: z.optional(z.enum(['ALL_CLIENTS', 'NO_CLIENTS'])),
})

/** Schema of the body of create/update claim. */
export const ClaimInputSchema = z
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

/** Schema of the body of key rotation: `use` can only be `sig`. */
export const KeyRotationInputSchema = z.strictObject({ use: z.optional(z.literal('sig')) })

/** Schema of the body of an app grant. */
export const AppGrantInputSchema = z.looseObject({
  issuer: z.url(),
  scopeId: nonEmpty.refine((s) => s.startsWith('okta.'), {
    message: 'an app grant is for an okta.* scope',
  }),
})

/** Body of create/update authorization server. */
export type AuthorizationServerInput = z.input<typeof AuthorizationServerInputSchema>
/** Body of create/update policy. */
export type PolicyInput = z.input<typeof PolicyInputSchema>
/** Body of create/update rule. */
export type PolicyRuleInput = z.input<typeof PolicyRuleInputSchema>
/** Body of create/update scope. */
export type ScopeInput = z.input<typeof ScopeInputSchema>
/** Body of create/update claim. */
export type ClaimInput = z.input<typeof ClaimInputSchema>
/** Body of key rotation. */
export type KeyRotationInput = z.input<typeof KeyRotationInputSchema>
/** Body of an app grant. */
export type AppGrantInput = z.input<typeof AppGrantInputSchema>
