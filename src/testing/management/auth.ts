import type { OktaOrgState } from '../org.js'
import { apiError } from './responses.js'

// Who may call the management API: SSWS API tokens, or `okta.*` access tokens
// of the org authorization server, with silent downscoping.

/** Whether `granted` covers `needed` (`.manage` covers `.read`). */
function covers(granted: Iterable<string>, needed: string): boolean {
  const set = new Set(granted)
  return (
    set.has(needed) || (needed.endsWith('.read') && set.has(needed.replace(/\.read$/, '.manage')))
  )
}

/**
 * @internal
 * SSWS tokens can do everything; bearer tokens must be live access tokens of
 * the org authorization server carrying the scope, of an app whose admin
 * permissions cover it (silent downscoping otherwise).
 */
export function authenticate(
  state: OktaOrgState,
  request: Request,
  scope: string,
  path: string,
): Response | undefined {
  const m = /^(\S+)\s+(\S+)\s*$/.exec(request.headers.get('authorization') ?? '')
  const scheme = m?.[1]?.toLowerCase()
  const credential = m?.[2] ?? ''
  const invalid = (headers: Record<string, string> = {}) =>
    apiError(401, 'E0000011', 'Invalid token provided', [], headers)
  if (scheme === 'ssws') return state.apiTokens.has(credential) ? undefined : invalid()
  if (scheme !== 'bearer') return invalid()
  const record = state.tokens.get(credential)
  if (
    record?.kind !== 'access_token' ||
    record.revoked ||
    record.exp < state.now() ||
    record.server.issuer !== state.orgUrl
  ) {
    return invalid({
      'www-authenticate': `Bearer realm="${state.orgUrl}", error="invalid_token", error_description="The access token is invalid."`,
    })
  }
  const forbidden = (headers: Record<string, string> = {}) =>
    apiError(
      403,
      'E0000006',
      'You do not have permission to perform the requested action',
      [],
      headers,
    )
  if (!covers(record.scopes, scope)) {
    return forbidden({
      'www-authenticate': `Bearer realm="${state.orgUrl}", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${path}"`,
    })
  }
  const permissions = state.clients.get(record.clientId)?.adminPermissions
  if (permissions && !covers(permissions, scope)) return forbidden()
  return undefined
}
