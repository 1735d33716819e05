import { InvalidOptionError } from '../errors.js'
import { RESPONSE_LIMITS, responseLimit } from '../lib/body.js'
import { DEFAULT_TIMEOUT } from '../lib/http.js'
import type { JwksCacheOptions } from './types.js'

// Every default of the JWKS cache, and the one place its options are read
// (like ky's normalize.ts). Durations are in ms and named as jose names them
// (`cacheMaxAge`, `cooldownDuration`): `maxAge` means seconds elsewhere in
// the SDK (authorization requests, ID tokens), as in HTTP's Cache-Control.

/** @internal The defaults of {@link JwksCacheOptions}; durations in ms. */
export const JWKS_DEFAULTS = {
  /** Minimum time between two refetches for unknown `kid`s (jose: 30 s). */
  cooldownDuration: 30_000,
  /** Longest time keys are used before a refresh (jose: 10 min). */
  cacheMaxAge: 600_000,
  /** Shortest freshness a `Cache-Control` header can give. */
  cacheMinAge: 30_000,
  /** How long keys past their refresh time keep verifying while the endpoint fails. */
  cacheMaxStale: 86_400_000,
  /** Unknown `kid`s remembered. */
  maxUnknownKids: 1_000,
  /** Largest key set read, in bytes. */
  maxResponseBytes: RESPONSE_LIMITS.jwks,
  /** Timeout of a fetch, and of a store read. */
  timeout: DEFAULT_TIMEOUT,
  /** The first retry after a failed fetch; each next one doubles, up to the cooldown. */
  firstRetryDelay: 1_000,
} as const

/** The current names of the durations that had ambiguous ones, and those old names. */
const RENAMED = [
  ['cooldownDuration', 'cooldown'],
  ['cacheMaxAge', 'maxAge'],
  ['cacheMinAge', 'minAge'],
  ['cacheMaxStale', 'maxStale'],
] as const

/** The options that have a deprecated name. */
export type JwksTuning = Pick<
  JwksCacheOptions,
  (typeof RENAMED)[number][0] | (typeof RENAMED)[number][1]
>

/**
 * @internal
 * `options` with each deprecated duration name (`cooldown`, `maxAge`,
 * `minAge`, `maxStale`) given under its current name instead. The same
 * object when it uses none of them.
 * @throws `InvalidOptionError` when an option is given under both names.
 */
export function withCurrentNames<T extends JwksTuning>(options: T): T {
  let out = options
  for (const [name, old] of RENAMED) {
    if (options[old] === undefined) continue
    if (options[name] !== undefined) {
      throw new InvalidOptionError(
        `${name} and ${old} (its deprecated name) cannot both be given: use ${name}`,
      )
    }
    if (out === options) out = { ...options }
    out[name] = options[old]
    delete out[old]
  }
  return out
}

/** @internal A JWKS cache's settings, every default applied. */
export interface JwksSettings {
  readonly cooldownDuration: number
  readonly cacheMaxAge: number
  /** At most `cacheMaxAge`. */
  readonly cacheMinAge: number
  readonly cacheMaxStale: number
  readonly maxUnknownKids: number
  readonly maxResponseBytes: number
  /** The cache's own timeout (each fetch checks it again through `withSignal`). */
  readonly timeout: number
  readonly now: () => number
}

/**
 * @internal
 * Read a cache's options once: deprecated names resolved, defaults applied.
 * @throws `InvalidOptionError` for an option given under both names, or a
 * bad `maxResponseBytes`.
 */
export function normalizeJwksOptions(options: Omit<JwksCacheOptions, 'jwksUri'>): JwksSettings {
  const current = withCurrentNames(options)
  const cacheMaxAge = current.cacheMaxAge ?? JWKS_DEFAULTS.cacheMaxAge
  return {
    cooldownDuration: current.cooldownDuration ?? JWKS_DEFAULTS.cooldownDuration,
    cacheMaxAge,
    cacheMinAge: Math.min(current.cacheMinAge ?? JWKS_DEFAULTS.cacheMinAge, cacheMaxAge),
    cacheMaxStale: current.cacheMaxStale ?? JWKS_DEFAULTS.cacheMaxStale,
    maxUnknownKids: current.maxUnknownKids ?? JWKS_DEFAULTS.maxUnknownKids,
    maxResponseBytes: responseLimit(current.maxResponseBytes, JWKS_DEFAULTS.maxResponseBytes),
    timeout: current.timeout ?? JWKS_DEFAULTS.timeout,
    now: current.now ?? Date.now,
  }
}
