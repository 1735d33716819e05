/** Operations on an authorization server's access policies and their rules. */
import {
  CREATE_POLICY_BODY,
  POLICY,
  POLICY_ID,
  REFERENCE_RULE,
  REFERENCE_RULE_READ,
  RULE,
  RULE_BODY,
  RULE_ID,
  SERVER_ID,
  UPDATE_POLICY_BODY,
} from './fixtures.js'
import { AS, describeOperations, POL, RULES } from './operations-harness.js'

describeOperations({
  policies: [
    {
      name: 'list',
      call: (a) => a.policies.list(SERVER_ID).all(),
      method: 'GET',
      path: `${AS}/policies`,
      response: [POLICY],
    },
    {
      name: 'get',
      call: (a) => a.policies.get(SERVER_ID, POLICY_ID),
      method: 'GET',
      path: POL,
      response: POLICY,
    },
    {
      name: 'create (the reference body)',
      call: (a) => a.policies.create(SERVER_ID, CREATE_POLICY_BODY),
      method: 'POST',
      path: `${AS}/policies`,
      body: CREATE_POLICY_BODY,
      response: POLICY,
    },
    {
      name: 'update (the reference body, with id and system)',
      call: (a) => a.policies.update(SERVER_ID, POLICY_ID, UPDATE_POLICY_BODY),
      method: 'PUT',
      path: POL,
      body: UPDATE_POLICY_BODY,
      response: POLICY,
    },
    {
      name: 'delete',
      call: (a) => a.policies.delete(SERVER_ID, POLICY_ID),
      method: 'DELETE',
      path: POL,
    },
    {
      name: 'activate',
      call: (a) => a.policies.activate(SERVER_ID, POLICY_ID),
      method: 'POST',
      path: `${POL}/lifecycle/activate`,
    },
    {
      name: 'deactivate',
      call: (a) => a.policies.deactivate(SERVER_ID, POLICY_ID),
      method: 'POST',
      path: `${POL}/lifecycle/deactivate`,
    },
  ],
  policyRules: [
    {
      name: 'list',
      call: (a) => a.policyRules.list(SERVER_ID, POLICY_ID).all(),
      method: 'GET',
      path: RULES,
      response: [RULE],
    },
    {
      name: 'get',
      call: (a) => a.policyRules.get(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'GET',
      path: `${RULES}/${RULE_ID}`,
      response: RULE,
    },
    {
      name: 'create (the reference rule)',
      call: (a) => a.policyRules.create(SERVER_ID, POLICY_ID, RULE_BODY),
      method: 'POST',
      path: RULES,
      body: RULE_BODY,
      response: RULE,
    },
    {
      name: 'get: an older response (top-level token, scope objects) gets actions.token',
      call: (a) => a.policyRules.get(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'GET',
      path: `${RULES}/${RULE_ID}`,
      response: REFERENCE_RULE,
      result: REFERENCE_RULE_READ,
    },
    {
      name: 'update (lifetimes in actions.token, the type the API requires is sent)',
      call: (a) =>
        a.policyRules.update(SERVER_ID, POLICY_ID, RULE_ID, {
          name: 'Default rule',
          conditions: {
            grantTypes: { include: ['client_credentials', 'urn:openid:params:grant-type:ciba'] },
            scopes: { include: ['*'] },
          },
          actions: { token: { accessTokenLifetimeMinutes: 5, refreshTokenWindowMinutes: 10 } },
        }),
      method: 'PUT',
      path: `${RULES}/${RULE_ID}`,
      body: {
        name: 'Default rule',
        conditions: {
          grantTypes: { include: ['client_credentials', 'urn:openid:params:grant-type:ciba'] },
          scopes: { include: ['*'] },
        },
        actions: { token: { accessTokenLifetimeMinutes: 5, refreshTokenWindowMinutes: 10 } },
        type: 'RESOURCE_ACCESS',
      },
      response: RULE,
    },
    {
      name: 'update with the deprecated top-level token: sent in actions.token',
      call: (a) =>
        a.policyRules.update(SERVER_ID, POLICY_ID, RULE_ID, {
          type: 'RESOURCE_ACCESS',
          name: 'Default rule',
          conditions: { scopes: { include: ['*'] } },
          token: { accessTokenLifetimeMinutes: 30 },
        }),
      method: 'PUT',
      path: `${RULES}/${RULE_ID}`,
      body: {
        type: 'RESOURCE_ACCESS',
        name: 'Default rule',
        conditions: { scopes: { include: ['*'] } },
        actions: { token: { accessTokenLifetimeMinutes: 30 } },
      },
      response: RULE,
    },
    {
      name: 'delete',
      call: (a) => a.policyRules.delete(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'DELETE',
      path: `${RULES}/${RULE_ID}`,
    },
    {
      name: 'activate',
      call: (a) => a.policyRules.activate(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'POST',
      path: `${RULES}/${RULE_ID}/lifecycle/activate`,
    },
    {
      name: 'deactivate',
      call: (a) => a.policyRules.deactivate(SERVER_ID, POLICY_ID, RULE_ID),
      method: 'POST',
      path: `${RULES}/${RULE_ID}/lifecycle/deactivate`,
    },
  ],
})
