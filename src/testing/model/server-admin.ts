import { type AccessRequest, type AccessRule, matchAccessRule } from './access-policy.js'
import { type ClaimContext, tokenClaims } from './claims.js'
import type { Json } from './json.js'
import type {
  ClaimRecord,
  PolicyRecord,
  ResourceKeyRecord,
  ScopeRecord,
  Status,
} from './records.js'

/** @internal The management API's view of a custom authorization server. */
export class ServerAdmin {
  name: string
  description: string
  status: Status = 'ACTIVE'
  rotationMode: 'AUTO' | 'MANUAL' = 'AUTO'
  /** Which URL the issuer is (kept and answered; the emulator has no custom domain). */
  issuerMode: 'ORG_URL' | 'CUSTOM_URL' | 'DYNAMIC' = 'ORG_URL'
  /** Access-token encryption as set on the server (kept and answered; tokens are not encrypted). */
  accessTokenEncryptedResponseAlgorithm?: string | undefined
  /** The server's `jwks` (public RSA keys, `use: enc`). */
  jwks?: { keys: Json[] } | undefined
  /** The server's `jwks_uri`. */
  jwksUri?: string | undefined
  created: number
  lastUpdated: number
  lastRotated: number
  readonly policies = new Map<string, PolicyRecord>()
  readonly scopes = new Map<string, ScopeRecord>()
  readonly claims = new Map<string, ClaimRecord>()
  /** The ids of the servers this one trusts (associated servers). */
  readonly trusted = new Set<string>()
  /** The resource-server credential keys (token encryption) by id, in the order added. */
  readonly resourceKeys = new Map<string, ResourceKeyRecord>()

  constructor(name: string, description: string, now: number) {
    this.name = name
    this.description = description
    this.created = now
    this.lastUpdated = now
    this.lastRotated = now
  }

  /** The custom claims of a token of this server; see {@link tokenClaims}. */
  tokenClaims(kind: 'RESOURCE' | 'IDENTITY', ctx: ClaimContext): Json {
    return tokenClaims(this.claims.values(), kind, ctx)
  }

  /** The access rule a token request matches on this server; see {@link matchAccessRule}. */
  accessRule(request: AccessRequest): AccessRule | undefined {
    return matchAccessRule(this.policies.values(), request)
  }
}
