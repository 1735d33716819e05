/**
 * `okta-oauth-kit/admin`: the authorization-server management API. The typed
 * client arrives with the management issue; this entry already shares the
 * core's error classes, so `instanceof` holds across entries.
 *
 * @module okta-oauth-kit/admin
 */
export * from '../errors.js'
