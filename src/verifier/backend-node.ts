/// <reference types="node" />
import {
  constants,
  createPublicKey,
  type KeyObject,
  verify as nodeVerify,
  type VerifyKeyObjectInput,
} from 'node:crypto'
import type { JWK } from '../lib/wire-types.js'
import { MIN_RSA_BITS, type SignatureBackend, unusableKey } from './backend.js'

const NODE_HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' }

/** @internal Tuning of {@link createNodeBackend} (tests set it; the entry uses the defaults). */
export interface NodeBackendOptions {
  /**
   * Every this many synchronous verifications (and no sooner than
   * `probeInterval` after the last), one runs on the thread pool instead,
   * so that callers overlapping with it are seen (they then run on the pool
   * too). Default 64; 1 sends every verification to the pool.
   */
  probeEvery?: number
  /**
   * Least time between two probes, in ms. A lone caller waits for each probe
   * (a thread hop: tens of µs on an idle machine, milliseconds on a busy
   * one), so probes are spaced in time, not only in count; callers that
   * start overlapping wait at most this long to be noticed. Default 20.
   */
  probeInterval?: number
  /**
   * Most verifications in flight on the pool; beyond it a verification runs
   * on the calling thread, which would otherwise wait. Default: unbounded.
   */
  maxInFlight?: number
}

/** @internal The node:crypto backend, with counters of where verifications ran. */
export interface NodeBackend extends SignatureBackend {
  /** Verifications run on the calling thread, and on libuv's thread pool. */
  readonly stats: { sync: number; pool: number }
}

/**
 * @internal
 * `node:crypto`: a `KeyObject` imported once per key, then `crypto.verify`
 * per token. Alone, a verification runs synchronously (no promise hop, no
 * thread hop); while others are in flight on the thread pool it joins them
 * there (`crypto.verify` with a callback), so concurrent callers use every
 * core. Overlap is only visible while something is in flight, so a lone
 * verification goes to the pool now and then (a probe: at most one per
 * `probeInterval`): with one caller it costs one thread hop per 20 ms;
 * with several, the callers arriving meanwhile keep the pool busy and the
 * switch holds.
 */
export function createNodeBackend(options: NodeBackendOptions = {}): NodeBackend {
  const probeEvery = Math.max(1, options.probeEvery ?? 64)
  const probeInterval = options.probeInterval ?? 20
  const maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY
  const keys = new WeakMap<JWK, KeyObject | Error>()
  const keyOf = (jwk: JWK, alg: string): KeyObject => {
    let key = keys.get(jwk)
    if (key === undefined) {
      try {
        key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
        const bits = key.asymmetricKeyDetails?.modulusLength
        if (bits !== undefined && bits < MIN_RSA_BITS) key = unusableKey(alg)
      } catch (cause) {
        key = unusableKey(alg, cause)
      }
      keys.set(jwk, key)
    }
    if (key instanceof Error) throw key
    return key
  }
  // Per key and algorithm: what crypto.verify takes (padding, encoding), built once.
  const inputs = new WeakMap<KeyObject, Map<string, KeyObject | VerifyKeyObjectInput>>()
  const inputOf = (key: KeyObject, alg: string): KeyObject | VerifyKeyObjectInput => {
    let byAlg = inputs.get(key)
    if (!byAlg) {
      byAlg = new Map()
      inputs.set(key, byAlg)
    }
    let input = byAlg.get(alg)
    if (input === undefined) {
      input = alg.startsWith('PS')
        ? {
            key,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          }
        : { key, dsaEncoding: 'ieee-p1363' as const }
      byAlg.set(alg, input)
    }
    return input
  }

  let inFlight = 0
  let sinceProbe = 0
  let lastProbe = Number.NEGATIVE_INFINITY
  // Whether this lone verification is a probe: every probeEvery-th, once probeInterval has passed.
  const probe = (): boolean => {
    if (++sinceProbe < probeEvery) return false
    sinceProbe = 0
    const now = performance.now()
    if (now - lastProbe < probeInterval) return false
    lastProbe = now
    return true
  }
  const stats = { sync: 0, pool: 0 }

  return {
    name: 'node:crypto',
    stats,
    decode: (segment) => Buffer.from(segment, 'base64url').toString('utf8'),
    verify(alg, jwk, input, signature) {
      const family = alg.slice(0, 2)
      // RS and EdDSA take the KeyObject itself; PS and ES an object naming their options.
      const key =
        family === 'PS' || family === 'ES' ? inputOf(keyOf(jwk, alg), alg) : keyOf(jwk, alg)
      // EdDSA takes no digest name; RS, PS and ES name theirs.
      const hash =
        family === 'RS' || family === 'PS' || family === 'ES' ? NODE_HASH[alg.slice(2)] : null
      if (hash === undefined) return false
      const data = Buffer.from(input, 'latin1')
      const sig = Buffer.from(signature, 'base64url')
      if ((inFlight === 0 && !probe()) || inFlight >= maxInFlight) {
        stats.sync++
        try {
          return nodeVerify(hash, data, key, sig)
        } catch {
          return false
        }
      }
      stats.pool++
      inFlight++
      return new Promise<boolean>((resolve) => {
        try {
          nodeVerify(hash, data, key, sig, (error, valid) => {
            inFlight--
            resolve(error === null && valid === true)
          })
        } catch {
          // Refused before it was queued (a key that cannot take the input).
          inFlight--
          resolve(false)
        }
      })
    },
  }
}
