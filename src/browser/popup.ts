import { BrowserAuthError } from '../errors.js'
import { fromUrl, readMessage } from '../oauth/authorization-response.js'
import { build, complete, type SignInResult, store } from './complete.js'
import type { AuthContext } from './context.js'
import { RELAY, waitForMessage } from './message.js'
import type { SignInOptions } from './options.js'
import {
  DEFAULT_POPUP_RELAY_GRACE,
  DEFAULT_POPUP_SEVERED_WITHIN,
  DEFAULT_POPUP_TIMEOUT,
} from './options.js'
import { checkUrlOption } from './protocol.js'
import { responseParams } from './redirect.js'

// Sign-in in a popup: the answer comes by okta_post_message from the
// authorization server, or, when a Cross-Origin-Opener-Policy severs the
// popup from this page, over BroadcastChannel from a same-origin relay page
// ({@link relayCallback}).

/** Options of {@link BrowserAuth.signInWithPopup}. */
export interface PopupSignInOptions extends SignInOptions {
  /**
   * A same-origin relay page (calling {@link relayCallback}) registered as a
   * redirect URI: the response then comes over `BroadcastChannel`, which
   * works when a Cross-Origin-Opener-Policy severs the popup from this page.
   * Default: none (`okta_post_message` to this window).
   */
  relayUri?: string
  /** `window.open` features. Default: a centred 500×700 window. */
  features?: string
  /** Popup wait, in ms. Default: the `popupTimeout` option. */
  timeout?: number
}

/** @internal Open the popup inside the user's click, then sign in through it. */
export function signInWithPopup(
  ctx: AuthContext,
  request: PopupSignInOptions = {},
): Promise<SignInResult> {
  // Open first, synchronously, inside the user's click: no await before this line.
  const win = open('about:blank', 'okta-oauth-kit-signin', request.features ?? centred(500, 700))
  if (!win) {
    return Promise.reject(
      new BrowserAuthError(
        'the popup was blocked: call signInWithPopup directly in a click handler',
        { code: 'ERR_POPUP_BLOCKED' },
      ),
    )
  }
  return popup(ctx, request, win).finally(() => win.close())
}

async function popup(
  ctx: AuthContext,
  request: PopupSignInOptions,
  win: Window,
): Promise<SignInResult> {
  const relay = request.relayUri
  const { url, transaction } = await build(
    ctx,
    request,
    relay ? 'fragment' : 'okta_post_message',
    relay ? new URL(checkUrlOption(relay, 'relayUri')).href : ctx.redirectUri,
  )
  const severedWithin = ctx.options.popupSeveredWithin ?? DEFAULT_POPUP_SEVERED_WITHIN
  const relayGrace = ctx.options.popupRelayGrace ?? DEFAULT_POPUP_RELAY_GRACE
  const opened = Date.now()
  win.location.href = url
  let seenClosed: number | undefined
  const data = await waitForMessage(
    ctx.metadata,
    transaction,
    () => win,
    request.timeout ?? ctx.options.popupTimeout ?? DEFAULT_POPUP_TIMEOUT,
    () => new BrowserAuthError('the popup did not answer in time', { code: 'ERR_POPUP_TIMEOUT' }),
    () => {
      if (!win.closed) return undefined
      seenClosed ??= Date.now()
      const severed = seenClosed - opened < severedWithin
      if (relay) {
        // "Closed" this early means COOP hid a popup that is still open:
        // the relay will answer, and only the timeout ends the wait.
        if (severed) return undefined
        // A relayed answer may still be on its way: give it a moment.
        if (Date.now() - seenClosed < relayGrace) return undefined
      }
      return new BrowserAuthError('the popup was closed before sign-in completed', {
        code: 'ERR_POPUP_CLOSED',
        openerSevered: !relay && severed,
      })
    },
    relay !== undefined,
  )
  // A relayed answer is the fragment the relay page read: read it as a fragment.
  const params = relay
    ? fromUrl(fragmentOf(data, transaction.redirectUri), transaction.responseMode)
    : readMessage(data, transaction.responseMode)
  return store(ctx, await complete(ctx, transaction, params))
}

function centred(width: number, height: number): string {
  const left = Math.max(0, (screenX || 0) + (outerWidth - width) / 2)
  const top = Math.max(0, (screenY || 0) + (outerHeight - height) / 2)
  return `popup,width=${width},height=${height},left=${left},top=${top}`
}

/** The callback URL whose fragment carries the string members of a relayed answer. */
function fragmentOf(data: Readonly<Record<string, unknown>>, redirectUri: string): URL {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string') params.set(name, value)
  }
  const url = new URL(redirectUri)
  url.hash = params.toString()
  return url
}

/**
 * On a same-origin relay page registered as a redirect URI, send the
 * authorization response to the page that opened the popup over
 * `BroadcastChannel`, then close the window. The opener still checks the
 * `state` against its transaction.
 *
 * @param url - default: `location.href`.
 * @returns false when the URL is not an authorization response.
 * @example
 * ```ts
 * // relay.html, registered as a redirect URI, same origin as the app
 * import { relayCallback } from 'okta-oauth-kit/browser'
 * relayCallback()
 * ```
 */
export function relayCallback(url: string = location.href): boolean {
  const params = responseParams(new URL(url))
  if (!params.has('state')) return false
  const channel = new BroadcastChannel(RELAY)
  channel.postMessage(Object.fromEntries(params))
  channel.close()
  if (url === location.href) {
    history.replaceState(null, '', location.pathname)
    close()
  }
  return true
}
