/**
 * Memory of the verified-token cache: heap and RSS per cached access token
 * at 1 000 and 100 000 entries, and that the cache stays bounded (three
 * times as many tokens as it holds; and a stream of tokens each seen once,
 * which it never stores). Writes `bench/results/memory.md` and prints it.
 *
 * Run: `npm run bench:memory` (Node with `--expose-gc`, about half a minute).
 *
 * The 100 000-entry figures use RS256-shaped tokens with random signatures,
 * parsed and checked by the verifier's own code (`parse`, `checkClaims`) and
 * stored in its own `TokenCache`: signing 100 000 RSA tokens would take
 * minutes, and a signature's validity changes nothing that is stored. A
 * check at 1 000 entries runs real signed tokens through a real verifier.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { JwksCache } from '../src/jwks/types.js'
import { createNodeBackend } from '../src/verifier/backend-node.js'
import { checkClaims } from '../src/verifier/claims.js'
import { headerOf, parse } from '../src/verifier/jws.js'
import { createVerifier } from '../src/verifier/node.js'
import { TokenCache } from '../src/verifier/token-cache.js'
import type { VerifiedAccessToken, VerifiedHeader } from '../src/verifier/types.js'
import {
  AUDIENCE,
  accessTokenPayload,
  fmt,
  generateKey,
  resultsHeader,
  signAccessToken,
  startJwksServer,
  table,
} from './common.js'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) {
  console.error('run with node --expose-gc (npm run bench:memory)')
  process.exit(1)
}

const ISSUER = 'https://example.okta.com/oauth2/default'
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const HEADER = b64({ alg: 'RS256', kid: 'bench-key-1', typ: 'JWT' })

/** An Okta-format access token as signed by bench/common.ts, with a random 2048-bit "signature". */
function fakeToken(): string {
  const payload = accessTokenPayload(ISSUER)
  return `${HEADER}.${payload}.${randomBytes(256).toString('base64url')}`
}

const backend = createNodeBackend()
const headers = new Map<string, VerifiedHeader>()
const keySet = { holds: () => true } as unknown as JwksCache
const jwk = { kty: 'RSA', kid: 'bench-key-1' }
const now = Date.now

/** What the verifier stores for `token`: its result, built by the verifier's own code. */
function resultOf(token: string): VerifiedAccessToken {
  const parsed = parse(token, backend, 16_384)
  const header = headerOf(parsed.headerSegment, headers, backend)
  return checkClaims(parsed.payload, header, ISSUER, [AUDIENCE], 30, now)
}

/** Offer `count` new tokens to `cache`, each verified twice (a token is stored from its second time). */
function fill(cache: TokenCache<VerifiedAccessToken>, count: number, times = 2): void {
  for (let i = 0; i < count; i++) {
    const token = fakeToken()
    for (let t = 0; t < times; t++) {
      cache.set(token, resultOf(token), jwk, keySet, Date.now() + 3_600_000)
    }
  }
}

interface Usage {
  heap: number
  rss: number
}
function usage(): Usage {
  gc!()
  gc!()
  const m = process.memoryUsage()
  // The JS heap and the ArrayBuffers outside it (the fingerprint table is one).
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss }
}

const rows: string[][] = []
const kib = (bytes: number) => `${fmt(bytes / 1024, 2)} KiB`
const mib = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MiB`

// 1 000 entries through a real verifier and really signed tokens (first, on a fresh heap).
{
  const key = generateKey('bench-key-1')
  const server = await startJwksServer([key])
  try {
    const verifier = createVerifier({
      issuer: server.issuer,
      audience: AUDIENCE,
      jwksUri: server.jwksUri,
      tokenCache: { maxEntries: 1_000 },
    })
    await verifier.ready()
    const tokens: string[] = Array.from({ length: 1_000 }, () =>
      signAccessToken(key, server.issuer),
    )
    const before = usage()
    // The strings are counted as the cache keeps them: copies made after the
    // baseline (the signed originals are in both measurements).
    for (let i = 0; i < tokens.length; i++) {
      const token = `${tokens[i]!} `.slice(0, -1)
      await verifier.verifyAccessToken(token)
      await verifier.verifyAccessToken(token)
    }
    const full = usage()
    if (tokens.length !== 1_000) throw new Error('tokens')
    rows.push([
      '1,000 (real verifier, signed tokens)',
      '1,000',
      kib((full.heap - before.heap) / 1_000),
      kib((full.rss - before.rss) / 1_000),
      mib(full.heap - before.heap),
      '–',
    ])
  } finally {
    await server.close()
  }
}

for (const size of [1_000, 100_000]) {
  const before = usage()
  const cache = new TokenCache<VerifiedAccessToken>(size)
  fill(cache, size)
  const full = usage()
  // Three times as many tokens as it holds: still `size` entries, the heap no larger.
  fill(cache, 2 * size)
  const after = usage()
  if (cache.size !== size) throw new Error(`cache holds ${cache.size}, not ${size}`)
  rows.push([
    `${fmt(size)} (RS256-shaped tokens)`,
    fmt(cache.size),
    kib((full.heap - before.heap) / size),
    kib((full.rss - before.rss) / size),
    mib(full.heap - before.heap),
    `${fmt(cache.size)} entries; heap ${mib(after.heap - before.heap)}`,
  ])
  console.error(`${size}: done`)
}

// A stream of tokens each seen once: nothing is stored, only the fingerprint table.
{
  const size = 100_000
  const before = usage()
  const cache = new TokenCache<VerifiedAccessToken>(size)
  fill(cache, 3 * size, 1)
  const after = usage()
  // A fingerprint shared by two tokens (about 1 in 4 billion) would store one.
  if (cache.size > 3) throw new Error(`cache stored ${cache.size} tokens seen once`)
  rows.push([
    `${fmt(size)}, 300,000 tokens each seen once`,
    fmt(cache.size),
    '–',
    '–',
    mib(after.heap - before.heap),
    `${fmt(cache.size)} stored (fingerprint table only)`,
  ])
}

const markdown = [
  resultsHeader('Verified-token cache memory', 'npm run bench:memory'),
  'Heap (JS heap and ArrayBuffers) and RSS growth after a full GC, divided by the entries held: what one cached Okta-format ' +
    'access token (about 900 characters) costs, its string, its result (claims, scopes) and the ' +
    'entry. "Bounded" offers three times as many tokens as the cache holds, each verified twice. RSS ' +
    'moves in pages and with the allocator: read the heap column.',
  '',
  table(
    ['maxEntries', 'Entries held', 'Heap per entry', 'RSS per entry', 'Heap in all', 'Bounded'],
    rows,
  ),
  '',
].join('\n')
const here = dirname(fileURLToPath(import.meta.url))
await mkdir(join(here, 'results'), { recursive: true })
await writeFile(join(here, 'results', 'memory.md'), markdown)
console.log(markdown)
process.exit(0)
