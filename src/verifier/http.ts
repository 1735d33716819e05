import {
  BearerTokenError,
  InvalidOptionError,
  isOktaOAuthError,
  JwksError,
  TokenValidationError,
} from '../errors.js'

/** Where a bearer token can be read from: a Web `Request`, `Headers`, Node's `req.headers`, or the header's value. */
export type BearerSource =
  | Request
  | Headers
  | RequestLike
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | string
  | null
  | undefined

/** Anything with a `headers` member: Node's `IncomingMessage`, Express and Fastify requests. */
export interface RequestLike {
  /** The request headers: Web `Headers` or Node's lower-cased header record. */
  readonly headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>
}

/** The JSON body of an RFC 6750 error response. */
export interface BearerErrorBody {
  /** `invalid_request`, `invalid_token`, `insufficient_scope`, or `temporarily_unavailable`. */
  error: string
  /** What failed, in words; never the token. */
  error_description: string
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * The bearer token of a request's `Authorization` header (RFC 6750 §2.1).
 * Tokens in query strings or form bodies are not read: the spec discourages
 * them and they end up in logs.
 *
 * @param source - A `Request`, `Headers`, Node `IncomingMessage`/its `headers`, or the header value.
 * @returns The token.
 * @throws `BearerTokenError` — `ERR_BEARER_MISSING` (no header, or another
 * scheme), `ERR_BEARER_MALFORMED` (several headers, or not one well-formed token).
 * @example
 * ```ts
 * import { extractBearerToken } from 'okta-oauth-kit/verifier'
 * extractBearerToken('Bearer eyJhbGciOi...') // 'eyJhbGciOi...'
 * ```
 */
export function extractBearerToken(source: BearerSource): string {
  const value = authorizationOf(source)
  if (value === undefined || value === '') {
    throw new BearerTokenError('the request has no Authorization header', {
      code: 'ERR_BEARER_MISSING',
    })
  }
  if (typeof value !== 'string') {
    throw new BearerTokenError('the request has several Authorization headers', {
      code: 'ERR_BEARER_MALFORMED',
    })
  }
  if (!/^bearer(\s|$)/i.test(value)) {
    throw new BearerTokenError('the Authorization header is not a Bearer token', {
      code: 'ERR_BEARER_MISSING',
    })
  }
  const m = BEARER.exec(value)
  if (!m) {
    throw new BearerTokenError(
      'the Authorization header does not hold exactly one well-formed bearer token',
      { code: 'ERR_BEARER_MALFORMED' },
    )
  }
  return m[1]!
}

function authorizationOf(source: BearerSource): string | readonly string[] | undefined {
  if (source === null || source === undefined) return undefined
  if (typeof source === 'string') return source
  if (typeof Headers !== 'undefined' && source instanceof Headers) return headerValue(source)
  if (typeof Request !== 'undefined' && source instanceof Request)
    return headerValue(source.headers)
  if ('headers' in source && typeof source.headers === 'object' && source.headers !== null) {
    return authorizationOf(source.headers as BearerSource)
  }
  const record = source as Readonly<Record<string, string | readonly string[] | undefined>>
  const v = record.authorization ?? record.Authorization
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.length === 1 ? (v[0] as string) : v
  return v as string | undefined
}

function headerValue(headers: Headers): string | readonly string[] | undefined {
  const v = headers.get('authorization')
  if (v === null) return undefined
  // Headers joins repeated fields with ", ": two bearer tokens are refused.
  return /,\s*bearer\s/i.test(v) ? [v] : v
}

/** Options of {@link bearerChallenge}. */
export interface BearerChallengeOptions {
  /** The `realm` attribute of the challenge. */
  realm?: string
}

/** The HTTP answer to a failed bearer authentication (RFC 6750 §3). */
export interface BearerChallenge {
  /** 400 (`invalid_request`), 401 (no token, `invalid_token`), 403 (`insufficient_scope`), 503 (keys or server unreachable). */
  status: 400 | 401 | 403 | 503
  /** `WWW-Authenticate` for 400/401/403; `Retry-After` for 503. */
  headers: Record<string, string>
  /** An RFC 6750 error body, or `undefined` when the request carried no token at all. */
  body?: BearerErrorBody
}

/**
 * The RFC 6750 response for an error thrown by `extractBearerToken` or
 * `verifyAccessToken`:
 * - no token → 401 `WWW-Authenticate: Bearer realm="…"`;
 * - malformed header → 400 `error="invalid_request"`;
 * - invalid, expired, forged, unknown-key token → 401 `error="invalid_token"`;
 * - missing scope → 403 `error="insufficient_scope", scope="…"`;
 * - keys or authorization server unreachable → 503 (`Retry-After`).
 * Descriptions are the SDK's messages, which never contain the token.
 *
 * @param error - What was thrown.
 * @param options - The realm.
 * @returns Status, headers and body to send.
 * @example
 * ```ts
 * import { bearerChallenge } from 'okta-oauth-kit/verifier'
 * declare const err: unknown
 * const { status, headers, body } = bearerChallenge(err, { realm: 'orders' })
 * ```
 */
export function bearerChallenge(
  error: unknown,
  options: BearerChallengeOptions = {},
): BearerChallenge {
  const realm = options.realm === undefined ? '' : `realm="${quote(options.realm)}"`
  const challenge = (attrs: string[]) =>
    `Bearer ${[realm, ...attrs].filter((a) => a !== '').join(', ')}`.trimEnd()
  if (error instanceof BearerTokenError && error.code === 'ERR_BEARER_MISSING') {
    return { status: 401, headers: { 'www-authenticate': challenge([]) } }
  }
  if (error instanceof BearerTokenError) {
    const body = { error: 'invalid_request', error_description: error.message }
    return {
      status: 400,
      headers: {
        'www-authenticate': challenge([
          'error="invalid_request"',
          `error_description="${quote(error.message)}"`,
        ]),
      },
      body,
    }
  }
  if (error instanceof TokenValidationError && error.code === 'ERR_INSUFFICIENT_SCOPE') {
    const scope = (error.requiredScopes ?? []).join(' ')
    return {
      status: 403,
      headers: {
        'www-authenticate': challenge([
          'error="insufficient_scope"',
          `error_description="${quote(error.message)}"`,
          ...(scope ? [`scope="${quote(scope)}"`] : []),
        ]),
      },
      body: { error: 'insufficient_scope', error_description: error.message },
    }
  }
  if (
    error instanceof TokenValidationError ||
    (error instanceof JwksError && error.code === 'ERR_JWKS_NO_MATCHING_KEY')
  ) {
    const message = (error as Error).message
    return {
      status: 401,
      headers: {
        'www-authenticate': challenge([
          'error="invalid_token"',
          `error_description="${quote(message)}"`,
        ]),
      },
      body: { error: 'invalid_token', error_description: message },
    }
  }
  if (error instanceof InvalidOptionError) throw error
  const message = isOktaOAuthError(error)
    ? 'the token cannot be verified now: the authorization server is unreachable'
    : 'the token cannot be verified now'
  return {
    status: 503,
    headers: { 'retry-after': '5' },
    body: { error: 'temporarily_unavailable', error_description: message },
  }
}

/**
 * A Web `Response` for a {@link BearerChallenge}, with a JSON body.
 * @param challenge - From {@link bearerChallenge}.
 * @returns The response to return from a fetch-style handler.
 */
export function challengeResponse(challenge: BearerChallenge): Response {
  const headers = new Headers(challenge.headers)
  headers.set('cache-control', 'no-store')
  if (!challenge.body) return new Response(null, { status: challenge.status, headers })
  headers.set('content-type', 'application/json')
  return new Response(JSON.stringify(challenge.body), { status: challenge.status, headers })
}

function quote(value: string): string {
  // RFC 6750 §3: error_description and scope use %x20-21 / %x23-5B / %x5D-7E.
  return value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')
}
