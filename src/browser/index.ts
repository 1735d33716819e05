/**
 * `okta-oauth-kit/browser`: sign-in for single-page apps. Redirect, popup
 * and hidden-iframe sign-in over `okta_post_message`, code + PKCE, implicit
 * and hybrid response types, a token manager that renews on read and
 * coordinates tabs, and sign-out. Runs on fetch and WebCrypto only; shares
 * the core's error classes, so `instanceof` holds across entries.
 *
 * @module okta-oauth-kit/browser
 */
export * from '../errors.js'
export type { IdTokenClaims } from '../jwt/id-token.js'
export type { TokenSet } from '../oauth/token-set.js'
export { type BrowserAuth, createBrowserAuth } from './auth.js'
export type { IdTokenOnly, SignInResult } from './complete.js'
export {
  type BroadcastCoordinatorOptions,
  broadcastCoordinator,
  type CoordinatorMessage,
  localCoordinator,
  type RenewCoordinator,
} from './coordinator.js'
export { createEmitter, type Emitter, type Listener } from './events.js'
export type { BrowserAuthOptions, BrowserResponseType, SignInOptions } from './options.js'
export { type PopupSignInOptions, relayCallback } from './popup.js'
export type { BrowserServerMetadata } from './protocol.js'
export type {
  BrowserRedirectResult,
  RedirectResult,
  RedirectSignInOptions,
} from './redirect.js'
export type { SignOutOptions, SignOutResult } from './sign-out.js'
export type { SilentSignInOptions } from './silent.js'
export {
  type KeyValueStore,
  memoryStore,
  type TokenStorage,
  type WebStorageOptions,
  webStorage,
} from './storage.js'
export {
  createTokenManager,
  type TokenManager,
  type TokenManagerClient,
  type TokenManagerEvents,
  type TokenManagerOptions,
} from './token-manager.js'
export {
  type BrowserTransactionStore,
  createTransactionStore,
  type TransactionStore,
  type TransactionStoreOptions,
} from './transactions.js'
