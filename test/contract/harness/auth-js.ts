import { buildAuthorizeParams, getWellKnown, OktaAuth, type Tokens } from '@okta/okta-auth-js'
import { counted, track } from './calls.js'
import { authorizeHeadless } from './tokens.js'

// okta-auth-js in Node, as its README describes for Node: an OktaAuth per
// app, PKCE parameters from `token.prepareTokenParams()`, the browser's part
// (the redirect to /v1/authorize and back) done headlessly, then
// `token.exchangeCodeForTokens()`. And a record of the requests it sends and
// the answers, to check them against what a browser would need (CORS).

/** An app as okta-auth-js is configured for it. */
export interface AuthJsApp {
  clientId: string
  clientSecret?: string
  redirectUri: string
}

/** OktaAuth and its token API, counted (see calls.ts). */
export interface AuthJs {
  /** OktaAuth (its methods counted, e.g. `revokeAccessToken`). */
  readonly auth: OktaAuth
  readonly token: OktaAuth['token']
  /** Discovery, as okta-auth-js reads it (cached by okta-auth-js). */
  wellKnown(): ReturnType<typeof getWellKnown>
  /** A sign-in with code + PKCE; returns the tokens and the parameters it used. */
  signIn(): Promise<{ tokens: Tokens; nonce: string; state: string }>
}

let instances = 0

/**
 * okta-auth-js for an app of the local org.
 * @param issuer - The authorization server.
 * @param app - The app's client id, secret (a confidential app) and redirect URI.
 * @param headers - Extra request headers (`Origin`, as a browser adds it).
 */
export function authJs(issuer: string, app: AuthJsApp, headers?: Record<string, string>): AuthJs {
  const instance = ++instances
  const auth = new OktaAuth({
    issuer,
    clientId: app.clientId,
    ...(app.clientSecret && { clientSecret: app.clientSecret }),
    redirectUri: app.redirectUri,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Keys of its own keep okta-auth-js's in-memory storage per instance
    // (without them it warns, in Node, that memory storage is single-user).
    storageManager: Object.fromEntries(
      ['token', 'transaction', 'shared-transaction', 'original-uri'].map((section) => [
        section,
        { storageKey: `contract-${section}-${instance}` },
      ]),
    ),
    ...(headers && { headers }),
  })
  const token = counted('okta-auth-js', auth.token)
  const counter = counted('okta-auth-js', auth)
  const wellKnown = () => track('okta-auth-js getWellKnown', () => getWellKnown(auth))
  return {
    auth: counter,
    token,
    wellKnown,
    async signIn() {
      const params = await token.prepareTokenParams()
      const { authorization_endpoint } = await wellKnown()
      const redirect = await authorizeHeadless(
        `${authorization_endpoint}${buildAuthorizeParams(params)}`,
      )
      if (redirect.state !== params.state) throw new Error('the state came back changed')
      // With the nonce, okta-auth-js checks the ID token's (and its signature).
      const { tokens } = await token.exchangeCodeForTokens({
        authorizationCode: redirect.code,
        codeVerifier: params.codeVerifier!,
        nonce: params.nonce!,
      })
      return { tokens, nonce: params.nonce!, state: params.state! }
    },
  }
}

/** A request okta-auth-js sent, and the answer's status and headers. */
export interface Exchange {
  method: string
  url: URL
  headers: Headers
  status: number
  responseHeaders: Headers
}

/**
 * Forget the discovery documents and key sets okta-auth-js caches: in Node
 * the cache is shared by every OktaAuth of the process.
 */
export function clearAuthJsCache(app: AuthJs): void {
  app.auth.storageManager.getHttpCache(app.auth.options.cookies).clearStorage()
}

/**
 * Record every request okta-auth-js sends through `fetch` (it reads
 * `globalThis.fetch` at each call), told apart by the
 * `X-Okta-User-Agent-Extended` header it adds to all of them.
 * @returns The exchanges so far, and `restore()`.
 */
export function recordAuthJsRequests(): { exchanges: Exchange[]; restore(): void } {
  const original = globalThis.fetch
  const exchanges: Exchange[] = []
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await original(input, init)
    const headers = new Headers(init?.headers)
    if (headers.has('x-okta-user-agent-extended')) {
      exchanges.push({
        method: (init?.method ?? 'GET').toUpperCase(),
        url: new URL(input instanceof Request ? input.url : input),
        headers,
        status: response.status,
        responseHeaders: response.headers,
      })
    }
    return response
  }
  return {
    exchanges,
    restore: () => {
      globalThis.fetch = original
    },
  }
}
