import {
  InvalidOptionError,
  InvalidResponseError,
  JwksError,
  NetworkError,
  OAuthResponseError,
  TimeoutError,
} from '../errors.js'
import { type ClaimCheckOptions, checkIdTokenClaims, fail } from '../jwt/claims.js'
import type { IdTokenClaims } from '../jwt/id-token.js'
import { curveOf, importParams, ktyOf, MIN_RSA_BITS, verifyParams } from '../lib/algorithms.js'
import { decodeBase64url } from '../lib/base64url.js'
import { RESPONSE_LIMITS, readText } from '../lib/body.js'
import { safeCause } from '../lib/cause.js'
import { assertSecureUrl, type FetchLike, parseUrl } from '../lib/http.js'
import { normalizeIssuer, sameIssuer } from '../lib/issuer.js'
import { checkMetadata } from '../lib/metadata.js'
import type { TokenSet } from '../oauth/token-set.js'

// The browser's own lean protocol layer: fetch, URLSearchParams and WebCrypto
// only. The core client wraps oauth4webapi and jose, which together cost more
// than the browser entry's whole size budget (see the README); the rules are
// the same and the claim checks are shared (../jwt/claims.ts).

/** The server metadata the browser entry uses (OpenID Connect discovery). */
export interface BrowserServerMetadata {
  /** The issuer as the server publishes it (a trailing slash aside, the configured one). */
  issuer: string
  /** `/v1/authorize`. */
  authorization_endpoint: string
  /** `/v1/token`. */
  token_endpoint: string
  /** `/v1/keys`. */
  jwks_uri: string
  /** `/v1/logout`. */
  end_session_endpoint?: string
  /** `/v1/revoke`. */
  revocation_endpoint?: string
  /** `/v1/userinfo`. */
  userinfo_endpoint?: string
  /** ID token algorithms; `none` and HMAC are never accepted whatever it says. */
  id_token_signing_alg_values_supported?: string[]
  /** RFC 9207: authorization responses carry `iss`. */
  authorization_response_iss_parameter_supported?: boolean
  /** Any other member. */
  [member: string]: unknown
}

/** @internal The transport of one browser auth instance. */
export interface Transport {
  fetch: FetchLike
  timeout: number
  /** The server's clock minus ours, in ms, estimated from `Date` headers. */
  offset: number
  /** The user's `maxResponseBytes`; else each kind's default of `RESPONSE_LIMITS`. */
  maxResponseBytes?: number
}

/**
 * @internal
 * GET or POST, JSON back; typed errors; the `Date` header refines the clock
 * offset. The body is read up to `limit` bytes (`ERR_RESPONSE_TOO_LARGE`).
 */
export async function call(
  t: Transport,
  what: string,
  url: string,
  form?: Record<string, string>,
  headers?: Record<string, string>,
  limit: number = t.maxResponseBytes ?? RESPONSE_LIMITS.protocol,
): Promise<unknown> {
  assertSecureUrl(parseUrl(url, what), what)
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  // Race the timer too: a custom fetch that ignores the signal cannot hang us.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new Error('timeout'))
    }, t.timeout)
  })
  const sent = Date.now()
  let response!: Response
  let text!: string
  try {
    await Promise.race([
      timeout,
      (async () => {
        response = await t.fetch(url, {
          method: form ? 'POST' : 'GET',
          headers: {
            accept: 'application/json',
            ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
            ...headers,
          },
          ...(form && { body: new URLSearchParams(form).toString() }),
          signal: controller.signal,
        })
        text = await readText(response, limit, what)
      })(),
    ])
  } catch (err) {
    // Too large: the bounded reader's own typed error, as it is.
    if (err instanceof InvalidResponseError) throw err
    // A custom fetch's error may quote the request (URL, form, headers).
    const cause = safeCause(err)
    throw controller.signal.aborted
      ? new TimeoutError(`${what} timed out after ${t.timeout} ms`, { timeout: t.timeout, cause })
      : new NetworkError(`${what} failed: no response (network or CORS)`, { cause })
  } finally {
    clearTimeout(timer)
  }
  const date = Date.parse(response.headers.get('date') ?? '')
  // Date has a resolution of one second: keep the estimate unless it is off by more.
  if (date > 0) {
    const estimate = date + 500 - (sent + Date.now()) / 2
    if (Math.abs(estimate - t.offset) > 1000) t.offset = estimate
  }
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch (cause) {
    // JSON.parse quotes the body in its message.
    throw new InvalidResponseError(`${what} did not answer JSON`, {
      status: response.status,
      cause: safeCause(cause),
    })
  }
  const fields = body as { error?: unknown; error_description?: unknown; error_uri?: unknown }
  if (!response.ok) {
    if (typeof fields?.error === 'string') {
      throw new OAuthResponseError(undefined, {
        error: fields.error,
        status: response.status,
        ...(typeof fields.error_description === 'string' && {
          errorDescription: fields.error_description,
        }),
        ...(typeof fields.error_uri === 'string' && { errorUri: fields.error_uri }),
      })
    }
    throw new InvalidResponseError(`${what} answered HTTP ${response.status}`, {
      status: response.status,
    })
  }
  return body
}

/**
 * @internal
 * Discovery: the document's issuer must be the configured one (a single
 * trailing slash is not significant, on either side) and the endpoints present.
 */
export async function discoverServer(t: Transport, issuer: string): Promise<BrowserServerMetadata> {
  const m = (await call(
    t,
    'discovery',
    `${normalizeIssuer(issuer)}/.well-known/openid-configuration`,
  )) as Partial<BrowserServerMetadata> | undefined
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new InvalidResponseError('discovery did not answer a JSON object')
  }
  if (typeof m.issuer !== 'string' || !sameIssuer(m.issuer, issuer)) {
    throw new InvalidResponseError('the discovery document is for another issuer', {
      code: 'ERR_ISSUER_MISMATCH',
    })
  }
  for (const name of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (typeof m[name] !== 'string')
      throw new InvalidResponseError(`the discovery document has no ${name}`)
  }
  checkMetadata(m)
  return m as BrowserServerMetadata
}

/** @internal A token endpoint response as a TokenSet (ID token validated by the caller). */
export function toTokens(body: unknown, now: number): TokenSet {
  const b = body as Record<string, unknown> | undefined
  if (typeof b?.access_token !== 'string' || typeof b.token_type !== 'string') {
    throw new InvalidResponseError('the token response has no access_token or token_type')
  }
  const tokens: TokenSet = { accessToken: b.access_token, tokenType: b.token_type }
  if (b.expires_in !== undefined) {
    if (typeof b.expires_in !== 'number' || !(b.expires_in >= 0)) {
      throw new InvalidResponseError('the token response expires_in is not a number')
    }
    tokens.expiresIn = b.expires_in
    tokens.expiresAt = Math.floor(now / 1000) + b.expires_in
  }
  for (const [member, key] of [
    ['scope', 'scope'],
    ['refresh_token', 'refreshToken'],
    ['id_token', 'idToken'],
  ] as const) {
    const value = b[member]
    if (value === undefined) continue
    if (typeof value !== 'string')
      throw new InvalidResponseError(`the token response ${member} is not a string`)
    tokens[key] = value
  }
  return tokens
}

/** @internal What an ID token is validated against in the browser. */
export interface BrowserIdTokenOptions extends ClaimCheckOptions {
  issuer: string
  algorithms: readonly string[]
  keys: BrowserJwks
  /** Server-corrected now, ms. */
  now: number
  /** Seconds. */
  tolerance: number
}

const decoder = new TextDecoder('utf-8', { fatal: true })

function decodeSegment(segment: string | undefined): Record<string, unknown> {
  try {
    const value = JSON.parse(decoder.decode(decodeBase64url(segment ?? '')))
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value
  } catch {}
  throw fail('ID token is malformed', 'ERR_JWT_MALFORMED', undefined, 'malformed')
}

/**
 * @internal
 * Validate an ID token: compact JWS, pinned algorithm, signature against the
 * cached key set, `iss`, `aud`, `exp`, `nbf`, then the shared claim checks.
 */
export async function verifyIdToken(
  token: string,
  o: BrowserIdTokenOptions,
): Promise<IdTokenClaims> {
  const parts = typeof token === 'string' ? token.split('.') : []
  if (parts.length !== 3) {
    throw fail('ID token is malformed', 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  const header = decodeSegment(parts[0])
  // The algorithm first: an unsecured JWS (`none`, empty signature) is refused as such.
  const alg = header.alg
  if (typeof alg !== 'string' || !o.algorithms.includes(alg)) {
    throw fail('ID token alg is not allowed', 'ERR_JWT_ALG_NOT_ALLOWED', 'alg', 'not_allowed')
  }
  const claims = decodeSegment(parts[1]) as IdTokenClaims
  if (!/^[\w-]+$/.test(parts[2] ?? '')) {
    throw fail('ID token is malformed', 'ERR_JWT_MALFORMED', undefined, 'malformed')
  }
  if (header.crit !== undefined) {
    throw fail('ID token has unsupported crit headers', 'ERR_JWT_MALFORMED', 'crit', 'malformed')
  }
  const key = await o.keys.key(typeof header.kid === 'string' ? header.kid : undefined, alg)
  let valid = false
  try {
    valid = await crypto.subtle.verify(
      verifyParams(alg),
      key,
      decodeBase64url(parts[2] as string) as Uint8Array<ArrayBuffer>,
      new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
    )
  } catch {}
  if (!valid) {
    throw fail('ID token signature is invalid', 'ERR_JWT_SIGNATURE_INVALID', undefined, 'signature')
  }
  const now = Math.floor(o.now / 1000)
  const claim = (name: string, ok: boolean) => {
    if (!ok)
      throw fail(`ID token ${name} claim is invalid`, 'ERR_JWT_CLAIM_INVALID', name, 'mismatch')
  }
  // `o.issuer` is the server's published issuer; one rule: a trailing slash aside, exact.
  claim('iss', typeof claims.iss === 'string' && sameIssuer(claims.iss, o.issuer))
  claim(
    'aud',
    Array.isArray(claims.aud) ? claims.aud.includes(o.clientId) : claims.aud === o.clientId,
  )
  claim('exp', typeof claims.exp === 'number')
  claim('iat', typeof claims.iat === 'number')
  if (claims.exp + o.tolerance <= now) {
    throw fail('ID token has expired', 'ERR_JWT_EXPIRED', 'exp', 'expired')
  }
  if (typeof claims.nbf === 'number' && claims.nbf > now + o.tolerance) {
    throw fail('ID token nbf is in the future', 'ERR_JWT_NOT_YET_VALID', 'nbf', 'not_yet_valid')
  }
  await checkIdTokenClaims(claims, alg, o, now, o.tolerance)
  return claims
}

/** @internal A key set cache for ID tokens: rotation-aware, one fetch at a time. */
export interface BrowserJwks {
  key(kid: string | undefined, alg: string): Promise<CryptoKey>
}

/**
 * @internal
 * The browser's JWKS cache: fetched once and shared; a `kid` it does not hold
 * (the server rotated) refetches at most once per `cooldown`; imported keys
 * are kept per key and algorithm. An endpoint that is down is `ERR_JWKS_UNAVAILABLE`.
 */
export function browserJwks(
  t: Transport,
  uri: () => Promise<string>,
  cooldown = 30_000,
): BrowserJwks {
  let keys: (JsonWebKey & { kid?: string })[] | undefined
  let fetchedAt = Number.NEGATIVE_INFINITY
  let loading: Promise<void> | undefined
  const imported = new Map<string, Promise<CryptoKey>>()
  const load = () =>
    (loading ??= (async () => {
      try {
        const body = (await call(
          t,
          'the JWKS request',
          await uri(),
          undefined,
          undefined,
          t.maxResponseBytes ?? RESPONSE_LIMITS.jwks,
        )) as { keys?: unknown }
        if (!Array.isArray(body?.keys)) throw new InvalidResponseError('the JWKS has no keys')
        keys = body.keys.filter((k) => typeof k === 'object' && k !== null)
        imported.clear()
      } catch (cause) {
        throw new JwksError('the JWKS could not be fetched', {
          code: 'ERR_JWKS_UNAVAILABLE',
          cause,
        })
      } finally {
        fetchedAt = Date.now()
        loading = undefined
      }
    })())
  const find = (kid: string | undefined, alg: string) => {
    const kty = ktyOf(alg)
    const crv = curveOf(alg)
    const fits = (keys ?? []).filter(
      (k) =>
        k.kty === kty &&
        (crv === undefined || k.crv === crv) &&
        (k.use === undefined || k.use === 'sig') &&
        (k.alg === undefined || k.alg === alg),
    )
    return kid === undefined
      ? fits.length === 1
        ? fits[0]
        : undefined
      : fits.find((k) => k.kid === kid)
  }
  return {
    async key(kid, alg) {
      if (!keys) await load()
      let jwk = find(kid, alg)
      if (!jwk && Date.now() - fetchedAt >= cooldown) {
        await load()
        jwk = find(kid, alg)
      }
      if (!jwk) {
        throw new JwksError('the JWKS holds no key for this ID token', {
          code: 'ERR_JWKS_NO_MATCHING_KEY',
        })
      }
      const id = `${jwk.kid} ${alg}`
      let key = imported.get(id)
      if (!key) {
        const { kty, n, e, crv, x, y } = jwk
        key = crypto.subtle
          .importKey('jwk', { kty, n, e, crv, x, y }, importParams(alg, jwk.crv), false, ['verify'])
          .then((k) => {
            const bits = (k.algorithm as { modulusLength?: number }).modulusLength
            if (bits !== undefined && bits < MIN_RSA_BITS) throw new Error('RSA key too short')
            return k
          })
          .catch((cause) => {
            imported.delete(id)
            // WebCrypto's messages name the failure, never key material.
            throw new JwksError(`the JWKS key cannot verify alg ${alg}`, {
              code: 'ERR_JWKS_NO_MATCHING_KEY',
              cause: safeCause(cause, true),
            })
          })
        imported.set(id, key)
      }
      return key
    },
  }
}

/** @internal The ID-token algorithms to accept: the server's asymmetric ones, else RS256. */
export function idTokenAlgorithms(metadata: BrowserServerMetadata): string[] {
  const advertised = (metadata.id_token_signing_alg_values_supported ?? ['RS256']).filter(
    (a) => ktyOf(a) !== undefined,
  )
  return advertised.length > 0 ? advertised : ['RS256']
}

/** @internal Refuse a non-URL or an insecure one early, with a coded error. */
export function checkUrlOption(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new InvalidOptionError(`${name} must be an absolute URL`)
  assertSecureUrl(parseUrl(value, name), name)
  return value
}
