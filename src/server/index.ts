/**
 * `okta-oauth-kit/server`: server-side sign-in (form_post callbacks, bound
 * transactions). Handlers arrive with the server issue; this entry already
 * shares the core's error classes, so `instanceof` holds across entries.
 *
 * @module okta-oauth-kit/server
 */
export * from '../errors.js'
