import { discover } from '../discovery/discover.js'
import { AbortError, InvalidOptionError, TokenValidationError } from '../errors.js'
import { deepFreeze } from '../lib/freeze.js'
import { awaitShared, type CallOptions, detach, type HttpOptions } from '../lib/http.js'
import { normalizeIssuer } from '../lib/issuer.js'
import { lazy } from '../lib/lazy.js'
import type { createClient, IntrospectionResponse } from '../oauth/client.js'
import { scopesOf } from './claims.js'
import { VERIFIER_DEFAULTS } from './defaults.js'
import type { IssuerState } from './issuers.js'
import type {
  AccessTokenClaims,
  IntrospectionFallbackOptions,
  VerifiedAccessToken,
} from './types.js'
import { untrustedIssuer } from './untrusted-issuer.js'

// The opt-in introspection fallback (VerifierOptions.introspection): one
// shared request per token, answers (active or not) cached for a while.

/** The core client (oauth4webapi, jose), loaded by the first introspection: most verifiers never introspect. */
const loadClient = lazy(() => import('../oauth/client.js'))

/** @internal The introspection fallback of a verifier. */
export interface Introspector {
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

/** @internal Build the introspection fallback; throws `InvalidOptionError` for a bad `issuer`. */
export function createIntrospector(
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
  const ttl = Math.min(
    config.cacheTtl ?? VERIFIER_DEFAULTS.introspectionCacheTtl,
    VERIFIER_DEFAULTS.introspectionMaxCacheTtl,
  )
  const max = config.maxEntries ?? VERIFIER_DEFAULTS.introspectionEntries
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
      const { createClient } = await loadClient()
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
    mode: config.mode ?? VERIFIER_DEFAULTS.introspectionMode,
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
