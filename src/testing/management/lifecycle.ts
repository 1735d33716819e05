import type { Status } from '../model/records.js'
import type { Ctx } from './context.js'
import { noContent, notFound } from './responses.js'

// `…/lifecycle/activate` and `…/lifecycle/deactivate`, the same for servers,
// policies and rules.

/** @internal `lifecycle/activate` or `lifecycle/deactivate` of a server, policy or rule. */
export function applyLifecycle(c: Ctx, item: { status: Status; lastUpdated: number }): Response {
  const status = lifecycleStatus(c.params.action!)
  if (!status) return notFound(c.params.action!, 'Lifecycle')
  if (item.status !== status) {
    item.status = status
    item.lastUpdated = c.state.now()
  }
  return noContent()
}

function lifecycleStatus(action: string): Status | undefined {
  if (action === 'activate') return 'ACTIVE'
  if (action === 'deactivate') return 'INACTIVE'
  return undefined
}
