/** What the three flavours of the app share: the helpers, and the home page. */
import type { Client } from 'okta-oauth-kit'
import type { ServerAuth, SessionUpdate } from 'okta-oauth-kit/server'

/** Filled once the org is up (the org needs the app's port for the redirect URI first). */
export interface AppContext {
  auth: ServerAuth
  client: Client
}

/** A started flavour of the app. */
export interface RunningApp {
  url: string
  close(): Promise<void>
}

export const htmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export const SIGNED_OUT = '<h1>Signed out</h1><p><a href="/login">Sign in</a></p>'

/** The signed-in home page: ID token claims and userinfo (never a token). */
export async function homePage(ctx: AppContext, update: SessionUpdate): Promise<string> {
  const { session } = update
  const claims: Record<string, unknown> = session.idTokenClaims ?? {}
  const shown = Object.fromEntries(
    ['iss', 'sub', 'name', 'email', 'auth_time'].map((k) => [k, claims[k]]),
  )
  const userinfo = await ctx.client.userinfo(session.accessToken, {
    expectedSubject: String(claims.sub),
  })
  return (
    `<h1>Hello ${htmlEscape(String(claims.name ?? claims.sub))}</h1>` +
    `<h2>ID token claims</h2><pre id="claims">${htmlEscape(JSON.stringify(shown))}</pre>` +
    `<h2>userinfo</h2><pre id="userinfo">${htmlEscape(JSON.stringify(userinfo))}</pre>` +
    '<form method="post" action="/refresh"><button>Refresh tokens</button></form>' +
    '<form method="post" action="/logout"><button>Sign out</button></form>'
  )
}
