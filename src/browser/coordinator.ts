import type { TokenSet } from '../oauth/token-set.js'

/** What token managers tell each other through a {@link RenewCoordinator}. */
export type CoordinatorMessage =
  | {
      /** New tokens (a renewal or `setTokens`). */
      type: 'tokens'
      /** The tokens. */
      tokens: TokenSet
    }
  | {
      /** The tokens were cleared. */
      type: 'signedOut'
    }

/**
 * How token managers of one app coordinate renewals: who may renew now, and
 * how the others hear about the result. {@link localCoordinator} (the
 * default) covers one tab; {@link broadcastCoordinator} covers every tab of
 * the origin.
 */
export interface RenewCoordinator {
  /**
   * Run `task` while holding the renewal lock: one task at a time.
   * @param task - the renewal.
   * @returns What `task` resolves to.
   */
  runExclusive<T>(task: () => Promise<T>): Promise<T>
  /**
   * Tell the other token managers (not this one).
   * @param message - what happened.
   */
  publish(message: CoordinatorMessage): void
  /**
   * Hear from the other token managers.
   * @param listener - called with each message.
   * @returns A function that stops listening.
   */
  subscribe(listener: (message: CoordinatorMessage) => void): () => void
  /** Release the coordinator's resources (e.g. its channel). */
  close(): void
}

/** A mutex over a promise chain, for one JavaScript realm. */
function mutex(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const run = tail.then(task, task)
    tail = run.catch(() => undefined)
    return run
  }
}

/**
 * A coordinator for one tab: renewals are serialised in this page, nothing
 * is shared with other tabs.
 *
 * @returns The coordinator.
 */
export function localCoordinator(): RenewCoordinator {
  return {
    runExclusive: mutex(),
    publish() {},
    subscribe() {
      return () => {}
    },
    close() {},
  }
}

/** Options of {@link broadcastCoordinator}. */
export interface BroadcastCoordinatorOptions {
  /** The channel and lock name; token managers with the same name coordinate. Default: `okta-oauth-kit`. */
  name?: string
  /**
   * The Web Locks manager. Default: `navigator.locks` when the browser has it.
   * Without it, renewals are serialised only within the tab; other tabs still
   * receive the new tokens (and re-read shared storage before renewing).
   */
  locks?: LockManager
}

/** How long the renewal lock is kept after a renewal, in ms (see `runExclusive`). */
const HANDOFF_MS = 50

/**
 * A coordinator across the tabs of an origin: renewals are mutually
 * exclusive through the Web Locks API, and new tokens and sign-outs are sent
 * to the other tabs over a `BroadcastChannel`.
 *
 * @param options - the channel name and lock manager.
 * @returns The coordinator; `close()` it when the token manager is disposed.
 * @example
 * ```ts
 * import { broadcastCoordinator, createTokenManager } from 'okta-oauth-kit/browser'
 * import type { Client } from 'okta-oauth-kit'
 * declare const client: Client
 * const tokens = createTokenManager({ client, coordinator: broadcastCoordinator() })
 * ```
 */
export function broadcastCoordinator(options: BroadcastCoordinatorOptions = {}): RenewCoordinator {
  const name = options.name ?? 'okta-oauth-kit'
  const locks =
    options.locks ?? (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  const channel = new BroadcastChannel(name)
  const local = mutex()
  const listeners = new Set<(message: CoordinatorMessage) => void>()
  channel.onmessage = (event: MessageEvent) => {
    const message = event.data as CoordinatorMessage | null
    if (message?.type !== 'tokens' && message?.type !== 'signedOut') return
    for (const listener of [...listeners]) listener(message)
  }
  return {
    runExclusive<T>(task: () => Promise<T>): Promise<T> {
      // The local mutex keeps the tab's own renewals in order even without Web Locks.
      // The lock is held a moment past the task: another tab's localStorage (in
      // another renderer process) sees this tab's write a little later, and
      // the next holder must read the renewed tokens, not renew again.
      const held = () => task().finally(() => new Promise((r) => setTimeout(r, HANDOFF_MS)))
      return local(() => (locks ? (locks.request(`${name}:renew`, held) as Promise<T>) : task()))
    },
    publish(message) {
      channel.postMessage(message)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      channel.close()
    },
  }
}
