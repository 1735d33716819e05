/**
 * `okta-oauth-kit/verifier`: token verification for resource servers. It
 * offers the shared JWKS cache and ID token validation now; access-token
 * verification arrives with the verifier issue.
 *
 * @module okta-oauth-kit/verifier
 */
export * from '../errors.js'
export {
  createJwksCache,
  type JwksCache,
  type JwksCacheOptions,
  type KeyResolver,
} from '../jwks/cache.js'
export {
  type IdTokenClaims,
  type ValidateIdTokenOptions,
  validateIdToken,
} from '../jwt/id-token.js'
