import type { Client } from '../oauth/client.js'
import type { TokenSet } from '../oauth/token-set.js'
import { type CoordinatorMessage, localCoordinator, type RenewCoordinator } from './coordinator.js'
import { createEmitter, type Emitter } from './events.js'
import { DEFAULT_RENEW_MARGIN } from './options.js'
import { type KeyValueStore, memoryStore } from './storage.js'

/** What a token manager needs of the client: the refresh grant. */
export type TokenManagerClient = Pick<Client, 'refresh'>

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  /** The client that refreshes tokens. */
  client: TokenManagerClient
  /** Where the tokens are kept. Default: a {@link memoryStore}. */
  storage?: KeyValueStore
  /** The key of the tokens in `storage`. Default: `tokens`. */
  storageKey?: string
  /** Renew when the access token expires within this many seconds. Default: 60. */
  renewMargin?: number
  /**
   * Tolerance for a clock that runs behind the server's, in seconds: tokens
   * are treated as expiring this much earlier. Default: 0.
   */
  clockSkew?: number
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  now?: () => number
  /**
   * Renew without a refresh token (the hidden-iframe `prompt=none` flow).
   * Without it, tokens lacking a refresh token are not renewed.
   */
  renew?: (tokens: TokenSet) => Promise<TokenSet>
  /** How renewals are coordinated with other tabs. Default: {@link localCoordinator} (this tab only). */
  coordinator?: RenewCoordinator
  /**
   * Renew ahead of time: a timer starts the renewal when the access token
   * enters the margin (every tab's timer fires; the coordinator lets one tab
   * renew and the others adopt its tokens), and another emits `expired` if
   * the token then expires unrenewed. Without it, renewal happens on read
   * only. Default: false.
   */
  autoRenew?: boolean
}

/** The events of a {@link TokenManager} and their payloads. */
export interface TokenManagerEvents {
  /** The tokens were set, renewed, received from another tab, or cleared (`undefined`). */
  tokensChanged: {
    /** The new tokens; `undefined` once cleared. */
    tokens: TokenSet | undefined
  }
  /** The access token is within the renewal margin; a renewal starts. */
  expiring: {
    /** When the access token expires, epoch seconds. */
    expiresAt: number
  }
  /** The access token has expired and could not be renewed. */
  expired: {
    /** When the access token expired, epoch seconds. */
    expiresAt: number
  }
  /** A renewal failed. Carries the error only, never a token. */
  renewFailed: {
    /** Why, e.g. an `OAuthResponseError` with `invalid_grant`. */
    error: unknown
  }
  /** The tokens were cleared, here (`remote: false`) or in another tab. */
  signedOut: {
    /** Whether another tab cleared them. */
    remote: boolean
  }
}

/**
 * Holds the signed-in user's tokens and keeps the access token fresh:
 * renewal happens on read, once for all concurrent callers.
 */
export interface TokenManager {
  /** Listen to {@link TokenManagerEvents}. */
  readonly events: Pick<Emitter<TokenManagerEvents>, 'on' | 'off'>
  /**
   * A usable access token, renewed first when it is within the margin of
   * expiry (refresh token first, else the `renew` hook). Concurrent callers
   * share one renewal.
   * @returns The access token, or `undefined` when signed out or expired
   * without a way to renew. A failed renewal emits `renewFailed` and returns
   * the current token while it is still valid.
   */
  getAccessToken(): Promise<string | undefined>
  /**
   * The current tokens, as stored, without renewing.
   * @returns The tokens, or `undefined` when signed out.
   */
  getTokens(): Promise<TokenSet | undefined>
  /**
   * Renew now, whatever the expiry (shares a renewal already under way).
   * @returns The tokens afterwards, or `undefined` when there were none or they expired.
   */
  renew(): Promise<TokenSet | undefined>
  /**
   * Store new tokens (after sign-in) and tell the other tabs.
   * @param tokens - the tokens.
   */
  setTokens(tokens: TokenSet): Promise<void>
  /** Forget the tokens here and in the other tabs; emits `signedOut`. A renewal under way is discarded. */
  clear(): Promise<void>
  /** Stop listening to other tabs and close the coordinator. */
  dispose(): void
}

/**
 * Create a {@link TokenManager}.
 *
 * @param options - the client, storage, margins, clock, renew hook and coordinator.
 * @returns The token manager; it loads stored tokens on first use.
 * @example
 * ```ts
 * import { createTokenManager, webStorage } from 'okta-oauth-kit/browser'
 * import type { Client, TokenSet } from 'okta-oauth-kit'
 * declare const client: Client
 * declare const tokens: TokenSet
 * const manager = createTokenManager({ client, storage: webStorage(sessionStorage) })
 * await manager.setTokens(tokens)
 * const accessToken = await manager.getAccessToken()
 * ```
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { client } = options
  const storage = options.storage ?? memoryStore()
  const key = options.storageKey ?? 'tokens'
  const margin = options.renewMargin ?? DEFAULT_RENEW_MARGIN
  const skew = options.clockSkew ?? 0
  const now = options.now ?? Date.now
  const coordinator = options.coordinator ?? localCoordinator()
  const emitter = createEmitter<TokenManagerEvents>()

  let tokens: TokenSet | undefined
  // Bumped by every change of the tokens: a renewal that started before a change is discarded.
  let generation = 0
  let renewing: Promise<TokenSet | undefined> | undefined
  let timers: ReturnType<typeof setTimeout>[] = []

  const read = async (): Promise<TokenSet | undefined> => {
    const value = await storage.get(key)
    return isTokenSet(value) ? value : undefined
  }
  const loaded = read().then(
    (stored) => {
      if (generation === 0) {
        tokens = stored
        schedule(stored)
      }
    },
    () => undefined,
  )

  const secondsLeft = (set: TokenSet) =>
    set.expiresAt === undefined ? Number.POSITIVE_INFINITY : set.expiresAt - skew - now() / 1000
  const isExpired = (set: TokenSet) => secondsLeft(set) <= 0
  const needsRenewal = (set: TokenSet) => secondsLeft(set) <= margin

  // Timers are re-armed on every change of the tokens; a renewal that fails
  // does not re-arm them (no retry storm): the next read or change does.
  const schedule = (set: TokenSet | undefined) => {
    for (const t of timers) clearTimeout(t)
    timers = []
    if (!options.autoRenew || set?.expiresAt === undefined) return
    const at = (seconds: number, fn: () => void) => {
      const t = setTimeout(fn, Math.min(2 ** 31 - 1, Math.max(0, seconds * 1000)))
      ;(t as { unref?: () => void }).unref?.()
      timers.push(t)
    }
    const started = generation
    // Tokens that arrive inside the margin already are renewed on read only:
    // a timer would renew them again and again.
    if (secondsLeft(set) > margin) {
      at(secondsLeft(set) - margin, () => {
        if (generation === started) renew().catch(() => undefined)
      })
    }
    at(secondsLeft(set), () => {
      if (generation === started && tokens === set) expire(set)
    })
  }

  const commit = async (next: TokenSet | undefined, publish: boolean) => {
    generation++
    tokens = next
    schedule(next)
    if (next) await storage.set(key, next)
    else await storage.remove(key)
    if (publish)
      coordinator.publish(next ? { type: 'tokens', tokens: next } : { type: 'signedOut' })
    emitter.emit('tokensChanged', { tokens: next })
    if (!next) emitter.emit('signedOut', { remote: !publish })
  }

  const unsubscribe = coordinator.subscribe((message: CoordinatorMessage) => {
    const ignore = () => undefined
    if (message.type === 'tokens') commit(message.tokens, false).catch(ignore)
    else if (tokens) commit(undefined, false).catch(ignore)
  })

  const doRenew = async (): Promise<TokenSet | undefined> => {
    await loaded
    const current = tokens
    if (!current) return undefined
    if (current.expiresAt !== undefined) emitter.emit('expiring', { expiresAt: current.expiresAt })
    const started = generation
    try {
      const result = await coordinator.runExclusive(async () => {
        // Another tab may have renewed while we waited for the lock: prefer
        // shared storage, then what it broadcast; never reuse a rotated token.
        const stored = await read()
        const latest =
          generation !== started
            ? tokens
            : stored && stored.accessToken !== current.accessToken
              ? stored
              : current
        if (!latest) return undefined
        if (latest.accessToken !== current.accessToken && !needsRenewal(latest)) {
          if (latest !== tokens) await commit(latest, false)
          return latest
        }
        const base = generation
        let fresh: TokenSet
        if (latest.refreshToken) {
          const sub = latest.idTokenClaims?.sub
          fresh = await client.refresh(
            latest.refreshToken,
            sub === undefined ? {} : { expectedSubject: sub },
          )
        } else if (options.renew) {
          fresh = await options.renew(latest)
        } else {
          return isExpired(latest) ? expire(latest) : latest
        }
        // Keep what the server did not resend (no rotation, no new ID token).
        const merged: TokenSet = {
          ...fresh,
          refreshToken: fresh.refreshToken ?? latest.refreshToken,
          idToken: fresh.idToken ?? latest.idToken,
          idTokenClaims: fresh.idTokenClaims ?? latest.idTokenClaims,
        }
        for (const k of ['refreshToken', 'idToken', 'idTokenClaims'] as const) {
          if (merged[k] === undefined) delete merged[k]
        }
        // Cleared or replaced meanwhile: the result is stale.
        if (generation !== base) return tokens
        await commit(merged, true)
        return merged
      })
      return result
    } catch (error) {
      emitter.emit('renewFailed', { error })
      const held = tokens
      if (!held) return undefined
      return isExpired(held) ? expire(held) : held
    }
  }

  const expire = (set: TokenSet): undefined => {
    if (set.expiresAt !== undefined) emitter.emit('expired', { expiresAt: set.expiresAt })
    return undefined
  }

  const renew = () => {
    renewing ??= doRenew().finally(() => {
      renewing = undefined
    })
    return renewing
  }

  return {
    events: { on: emitter.on, off: emitter.off },
    async getAccessToken() {
      await loaded
      const current = tokens
      if (!current) return undefined
      if (!needsRenewal(current)) return current.accessToken
      return (await renew())?.accessToken
    },
    async getTokens() {
      await loaded
      return tokens
    },
    renew,
    async setTokens(next) {
      await loaded
      await commit(next, true)
    },
    async clear() {
      await loaded
      await commit(undefined, true)
    },
    dispose() {
      schedule(undefined)
      unsubscribe()
      coordinator.close()
    },
  }
}

function isTokenSet(value: unknown): value is TokenSet {
  const v = value as Partial<TokenSet> | null
  return typeof v === 'object' && v !== null && typeof v.accessToken === 'string'
}
