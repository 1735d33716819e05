import { printable } from '../lib/printable.js'
import { assign, type ErrorOptions, OktaOAuthError } from './base.js'

/** The server's OAuth error fields, as sent (`error`, `error_description`, `error_uri`). */
export interface OAuthErrorFields {
  /** The OAuth error code, e.g. `invalid_grant`, `invalid_client`, `invalid_token`. */
  error: string
  /** Human-readable text from the server, if any. */
  errorDescription?: string
  /** A URI with more information, if any. */
  errorUri?: string
}

/** One parsed `WWW-Authenticate` challenge, e.g. `Bearer error="invalid_token"`. */
export interface WWWAuthenticateChallenge {
  /** The scheme in lower case: `bearer`, `dpop`, `basic`, … */
  scheme: string
  /** The auth-params, names in lower case. */
  parameters: Readonly<Record<string, string>>
}

/** Options of {@link OAuthResponseError}. */
export interface OAuthResponseErrorOptions extends ErrorOptions, OAuthErrorFields {
  /** The HTTP status of the response. */
  status: number
  /** The parsed `WWW-Authenticate` challenges, when the error came in that header. */
  challenges?: readonly WWWAuthenticateChallenge[]
}

/**
 * The token, introspection, revocation, userinfo or PAR endpoint answered
 * with an OAuth error: a JSON body such as
 * `{"error":"invalid_grant","error_description":"…"}` or a
 * `WWW-Authenticate: Bearer error="invalid_token"` challenge (RFC 6750 §3).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export class OAuthResponseError extends OktaOAuthError implements OAuthErrorFields {
  /** The one code of this class. */
  static readonly code = 'ERR_OAUTH_RESPONSE'
  declare readonly code: 'ERR_OAUTH_RESPONSE'
  /** The OAuth `error` code. */
  declare readonly error: string
  /** The server's `error_description`, if any. */
  declare readonly errorDescription?: string
  /** The server's `error_uri`, if any. */
  declare readonly errorUri?: string
  /** The HTTP status of the response. */
  declare readonly status: number
  /** The parsed `WWW-Authenticate` challenges, when the error came in that header. */
  declare readonly challenges?: readonly WWWAuthenticateChallenge[]

  /**
   * @param message - what failed; `undefined` for the default, which quotes the server's error (escaped and cut).
   * @param options - the server's error fields, the HTTP status, any parsed challenges, the `cause`.
   */
  constructor(message: string | undefined, options: OAuthResponseErrorOptions) {
    super(
      message ??
        `server responded with ${printable(options.error, 64)}` +
          (options.errorDescription ? `: ${printable(options.errorDescription)}` : '') +
          ` (HTTP ${options.status})`,
      { code: 'ERR_OAUTH_RESPONSE', cause: options.cause },
    )
    this.name = 'OAuthResponseError'
    assign(this, options, ['error', 'errorDescription', 'errorUri', 'status', 'challenges'])
  }
}

/** Options of {@link AuthorizationResponseError}. */
export interface AuthorizationResponseErrorOptions extends ErrorOptions, OAuthErrorFields {}

/**
 * The authorization response (redirect, `form_post` or `okta_post_message`)
 * carried an `error` such as `access_denied` or `login_required`.
 *
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthError | OIDC Core §3.1.2.6}
 */
export class AuthorizationResponseError extends OktaOAuthError implements OAuthErrorFields {
  /** The one code of this class. */
  static readonly code = 'ERR_AUTHORIZATION_RESPONSE'
  declare readonly code: 'ERR_AUTHORIZATION_RESPONSE'
  /** The OAuth `error` code, e.g. `access_denied`, `login_required`. */
  declare readonly error: string
  /** The server's `error_description`, if any. */
  declare readonly errorDescription?: string
  /** The server's `error_uri`, if any. */
  declare readonly errorUri?: string

  /**
   * @param message - what failed; `undefined` for the default, which quotes the error (escaped and cut: anyone can craft a callback URL).
   * @param options - the error fields of the authorization response, the `cause`.
   */
  constructor(message: string | undefined, options: AuthorizationResponseErrorOptions) {
    super(
      message ??
        `authorization failed with ${printable(options.error, 64)}` +
          (options.errorDescription ? `: ${printable(options.errorDescription)}` : ''),
      { code: 'ERR_AUTHORIZATION_RESPONSE', cause: options.cause },
    )
    this.name = 'AuthorizationResponseError'
    assign(this, options, ['error', 'errorDescription', 'errorUri'])
  }
}
