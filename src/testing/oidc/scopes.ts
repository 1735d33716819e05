import type { ServerState } from '../model/server-state.js'

// The `scope` parameter.

/** @internal The scopes of a `scope` parameter, without repeats. */
export function parseScopes(value: string | null): string[] {
  return value ? [...new Set(value.split(' ').filter(Boolean))] : []
}

/** @internal The scopes a server does not have. */
export function unknownScopes(server: ServerState, scopes: string[]): string[] {
  return scopes.filter((s) => !server.scopes.has(s))
}
