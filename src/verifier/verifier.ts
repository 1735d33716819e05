import type { JWK } from 'jose'
import { discover, type ServerMetadata } from '../discovery/discover.js'
import {
  AbortError,
  InvalidOptionError,
  JwksError,
  TokenValidationError,
  type TokenValidationErrorCode,
} from '../errors.js'
import { createJwksCache } from '../jwks/cache.js'
import type { JwksCache, JwksCacheOptions } from '../jwks/types.js'
import { type IdTokenClaims, validateIdToken } from '../jwt/id-token.js'
import { isForbiddenAlg, ktyOf } from '../lib/algorithms.js'
import { RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import { safeCause } from '../lib/cause.js'
import { deepFreeze } from '../lib/freeze.js'
import {
  assertSecureUrl,
  awaitShared,
  type CallOptions,
  detach,
  type HttpOptions,
  parseUrl,
} from '../lib/http.js'
import { normalizeIssuer } from '../lib/issuer.js'
import { createClient, type IntrospectionResponse } from '../oauth/client.js'
import type { ClientAuth } from '../oauth/client-auth.js'
import type { CryptoBackendName, SignatureBackend } from './backend.js'
import {
  type BearerChallenge,
  type BearerSource,
  bearerChallenge,
  challengeResponse,
  extractBearerToken,
} from './http.js'
import { untrustedIssuer } from './untrusted-issuer.js'

/**
 * Claims of a verified access token. Okta's own format carries `ver`, `jti`,
 * `cid`, `uid` and `scp` (an array); RFC 9068 tokens carry `client_id` and
 * `scope` (a space-separated string). Every other claim is kept.
 */
export interface AccessTokenClaims {
  /** Issuer: the authorization server. */
  iss: string
  /** Audience: the resource server(s), e.g. `api://default`. */
  aud: string | string[]
  /** Expiry, seconds since the epoch. */
  exp: number
  /** Issued at, seconds since the epoch. */
  iat?: number
  /** Not before, seconds since the epoch. */
  nbf?: number
  /** Subject: the user's login, or the client id for client-credentials tokens. */
  sub?: string
  /** Token id. */
  jti?: string
  /** Okta: token format version. */
  ver?: number
  /** Okta: the client the token was issued to. */
  cid?: string
  /** Okta: the user's id (`00u…`). */
  uid?: string
  /** Okta: granted scopes. */
  scp?: string[]
  /** RFC 9068: the client the token was issued to. */
  client_id?: string
  /** RFC 9068 / introspection: granted scopes, space-separated. */
  scope?: string
  /** Confirmation: `jkt` binds the token to a DPoP key. */
  cnf?: ConfirmationClaim
  /** Any other claim. */
  [claim: string]: unknown
}

/** The `cnf` (confirmation) claim of a sender-constrained token (RFC 7800, RFC 9449). */
export interface ConfirmationClaim {
  /** The SHA-256 thumbprint of the DPoP key the token is bound to. */
  jkt?: string
  /** Other confirmation methods (e.g. `x5t#S256` for mTLS). */
  [member: string]: unknown
}

/** Claim assertion: the claim equals one of these values. */
export interface OneOfAssertion {
  /** The accepted values. */
  readonly oneOf: readonly (string | number | boolean | null)[]
}

/** Claim assertion: the claim (an array, or a space-separated string) contains every value. */
export interface IncludesAssertion {
  /** The value, or values, that must all be present. */
  readonly includes: string | number | readonly (string | number)[]
}

/** Options of the verified-token cache ({@link VerifierOptions.tokenCache}). */
export interface TokenCacheOptions {
  /** Most tokens kept; the oldest are dropped first. Default: 1 000. */
  maxEntries?: number
}

/** The protected header of a verified token. */
export interface VerifiedHeader {
  /** The signing algorithm. */
  alg: string
  /** The key id. */
  kid?: string
  /** The media type: `JWT`, `at+jwt` or none. */
  typ?: string
}

/**
 * What {@link Verifier.verifyAccessToken} resolves to: the claims and their
 * common readings. Treat it as read-only: a result that other calls may get
 * too (from the token cache or the introspection cache) is deeply frozen, and
 * so is `header` always (it is shared by every token with the same header),
 * so a change throws in strict mode and never reaches another call.
 */
export interface VerifiedAccessToken {
  /** Every claim of the token (or of the introspection response). */
  readonly claims: AccessTokenClaims
  /** The protected header (frozen); absent for introspected tokens. */
  readonly header?: VerifiedHeader
  /** The issuer the token was verified against. */
  readonly issuer: string
  /** Granted scopes, from `scp` or `scope`. */
  readonly scopes: readonly string[]
  /** The client the token was issued to: `cid` or `client_id`. */
  readonly clientId?: string
  /** `sub`. */
  readonly subject?: string
  /** Okta's user id `uid`, for tokens issued to a user. */
  readonly userId?: string
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number
  /**
   * How it was verified and which shape it has: `okta` (`typ: JWT` with `scp`/`cid`),
   * `rfc9068` (`typ: at+jwt`), or `introspection` (the server vouched for it).
   */
  readonly format: 'okta' | 'rfc9068' | 'introspection'
}

/**
 * One claim assertion of {@link VerifyAccessTokenOptions.claims}:
 * - a string, number, boolean or `null`: the claim equals it;
 * - `{ oneOf: [...] }`: the claim equals one of them;
 * - `{ includes: v | [...] }`: the claim (an array, or a space-separated string) contains all of them;
 * - a function: called with the claim's value and all claims, must return `true`.
 */
export type ClaimAssertion =
  | string
  | number
  | boolean
  | null
  | OneOfAssertion
  | IncludesAssertion
  | ((value: unknown, claims: AccessTokenClaims) => boolean)

/** Scopes a token must carry: a list (all of them), or all-of / any-of sets. */
export type ScopeRequirement =
  | readonly string[]
  | {
      /** Every one of these. */
      readonly allOf?: readonly string[]
      /** At least one of these. */
      readonly anyOf?: readonly string[]
    }

/** Per-call requirements of {@link Verifier.verifyAccessToken}. */
export interface VerifyAccessTokenOptions extends CallOptions {
  /** Scopes the token must carry. A failure is `ERR_INSUFFICIENT_SCOPE` with `requiredScopes`. */
  scopes?: ScopeRequirement
  /** Claim assertions by claim name. A failure is `ERR_JWT_CLAIM_INVALID` naming the claim. */
  claims?: Readonly<Record<string, ClaimAssertion>>
  /** Refuse tokens issued (`iat`) longer ago than this, in seconds. */
  maxAge?: number
}

/** Per-call requirements of {@link Verifier.verifyIdToken}. */
export interface VerifyIdTokenOptions extends CallOptions {
  /** The client the ID token was issued to: must be in `aud` (and equal `azp`). */
  clientId: string
  /** The nonce sent in the authorization request. */
  nonce?: string
  /** The `max_age` sent, in seconds. */
  maxAge?: number
  /** The access token issued with it, to check `at_hash`. */
  accessToken?: string
}

/** The opt-in introspection fallback of {@link VerifierOptions.introspection}. */
export interface IntrospectionFallbackOptions {
  /** The client that introspects (the resource server's own client). */
  clientId: string
  /** How it authenticates. Okta requires client authentication at `/v1/introspect`. */
  auth: ClientAuth
  /**
   * Which tokens go to introspection: `opaque` (default) for tokens that are
   * not JWTs; `always` for every token (org-server tokens, or when a revoked
   * token must be refused within seconds).
   */
  mode?: 'opaque' | 'always'
  /** The issuer whose introspection endpoint is called. Default: the first issuer. */
  issuer?: string
  /**
   * How long an answer is reused, in ms (never past the token's `exp`).
   * Inactive answers are cached as long, so garbage tokens cost one request.
   * Default: 30 000; at most 300 000.
   */
  cacheTtl?: number
  /** Most answers kept. Default: 1 000. */
  maxEntries?: number
  /**
   * Refuse answers without `aud` (default `true`). Okta's access-token answers
   * always carry it and its refresh-token answers never do, so this is what
   * keeps a refresh token from passing as a bearer token. Set `false` only for
   * servers that omit `aud` (an answer must then say `token_type: Bearer`).
   */
  requireAudience?: boolean
}

/** Options of {@link createVerifier}. */
export interface VerifierOptions extends HttpOptions {
  /**
   * The trusted issuer, as tokens carry it in `iss`
   * (`https://{org}/oauth2/default`), or several (a custom server per
   * tenant): each gets its own discovery and JWKS cache. A single trailing
   * slash is not significant (`…/oauth2/default/` trusts tokens whose `iss`
   * is `…/oauth2/default`, and the reverse); nothing else is folded. A token
   * from any other issuer is refused with `ERR_JWT_CLAIM_INVALID`, its
   * `actual` (the token's `iss`, cut short and escaped) and `expected` (these
   * issuers).
   */
  issuer: string | readonly string[]
  /** Accepted `aud` values for access tokens (`api://default`); a token must carry at least one. */
  audience: string | readonly string[]
  /**
   * The key set to use, skipping discovery (single issuer only). Also lets
   * a verifier read any JWKS.
   */
  jwksUri?: string | URL
  /** A JWKS cache to share with a client of the same issuer (single issuer only). */
  jwksCache?: JwksCache
  /**
   * Allowed signature algorithms. Default: `RS256` plus the asymmetric
   * algorithms the server advertises. `none` and HMAC are refused.
   */
  algorithms?: readonly string[]
  /** Tolerance for `exp`, `nbf` and `iat`, in seconds. Default: 30. */
  clockTolerance?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
  /** Tuning of the JWKS caches this verifier creates. */
  jwks?: Omit<JwksCacheOptions, 'jwksUri' | 'now' | keyof HttpOptions>
  /**
   * Cache verified tokens (keyed by the exact token, valid until the earlier
   * of its `exp` and its key leaving the JWKS), for APIs that see the same
   * token many times. Scope and claim requirements are still checked on
   * every call. Every call with a token gets the same result object, frozen
   * (deeply) when it was cached. Default: off.
   */
  tokenCache?: boolean | TokenCacheOptions
  /** Verify opaque (or all) tokens by introspection. Default: off. */
  introspection?: IntrospectionFallbackOptions
  /** Longest token accepted, in characters. Default: 16 384. */
  maxTokenLength?: number
  /**
   * The largest response read, in bytes, for each key set, discovery
   * document and introspection answer this verifier fetches. A larger one is
   * cut off as soon as it passes the limit: a key set fails with `JwksError`
   * (`ERR_JWKS_UNAVAILABLE`, caused by an `InvalidResponseError` with
   * `ERR_RESPONSE_TOO_LARGE`), and keys already held keep verifying. Default:
   * `RESPONSE_LIMITS` (1 MiB each).
   */
  maxResponseBytes?: number
}

/** A resource-server token verifier; see {@link createVerifier}. */
export interface Verifier {
  /** The signature implementation in use: `node:crypto` on Node, `webcrypto` elsewhere. */
  readonly crypto: CryptoBackendName
  /** The trusted issuers. */
  readonly issuers: readonly string[]
  /**
   * Verify an access token: signature (algorithms pinned), `typ`, `iss`,
   * `aud`, `exp`/`nbf`/`iat`, then the call's scopes and claims. The key is
   * the one its `kid` names; a token without `kid` (Okta always sends one) is
   * checked against at most three keys whose `kty`, `alg`, curve and `use`
   * fit, and refused with `ERR_JWKS_NO_MATCHING_KEY` when more fit.
   * @param token - The compact JWT (or an opaque token with introspection on).
   * @param options - Required scopes and claims; signal and timeout for any fetch.
   * @returns The verified token; read-only (see {@link VerifiedAccessToken}).
   * Rejects with `TokenValidationError` (with `claim` and `reason`), `JwksError`,
   * or a transport error when keys or metadata cannot be fetched.
   */
  verifyAccessToken(token: string, options?: VerifyAccessTokenOptions): Promise<VerifiedAccessToken>
  /**
   * Verify an ID token with the same keys (see `validateIdToken`).
   * @param token - The compact JWT.
   * @param options - The client id and nonce.
   * @returns The token's claims.
   */
  verifyIdToken(token: string, options: VerifyIdTokenOptions): Promise<IdTokenClaims>
  /**
   * The JWKS cache of an issuer, once created (after the first verification
   * or {@link Verifier.ready}).
   * @param issuer - One of {@link Verifier.issuers}. Default: the first.
   */
  jwksCache(issuer?: string): JwksCache | undefined
  /**
   * Discover every issuer and load its keys, so the first request does not wait.
   * @param options - signal and timeout.
   */
  ready(options?: CallOptions): Promise<void>
  /**
   * Read the bearer token of a request and verify it. A DPoP-bound token
   * (`cnf.jkt`) presented as a bearer token is refused.
   * @param request - A `Request`, `Headers`, Node request or its headers, or the `Authorization` value.
   * @param options - Required scopes and claims.
   * @returns The verified token.
   * Rejects with `BearerTokenError` or what {@link Verifier.verifyAccessToken} rejects with.
   */
  verifyRequest(
    request: BearerSource,
    options?: VerifyAccessTokenOptions,
  ): Promise<VerifiedAccessToken>
  /**
   * Like {@link Verifier.verifyRequest}, but never rejects for a bad request:
   * it returns the RFC 6750 answer to send (status, `WWW-Authenticate`, body,
   * and a ready Web `Response`).
   * @param request - As for {@link Verifier.verifyRequest}.
   * @param options - Required scopes and claims, and the challenge's realm.
   * @returns `{ ok: true, token }` or `{ ok: false, error, challenge, response }`.
   */
  authenticate(request: BearerSource, options?: AuthenticateOptions): Promise<AuthenticationResult>
  /**
   * Drop a token from the verified-token and introspection caches (after
   * revoking it, say).
   * @param token - The token.
   */
  forget(token: string): void
}

/** Options of {@link Verifier.authenticate}. */
export interface AuthenticateOptions extends VerifyAccessTokenOptions {
  /** The `realm` of the `WWW-Authenticate` challenge. */
  realm?: string
}

/** A request that passed {@link Verifier.authenticate}. */
export interface AuthenticationSuccess {
  /** Discriminant. */
  ok: true
  /** The verified token. */
  token: VerifiedAccessToken
}

/** A request that failed {@link Verifier.authenticate}, with the answer to send. */
export interface AuthenticationFailure {
  /** Discriminant. */
  ok: false
  /** Why it failed (typed, never containing the token). */
  error: Error
  /** Status, headers and body per RFC 6750. */
  challenge: BearerChallenge
  /** The same as a Web `Response`. */
  response: Response
}

/** What {@link Verifier.authenticate} resolves to. */
export type AuthenticationResult = AuthenticationSuccess | AuthenticationFailure

const TOKEN_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/
// RFC 7515 §4.1.9: a typ without '/' means application/<typ>, so JWT ≡ application/jwt.
const JWT_TYP = new Set(['jwt', 'application/jwt'])
const AT_TYP = new Set([...JWT_TYP, 'at+jwt', 'application/at+jwt'])
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const SEGMENT = /^[\w-]+$/
const SEGMENTS = /^[\w-]+\.[\w-]+$/

interface IssuerState {
  readonly issuer: string
  jwks: JwksCache | undefined
  loading: Promise<JwksCache> | undefined
  failedAt: number
  failures: number
  error: Error | undefined
  algorithms: Set<string>
  metadata: ServerMetadata | undefined
  /** Checked headers by their encoded segment: Okta tokens share one header per key. */
  headers: Map<string, VerifiedHeader>
}

const MAX_CACHED_HEADERS = 64

interface CacheEntry {
  result: VerifiedAccessToken
  jwk: JWK | undefined
  cache: JwksCache | undefined
  until: number
}

interface Parsed {
  headerSegment: string
  payload: Record<string, unknown>
  input: string
  signature: string
}

/** @internal Build a verifier on a signature backend (the entry points choose it). */
export function createVerifierWith(backend: SignatureBackend, options: VerifierOptions): Verifier {
  const issuers = normaliseList(options.issuer, 'issuer')
  const audiences = normaliseList(options.audience, 'audience')
  for (const iss of issuers)
    assertSecureUrl(parseUrl(iss, 'issuer'), 'issuer', options.allowInsecureRequests)
  if ((options.jwksUri !== undefined || options.jwksCache !== undefined) && issuers.length !== 1) {
    throw new InvalidOptionError('jwksUri and jwksCache need exactly one issuer')
  }
  const explicitAlgs = options.algorithms
  if (explicitAlgs !== undefined) {
    if (!Array.isArray(explicitAlgs) || explicitAlgs.length === 0) {
      throw new InvalidOptionError('algorithms must be a non-empty array')
    }
    for (const alg of explicitAlgs) {
      if (typeof alg !== 'string' || isForbiddenAlg(alg) || ktyOf(alg) === undefined) {
        throw new InvalidOptionError(
          `algorithms: ${String(alg)} is not an asymmetric JWS algorithm this verifier supports`,
        )
      }
    }
  }
  const tolerance = options.clockTolerance ?? 30
  const now = options.now ?? Date.now
  const maxTokenLength = options.maxTokenLength ?? 16_384
  // Checked now, so that a bad value is an InvalidOptionError from createVerifier.
  responseLimit(options.maxResponseBytes, RESPONSE_LIMITS.jwks)
  const http: HttpOptions = {
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.timeout !== undefined && { timeout: options.timeout }),
    ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
    ...(options.allowInsecureRequests && { allowInsecureRequests: true }),
  }
  // Keyed by the issuer without a trailing slash (src/lib/issuer.ts): a token
  // whose iss differs from the configured issuer only by that slash is trusted.
  const states = new Map<string, IssuerState>()
  for (const issuer of issuers) {
    states.set(normalizeIssuer(issuer), {
      issuer,
      jwks: undefined,
      loading: undefined,
      failedAt: 0,
      failures: 0,
      error: undefined,
      algorithms: new Set(explicitAlgs ?? ['RS256']),
      metadata: undefined,
      headers: new Map(),
    })
  }
  const single = states.get(normalizeIssuer(issuers[0]!))!
  if (options.jwksCache) single.jwks = options.jwksCache
  else if (options.jwksUri !== undefined) {
    single.jwks = createJwksCache({ ...http, ...options.jwks, now, jwksUri: options.jwksUri })
  }

  const tokenCacheMax =
    options.tokenCache === true
      ? 1_000
      : options.tokenCache
        ? (options.tokenCache.maxEntries ?? 1_000)
        : 0
  const verified = new Map<string, CacheEntry>()
  const introspection = options.introspection
    ? createIntrospector(options.introspection, states, issuers, http, now)
    : undefined

  function cachesOf(state: IssuerState, call?: CallOptions): JwksCache | Promise<JwksCache> {
    if (state.jwks) return state.jwks
    if (call?.signal?.aborted) {
      return Promise.reject(new AbortError('discovery was aborted', { cause: call.signal.reason }))
    }
    // The load is shared by every caller, so it runs with the timeout only (an
    // abort must neither fail the others nor count as a failure to back off
    // from); each caller stops waiting on its own signal.
    return awaitShared('discovery', loadIssuer(state, detach(call)), call?.signal)
  }

  async function metadataOf(state: IssuerState, call?: CallOptions): Promise<ServerMetadata> {
    if (state.metadata) return state.metadata
    const t = now()
    if (state.error && t - state.failedAt < Math.min(30_000, 1_000 * 2 ** (state.failures - 1))) {
      throw state.error
    }
    try {
      state.metadata = await discover(state.issuer, { ...http, ...call })
      state.failures = 0
      state.error = undefined
      if (explicitAlgs === undefined) {
        for (const alg of state.metadata.id_token_signing_alg_values_supported ?? []) {
          if (!isForbiddenAlg(alg) && ktyOf(alg) !== undefined) state.algorithms.add(alg)
        }
      }
      return state.metadata
    } catch (err) {
      state.failures++
      state.failedAt = now()
      state.error = err instanceof Error ? err : new Error(String(err))
      throw err
    }
  }

  function loadIssuer(state: IssuerState, call?: CallOptions): Promise<JwksCache> {
    state.loading ??= (async () => {
      const metadata = await metadataOf(state, call)
      if (typeof metadata.jwks_uri !== 'string') {
        throw new JwksError(`the metadata of ${state.issuer} has no jwks_uri`, {
          code: 'ERR_JWKS_UNAVAILABLE',
        })
      }
      state.jwks = createJwksCache({ ...http, ...options.jwks, now, jwksUri: metadata.jwks_uri })
      return state.jwks
    })().finally(() => {
      state.loading = undefined
    })
    return state.loading
  }

  function parse(token: string): Parsed {
    if (typeof token !== 'string' || token.length === 0) {
      throw fail('access token is missing', 'ERR_JWT_MALFORMED', undefined, 'missing')
    }
    const d1 = token.indexOf('.')
    const d2 = token.indexOf('.', d1 + 1)
    // Three non-empty segments of the base64url alphabet (decoders skip other
    // characters, so a token with junk in it could pass as a twin of a valid
    // one). The header is checked when first seen, then cached.
    if (
      token.length > maxTokenLength ||
      d1 < 1 ||
      d2 < d1 + 2 ||
      d2 === token.length - 1 ||
      token.indexOf('.', d2 + 1) !== -1 ||
      !SEGMENTS.test(token.slice(d1 + 1))
    ) {
      throw fail('access token is not a compact JWS', 'ERR_JWT_MALFORMED', undefined, 'malformed')
    }
    let payload: unknown
    try {
      payload = JSON.parse(backend.decode(token.slice(d1 + 1, d2)))
    } catch {
      throw fail(
        'access token header or payload is not JSON',
        'ERR_JWT_MALFORMED',
        undefined,
        'malformed',
      )
    }
    if (!isObject(payload)) {
      throw fail(
        'access token header or payload is not a JSON object',
        'ERR_JWT_MALFORMED',
        undefined,
        'malformed',
      )
    }
    return {
      headerSegment: token.slice(0, d1),
      payload,
      input: token.slice(0, d2),
      signature: token.slice(d2 + 1),
    }
  }

  /** The checked header: from the issuer's cache of header segments, or decoded and checked now. */
  function headerOf(segment: string, state: IssuerState): VerifiedHeader {
    const cached = state.headers.get(segment)
    if (cached) return cached
    if (!SEGMENT.test(segment)) {
      throw fail('access token is not a compact JWS', 'ERR_JWT_MALFORMED', undefined, 'malformed')
    }
    let header: unknown
    try {
      header = JSON.parse(backend.decode(segment))
    } catch {
      throw fail(
        'access token header or payload is not JSON',
        'ERR_JWT_MALFORMED',
        undefined,
        'malformed',
      )
    }
    if (!isObject(header)) {
      throw fail(
        'access token header or payload is not a JSON object',
        'ERR_JWT_MALFORMED',
        undefined,
        'malformed',
      )
    }
    // Frozen: every token with this header segment gets this very object.
    const checked = Object.freeze(checkHeader(header))
    if (state.headers.size >= MAX_CACHED_HEADERS) state.headers.clear()
    state.headers.set(segment, checked)
    return checked
  }

  function checkHeader(header: Record<string, unknown>): VerifiedHeader {
    const { alg, kid, typ } = header
    if (typeof alg !== 'string') {
      throw fail(
        'access token alg (missing) is not allowed',
        'ERR_JWT_ALG_NOT_ALLOWED',
        'alg',
        'not_allowed',
      )
    }
    if (kid !== undefined && typeof kid !== 'string') {
      throw fail('access token kid is not a string', 'ERR_JWT_MALFORMED', 'kid', 'malformed')
    }
    if (header.crit !== undefined || header.b64 !== undefined) {
      throw fail(
        'access token uses unsupported JWS extensions',
        'ERR_JWT_MALFORMED',
        'crit',
        'unsupported',
      )
    }
    if (typ !== undefined && (typeof typ !== 'string' || !AT_TYP.has(typ.toLowerCase()))) {
      throw fail(
        'access token typ is not JWT or at+jwt',
        'ERR_JWT_CLAIM_INVALID',
        'typ',
        'mismatch',
      )
    }
    const out: VerifiedHeader = { alg }
    if (kid !== undefined) out.kid = kid
    if (typ !== undefined) out.typ = typ as string
    return out
  }

  /** The algorithm must be allowed for the issuer (its advertised ones are known once discovered). */
  function checkAlg(header: VerifiedHeader, state: IssuerState): void {
    const alg = header.alg
    if (!state.algorithms.has(alg)) {
      throw fail(
        // The header is the sender's: echo only what looks like an algorithm name.
        `access token alg ${/^[\w+-]{1,32}$/.test(alg) ? alg : '(invalid)'} is not allowed`,
        'ERR_JWT_ALG_NOT_ALLOWED',
        'alg',
        'not_allowed',
      )
    }
  }

  function stateFor(payload: Record<string, unknown>): IssuerState {
    const iss = payload.iss
    const state = typeof iss === 'string' ? states.get(normalizeIssuer(iss)) : undefined
    if (!state) throw untrustedIssuer('access_token', iss, issuers)
    return state
  }

  async function checkSignature(
    parsed: Parsed,
    header: VerifiedHeader,
    cache: JwksCache,
    call: CallOptions | undefined,
  ): Promise<JWK> {
    if (!canonicalBase64url(parsed.signature)) {
      // Decoders ignore unused trailing bits: refuse the twins of a valid signature.
      throw badSignature()
    }
    const selector = { alg: header.alg, kid: header.kid }
    const candidates = cache.peek(selector) ?? (await cache.resolve(selector, call))
    let lastError: unknown
    for (const jwk of candidates) {
      try {
        let ok = backend.verify(header.alg, jwk, parsed.input, parsed.signature)
        if (typeof ok !== 'boolean') ok = await ok
        if (ok) return jwk
      } catch (err) {
        lastError = err
      }
    }
    if (lastError && candidates.length === 1) throw lastError
    throw badSignature()
  }

  function checkClaims(
    payload: Record<string, unknown>,
    header: VerifiedHeader,
    issuer: string,
  ): VerifiedAccessToken {
    const t = now() / 1000
    const { aud, exp, nbf, iat } = payload
    if (typeof exp !== 'number' || !Number.isFinite(exp)) {
      throw fail('access token exp is missing', 'ERR_JWT_CLAIM_INVALID', 'exp', 'missing')
    }
    if (exp <= t - tolerance)
      throw fail('access token has expired', 'ERR_JWT_EXPIRED', 'exp', 'expired')
    if (nbf !== undefined) {
      if (typeof nbf !== 'number')
        throw fail('access token nbf is not a number', 'ERR_JWT_CLAIM_INVALID', 'nbf', 'malformed')
      if (nbf > t + tolerance) {
        throw fail(
          'access token nbf is in the future',
          'ERR_JWT_NOT_YET_VALID',
          'nbf',
          'not_yet_valid',
        )
      }
    }
    if (iat !== undefined) {
      if (typeof iat !== 'number')
        throw fail('access token iat is not a number', 'ERR_JWT_CLAIM_INVALID', 'iat', 'malformed')
      if (iat > t + tolerance) {
        throw fail(
          'access token iat is in the future',
          'ERR_JWT_NOT_YET_VALID',
          'iat',
          'not_yet_valid',
        )
      }
    }
    if (!audienceMatches(aud, audiences)) {
      throw fail(
        aud === undefined
          ? 'access token aud is missing'
          : 'access token aud is not this resource server',
        'ERR_JWT_CLAIM_INVALID',
        'aud',
        aud === undefined ? 'missing' : 'mismatch',
      )
    }
    const claims = payload as AccessTokenClaims
    const rfc9068 = header.typ !== undefined && !JWT_TYP.has(header.typ.toLowerCase())
    const clientId =
      typeof claims.cid === 'string'
        ? claims.cid
        : typeof claims.client_id === 'string'
          ? claims.client_id
          : undefined
    const result: {
      -readonly [K in keyof VerifiedAccessToken]: VerifiedAccessToken[K]
    } = {
      claims,
      header,
      issuer,
      scopes: scopesOf(claims),
      expiresAt: exp,
      format: rfc9068 ? 'rfc9068' : 'okta',
    }
    if (clientId !== undefined) result.clientId = clientId
    if (typeof claims.sub === 'string') result.subject = claims.sub
    if (typeof claims.uid === 'string') result.userId = claims.uid
    return result
  }

  /**
   * Verify a JWT. Synchronous when the keys are at hand and the backend is
   * synchronous (node:crypto): the warm path takes no promise hop.
   */
  function verifyJwt(
    token: string,
    call: VerifyAccessTokenOptions | undefined,
  ): VerifiedAccessToken | Promise<VerifiedAccessToken> {
    if (tokenCacheMax > 0) {
      const hit = verified.get(token)
      if (hit) {
        if (
          hit.until > now() &&
          (hit.cache === undefined || (hit.jwk !== undefined && hit.cache.holds(hit.jwk)))
        ) {
          return hit.result
        }
        verified.delete(token)
      }
    }
    const parsed = parse(token)
    const state = stateFor(parsed.payload)
    const header = headerOf(parsed.headerSegment, state)
    const cache = state.jwks
    if (cache) {
      checkAlg(header, state)
      const candidates = cache.peek({ alg: header.alg, kid: header.kid })
      if (candidates && candidates.length === 1 && canonicalBase64url(parsed.signature)) {
        const jwk = candidates[0]!
        const ok = backend.verify(header.alg, jwk, parsed.input, parsed.signature)
        if (ok === true) return finish(token, parsed, header, state, cache, jwk)
        if (ok === false) {
          throw badSignature()
        }
        return ok.then((valid) => {
          if (!valid) {
            throw badSignature()
          }
          return finish(token, parsed, header, state, cache, jwk)
        })
      }
    }
    return (async () => {
      const loaded = state.jwks ?? (await cachesOf(state, call))
      checkAlg(header, state)
      const jwk = await checkSignature(parsed, header, loaded, call)
      return finish(token, parsed, header, state, loaded, jwk)
    })()
  }

  function finish(
    token: string,
    parsed: Parsed,
    header: VerifiedHeader,
    state: IssuerState,
    cache: JwksCache,
    jwk: JWK,
  ): VerifiedAccessToken {
    const result = checkClaims(parsed.payload, header, state.issuer)
    if (tokenCacheMax > 0) {
      // Every later call with this token gets this very object: freeze it all
      // (claims, scopes, nested values) once, here, not on each hit.
      deepFreeze(result)
      if (verified.size >= tokenCacheMax) {
        const oldest = verified.keys().next()
        if (!oldest.done) verified.delete(oldest.value)
      }
      verified.set(token, { result, jwk, cache, until: (result.expiresAt + tolerance) * 1000 })
    }
    return result
  }

  function verifyAccessToken(
    token: string,
    call?: VerifyAccessTokenOptions,
  ): Promise<VerifiedAccessToken> {
    try {
      if (
        introspection &&
        (introspection.mode === 'always' ||
          (typeof token === 'string' && token.length > 0 && !TOKEN_SHAPE.test(token)))
      ) {
        if (typeof token !== 'string' || token.length === 0 || token.length > maxTokenLength) {
          throw fail(
            'access token is missing or too long',
            'ERR_JWT_MALFORMED',
            undefined,
            'malformed',
          )
        }
        return introspection
          .verify(token, call, (claims) => audienceMatches(claims.aud, audiences), tolerance)
          .then((result) => requirements(result, call))
      }
      const result = verifyJwt(token, call)
      if (result instanceof Promise) return result.then((r) => requirements(r, call))
      return Promise.resolve(requirements(result, call))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  function requirements(
    result: VerifiedAccessToken,
    call: VerifyAccessTokenOptions | undefined,
  ): VerifiedAccessToken {
    if (call) checkRequirements(result, call, now, tolerance)
    return result
  }

  return {
    crypto: backend.name,
    issuers,
    verifyAccessToken,
    async verifyIdToken(token, call) {
      if (typeof token !== 'string' || token.length === 0) {
        throw new TokenValidationError('ID token is missing', {
          code: 'ERR_JWT_MALFORMED',
          token: 'id_token',
          reason: 'missing',
        })
      }
      let iss: unknown
      try {
        iss = parse(token).payload.iss
      } catch {
        throw new TokenValidationError('ID token is malformed', {
          code: 'ERR_JWT_MALFORMED',
          token: 'id_token',
          reason: 'malformed',
        })
      }
      const state = typeof iss === 'string' ? states.get(normalizeIssuer(iss)) : undefined
      if (!state) throw untrustedIssuer('id_token', iss, issuers)
      const cache = await cachesOf(state, call)
      return validateIdToken(token, {
        // The token's own iss: it names this trusted issuer (checked above,
        // a trailing slash aside), and validateIdToken compares exactly.
        issuer: iss as string,
        clientId: call.clientId,
        keys: cache.getKey,
        algorithms: [...state.algorithms],
        clockTolerance: tolerance,
        now,
        ...(call.nonce !== undefined && { nonce: call.nonce }),
        ...(call.maxAge !== undefined && { maxAge: call.maxAge }),
        ...(call.accessToken !== undefined && { accessToken: call.accessToken }),
      })
    },
    jwksCache(issuer) {
      return states.get(normalizeIssuer(issuer ?? issuers[0]!))?.jwks
    },
    async ready(call) {
      await Promise.all(
        [...states.values()].map(async (state) => {
          const cache = await cachesOf(state, call)
          if (!cache.jwks) await cache.reload(call)
        }),
      )
    },
    verifyRequest,
    async authenticate(request, call) {
      try {
        return { ok: true, token: await verifyRequest(request, call) }
      } catch (error) {
        const challenge = bearerChallenge(
          error,
          call?.realm === undefined ? {} : { realm: call.realm },
        )
        return {
          ok: false,
          // Something thrown that is not an error (by a custom fetch, say) may
          // quote the request: keep none of its text.
          error: error instanceof Error ? error : safeCause(error),
          challenge,
          response: challengeResponse(challenge),
        }
      }
    },
    forget(token) {
      verified.delete(token)
      introspection?.forget(token)
    },
  }

  async function verifyRequest(
    request: BearerSource,
    call?: VerifyAccessTokenOptions,
  ): Promise<VerifiedAccessToken> {
    const result = await verifyAccessToken(extractBearerToken(request), call)
    if (typeof result.claims.cnf?.jkt === 'string') {
      throw fail(
        'a DPoP-bound access token was presented as a bearer token',
        'ERR_JWT_CLAIM_INVALID',
        'cnf',
        'dpop_bound',
      )
    }
    return result
  }
}

function checkRequirements(
  result: VerifiedAccessToken,
  call: VerifyAccessTokenOptions,
  now: () => number,
  tolerance: number,
): void {
  const token = 'access_token'
  if (call.maxAge !== undefined) {
    const iat = result.claims.iat
    if (typeof iat !== 'number') {
      throw fail(
        'access token iat is missing but maxAge requires it',
        'ERR_JWT_CLAIM_INVALID',
        'iat',
        'missing',
      )
    }
    if (iat + call.maxAge + tolerance < now() / 1000) {
      throw fail('access token is older than maxAge allows', 'ERR_JWT_EXPIRED', 'iat', 'too_old')
    }
  }
  if (call.scopes !== undefined) checkScopes(result, call.scopes)
  if (call.claims !== undefined) {
    for (const name of Object.keys(call.claims)) {
      const assertion = call.claims[name] as ClaimAssertion
      const present = Object.hasOwn(result.claims, name)
      const value = present ? result.claims[name] : undefined
      if (!present && typeof assertion !== 'function') {
        throw new TokenValidationError(`access token ${name} claim is missing`, {
          code: 'ERR_JWT_CLAIM_INVALID',
          token,
          claim: name,
          reason: 'missing',
        })
      }
      if (!assertClaim(assertion, value, result.claims)) {
        throw new TokenValidationError(
          `access token ${name} claim does not satisfy the assertion`,
          {
            code: 'ERR_JWT_CLAIM_INVALID',
            token,
            claim: name,
            reason: present ? 'mismatch' : 'missing',
          },
        )
      }
    }
  }
}

function assertClaim(
  assertion: ClaimAssertion,
  value: unknown,
  claims: AccessTokenClaims,
): boolean {
  if (typeof assertion === 'function') {
    try {
      return assertion(value, claims) === true
    } catch {
      return false
    }
  }
  if (assertion === null || typeof assertion !== 'object') return value === assertion
  if ('oneOf' in assertion) return assertion.oneOf.some((v) => v === value)
  const wanted = Array.isArray(assertion.includes) ? assertion.includes : [assertion.includes]
  const have: unknown[] = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(' ')
      : []
  return wanted.every((w) => have.includes(w))
}

function checkScopes(result: VerifiedAccessToken, requirement: ScopeRequirement): void {
  const granted = result.scopes
  const allOf = isScopeList(requirement) ? requirement : (requirement.allOf ?? [])
  const anyOf = isScopeList(requirement) ? [] : (requirement.anyOf ?? [])
  let ok = anyOf.length === 0 || anyOf.some((s) => granted.includes(s))
  for (let i = 0; ok && i < allOf.length; i++) ok = granted.includes(allOf[i]!)
  if (ok) return
  const missing = allOf.filter((s) => !granted.includes(s))
  const required = missing.length > 0 ? [...allOf] : [...anyOf]
  throw new TokenValidationError(
    missing.length > 0
      ? `access token lacks required scope(s): ${missing.join(' ')}`
      : `access token has none of the scopes: ${anyOf.join(' ')}`,
    {
      code: 'ERR_INSUFFICIENT_SCOPE',
      token: 'access_token',
      claim: result.claims.scp !== undefined ? 'scp' : 'scope',
      reason: 'insufficient_scope',
      requiredScopes: required,
    },
  )
}

function isScopeList(r: ScopeRequirement): r is readonly string[] {
  return Array.isArray(r)
}

function scopesOf(claims: AccessTokenClaims): readonly string[] {
  const scp = claims.scp
  if (Array.isArray(scp)) {
    // Usually all strings: hand the array out as is, without a copy.
    for (const s of scp) {
      if (typeof s !== 'string') return scp.filter((x): x is string => typeof x === 'string')
    }
    return scp
  }
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter(Boolean)
  return []
}

function audienceMatches(aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud === 'string') return audiences.includes(aud)
  if (Array.isArray(aud)) return aud.some((a) => typeof a === 'string' && audiences.includes(a))
  return false
}

function normaliseList(value: string | readonly string[] | undefined, name: string): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...value] : undefined
  if (!list || list.length === 0 || list.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw new InvalidOptionError(`${name} must be a non-empty string or array of strings`)
  }
  return list
}

/** Whether a base64url segment (no padding) is the one encoding of its bytes: no unused bits set. */
function canonicalBase64url(segment: string): boolean {
  const rest = segment.length % 4
  if (rest === 0) return true
  if (rest === 1) return false
  const last = B64URL.indexOf(segment[segment.length - 1]!)
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0
}

function badSignature(): TokenValidationError {
  return fail(
    'access token signature is invalid',
    'ERR_JWT_SIGNATURE_INVALID',
    undefined,
    'signature',
  )
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function fail(
  message: string,
  code: TokenValidationErrorCode,
  claim: string | undefined,
  reason: string,
): TokenValidationError {
  return new TokenValidationError(message, {
    code,
    token: 'access_token',
    reason,
    ...(claim !== undefined && { claim }),
  })
}

interface Introspector {
  readonly mode: 'opaque' | 'always'
  verify(
    token: string,
    call: CallOptions | undefined,
    audienceOk: (claims: AccessTokenClaims) => boolean,
    tolerance: number,
  ): Promise<VerifiedAccessToken>
  forget(token: string): void
}

interface IntrospectionEntry {
  value: VerifiedAccessToken | TokenValidationError
  until: number
}

function createIntrospector(
  config: IntrospectionFallbackOptions,
  states: Map<string, IssuerState>,
  issuers: readonly string[],
  http: HttpOptions,
  now: () => number,
): Introspector {
  const issuer = config.issuer ?? issuers[0]!
  if (typeof issuer !== 'string' || !states.has(normalizeIssuer(issuer))) {
    throw new InvalidOptionError('introspection.issuer must be one of the verifier issuers')
  }
  const ttl = Math.min(config.cacheTtl ?? 30_000, 300_000)
  const max = config.maxEntries ?? 1_000
  const answers = new Map<string, IntrospectionEntry>()
  const pending = new Map<string, Promise<VerifiedAccessToken>>()
  let client: ReturnType<typeof createClient> | undefined

  async function introspect(
    token: string,
    call: CallOptions | undefined,
    audienceOk: (claims: AccessTokenClaims) => boolean,
    tolerance: number,
  ): Promise<VerifiedAccessToken> {
    if (!client) {
      const metadata = await discover(issuer, { ...http, ...call })
      client ??= createClient(metadata, { ...http, clientId: config.clientId, auth: config.auth })
    }
    const response: IntrospectionResponse = await client.introspect(
      token,
      { tokenTypeHint: 'access_token' },
      call,
    )
    const t = now()
    const store = (value: VerifiedAccessToken | TokenValidationError, until: number) => {
      if (answers.size >= max) {
        const oldest = answers.keys().next()
        if (!oldest.done) answers.delete(oldest.value)
      }
      answers.set(token, { value, until })
    }
    const claims = response as unknown as AccessTokenClaims
    const inactive = (message: string, reason: string, claim?: string) => {
      const err = new TokenValidationError(message, {
        code: 'ERR_TOKEN_INACTIVE',
        token: 'access_token',
        reason,
        ...(claim !== undefined && { claim }),
      })
      store(err, t + ttl)
      return err
    }
    if (response.active !== true) throw inactive('access token is not active', 'inactive', 'active')
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= t - tolerance * 1000) {
      throw inactive('access token has expired', 'expired', 'exp')
    }
    // The server looks the token up whatever the hint (RFC 7662 §2.1): only an
    // access token may pass, never a refresh token presented as a bearer. Okta
    // says `token_type: Bearer` for both, but only access tokens have an `aud`.
    const tokenType = response.token_type
    if (tokenType !== undefined && !/^(bearer|dpop)$/i.test(String(tokenType))) {
      throw inactive(
        'the introspected token is not an access token',
        'not_access_token',
        'token_type',
      )
    }
    if (claims.aud === undefined) {
      if (config.requireAudience !== false) {
        throw inactive('the introspected token has no audience', 'missing', 'aud')
      }
      if (tokenType === undefined) {
        throw inactive(
          'the introspected token has neither aud nor token_type',
          'not_access_token',
          'token_type',
        )
      }
    }
    if (typeof claims.iss === 'string' && !states.has(normalizeIssuer(claims.iss))) {
      const err = untrustedIssuer('access_token', claims.iss, issuers, 'ERR_TOKEN_INACTIVE')
      store(err, t + ttl)
      throw err
    }
    if (claims.aud !== undefined && !audienceOk(claims)) {
      throw inactive('access token aud is not this resource server', 'mismatch', 'aud')
    }
    const clientId =
      typeof claims.client_id === 'string'
        ? claims.client_id
        : typeof claims.cid === 'string'
          ? claims.cid
          : undefined
    const result: { -readonly [K in keyof VerifiedAccessToken]: VerifiedAccessToken[K] } = {
      claims,
      issuer: typeof claims.iss === 'string' ? claims.iss : issuer,
      scopes: scopesOf(claims),
      expiresAt: typeof claims.exp === 'number' ? claims.exp : Math.floor((t + ttl) / 1000),
      format: 'introspection',
    }
    if (clientId !== undefined) result.clientId = clientId
    if (typeof claims.sub === 'string') result.subject = claims.sub
    if (typeof claims.uid === 'string') result.userId = claims.uid
    // Every caller of this token gets this very object until it expires.
    deepFreeze(result)
    store(result, Math.min(t + ttl, typeof claims.exp === 'number' ? claims.exp * 1000 : Infinity))
    return result
  }

  return {
    mode: config.mode ?? 'opaque',
    async verify(token, call, audienceOk, tolerance) {
      const hit = answers.get(token)
      if (hit) {
        if (hit.until > now()) {
          if (hit.value instanceof TokenValidationError) throw hit.value
          return hit.value
        }
        answers.delete(token)
      }
      if (call?.signal?.aborted) {
        throw new AbortError('introspection was aborted', { cause: call.signal.reason })
      }
      let shared = pending.get(token)
      if (!shared) {
        // Shared by every caller, so it runs with the timeout only; each
        // caller stops waiting on its own signal.
        shared = introspect(token, detach(call), audienceOk, tolerance).finally(() =>
          pending.delete(token),
        )
        pending.set(token, shared)
      }
      return awaitShared('introspection', shared, call?.signal)
    },
    forget(token) {
      answers.delete(token)
    },
  }
}
