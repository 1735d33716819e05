/**
 * The 56 operations of today's authorization-server API (management.yaml,
 * Okta Admin Management API 5.1.0), each with the admin client's method
 * that performs it and a call of that method: the table coverage.test.ts
 * checks against the spec's list, the client and the README.
 */
import type { AdminClient } from '../../../src/admin/index.js'
import {
  CREATE_CLAIM_BODY,
  CREATE_POLICY_BODY,
  CREATE_SCOPE_BODY,
  CREATE_SERVER_BODY,
  GRANT_BODY,
  RULE_BODY,
} from './fixtures.js'

/** The path parameters of the spec, each with its own value. */
export const ID = {
  appId: '0oaApp000000000001',
  grantId: 'oagGrant0000000001',
  tokenId: 'oarToken0000000001',
  authServerId: 'ausServer000000001',
  associatedServerId: 'ausOther0000000001',
  claimId: 'oclClaim0000000001',
  clientId: '0oaClient000000001',
  keyId: 'keyId0000000000001',
  policyId: '00pPolicy000000001',
  ruleId: '0prRule00000000001',
  scopeId: 'scpScope0000000001',
}
export type Ids = typeof ID

/** A 2048-bit modulus (base64url) for the add-key body. */
const N = 'x'.repeat(342)

export interface SpecOperation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  operationId: string
  /** `resource.method` of the admin client, as the README's table names it. */
  sdk: string
  /** The scope the spec requires. */
  scope: string
  /**
   * The scope the client asks for until the app-grant scopes change to
   * `okta.appGrants.*` (issue 15's divergences, fixed on another branch).
   */
  legacyScope?: string
  call: (admin: AdminClient, id: Ids) => Promise<unknown>
}

const R = 'okta.authorizationServers.read'
const M = 'okta.authorizationServers.manage'
const AS = '/api/v1/authorizationServers/{authServerId}'

export const OPERATIONS: SpecOperation[] = [
  // App grants and tokens.
  {
    method: 'GET',
    path: '/api/v1/apps/{appId}/grants',
    operationId: 'listScopeConsentGrants',
    sdk: 'appGrants.list',
    scope: 'okta.appGrants.read',
    legacyScope: 'okta.apps.read',
    call: (a, id) => a.appGrants.list(id.appId).all(),
  },
  {
    method: 'POST',
    path: '/api/v1/apps/{appId}/grants',
    operationId: 'grantConsentToScope',
    sdk: 'appGrants.grant',
    scope: 'okta.appGrants.manage',
    legacyScope: 'okta.apps.manage',
    call: (a, id) => a.appGrants.grant(id.appId, GRANT_BODY),
  },
  {
    method: 'GET',
    path: '/api/v1/apps/{appId}/grants/{grantId}',
    operationId: 'getScopeConsentGrant',
    sdk: 'appGrants.get',
    scope: 'okta.appGrants.read',
    legacyScope: 'okta.apps.read',
    call: (a, id) => a.appGrants.get(id.appId, id.grantId),
  },
  {
    method: 'DELETE',
    path: '/api/v1/apps/{appId}/grants/{grantId}',
    operationId: 'revokeScopeConsentGrant',
    sdk: 'appGrants.revoke',
    scope: 'okta.appGrants.manage',
    legacyScope: 'okta.apps.manage',
    call: (a, id) => a.appGrants.revoke(id.appId, id.grantId),
  },
  {
    method: 'GET',
    path: '/api/v1/apps/{appId}/tokens',
    operationId: 'listOAuth2TokensForApplication',
    sdk: 'appTokens.list',
    scope: 'okta.apps.read',
    call: (a, id) => a.appTokens.list(id.appId).all(),
  },
  {
    method: 'DELETE',
    path: '/api/v1/apps/{appId}/tokens',
    operationId: 'revokeOAuth2TokensForApplication',
    sdk: 'appTokens.revokeAll',
    scope: 'okta.apps.manage',
    call: (a, id) => a.appTokens.revokeAll(id.appId),
  },
  {
    method: 'GET',
    path: '/api/v1/apps/{appId}/tokens/{tokenId}',
    operationId: 'getOAuth2TokenForApplication',
    sdk: 'appTokens.get',
    scope: 'okta.apps.read',
    call: (a, id) => a.appTokens.get(id.appId, id.tokenId),
  },
  {
    method: 'DELETE',
    path: '/api/v1/apps/{appId}/tokens/{tokenId}',
    operationId: 'revokeOAuth2TokenForApplication',
    sdk: 'appTokens.revoke',
    scope: 'okta.apps.manage',
    call: (a, id) => a.appTokens.revoke(id.appId, id.tokenId),
  },
  // Authorization servers.
  {
    method: 'GET',
    path: '/api/v1/authorizationServers',
    operationId: 'listAuthorizationServers',
    sdk: 'authorizationServers.list',
    scope: R,
    call: (a) => a.authorizationServers.list().all(),
  },
  {
    method: 'POST',
    path: '/api/v1/authorizationServers',
    operationId: 'createAuthorizationServer',
    sdk: 'authorizationServers.create',
    scope: M,
    call: (a) => a.authorizationServers.create(CREATE_SERVER_BODY),
  },
  {
    method: 'GET',
    path: AS,
    operationId: 'getAuthorizationServer',
    sdk: 'authorizationServers.get',
    scope: R,
    call: (a, id) => a.authorizationServers.get(id.authServerId),
  },
  {
    method: 'PUT',
    path: AS,
    operationId: 'replaceAuthorizationServer',
    sdk: 'authorizationServers.update',
    scope: M,
    call: (a, id) => a.authorizationServers.update(id.authServerId, CREATE_SERVER_BODY),
  },
  {
    method: 'DELETE',
    path: AS,
    operationId: 'deleteAuthorizationServer',
    sdk: 'authorizationServers.delete',
    scope: M,
    call: (a, id) => a.authorizationServers.delete(id.authServerId),
  },
  // Associated servers.
  {
    method: 'GET',
    path: `${AS}/associatedServers`,
    operationId: 'listAssociatedServersByTrustedType',
    sdk: 'associatedServers.list',
    scope: R,
    call: (a, id) => a.associatedServers.list(id.authServerId, { trusted: true }).all(),
  },
  {
    method: 'POST',
    path: `${AS}/associatedServers`,
    operationId: 'createAssociatedServers',
    sdk: 'associatedServers.create',
    scope: M,
    call: (a, id) =>
      a.associatedServers.create(id.authServerId, { trusted: [ID.associatedServerId] }),
  },
  {
    method: 'DELETE',
    path: `${AS}/associatedServers/{associatedServerId}`,
    operationId: 'deleteAssociatedServer',
    sdk: 'associatedServers.delete',
    scope: M,
    call: (a, id) => a.associatedServers.delete(id.authServerId, id.associatedServerId),
  },
  // Claims.
  {
    method: 'GET',
    path: `${AS}/claims`,
    operationId: 'listOAuth2Claims',
    sdk: 'claims.list',
    scope: R,
    call: (a, id) => a.claims.list(id.authServerId).all(),
  },
  {
    method: 'POST',
    path: `${AS}/claims`,
    operationId: 'createOAuth2Claim',
    sdk: 'claims.create',
    scope: M,
    call: (a, id) => a.claims.create(id.authServerId, CREATE_CLAIM_BODY),
  },
  {
    method: 'GET',
    path: `${AS}/claims/{claimId}`,
    operationId: 'getOAuth2Claim',
    sdk: 'claims.get',
    scope: R,
    call: (a, id) => a.claims.get(id.authServerId, id.claimId),
  },
  {
    method: 'PUT',
    path: `${AS}/claims/{claimId}`,
    operationId: 'replaceOAuth2Claim',
    sdk: 'claims.update',
    scope: M,
    call: (a, id) => a.claims.update(id.authServerId, id.claimId, CREATE_CLAIM_BODY),
  },
  {
    method: 'DELETE',
    path: `${AS}/claims/{claimId}`,
    operationId: 'deleteOAuth2Claim',
    sdk: 'claims.delete',
    scope: M,
    call: (a, id) => a.claims.delete(id.authServerId, id.claimId),
  },
  // Clients and their refresh tokens.
  {
    method: 'GET',
    path: `${AS}/clients`,
    operationId: 'listOAuth2ClientsForAuthorizationServer',
    sdk: 'clients.list',
    scope: R,
    call: (a, id) => a.clients.list(id.authServerId).all(),
  },
  {
    method: 'GET',
    path: `${AS}/clients/{clientId}/tokens`,
    operationId: 'listRefreshTokensForAuthorizationServerAndClient',
    sdk: 'refreshTokens.list',
    scope: R,
    call: (a, id) => a.refreshTokens.list(id.authServerId, id.clientId).all(),
  },
  {
    method: 'DELETE',
    path: `${AS}/clients/{clientId}/tokens`,
    operationId: 'revokeRefreshTokensForAuthorizationServerAndClient',
    sdk: 'refreshTokens.revokeAll',
    scope: M,
    call: (a, id) => a.refreshTokens.revokeAll(id.authServerId, id.clientId),
  },
  {
    method: 'GET',
    path: `${AS}/clients/{clientId}/tokens/{tokenId}`,
    operationId: 'getRefreshTokenForAuthorizationServerAndClient',
    sdk: 'refreshTokens.get',
    scope: R,
    call: (a, id) => a.refreshTokens.get(id.authServerId, id.clientId, id.tokenId),
  },
  {
    method: 'DELETE',
    path: `${AS}/clients/{clientId}/tokens/{tokenId}`,
    operationId: 'revokeRefreshTokenForAuthorizationServerAndClient',
    sdk: 'refreshTokens.revoke',
    scope: M,
    call: (a, id) => a.refreshTokens.revoke(id.authServerId, id.clientId, id.tokenId),
  },
  // Signing keys and the server's lifecycle.
  {
    method: 'GET',
    path: `${AS}/credentials/keys`,
    operationId: 'listAuthorizationServerKeys',
    sdk: 'keys.list',
    scope: R,
    call: (a, id) => a.keys.list(id.authServerId),
  },
  {
    method: 'GET',
    path: `${AS}/credentials/keys/{keyId}`,
    operationId: 'getAuthorizationServerKey',
    sdk: 'keys.get',
    scope: R,
    call: (a, id) => a.keys.get(id.authServerId, id.keyId),
  },
  {
    method: 'POST',
    path: `${AS}/credentials/lifecycle/keyRotate`,
    operationId: 'rotateAuthorizationServerKeys',
    sdk: 'keys.rotate',
    scope: M,
    call: (a, id) => a.keys.rotate(id.authServerId),
  },
  {
    method: 'POST',
    path: `${AS}/lifecycle/activate`,
    operationId: 'activateAuthorizationServer',
    sdk: 'authorizationServers.activate',
    scope: M,
    call: (a, id) => a.authorizationServers.activate(id.authServerId),
  },
  {
    method: 'POST',
    path: `${AS}/lifecycle/deactivate`,
    operationId: 'deactivateAuthorizationServer',
    sdk: 'authorizationServers.deactivate',
    scope: M,
    call: (a, id) => a.authorizationServers.deactivate(id.authServerId),
  },
  // Policies and rules.
  {
    method: 'GET',
    path: `${AS}/policies`,
    operationId: 'listAuthorizationServerPolicies',
    sdk: 'policies.list',
    scope: R,
    call: (a, id) => a.policies.list(id.authServerId).all(),
  },
  {
    method: 'POST',
    path: `${AS}/policies`,
    operationId: 'createAuthorizationServerPolicy',
    sdk: 'policies.create',
    scope: M,
    call: (a, id) => a.policies.create(id.authServerId, CREATE_POLICY_BODY),
  },
  {
    method: 'GET',
    path: `${AS}/policies/{policyId}`,
    operationId: 'getAuthorizationServerPolicy',
    sdk: 'policies.get',
    scope: R,
    call: (a, id) => a.policies.get(id.authServerId, id.policyId),
  },
  {
    method: 'PUT',
    path: `${AS}/policies/{policyId}`,
    operationId: 'replaceAuthorizationServerPolicy',
    sdk: 'policies.update',
    scope: M,
    call: (a, id) => a.policies.update(id.authServerId, id.policyId, CREATE_POLICY_BODY),
  },
  {
    method: 'DELETE',
    path: `${AS}/policies/{policyId}`,
    operationId: 'deleteAuthorizationServerPolicy',
    sdk: 'policies.delete',
    scope: M,
    call: (a, id) => a.policies.delete(id.authServerId, id.policyId),
  },
  {
    method: 'POST',
    path: `${AS}/policies/{policyId}/lifecycle/activate`,
    operationId: 'activateAuthorizationServerPolicy',
    sdk: 'policies.activate',
    scope: M,
    call: (a, id) => a.policies.activate(id.authServerId, id.policyId),
  },
  {
    method: 'POST',
    path: `${AS}/policies/{policyId}/lifecycle/deactivate`,
    operationId: 'deactivateAuthorizationServerPolicy',
    sdk: 'policies.deactivate',
    scope: M,
    call: (a, id) => a.policies.deactivate(id.authServerId, id.policyId),
  },
  {
    method: 'GET',
    path: `${AS}/policies/{policyId}/rules`,
    operationId: 'listAuthorizationServerPolicyRules',
    sdk: 'policyRules.list',
    scope: R,
    call: (a, id) => a.policyRules.list(id.authServerId, id.policyId).all(),
  },
  {
    method: 'POST',
    path: `${AS}/policies/{policyId}/rules`,
    operationId: 'createAuthorizationServerPolicyRule',
    sdk: 'policyRules.create',
    scope: M,
    call: (a, id) => a.policyRules.create(id.authServerId, id.policyId, RULE_BODY),
  },
  {
    method: 'GET',
    path: `${AS}/policies/{policyId}/rules/{ruleId}`,
    operationId: 'getAuthorizationServerPolicyRule',
    sdk: 'policyRules.get',
    scope: R,
    call: (a, id) => a.policyRules.get(id.authServerId, id.policyId, id.ruleId),
  },
  {
    method: 'PUT',
    path: `${AS}/policies/{policyId}/rules/{ruleId}`,
    operationId: 'replaceAuthorizationServerPolicyRule',
    sdk: 'policyRules.update',
    scope: M,
    call: (a, id) => a.policyRules.update(id.authServerId, id.policyId, id.ruleId, RULE_BODY),
  },
  {
    method: 'DELETE',
    path: `${AS}/policies/{policyId}/rules/{ruleId}`,
    operationId: 'deleteAuthorizationServerPolicyRule',
    sdk: 'policyRules.delete',
    scope: M,
    call: (a, id) => a.policyRules.delete(id.authServerId, id.policyId, id.ruleId),
  },
  {
    method: 'POST',
    path: `${AS}/policies/{policyId}/rules/{ruleId}/lifecycle/activate`,
    operationId: 'activateAuthorizationServerPolicyRule',
    sdk: 'policyRules.activate',
    scope: M,
    call: (a, id) => a.policyRules.activate(id.authServerId, id.policyId, id.ruleId),
  },
  {
    method: 'POST',
    path: `${AS}/policies/{policyId}/rules/{ruleId}/lifecycle/deactivate`,
    operationId: 'deactivateAuthorizationServerPolicyRule',
    sdk: 'policyRules.deactivate',
    scope: M,
    call: (a, id) => a.policyRules.deactivate(id.authServerId, id.policyId, id.ruleId),
  },
  // Resource-server credential keys.
  {
    method: 'GET',
    path: `${AS}/resourceservercredentials/keys`,
    operationId: 'listOAuth2ResourceServerJsonWebKeys',
    sdk: 'resourceServerKeys.list',
    scope: R,
    call: (a, id) => a.resourceServerKeys.list(id.authServerId).all(),
  },
  {
    method: 'POST',
    path: `${AS}/resourceservercredentials/keys`,
    operationId: 'addOAuth2ResourceServerJsonWebKey',
    sdk: 'resourceServerKeys.add',
    scope: M,
    call: (a, id) => a.resourceServerKeys.add(id.authServerId, { kty: 'RSA', e: 'AQAB', n: N }),
  },
  {
    method: 'GET',
    path: `${AS}/resourceservercredentials/keys/{keyId}`,
    operationId: 'getOAuth2ResourceServerJsonWebKey',
    sdk: 'resourceServerKeys.get',
    scope: R,
    call: (a, id) => a.resourceServerKeys.get(id.authServerId, id.keyId),
  },
  {
    method: 'DELETE',
    path: `${AS}/resourceservercredentials/keys/{keyId}`,
    operationId: 'deleteOAuth2ResourceServerJsonWebKey',
    sdk: 'resourceServerKeys.delete',
    scope: M,
    call: (a, id) => a.resourceServerKeys.delete(id.authServerId, id.keyId),
  },
  {
    method: 'POST',
    path: `${AS}/resourceservercredentials/keys/{keyId}/lifecycle/activate`,
    operationId: 'activateOAuth2ResourceServerJsonWebKey',
    sdk: 'resourceServerKeys.activate',
    scope: M,
    call: (a, id) => a.resourceServerKeys.activate(id.authServerId, id.keyId),
  },
  {
    method: 'POST',
    path: `${AS}/resourceservercredentials/keys/{keyId}/lifecycle/deactivate`,
    operationId: 'deactivateOAuth2ResourceServerJsonWebKey',
    sdk: 'resourceServerKeys.deactivate',
    scope: M,
    call: (a, id) => a.resourceServerKeys.deactivate(id.authServerId, id.keyId),
  },
  // Scopes.
  {
    method: 'GET',
    path: `${AS}/scopes`,
    operationId: 'listOAuth2Scopes',
    sdk: 'scopes.list',
    scope: R,
    call: (a, id) => a.scopes.list(id.authServerId).all(),
  },
  {
    method: 'POST',
    path: `${AS}/scopes`,
    operationId: 'createOAuth2Scope',
    sdk: 'scopes.create',
    scope: M,
    call: (a, id) => a.scopes.create(id.authServerId, CREATE_SCOPE_BODY),
  },
  {
    method: 'GET',
    path: `${AS}/scopes/{scopeId}`,
    operationId: 'getOAuth2Scope',
    sdk: 'scopes.get',
    scope: R,
    call: (a, id) => a.scopes.get(id.authServerId, id.scopeId),
  },
  {
    method: 'PUT',
    path: `${AS}/scopes/{scopeId}`,
    operationId: 'replaceOAuth2Scope',
    sdk: 'scopes.update',
    scope: M,
    call: (a, id) => a.scopes.update(id.authServerId, id.scopeId, CREATE_SCOPE_BODY),
  },
  {
    method: 'DELETE',
    path: `${AS}/scopes/{scopeId}`,
    operationId: 'deleteOAuth2Scope',
    sdk: 'scopes.delete',
    scope: M,
    call: (a, id) => a.scopes.delete(id.authServerId, id.scopeId),
  },
]
