import type { IssuedToken } from '../model/issued.js'
import type { OktaOrgState } from '../org.js'

// Tokens the org issued that are still good.

/** @internal The record of an unrevoked, unexpired token the org issued. */
export function liveToken(state: OktaOrgState, value: string): IssuedToken | undefined {
  const record = state.tokens.get(value)
  if (!record || record.revoked || record.exp < state.now()) return undefined
  return record
}
