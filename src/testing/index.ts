/**
 * `okta-oauth-kit/testing`: a local Okta-style org for tests and demos. The
 * emulator arrives with the testing issue; this entry already shares the
 * core's error classes, so `instanceof` holds across entries.
 *
 * @module okta-oauth-kit/testing
 */
export * from '../errors.js'
