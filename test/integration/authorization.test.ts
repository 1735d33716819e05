import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AuthorizationRequest,
  type Client,
  createClient,
  discover,
  type ServerMetadata,
} from '../../src/index.js'
import { type StartedProvider, startProvider } from './harness/provider.js'

let op: StartedProvider
let metadata: ServerMetadata
let spa: Client

beforeAll(async () => {
  op = await startProvider()
  metadata = await discover(op.issuer, { cacheTtl: 0 })
  spa = createClient(metadata, {
    clientId: op.clients.spa.clientId,
    redirectUri: op.clients.spa.redirectUri,
  })
})
afterAll(() => op?.close())

/** Authorize through the real provider and hand what comes back to the SDK. */
async function signIn(client: Client, request: AuthorizationRequest) {
  const { url, transaction } = await client.authorizationUrl(request)
  const result = await op.authorize(url)
  const input =
    'formPost' in result ? new URLSearchParams(result.formPost.params).toString() : result.location
  return { tokens: await client.handleCallback(input, transaction), transaction, result }
}

describe('authorization responses from oidc-provider', () => {
  it('code + PKCE, response_mode query (iss checked, RFC 9207)', async () => {
    const { tokens, transaction, result } = await signIn(spa, { scope: 'openid profile' })
    expect('location' in result && new URL(result.location).searchParams.get('iss')).toBe(op.issuer)
    expect(tokens.idTokenClaims).toMatchObject({ sub: op.user.sub, nonce: transaction.nonce })
    expect(tokens.accessToken).toEqual(expect.any(String))
  })

  it('code + PKCE, response_mode form_post (confidential client)', async () => {
    const c = op.clients.basic
    const web = createClient(metadata, {
      clientId: c.clientId,
      redirectUri: c.redirectUri,
      auth: { method: 'client_secret_basic', clientSecret: c.clientSecret! },
    })
    const { tokens, result } = await signIn(web, {
      scope: 'openid email',
      responseMode: 'form_post',
    })
    expect('formPost' in result).toBe(true)
    expect(tokens.idTokenClaims?.email).toBe(op.user.email)
  })

  it('form_post as a Web Request', async () => {
    const { url, transaction } = await spa.authorizationUrl({
      scope: 'openid',
      responseMode: 'form_post',
    })
    const result = await op.authorize(url)
    if (!('formPost' in result)) throw new Error('expected a form_post page')
    const request = new Request(result.formPost.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(result.formPost.params),
    })
    const tokens = await spa.handleCallback(request, transaction)
    expect(tokens.idTokenClaims?.sub).toBe(op.user.sub)
  })

  it('implicit id_token token in the fragment (at_hash checked)', async () => {
    const { tokens, transaction } = await signIn(spa, {
      scope: 'openid profile',
      responseType: 'id_token token',
    })
    expect(transaction.responseMode).toBe('fragment')
    expect(tokens.accessToken).toEqual(expect.any(String))
    expect(tokens.idTokenClaims).toMatchObject({
      sub: op.user.sub,
      nonce: transaction.nonce,
      at_hash: expect.any(String),
    })
    // The front-channel access token works at userinfo.
    await expect(spa.userinfo(tokens as Parameters<Client['userinfo']>[0])).resolves.toMatchObject({
      sub: op.user.sub,
    })
  })

  it('hybrid code id_token (c_hash, then the code exchange bound to the same user)', async () => {
    const { tokens, transaction } = await signIn(spa, {
      scope: 'openid',
      responseType: 'code id_token',
    })
    expect(transaction.codeVerifier).toEqual(expect.any(String))
    expect(tokens.accessToken).toEqual(expect.any(String))
    expect(tokens.idTokenClaims?.sub).toBe(op.user.sub)
  })

  it('a replayed callback is refused and sends nothing', async () => {
    const { url, transaction } = await spa.authorizationUrl({ scope: 'openid' })
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    await spa.handleCallback(result.location, transaction)
    op.resetRequestCounts()
    await expect(spa.handleCallback(result.location, transaction)).rejects.toMatchObject({
      code: 'ERR_TRANSACTION_REUSED',
    })
    expect(op.requestCount(new URL(metadata.token_endpoint!).pathname)).toBe(0)
  })

  it('prompt=none without a session: login_required as an AuthorizationResponseError', async () => {
    const { url, transaction } = await spa.authorizationUrl({ scope: 'openid', prompt: 'none' })
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    await expect(spa.handleCallback(result.location, transaction)).rejects.toMatchObject({
      code: 'ERR_AUTHORIZATION_RESPONSE',
      error: 'login_required',
    })
  })

  it('PAR: pushes the request (private_key_jwt, aud = PAR endpoint) and signs in with the request_uri', async () => {
    const c = op.clients.privateKeyJwt
    const service = createClient(metadata, {
      clientId: c.clientId,
      redirectUri: c.redirectUri,
      auth: { method: 'private_key_jwt', key: c.privateJwk! },
    })
    const { url, transaction } = await service.authorizationUrl(
      { scope: 'openid email' },
      { par: true },
    )
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const tokens = await service.handleCallback(result.location, transaction)
    expect(tokens.idTokenClaims).toMatchObject({ sub: op.user.sub, nonce: transaction.nonce })
  })
})
