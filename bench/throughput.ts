/**
 * Throughput of warm verifiers (RS256, 2048-bit key): access tokens and ID
 * tokens, distinct and repeated, and access tokens with 1, 8 and 32
 * concurrent callers, beside the floor (`jose.jwtVerify` with a local key
 * set), the raw `crypto.verify`, `@okta/jwt-verifier` and fast-jwt.
 * Contestants run interleaved in several rounds (the order rotates each
 * round); every result is a median, and every ratio is to the floor (or the
 * raw check) measured in the same round.
 *
 * Run alone: `npx tsx bench/throughput.ts`.
 */
import { verify as cryptoVerify } from 'node:crypto'
import { cpus } from 'node:os'
import { pathToFileURL } from 'node:url'
import OktaJwtVerifier from '@okta/jwt-verifier'
import { createVerifier as createFastJwtVerifier } from 'fast-jwt'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { createNodeBackend } from '../src/verifier/backend-node.js'
import { createVerifier as createWebCryptoVerifier } from '../src/verifier/index.js'
import { createVerifier as createNodeVerifier } from '../src/verifier/node.js'
import { createVerifierWith } from '../src/verifier/verifier.js'
import {
  AUDIENCE,
  concurrently,
  fail,
  fmt,
  generateKey,
  median,
  quietly,
  SCOPE,
  signIdToken,
  signMany,
  startJwksServer,
} from './common.js'
import { idTokenContestants } from './throughput-id-tokens.js'
import { render } from './throughput-report.js'

/** Tuning of {@link runThroughput}. */
export interface ThroughputOptions {
  /** Rounds; each contestant is timed once per round. Default 10. */
  rounds?: number
  /** Operations per timing for contestants that verify a signature each time. Default 1 000. */
  ops?: number
  /** Operations per timing for contestants answering from a cache. Default 30 000. */
  cachedOps?: number
  /** Distinct tokens signed of each kind (cycled through by the distinct modes). Default 3 000. */
  tokens?: number
  /** Progress lines. */
  log?: (line: string) => void
}

/** A group of contestants measured against the same floor: a token kind, a mode, a concurrency. */
export type Group =
  | 'access, distinct, 1 caller'
  | 'access, repeated'
  | 'access, distinct, 8 callers'
  | 'access, distinct, 32 callers'
  | 'ID token, distinct'
  | 'ID token, repeated'

/** One measured contestant. */
export interface ThroughputRow {
  group: Group
  name: string
  /** The group's floor, or the raw check every ratio "× raw" is to. */
  role: 'floor' | 'raw' | undefined
  checks: string
  opsPerSec: number
  minOps: number
  maxOps: number
  /** Median over rounds of (this ÷ floor of its group, same round). */
  ratio: number
  /** Median over rounds of (this ÷ raw check, same round). */
  rawRatio: number
  /** ops/s of each round. */
  runs: number[]
  /** Signature checks per call, where it can be counted (ours on node:crypto): 1 for all misses. */
  checksPerCall?: number
}

/** One contestant: what it runs per timing, and how it is reported. */
export interface Contestant {
  group: Group
  name: string
  role?: 'floor' | 'raw'
  checks: string
  ops: number
  /**
   * Run `n` verifications, starting at token `from` of the distinct list (cycling), so
   * successive timings continue through it. Throws on a failed verification.
   */
  run(n: number, from: number): Promise<void> | void
  /** Signature checks so far (ours on node:crypto). */
  signatureChecks?: () => number
}

/**
 * The least any JWT verifier does per token on one thread: split it, decode
 * and parse its payload, and check its signature (no claims). Its ratio to
 * the raw check is the ceiling of "× raw check" for a verifier.
 */
export const LEAST = 'least work: split, payload JSON, crypto.verify'

/** Run the throughput benchmark and return its rows and a Markdown section. */
export async function runThroughput(
  options: ThroughputOptions = {},
): Promise<{ rows: ThroughputRow[]; markdown: string }> {
  const rounds = options.rounds ?? 10
  const ops = options.ops ?? 1_000
  const cachedOps = options.cachedOps ?? 30_000
  const tokenCount = options.tokens ?? 3_000
  // @okta/jwt-verifier takes ~150 µs a call: fewer calls keep a round short.
  const slowOps = Math.max(100, Math.round(ops / 3))
  // Concurrent timings run longer: the switch to the thread pool takes up to
  // 20 ms (one probe interval) to notice callers that start overlapping.
  const concurrentOps = 3 * ops
  const log = options.log ?? (() => {})

  const key = generateKey('bench-key-1')
  const server = await startJwksServer([key])
  try {
    const { issuer } = server
    const started = performance.now()
    const tokens = signMany(key, issuer, tokenCount)
    const idTokens = Array.from({ length: tokenCount }, () => signIdToken(key, issuer))
    log(`signed ${2 * tokenCount} tokens in ${fmt(performance.now() - started)} ms`)
    const one = tokens[0]!
    const at = (i: number) => tokens[i % tokens.length]!
    const hasScope = (payload: Record<string, unknown>) =>
      Array.isArray(payload.scp) && payload.scp.includes(SCOPE)

    // Raw physical floor: the signature check alone, on pre-split buffers.
    const raw = tokens.map((t) => {
      const dot = t.lastIndexOf('.')
      return { data: Buffer.from(t.slice(0, dot)), sig: Buffer.from(t.slice(dot + 1), 'base64url') }
    })
    const rawAt = (i: number) => raw[i % raw.length]!

    // Floor: jose with a local key set.
    const localSet = createLocalJWKSet({ keys: [key.jwk] })
    const joseVerify = async (token: string) => {
      const { payload } = await jwtVerify(token, localSet, {
        issuer,
        audience: AUDIENCE,
        algorithms: ['RS256'],
      })
      if (!hasScope(payload)) fail('jose scope')
    }

    // Ours, node:crypto and WebCrypto, reading the key set from the local server.
    const base = { issuer, audience: AUDIENCE, jwksUri: server.jwksUri }
    const oursNode = createNodeVerifier(base)
    const oursWeb = createWebCryptoVerifier(base)
    const oursCached = createNodeVerifier({ ...base, tokenCache: true })
    // Cache on, every call a miss. A real stream of new tokens never repeats;
    // this one cycles, so the cache is sized below the cycle (a token's second
    // sight must find its fingerprint gone): the miss path costs the same at
    // any size. A backend of its own counts the signature checks to show it.
    const missBackend = createNodeBackend()
    const oursMisses = createVerifierWith(missBackend, { ...base, tokenCache: { maxEntries: 256 } })
    const need = { scopes: [SCOPE] }

    // @okta/jwt-verifier: fetches `${issuer}/v1/keys`; http needs testing.disableHttpsCheck.
    const okta = quietly(
      () =>
        new OktaJwtVerifier({
          issuer,
          testing: { disableHttpsCheck: true },
          assertClaims: { 'scp.includes': [SCOPE] },
        }),
    )

    // fast-jwt: synchronous verifier with the PEM key.
    const fastOptions = {
      key: key.publicPem,
      algorithms: ['RS256' as const],
      allowedIss: issuer,
      allowedAud: AUDIENCE,
    }
    const fast = createFastJwtVerifier({ ...fastOptions, cache: false })
    const fastCached = createFastJwtVerifier({ ...fastOptions, cache: true })
    const fastCachedDistinct = createFastJwtVerifier({ ...fastOptions, cache: true })

    const OURS = 'typ, alg, iss, aud, exp/nbf/iat, scope'
    const A1: Group = 'access, distinct, 1 caller'
    const AR: Group = 'access, repeated'
    const contestants: Contestant[] = [
      {
        group: A1,
        name: 'raw crypto.verify (signature only)',
        role: 'raw',
        checks: 'signature only, pre-split buffers',
        ops,
        run(n, from) {
          for (let i = 0; i < n; i++) {
            const r = rawAt(from + i)
            if (!cryptoVerify('sha256', r.data, key.publicKey, r.sig)) fail('raw')
          }
        },
      },
      {
        group: A1,
        name: LEAST,
        checks: 'signature only, from the token: split, payload decoded and parsed',
        ops,
        run(n, from) {
          for (let i = 0; i < n; i++) {
            const t = at(from + i)
            const d1 = t.indexOf('.')
            const d2 = t.lastIndexOf('.')
            const payload = JSON.parse(Buffer.from(t.slice(d1 + 1, d2), 'base64url').toString())
            const data = Buffer.from(t.slice(0, d2), 'latin1')
            const sig = Buffer.from(t.slice(d2 + 1), 'base64url')
            if (!cryptoVerify('sha256', data, key.publicKey, sig) || !payload.iss) fail('least')
          }
        },
      },
      {
        group: A1,
        name: 'floor: jose.jwtVerify + local key set',
        role: 'floor',
        checks: 'alg, iss, aud, exp/nbf/iat, scope (by hand)',
        ops,
        async run(n, from) {
          for (let i = 0; i < n; i++) await joseVerify(at(from + i))
        },
      },
      {
        group: A1,
        name: 'ours (node:crypto)',
        checks: OURS,
        ops,
        async run(n, from) {
          for (let i = 0; i < n; i++) await oursNode.verifyAccessToken(at(from + i), need)
        },
      },
      {
        group: A1,
        name: 'ours (WebCrypto)',
        checks: OURS,
        ops,
        async run(n, from) {
          for (let i = 0; i < n; i++) await oursWeb.verifyAccessToken(at(from + i), need)
        },
      },
      {
        group: A1,
        name: 'ours (node:crypto, tokenCache on, all misses)',
        checks: OURS,
        ops,
        async run(n, from) {
          for (let i = 0; i < n; i++) await oursMisses.verifyAccessToken(at(from + i), need)
        },
        signatureChecks: () => missBackend.stats.sync + missBackend.stats.pool,
      },
      {
        group: A1,
        name: '@okta/jwt-verifier',
        checks: 'alg, iss, aud, exp/nbf, scp includes (assertClaims)',
        ops: slowOps,
        async run(n, from) {
          for (let i = 0; i < n; i++) await okta.verifyAccessToken(at(from + i), AUDIENCE)
        },
      },
      {
        group: A1,
        name: 'fast-jwt (cache off)',
        checks: 'alg, iss, aud, exp/nbf, scope (by hand)',
        ops,
        run(n, from) {
          for (let i = 0; i < n; i++) if (!hasScope(fast(at(from + i)))) fail('fast-jwt scope')
        },
      },
      {
        group: A1,
        name: 'fast-jwt (cache on, all misses)',
        checks: 'alg, iss, aud, exp/nbf, scope (by hand)',
        ops,
        run(n, from) {
          for (let i = 0; i < n; i++) {
            if (!hasScope(fastCachedDistinct(at(from + i)))) fail('fast-jwt scope')
          }
        },
      },
      {
        group: AR,
        name: 'floor: jose.jwtVerify + local key set',
        role: 'floor',
        checks: 'as above (no cache)',
        ops,
        async run(n) {
          for (let i = 0; i < n; i++) await joseVerify(one)
        },
      },
      {
        group: AR,
        name: 'ours (node:crypto, tokenCache on)',
        checks: `${OURS} (scope every call)`,
        ops: cachedOps,
        async run(n) {
          for (let i = 0; i < n; i++) await oursCached.verifyAccessToken(one, need)
        },
      },
      {
        group: AR,
        name: '@okta/jwt-verifier',
        checks: 'as above (no token cache)',
        ops: slowOps,
        async run(n) {
          for (let i = 0; i < n; i++) await okta.verifyAccessToken(one, AUDIENCE)
        },
      },
      {
        group: AR,
        name: 'fast-jwt (cache on)',
        checks: 'as above (scope by hand every call)',
        ops: cachedOps,
        run(n) {
          for (let i = 0; i < n; i++) if (!hasScope(fastCached(one))) fail('fast-jwt scope')
        },
      },
      ...[8, 32].flatMap((callers): Contestant[] => {
        const group: Group = `access, distinct, ${callers as 8 | 32} callers`
        return [
          {
            group,
            name: `floor: jose.jwtVerify + local key set, ${callers} callers`,
            role: 'floor',
            checks: 'as for 1 caller',
            ops: concurrentOps,
            run: (n, from) => concurrently(callers, n, from, (i) => joseVerify(at(i))),
          },
          {
            group,
            name: `ours (node:crypto), ${callers} callers`,
            checks: OURS,
            ops: concurrentOps,
            run: (n, from) =>
              concurrently(callers, n, from, (i) => oursNode.verifyAccessToken(at(i), need)),
          },
          {
            group,
            name: `raw crypto.verify on the thread pool, ${callers} in flight`,
            checks: 'signature only, pre-split buffers, with a callback',
            ops: concurrentOps,
            run: (n, from) =>
              concurrently(
                callers,
                n,
                from,
                (i) =>
                  new Promise<void>((resolve, reject) => {
                    const r = rawAt(i)
                    cryptoVerify('sha256', r.data, key.publicKey, r.sig, (err, ok) =>
                      err || !ok ? reject(err ?? new Error('raw')) : resolve(),
                    )
                  }),
              ),
          },
          {
            group,
            name: `fast-jwt (cache off), ${callers} callers`,
            checks: 'as for 1 caller (synchronous: one thread whatever the callers)',
            ops: concurrentOps,
            run: (n, from) =>
              concurrently(callers, n, from, (i) => {
                if (!hasScope(fast(at(i)))) fail('fast-jwt scope')
              }),
          },
          {
            group,
            name: `@okta/jwt-verifier, ${callers} callers`,
            checks: 'as for 1 caller',
            ops: slowOps,
            run: (n, from) =>
              concurrently(callers, n, from, (i) => okta.verifyAccessToken(at(i), AUDIENCE)),
          },
        ]
      }),
      ...idTokenContestants({
        issuer,
        jwksUri: server.jwksUri,
        idTokens,
        localSet,
        fastOptions,
        ours: { node: oursNode, web: oursWeb, cached: oursCached },
        ops: { ops, slowOps, cachedOps },
      }),
    ]

    // Warm every contestant (key import, JWKS fetch, JIT) before timing.
    const cursor = contestants.map(() => 0)
    for (const [i, c] of contestants.entries()) {
      for (let pass = 0; pass < 2; pass++) {
        await c.run(300, cursor[i]!)
        cursor[i]! += 300
      }
    }
    log('warmed every contestant')
    const checksBefore = contestants.map((c) => c.signatureChecks?.() ?? 0)

    const results = contestants.map(() => [] as number[])
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so no contestant always runs first or last.
      const order = contestants.map((_, i) => (i + round * 7) % contestants.length)
      for (const i of order) {
        const c = contestants[i]!
        const t0 = performance.now()
        await c.run(c.ops, cursor[i]!)
        const ms = performance.now() - t0
        cursor[i]! += c.ops
        results[i]!.push((c.ops / ms) * 1000)
      }
      log(`round ${round + 1}/${rounds}`)
    }

    const rawIndex = contestants.findIndex((c) => c.role === 'raw')
    const floorOf = (group: Group) =>
      results[contestants.findIndex((c) => c.group === group && c.role === 'floor')]!
    const rows: ThroughputRow[] = contestants.map((c, i) => {
      const runs = results[i]!
      const floor = floorOf(c.group)
      const row: ThroughputRow = {
        group: c.group,
        name: c.name,
        role: c.role,
        checks: c.checks,
        opsPerSec: median(runs),
        minOps: Math.min(...runs),
        maxOps: Math.max(...runs),
        // Medians of the per-round ratios: each against the floor (raw check) of its own round.
        ratio: median(runs.map((v, r) => v / floor[r]!)),
        rawRatio: median(runs.map((v, r) => v / results[rawIndex]![r]!)),
        runs,
      }
      if (c.signatureChecks) {
        row.checksPerCall = (c.signatureChecks() - checksBefore[i]!) / (rounds * c.ops)
      }
      return row
    })

    const markdown = render(rows, {
      rounds,
      ops,
      slowOps,
      concurrentOps,
      cachedOps,
      tokens: tokenCount,
      cores: cpus().length,
    })
    return { rows, markdown }
  } finally {
    await server.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { markdown } = await runThroughput({ log: (line) => console.error(line) })
  console.log(markdown)
  // @okta/jwt-verifier's rate limiter may still hold timers; nothing of ours is pending.
  process.exit(0)
}
