import type { RequestHandler } from 'msw'
import { managementRoutes } from './management/router.js'
import { oidcRoutes } from './oidc/router.js'
import type { OktaOrgOptions, OrgClient } from './options.js'
import { initialiseOrg, OktaOrgState } from './org.js'
import { type RouteDispatcher, routeDispatcher, routeHandlers } from './routes.js'

/** An emulated org: its state and controls, and the msw handlers that serve it. */
export interface OktaOrg extends OktaOrgState {
  /** msw request handlers: pass them to `setupServer(...)` (Node) or `setupWorker(...)` (browsers). */
  readonly handlers: RequestHandler[]
}

/**
 * Create a local Okta-style org as msw request handlers: the org
 * authorization server and custom servers (`/oauth2/{id}`), with discovery,
 * a headless `/v1/authorize` (every response type and mode, `prompt=none`,
 * `login_hint`, `sessionToken`, PAR), `/v1/token` (every grant and client
 * authentication method, PKCE, refresh rotation), `/v1/keys` with
 * ACTIVE/NEXT/EXPIRED rotation, userinfo, introspection, revocation and
 * logout. Tokens carry the claims Okta's do.
 *
 * The management API (`/api/v1/authorizationServers/…`, `/api/v1/apps/{id}/grants`)
 * is emulated in memory: servers created through it are real (discovery and
 * keys work at once, tokens once they have an access policy), scopes created through it can be requested,
 * access-token claims with literal values are added to tokens, key rotation
 * is the same as {@link OktaOrgState.rotateKeys}, and app grants change what
 * the org authorization server grants. It accepts `Authorization: SSWS`
 * with {@link OktaOrgOptions.apiTokens} or bearer `okta.*` tokens of the org
 * authorization server (see {@link OrgClient.adminPermissions} for silent
 * downscoping), and can be rate-limited ({@link OktaOrgOptions.rateLimit}).
 * Access policies and rules are evaluated as Okta does at the authorize and
 * token endpoints of custom servers (clients, grant types, scopes, people, by
 * priority; the first match sets the token lifetimes; no match is
 * `access_denied`). A server created through the API has no policy until it
 * gets one; servers configured in the options start with the default policy,
 * whose built-in rule keeps the org's configured lifetimes.
 *
 * @param options - Org URL, servers, clients, users, lifetimes.
 * @returns The org (state and controls) with its `handlers`.
 * @example
 * ```ts
 * import { setupServer } from 'msw/node'
 * import { createOktaOrg, DEFAULT_API_TOKEN } from 'okta-oauth-kit/testing'
 * const org = await createOktaOrg()
 * const server = setupServer(...org.handlers)
 * server.listen()
 * // discover(org.issuer()) … then org.rotateKeys(), org.signOut(), org.misbehave('token', { status: 503 })
 * const res = await fetch('https://example.okta.com/api/v1/authorizationServers', {
 *   headers: { authorization: `SSWS ${DEFAULT_API_TOKEN}` },
 * })
 * ```
 */
export async function createOktaOrg(options: OktaOrgOptions = {}): Promise<OktaOrg> {
  const state = new OktaOrgState(options)
  initialiseOrg(state, options)
  const routes = [...oidcRoutes(state), ...managementRoutes(state)]
  const org = Object.assign(state, { handlers: routeHandlers(state.orgUrl, routes) })
  dispatchers.set(org, routeDispatcher(state.orgUrl, routes))
  return org
}

/** The routes of each org, compiled for startOktaOrg's server. */
const dispatchers = new WeakMap<OktaOrg, RouteDispatcher>()

/** @internal The org's routes as one function, for serving without msw's matching (see routes.ts). */
export function dispatcherOf(org: OktaOrg): RouteDispatcher {
  return dispatchers.get(org)!
}
