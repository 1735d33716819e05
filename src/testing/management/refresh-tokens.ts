import { AS, type Ctx, type Route, route } from './context.js'
import { findServerOrThrow } from './servers.js'
import { findClientOrThrow, tokenActions } from './token-records.js'

// The refresh tokens a custom server issued to a client:
// `/api/v1/authorizationServers/{id}/clients/{clientId}/tokens[/{tokenId}]`
// (list with `expand`, `after`, `limit`; get; revoke one; revoke all).

const tokens = tokenActions(
  (c: Ctx) => ({
    server: findServerOrThrow(c).server,
    clientId: findClientOrThrow(c, 'client').clientId,
  }),
  (c, tokenId) =>
    `${c.state.orgUrl}/api/v1/authorizationServers/${c.params.as}/clients/${c.params.client}/tokens/${tokenId}`,
  // The spec's default is -1 (every token); a page holds 200 at most.
  200,
)

/** @internal The routes of a server's refresh tokens, by client. */
export const refreshTokenRoutes: Route[] = [
  route(`${AS}/clients/:client/tokens`, { GET: tokens.list, DELETE: tokens.revokeAll }),
  route(`${AS}/clients/:client/tokens/:token`, { GET: tokens.get, DELETE: tokens.revoke }),
]
