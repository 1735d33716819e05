import { HttpResponse } from 'msw'
import { NO_STORE } from './http.js'
import { html, page } from './pages.js'

// The answers of the authorization endpoint once the redirect URI is known:
// one function per response path (query or fragment redirect, form_post
// page, okta_post_message page) and the error answer, which takes the same
// path. Errors before the redirect URI is trusted are pages (pages.ts).

/** @internal How an authorization response reaches the client. */
export type ResponseMode = 'query' | 'fragment' | 'form_post' | 'okta_post_message'

/** @internal Where an authorization request's answer goes. */
export interface ReplyTo {
  /** The registered redirect URI. */
  redirectUri: string
  mode: ResponseMode
  /** The request's `state`, returned with errors too. */
  state: string | undefined
}

/** @internal An authorization response before it is rendered: where it goes, how, and what. */
export interface AuthorizeAnswer {
  redirectUri: string
  mode: ResponseMode
  params: Record<string, string>
}

// What each rendered answer carries, for the headless sign-in (sign-in.ts),
// so it never parses the pages it rendered.
const answers = new WeakMap<Response, AuthorizeAnswer>()

/** @internal The answer a response of {@link respond} renders; `undefined` for any other response. */
export function answerOf(response: Response): AuthorizeAnswer | undefined {
  return answers.get(response)
}

/** @internal Answer with `params` in the response mode. */
export function respond(
  redirectUri: string,
  mode: ResponseMode,
  params: Record<string, string>,
): Response {
  const response =
    mode === 'query' || mode === 'fragment'
      ? redirect(redirectUri, mode, params)
      : mode === 'form_post'
        ? formPostPage(redirectUri, params)
        : postMessagePage(redirectUri, params)
  answers.set(response, { redirectUri, mode, params })
  return response
}

/** @internal An authorization error (`error`, `error_description`, `state`) in the response mode. */
export function errorResponse(to: ReplyTo, error: string, description: string): Response {
  return respond(to.redirectUri, to.mode, {
    error,
    error_description: description,
    ...(to.state !== undefined && { state: to.state }),
  })
}

/** A 302 to the redirect URI with the parameters in its query or its fragment. */
function redirect(
  redirectUri: string,
  mode: 'query' | 'fragment',
  params: Record<string, string>,
): Response {
  const url = new URL(redirectUri)
  const encoded = new URLSearchParams(params)
  if (mode === 'query') for (const [k, v] of encoded) url.searchParams.append(k, v)
  else url.hash = encoded.toString()
  return new HttpResponse(null, {
    status: 302,
    headers: { location: url.href, 'referrer-policy': 'no-referrer', ...NO_STORE },
  })
}

/** A page that POSTs the parameters to the redirect URI (form_post). */
function formPostPage(redirectUri: string, params: Record<string, string>): Response {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${html(k)}" value="${html(v)}"/>`)
    .join('')
  return page(
    `<form method="post" action="${html(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>` +
      '<script>document.forms[0].submit()</script>',
  )
}

/**
 * okta_post_message: a page that posts the response to the window that
 * opened the popup or framed the page, and only to the redirect URI's origin.
 */
function postMessagePage(redirectUri: string, params: Record<string, string>): Response {
  const origin = new URL(redirectUri).origin
  const data = JSON.stringify(params).replace(/</g, '\\u003c')
  return page(
    `<script>(function(){var d=${data};var t=window.opener||window.parent;if(t&&t!==window){t.postMessage(d,${JSON.stringify(origin)})}})()</script>`,
  )
}
