import { HttpResponse } from 'msw'
import { NO_STORE } from './http.js'

// The HTML pages of the browser-facing endpoints (authorize, logout).

/** @internal A 200 HTML page with `body`, never cached. */
export function page(body: string): Response {
  return new HttpResponse(
    `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`,
    {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE },
    },
  )
}

const errors = new WeakMap<Response, { error: string; description: string }>()

/** @internal An HTML error page, for errors that cannot go back to a redirect URI. */
export function errorPage(status: number, error: string, description: string): Response {
  const response = new HttpResponse(
    `<!doctype html><html><body><h1>${html(error)}</h1><p>${html(description)}</p></body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE } },
  )
  errors.set(response, { error, description })
  return response
}

/** @internal The error an {@link errorPage} shows (for the headless sign-in). */
export function errorOfPage(
  response: Response,
): { error: string; description: string } | undefined {
  return errors.get(response)
}

/** @internal Text escaped for HTML (as character references). */
export function html(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
