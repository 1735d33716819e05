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
  type AuthorizationServerCredentials,
  type AuthorizationServerCredentialsInput,
  type AuthorizationServerInput,
  AuthorizationServerInputSchema,
  type AuthorizationServerKey,
  AuthorizationServerSchema,
  type Claim,
  type ClaimConditions,
  type ClaimConditionsInput,
  type ClaimInput,
  ClaimInputSchema,
  ClaimSchema,
  type GrantType,
  type GrantTypesCondition,
  type GrantTypesConditionInput,
  type IncludeExclude,
  type KeyRotationInput,
  KeyRotationInputSchema,
  KeySchema,
  type Link,
  type LinkHints,
  LinkSchema,
  type Links,
  LinksSchema,
  type PeopleCondition,
  type Policy,
  type PolicyConditions,
  type PolicyConditionsInput,
  type PolicyInput,
  PolicyInputSchema,
  type PolicyRule,
  type PolicyRuleInput,
  PolicyRuleInputSchema,
  PolicyRuleSchema,
  PolicySchema,
  type RuleActions,
  type RuleActionsInput,
  type RuleConditions,
  type RuleConditionsInput,
  RuleConditionsSchema,
  type RuleToken,
  type RuleTokenInput,
  RuleTokenInputSchema,
  RuleTokenSchema,
  type Scope,
  type ScopeGrant,
  type ScopeInput,
  ScopeInputSchema,
  ScopeSchema,
  type ScopesCondition,
  type ScopesConditionInput,
  type SigningCredentials,
  type SigningCredentialsInput,
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
