import * as oauth from 'oauth4webapi'
import type { ServerMetadata } from '../discovery/discover.js'
import { InvalidOptionError } from '../errors.js'
import type { JwksCache } from '../jwks/types.js'
import { isForbiddenAlg } from '../lib/algorithms.js'
import { RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import { DEFAULT_CLOCK_TOLERANCE } from '../lib/defaults.js'
import { type CallOptions, type HttpOptions, parseUrl } from '../lib/http.js'
import { metadataProblem } from '../lib/metadata.js'
import type { ClientAuth } from './client-auth.js'

// The core client's options: their types, their defaults in one place, and
// the checks made once, when the client is created.

/** Options of {@link createClient}. */
export interface ClientOptions extends HttpOptions {
  /** The client id (`0oa…` at Okta). */
  clientId: string
  /** The default `redirect_uri` for authorization requests and code exchange. */
  redirectUri?: string
  /** The default `post_logout_redirect_uri` of {@link Client.logoutUrl}. */
  postLogoutRedirectUri?: string
  /** How the client authenticates to the server. Default: `{ method: 'none' }` (public client). */
  auth?: ClientAuth
  /** Tolerance for token time claims, in seconds. Default: 30. */
  clockTolerance?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
  /**
   * Algorithms accepted for ID token signatures. Default: the server's
   * `id_token_signing_alg_values_supported` without `none` and HMAC, or `["RS256"]`.
   */
  idTokenSigningAlgorithms?: readonly string[]
  /** A JWKS cache to share (e.g. with a verifier). Default: one per client, for the server's `jwks_uri`. */
  jwks?: JwksCache
  /**
   * Allow `okta_post_message` with a pure `code` response type (with PKCE,
   * as always). Today's Okta, okta-auth-js and this SDK's `./browser` use it;
   * the older server documentation forbade it. Default: true; `false`
   * refuses such requests (`AuthorizationRequestError`, rule
   * `post_message_for_code`) for an org that still does.
   */
  postMessageForCode?: boolean
  /** How long an authorization transaction stays usable, in ms. Default: 600 000 (10 min). */
  transactionTtl?: number
  /**
   * Bind tokens to a key pair with DPoP (RFC 9449): proofs go to the token,
   * userinfo and resource requests ({@link Client.fetchProtected}), and the
   * server's `use_dpop_nonce` challenge is answered with one retry. Make the
   * pair with {@link generateDPoPKeyPair}.
   */
  dpop?: DPoPOptions
}

/** DPoP settings of a client. */
export interface DPoPOptions {
  /** The key pair proofs are signed with; tokens are bound to its public key. */
  keyPair: CryptoKeyPair
}

/** Options of {@link Client.authorizationUrl}. */
export interface AuthorizationUrlOptions extends CallOptions {
  /** Push the request to the server's `pushed_authorization_request_endpoint` (RFC 9126). */
  par?: boolean
}

/** The core client's defaults, in one place. */
export const CLIENT_DEFAULTS = {
  /** Tolerance for token time claims, in seconds. */
  clockTolerance: DEFAULT_CLOCK_TOLERANCE,
  /** How long an authorization transaction stays usable, in ms (10 min). */
  transactionTtl: 600_000,
  /** ID-token algorithms when neither the options nor the server name any. */
  idTokenSigningAlgorithms: ['RS256'],
} as const

/** @internal The options of a client, checked, with their defaults applied. */
export interface ClientConfig {
  readonly options: Readonly<ClientOptions>
  readonly clockTolerance: number
  readonly transactionTtl: number
  readonly maxResponseBytes: number
  readonly algorithms: readonly string[]
  readonly dpop: oauth.DPoPHandle | undefined
}

/**
 * @internal
 * Check a client's metadata and options (an `InvalidOptionError` for the
 * first problem) and apply the defaults.
 */
export function normalizeClientOptions(
  metadata: ServerMetadata,
  options: ClientOptions,
): ClientConfig {
  if (typeof metadata !== 'object' || metadata === null || typeof metadata.issuer !== 'string') {
    throw new InvalidOptionError('metadata must be server metadata with an issuer (see discover())')
  }
  if (typeof options?.clientId !== 'string' || options.clientId.length === 0) {
    throw new InvalidOptionError('clientId must be a non-empty string')
  }
  if (options.clockTolerance !== undefined && !(options.clockTolerance >= 0)) {
    throw new InvalidOptionError('clockTolerance must be a non-negative number of seconds')
  }
  for (const [name, value] of [
    ['redirectUri', options.redirectUri],
    ['postLogoutRedirectUri', options.postLogoutRedirectUri],
  ] as const) {
    if (value !== undefined) parseUrl(value, name)
  }
  const maxResponseBytes = responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.protocol)
  // Metadata from discover() is checked already; metadata built by hand is the caller's.
  const problem = metadataProblem(metadata as Record<string, unknown>, undefined)
  if (problem) throw new InvalidOptionError(`metadata.${problem[0]} must be ${problem[1]}`)
  if (
    options.idTokenSigningAlgorithms !== undefined &&
    !(
      Array.isArray(options.idTokenSigningAlgorithms) &&
      options.idTokenSigningAlgorithms.every((a) => typeof a === 'string')
    )
  ) {
    throw new InvalidOptionError('idTokenSigningAlgorithms must be a list of algorithm names')
  }
  const advertised = metadata.id_token_signing_alg_values_supported
  let algorithms = (
    options.idTokenSigningAlgorithms ??
    advertised ??
    CLIENT_DEFAULTS.idTokenSigningAlgorithms
  ).filter((alg) => !isForbiddenAlg(alg))
  if (algorithms.length === 0) algorithms = [...CLIENT_DEFAULTS.idTokenSigningAlgorithms]
  let dpop: oauth.DPoPHandle | undefined
  if (options.dpop !== undefined) {
    const pair = options.dpop?.keyPair
    if (!pair?.privateKey || !pair.publicKey) {
      throw new InvalidOptionError('dpop.keyPair must be a CryptoKeyPair (see generateDPoPKeyPair)')
    }
    dpop = oauth.DPoP({}, pair)
  }
  return {
    options: { ...options },
    clockTolerance: options.clockTolerance ?? CLIENT_DEFAULTS.clockTolerance,
    transactionTtl: options.transactionTtl ?? CLIENT_DEFAULTS.transactionTtl,
    maxResponseBytes,
    algorithms,
    dpop,
  }
}

/** @internal The transport options a client hands on (to its JWKS cache). */
export function httpOptionsOf(o: ClientOptions): HttpOptions {
  return {
    ...(o.fetch && { fetch: o.fetch }),
    ...(o.timeout !== undefined && { timeout: o.timeout }),
    ...(o.maxResponseBytes !== undefined && { maxResponseBytes: o.maxResponseBytes }),
    ...(o.allowInsecureRequests !== undefined && {
      allowInsecureRequests: o.allowInsecureRequests,
    }),
  }
}

/** @internal Refuse a missing or empty string argument. */
export function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(`${name} must be a non-empty string`)
  }
}
