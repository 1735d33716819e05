import type { OktaOrgState } from '../org.js'
import type { Store } from './context.js'

// The management API's optional rate limit: one window per org, Okta's
// `X-Rate-Limit-*` headers on every answer.

/** @internal Whether a request is over the limit, and the headers its answer carries. */
export interface Rate {
  limited: boolean
  headers: Record<string, string>
}

/** @internal Count a request in the org's window (a new window once the last one is over). */
export function countRate(state: OktaOrgState, store: Store): Rate | undefined {
  const limit = state.rateLimit
  if (!limit) return undefined
  const now = state.now()
  if (!store.window || now >= store.window.reset) {
    store.window = { reset: now + limit.windowSeconds, count: 0 }
  }
  const window = store.window
  window.count++
  return {
    limited: window.count > limit.limit,
    headers: {
      'x-rate-limit-limit': String(limit.limit),
      'x-rate-limit-remaining': String(Math.max(0, limit.limit - window.count)),
      'x-rate-limit-reset': String(window.reset),
    },
  }
}
