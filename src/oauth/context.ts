import * as oauth from 'oauth4webapi'
import type { ServerMetadata } from '../discovery/discover.js'
import { InvalidOptionError } from '../errors.js'
import type { JwksCache } from '../jwks/types.js'
import { validateIdToken } from '../jwt/id-token.js'
import type { IdTokenClaims } from '../jwt/types.js'
import { boundedFetch } from '../lib/body.js'
import { assertSecureUrl, parseUrl, resolveFetch } from '../lib/http.js'
import type { ConsumedStates } from './authorization-response.js'
import type { ClientAuthFactory } from './client-auth.js'
import type { ClientConfig } from './client-options.js'

// What every operation of a client shares: the server, the client's
// configuration, its authentication and its JWKS cache. The `Client` class
// holds one and hands it to the functions that implement its methods.

/** @internal The state of one client. */
export interface ClientContext {
  readonly metadata: ServerMetadata
  readonly clientId: string
  readonly config: ClientConfig
  readonly auth: ClientAuthFactory
  readonly jwks: JwksCache
  readonly consumed: ConsumedStates
}

/** @internal The client's clock, ms since the epoch. */
export function now(ctx: ClientContext): number {
  return (ctx.config.options.now ?? Date.now)()
}

/** @internal oauth4webapi's client description, with the clock tolerance and skew. */
export function oauthClient(ctx: ClientContext): oauth.Client {
  return {
    client_id: ctx.clientId,
    [oauth.clockTolerance]: ctx.config.clockTolerance,
    [oauth.clockSkew]: Math.round((now(ctx) - Date.now()) / 1000),
  }
}

/** @internal An endpoint's URL from the metadata, checked for https (or loopback http). */
export function endpoint(
  ctx: ClientContext,
  name: keyof ServerMetadata & `${string}_endpoint`,
): URL {
  const value = ctx.metadata[name]
  if (typeof value !== 'string') {
    throw new InvalidOptionError(`the server metadata has no ${name}`, {
      code: 'ERR_MISSING_ENDPOINT',
    })
  }
  const url = parseUrl(value, name)
  assertSecureUrl(url, name, ctx.config.options.allowInsecureRequests)
  return url
}

/**
 * @internal
 * Options for an oauth4webapi request. With an `operation`, every body is
 * read through the bounded reader before oauth4webapi sees it; without one
 * (a resource server's response, returned to the caller unread) it is not.
 */
export function requestOptions(ctx: ClientContext, signal: AbortSignal, operation?: string) {
  const fetch = resolveFetch(ctx.config.options)
  return {
    signal,
    ...(ctx.config.dpop && { DPoP: ctx.config.dpop }),
    [oauth.customFetch]: (operation === undefined
      ? fetch
      : boundedFetch(fetch, ctx.config.maxResponseBytes, operation)) as typeof fetch,
    // assertSecureUrl has already refused http: off loopback unless allowed.
    [oauth.allowInsecureRequests]: true,
  }
}

/** @internal Run a DPoP-bound exchange, answering one `use_dpop_nonce` challenge (the handle caches the nonce). */
export async function withDpopRetry<T>(ctx: ClientContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (ctx.config.dpop && oauth.isDPoPNonceError(err)) return run()
    throw err
  }
}

/** @internal What an ID token of this client is checked against, beyond its own rules. */
export interface IdTokenExpectations {
  nonce?: string
  maxAge?: number
  expectedSubject?: string
  accessToken?: string
  requireAtHash?: boolean
  code?: string
  requireCHash?: boolean
}

/** @internal Validate an ID token for this client and server (the one validation path). */
export function checkIdToken(
  ctx: ClientContext,
  idToken: string,
  expected: IdTokenExpectations,
): Promise<IdTokenClaims> {
  return validateIdToken(idToken, {
    issuer: ctx.metadata.issuer,
    clientId: ctx.clientId,
    keys: ctx.jwks.getKey,
    algorithms: ctx.config.algorithms,
    clockTolerance: ctx.config.clockTolerance,
    now: () => now(ctx),
    ...expected,
  })
}
