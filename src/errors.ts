/**
 * The SDK's error classes. Every error thrown for a network, server or token
 * problem is an {@link OktaOAuthError} with a stable {@link OktaOAuthError.code};
 * programmer mistakes (bad options) are {@link InvalidOptionError}s, a
 * `TypeError` with a code. Messages name what failed and what was expected,
 * never a token, secret, code or verifier.
 *
 * @module errors
 */

export * from './errors/index.js'
