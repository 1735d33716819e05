/**
 * The runtime smoke flows: what every runtime (Node, Deno, Bun, workerd)
 * runs against the local org over HTTP, importing the built package by its
 * name so that the runtime's own resolver (or, for workerd, the bundler with
 * Cloudflare's conditions) picks the files. Web APIs only: no `node:*`
 * import, no `process`, so the same code runs in a Worker. It returns plain
 * values and error codes, never a token or a secret; `runtimes.test.ts`
 * asserts on them.
 */
import {
  createClient,
  discover,
  isOktaOAuthError,
  OAuthResponseError,
  OktaOAuthError,
  type TokenSet,
} from 'okta-oauth-kit'
import { OktaOAuthError as AdminError, createAdminClient } from 'okta-oauth-kit/admin'
import {
  createServerAuth,
  OktaOAuthError as ServerError,
  toHttpResponse,
} from 'okta-oauth-kit/server'
import { createVerifier, OktaOAuthError as VerifierError } from 'okta-oauth-kit/verifier'

/** What the test hands each runtime (as JSON, in `SMOKE_CONFIG` or a Worker binding). */
export interface SmokeConfig {
  orgUrl: string
  issuer: string
  /** A confidential web client (client_secret_basic) with http://localhost:3000/callback. */
  web: { clientId: string; clientSecret: string; redirectUri: string }
  user: { login: string; password: string }
  /** The org's service app (private_key_jwt) for `./admin`. */
  service: { clientId: string; privatePem: string; kid: string }
  cookieSecret: string
}

/** The error code of a rejection, or `'resolved'` when it did not reject. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (err) {
    return isOktaOAuthError(err) ? err.code : `foreign: ${String(err)}`
  }
}

/** Flip one character in the middle of a JWT's signature. */
function tamper(jwt: string): string {
  const at = jwt.lastIndexOf('.') + 10
  return jwt.slice(0, at) + (jwt[at] === 'A' ? 'B' : 'A') + jwt.slice(at + 1)
}

/** Which runtime this is, by its own globals. */
export function runtimeName(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } }
    Bun?: { version: string }
    navigator?: { userAgent?: string }
    process?: { versions?: { node?: string } }
  }
  if (g.Deno) return `deno ${g.Deno.version.deno}`
  if (g.Bun) return `bun ${g.Bun.version}`
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd'
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`
  return 'unknown'
}

async function core(config: SmokeConfig) {
  const metadata = await discover(config.issuer)
  const client = createClient(metadata, {
    clientId: config.web.clientId,
    auth: { method: 'client_secret_basic', clientSecret: config.web.clientSecret },
    timeout: 5_000,
  })
  const tokens = await client.password({
    username: config.user.login,
    password: config.user.password,
    scope: 'openid profile email offline_access',
  })
  const refreshed = await client.refresh(tokens.refreshToken ?? '', {
    expectedSubject: tokens.idTokenClaims?.sub,
  })
  const userinfo = await client.userinfo(refreshed)
  const before = await client.introspect(refreshed.accessToken)
  await client.revoke(refreshed.accessToken, { tokenTypeHint: 'access_token' })
  const after = await client.introspect(refreshed.accessToken)
  return {
    tokens,
    result: {
      discoveredIssuer: metadata.issuer,
      tokenEndpoint: metadata.token_endpoint,
      idTokenSub: tokens.idTokenClaims?.sub,
      idTokenAud: tokens.idTokenClaims?.aud,
      scope: tokens.scope,
      hasRefreshToken: typeof tokens.refreshToken === 'string',
      refreshedSub: refreshed.idTokenClaims?.sub,
      refreshedNewAccessToken: refreshed.accessToken !== tokens.accessToken,
      userinfoEmail: userinfo.email,
      activeBeforeRevoke: before.active,
      activeAfterRevoke: after.active,
      // The ID token's signature is checked against the org's JWKS: one flipped bit fails.
      tamperedIdToken: await codeOf(client.validateIdToken(tamper(tokens.idToken ?? ''))),
      wrongPassword: await client
        .password({ username: config.user.login, password: 'wrong', scope: 'openid' })
        .then(
          () => 'resolved',
          (err) => (err instanceof OAuthResponseError ? `${err.code} ${err.error}` : String(err)),
        ),
    },
  }
}

/** `createVerifier` of one build of `./verifier`. */
export type CreateVerifier = typeof createVerifier

async function verifier(
  config: SmokeConfig,
  tokens: TokenSet,
  create: CreateVerifier = createVerifier,
) {
  const v = create({ issuer: config.issuer, audience: 'api://default' })
  const verified = await v.verifyAccessToken(tokens.accessToken, { scopes: ['openid'] })
  const wrongAudience = create({ issuer: config.issuer, audience: 'api://other' })
  return {
    crypto: v.crypto,
    sub: verified.claims.sub,
    cid: verified.claims.cid,
    scopes: [...verified.scopes].sort(),
    kid: typeof verified.header?.kid === 'string',
    tampered: await codeOf(v.verifyAccessToken(tamper(tokens.accessToken))),
    missingScope: await codeOf(v.verifyAccessToken(tokens.accessToken, { scopes: ['admin'] })),
    wrongAudience: await codeOf(wrongAudience.verifyAccessToken(tokens.accessToken)),
    sharedErrors: VerifierError === OktaOAuthError,
  }
}

async function admin(config: SmokeConfig) {
  const client = createAdminClient({
    orgUrl: config.orgUrl,
    auth: {
      type: 'oauth',
      clientId: config.service.clientId,
      privateKey: config.service.privatePem,
      kid: config.service.kid,
      scopes: ['okta.authorizationServers.read', 'okta.authorizationServers.manage'],
    },
  })
  const servers: string[] = []
  for await (const server of client.authorizationServers.list()) servers.push(server.name)
  const created = await client.authorizationServers.create({
    name: 'runtime smoke',
    description: 'created by test/runtimes',
    audiences: ['api://smoke'],
  })
  const scope = await client.scopes.create(created.id, { name: 'smoke:read' })
  await client.authorizationServers.deactivate(created.id)
  await client.authorizationServers.delete(created.id)
  return {
    servers: servers.sort(),
    createdAudiences: created.audiences,
    createdIssuerUnderOrg: created.issuer?.startsWith(`${config.orgUrl}/oauth2/`) ?? false,
    scope: scope.name,
    gone: await codeOf(client.authorizationServers.get(created.id)),
    // okta.apps.read was not asked for: refused before anything is sent.
    missingScope: await codeOf(
      client.appGrants.list(config.web.clientId)[Symbol.asyncIterator]().next(),
    ),
    sharedErrors: AdminError === OktaOAuthError,
  }
}

async function server(config: SmokeConfig) {
  const client = createClient(await discover(config.issuer), {
    clientId: config.web.clientId,
    auth: { method: 'client_secret_basic', clientSecret: config.web.clientSecret },
  })
  const app = new URL(config.web.redirectUri).origin
  const auth = createServerAuth(client, {
    secret: config.cookieSecret,
    redirectUri: config.web.redirectUri,
  })
  const cookieHeader = (setCookies: string[]) =>
    setCookies
      .map((c) => c.split(';')[0] ?? '')
      .filter((pair) => !pair.endsWith('='))
      .join('; ')

  // GET /login → 302 to the org with a sealed transaction cookie.
  const login = (await auth.login(new Request(`${app}/login`), { returnTo: '/orders' })).response()
  const location = login.headers.get('location') ?? ''
  const transaction = cookieHeader(login.headers.getSetCookie())
  // The org signs its default user in and answers with a form_post page.
  const page = await fetch(location, { redirect: 'manual' })
  const html = await page.text()
  const fields = new URLSearchParams()
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)) {
    fields.append(
      m[1] ?? '',
      (m[2] ?? '').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(+n)),
    )
  }
  const callback = (init: RequestInit) =>
    auth.callback(new Request(config.web.redirectUri, init)).catch((err) => err)
  // A GET to a form_post callback is refused before anything else, as a 405.
  const refused = await callback({ method: 'GET', headers: { cookie: transaction } })
  const outcome = await auth.callback(
    new Request(config.web.redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: transaction },
      body: fields,
    }),
  )
  const done = outcome.response()
  const session = await auth.session.read(
    new Request(`${app}/orders`, {
      headers: { cookie: cookieHeader(done.headers.getSetCookie()) },
    }),
  )
  return {
    loginStatus: login.status,
    authorizeOrigin: new URL(location).origin,
    responseMode: new URL(location).searchParams.get('response_mode'),
    formStatus: page.status,
    formFields: [...fields.keys()].sort(),
    refusedCode: isOktaOAuthError(refused) ? refused.code : String(refused),
    refusedStatus: toHttpResponse(refused).response().status,
    callbackStatus: done.status,
    callbackLocation: done.headers.get('location'),
    sessionSub: session?.idTokenClaims?.sub,
    noSession: (await auth.session.read(new Request(`${app}/`))) === undefined,
    sharedErrors: ServerError === OktaOAuthError,
  }
}

/**
 * Run every flow; each section's failure is reported as its error code
 * instead of stopping the others.
 *
 * @param config - The org and its clients.
 * @returns Plain values for the test to compare.
 */
export async function smoke(
  config: SmokeConfig,
  webCrypto?: CreateVerifier,
): Promise<Record<string, unknown>> {
  const section = async <T>(run: () => Promise<T>): Promise<T | { failed: string }> => {
    try {
      return await run()
    } catch (err) {
      const code = isOktaOAuthError(err) ? err.code : 'foreign'
      return { failed: `${code}: ${err instanceof Error ? err.message : String(err)}` }
    }
  }
  const out: Record<string, unknown> = { runtime: runtimeName() }
  const first = await section(() => core(config))
  out.core = 'failed' in first ? first : first.result
  out.verifier = 'failed' in first ? first : await section(() => verifier(config, first.tokens))
  // The WebCrypto build by its file, where the export conditions may pick the other one.
  if (webCrypto) {
    out.verifierWebCrypto =
      'failed' in first ? first : await section(() => verifier(config, first.tokens, webCrypto))
  }
  out.admin = await section(() => admin(config))
  out.server = await section(() => server(config))
  return out
}
