/**
 * What both verifier entries (WebCrypto and `node:crypto`) export, apart
 * from `createVerifier` itself.
 * @internal
 * @module
 */
export * from '../errors.js'
export {
  createJwksCache,
  createMemoryJwksStore,
  type JwksCache,
  type JwksCacheEvent,
  type JwksCacheOptions,
  type JwksFetchEvent,
  type JwksFetchReason,
  type JwksImportEvent,
  type JwksRotationEvent,
  type JwksSnapshot,
  type JwksStaleEvent,
  type JwksStore,
  type JwksStoreErrorEvent,
  type JwksUnknownKidEvent,
  type KeyResolver,
  type KeySelector,
} from '../jwks/cache.js'
export {
  type IdTokenClaims,
  type ValidateIdTokenOptions,
  validateIdToken,
} from '../jwt/id-token.js'
export type { CryptoBackendName } from './backend.js'
export {
  type BearerChallenge,
  type BearerChallengeOptions,
  type BearerErrorBody,
  type BearerSource,
  bearerChallenge,
  challengeResponse,
  extractBearerToken,
  type RequestLike,
} from './http.js'
export type {
  AccessTokenClaims,
  AuthenticateOptions,
  AuthenticationFailure,
  AuthenticationResult,
  AuthenticationSuccess,
  ClaimAssertion,
  ConfirmationClaim,
  IncludesAssertion,
  IntrospectionFallbackOptions,
  OneOfAssertion,
  ScopeRequirement,
  TokenCacheOptions,
  VerifiedAccessToken,
  VerifiedHeader,
  Verifier,
  VerifierOptions,
  VerifyAccessTokenOptions,
  VerifyIdTokenOptions,
} from './verifier.js'
