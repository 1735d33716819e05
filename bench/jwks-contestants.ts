/**
 * The contestants of the JWKS benchmark (`jwks.ts`): ours, plain
 * `jose.createRemoteJWKSet` and `@okta/jwt-verifier`, each built against one
 * scenario's server with that scenario's tuning, and the timeouts and bounds
 * the scenarios judge them by.
 */
import OktaJwtVerifier from '@okta/jwt-verifier'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { createVerifier } from '../src/verifier/node.js'
import { AUDIENCE, fmt, type JwksServer, quietly, SCOPE } from './common.js'

/** Per-scenario tuning handed to each contestant's factory. */
export interface Tuning {
  /** Shortest key-set lifetime the library allows us to set, in ms. */
  maxAgeMs?: number
  /** Unknown-kid refetch cooldown, in ms, where the library has one. */
  cooldownMs?: number
}

/** One verification: resolves or rejects. */
export type Verify = (token: string) => Promise<unknown>

/** A library under test: how to build its verify function against a server. */
export interface Contestant {
  id: string
  label: string
  make(server: JwksServer, tuning: Tuning): Verify
}

/** Slow-endpoint delay: longer than every timeout configured or defaulted below 6 s (jose: 5 s). */
export const SLOW_MS = 6_000
/** Timeout we configure on our verifier (`timeout` option). */
export const OUR_TIMEOUT = 2_000
/** Longest any single call is awaited before it counts as pending. */
export const BOUND_MS = 10_000

/** Ours, plain jose and Okta's verifier, each configured as the results file says. */
export const CONTESTANTS: Contestant[] = [
  {
    id: 'ours',
    label: `ours (jwksUri, timeout ${fmt(OUR_TIMEOUT)} ms)`,
    make(server, tuning) {
      const verifier = createVerifier({
        issuer: server.issuer,
        audience: AUDIENCE,
        jwksUri: server.jwksUri,
        timeout: OUR_TIMEOUT,
        jwks: {
          ...(tuning.maxAgeMs !== undefined && {
            maxAge: tuning.maxAgeMs,
            minAge: tuning.maxAgeMs,
          }),
          ...(tuning.cooldownMs !== undefined && { cooldown: tuning.cooldownMs }),
        },
      })
      return (token) => verifier.verifyAccessToken(token, { scopes: [SCOPE] })
    },
  },
  {
    id: 'oursDiscovery',
    label: 'ours (discovery, default timeout 10 s)',
    make(server, tuning) {
      const verifier = createVerifier({
        issuer: server.issuer,
        audience: AUDIENCE,
        jwks: {
          ...(tuning.maxAgeMs !== undefined && {
            maxAge: tuning.maxAgeMs,
            minAge: tuning.maxAgeMs,
          }),
          ...(tuning.cooldownMs !== undefined && { cooldown: tuning.cooldownMs }),
        },
      })
      return (token) => verifier.verifyAccessToken(token, { scopes: [SCOPE] })
    },
  },
  {
    id: 'jose',
    label: 'jose.createRemoteJWKSet (default timeout 5 s)',
    make(server, tuning) {
      const jwks = createRemoteJWKSet(new URL(server.jwksUri), {
        ...(tuning.maxAgeMs !== undefined && { cacheMaxAge: tuning.maxAgeMs }),
        ...(tuning.cooldownMs !== undefined && { cooldownDuration: tuning.cooldownMs }),
      })
      return async (token) => {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: server.issuer,
          audience: AUDIENCE,
          algorithms: ['RS256'],
        })
        if (!Array.isArray(payload.scp) || !payload.scp.includes(SCOPE)) throw new Error('scope')
        return payload
      }
    },
  },
  {
    id: 'okta',
    label: '@okta/jwt-verifier (jwks-rsa; timeout 30 s, not configurable)',
    make(server, tuning) {
      const verifier = quietly(
        () =>
          new OktaJwtVerifier({
            issuer: server.issuer,
            testing: { disableHttpsCheck: true },
            assertClaims: { 'scp.includes': [SCOPE] },
            ...(tuning.maxAgeMs !== undefined && { cacheMaxAge: tuning.maxAgeMs }),
          }),
      )
      return (token) => verifier.verifyAccessToken(token, AUDIENCE)
    },
  },
]
