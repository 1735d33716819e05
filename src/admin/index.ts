/**
 * `okta-oauth-kit/admin`: a typed client of the management API for
 * authorization servers, policies, rules, scopes, claims, signing keys and
 * app grants, authenticated with an SSWS token or scoped `okta.*` tokens.
 *
 * @module okta-oauth-kit/admin
 */
export * from '../errors.js'
export type { AppGrants } from './app-grants.js'
export type {
  AuthorizationServers,
  ListAuthorizationServersParams,
} from './authorization-servers.js'
export type { Claims } from './claims.js'
export { type AdminClient, type AdminRequestOptions, createAdminClient } from './client.js'
export type { Keys, RotateAndWaitOptions, RotationResult } from './keys.js'
export {
  type AppGrant,
  type AppGrantInput,
  AppGrantInputSchema,
  AppGrantSchema,
  type AuthorizationServer,
  type AuthorizationServerInput,
  AuthorizationServerInputSchema,
  type AuthorizationServerKey,
  AuthorizationServerSchema,
  type Claim,
  type ClaimInput,
  ClaimInputSchema,
  ClaimSchema,
  type KeyRotationInput,
  KeyRotationInputSchema,
  KeySchema,
  type Policy,
  type PolicyInput,
  PolicyInputSchema,
  type PolicyRule,
  type PolicyRuleInput,
  PolicyRuleInputSchema,
  PolicyRuleSchema,
  PolicySchema,
  RuleConditionsSchema,
  RuleTokenInputSchema,
  RuleTokenSchema,
  type Scope,
  type ScopeInput,
  ScopeInputSchema,
  ScopeSchema,
  SigningCredentialsSchema,
} from './models.js'
export type { Page, PagedList } from './paginate.js'
export type { Policies } from './policies.js'
export type { PolicyRules } from './policy-rules.js'
export type { ListParams } from './resource.js'
export type { ListScopesParams, Scopes } from './scopes.js'
export type {
  AdminAuth,
  AdminClientOptions,
  AdminRetryOptions,
  OAuthForOktaAuth,
  SswsAuth,
} from './transport.js'
