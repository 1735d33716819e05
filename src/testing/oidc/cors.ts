import { HttpResponse } from 'msw'
import type { OktaOrgState, OrgEndpoint } from '../org.js'

// CORS for the endpoints a browser app calls cross-origin, for the org's
// trusted origins only.

/**
 * The endpoints a browser app calls cross-origin (not the `authorize` and
 * `logout` navigations), with the response headers it may read besides the
 * CORS-safelisted ones: the SDK reads the token response's `Date` to estimate
 * the clock offset, and userinfo's `WWW-Authenticate` for the error.
 */
const CORS_ENDPOINTS: ReadonlyMap<OrgEndpoint, string | undefined> = new Map([
  ['discovery', undefined],
  ['keys', undefined],
  ['token', 'Date, DPoP-Nonce'],
  ['userinfo', 'WWW-Authenticate'],
  ['introspect', undefined],
  ['revoke', undefined],
  ['par', undefined],
])

/** The request's `Origin` when the org trusts it exactly, else `undefined`. */
function trustedOrigin(state: OktaOrgState, request: Request): string | undefined {
  const origin = request.headers.get('origin')
  return origin !== null && state.trustedOrigins.has(origin) ? origin : undefined
}

/**
 * @internal
 * Decorate a CORS endpoint's response (errors and misbehaviours included)
 * for a trusted `Origin`; any other origin, or none, gets no CORS headers.
 */
export function cors(
  state: OktaOrgState,
  request: Request,
  endpoint: OrgEndpoint,
  response: Response,
): Response {
  const origin = trustedOrigin(state, request)
  if (origin === undefined || !CORS_ENDPOINTS.has(endpoint)) return response
  response.headers.set('access-control-allow-origin', origin)
  response.headers.append('vary', 'Origin')
  const expose = CORS_ENDPOINTS.get(endpoint)
  if (expose) response.headers.set('access-control-expose-headers', expose)
  return response
}

/** An HTTP header name (RFC 9110 §5.1: a token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * @internal
 * Answer a CORS preflight: 204 for a trusted origin, 403 for another.
 * As Okta does, a trusted origin is allowed the headers it asks for
 * (`Access-Control-Request-Headers` echoed): okta-auth-js sends
 * `X-Okta-User-Agent-Extended`, `Content-Type: application/json`,
 * `Authorization` and more. A request header that is not a header name
 * is not echoed. Not a preflight (no `Origin` or no
 * `Access-Control-Request-Method`): `undefined`, so the next handler, if
 * any, answers the `OPTIONS` as before.
 */
export function preflight(state: OktaOrgState, request: Request): Response | undefined {
  const origin = request.headers.get('origin')
  if (origin === null || !request.headers.has('access-control-request-method')) return undefined
  if (!state.trustedOrigins.has(origin)) return new HttpResponse(null, { status: 403 })
  const requested = (request.headers.get('access-control-request-headers') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => HEADER_NAME.test(name))
  return new HttpResponse(null, {
    status: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      ...(requested.length > 0 && { 'access-control-allow-headers': requested.join(', ') }),
      'access-control-max-age': '600',
      vary: 'Origin',
    },
  })
}
