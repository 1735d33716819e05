import { createClient, discover } from '../../../src/index.js'
import type { ServerAuth } from '../../../src/server/index.js'
import {
  createOktaOrg,
  DEFAULT_USERS,
  type OktaOrg,
  type OrgUser,
} from '../../../src/testing/index.js'
import { server } from '../msw.js'

export const WEB = '0oaserverweb0000000'
export const WEB_SECRET = 'server-web-secret-that-is-long-enough-for-hs256'
export const HTTP_REDIRECT = 'http://localhost:3000/callback'
export const HTTPS_REDIRECT = 'https://app.example.com/callback'
export const SECRET = 'a-cookie-secret-of-at-least-32-characters!'
export const USER = DEFAULT_USERS[0]!

/** An emulated org with a confidential web client for both redirect URIs, served through msw. */
export async function useOrg(users?: OrgUser[]): Promise<OktaOrg> {
  const org = await makeOrg(users)
  server.use(...org.handlers)
  return org
}

/** The org without installing its handlers (share one across tests, `server.use` it in `beforeEach`). */
export function makeOrg(users?: OrgUser[]): Promise<OktaOrg> {
  return createOktaOrg({
    clients: [
      {
        clientId: WEB,
        clientSecret: WEB_SECRET,
        tokenEndpointAuthMethod: 'client_secret_basic',
        redirectUris: [HTTP_REDIRECT, HTTPS_REDIRECT],
        postLogoutRedirectUris: ['http://localhost:3000/', 'https://app.example.com/'],
      },
    ],
    ...(users && { users }),
  })
}

export async function webClient(org: OktaOrg) {
  return createClient(await discover(org.issuer()), {
    clientId: WEB,
    auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
  })
}

/** The `name=value` part of Set-Cookie values, as a Cookie header (deleted cookies dropped). */
export function cookieHeader(setCookies: readonly string[]): string {
  return setCookies
    .filter((c) => !/;\s*Max-Age=0(;|$)/i.test(c))
    .map((c) => c.split(';')[0])
    .join('; ')
}

/** Parse the emulator's auto-submitting form_post page. */
export function parseForm(html: string): { action: string; fields: Record<string, string> } {
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(+n))
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1]
  if (action === undefined) throw new Error('no form_post form on the page')
  const fields: Record<string, string> = {}
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)) {
    fields[decode(m[1]!)] = decode(m[2]!)
  }
  return { action: decode(action), fields }
}

/** login → the org's authorize page → the form's fields, and the transaction cookie. */
export async function authorize(auth: ServerAuth, returnTo?: string) {
  const login = await auth.login(returnTo === undefined ? {} : { returnTo })
  const page = await fetch(login.url)
  const html = await page.text()
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${html}`)
  const form = parseForm(html)
  return { login, ...form, cookie: cookieHeader(login.cookies) }
}

/** The POST a browser would send to the redirect URI. */
export function formPost(
  action: string,
  fields: Record<string, string>,
  cookie: string,
  init: { method?: string; contentType?: string } = {},
): Request {
  return new Request(action, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': init.contentType ?? 'application/x-www-form-urlencoded',
      ...(cookie && { cookie }),
    },
    body: new URLSearchParams(fields),
  })
}

/**
 * One site's cookie jar, as a browser keeps it: `Set-Cookie` values applied
 * in order (`Max-Age=0` deletes), and the `Cookie` header sent oldest first
 * (RFC 6265 §5.4; replacing a cookie keeps its place).
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>()

  /** Apply a response's `Set-Cookie` values. */
  apply(setCookies: readonly string[]): void {
    for (const cookie of setCookies) {
      const pair = cookie.split(';')[0]!
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      if (/;\s*Max-Age=0(;|$)/i.test(cookie)) this.#cookies.delete(name)
      else this.#cookies.set(name, pair.slice(eq + 1))
    }
  }

  /** The `Cookie` header, oldest first ('' when empty). */
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** The names held, oldest first. */
  names(): string[] {
    return [...this.#cookies.keys()]
  }

  /** A request to `url` carrying the jar's cookies. */
  request(url: string): Request {
    const cookie = this.header()
    return new Request(url, { headers: cookie ? { cookie } : {} })
  }
}
