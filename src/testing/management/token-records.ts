import type { IssuedToken } from '../model/issued.js'
import type { Json } from '../model/json.js'
import type { ServerState } from '../model/server-state.js'
import type { OrgClient } from '../options.js'
import type { OktaOrgState } from '../org.js'
import type { Action, Ctx } from './context.js'
import { iso, link, noContent, notFound, ok, page } from './responses.js'
import { adminOf } from './servers.js'

// The refresh tokens the org issued, as the management API shows and revokes
// them (`OAuth2RefreshToken`): read from the same records the token endpoint
// uses, so a token revoked here is refused at `/v1/token` (`invalid_grant`)
// and inactive at `/v1/introspect`. Shared by a server's client tokens
// (refresh-tokens.ts) and an app's tokens (app-tokens.ts).

/** @internal A refresh token record with its management id. */
export type RefreshRecord = IssuedToken & { kind: 'refresh_token'; id: string }

/** @internal Which refresh tokens: of a client, on one server or on all. */
export interface TokenFilter {
  clientId: string
  server?: ServerState
}

/** Whether a token is unrevoked and unexpired. */
const live = (state: OktaOrgState, t: IssuedToken) => !t.revoked && t.exp >= state.now()

function matches(t: IssuedToken, filter: TokenFilter): t is RefreshRecord {
  return (
    t.kind === 'refresh_token' &&
    t.id !== undefined &&
    t.clientId === filter.clientId &&
    (filter.server === undefined || t.server === filter.server)
  )
}

/** @internal The live refresh tokens of a client (a list shows what can still be used), oldest first. */
export function liveRefreshTokens(state: OktaOrgState, filter: TokenFilter): RefreshRecord[] {
  return [...state.tokens.values()]
    .filter((t): t is RefreshRecord => matches(t, filter) && live(state, t))
    .sort((a, b) => a.iat - b.iat)
}

/**
 * @internal One refresh token of a client by id, revoked or not, until it
 * expires; throws the 404 answer otherwise.
 */
export function findRefreshTokenOrThrow(c: Ctx, filter: TokenFilter): RefreshRecord {
  const id = c.params.token!
  for (const t of c.state.tokens.values()) {
    if (matches(t, filter) && t.id === id && t.exp >= c.state.now()) return t
  }
  throw notFound(id, 'OAuth2RefreshToken')
}

/**
 * @internal Revoke a refresh token and the tokens minted with it (its
 * family: the access tokens of its grant and of its refreshes). Access
 * tokens issued without a refresh token are not affected.
 */
export function revokeRefreshToken(state: OktaOrgState, token: RefreshRecord): void {
  for (const t of state.tokens.values()) if (t.family === token.family) t.revoked = true
}

/** @internal The app (client) of the path's `:app` or `:client`; throws the 404 answer. */
export function findClientOrThrow(c: Ctx, param: 'app' | 'client'): OrgClient {
  const id = c.params[param]!
  const client = c.state.clients.get(id)
  if (!client) throw notFound(id, 'AppInstance')
  return client
}

/** `_embedded.scopes` (`expand=scope`): the server's scope objects, by name. */
function embeddedScopes(state: OktaOrgState, server: ServerState, names: string[]): Json[] {
  // The org authorization server has no scope objects in the API: names only.
  if (!server.custom) return names.map((name) => ({ name }))
  const records = [...adminOf(state, server).scopes.values()]
  return names.map((name) => {
    const scope = records.find((s) => s.name === name)
    if (!scope) return { name }
    return {
      id: scope.id,
      name: scope.name,
      ...(scope.displayName !== undefined && { displayName: scope.displayName }),
      ...(scope.description !== undefined && { description: scope.description }),
      _links: {
        scope: {
          ...link(
            `${state.orgUrl}/api/v1/authorizationServers/${server.id}/scopes/${scope.id}`,
            'GET',
          ),
          title: scope.displayName ?? scope.name,
        },
      },
    }
  })
}

/**
 * @internal The wire shape of a refresh token (`OAuth2RefreshToken`), at
 * `self` (its URL under the server's client or under the app);
 * `_embedded.scopes` with `expand=scope`.
 */
export function refreshTokenJson(c: Ctx, token: RefreshRecord, self: string): Json {
  const { state } = c
  const { server, clientId, userId } = token
  const api = `${state.orgUrl}/api/v1`
  const expand = c.url.searchParams.get('expand') === 'scope'
  return {
    id: token.id,
    status: token.revoked ? 'REVOKED' : 'ACTIVE',
    created: iso(token.iat),
    lastUpdated: iso(token.iat),
    expiresAt: iso(token.exp),
    issuer: server.issuer,
    clientId,
    ...(userId !== undefined && { userId }),
    scopes: [...token.scopes],
    ...(expand && { _embedded: { scopes: embeddedScopes(state, server, token.scopes) } }),
    _links: {
      app: link(`${api}/apps/${clientId}`, 'GET'),
      ...(server.custom && {
        authorizationServer: link(`${api}/authorizationServers/${server.id}`, 'GET'),
      }),
      self: link(self, 'GET'),
      revoke: link(self, 'DELETE'),
      client: link(`${state.orgUrl}/oauth2/v1/clients/${clientId}`, 'GET'),
      ...(userId !== undefined && { user: link(`${api}/users/${userId}`, 'GET') }),
    },
  }
}

/** @internal The actions of a token collection: list, get, revoke one, revoke all. */
export interface TokenActions {
  list: Action
  get: Action
  revoke: Action
  revokeAll: Action
}

/**
 * @internal The actions over the refresh tokens `filterOf` selects from the
 * path (throwing its 404 answers), each token at `selfOf(c, id)`; a list
 * without `limit` has `defaultLimit` tokens at most.
 */
export function tokenActions(
  filterOf: (c: Ctx) => TokenFilter,
  selfOf: (c: Ctx, tokenId: string) => string,
  defaultLimit: number,
): TokenActions {
  return {
    list: (c) => {
      const tokens = liveRefreshTokens(c.state, filterOf(c))
      return page(c, tokens, (t) => refreshTokenJson(c, t, selfOf(c, t.id)), defaultLimit)
    },
    get: (c) => {
      const token = findRefreshTokenOrThrow(c, filterOf(c))
      return ok(refreshTokenJson(c, token, selfOf(c, token.id)))
    },
    revoke: (c) => {
      revokeRefreshToken(c.state, findRefreshTokenOrThrow(c, filterOf(c)))
      return noContent()
    },
    revokeAll: (c) => {
      for (const token of liveRefreshTokens(c.state, filterOf(c))) {
        revokeRefreshToken(c.state, token)
      }
      return noContent()
    },
  }
}
