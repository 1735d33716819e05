import type { JsonValue } from '../lib/wire-types.js'

/**
 * Authorization-server metadata as the server publishes it (wire names, snake_case):
 * `issuer`, `authorization_endpoint`, `token_endpoint`, `jwks_uri`, … and any
 * extension the server adds (as JSON values). The same shape as
 * oauth4webapi's `AuthorizationServer`, declared here so that this
 * package's declarations stand alone.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-2 | RFC 8414 §2}
 * @see {@link https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata | OIDC Discovery §3}
 */
export interface ServerMetadata {
  /** The issuer identifier. */
  readonly issuer: string
  /** The authorization endpoint. */
  readonly authorization_endpoint?: string
  /** The token endpoint. */
  readonly token_endpoint?: string
  /** The JWK Set document of the server's signing keys. */
  readonly jwks_uri?: string
  /** The dynamic client registration endpoint. */
  readonly registration_endpoint?: string
  /** The userinfo endpoint (OpenID Connect). */
  readonly userinfo_endpoint?: string
  /** The introspection endpoint (RFC 7662). */
  readonly introspection_endpoint?: string
  /** The revocation endpoint (RFC 7009). */
  readonly revocation_endpoint?: string
  /** The RP-initiated logout endpoint. */
  readonly end_session_endpoint?: string
  /** The device authorization endpoint (RFC 8628). */
  readonly device_authorization_endpoint?: string
  /** The pushed authorization request endpoint (RFC 9126). */
  readonly pushed_authorization_request_endpoint?: string
  /** The server only accepts pushed authorization requests. */
  readonly require_pushed_authorization_requests?: boolean
  /** Scopes the server supports. */
  readonly scopes_supported?: string[]
  /** `response_type` values the server supports. */
  readonly response_types_supported?: string[]
  /** `response_mode` values the server supports. */
  readonly response_modes_supported?: string[]
  /** Grant types the server supports. */
  readonly grant_types_supported?: string[]
  /** Client authentication methods at the token endpoint. */
  readonly token_endpoint_auth_methods_supported?: string[]
  /** Assertion signing algorithms at the token endpoint. */
  readonly token_endpoint_auth_signing_alg_values_supported?: string[]
  /** Client authentication methods at the introspection endpoint. */
  readonly introspection_endpoint_auth_methods_supported?: string[]
  /** Client authentication methods at the revocation endpoint. */
  readonly revocation_endpoint_auth_methods_supported?: string[]
  /** PKCE methods the server supports. */
  readonly code_challenge_methods_supported?: string[]
  /** ID token signing algorithms. */
  readonly id_token_signing_alg_values_supported?: string[]
  /** Subject identifier types. */
  readonly subject_types_supported?: string[]
  /** Claims the server may put in ID tokens and userinfo. */
  readonly claims_supported?: string[]
  /** Request object signing algorithms. */
  readonly request_object_signing_alg_values_supported?: string[]
  /** The server sends `iss` in authorization responses (RFC 9207). */
  readonly authorization_response_iss_parameter_supported?: boolean
  /** DPoP proof signing algorithms (RFC 9449). */
  readonly dpop_signing_alg_values_supported?: string[]
  /** Any other member, as JSON. */
  readonly [metadata: string]: JsonValue | undefined
}
