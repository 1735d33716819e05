import type { JwksCache } from '../jwks/types.js'
import { safeCause } from '../lib/cause.js'
import { normalizeIssuer } from '../lib/issuer.js'
import type { JWK } from '../lib/wire-types.js'
import type { SignatureBackend } from './backend.js'
import { audienceMatches, checkClaims } from './claims.js'
import { normalizeVerifierOptions } from './defaults.js'
import { badSignature, fail } from './fail.js'
import {
  type BearerSource,
  bearerChallenge,
  challengeResponse,
  extractBearerToken,
} from './http.js'
import { type CachedIdToken, createIdTokenVerifier } from './id-token.js'
import { createIntrospector } from './introspection.js'
import {
  cachesOf,
  createIssuerState,
  type IssuerContext,
  type IssuerState,
  jwksCacheFor,
  stateFor,
} from './issuers.js'
import {
  canonicalBase64url,
  checkAlg,
  checkSignature,
  headerOf,
  type Parsed,
  parse,
  TOKEN_SHAPE,
} from './jws.js'
import { checkRequirements } from './requirements.js'
import { TokenCache } from './token-cache.js'
import type {
  VerifiedAccessToken,
  VerifiedHeader,
  Verifier,
  VerifierOptions,
  VerifyAccessTokenOptions,
} from './types.js'

// The verifier: options checked once, then the parts wired together. The hot
// path (verifyJwt) stays here, calling plain functions with what they need.

/** @internal Build a verifier on a signature backend (the entry points choose it). */
export function createVerifierWith(backend: SignatureBackend, options: VerifierOptions): Verifier {
  const config = normalizeVerifierOptions(options)
  // Locals: the hot path below reads them on every call.
  const { issuers, audiences, explicitAlgs, tolerance, now, maxTokenLength, http, tokenCacheMax } =
    config
  const context: IssuerContext = { http, now, explicitAlgs, jwks: config.jwks }
  // Keyed by the issuer without a trailing slash (src/lib/issuer.ts): a token
  // whose iss differs from the configured issuer only by that slash is trusted.
  const states = new Map<string, IssuerState>()
  for (const issuer of issuers) {
    states.set(normalizeIssuer(issuer), createIssuerState(issuer, explicitAlgs))
  }
  const single = states.get(normalizeIssuer(issuers[0]!))!
  if (options.jwksCache) single.jwks = options.jwksCache
  else if (options.jwksUri !== undefined) single.jwks = jwksCacheFor(context, options.jwksUri)

  const verified = new TokenCache<VerifiedAccessToken>(tokenCacheMax)
  // ID tokens apart: a token cached as one kind never answers for the other.
  const verifiedIds = tokenCacheMax > 0 ? new TokenCache<CachedIdToken>(tokenCacheMax) : undefined
  const verifyIdToken = createIdTokenVerifier({
    backend,
    states,
    issuers,
    context,
    tolerance,
    now,
    maxTokenLength,
    cache: verifiedIds,
  })
  const introspection = options.introspection
    ? createIntrospector(options.introspection, states, issuers, http, now)
    : undefined

  /**
   * Verify a JWT. Synchronous when the keys are at hand and the backend is
   * synchronous (node:crypto): the warm path takes no promise hop.
   */
  function verifyJwt(
    token: string,
    call: VerifyAccessTokenOptions | undefined,
  ): VerifiedAccessToken | Promise<VerifiedAccessToken> {
    if (tokenCacheMax > 0) {
      const hit = verified.get(token, now)
      if (hit) return hit
    }
    const parsed = parse(token, backend, maxTokenLength)
    const state = stateFor(parsed.payload, states, issuers)
    const header = headerOf(parsed.headerSegment, state.headers, backend)
    const cache = state.jwks
    if (cache) {
      checkAlg(header, state.algorithms)
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
      const loaded = state.jwks ?? (await cachesOf(state, context, call))
      checkAlg(header, state.algorithms)
      const jwk = await checkSignature(backend, parsed, header, loaded, call)
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
    const result = checkClaims(parsed.payload, header, state.issuer, audiences, tolerance, now)
    if (tokenCacheMax > 0) {
      verified.set(token, result, jwk, cache, (result.expiresAt + tolerance) * 1000)
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
    verifyIdToken,
    jwksCache(issuer) {
      return states.get(normalizeIssuer(issuer ?? issuers[0]!))?.jwks
    },
    async ready(call) {
      await Promise.all(
        [...states.values()].map(async (state) => {
          const cache = await cachesOf(state, context, call)
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
      verifiedIds?.delete(token)
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
