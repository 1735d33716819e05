/**
 * A tiny scripted "browser" for driving the provider's front-channel endpoints (authorize,
 * interactions, logout) with plain `fetch`: manual redirects, a cookie jar and form handling.
 * Deliberately minimal: one host, no Domain attribute handling, no JavaScript.
 */

interface StoredCookie {
  name: string
  value: string
  path: string
  expiresAt: number
}

/** Cookie jar scoped to a single origin (the harness server). Share one across calls to keep a session. */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>()

  /** Record the `Set-Cookie` headers of a response received for `url`. */
  store(setCookieHeaders: readonly string[], url: URL): void {
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';')
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      let path = defaultPath(url)
      let expiresAt = Number.POSITIVE_INFINITY
      for (const attribute of attributes) {
        const [rawKey = '', ...rest] = attribute.split('=')
        const key = rawKey.trim().toLowerCase()
        const attrValue = rest.join('=').trim()
        if (key === 'path' && attrValue.startsWith('/')) path = attrValue
        else if (key === 'max-age') expiresAt = Date.now() + Number(attrValue) * 1000
        else if (key === 'expires' && expiresAt === Number.POSITIVE_INFINITY) {
          const parsed = Date.parse(attrValue)
          if (!Number.isNaN(parsed)) expiresAt = parsed
        }
      }
      const id = `${path}\n${name}`
      if (expiresAt <= Date.now() || value === '') this.#cookies.delete(id)
      else this.#cookies.set(id, { name, value, path, expiresAt })
    }
  }

  /** `Cookie` request header value for `url`, or undefined when nothing matches. */
  header(url: URL): string | undefined {
    const now = Date.now()
    const matching = [...this.#cookies.values()]
      .filter((c) => c.expiresAt > now && pathMatches(c.path, url.pathname))
      // RFC 6265 5.4: longer paths first
      .sort((a, b) => b.path.length - a.path.length)
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined
  }

  /** Names of the cookies currently held (any path). */
  names(): string[] {
    return [...this.#cookies.values()].map((c) => c.name)
  }
}

function defaultPath(url: URL): string {
  const { pathname } = url
  const i = pathname.lastIndexOf('/')
  return i <= 0 ? '/' : pathname.slice(0, i)
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/'
}

export interface ParsedForm {
  action: string
  method: string
  params: Record<string, string>
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
}

function decodeHtml(value: string): string {
  return value.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (m) => ENTITIES[m] ?? m)
}

function attr(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag)
  if (!match) return undefined
  return decodeHtml(match[2] ?? match[3] ?? '')
}

/**
 * Parse the first `<form>` of an HTML page (oidc-provider's form_post / logout pages are
 * machine generated, so a regex is adequate). Hidden inputs and `<button name value>` are
 * ignored except hidden inputs.
 */
export function parseFirstForm(html: string, baseUrl: URL): ParsedForm | undefined {
  const formMatch = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html)
  if (!formMatch) return undefined
  const openTag = /<form\b[^>]*>/i.exec(formMatch[0])?.[0] ?? ''
  const action = new URL(attr(openTag, 'action') ?? baseUrl.href, baseUrl).href
  const method = (attr(openTag, 'method') ?? 'get').toUpperCase()
  const params: Record<string, string> = {}
  for (const input of (formMatch[1] ?? '').match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name')
    if (name !== undefined && (attr(input, 'type') ?? 'text').toLowerCase() === 'hidden') {
      params[name] = attr(input, 'value') ?? ''
    }
  }
  return { action, method, params }
}

/** Raised when the provider answers a front-channel request with an error it cannot redirect. */
export class ProviderPageError extends Error {
  readonly status: number
  readonly error: string | undefined
  readonly errorDescription: string | undefined
  readonly body: string

  constructor(url: string, status: number, body: string) {
    let error: string | undefined
    let errorDescription: string | undefined
    try {
      const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown }
      if (typeof parsed.error === 'string') error = parsed.error
      if (typeof parsed.error_description === 'string') errorDescription = parsed.error_description
    } catch {
      // not JSON: keep the raw body for the message
    }
    const summary = error ? `${error}${errorDescription ? `: ${errorDescription}` : ''}` : body
    super(`provider returned HTTP ${status} for ${url} (${summary.slice(0, 500)})`)
    this.name = 'ProviderPageError'
    this.status = status
    this.error = error
    this.errorDescription = errorDescription
    this.body = body
  }
}

export type BrowseOutcome =
  /** a redirect that leaves the provider (e.g. to the client's redirect_uri) */
  | { kind: 'redirect'; location: string }
  /** an HTML page with a form that posts somewhere outside the provider (form_post) */
  | { kind: 'form'; form: ParsedForm }
  /** a plain HTML page on the provider without any form (e.g. logout success page) */
  | { kind: 'page'; url: string; status: number; body: string }

export interface BrowseOptions {
  jar: CookieJar
  /** Should the browser keep following/handling this URL (i.e. is it served by the provider)? */
  isProviderUrl(url: URL): boolean
  /** Called for a provider-hosted form before it is submitted; may add fields. */
  beforeSubmit?(form: ParsedForm): ParsedForm
  maxSteps?: number
}

/**
 * Start at `start` (GET) and behave like a browser with JavaScript disabled but auto-submitting
 * forms that target the provider itself, until the flow leaves the provider.
 */
export async function browse(start: URL, options: BrowseOptions): Promise<BrowseOutcome> {
  const { jar, isProviderUrl, beforeSubmit, maxSteps = 25 } = options
  let url = start
  let method = 'GET'
  let body: URLSearchParams | undefined

  for (let step = 0; step < maxSteps; step += 1) {
    const headers = new Headers({ accept: 'text/html,application/json;q=0.9' })
    const cookie = jar.header(url)
    if (cookie) headers.set('cookie', cookie)
    if (body) headers.set('content-type', 'application/x-www-form-urlencoded')
    const response = await fetch(url, { method, headers, body, redirect: 'manual' })
    jar.store(response.headers.getSetCookie(), url)

    if (response.status >= 300 && response.status < 400) {
      await response.arrayBuffer() // drain so the socket can be reused
      const location = response.headers.get('location')
      if (!location)
        throw new ProviderPageError(url.href, response.status, 'redirect without Location')
      const next = new URL(location, url)
      if (!isProviderUrl(next)) return { kind: 'redirect', location: next.href }
      url = next
      method = 'GET'
      body = undefined
      continue
    }

    const text = await response.text()
    const contentType = response.headers.get('content-type') ?? ''
    const form = contentType.includes('html') ? parseFirstForm(text, url) : undefined
    // form_post carries authorization *errors* too, with HTTP 400: still a result, not a failure
    if (form && !isProviderUrl(new URL(form.action))) return { kind: 'form', form }
    if (response.status !== 200 || !contentType.includes('html')) {
      throw new ProviderPageError(url.href, response.status, text)
    }
    if (!form) return { kind: 'page', url: url.href, status: response.status, body: text }
    const submitted = beforeSubmit ? beforeSubmit(form) : form
    url = new URL(submitted.action)
    if (submitted.method === 'POST') {
      method = 'POST'
      body = new URLSearchParams(submitted.params)
    } else {
      method = 'GET'
      body = undefined
      for (const [k, v] of Object.entries(submitted.params)) url.searchParams.set(k, v)
    }
  }
  throw new Error(`browse: gave up after ${maxSteps} steps (last URL ${url.href})`)
}
