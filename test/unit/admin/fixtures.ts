// Bodies from the reference (/work/shared/reference/oauth2-api.md, "Authorization
// Server Operations" through "OAuth 2.0 Data Model"), with `${org}` replaced by
// the test org. Where the reference's JSON is malformed (missing braces or
// commas in the rule and claim examples) the evident intent is used.

import type { PolicyRuleInput } from '../../../src/admin/index.js'
import { ORG } from './helpers.js'

export const SERVER_ID = 'ausain6z9zIedDCxB0h7'
export const POLICY_ID = '00palyaappA22DPkj0h7'
export const RULE_ID = '0pr5m9xrrBffPd9ah0g4'
export const SCOPE_ID = 'scpainazg3Ekay92V0h7'
export const CLAIM_ID = 'oclain6za1HQ0noop0h7'
export const APP_ID = '0oa1serviceapp'
export const GRANT_ID = 'oag3ih1zrm1cBFOiq0h6'

const links = (path: string, allow: string[]) => ({
  self: { href: `${ORG}/api/v1/${path}`, hints: { allow } },
})

/** "Authorization Server Object", as printed: `audiences` a string, some links outside `_links`. */
export const AUTHORIZATION_SERVER = {
  id: SERVER_ID,
  name: 'Sample Authorization Server',
  description: 'Authorization Server Description',
  audiences: 'https://api.resource.com',
  issuer: `${ORG}/oauth2/${SERVER_ID}`,
  status: 'ACTIVE',
  created: '2017-05-17T22:25:57.000Z',
  lastUpdated: '2017-05-17T22:25:57.000Z',
  credentials: {
    signing: {
      rotationMode: 'AUTO',
      lastRotated: '2017-05-17T22:25:57.000Z',
      nextRotation: '2017-08-15T22:25:57.000Z',
      kid: 'WYQxoK4XAwGFn5Zw5AzLxFvqEKLP79BbsKmWeuc5TB4',
    },
  },
  _links: {
    scopes: {
      href: `${ORG}/api/v1/authorizationServers/${SERVER_ID}/scopes`,
      hints: { allow: ['GET'] },
    },
    claims: {
      href: `${ORG}/api/v1/authorizationServers/${SERVER_ID}/claims`,
      hints: { allow: ['GET'] },
    },
    policies: {
      href: `${ORG}/api/v1/authorizationServers/${SERVER_ID}/policies`,
      hints: { allow: ['GET'] },
    },
  },
  self: {
    href: `${ORG}/api/v1/authorizationServers/${SERVER_ID}`,
    hints: { allow: ['GET', 'DELETE', 'PUT'] },
  },
  metadata: [
    {
      name: 'oauth-authorization-server',
      href: `${ORG}/oauth2/${SERVER_ID}/.well-known/oauth-authorization-server`,
      hints: { allow: ['GET'] },
    },
    {
      name: 'openid-configuration',
      href: `${ORG}/oauth2/${SERVER_ID}/.well-known/openid-configuration`,
      hints: { allow: ['GET'] },
    },
  ],
  rotateKey: {
    href: `${ORG}/api/v1/authorizationServers/${SERVER_ID}/credentials/lifecycle/keyRotate`,
    hints: { allow: ['POST'] },
  },
  deactivate: {
    href: `${ORG}/api/v1/authorizationServers/${SERVER_ID}/lifecycle/deactivate`,
    hints: { allow: ['POST'] },
  },
}

/** The same server as the API sends it: `audiences` an array, `metadata` a list of links in `_links`. */
export const AUTHORIZATION_SERVER_API = {
  id: SERVER_ID,
  name: 'Sample Authorization Server',
  description: 'Sample Authorization Server description',
  audiences: ['https://test.com'],
  issuer: `${ORG}/oauth2/${SERVER_ID}`,
  issuerMode: 'ORG_URL',
  status: 'ACTIVE',
  created: '2017-05-17T22:25:57.000Z',
  lastUpdated: '2017-05-17T22:25:57.000Z',
  credentials: { signing: { rotationMode: 'AUTO', kid: 'WYQx', use: 'sig' } },
  _links: {
    ...links(`authorizationServers/${SERVER_ID}`, ['GET', 'DELETE', 'PUT']),
    metadata: [
      {
        name: 'openid-configuration',
        href: `${ORG}/oauth2/${SERVER_ID}/.well-known/openid-configuration`,
        hints: { allow: ['GET'] },
      },
    ],
  },
}

/** "Create Authorization Server" request example. */
export const CREATE_SERVER_BODY = {
  name: 'Sample Authorization Server',
  description: 'Sample Authorization Server description',
  audiences: ['https://test.com'],
}

/** "Update Authorization Server" request example. */
export const UPDATE_SERVER_BODY = {
  name: 'New Authorization Server',
  description: 'Authorization Server New Description',
  audiences: ['https://api.new-resource.com'],
}

/** "Policies Object". */
export const POLICY = {
  type: 'OAUTH_AUTHORIZATION_POLICY',
  id: POLICY_ID,
  status: 'ACTIVE',
  name: 'Vendor2 Policy',
  description: 'Vendor2 policy description',
  priority: 1,
  system: false,
  conditions: { clients: { include: ['ALL_CLIENTS'] } },
  created: '2017-05-26T19:43:53.000Z',
  lastUpdated: '2017-06-07T15:28:17.000Z',
  _links: {
    ...links(`authorizationServers/${SERVER_ID}/policies/${POLICY_ID}`, ['GET', 'PUT', 'DELETE']),
    deactivate: {
      href: `${ORG}/api/v1/authorizationServers/${SERVER_ID}/policies/${POLICY_ID}/lifecycle/deactivate`,
      hints: { allow: ['POST'] },
    },
    rules: {
      href: `${ORG}/api/v1/authorizationServers/${SERVER_ID}/policies/${POLICY_ID}/rules`,
      hints: { allow: ['GET'] },
    },
  },
}

/** "Create a Policy" request example. */
export const CREATE_POLICY_BODY = {
  type: 'OAUTH_AUTHORIZATION_POLICY' as const,
  status: 'ACTIVE' as const,
  name: 'Default Policy',
  description: 'Default policy description',
  priority: 1,
  conditions: { clients: { include: ['ALL_CLIENTS'] } },
}

/** "Update a Policy" request example (it repeats `id` and `system`). */
export const UPDATE_POLICY_BODY = {
  type: 'OAUTH_AUTHORIZATION_POLICY' as const,
  id: '00p5m9xrrBffPd9ah0g4',
  status: 'ACTIVE' as const,
  name: 'default',
  description: 'default policy',
  priority: 1,
  system: false,
  conditions: { clients: { include: ['ALL_CLIENTS'] } },
}

/**
 * "Rules Object" of the older reference (its missing braces restored): scope
 * grants as `{ name, access }` objects and the lifetimes in a top-level
 * `token`. A response shape the client still reads.
 */
export const REFERENCE_RULE = {
  id: RULE_ID,
  type: 'RESOURCE_ACCESS',
  status: 'ACTIVE',
  name: 'Default rule',
  system: false,
  conditions: {
    people: {
      users: { include: [], exclude: [] },
      groups: { include: ['EVERYONE'], exclude: [] },
    },
    scopes: { include: [{ name: '*', access: 'ALLOW' }] },
  },
  token: {
    accessTokenLifetimeMinutes: 60,
    refreshTokenLifetimeMinutes: 0,
    refreshTokenWindowMinutes: 10080,
  },
}

/** {@link REFERENCE_RULE} as the client returns it: the lifetimes also in `actions.token`. */
export const REFERENCE_RULE_READ = { ...REFERENCE_RULE, actions: { token: REFERENCE_RULE.token } }

/** Today's rule body (management.yaml, "CreateAuthorizationServerPolicyRule"). */
export const RULE_BODY: PolicyRuleInput = {
  type: 'RESOURCE_ACCESS',
  name: 'Default Policy Rule',
  priority: 1,
  conditions: {
    people: { groups: { include: ['EVERYONE'] } },
    grantTypes: { include: ['implicit', 'client_credentials', 'authorization_code', 'password'] },
    scopes: { include: ['*'] },
  },
  actions: {
    token: {
      accessTokenLifetimeMinutes: 60,
      refreshTokenLifetimeMinutes: 0,
      refreshTokenWindowMinutes: 10080,
      inlineHook: { id: 'cal4egvp1mbMldrYN0g7' },
    },
  },
}

/** Today's rule as the API returns it (management.yaml, "AuthorizationServerPolicyRule"). */
export const RULE = {
  ...RULE_BODY,
  id: RULE_ID,
  status: 'ACTIVE',
  system: false,
  created: '2017-08-25T16:57:02.000Z',
  lastUpdated: '2017-08-30T14:51:05.000Z',
  conditions: {
    people: {
      users: { include: [], exclude: [] },
      groups: { include: ['EVERYONE'], exclude: [] },
    },
    grantTypes: { include: ['implicit', 'client_credentials', 'authorization_code', 'password'] },
    scopes: { include: ['*'] },
  },
}

/** "Scopes Object". */
export const SCOPE = {
  id: SCOPE_ID,
  name: 'car:drive',
  description: 'Drive car',
  system: false,
  default: false,
}

/** "Create a Scope" and "Update a Scope" request examples. */
export const CREATE_SCOPE_BODY = { description: 'Drive car', name: 'car:drive' }
export const UPDATE_SCOPE_BODY = { description: 'Order car', name: 'car:order' }

/** "Claims Object" (both entries; `alwaysIncludeInToken` is the string "TRUE" there). */
export const CLAIMS = [
  {
    id: CLAIM_ID,
    name: 'sub',
    status: 'ACTIVE',
    claimType: 'RESOURCE',
    valueType: 'EXPRESSION',
    value: '(appuser != null) ? appuser.userName : app.clientId',
    alwaysIncludeInToken: 'TRUE',
    conditions: { scopes: [] },
    system: true,
  },
  {
    id: 'oclain9m7hFik68qr0h7',
    name: 'carDriving',
    status: 'ACTIVE',
    claimType: 'IDENTITY',
    valueType: 'EXPRESSION',
    value: '"drivePlease"',
    alwaysIncludeInToken: 'TRUE',
    conditions: { scopes: ['car:drive'] },
    system: false,
  },
]

/** "Create a Claim" request example. */
export const CREATE_CLAIM_BODY = {
  name: 'carDriving',
  status: 'ACTIVE' as const,
  claimType: 'RESOURCE' as const,
  valueType: 'EXPRESSION' as const,
  value: '"driving!"',
  conditions: { scopes: ['car:drive'] },
}

/**
 * "Update a Claim" request example, typed: the reference writes
 * `alwaysIncludeInToken: "true"` and `system: "false"` as strings; the input
 * model takes a boolean (and `system` is read-only, so it is left out).
 */
export const UPDATE_CLAIM_BODY = { ...CREATE_CLAIM_BODY, alwaysIncludeInToken: true }

/** Today's GROUPS claim (management.yaml, "CreateCustomTokenClaim", unwrapped from its list). */
export const GROUPS_CLAIM_BODY = {
  alwaysIncludeInToken: true,
  claimType: 'IDENTITY' as const,
  conditions: { scopes: ['profile'] },
  group_filter_type: 'CONTAINS' as const,
  name: 'Support',
  status: 'ACTIVE' as const,
  value: 'Support',
  valueType: 'GROUPS' as const,
}

export const CLAIM = { id: 'oclain9m7hFik68qr0h7', ...CREATE_CLAIM_BODY, system: false }

const N =
  'g0MirhrysJMPm_wK45jvMbbyanfhl-jmTBv0o69GeifPaISaXGv8LKn3-CyJvUJcjjeHE17KtumJWVxUDRzFqtIMZ1ctCZyIAuWO0nLKilg7_EIDXJrS8k14biqkPO1lXGFwtjo3zLHeFSLw6sWf-CEN9zv6Ff3IAXb-RMYpfh-bVrWHH2PJr5HLJuIJIOLWxIgWsWCxjLW-UKI3la-gsahqTnm_r1LSCSYr6N4C-fh--w2_BW8DzTHalBYe76bNr0d7AqtR4tGazmrvc79Wa2bjyxmhhN1u9jSaZQqq-3VZEod8q35v1LoXniJQ4a2W8nDVqb6h4E8MUKYOpljTfQ'

export const KID_ACTIVE = 'RQ8DuhdxCczyMvy7GNJb4Ka3lQ99vrSo3oFBUiZjzzc'
export const KID_NEXT = 'Y3vBOdYT-l-I0j-gRQ26XjutSX00TeWiSguuDhW3ngo'
export const KID_EXPIRED = 'h5Sr3LXcpQiQlAUVPdhrdLFoIvkhRTAVs_h39bQnxlU'
export const KID_NEW_NEXT = 'T5dZ1dYT-l-I0j-gRQ82XjutSX00TeWiSguuDhW3zdf'

const keyOf = (status: string, kid: string) => ({
  status,
  alg: 'RS256',
  e: 'AQAB',
  n: N,
  kid,
  kty: 'RSA',
  use: 'sig',
  _links: links(`authorizationServers/${SERVER_ID}/credentials/keys/${kid}`, ['GET']),
})

/** "Get Authorization Server Keys" response example. */
export const KEYS_RESPONSE = {
  keys: [keyOf('ACTIVE', KID_ACTIVE), keyOf('NEXT', KID_NEXT), keyOf('EXPIRED', KID_EXPIRED)],
}

/** "Rotate Authorization Server Keys" response example: NEXT became ACTIVE. */
export const ROTATED_KEYS_RESPONSE = {
  keys: [keyOf('ACTIVE', KID_NEXT), keyOf('NEXT', KID_NEW_NEXT), keyOf('EXPIRED', KID_ACTIVE)],
}

/** "Response Example (Error)" of key rotation. */
export const ROTATE_ERROR = {
  errorCode: 'E0000001',
  errorSummary: 'Api validation failed: rotateKeys',
  errorLink: 'E0000001',
  errorId: 'oaeprak9qKHRlaWiclJ4oPJRQ',
  errorCauses: [{ errorSummary: "Invalid value specified for key 'use' parameter." }],
}

/** The grant request of the OAuth-for-Okta guide. */
export const GRANT_BODY = { scopeId: 'okta.users.read', issuer: ORG }

export const GRANT = {
  id: GRANT_ID,
  issuer: ORG,
  scopeId: 'okta.users.read',
  clientId: APP_ID,
  status: 'ACTIVE',
  source: 'ADMIN',
  created: '2021-03-04T19:24:13.000Z',
  lastUpdated: '2021-03-04T19:24:13.000Z',
  _links: links(`apps/${APP_ID}/grants/${GRANT_ID}`, ['GET', 'DELETE']),
}
