/**
 * `okta-oauth-kit/server`: server-side sign-in for web apps with a
 * confidential client. {@link createServerAuth} makes `login` (redirect to
 * authorize), `callback` (`form_post` or `query`, from a Web `Request` or a
 * Node request), `logout`, session helpers and a legacy password sign-in.
 * Transactions travel in short-lived sealed cookies (or an app-provided
 * store) and are usable once; tokens live in a sealed session cookie (or
 * an app-provided store). {@link toHttpResponse} turns errors into safe
 * HTTP answers. This entry also shares the core's error classes, so
 * `instanceof` holds across entries.
 *
 * @example
 * ```ts
 * import { createClient, discover } from 'okta-oauth-kit'
 * import { createServerAuth, toHttpResponse } from 'okta-oauth-kit/server'
 * const client = createClient(await discover('https://example.okta.com/oauth2/default'), {
 *   clientId: '0oa1example',
 *   auth: { method: 'client_secret_basic', clientSecret: process.env.CLIENT_SECRET! },
 * })
 * const auth = createServerAuth(client, {
 *   secret: process.env.COOKIE_SECRET!,
 *   redirectUri: 'https://app.example.com/callback',
 * })
 * export async function handle(request: Request): Promise<Response> {
 *   const { pathname } = new URL(request.url)
 *   try {
 *     if (pathname === '/login') return (await auth.login(request, { returnTo: '/' })).response()
 *     if (pathname === '/callback') return (await auth.callback(request)).response()
 *     if (pathname === '/logout') return (await auth.logout(request)).response()
 *     const session = await auth.session.read(request)
 *     return new Response(session ? `Hello ${session.idTokenClaims?.name}` : 'Signed out')
 *   } catch (err) {
 *     return toHttpResponse(err).response()
 *   }
 * }
 * ```
 *
 * @module okta-oauth-kit/server
 */
export * from '../errors.js'
export type { NodeRequestLike, ServerRequest } from './http.js'
export type { ServerAuthOptions, ServerCookieOptions } from './options.js'
export {
  type CallbackOutcome,
  createServerAuth,
  type LoginParameters,
  type LogoutOptions,
  type PasswordSignIn,
  type RedirectResult,
  type ServerAuth,
  type ServerRedirect,
} from './server-auth.js'
export type {
  RefreshSessionOptions,
  ServerSession,
  Session,
  SessionData,
  SessionStore,
  SessionUpdate,
} from './session.js'
export { type HttpErrorAnswer, toHttpResponse } from './to-http-response.js'
export type {
  ServerTransaction,
  ServerTransactionStore,
  TransactionStore,
} from './transactions.js'
