import type { BrowserAuthError } from '../errors.js'
import type { AuthorizationTransaction } from '../oauth/authorization-request.js'
import type { BrowserServerMetadata } from './protocol.js'

// How popups and iframes answer: a postMessage from the authorization
// server (okta_post_message), or, for a popup with a relay page, a
// BroadcastChannel message from that same-origin page.

/** @internal The channel a relay page answers on. */
export const RELAY = 'okta-oauth-kit:relay'

/**
 * @internal
 * Wait for the okta_post_message (or relay) answer of one transaction: only
 * from the authorization server's origin, only from `source()`, only with
 * the transaction's state; `onTimeout()` after `timeout` ms, `closed()` polled.
 */
export const waitForMessage = (
  metadata: () => Promise<BrowserServerMetadata>,
  transaction: AuthorizationTransaction,
  source: () => Window | null | undefined,
  timeout: number,
  onTimeout: () => BrowserAuthError,
  closed?: () => BrowserAuthError | undefined,
  relayed = false,
): Promise<Readonly<Record<string, unknown>>> =>
  metadata().then(
    (m) =>
      new Promise((resolve, reject) => {
        const origin = new URL(m.authorization_endpoint).origin
        // Only a flow that asked for a relay listens to it.
        const channel = relayed ? new BroadcastChannel(RELAY) : undefined
        const finish = (fn: () => void) => {
          clearTimeout(timer)
          clearInterval(poll)
          removeEventListener('message', onMessage)
          channel?.close()
          fn()
        }
        const accept = (data: unknown) => {
          const d = data as Record<string, unknown> | null
          if (typeof d !== 'object' || d === null || d.state !== transaction.state) return false
          finish(() => resolve(d))
          return true
        }
        // Only the authorization server's origin, only the window we opened, only our state.
        const onMessage = (event: MessageEvent) => {
          if (event.origin !== origin || event.source !== source()) return
          accept(event.data)
        }
        // The relay page is same-origin by construction of BroadcastChannel.
        if (channel) channel.onmessage = (event) => accept(event.data)
        addEventListener('message', onMessage)
        const timer = setTimeout(() => finish(() => reject(onTimeout())), timeout)
        const poll = setInterval(() => {
          const error = closed?.()
          if (error) finish(() => reject(error))
        }, 250)
      }),
  )
