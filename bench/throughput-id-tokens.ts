/**
 * The ID-token groups of the throughput benchmark (`throughput.ts`):
 * `verifyIdToken` on distinct and repeated Okta-format ID tokens, beside the
 * ID floor (`jose.jwtVerify` with what `validateIdToken` asks of it),
 * `@okta/jwt-verifier` and fast-jwt.
 */
import OktaJwtVerifier from '@okta/jwt-verifier'
import { createVerifier as createFastJwtVerifier } from 'fast-jwt'
import { type createLocalJWKSet, jwtVerify } from 'jose'
import { createNodeBackend } from '../src/verifier/backend-node.js'
import type { Verifier } from '../src/verifier/types.js'
import { createVerifierWith } from '../src/verifier/verifier.js'
import { AUDIENCE, CLIENT_ID, fail, NONCE, quietly } from './common.js'
import type { Contestant, Group } from './throughput.js'

/** What the ID-token contestants share with the rest of the benchmark. */
export interface IdTokenContext {
  issuer: string
  jwksUri: string
  /** Distinct signed ID tokens, cycled through. */
  idTokens: readonly string[]
  /** The floor's local key set. */
  localSet: ReturnType<typeof createLocalJWKSet>
  /** fast-jwt's access-token options (PEM key, algorithms, issuer, audience). */
  fastOptions: { key: string; algorithms: 'RS256'[]; allowedIss: string; allowedAud: string }
  /** Our verifiers, shared with the access-token groups. */
  ours: { node: Verifier; web: Verifier; cached: Verifier }
  /** Calls per timing: signature checks, @okta/jwt-verifier, cache hits. */
  ops: { ops: number; slowOps: number; cachedOps: number }
}

/** The contestants of the groups "ID token, distinct" and "ID token, repeated". */
export function idTokenContestants(ctx: IdTokenContext): Contestant[] {
  const { issuer, idTokens, localSet } = ctx
  const { ops, slowOps, cachedOps } = ctx.ops
  const { node: oursNode, web: oursWeb, cached: oursCached } = ctx.ours
  const oneId = idTokens[0]!
  const idAt = (i: number) => idTokens[i % idTokens.length]!

  // What validateIdToken asks of jose, and the nonce by hand.
  const joseVerifyId = async (token: string) => {
    const { payload } = await jwtVerify(token, localSet, {
      issuer,
      audience: CLIENT_ID,
      algorithms: ['RS256'],
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    })
    if (payload.nonce !== NONCE) fail('jose nonce')
  }
  // Cache on, every call a miss (see the access-token row in throughput.ts):
  // sized below the cycle, with a backend of its own counting signature checks.
  const idMissBackend = createNodeBackend()
  const oursIdMisses = createVerifierWith(idMissBackend, {
    issuer,
    audience: AUDIENCE,
    jwksUri: ctx.jwksUri,
    tokenCache: { maxEntries: 256 },
  })
  const idCall = { clientId: CLIENT_ID, nonce: NONCE }
  const oktaId = quietly(
    () => new OktaJwtVerifier({ issuer, testing: { disableHttpsCheck: true } }),
  )
  const fastIdOptions = { ...ctx.fastOptions, allowedAud: CLIENT_ID, allowedNonce: NONCE }
  const fastId = createFastJwtVerifier({ ...fastIdOptions, cache: false })
  const fastIdCached = createFastJwtVerifier({ ...fastIdOptions, cache: true })

  const OURS_ID = 'alg, iss, aud, azp, exp/nbf/iat, sub, nonce'
  const ID: Group = 'ID token, distinct'
  const IR: Group = 'ID token, repeated'
  return [
    {
      group: ID,
      name: 'floor: jose.jwtVerify + local key set (ID token)',
      role: 'floor',
      checks: 'alg, iss, aud, exp/nbf/iat, required claims, nonce (by hand)',
      ops,
      async run(n, from) {
        for (let i = 0; i < n; i++) await joseVerifyId(idAt(from + i))
      },
    },
    {
      group: ID,
      name: 'ours verifyIdToken (node:crypto)',
      checks: OURS_ID,
      ops,
      async run(n, from) {
        for (let i = 0; i < n; i++) await oursNode.verifyIdToken(idAt(from + i), idCall)
      },
    },
    {
      group: ID,
      name: 'ours verifyIdToken (WebCrypto)',
      checks: OURS_ID,
      ops,
      async run(n, from) {
        for (let i = 0; i < n; i++) await oursWeb.verifyIdToken(idAt(from + i), idCall)
      },
    },
    {
      group: ID,
      name: 'ours verifyIdToken (node:crypto, tokenCache on, all misses)',
      checks: OURS_ID,
      ops,
      async run(n, from) {
        for (let i = 0; i < n; i++) await oursIdMisses.verifyIdToken(idAt(from + i), idCall)
      },
      signatureChecks: () => idMissBackend.stats.sync + idMissBackend.stats.pool,
    },
    {
      group: ID,
      name: '@okta/jwt-verifier verifyIdToken',
      checks: 'alg, iss, aud, exp/nbf, nonce',
      ops: slowOps,
      async run(n, from) {
        for (let i = 0; i < n; i++) await oktaId.verifyIdToken(idAt(from + i), CLIENT_ID, NONCE)
      },
    },
    {
      group: ID,
      name: 'fast-jwt (cache off, ID token)',
      checks: 'alg, iss, aud, exp/nbf, nonce',
      ops,
      run(n, from) {
        for (let i = 0; i < n; i++) fastId(idAt(from + i))
      },
    },
    {
      group: IR,
      name: 'floor: jose.jwtVerify + local key set (ID token)',
      role: 'floor',
      checks: 'as above (no cache)',
      ops,
      async run(n) {
        for (let i = 0; i < n; i++) await joseVerifyId(oneId)
      },
    },
    {
      group: IR,
      name: 'ours verifyIdToken (node:crypto, tokenCache on)',
      checks: `${OURS_ID} (cached per client id and nonce)`,
      ops: cachedOps,
      async run(n) {
        for (let i = 0; i < n; i++) await oursCached.verifyIdToken(oneId, idCall)
      },
    },
    {
      group: IR,
      name: '@okta/jwt-verifier verifyIdToken',
      checks: 'as above (no token cache)',
      ops: slowOps,
      async run(n) {
        for (let i = 0; i < n; i++) await oktaId.verifyIdToken(oneId, CLIENT_ID, NONCE)
      },
    },
    {
      group: IR,
      name: 'fast-jwt (cache on, ID token)',
      checks: 'as above',
      ops: cachedOps,
      run(n) {
        for (let i = 0; i < n; i++) fastIdCached(oneId)
      },
    },
  ]
}
