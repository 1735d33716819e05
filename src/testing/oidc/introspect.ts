import { type JWTPayload, jwtVerify } from 'jose'
import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'
import { verificationKeys } from '../model/signing-keys.js'
import type { OktaOrgState } from '../org.js'
import { methodOf } from './client.js'
import { authenticateClient } from './client-auth.js'
import { NO_STORE, oauthError, readForm } from './http.js'
import { liveToken } from './live-token.js'

// The introspection endpoint, `/v1/introspect` (RFC 7662, Okta's answers).

/** @internal Answer an introspection request. */
export async function introspect(
  state: OktaOrgState,
  server: ServerState,
  request: Request,
): Promise<Response> {
  const form = await readForm(request)
  const client = await authenticateClient(state, request, form, `${server.base}/v1/introspect`)
  const value = form.get('token')
  if (!value) return oauthError(400, 'invalid_request', 'The token parameter is required.')
  const inactive = () => HttpResponse.json({ active: false }, { headers: NO_STORE })
  // A public (implicit) client can only introspect its own tokens; a
  // confidential client can inspect all of them.
  const visible = (clientId: string) => methodOf(client) !== 'none' || clientId === client.clientId
  const record = liveToken(state, value)
  if (!record) {
    // ID tokens are not stored; they are "also valid" here while unexpired.
    if (state.tokens.has(value)) return inactive()
    const claims = await liveIdToken(state, server, value)
    if (!claims || !visible(String(claims.aud))) return inactive()
    const user = state.users.get(String(claims.sub))
    return HttpResponse.json(
      {
        active: true,
        ...(user && { username: user.login }),
        exp: claims.exp,
        iat: claims.iat,
        sub: claims.sub,
        aud: claims.aud,
        iss: claims.iss,
        jti: claims.jti,
        token_type: 'Bearer',
        client_id: claims.aud,
      },
      { headers: NO_STORE },
    )
  }
  if (record.server !== server || !visible(record.clientId)) return inactive()
  const user = record.userId === undefined ? undefined : state.users.get(record.userId)
  return HttpResponse.json(
    {
      active: true,
      scope: record.scopes.join(' '),
      ...(user && { username: user.login }),
      exp: record.exp,
      sub: user ? user.login : record.clientId,
      // The reference's refresh-token answer has no iat, aud, iss or jti.
      ...(record.kind === 'access_token' && {
        iat: record.iat,
        aud: server.audiences.length === 1 ? server.audiences[0] : server.audiences,
        iss: server.issuer,
        jti: record.jti,
      }),
      // "The value is always Bearer"; uid only for access tokens of end users.
      token_type: 'Bearer',
      client_id: record.clientId,
      ...(user && record.kind === 'access_token' && { uid: user.id }),
    },
    { headers: NO_STORE },
  )
}

/** The claims of an unexpired ID token this server signed, or `undefined`. */
async function liveIdToken(
  state: OktaOrgState,
  server: ServerState,
  value: string,
): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(value, verificationKeys(server), {
      issuer: server.issuer,
      algorithms: ['RS256'],
      currentDate: new Date(state.now() * 1000),
    })
    return typeof payload.jti === 'string' && payload.jti.startsWith('ID.') ? payload : undefined
  } catch {
    return undefined
  }
}
