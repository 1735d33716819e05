/**
 * `okta-oauth-kit/browser`: sign-in for single-page apps. Redirect, popup and
 * hidden-iframe flows arrive with the browser issue; this entry already
 * shares the core's error classes, so `instanceof` holds across entries.
 *
 * @module okta-oauth-kit/browser
 */
export * from '../errors.js'
