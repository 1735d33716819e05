import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose'
import { HttpResponse, http } from 'msw'
import { afterEach, expect } from 'vitest'
import {
  type AdminClient,
  type AdminClientOptions,
  createAdminClient,
  type OAuthForOktaAuth,
} from '../../../src/admin/index.js'
import { server } from '../msw.js'

export const ORG = 'https://example.okta.com'
export const API = `${ORG}/api/v1`
export const TOKEN_ENDPOINT = `${ORG}/oauth2/v1/token`
/** An SSWS token with a recognisable value, to prove it never leaks into errors. */
export const SSWS_TOKEN = '00SSWSsecretTokenValue-abcdef0123456789'
export const CLIENT_ID = '0oa1serviceapp'

/** One request msw saw (whether or not a handler answered it). */
export interface Seen {
  method: string
  url: URL
  headers: Headers
  /** The raw body text. */
  text: Promise<string>
  /** When it was seen (performance.now()). */
  at: number
}

const listeners: (() => void)[] = []
afterEach(() => {
  for (const off of listeners.splice(0)) off()
})

/**
 * Record every request that reaches msw from now until the end of the test,
 * including requests no handler answers (those fail the call, as
 * `onUnhandledRequest: 'error'` wants).
 */
export function record(): Seen[] {
  const seen: Seen[] = []
  const onStart = ({ request }: { request: Request }) => {
    seen.push({
      method: request.method,
      url: new URL(request.url),
      headers: new Headers(request.headers),
      text: request.clone().text(),
      at: performance.now(),
    })
  }
  server.events.on('request:start', onStart)
  listeners.push(() => server.events.removeListener('request:start', onStart))
  return seen
}

/** The JSON body of a recorded request (undefined when empty). */
export async function jsonOf(seen: Seen | undefined): Promise<unknown> {
  expect(seen).toBeDefined()
  const text = await seen!.text
  return text === '' ? undefined : JSON.parse(text)
}

/** Requests to the management API only (not the token endpoint or key sets). */
export function apiCalls(seen: Seen[]): Seen[] {
  return seen.filter((s) => s.url.pathname.startsWith('/api/v1/'))
}

/** Requests to the org's token endpoint only. */
export function tokenCalls(seen: Seen[]): Seen[] {
  return seen.filter((s) => s.url.href === TOKEN_ENDPOINT)
}

/** An SSWS-authenticated client of {@link ORG}. */
export function sswsClient(options: Partial<AdminClientOptions> = {}): AdminClient {
  return createAdminClient({ orgUrl: ORG, auth: { type: 'ssws', token: SSWS_TOKEN }, ...options })
}

/** An RSA key pair for `private_key_jwt`, as a PKCS#8 PEM and the public JWK. */
export interface ServiceKey {
  pem: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicJwk: JWK
}

export async function serviceKey(): Promise<ServiceKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return {
    pem: await exportPKCS8(privateKey),
    privateKey: privateKey as CryptoKey,
    publicKey: publicKey as CryptoKey,
    publicJwk: await exportJWK(publicKey),
  }
}

/** An OAuth-for-Okta client of {@link ORG}. */
export function oauthClient(
  key: ServiceKey,
  scopes: readonly string[],
  options: Omit<Partial<AdminClientOptions>, 'auth'> & { auth?: Partial<OAuthForOktaAuth> } = {},
): AdminClient {
  const { auth, ...rest } = options
  return createAdminClient({
    orgUrl: ORG,
    auth: { type: 'oauth', clientId: CLIENT_ID, privateKey: key.pem, scopes, ...auth },
    ...rest,
  })
}

/** A token endpoint that issues `at-1`, `at-2`, … (for `scope`, or what was asked). */
export function tokenEndpoint(
  options: { scope?: (asked: string) => string; expiresIn?: number; tokenType?: string } = {},
): { issued: string[] } {
  const issued: string[] = []
  server.use(
    http.post(TOKEN_ENDPOINT, async ({ request }) => {
      const form = new URLSearchParams(await request.text())
      const asked = form.get('scope') ?? ''
      const accessToken = `at-${issued.length + 1}-secretAccessTokenValue`
      issued.push(accessToken)
      return HttpResponse.json({
        access_token: accessToken,
        token_type: options.tokenType ?? 'Bearer',
        expires_in: options.expiresIn ?? 3600,
        scope: options.scope ? options.scope(asked) : asked,
      })
    }),
  )
  return { issued }
}

/** An Okta error body as the reference documents it. */
export function oktaError(summary = 'Api validation failed: name', cause = 'name: is required') {
  return {
    errorCode: 'E0000001',
    errorSummary: summary,
    errorLink: 'E0000001',
    errorId: 'oaeprak9qKHRlaWiclJ4oPJRQ',
    errorCauses: [{ errorSummary: cause }],
  }
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise
  } catch (err) {
    return err as Record<string, unknown>
  }
  throw new Error('expected a rejection')
}

/** A promise and its resolver, for handlers that wait for the test. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}
