import { InvalidOptionError } from '../errors.js'
import { encodeBase64url, randomBase64url } from '../lib/base64url.js'
import type { ServerState } from './model/server-state.js'
import { authorize } from './oidc/authorize.js'
import { answerOf } from './oidc/authorize-response.js'
import { errorOfPage } from './oidc/pages.js'
import type { OktaOrgState } from './org.js'
import { guarded } from './route.js'

// The headless sign-in of the emulated org: an authorization request
// answered as a browser would carry it back to the app, without HTML.

/**
 * What {@link OktaOrgState.signIn} sends to `/v1/authorize`: the app's own
 * authorization URL (`url`), or the parameters to build one from.
 */
export interface OrgSignInOptions {
  /**
   * The authorization URL the app redirected to (from `auth.login(…)`,
   * `client.authorizationUrl(…)`, or the browser entry): followed as is, so
   * its `state`, `nonce` and PKCE challenge are the app's. When set, the
   * parameters below are ignored.
   */
  url?: string | URL
  /** The server: a custom server id, or `org`. Default: `default`. */
  serverId?: string
  /** The client. Default: the default SPA (`0oaspa0000000000000`). */
  clientId?: string
  /** A registered redirect URI. Default: the client's first. */
  redirectUri?: string
  /** `response_type`. Default: `code`. */
  responseType?: string
  /** `response_mode`. Default: the response type's (`query` for code, `fragment` with tokens). */
  responseMode?: 'query' | 'fragment' | 'form_post' | 'okta_post_message'
  /** `scope`. Default: `openid profile email`. */
  scope?: string
  /** `state`. Default: random. */
  state?: string
  /** `nonce`. Default: random. */
  nonce?: string
  /** `code_challenge` (S256). Default for code flows: one made from a new `codeVerifier`, returned. */
  codeChallenge?: string
  /**
   * Who signs in: their login. The org's browser session becomes theirs,
   * as the sign-in page would make it. Default: the current session's user,
   * else the first user.
   */
  login?: string
  /**
   * The `Cookie` header the browser holds for the app (its transaction
   * cookie, from the login response), sent with the `form_post` request.
   */
  cookie?: string
}

/** What the app's callback receives, by response mode; see {@link OktaOrgState.signIn}. */
export type OrgSignInResult = (
  | {
      /** `query` or `fragment`: the browser is redirected. */
      responseMode: 'query' | 'fragment'
      /** The redirect URI with the response in its query or fragment: pass it to `handleCallback`. */
      url: URL
    }
  | {
      /** `form_post`: the browser POSTs a form. */
      responseMode: 'form_post'
      /** The POST to the redirect URI (form body, and `cookie` if given). */
      request: Request
    }
  | {
      /** `okta_post_message`: the page posts a message to the app's window. */
      responseMode: 'okta_post_message'
      /** The message as the app's listener gets it: pass it to `handleCallback`. */
      message: {
        /** `event.data`: the response parameters. */
        data: Record<string, string>
        /** `event.origin`: the org's origin (the page that posted it). */
        origin: string
      }
    }
) & {
  /** The response parameters (`code`, `state`, tokens, or `error`), whatever the mode. */
  params: URLSearchParams
  /** The `state` sent. */
  state: string | undefined
  /** The `nonce` sent. */
  nonce: string | undefined
  /** The PKCE verifier, when the sign-in made the challenge. */
  codeVerifier: string | undefined
}

/** @internal The headless sign-in; see {@link OktaOrgState.signIn}. */
export async function headlessSignIn(
  org: OktaOrgState,
  options: OrgSignInOptions,
): Promise<OrgSignInResult> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('signIn options must be an object')
  }
  let query: URLSearchParams
  let server: ServerState
  let codeVerifier: string | undefined
  if (options.url !== undefined) {
    const url = new URL(options.url)
    const found = [...org.servers.values()].find(
      (s) => `${s.base}/v1/authorize` === `${url.origin}${url.pathname}`,
    )
    if (!found) {
      throw new InvalidOptionError(`signIn url is not an authorization endpoint of this org`)
    }
    server = found
    query = new URLSearchParams(url.search)
  } else {
    server = org.serverById(options.serverId ?? 'default')
    const clientId = options.clientId ?? '0oaspa0000000000000'
    const client = org.clients.get(clientId)
    if (!client) throw new InvalidOptionError(`no client ${clientId} in the emulated org`)
    const responseType = options.responseType ?? 'code'
    query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: options.redirectUri ?? client.redirectUris?.[0] ?? '',
      response_type: responseType,
      scope: options.scope ?? 'openid profile email',
      state: options.state ?? randomBase64url(16),
      nonce: options.nonce ?? randomBase64url(16),
    })
    if (options.responseMode !== undefined) query.set('response_mode', options.responseMode)
    if (responseType.split(' ').includes('code')) {
      let challenge = options.codeChallenge
      if (challenge === undefined) {
        codeVerifier = randomBase64url(32)
        challenge = encodeBase64url(
          new Uint8Array(
            await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier)),
          ),
        )
      }
      query.set('code_challenge', challenge)
      query.set('code_challenge_method', 'S256')
    }
  }
  if (options.login !== undefined) org.signIn(options.login)
  const response = await guarded(org, 'authorize', () => authorize(org, server, query))
  const answer = answerOf(response)
  if (!answer) {
    const page = errorOfPage(response)
    throw new InvalidOptionError(
      page
        ? `the org refused the authorization request before any redirect: ${page.error} (${page.description})`
        : `the org answered the authorization request with HTTP ${response.status} and no redirect`,
    )
  }
  const params = new URLSearchParams(answer.params)
  const sent = {
    params,
    state: query.get('state') ?? undefined,
    nonce: query.get('nonce') ?? undefined,
    codeVerifier,
  }
  if (answer.mode === 'query' || answer.mode === 'fragment') {
    return { ...sent, responseMode: answer.mode, url: new URL(response.headers.get('location')!) }
  }
  if (answer.mode === 'form_post') {
    const headers = new Headers({
      'content-type': 'application/x-www-form-urlencoded',
      origin: new URL(org.orgUrl).origin,
    })
    if (options.cookie !== undefined) headers.set('cookie', options.cookie)
    return {
      ...sent,
      responseMode: 'form_post',
      request: new Request(answer.redirectUri, { method: 'POST', headers, body: params }),
    }
  }
  return {
    ...sent,
    responseMode: 'okta_post_message',
    message: { data: { ...answer.params }, origin: new URL(org.orgUrl).origin },
  }
}
