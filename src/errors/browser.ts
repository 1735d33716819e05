import { assign, type ErrorOptions, OktaOAuthError } from './base.js'
import type { BrowserAuthErrorCode } from './codes.js'

/** Options of {@link BrowserAuthError}. */
export interface BrowserAuthErrorOptions extends ErrorOptions {
  /** The code; see {@link BrowserAuthErrorCode}. */
  code: BrowserAuthErrorCode
  /** The server's OAuth error, for `ERR_INTERACTION_REQUIRED`. */
  error?: string
  /** See {@link BrowserAuthError.thirdPartyCookiesSuspected}. */
  thirdPartyCookiesSuspected?: boolean
  /** See {@link BrowserAuthError.openerSevered}. */
  openerSevered?: boolean
}

/**
 * `okta-oauth-kit/browser`: a popup or hidden-iframe sign-in could not
 * complete. Nothing is stored when it is thrown.
 */
export class BrowserAuthError extends OktaOAuthError {
  /** The default code of this class. */
  static readonly code: BrowserAuthErrorCode = 'ERR_POPUP_CLOSED'
  declare readonly code: BrowserAuthErrorCode
  /** With `ERR_INTERACTION_REQUIRED`: the server's OAuth error, e.g. `login_required`. */
  declare readonly error?: string
  /**
   * The browser probably blocks third-party cookies: a silent sign-in timed
   * out, or said `login_required` although this app signed in recently. Use
   * refresh tokens (`offline_access`) or a redirect instead.
   */
  declare readonly thirdPartyCookiesSuspected?: boolean
  /**
   * With `ERR_POPUP_CLOSED`: the popup reported closed so soon after it
   * loaded that a Cross-Origin-Opener-Policy most likely severed it from this
   * page. Use a same-origin relay page (`relayUri`) or a redirect.
   */
  declare readonly openerSevered?: boolean

  /**
   * @param message - what happened.
   * @param options - the code, the OAuth error and hints, the `cause`.
   */
  constructor(message: string, options: BrowserAuthErrorOptions) {
    super(message, options)
    this.name = 'BrowserAuthError'
    assign(this, options, ['error'])
    // Hints are present only when true.
    if (options.thirdPartyCookiesSuspected) assign(this, options, ['thirdPartyCookiesSuspected'])
    if (options.openerSevered) assign(this, options, ['openerSevered'])
  }
}
