import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'

// Discovery: `/.well-known/openid-configuration` and
// `/.well-known/oauth-authorization-server` at each issuer. It advertises
// only what the emulator serves: no `registration_endpoint` (Okta's dynamic
// client registration is not emulated), no request objects.

/** @internal The discovery answer of a server (both documents are the same). */
export function discovery(server: ServerState): Response {
  return HttpResponse.json(metadata(server), {
    headers: { 'cache-control': 'max-age=86400' },
  })
}

/** @internal The discovery document of a server, in Okta's shape. */
export function metadata(server: ServerState): Record<string, unknown> {
  const v1 = `${server.base}/v1`
  const authMethods = [
    'client_secret_basic',
    'client_secret_post',
    'client_secret_jwt',
    'private_key_jwt',
    'none',
  ]
  return {
    issuer: server.issuer,
    authorization_endpoint: `${v1}/authorize`,
    token_endpoint: `${v1}/token`,
    userinfo_endpoint: `${v1}/userinfo`,
    jwks_uri: `${v1}/keys`,
    response_types_supported: [
      'code',
      'id_token',
      'code id_token',
      'code token',
      'id_token token',
      'code id_token token',
    ],
    response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
    grant_types_supported: [
      'authorization_code',
      'implicit',
      'refresh_token',
      'password',
      'client_credentials',
    ],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: publishedScopes(server),
    token_endpoint_auth_methods_supported: authMethods,
    claims_supported: [
      'iss',
      'ver',
      'sub',
      'aud',
      'iat',
      'exp',
      'jti',
      'auth_time',
      'amr',
      'idp',
      'nonce',
      'name',
      'nickname',
      'preferred_username',
      'given_name',
      'middle_name',
      'family_name',
      'email',
      'email_verified',
      'profile',
      'zoneinfo',
      'locale',
      'address',
      'phone_number',
      'picture',
      'website',
      'gender',
      'birthdate',
      'updated_at',
      'at_hash',
      'c_hash',
    ],
    code_challenge_methods_supported: ['S256'],
    introspection_endpoint: `${v1}/introspect`,
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint: `${v1}/revoke`,
    revocation_endpoint_auth_methods_supported: authMethods,
    end_session_endpoint: `${v1}/logout`,
    // The `request` parameter (a request object) is not emulated; PAR is.
    request_parameter_supported: false,
    pushed_authorization_request_endpoint: `${v1}/par`,
  }
}

/**
 * The scopes discovery lists: all of the server's, except those whose
 * management record says `metadataPublish: NO_CLIENTS` (as Okta does).
 */
function publishedScopes(server: ServerState): string[] {
  const hidden = new Set(
    [...(server.admin?.scopes.values() ?? [])]
      .filter((s) => s.metadataPublish === 'NO_CLIENTS')
      .map((s) => s.name),
  )
  return [...server.scopes].filter((name) => !hidden.has(name))
}
