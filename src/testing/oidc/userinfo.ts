import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'
import type { OktaOrgState } from '../org.js'
import { NO_STORE } from './http.js'
import { liveToken } from './live-token.js'
import { profileClaims } from './profile.js'

// The userinfo endpoint, `/v1/userinfo`.

/** @internal Answer a userinfo request (any method), with a bearer challenge on error. */
export async function userinfo(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  const challenge = (status: number, error: string, description: string) =>
    new HttpResponse(null, {
      status,
      headers: {
        'www-authenticate': `Bearer error="${error}", error_description="${description}"`,
        'cache-control': 'no-cache, no-store',
        pragma: 'no-cache',
        expires: '0',
      },
    })
  const header = request.headers.get('authorization') ?? ''
  const m = /^Bearer ([^\s]+)$/i.exec(header)
  if (!m) return challenge(401, 'invalid_token', 'The access token is missing.')
  const record = liveToken(state, m[1]!)
  if (record?.kind !== 'access_token' || record.server !== server || !record.userId) {
    return challenge(401, 'invalid_token', 'The access token is invalid.')
  }
  if (!record.scopes.includes('openid')) {
    return challenge(
      403,
      'insufficient_scope',
      'The access token must provide access to at least one of these scopes - profile, email, address or phone',
    )
  }
  const user = state.users.get(record.userId)!
  return HttpResponse.json(
    { sub: user.id, ...profileClaims(user, record.scopes) },
    { headers: NO_STORE },
  )
}
