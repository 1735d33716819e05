/**
 * `okta-oauth-kit/admin`: a typed client of the management API for
 * authorization servers, policies, rules, scopes, claims, signing keys,
 * clients and their refresh tokens, associated servers, resource-server
 * keys, and app grants and tokens, authenticated with an SSWS token or
 * scoped `okta.*` tokens.
 *
 * @module okta-oauth-kit/admin
 */
export * from '../errors.js'
export type { AppGrants } from './app-grants.js'
export type { AppTokens } from './app-tokens.js'
export type { AssociatedServers, ListAssociatedServersParams } from './associated-servers.js'
export type {
  AuthorizationServers,
  ListAuthorizationServersParams,
} from './authorization-servers.js'
export type { Claims } from './claims.js'
export { type AdminClient, type AdminRequestOptions, createAdminClient } from './client.js'
export type { Clients } from './clients.js'
export type { Keys, RotateAndWaitOptions, RotationResult } from './keys.js'
export {
  type AppGrant,
  type AppGrantInput,
  AppGrantInputSchema,
  AppGrantSchema,
} from './models/app-grant.js'
export {
  type AssociatedServersInput,
  AssociatedServersInputSchema,
} from './models/associated-servers.js'
export {
  type AuthorizationServer,
  type AuthorizationServerCredentials,
  type AuthorizationServerCredentialsInput,
  type AuthorizationServerInput,
  AuthorizationServerInputSchema,
  AuthorizationServerSchema,
  type SigningCredentials,
  type SigningCredentialsInput,
  SigningCredentialsSchema,
  type TokenEncryptionKey,
  type TokenEncryptionKeyInput,
  TokenEncryptionKeySchema,
  type TokenEncryptionKeySet,
  type TokenEncryptionKeySetInput,
} from './models/authorization-server.js'
export {
  type Claim,
  type ClaimBody,
  type ClaimConditions,
  type ClaimConditionsInput,
  type ClaimInput,
  ClaimInputSchema,
  ClaimSchema,
} from './models/claim.js'
export {
  type IncludeExclude,
  type IncludeExcludeInput,
  type Link,
  type LinkHints,
  LinkSchema,
  type Links,
  LinksSchema,
} from './models/common.js'
export {
  type AuthorizationServerKey,
  type KeyRotationInput,
  KeyRotationInputSchema,
  KeySchema,
} from './models/key.js'
export { type OAuth2Client, OAuth2ClientSchema } from './models/oauth2-client.js'
export {
  type Policy,
  type PolicyConditions,
  type PolicyConditionsInput,
  type PolicyInput,
  PolicyInputSchema,
  PolicySchema,
} from './models/policy.js'
export {
  type GrantType,
  type GrantTypesCondition,
  type GrantTypesConditionInput,
  type PeopleCondition,
  type PeopleConditionInput,
  type PolicyRule,
  type PolicyRuleBody,
  type PolicyRuleInput,
  PolicyRuleInputSchema,
  PolicyRuleSchema,
  type RuleActions,
  type RuleActionsInput,
  type RuleConditions,
  type RuleConditionsInput,
  RuleConditionsSchema,
  type RuleInlineHook,
  type RuleInlineHookInput,
  type RuleToken,
  type RuleTokenInput,
  RuleTokenInputSchema,
  RuleTokenSchema,
  type ScopeGrant,
  type ScopesCondition,
  type ScopesConditionInput,
} from './models/policy-rule.js'
export {
  type RefreshToken,
  type RefreshTokenEmbedded,
  RefreshTokenSchema,
  type RefreshTokenScope,
  RefreshTokenScopeSchema,
} from './models/refresh-token.js'
export {
  type ResourceServerKey,
  type ResourceServerKeyInput,
  ResourceServerKeyInputSchema,
  ResourceServerKeySchema,
} from './models/resource-server-key.js'
export {
  type Scope,
  type ScopeInput,
  ScopeInputSchema,
  ScopeSchema,
} from './models/scope.js'
export type {
  AdminAuth,
  AdminClientOptions,
  AdminRetryOptions,
  OAuthForOktaAuth,
  SswsAuth,
} from './options.js'
export type { Page, PagedList } from './paginate.js'
export type { Policies } from './policies.js'
export type { PolicyRules } from './policy-rules.js'
export type {
  ListRefreshTokensParams,
  RefreshTokenParams,
  RefreshTokens,
} from './refresh-tokens.js'
export type { ListParams } from './resource.js'
export type { ResourceServerKeys } from './resource-server-keys.js'
export type { ListScopesParams, Scopes } from './scopes.js'
export type { AdminTokenRequest, AdminTokenStore, SharedAdminToken } from './token-store.js'
