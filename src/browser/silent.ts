import { AuthorizationResponseError, BrowserAuthError } from '../errors.js'
import { readMessage } from '../oauth/authorization-response.js'
import { build, complete, type SignInResult } from './complete.js'
import type { AuthContext } from './context.js'
import { waitForMessage } from './message.js'
import type { SignInOptions } from './options.js'
import { DEFAULT_IFRAME_TIMEOUT } from './options.js'

// Sign-in without interaction in a hidden iframe (`prompt=none`). It needs
// the server's session cookie in a third-party context, which browsers
// increasingly withhold: a timeout, or login_required right after a
// sign-in, sets the context's `suspect` so renewal stops trying the iframe.

/** Options of {@link BrowserAuth.signInSilently}. */
export interface SilentSignInOptions extends Omit<SignInOptions, 'prompt'> {
  /** Iframe wait, in ms. Default: the `iframeTimeout` option. */
  timeout?: number
}

const INTERACTION = /^(login|consent|interaction|account_selection)_required$/
// A sign-in this recent should still have a server session (Okta's default is 2 h).
const RECENT_SESSION = 7200

/**
 * @internal
 * A sign-in in a hidden iframe (`prompt=none`) over okta_post_message; the
 * result is not stored (the caller does, or the token manager's renewal).
 */
export async function silent(
  ctx: AuthContext,
  request: SilentSignInOptions = {},
): Promise<SignInResult> {
  const { url, transaction } = await build(
    ctx,
    { ...request, prompt: 'none' },
    'okta_post_message',
    ctx.redirectUri,
  )
  const frame = document.createElement('iframe')
  frame.setAttribute('aria-hidden', 'true')
  frame.title = 'silent sign-in'
  frame.style.display = 'none'
  frame.src = url
  document.body.appendChild(frame)
  let data: Readonly<Record<string, unknown>>
  try {
    data = await waitForMessage(
      ctx.metadata,
      transaction,
      () => frame.contentWindow,
      request.timeout ?? ctx.options.iframeTimeout ?? DEFAULT_IFRAME_TIMEOUT,
      () =>
        (ctx.suspect = new BrowserAuthError('the silent sign-in iframe did not answer in time', {
          code: 'ERR_IFRAME_TIMEOUT',
          thirdPartyCookiesSuspected: true,
        })),
    )
  } finally {
    frame.remove()
  }
  try {
    return await complete(ctx, transaction, readMessage(data, transaction.responseMode))
  } catch (err) {
    if (err instanceof AuthorizationResponseError && INTERACTION.test(err.error)) {
      // login_required although this app holds a recent sign-in: the
      // session cookie was most likely withheld from the iframe.
      const held = (await ctx.tokens.getTokens())?.idTokenClaims
      const recent =
        err.error === 'login_required' &&
        typeof held?.auth_time === 'number' &&
        (ctx.now() + ctx.transport.offset) / 1000 - held.auth_time < RECENT_SESSION
      const error = new BrowserAuthError(`silent sign-in needs the user: ${err.error}`, {
        code: 'ERR_INTERACTION_REQUIRED',
        error: err.error,
        thirdPartyCookiesSuspected: recent,
        cause: err,
      })
      if (recent) ctx.suspect = error
      throw error
    }
    throw err
  }
}
