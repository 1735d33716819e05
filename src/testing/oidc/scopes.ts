import type { ServerState } from '../model/server-state.js'

// The `scope` parameter, and the server's default scopes: a request that
// names no scope (authorize, password, client_credentials) is granted the
// server's `default: true` scopes, as Okta does; with none, it is refused.

/** @internal The scopes of a `scope` parameter, without repeats. */
export function parseScopes(value: string | null): string[] {
  return value ? [...new Set(value.split(' ').filter(Boolean))] : []
}

/** @internal The scopes a server does not have. */
export function unknownScopes(server: ServerState, scopes: string[]): string[] {
  return scopes.filter((s) => !server.scopes.has(s))
}

/** @internal Okta's answer to a request without `scope` on a server without default scopes. */
export const NO_DEFAULT_SCOPES =
  "The authorization server resource does not have any configured default scopes, 'scope' must be provided."

/** @internal The scopes a request asks for: its `scope` parameter, or the server's default scopes. */
export function requestedScopes(server: ServerState, value: string | null): string[] {
  const scopes = parseScopes(value)
  if (scopes.length > 0) return scopes
  return [...(server.admin?.scopes.values() ?? [])]
    .filter((s) => s.default && server.scopes.has(s.name))
    .map((s) => s.name)
}
