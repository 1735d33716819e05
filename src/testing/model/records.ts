import type { Json } from './json.js'

// The management API's records: what a custom authorization server's
// policies, rules, scopes and claims hold, and an app's grants (the
// management routes build the wire shapes from them).

/** @internal The status of a server, policy, rule or claim. */
export type Status = 'ACTIVE' | 'INACTIVE'

/** @internal What every record has: an id and its timestamps (epoch seconds). */
export interface Stamped {
  id: string
  created: number
  lastUpdated: number
}

/** @internal The token lifetimes an access policy rule sets, as the API spells them. */
export interface TokenLifetimes {
  accessTokenLifetimeMinutes: number
  refreshTokenLifetimeMinutes: number
  refreshTokenWindowMinutes: number
}

/** @internal An access policy rule. */
export interface RuleRecord extends Stamped {
  name: string
  status: Status
  priority: number
  conditions: Json
  token: TokenLifetimes
  /** `actions.token.inlineHook`: the token inline hook's id (kept, never called). */
  inlineHook?: { id: string } | undefined
  /**
   * The emulator's built-in default rule: tokens keep the org's configured
   * lifetimes (`tokenLifetime`, `refreshTokenLifetime`) until the rule is
   * updated through the API.
   */
  inherit?: boolean
}

/** @internal An access policy, with its rules by id. */
export interface PolicyRecord extends Stamped {
  name: string
  /** Optional in today's API. */
  description?: string
  status: Status
  priority: number
  clients: { include: string[]; exclude?: string[] }
  rules: Map<string, RuleRecord>
}

/** @internal A scope of a server (system scopes included). */
export interface ScopeRecord extends Stamped {
  name: string
  description?: string
  displayName?: string
  system: boolean
  default: boolean
  consent: string
  metadataPublish: string
  /** Whether the user may skip consent for the scope (`false` when absent). */
  optional?: boolean
}

/** @internal A custom claim of a server. */
export interface ClaimRecord extends Stamped {
  name: string
  status: Status
  claimType: 'RESOURCE' | 'IDENTITY'
  valueType: 'EXPRESSION' | 'GROUPS'
  value: string
  groupFilterType?: string
  alwaysIncludeInToken: boolean
  scopes: string[]
}

/** @internal A grant of an `okta.*` scope to an app (OAuth for Okta). */
export interface GrantRecord extends Stamped {
  issuer: string
  scopeId: string
  clientId: string
}

/**
 * @internal A public key of a server's resource-server credentials, for
 * encrypting the tokens it mints (RSA, `use: enc`).
 */
export interface ResourceKeyRecord extends Stamped {
  /** `null` when added without one. */
  kid: string | null
  kty: string
  use: string
  e: string
  n: string
  status: Status
}
