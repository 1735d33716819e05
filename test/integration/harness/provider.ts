/**
 * Integration-test harness: a REAL oidc-provider (node-oidc-provider v9) dressed up as an Okta
 * custom authorization server ("default"), listening on 127.0.0.1 with a random port.
 *
 *   issuer      http://127.0.0.1:PORT/oauth2/default
 *   endpoints   ${issuer}/v1/{authorize,token,keys,userinfo,introspect,revoke,logout,par}
 *   metadata    ${issuer}/.well-known/openid-configuration
 *               ${issuer}/.well-known/oauth-authorization-server
 *               /.well-known/oauth-authorization-server/oauth2/default   (RFC 8414 form)
 *
 * See README.md next to this file for the configuration and the known deviations from Okta.
 *
 * This file is the harness's public face: `startProvider()` (the http server, the request router
 * and the StartedProvider handle) and re-exports of the public types and constants. The parts:
 *   provider-types.ts         public types, and the per-harness state a Provider is built from
 *   provider-config.ts        constants, user, TTLs, API resource server, keys, clients
 *   provider-build.ts         loading oidc-provider (lazily) and configuring a Provider
 *   provider-interactions.ts  headless login + consent at /interaction/:uid, JSON answers
 *   provider-grants.ts        the Resource Owner Password grant
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HarnessStore } from './adapter.js'
import { browse, CookieJar, ProviderPageError } from './browser.js'
import { buildProvider, loadOidcProvider } from './provider-build.js'
import {
  buildClientMetadata,
  buildClients,
  generateRsaJwk,
  ISSUER_PATH,
  USER,
} from './provider-config.js'
import { completeInteraction, sendJson } from './provider-interactions.js'
import type { Internals, StartedProvider, StartProviderOptions } from './provider-types.js'

export { API_AUDIENCE, API_SCOPES, ISSUER_PATH, OIDC_SCOPES } from './provider-config.js'
export type {
  AuthorizeResult,
  BrowserOptions,
  HarnessClient,
  HarnessClients,
  HarnessUser,
  StartedProvider,
  StartProviderOptions,
} from './provider-types.js'
export { CookieJar, ProviderPageError }

/** Pages the harness serves on behalf of the clients (redirect / post-logout targets). */
const CLIENT_PAGES = new Set(['/cb', '/logged-out'])

// ---------------------------------------------------------------------------------------------
// startProvider
// ---------------------------------------------------------------------------------------------

/**
 * Start a harness: an http server on 127.0.0.1 (random port unless `options.port`) serving a fresh
 * oidc-provider at `${origin}/oauth2/default`, with fresh keys and client secrets. Call `close()`
 * when done.
 */
export async function startProvider(options: StartProviderOptions = {}): Promise<StartedProvider> {
  const oidc = await loadOidcProvider()
  const jwtMode = options.accessTokenFormat === 'jwt'

  // Listen first: the issuer, and so the Provider, needs the actual port.
  let handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) =>
    sendJson(res, 503, { error: 'starting' })
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      console.error('[oidc-harness] unhandled error', err)
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const issuer = `${origin}${ISSUER_PATH}`

  try {
    const [signingKey, clientKey] = await Promise.all([generateRsaJwk(), generateRsaJwk()])
    const clients = buildClients(origin, clientKey)
    const internals: Internals = {
      origin,
      issuer,
      jwtMode,
      requireDpopNonce: options.requireDpopNonce ?? false,
      store: new HarnessStore(),
      cookieKeys: [randomBytes(32).toString('base64url')],
      dpopNonceSecret: randomBytes(32),
      signingKeys: [signingKey],
      clientMetadata: buildClientMetadata(clients),
    }

    let provider = buildProvider(oidc, internals)
    let callback = provider.callback()
    const counts = new Map<string, number>()

    // Everything on our origin except the client callback pages is "the provider": an unexpected
    // same-origin redirect is then followed and surfaces as a 404 ProviderPageError.
    const isProviderUrl = (url: URL): boolean =>
      url.origin === origin && !CLIENT_PAGES.has(url.pathname)

    handler = async (req, res) => {
      const url = new URL(req.url ?? '/', origin)
      counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1)
      const mutable = req as IncomingMessage & { originalUrl?: string }

      if (url.pathname.startsWith('/interaction/')) {
        await completeInteraction(provider, req, res)
        return
      }
      if (url.pathname === `/.well-known/oauth-authorization-server${ISSUER_PATH}`) {
        // RFC 8414 section 3.1 location for an issuer with a path: serve the provider's own document.
        mutable.originalUrl = `${ISSUER_PATH}/.well-known/oauth-authorization-server${url.search}`
        mutable.url = `/.well-known/oauth-authorization-server${url.search}`
        await callback(req, res)
        return
      }
      if (url.pathname.startsWith(`${ISSUER_PATH}/`)) {
        // Mount under the prefix like koa-mount: the provider routes on the stripped path and
        // derives the mount path for its own URLs from req.originalUrl (lib/helpers/oidc_context.js urlFor).
        mutable.originalUrl = req.url
        mutable.url = (req.url ?? '/').slice(ISSUER_PATH.length) || '/'
        await callback(req, res)
        return
      }
      if (CLIENT_PAGES.has(url.pathname)) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('harness callback: nothing to see here')
        return
      }
      sendJson(res, 404, { error: 'not_found', error_description: `no route for ${url.pathname}` })
    }

    let closed = false
    const started: StartedProvider = {
      issuer,
      origin,
      clients,
      user: { ...USER },
      accessTokenFormat: jwtMode ? 'jwt' : 'opaque',

      async rotateSigningKey() {
        const next = await generateRsaJwk()
        internals.signingKeys = [next, ...internals.signingKeys]
        // The keystore is fixed at construction, so build a new Provider over the SAME store
        // (codes, sessions, grants, refresh tokens, replay cache) and swap it in atomically.
        provider = buildProvider(oidc, internals)
        callback = provider.callback()
        return next.kid as string
      },

      signingKid() {
        return internals.signingKeys[0]?.kid as string
      },

      async authorize(input, browserOptions = {}) {
        const url = new URL(input)
        if (!isProviderUrl(url)) throw new Error(`authorize(): ${url.href} is not a provider URL`)
        const outcome = await browse(url, {
          jar: browserOptions.jar ?? new CookieJar(),
          isProviderUrl,
        })
        switch (outcome.kind) {
          case 'redirect':
            return { location: outcome.location }
          case 'form':
            return { formPost: { action: outcome.form.action, params: outcome.form.params } }
          default:
            throw new ProviderPageError(outcome.url, outcome.status, outcome.body)
        }
      },

      async logout(input, browserOptions = {}) {
        const url = new URL(input)
        if (!isProviderUrl(url)) throw new Error(`logout(): ${url.href} is not a provider URL`)
        const outcome = await browse(url, {
          jar: browserOptions.jar ?? new CookieJar(),
          isProviderUrl,
          // the confirmation page's "Yes, sign me out" button carries logout=yes
          beforeSubmit: (form) =>
            form.action.endsWith('/v1/logout/confirm') && form.params.logout === undefined
              ? { ...form, params: { ...form.params, logout: 'yes' } }
              : form,
        })
        switch (outcome.kind) {
          case 'redirect':
            return { location: outcome.location }
          case 'page':
            return { location: outcome.url }
          default:
            throw new Error(`logout(): unexpected form posting to ${outcome.form.action}`)
        }
      },

      requestCount(path) {
        const pathname = /^https?:/.test(path) ? new URL(path).pathname : path.split('?')[0]
        return counts.get(pathname ?? path) ?? 0
      },

      resetRequestCounts() {
        counts.clear()
      },

      async close() {
        if (closed) return
        closed = true
        await closeServer()
      },
    }
    return started
  } catch (err) {
    await closeServer()
    throw err
  }

  function closeServer(): Promise<void> {
    return new Promise<void>((resolve) => {
      server.close(() => resolve())
      // drop keep-alive sockets (fetch/undici pools them) so close() resolves immediately
      server.closeAllConnections()
    })
  }
}
