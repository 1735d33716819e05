import {
  createLocalJWKSet,
  decodeJwt,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose'
import type { JSONWebKeySet } from '../../lib/wire-types.js'
import type { OrgClient, OrgClientAuthMethod } from '../options.js'
import type { OktaOrgState } from '../org.js'
import { methodOf } from './client.js'
import { oauthError } from './http.js'

// Client authentication at the token, introspection, revocation and PAR
// endpoints: client_secret_basic, client_secret_post, client_secret_jwt,
// private_key_jwt and none, one method per request. As Okta does:
// - a client with a secret (registered as client_secret_basic or
//   client_secret_post) may send it either way at every endpoint:
//   okta-auth-js posts it to /v1/token and uses Basic for /v1/introspect and
//   /v1/revoke, whatever the app's registered method;
// - a public client may name itself in a Basic header without a secret,
//   `Basic base64(client_id)`, at /v1/introspect and /v1/revoke (okta-auth-js
//   does at every sign-out). At /v1/token and /v1/par that header stays
//   malformed: the spec defines Basic there as `client_id:client_secret`,
//   a public client sends `client_id` in the body, and no Okta client sends
//   it otherwise, so the emulator keeps to what surely works on Okta.

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** The endpoints where `Basic base64(client_id)` names a public client. */
const ID_ALONE_ENDPOINTS = ['/v1/introspect', '/v1/revoke']

/** The methods that send the client secret itself; such a client may use either. */
const SECRET_METHODS: readonly OrgClientAuthMethod[] = ['client_secret_basic', 'client_secret_post']

/** Each client key set, imported once (again if a test changed it in place). */
const keySets = new WeakMap<JSONWebKeySet, { json: string; getKey: JWTVerifyGetKey }>()

function clientKeySet(jwks: JSONWebKeySet): JWTVerifyGetKey {
  const json = JSON.stringify(jwks)
  let known = keySets.get(jwks)
  if (known?.json !== json) {
    known = { json, getKey: createLocalJWKSet(JSON.parse(json)) }
    keySets.set(jwks, known)
  }
  return known.getKey
}

/** @internal Authenticate the client of a token/introspect/revoke/par request; throws the 400 or 401 answer. */
export async function authenticateClient(
  state: OktaOrgState,
  request: Request,
  form: URLSearchParams,
  endpoint: string,
): Promise<OrgClient> {
  const invalid = (description: string) => oauthError(401, 'invalid_client', description)
  const header = request.headers.get('authorization')
  let clientId: string | null = form.get('client_id')
  let used: OrgClientAuthMethod
  let secret: string | undefined
  const basic = header?.toLowerCase().startsWith('basic ') ?? false
  // One method per request: a Basic header, a client_secret and an assertion
  // together are a malformed request (invalid_request), not a failed authentication.
  if ([basic, form.has('client_secret'), form.has('client_assertion')].filter(Boolean).length > 1) {
    throw oauthError(
      400,
      'invalid_request',
      'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
    )
  }
  if (header && basic) {
    const malformed = () =>
      oauthError(400, 'invalid_request', 'The authorization header is malformed.')
    const idAlone = ID_ALONE_ENDPOINTS.some((e) => endpoint.endsWith(e))
    let id: string
    try {
      const decoded = atob(header.slice(6).trim())
      const i = decoded.indexOf(':')
      if (i < 0 && !idAlone) throw malformed()
      const decode = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '))
      id = decode(i < 0 ? decoded : decoded.slice(0, i))
      if (i >= 0) secret = decode(decoded.slice(i + 1))
    } catch {
      throw malformed()
    }
    if (id === '') throw malformed()
    if (clientId !== null && clientId !== id) throw invalid('Client authentication failed.')
    clientId = id
    used = secret === undefined ? 'none' : 'client_secret_basic'
  } else if (form.has('client_assertion')) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
      throw invalid('The client_assertion_type is invalid.')
    }
    let iss: unknown
    try {
      iss = decodeJwt(form.get('client_assertion')!).iss
    } catch {
      throw invalid('The client_assertion is not a valid JWT.')
    }
    if (typeof iss !== 'string' || (clientId !== null && clientId !== iss)) {
      throw invalid('The client_assertion issuer is invalid.')
    }
    clientId = iss
    const client = state.clients.get(clientId)
    if (!client) throw invalid('Client authentication failed.')
    const method = methodOf(client)
    if (method !== 'client_secret_jwt' && method !== 'private_key_jwt') {
      throw invalid(`Client authentication failed: the client uses ${method}.`)
    }
    let key: JWTVerifyGetKey | Uint8Array
    if (method === 'client_secret_jwt') {
      if (!client.clientSecret) throw invalid('Client authentication failed.')
      key = new TextEncoder().encode(client.clientSecret)
    } else {
      if (!client.jwks) throw invalid('The client has no registered keys.')
      key = clientKeySet(client.jwks)
    }
    const now = state.now()
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(form.get('client_assertion')!, key as Uint8Array, {
        algorithms:
          method === 'client_secret_jwt'
            ? ['HS256', 'HS384', 'HS512']
            : ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        issuer: clientId,
        subject: clientId,
        audience: endpoint,
        // `jti` and `iat` are optional; `exp` is required.
        requiredClaims: ['exp'],
        currentDate: new Date(now * 1000),
      }))
    } catch {
      throw invalid('The client_assertion signature or claims are invalid.')
    }
    // The exp must be at most one hour ahead; an iat must be before the request.
    if (payload.exp! > now + 3_600) {
      throw invalid('The client_assertion token has an expiration too far in the future.')
    }
    if (payload.iat !== undefined && payload.iat > now) {
      throw invalid('The client_assertion token was issued in the future.')
    }
    // With a jti, the assertion can be used only once.
    if (payload.jti !== undefined) {
      const jti = `${clientId} ${String(payload.jti)}`
      if (state.assertionIds.has(jti))
        throw invalid('The client_assertion token has already been used.')
      state.assertionIds.add(jti)
    }
    return client
  } else if (form.has('client_secret')) {
    secret = form.get('client_secret')!
    used = 'client_secret_post'
  } else {
    used = 'none'
  }
  if (clientId === null) throw invalid('No client credentials found.')
  const client = state.clients.get(clientId)
  if (!client) throw invalid('Client authentication failed.')
  const method = methodOf(client)
  const either = SECRET_METHODS.includes(method) && SECRET_METHODS.includes(used)
  if (method !== used && !either) {
    throw invalid(`Client authentication failed: the client must use ${method}.`)
  }
  if (used !== 'none' && secret !== client.clientSecret) {
    throw invalid("Invalid value for 'client_secret'.")
  }
  return client
}
