import { createHash, randomBytes } from 'node:crypto'
import { USER } from './org.js'

// Tokens from every grant, fetched with plain `fetch` (no SDK code), for the
// tests that hand them to an official verifier; and the browser's part of
// a sign-in: following `/v1/authorize` to the redirect with the code (the
// emulator signs the org's first user in without a page).

/** A token endpoint response. */
export interface TokenResponse {
  access_token: string
  id_token?: string
  refresh_token?: string
  scope: string
  expires_in: number
  token_type: string
}

const b64url = (bytes: Buffer) => bytes.toString('base64url')

/** An endpoint of an issuer: `{issuer}/v1/…`, and `{org}/oauth2/v1/…` for the org server. */
function endpoint(issuer: string, name: string): string {
  const base = new URL(issuer).pathname.startsWith('/oauth2/') ? issuer : `${issuer}/oauth2`
  return `${base}/v1/${name}`
}

/**
 * Follow an authorization URL as a browser would, and return the code.
 * @param url - The `/v1/authorize` URL.
 * @returns The code and the state from the redirect.
 */
export async function authorizeHeadless(url: string): Promise<{ code: string; state: string }> {
  const res = await fetch(url, { redirect: 'manual' })
  const location = res.headers.get('location')
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`)
  const params = new URL(location).searchParams
  const code = params.get('code')
  if (!code) throw new Error(`no code in the redirect: ${params.get('error')}`)
  return { code, state: params.get('state') ?? '' }
}

async function tokenRequest(
  issuer: string,
  form: Record<string, string>,
  basic?: { clientId: string; clientSecret: string },
): Promise<TokenResponse> {
  const res = await fetch(endpoint(issuer, 'token'), {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic && {
        authorization: `Basic ${Buffer.from(`${basic.clientId}:${basic.clientSecret}`).toString('base64')}`,
      }),
    },
    body: new URLSearchParams(form),
  })
  const body = (await res.json()) as TokenResponse & { error?: string }
  if (!res.ok) throw new Error(`token endpoint answered ${res.status} ${body.error}`)
  return body
}

/** A public client's sign-in: authorization code with PKCE. */
export async function codeWithPkce(
  issuer: string,
  client: { clientId: string; redirectUri: string },
  scope: string,
): Promise<TokenResponse & { nonce: string }> {
  const verifier = b64url(randomBytes(32))
  const nonce = b64url(randomBytes(16))
  const url = new URL(endpoint(issuer, 'authorize'))
  url.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope,
    state: b64url(randomBytes(16)),
    nonce,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString()
  const { code } = await authorizeHeadless(url.href)
  const tokens = await tokenRequest(issuer, {
    grant_type: 'authorization_code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    code,
    code_verifier: verifier,
  })
  return { ...tokens, nonce }
}

/** A public client's refresh. */
export function refresh(
  issuer: string,
  clientId: string,
  refreshToken: string,
): Promise<TokenResponse> {
  return tokenRequest(issuer, {
    grant_type: 'refresh_token',
    client_id: clientId,
    refresh_token: refreshToken,
  })
}

/** A confidential client's password grant for the org's user. */
export function password(
  issuer: string,
  client: { clientId: string; clientSecret: string },
  scope: string,
): Promise<TokenResponse> {
  return tokenRequest(
    issuer,
    { grant_type: 'password', username: USER.login, password: USER.password, scope },
    client,
  )
}

/** A confidential client's client credentials grant (without `scope`: the default scopes). */
export function clientCredentials(
  issuer: string,
  client: { clientId: string; clientSecret: string },
  scope?: string,
): Promise<TokenResponse> {
  return tokenRequest(
    issuer,
    { grant_type: 'client_credentials', ...(scope !== undefined && { scope }) },
    client,
  )
}

/** The implicit grant's tokens, from the redirect's fragment. */
export interface ImplicitTokens {
  access_token: string
  id_token: string
  scope: string
  nonce: string
}

/** A public client's implicit sign-in (`response_type=id_token token`, fragment). */
export async function implicit(
  issuer: string,
  client: { clientId: string; redirectUri: string },
  scope: string,
): Promise<ImplicitTokens> {
  const nonce = b64url(randomBytes(16))
  const url = new URL(endpoint(issuer, 'authorize'))
  url.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'id_token token',
    scope,
    state: b64url(randomBytes(16)),
    nonce,
  }).toString()
  const res = await fetch(url, { redirect: 'manual' })
  const location = res.headers.get('location')
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`)
  const params = new URLSearchParams(new URL(location).hash.slice(1))
  const access = params.get('access_token')
  const id = params.get('id_token')
  if (!access || !id) throw new Error(`no tokens in the redirect: ${params.get('error')}`)
  return { access_token: access, id_token: id, scope: params.get('scope') ?? '', nonce }
}
