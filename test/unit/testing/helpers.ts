import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose'
import { beforeAll, beforeEach, expect } from 'vitest'
import {
  type Client,
  type ClientOptions,
  clearDiscoveryCache,
  createClient,
  discover,
} from '../../../src/index.js'
import {
  createOktaOrg,
  DEFAULT_API_TOKEN,
  type OktaOrg,
  type OktaOrgOptions,
} from '../../../src/testing/index.js'
import { server } from '../msw.js'

export const SPA = '0oaspa0000000000000'
export const WEB = '0oaweb0000000000000'
export const WEB_SECRET = 'web-app-secret-that-is-long-enough-for-hs256'
export const SPA_REDIRECT = 'http://localhost:8080/callback'
export const WEB_REDIRECT = 'http://localhost:3000/callback'
export const USER_ID = '00uid4BxXw6I6TV4m0g3'
export const USER = { username: 'john.doe@example.com', password: 'correct horse battery staple' }
export const ALICE = {
  id: '00ualice000000000000',
  login: 'alice@example.com',
  password: 'alice-password',
  profile: { name: 'Alice Liddell', given_name: 'Alice', email: 'alice@example.com' },
  groups: ['Everyone', 'Admins'],
}

/** Create an org and put its handlers in front of the shared msw server. */
export async function useOrg(options: OktaOrgOptions = {}): Promise<OktaOrg> {
  clearDiscoveryCache()
  const org = await createOktaOrg(options)
  server.use(...org.handlers)
  return org
}

/**
 * One org for a whole file (its keys are generated once): created once, its
 * handlers registered before each test. Tests that move the clock, rotate
 * keys or need fresh counts create their own with {@link useOrg}.
 */
export function sharedOrg(
  options: () => OktaOrgOptions | Promise<OktaOrgOptions> = () => ({}),
): () => OktaOrg {
  let org: OktaOrg | undefined
  beforeAll(async () => {
    org = await createOktaOrg(await options())
  })
  beforeEach(() => {
    clearDiscoveryCache()
    server.use(...org!.handlers)
  })
  return () => org!
}

/** A client of one of the org's servers (default: the `default` custom server). */
export async function clientOf(
  org: OktaOrg,
  options: ClientOptions,
  issuer: string = org.issuer(),
): Promise<Client> {
  return createClient(await discover(issuer), options)
}

/** The default SPA (public, PKCE). */
export function spa(org: OktaOrg, extra: Partial<ClientOptions> = {}): Promise<Client> {
  return clientOf(org, { clientId: SPA, redirectUri: SPA_REDIRECT, ...extra })
}

/** The default web app (client_secret_basic). */
export function web(
  org: OktaOrg,
  extra: Partial<ClientOptions> = {},
  issuer?: string,
): Promise<Client> {
  return clientOf(
    org,
    {
      clientId: WEB,
      redirectUri: WEB_REDIRECT,
      auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
      ...extra,
    },
    issuer,
  )
}

/** A client whose clock is the org's (for tests that move the org's clock). */
export function orgClock(org: OktaOrg): { now: () => number } {
  return {
    now: () => {
      // The org's clock first: a second ticking in between leaves the client behind, never ahead.
      const orgNow = org.now()
      const t = Date.now()
      return t + (orgNow - Math.floor(t / 1000)) * 1000
    },
  }
}

/** GET an authorization URL without following the redirect. */
export function visit(url: string | URL): Promise<Response> {
  return fetch(url, { redirect: 'manual' })
}

/** The redirect target of a 302. */
export function location(response: Response): string {
  expect(response.status).toBe(302)
  const target = response.headers.get('location')
  expect(target).toBeTruthy()
  return target!
}

/** The parameters of a redirect: query, or fragment when there is one. */
export function redirectParams(response: Response): URLSearchParams {
  const url = new URL(location(response))
  return url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams
}

/** The hidden inputs of a form_post page, as a form body. */
export function formInputs(html: string): URLSearchParams {
  const params = new URLSearchParams()
  const decode = (v: string) =>
    v.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)) {
    params.append(decode(m[1]!), decode(m[2]!))
  }
  return params
}

/** The object an okta_post_message page posts, and the target origin. */
export function postMessage(html: string): { data: Record<string, string>; origin: string } {
  const m = /var d=(\{.*?\});.*postMessage\(d,("[^"]*")\)/s.exec(html)
  expect(m).not.toBeNull()
  return { data: JSON.parse(m![1]!), origin: JSON.parse(m![2]!) }
}

/** Decoded claims and header of a JWT. */
export function jwt(token: string): {
  claims: Record<string, unknown>
  header: Record<string, unknown>
} {
  return {
    claims: decodeJwt(token) as Record<string, unknown>,
    header: decodeProtectedHeader(token) as Record<string, unknown>,
  }
}

/** POST a form as is (for requests the SDK would never send). */
export function postForm(
  url: string,
  form: Record<string, string> | URLSearchParams | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body =
    typeof form === 'string' || form instanceof URLSearchParams
      ? form.toString()
      : new URLSearchParams(form).toString()
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  })
}

/** `Authorization: Basic` for a client id and secret (RFC 6749 §2.3.1). */
export function basic(clientId: string, secret: string): Record<string, string> {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+')
  return { authorization: `Basic ${btoa(`${enc(clientId)}:${enc(secret)}`)}` }
}

/** An RSA key pair for private_key_jwt: the private JWK for the SDK, the public JWKS for the org. */
export async function rsaClientKey(kid = 'client-key-1'): Promise<{
  privateJwk: JWK
  jwks: { keys: JWK[] }
}> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' }
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  return { privateJwk, jwks: { keys: [publicJwk] } }
}

/** Run an authorization request and return the code and transaction (code flows). */
export async function authorizeCode(
  client: Client,
  request: Parameters<Client['authorizationUrl']>[0] = {},
): Promise<{
  code: string
  transaction: Awaited<ReturnType<Client['authorizationUrl']>>['transaction']
}> {
  const { url, transaction } = await client.authorizationUrl(request)
  const params = redirectParams(await visit(url))
  const code = params.get('code')
  expect(code, params.get('error_description') ?? undefined).toBeTruthy()
  return { code: code!, transaction }
}

/**
 * Sign the default user in through the code flow on the SPA client (a browser
 * session at the org, and tokens): the client, its tokens and the transaction.
 * @param extra - More client options, e.g. `orgClock(org)` to read the org's clock.
 */
export async function signIn(
  org: OktaOrg,
  scope = 'openid profile email offline_access',
  loginHint?: string,
  extra: Partial<ClientOptions> = {},
) {
  const client = await spa(org, extra)
  const { code, transaction } = await authorizeCode(client, {
    scope,
    ...(loginHint && { loginHint }),
  })
  const tokens = await client.exchangeCode({
    code,
    codeVerifier: transaction.codeVerifier!,
    nonce: transaction.nonce,
  })
  return { client, tokens, transaction }
}

/** The emulated org's management API base (the default org URL). */
export const MANAGEMENT_API = 'https://example.okta.com/api/v1'
/** `Authorization: SSWS` with the emulator's built-in API token. */
export const SSWS = { authorization: `SSWS ${DEFAULT_API_TOKEN}` }

/** A management API answer. */
export interface ApiAnswer {
  status: number
  headers: Headers
  // JSON bodies of many shapes.
  body: any
}

/** A management API request with plain fetch (SSWS by default); `path` is relative to `/api/v1`. */
export async function managementApi(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = SSWS,
): Promise<ApiAnswer> {
  const response = await fetch(path.startsWith('http') ? path : `${MANAGEMENT_API}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  }
}
