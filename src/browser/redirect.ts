import { CallbackError } from '../errors.js'
import { checkReturnTo, isSameOriginPath } from '../lib/return-to.js'
import { build, complete, type SignInResult, type StoredTransaction, store } from './complete.js'
import type { AuthContext } from './context.js'
import type { SignInOptions } from './options.js'

// Sign-in by redirect: store the transaction (per state, with `returnTo`)
// and navigate; on the callback page, take it back (one use), complete the
// sign-in, and clean the response out of the address bar.

/** Options of {@link BrowserAuth.signInWithRedirect}. */
export interface RedirectSignInOptions extends SignInOptions {
  /**
   * Where the app wants to go after sign-in: a path of this page's origin,
   * e.g. `/orders?page=2`. Refused with `InvalidOptionError` when it could
   * lead elsewhere: not starting with a single `/`, a `\`, any control
   * character (browsers drop TAB, CR and LF, so `/\t/evil.example` is
   * `//evil.example`), the same once percent-decoded (`/%09/`, `/%2F`), or
   * longer than 2048 characters. Default: the current path.
   */
  returnTo?: string
  /** Navigate to the authorization URL. Default: `location.assign`. */
  navigate?: (url: string) => void
}

/**
 * What {@link BrowserAuth.handleRedirect} resolves to. Named for its entry:
 * `./server` has a {@link okta-oauth-kit/server!ServerRedirect} of its own.
 */
export interface BrowserRedirectResult {
  /** The tokens (stored already), or the ID token alone for `response_type=id_token`. */
  tokens: SignInResult
  /**
   * The `returnTo` given to {@link BrowserAuth.signInWithRedirect}, checked
   * again when read back from storage: a same-origin path, safe for
   * `location.assign`.
   */
  returnTo?: string
}

/**
 * The old name of {@link BrowserRedirectResult}.
 *
 * @deprecated Use {@link BrowserRedirectResult}: `./server` exports a
 * different `RedirectResult` (now `ServerRedirect`). Kept so that code
 * written against 0.1 still compiles; it will be removed in a major release.
 */
export type RedirectResult = BrowserRedirectResult

/** @internal {@link BrowserAuth.signInWithRedirect}. */
export async function signInWithRedirect(
  ctx: AuthContext,
  request: RedirectSignInOptions = {},
): Promise<void> {
  const returnTo = checkReturnTo(
    request.returnTo ?? location.pathname + location.search + location.hash,
    ctx.appOrigin(),
  )
  // Without a responseMode option, the builder's default: `query` for code, else `fragment`.
  const { url, transaction } = await build(ctx, request, ctx.options.responseMode, ctx.redirectUri)
  transaction.returnTo = returnTo
  await ctx.transactions.save(transaction)
  ;(request.navigate ?? ((u: string) => location.assign(u)))(url)
}

/** @internal {@link BrowserAuth.isCallback}. */
export function isCallback(ctx: AuthContext, url: string = location.href): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.origin + u.pathname !== new URL(ctx.redirectUri).origin + new URL(ctx.redirectUri).pathname)
    return false
  const params = responseParams(u)
  return (
    params.has('state') && ['code', 'error', 'id_token', 'access_token'].some((n) => params.has(n))
  )
}

/** @internal {@link BrowserAuth.handleRedirect}. */
export async function handleRedirect(
  ctx: AuthContext,
  url: string = location.href,
): Promise<BrowserRedirectResult> {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new CallbackError('the callback URL cannot be parsed', {
      code: 'ERR_CALLBACK_MALFORMED',
    })
  }
  const params = responseParams(u)
  try {
    const state = params.get('state')
    if (!state) {
      throw new CallbackError('the callback has no state', {
        code: 'ERR_CALLBACK_MALFORMED',
        parameter: 'state',
      })
    }
    const transaction = (await ctx.transactions.take(state)) as StoredTransaction | undefined
    if (!transaction) {
      throw new CallbackError(
        'no pending sign-in has this state: already handled, expired, or started elsewhere',
        { code: 'ERR_TRANSACTION_MISSING', parameter: 'state' },
      )
    }
    // Storage is reachable by other scripts of the origin (and custom stores
    // by more): a returnTo that no longer passes means the transaction was
    // altered, so none of it is trusted.
    if (
      transaction.returnTo !== undefined &&
      !isSameOriginPath(transaction.returnTo, ctx.appOrigin())
    ) {
      throw new CallbackError(
        'the stored sign-in transaction holds a returnTo that is not a same-origin path',
        { code: 'ERR_TRANSACTION_INVALID', parameter: 'returnTo' },
      )
    }
    const fromFragment = u.hash.length > 1
    if ((transaction.responseMode === 'fragment') !== fromFragment) {
      throw new CallbackError(`the response did not arrive in the ${transaction.responseMode}`, {
        code: 'ERR_CALLBACK_MALFORMED',
      })
    }
    const result = await store(ctx, await complete(ctx, transaction, params))
    return {
      tokens: result,
      ...(transaction.returnTo !== undefined && { returnTo: transaction.returnTo }),
    }
  } finally {
    // Never leave a code or token in the address bar or the history.
    if (typeof history !== 'undefined' && url === location.href) {
      const clean = new URL(u.href)
      clean.hash = ''
      for (const name of RESPONSE_PARAMS) clean.searchParams.delete(name)
      history.replaceState(history.state, '', clean.pathname + clean.search)
    }
  }
}

const RESPONSE_PARAMS = [
  'code',
  'state',
  'iss',
  'error',
  'error_description',
  'error_uri',
  'id_token',
  'access_token',
  'token_type',
  'expires_in',
  'scope',
]

/** @internal The response parameters of a callback URL: the fragment's, else the query's. */
export function responseParams(u: URL): URLSearchParams {
  return u.hash.length > 1 ? new URLSearchParams(u.hash.slice(1)) : u.searchParams
}
