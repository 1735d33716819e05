import { type Ctx, type Route, route } from './context.js'
import { findClientOrThrow, tokenActions } from './token-records.js'

// An app's refresh tokens, from every server of the org (the emulator's apps
// are its clients): `/api/v1/apps/{appId}/tokens[/{tokenId}]` (list with
// `expand`, `after`, `limit`; get; revoke one; revoke all). Revoking them
// also revokes the access tokens minted with them.

const tokens = tokenActions(
  (c: Ctx) => ({ clientId: findClientOrThrow(c, 'app').clientId }),
  (c, tokenId) => `${c.state.orgUrl}/api/v1/apps/${c.params.app}/tokens/${tokenId}`,
  // The spec's default page size of an app's tokens.
  20,
)

/** @internal The routes of an app's tokens. */
export const appTokenRoutes: Route[] = [
  route('apps/:app/tokens', { GET: tokens.list, DELETE: tokens.revokeAll }, 'apps'),
  route('apps/:app/tokens/:token', { GET: tokens.get, DELETE: tokens.revoke }, 'apps'),
]
