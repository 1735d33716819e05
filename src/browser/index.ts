/**
 * `okta-oauth-kit/browser`: sign-in for single-page apps. Redirect, popup and
 * hidden-iframe flows arrive with the browser issue; this entry already
 * shares the core's error classes, so `instanceof` holds across entries.
 *
 * @module okta-oauth-kit/browser
 */
export * from '../errors.js'
export {
  type BroadcastCoordinatorOptions,
  broadcastCoordinator,
  type CoordinatorMessage,
  localCoordinator,
  type RenewCoordinator,
} from './coordinator.js'
export { createEmitter, type Emitter, type Listener } from './events.js'
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
  createTransactionStore,
  type TransactionStore,
  type TransactionStoreOptions,
} from './transactions.js'
