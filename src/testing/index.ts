/**
 * `okta-oauth-kit/testing`: a local Okta-style org for tests, demos and
 * examples. {@link createOktaOrg} returns msw request handlers (Node with
 * `setupServer`, browsers with `setupWorker`; msw is an optional peer
 * dependency); {@link startOktaOrg} serves the same handlers over HTTP on
 * 127.0.0.1. Besides the OpenID Connect endpoints, the org emulates the
 * management API of authorization servers and app grants.
 *
 * @module okta-oauth-kit/testing
 */
export * from '../errors.js'
export type { OrgClientKey } from './model/client-keys.js'
export type { KeyStatus } from './model/server-state.js'
export {
  type ApiRateLimit,
  DEFAULT_ADMIN_TOOL_CLIENT_ID,
  DEFAULT_API_TOKEN,
  DEFAULT_CLIENTS,
  DEFAULT_SERVICE_CLIENT_ID,
  DEFAULT_USERS,
  type OktaOrgOptions,
  type OrgAuthorizationServer,
  type OrgClient,
  type OrgClientAuthMethod,
  type OrgUser,
} from './options.js'
export {
  type Misbehaviour,
  OKTA_SCOPES,
  OktaOrgState,
  type OrgEndpoint,
} from './org.js'
export { createOktaOrg, type OktaOrg } from './org-factory.js'
export { type RunningOktaOrg, type StartOktaOrgOptions, startOktaOrg } from './serve.js'
