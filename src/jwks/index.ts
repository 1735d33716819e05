/**
 * The JWKS cache, as `okta-oauth-kit` and `okta-oauth-kit/verifier` both
 * export it: this list is written here once.
 * @internal
 * @module
 */

export type {
  FlattenedJWSInput,
  JSONWebKeySet,
  JsonArray,
  JsonObject,
  JsonPrimitive,
  JsonValue,
  JWK,
  JWSHeaderParameters,
  JWTPayload,
} from '../lib/wire-types.js'
export { createJwksCache } from './cache.js'
export type {
  JwksCacheEvent,
  JwksFetchEvent,
  JwksFetchReason,
  JwksImportEvent,
  JwksRotationEvent,
  JwksStaleEvent,
  JwksStoreErrorEvent,
  JwksUnknownKidEvent,
} from './events.js'
export { createMemoryJwksStore } from './memory-store.js'
export type {
  JwksCache,
  JwksCacheOptions,
  JwksSnapshot,
  JwksStore,
  KeyResolver,
  KeySelector,
} from './types.js'
