import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose'
import { HttpResponse, http } from 'msw'
import { type ClientOptions, createClient, type ServerMetadata } from '../../src/index.js'
import { server } from './msw.js'

export const ISSUER = 'https://example.okta.com/oauth2/default'
export const CLIENT_ID = '0oa1example'
export const USER_SUB = '00uid4BxXw6I6TV4m0g3'

/** A request the fake issuer received, with its form body parsed. */
export interface Recorded {
  url: URL
  method: string
  headers: Headers
  form: URLSearchParams
}

type Responder = (request: Request, form: URLSearchParams) => Response | Promise<Response>

/** The Okta-style metadata of the reference's discovery document, for ISSUER. */
export function oktaMetadata(issuer = ISSUER): ServerMetadata {
  return {
    issuer,
    authorization_endpoint: `${issuer}/v1/authorize`,
    token_endpoint: `${issuer}/v1/token`,
    userinfo_endpoint: `${issuer}/v1/userinfo`,
    jwks_uri: `${issuer}/v1/keys`,
    introspection_endpoint: `${issuer}/v1/introspect`,
    revocation_endpoint: `${issuer}/v1/revoke`,
    end_session_endpoint: `${issuer}/v1/logout`,
    response_types_supported: [
      'code',
      'code id_token',
      'code token',
      'code id_token token',
      'id_token',
      'id_token token',
    ],
    response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
    grant_types_supported: [
      'authorization_code',
      'implicit',
      'refresh_token',
      'password',
      'client_credentials',
    ],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
      'none',
    ],
    code_challenge_methods_supported: ['S256'],
  }
}

/**
 * An Okta-style issuer behind msw with a real RSA signing key: it signs ID
 * tokens, serves discovery and keys, records every request, and answers the
 * token/introspect/revoke/userinfo endpoints with whatever the test says.
 */
export async function createFakeIssuer(issuer = ISSUER) {
  const signing = await generateKeyPair('RS256', { extractable: true })
  const kid = 'kid-1'
  const keys: JWK[] = [{ ...(await exportJWK(signing.publicKey)), kid, alg: 'RS256', use: 'sig' }]
  const requests: Recorded[] = []
  const responders: Record<string, Responder> = {}
  const metadata = oktaMetadata(issuer)

  const record = async (request: Request): Promise<URLSearchParams> => {
    const text = request.method === 'POST' ? await request.clone().text() : ''
    const form = new URLSearchParams(text)
    requests.push({
      url: new URL(request.url),
      method: request.method,
      headers: request.headers,
      form,
    })
    return form
  }
  const endpoint = (method: 'get' | 'post', path: string, fallback: Responder) =>
    http[method](`${issuer}${path}`, async ({ request }) => {
      const form = await record(request)
      return (responders[path] ?? fallback)(request, form)
    })
  const notConfigured: Responder = () =>
    HttpResponse.json({ error: 'server_error' }, { status: 500 })

  server.use(
    endpoint('get', '/.well-known/openid-configuration', () => HttpResponse.json(metadata)),
    endpoint('get', '/.well-known/oauth-authorization-server', () => HttpResponse.json(metadata)),
    endpoint('get', '/v1/keys', () =>
      HttpResponse.json(
        { keys },
        { headers: { 'cache-control': 'max-age=3832304, must-revalidate' } },
      ),
    ),
    endpoint('post', '/v1/token', notConfigured),
    endpoint('post', '/v1/introspect', notConfigured),
    endpoint('post', '/v1/revoke', notConfigured),
    endpoint('get', '/v1/userinfo', notConfigured),
    endpoint('post', '/v1/userinfo', notConfigured),
  )

  let signer = { key: signing.privateKey as CryptoKey, kid }

  const fake = {
    issuer,
    metadata,
    keys,
    requests,
    /** Requests to one path, e.g. `/v1/token`. */
    requestsTo: (path: string) =>
      requests.filter((r) => r.url.pathname === new URL(issuer + path).pathname),
    /** Answer `path` with `responder` from now on. */
    on(path: string, responder: Responder) {
      responders[path] = responder
    },
    /** Sign an ID token: valid claims for CLIENT_ID by default, overridable. */
    async idToken(claims: JWTPayload = {}, header: { alg?: string; kid?: string } = {}) {
      const now = Math.floor(Date.now() / 1000)
      return new SignJWT({
        ver: 1,
        iss: issuer,
        sub: USER_SUB,
        aud: CLIENT_ID,
        iat: now,
        exp: now + 3600,
        auth_time: now - 10,
        amr: ['pwd'],
        idp: '00o1example',
        jti: `ID.${crypto.randomUUID()}`,
        ...claims,
      })
        .setProtectedHeader({ alg: header.alg ?? 'RS256', kid: header.kid ?? signer.kid })
        .sign(signer.key)
    },
    /** Publish a new signing key first in the JWKS and sign with it from now on. */
    async rotate(newKid = `kid-${keys.length + 1}`) {
      const next = await generateKeyPair('RS256', { extractable: true })
      keys.unshift({ ...(await exportJWK(next.publicKey)), kid: newKid, alg: 'RS256', use: 'sig' })
      signer = { key: next.privateKey as CryptoKey, kid: newKid }
      return newKid
    },
    /** A client for this issuer. */
    client(options: Partial<ClientOptions> = {}) {
      return createClient(metadata, { clientId: CLIENT_ID, ...options })
    },
  }
  return fake
}

export type FakeIssuer = Awaited<ReturnType<typeof createFakeIssuer>>

/** A token response body like the reference's, with real tokens. */
export function tokenBody(fields: Record<string, unknown>) {
  return HttpResponse.json({ token_type: 'Bearer', expires_in: 3600, ...fields })
}
