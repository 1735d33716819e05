/**
 * `okta-oauth-kit`: the isomorphic core. Discovery, the token endpoint (every
 * grant, every client authentication method), ID token validation against a
 * cached JWKS, introspection, revocation, userinfo and the logout URL.
 * Runs anywhere with `fetch` and WebCrypto.
 *
 * @example
 * ```ts
 * import { createClient, discover } from 'okta-oauth-kit'
 * const client = createClient(await discover('https://example.okta.com/oauth2/default'), {
 *   clientId: '0oa1example',
 *   auth: { method: 'client_secret_basic', clientSecret: process.env.CLIENT_SECRET! },
 * })
 * const tokens = await client.clientCredentials({ scope: 'orders:read' })
 * ```
 *
 * @module okta-oauth-kit
 */
export {
  clearDiscoveryCache,
  type DiscoverOptions,
  discover,
  type ServerMetadata,
  type WellKnown,
} from './discovery/discover.js'
export * from './errors.js'
export * from './jwks/index.js'
export {
  type IdTokenClaims,
  tokenHash,
  type ValidateIdTokenOptions,
  validateIdToken,
} from './jwt/id-token.js'
export { RESPONSE_LIMITS } from './lib/body.js'
export type { CallOptions, FetchLike, HttpOptions } from './lib/http.js'
export type {
  AuthorizationRequest,
  AuthorizationTransaction,
  AuthorizationUrl,
  ResponseMode,
} from './oauth/authorization-request.js'
export type { AuthorizationResponseInput, OktaPostMessage } from './oauth/authorization-response.js'
export {
  type AuthorizationUrlOptions,
  type CallbackResult,
  Client,
  type ClientCredentialsParameters,
  type ClientOptions,
  type CodeExchange,
  createClient,
  type DPoPOptions,
  generateDPoPKeyPair,
  type IdTokenResult,
  type IntrospectionResponse,
  type LogoutParameters,
  type PasswordParameters,
  type RefreshParameters,
  type TokenTypeHint,
  type UserInfo,
  type UserInfoOptions,
} from './oauth/client.js'
export type {
  ClientAuth,
  ClientAuthMethod,
  ClientSecretBasicAuth,
  ClientSecretJwtAuth,
  ClientSecretPostAuth,
  NoneAuth,
  PrivateKeyJwtAuth,
} from './oauth/client-auth.js'
export type { TokenSet } from './oauth/token-set.js'
