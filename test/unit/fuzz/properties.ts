// The bounds of the property-based tests (runs, timeouts), and the three
// properties every outcome of a fuzzed call must have: only SDK errors,
// bounded time, and no input value (marker) in what an error prints; and the
// optional per-property tally (FUZZ_STATS=1).
import { inspect } from 'node:util'
import { afterAll } from 'vitest'
import { isOktaOAuthError } from '../../../src/index.js'

/** Runs per property: bounded, so the folder stays well under a minute on two cores. */
export const RUNS = 120

/** Per-test timeout (ms) for vitest: generous, the properties themselves are bounded. */
export const TEST_TIMEOUT = 60_000

/** The SDK's own timeout for each call (ms): small, so a stalled answer ends quickly. */
export const SDK_TIMEOUT = 1_500

/** The SDK timeout (ms) for calls whose answer stalls: the bound is proven without a long wait. */
export const STALL_TIMEOUT = 60

/** The test-side bound (ms): a call still pending after this fails the property as a hang. */
export const HANG_MS = 6_000

/** How a bounded call ended. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

/**
 * Run `work` (sync throws included) and wait for it at most `ms`: a call still
 * pending then fails the property as a hang.
 */
export async function settle<T>(work: () => Promise<T> | T, ms = HANG_MS): Promise<Outcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), ms)
  })
  const run = Promise.resolve()
    .then(work)
    .then(
      (value): Outcome<T> => ({ ok: true, value }),
      (error: unknown): Outcome<T> => ({ ok: false, error }),
    )
  try {
    const result = await Promise.race([run, hang])
    if (result === 'hang') throw new Error(`the call did not settle within ${ms} ms`)
    return result
  } finally {
    clearTimeout(timer)
  }
}

const MARK_RE = /MARK/

const stats = process.env.FUZZ_STATS ? new Map<string, Map<string, number>>() : undefined

/**
 * With `FUZZ_STATS=1`, count how runs ended (resolved, or the error's code)
 * per property and print the counts after each file (`FUZZ_STATS=messages`
 * adds the messages): a check that the inputs reach past the first refusal.
 */
export function tally(property: string, outcome: Outcome<unknown>): void {
  if (!stats) return
  const key = outcome.ok
    ? 'resolved'
    : String((outcome.error as { code?: unknown })?.code ?? (outcome.error as Error)?.name) +
      (process.env.FUZZ_STATS === 'messages' ? ` ${(outcome.error as Error)?.message}` : '')
  let counts = stats.get(property)
  if (!counts) {
    counts = new Map()
    stats.set(property, counts)
  }
  counts.set(key, (counts.get(key) ?? 0) + 1)
}

afterAll(() => {
  for (const [property, counts] of stats ?? []) {
    console.log(
      `${property}: ${JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])))}`,
    )
  }
  stats?.clear()
})

/** Every printed form of an error and of its cause chain. */
export function printed(err: unknown): string[] {
  const out: string[] = [inspect(err, { depth: 10 })]
  let e: unknown = err
  for (let i = 0; i < 6 && e !== undefined && e !== null; i++) {
    out.push(String(e))
    if (typeof e === 'object') {
      const { message, stack } = e as { message?: unknown; stack?: unknown }
      out.push(String(message), String(stack))
      try {
        out.push(JSON.stringify(e) ?? '')
      } catch {
        // Not serialisable (a BigInt, a cycle): inspect still covers it.
      }
    }
    e = (e as { cause?: unknown })?.cause
  }
  return out
}

/** One line describing any thrown value, for failure messages. */
function describe(err: unknown): string {
  if (err instanceof Error) {
    return `${err.constructor.name} ${err.name} (code ${String((err as { code?: unknown }).code)}): ${err.message}\n${err.stack?.split('\n').slice(1, 6).join('\n')}`
  }
  return `${typeof err}: ${inspect(err)}`
}

/** Options of {@link expectSafe}. */
export interface SafeOptions {
  /** Exact values (tokens, cookie values) that must not appear either, at least 8 characters long. */
  secrets?: readonly string[]
  /**
   * Own properties of the error that deliberately keep server data (e.g. an
   * `OAuthResponseError`'s parsed `challenges`): masked before printing.
   */
  allow?: readonly string[]
  /** Count the outcome under this name (see {@link tally}). */
  label?: string
}

/**
 * The properties every failure must have: it is an SDK error
 * (`isOktaOAuthError`), and no marker or secret appears in its message, its
 * string, its JSON or `util.inspect` (with the whole `cause` chain).
 */
export function expectSafeError(err: unknown, options: SafeOptions = {}): void {
  if (!isOktaOAuthError(err)) {
    throw new Error(`not an SDK error: ${describe(err)}`)
  }
  const masked: [string, PropertyDescriptor][] = []
  for (const name of options.allow ?? []) {
    const d = Object.getOwnPropertyDescriptor(err, name)
    if (d) {
      masked.push([name, d])
      Object.defineProperty(err, name, { ...d, value: '[allowed]' })
    }
  }
  try {
    for (const text of printed(err)) {
      const hit = MARK_RE.exec(text)
      if (hit) {
        const at = hit.index
        throw new Error(
          `a marker appears in the error: …${text.slice(Math.max(0, at - 120), at + 60)}…\n${describe(err)}`,
        )
      }
      for (const secret of options.secrets ?? []) {
        if (secret.length >= 8 && text.includes(secret)) {
          throw new Error(`a secret value appears in the error\n${describe(err)}`)
        }
      }
    }
  } finally {
    for (const [name, d] of masked) Object.defineProperty(err, name, d)
  }
}

/** {@link expectSafeError} for a failed outcome; a resolved one passes. */
export function expectSafe(outcome: Outcome<unknown>, options: SafeOptions = {}): void {
  if (options.label !== undefined) tally(options.label, outcome)
  if (!outcome.ok) expectSafeError(outcome.error, options)
}

/**
 * A fault of the server must not read as the caller's mistake or a transport
 * failure: no `InvalidOptionError` (a `TypeError`), no `ERR_NETWORK`.
 */
export function expectServerFault(outcome: Outcome<unknown>): void {
  if (outcome.ok) return
  const err = outcome.error as { name?: string; code?: string }
  if (err instanceof TypeError || err.code === 'ERR_NETWORK' || err.code === 'ERR_ABORTED') {
    throw new Error(`a server's answer was reported as ${describe(err)}`)
  }
}
