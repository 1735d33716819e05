/**
 * JWKS request counts and failure behaviour against a local server on
 * 127.0.0.1 that counts requests and can rotate keys, go down or stall: ours
 * beside plain `jose.createRemoteJWKSet` and `@okta/jwt-verifier`. Each
 * contestant gets its own server in each scenario, so counts never mix.
 *
 * Run alone: `npx tsx bench/jwks.ts`.
 */
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import {
  fmt,
  generateKey,
  type JwksServer,
  type ServerMode,
  type SigningKey,
  signAccessToken,
  signMany,
  sleep,
  startJwksServer,
  table,
  within,
} from './common.js'
import {
  BOUND_MS,
  CONTESTANTS,
  type Contestant,
  OUR_TIMEOUT,
  SLOW_MS,
  type Tuning,
  type Verify,
} from './jwks-contestants.js'

/** Outcome of a batch of calls. */
interface Settled {
  ok: number
  failed: number
  pending: number
  /** Error codes (or names) seen, with counts. */
  errors: Map<string, number>
  ms: number
}

const errorName = (err: unknown): string => {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | undefined
  if (typeof e?.code === 'string') return e.code
  if (typeof e?.name === 'string' && e.name !== 'Error') return e.name
  if (typeof e?.message === 'string') return e.message.slice(0, 40)
  return String(err).slice(0, 40)
}

/** Call without letting a synchronous throw escape. */
const call = (verify: Verify, token: string): Promise<unknown> => {
  try {
    return verify(token)
  } catch (err) {
    return Promise.reject(err)
  }
}

/** Counts outcomes of calls as they settle; handlers are attached as soon as a call starts. */
class Tally {
  readonly out: Settled = { ok: 0, failed: 0, pending: 0, errors: new Map(), ms: 0 }
  readonly #tracked: Promise<void>[] = []
  #settled = 0

  add(promise: Promise<unknown>): void {
    this.#tracked.push(
      promise.then(
        () => {
          this.out.ok++
          this.#settled++
        },
        (err: unknown) => {
          this.out.failed++
          this.#settled++
          const name = errorName(err)
          this.out.errors.set(name, (this.out.errors.get(name) ?? 0) + 1)
        },
      ),
    )
  }

  /** Wait (bounded) for every call; those unsettled at the bound count as pending. */
  async wait(started: number): Promise<Settled> {
    await within(Promise.all(this.#tracked), BOUND_MS)
    this.out.ms = performance.now() - started
    this.out.pending = this.#tracked.length - this.#settled
    return this.out
  }
}

/** Wait (bounded) for every promise and count the outcomes. */
function settleAll(promises: Promise<unknown>[], started: number): Promise<Settled> {
  const tally = new Tally()
  for (const p of promises) tally.add(p)
  return tally.wait(started)
}

async function one(promise: Promise<unknown>): Promise<Settled> {
  return settleAll([promise], performance.now())
}

async function withServer<T>(keys: SigningKey[], fn: (server: JwksServer) => Promise<T>) {
  const server = await startJwksServer(keys)
  try {
    return await fn(server)
  } finally {
    await server.close()
  }
}

const ms = (value: number) => (value < 1_000 ? `${fmt(value)} ms` : `${fmt(value / 1000, 1)} s`)
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const errs = (s: Settled) =>
  [...s.errors].map(([name, n]) => (s.errors.size > 1 ? `${name} ×${n}` : name)).join(', ')
/** What one call did and when: `verifies after 2 ms`, `fails (CODE) after 2.0 s`, `still pending after 10.0 s`. */
const outcome = (s: Settled) =>
  `${s.pending > 0 ? 'still pending' : s.ok > 0 ? 'verifies' : `fails (${errs(s)})`} after ${ms(s.ms)}`
const requests = (server: JwksServer, withDiscovery: boolean) =>
  plural(server.jwksRequests, 'request') +
  (withDiscovery && server.discoveryRequests > 0 ? ` + ${server.discoveryRequests} discovery` : '')

/** A scenario's result for one contestant: the table cell, and facts for the verdicts. */
interface Cell {
  text: string
  facts: Record<string, number | boolean>
}

type Scenario = (c: Contestant, keys: Keys) => Promise<Cell>

interface Keys {
  a: SigningKey
  b: SigningKey
  attacker: SigningKey
}

// (a) 500 concurrent verifications on a cold verifier.
const cold500: Scenario = (c, { a }) =>
  withServer([a], async (server) => {
    const tokens = signMany(a, server.issuer, 500)
    const verify = c.make(server, {})
    const started = performance.now()
    const s = await settleAll(
      tokens.map((t) => call(verify, t)),
      started,
    )
    return {
      text: `${requests(server, true)}; ${s.ok}/500 verified${s.failed ? ` (${errs(s)})` : ''}; ${ms(s.ms)}`,
      facts: { requests: server.jwksRequests, ok: s.ok },
    }
  })

// (b) Rotation: warm, then the server publishes [new, old]; the first token with the new kid.
const rotation =
  (afterCooldown: boolean): Scenario =>
  (c, { a, b }) =>
    withServer([a], async (server) => {
      const tuning: Tuning = afterCooldown ? { cooldownMs: 1_000 } : {}
      const verify = c.make(server, tuning)
      const newTokens = signMany(b, server.issuer, 101)
      const oldTokens = signMany(a, server.issuer, 101)
      await one(call(verify, oldTokens[100]!))
      if (afterCooldown) await sleep(1_100)
      server.setKeys([b, a])
      server.resetCounts()
      const first = await one(call(verify, newTokens[100]!))
      const refetches = server.jwksRequests
      const [newKid, oldKid] = await Promise.all([
        settleAll(
          newTokens.slice(0, 100).map((t) => call(verify, t)),
          performance.now(),
        ),
        settleAll(
          oldTokens.slice(0, 100).map((t) => call(verify, t)),
          performance.now(),
        ),
      ])
      return {
        text:
          `first new-kid token ${first.ok ? '**verifies**' : `fails (${errs(first)})`}; ` +
          `${refetches} ${refetches === 1 ? 'refetch' : 'refetches'} for it, ${server.jwksRequests} in all; ` +
          `then 100 + 100 at once: new kid ${newKid.ok}/100, old kid ${oldKid.ok}/100`,
        facts: { firstOk: first.ok === 1, refetches, total: server.jwksRequests },
      }
    })

// (c) 1 000 forged tokens with random kids over one second, then a real rotation.
const flood: Scenario = (c, { a, b, attacker }) =>
  withServer([a], async (server) => {
    const verify = c.make(server, {})
    const forged: string[] = []
    for (let i = 0; i < 1_000; i++) {
      forged.push(signAccessToken(attacker, server.issuer, randomBytes(8).toString('hex')))
    }
    const [warm, valid] = signMany(a, server.issuer, 2)
    const rotated = signAccessToken(b, server.issuer)
    await one(call(verify, warm!))
    server.resetCounts()
    const started = performance.now()
    const tally = new Tally()
    for (let batch = 0; batch < 20; batch++) {
      for (let i = 0; i < 50; i++) tally.add(call(verify, forged[batch * 50 + i]!))
      await sleep(50)
    }
    const s = await tally.wait(started)
    const floodRequests = server.jwksRequests
    const stillValid = await one(call(verify, valid!))
    server.setKeys([b, a])
    const before = server.jwksRequests
    const afterRotation = await one(call(verify, rotated))
    return {
      text:
        `${plural(floodRequests, 'request')}; ${s.failed} refused, ${s.ok} accepted, ${s.pending} pending; ` +
        `valid token then ${stillValid.ok ? 'verifies' : 'fails'}; ` +
        `key rotated right after: new kid ${afterRotation.ok ? 'verifies' : `fails (${errs(afterRotation)})`}` +
        ` (${plural(server.jwksRequests - before, 'request')})`,
      facts: { requests: floodRequests, pending: s.pending, accepted: s.ok },
    }
  })

// (d) Endpoint down after warm-up, keys past their max age; then a cold verifier against it.
const down =
  (mode: ServerMode): Scenario =>
  (c, { a }) =>
    withServer([a], async (server) => {
      const verify = c.make(server, { maxAgeMs: 1_000 })
      const tokens = signMany(a, server.issuer, 51)
      await one(call(verify, tokens[50]!))
      server.setMode(mode)
      await sleep(1_300)
      server.resetCounts()
      const first = await one(call(verify, tokens[0]!))
      let ok = first.ok
      for (let i = 1; i < 50; i++) ok += (await one(call(verify, tokens[i]!))).ok
      // Let any background refresh reach the server before counting.
      await sleep(200)
      return {
        text: `${ok}/50 known-key tokens verify (first in ${ms(first.ms)}); ${requests(server, true)}`,
        facts: { ok, requests: server.jwksRequests },
      }
    })

const coldDown =
  (mode: ServerMode): Scenario =>
  (c, { a }) =>
    withServer([a], async (server) => {
      server.setMode(mode)
      const verify = c.make(server, {})
      const tokens = signMany(a, server.issuer, 101)
      const first = await one(call(verify, tokens[0]!))
      let failed = first.failed
      const started = performance.now()
      for (let i = 1; i < 101; i++) failed += (await one(call(verify, tokens[i]!))).failed
      const rest = performance.now() - started
      return {
        text:
          `${outcome(first)}; 100 more calls: ${failed - first.failed} fail in ${ms(rest)}; ` +
          `${requests(server, true)} for 101 calls`,
        facts: { failMs: first.ms, failedFirst: first.failed === 1, requests: server.jwksRequests },
      }
    })

// (e) Slow endpoint (answers after SLOW_MS): cold, and warm with keys past their max age.
const slowCold: Scenario = (c, { a }) =>
  withServer([a], async (server) => {
    server.setMode('slow', SLOW_MS)
    const verify = c.make(server, {})
    const s = await one(call(verify, signAccessToken(a, server.issuer)))
    return {
      text: outcome(s),
      facts: { ms: s.ms, failed: s.failed === 1 },
    }
  })

const slowWarm: Scenario = (c, { a }) =>
  withServer([a], async (server) => {
    const verify = c.make(server, { maxAgeMs: 1_000 })
    const [warm, token] = signMany(a, server.issuer, 2)
    await one(call(verify, warm!))
    server.setMode('slow', SLOW_MS)
    await sleep(1_300)
    const s = await one(call(verify, token!))
    return {
      text: `known-key token ${outcome(s)}`,
      facts: { ms: s.ms, ok: s.ok === 1 },
    }
  })

interface Row {
  scenario: string
  target: string
  run: Scenario
  /** Run the contestants at once (scenarios that mostly wait). */
  parallel?: boolean
  verdict?: (facts: Record<string, number | boolean>) => boolean
}

const ROWS: Row[] = [
  {
    scenario: '(a) 500 concurrent cold verifications',
    target: '1 request',
    run: cold500,
    verdict: (f) => f.requests === 1 && f.ok === 500,
  },
  {
    scenario: '(b) key rotation right after warm-up, default settings',
    target: 'first new token verifies; 1 refetch',
    run: rotation(false),
    verdict: (f) => f.firstOk === true && f.refetches === 1,
  },
  {
    scenario: '(b′) key rotation 1.1 s after warm-up, cooldown set to 1 s (ours, jose)',
    target: 'first new token verifies; 1 refetch',
    run: rotation(true),
    parallel: true,
    verdict: (f) => f.firstOk === true && f.refetches === 1,
  },
  {
    scenario: '(c) 1 000 forged tokens, random kids, within 1 s',
    target: '≤ 1 request; none pending',
    run: flood,
    verdict: (f) => (f.requests as number) <= 1 && f.pending === 0 && f.accepted === 0,
  },
  {
    scenario: '(d) endpoint down (HTTP 503) after warm-up, keys past max age (1 s)',
    target: 'known keys keep working',
    run: down('503'),
    parallel: true,
    verdict: (f) => f.ok === 50,
  },
  {
    scenario: '(d) endpoint down (connection reset) after warm-up, keys past max age (1 s)',
    target: 'known keys keep working',
    run: down('reset'),
    parallel: true,
    verdict: (f) => f.ok === 50,
  },
  {
    scenario: '(d) cold verifier, endpoint down (HTTP 503)',
    target: 'fails fast; no request storm',
    run: coldDown('503'),
    verdict: (f) =>
      f.failedFirst === true && (f.failMs as number) < 1_000 && (f.requests as number) <= 2,
  },
  {
    scenario: '(d) cold verifier, endpoint down (connection reset)',
    target: 'fails fast; no request storm',
    run: coldDown('reset'),
    verdict: (f) =>
      f.failedFirst === true && (f.failMs as number) < 1_000 && (f.requests as number) <= 2,
  },
  {
    scenario: `(e) slow endpoint (answers after ${SLOW_MS / 1000} s), cold`,
    target: `fails at the timeout (ours: ${OUR_TIMEOUT / 1000} s)`,
    run: slowCold,
    parallel: true,
    verdict: (f) => f.failed === true && Math.abs((f.ms as number) - OUR_TIMEOUT) < 500,
  },
  {
    scenario: `(e) slow endpoint (answers after ${SLOW_MS / 1000} s), warm, keys past max age (1 s)`,
    target: 'known keys answer at once',
    run: slowWarm,
    parallel: true,
    verdict: (f) => f.ok === true && (f.ms as number) < 100,
  },
]

/** Run every scenario for every contestant; return the Markdown section and our verdicts. */
export async function runJwks(
  options: { log?: (line: string) => void } = {},
): Promise<{ markdown: string; verdicts: { scenario: string; met: boolean }[] }> {
  const log = options.log ?? (() => {})
  const keys: Keys = {
    a: generateKey('key-active'),
    b: generateKey('key-next'),
    attacker: generateKey('attacker'),
  }
  // Unreported warm-up (JIT, module state) so the first contestant timed is not penalised.
  for (const c of CONTESTANTS) {
    await withServer([keys.a], async (server) => {
      const verify = c.make(server, {})
      await settleAll(
        signMany(keys.a, server.issuer, 50).map((t) => call(verify, t)),
        performance.now(),
      )
    })
  }
  const cells: Cell[][] = []
  for (const row of ROWS) {
    const started = performance.now()
    const run = (c: Contestant) =>
      row
        .run(c, keys)
        .catch((err: unknown): Cell => ({ text: `harness error: ${errorName(err)}`, facts: {} }))
    let results: Cell[]
    if (row.parallel) results = await Promise.all(CONTESTANTS.map(run))
    else {
      results = []
      for (const c of CONTESTANTS) results.push(await run(c))
    }
    cells.push(results)
    log(`${row.scenario}: ${ms(performance.now() - started)}`)
  }
  const verdicts = ROWS.map((row, i) => ({
    scenario: row.scenario,
    met: row.verdict ? row.verdict(cells[i]![0]!.facts) : true,
  }))
  const body = table(
    ['Scenario', 'Target (ours)', ...CONTESTANTS.map((c) => c.label)],
    ROWS.map((row, i) => [
      row.scenario,
      `${row.target}: ${verdicts[i]!.met ? 'met' : '**not met**'}`,
      ...cells[i]!.map((cell) => cell.text),
    ]),
  )
  const notes = [
    '',
    'How each contestant was configured:',
    '',
    `- **ours (jwksUri)**: \`createVerifier({ issuer, audience, jwksUri, timeout: ${OUR_TIMEOUT} })\` from the node entry, ` +
      'default JWKS cache (cooldown 30 s, max age 10 min, max stale 1 day); in (d) and the warm (e) row ' +
      '`jwks: { maxAge: 1000, minAge: 1000 }`; in (b′) `jwks: { cooldown: 1000 }`. The target verdicts are for this column.',
    '- **ours (discovery)**: the same without `jwksUri` or `timeout`: it reads the discovery document first ' +
      '(counted separately as "discovery"); default timeout 10 s.',
    '- **jose.createRemoteJWKSet**: defaults (cooldown 30 s, cacheMaxAge 10 min, timeoutDuration 5 s); ' +
      '`cacheMaxAge: 1000` in (d) and the warm (e) row; `cooldownDuration: 1000` in (b′).',
    '- **@okta/jwt-verifier 4.0.2**: `testing.disableHttpsCheck` for the http issuer; it fetches `<issuer>/v1/keys` ' +
      'through jwks-rsa (per-kid cache, 10 requests per minute rate limit, 30 s request timeout; neither ' +
      'the limit nor the timeout is exposed); `cacheMaxAge: 1000` in (d) and the warm (e) row. It has no ' +
      'cooldown setting, so (b′) is the same as (b) for it.',
    `- The server answers the key set and the discovery document; "down" applies to both, "slow" ` +
      `(${SLOW_MS / 1000} s, longer than jose's 5 s default so its outcome is not a race) to the key set only.`,
    `- Every call is awaited at most ${BOUND_MS / 1000} s; a call still unsettled then counts as pending.`,
    '- (c) fires 20 batches of 50 forged tokens 50 ms apart (signed by a key the server never publishes, ' +
      'each with a random kid), right after a warm-up; then the server publishes a new key and a genuine ' +
      'token signed with it is verified. Calls @okta/jwt-verifier leaves pending there are queued by ' +
      "jwks-rsa's rate limiter, which releases one every 6 s (each then fetches the key set again).",
  ].join('\n')
  return { markdown: `${body}\n${notes}`, verdicts }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { markdown } = await runJwks({ log: (line) => console.error(line) })
  console.log(markdown)
  // Our servers are closed; @okta/jwt-verifier's rate limiter still holds timers for the calls it
  // queued in (c) (one token per 6 s), which would keep the process alive for minutes.
  process.exit(0)
}
