/**
 * What both verifier entries (WebCrypto and `node:crypto`) export, apart
 * from `createVerifier` itself.
 * @internal
 * @module
 */
export * from '../errors.js'
export * from '../jwks/index.js'
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
} from './types.js'
