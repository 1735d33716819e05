/**
 * The resource-server verifier (`okta-oauth-kit/verifier`) against a real
 * oidc-provider on 127.0.0.1: discovery and JWKS over HTTP, RFC 9068 access
 * tokens (`accessTokenFormat: 'jwt'`), ID tokens, signing-key rotation, and
 * the introspection fallback for opaque tokens (a second provider in the
 * default opaque mode, because oidc-provider refuses to introspect or revoke
 * its JWT access tokens; see harness/README.md).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { base64url, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Client,
  type ClientAuth,
  clearDiscoveryCache,
  createClient,
  createJwksCache,
  discover,
  generateDPoPKeyPair,
  InvalidResponseError,
  type JwksCacheEvent,
  JwksError,
  type ServerMetadata,
} from '../../src/index.js'
import { RESPONSE_LIMITS } from '../../src/lib/body.js'
import { createVerifier as createWebCryptoVerifier } from '../../src/verifier/index.js'
import { createVerifier as createNodeVerifier } from '../../src/verifier/node.js'
import type { Verifier, VerifierOptions } from '../../src/verifier/types.js'
import {
  API_AUDIENCE,
  type HarnessClient,
  type StartedProvider,
  startProvider,
} from './harness/provider.js'

const entries = [
  { entry: 'node', crypto: 'node:crypto', createVerifier: createNodeVerifier },
  { entry: 'webcrypto', crypto: 'webcrypto', createVerifier: createWebCryptoVerifier },
] as const

/** The JWT-mode provider most tests share (never rotated; rotation has its own). */
let op: StartedProvider
let metadata: ServerMetadata
/** A provider in the default opaque mode, for introspection. */
let opaque: StartedProvider
let opaqueMetadata: ServerMetadata

beforeAll(async () => {
  ;[op, opaque] = await Promise.all([startProvider({ accessTokenFormat: 'jwt' }), startProvider()])
  ;[metadata, opaqueMetadata] = await Promise.all([
    discover(op.issuer, { cacheTtl: 0 }),
    discover(opaque.issuer, { cacheTtl: 0 }),
  ])
})
afterAll(async () => {
  await Promise.all([op?.close(), opaque?.close()])
})

function authOf(c: HarnessClient): ClientAuth {
  if (c.tokenEndpointAuthMethod === 'client_secret_post') {
    return { method: 'client_secret_post', clientSecret: c.clientSecret! }
  }
  return { method: 'client_secret_basic', clientSecret: c.clientSecret! }
}

function clientOf(md: ServerMetadata, c: HarnessClient): Client {
  return createClient(md, { clientId: c.clientId, redirectUri: c.redirectUri, auth: authOf(c) })
}

async function clientCredentials(scope: string, provider = op, md = metadata): Promise<string> {
  const { accessToken } = await clientOf(md, provider.clients.basic).clientCredentials({ scope })
  return accessToken
}

function bearer(token: string, path = '/orders'): Request {
  return new Request(`http://127.0.0.1/api${path}`, {
    headers: { authorization: `Bearer ${token}` },
  })
}

/** Change one claim, keeping the original header and signature. */
function tamper(token: string, claims: Record<string, unknown>): string {
  const [h, p, s] = token.split('.') as [string, string, string]
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p)))
  return `${h}.${base64url.encode(JSON.stringify({ ...payload, ...claims }))}.${s}`
}

describe.each(entries)('createVerifier ($entry entry)', ({ crypto, createVerifier }) => {
  let verifier: Verifier
  beforeAll(() => {
    clearDiscoveryCache(op.issuer)
    op.resetRequestCounts()
    verifier = createVerifier({ issuer: op.issuer, audience: API_AUDIENCE })
  })

  it('verifies a client-credentials JWT over HTTP: discovery + JWKS once, RFC 9068 format', async () => {
    expect(verifier.crypto).toBe(crypto)
    expect(verifier.issuers).toEqual([op.issuer])
    const token = await clientCredentials('orders:read')
    const result = await verifier.verifyAccessToken(token, { scopes: ['orders:read'] })
    expect(result).toMatchObject({
      format: 'rfc9068',
      issuer: op.issuer,
      scopes: ['orders:read'],
      clientId: op.clients.basic.clientId,
      subject: op.clients.basic.clientId,
      header: { alg: 'RS256', typ: 'at+jwt', kid: op.signingKid() },
    })
    expect(result.claims).toMatchObject({
      aud: API_AUDIENCE,
      scope: 'orders:read',
      scp: ['orders:read'],
      cid: op.clients.basic.clientId,
      client_id: op.clients.basic.clientId,
    })
    expect(result.expiresAt).toBe(result.claims.exp)
    expect(result.expiresAt).toBeGreaterThan(Date.now() / 1000)
    expect(verifier.jwksCache()?.jwksUri).toBe(metadata.jwks_uri)

    // A second token costs no request: metadata and keys are cached.
    await verifier.verifyAccessToken(await clientCredentials('orders:read orders:write'), {
      scopes: { allOf: ['orders:write'], anyOf: ['orders:read', 'orders:admin'] },
      claims: { cid: op.clients.basic.clientId, ver: 1, scp: { includes: 'orders:write' } },
    })
    expect(op.requestCount(`${op.issuer}/.well-known/openid-configuration`)).toBe(1)
    expect(op.requestCount(metadata.jwks_uri!)).toBe(1)
  })

  it('refuses tampered, foreign-audience and wrong-claim tokens', async () => {
    const token = await clientCredentials('orders:read')
    await expect(
      verifier.verifyAccessToken(tamper(token, { scp: ['orders:read', 'orders:write'] })),
    ).rejects.toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID' })
    const elsewhere = createVerifier({ issuer: op.issuer, audience: 'api://other' })
    await expect(elsewhere.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'aud',
    })
    await expect(
      verifier.verifyAccessToken(token, { claims: { cid: 'someone-else' } }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'cid', reason: 'mismatch' })
    await expect(
      verifier.verifyAccessToken(token, { scopes: ['orders:write'] }),
    ).rejects.toMatchObject({
      code: 'ERR_INSUFFICIENT_SCOPE',
      requiredScopes: ['orders:write'],
    })
  })

  it('authenticate(): 200-path token, 403 insufficient_scope, 401 without or with a bad token', async () => {
    const token = await clientCredentials('orders:read')
    const ok = await verifier.authenticate(bearer(token), { scopes: ['orders:read'] })
    expect(ok.ok).toBe(true)
    if (ok.ok) expect(ok.token.scopes).toEqual(['orders:read'])

    const forbidden = await verifier.authenticate(bearer(token), {
      scopes: ['orders:write'],
      realm: 'orders',
    })
    if (forbidden.ok) throw new Error('expected a failure')
    expect(forbidden.challenge.status).toBe(403)
    expect(forbidden.response.status).toBe(403)
    const challenge = forbidden.response.headers.get('www-authenticate')!
    expect(challenge).toMatch(/^Bearer realm="orders", error="insufficient_scope", /)
    expect(challenge).toContain('scope="orders:write"')
    expect(forbidden.response.headers.get('cache-control')).toBe('no-store')
    expect(await forbidden.response.json()).toMatchObject({ error: 'insufficient_scope' })

    const missing = await verifier.authenticate(new Request('http://127.0.0.1/api/orders'), {
      realm: 'orders',
    })
    if (missing.ok) throw new Error('expected a failure')
    expect(missing.response.status).toBe(401)
    expect(missing.response.headers.get('www-authenticate')).toBe('Bearer realm="orders"')
    expect(missing.challenge.body).toBeUndefined()

    const forged = await verifier.authenticate(bearer(tamper(token, { sub: 'mallory' })))
    if (forged.ok) throw new Error('expected a failure')
    expect(forged.response.status).toBe(401)
    expect(forged.response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    const text = await forged.response.text()
    expect(text).not.toContain(token.split('.')[2]!)
  })

  it('verifies ID tokens (password grant, code flow with nonce) with the same keys', async () => {
    const basic = clientOf(metadata, op.clients.basic)
    const { idToken } = await basic.password({
      username: op.user.username,
      password: op.user.password,
      scope: 'openid profile',
    })
    await expect(
      verifier.verifyIdToken(idToken!, { clientId: op.clients.basic.clientId }),
    ).resolves.toMatchObject({
      sub: op.user.sub,
      aud: op.clients.basic.clientId,
      iss: op.issuer,
      preferred_username: op.user.username,
    })
    await expect(
      verifier.verifyIdToken(idToken!, { clientId: 'spa-client' }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud' })
    // An ID token is not an access token for this API.
    await expect(verifier.verifyAccessToken(idToken!)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'aud',
    })

    const spa = op.clients.spa
    const public_ = createClient(metadata, { clientId: spa.clientId, redirectUri: spa.redirectUri })
    const { url, transaction } = await public_.authorizationUrl({ scope: 'openid email' })
    const result = await op.authorize(url)
    if (!('location' in result)) throw new Error('expected a redirect')
    const code = new URL(result.location).searchParams.get('code')!
    const tokens = await public_.exchangeCode({
      code,
      codeVerifier: transaction.codeVerifier!,
      nonce: transaction.nonce,
    })
    const claims = await verifier.verifyIdToken(tokens.idToken!, {
      clientId: spa.clientId,
      nonce: transaction.nonce!,
    })
    expect(claims).toMatchObject({
      sub: op.user.sub,
      nonce: transaction.nonce,
      email: op.user.email,
    })
    await expect(
      verifier.verifyIdToken(tokens.idToken!, { clientId: spa.clientId, nonce: 'another-nonce' }),
    ).rejects.toMatchObject({ code: 'ERR_NONCE_MISMATCH' })
  })

  it('refuses a DPoP-bound JWT presented as a bearer token', async () => {
    const dpop = createClient(metadata, {
      clientId: op.clients.post.clientId,
      auth: authOf(op.clients.post),
      dpop: { keyPair: await generateDPoPKeyPair('ES256') },
    })
    const tokens = await dpop.clientCredentials({ scope: 'orders:read' })
    expect(tokens.tokenType).toBe('DPoP')
    // verifyAccessToken does not look at how the token was presented…
    const bound = await verifier.verifyAccessToken(tokens.accessToken)
    expect(bound.claims.cnf?.jkt).toEqual(expect.any(String))
    // …verifyRequest reads it from a Bearer header, which a bound token must not use.
    await expect(verifier.verifyRequest(bearer(tokens.accessToken))).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'cnf',
      reason: 'dpop_bound',
    })
  })

  it('token cache: a repeated token is answered from memory, scopes still checked', async () => {
    const cached = createVerifier({ issuer: op.issuer, audience: API_AUDIENCE, tokenCache: true })
    await cached.ready()
    const token = await clientCredentials('orders:read')
    op.resetRequestCounts()
    // Cached from its second verification on.
    const once = await cached.verifyAccessToken(token)
    const first = await cached.verifyAccessToken(token)
    expect(first).not.toBe(once)
    expect(await cached.verifyAccessToken(token)).toBe(first)
    await expect(
      cached.verifyAccessToken(token, { scopes: ['orders:write'] }),
    ).rejects.toMatchObject({ code: 'ERR_INSUFFICIENT_SCOPE' })
    cached.forget(token)
    const again = await cached.verifyAccessToken(token)
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
    expect(op.requestCount(metadata.jwks_uri!)).toBe(0)
  })
})

describe.each(entries)('signing-key rotation ($entry entry)', ({ createVerifier }) => {
  let rotating: StartedProvider
  let md: ServerMetadata
  beforeAll(async () => {
    rotating = await startProvider({ accessTokenFormat: 'jwt' })
    md = await discover(rotating.issuer, { cacheTtl: 0 })
  })
  afterAll(() => rotating?.close())

  it('a token signed by the new key verifies on its first try, with exactly one JWKS request', async () => {
    const events: JwksCacheEvent[] = []
    const verifier = createVerifier({
      issuer: rotating.issuer,
      audience: API_AUDIENCE,
      jwks: { onEvent: (event) => events.push(event) },
    })
    const before = await clientCredentials('orders:read', rotating, md)
    await verifier.verifyAccessToken(before)
    const oldKid = decodeProtectedHeader(before).kid

    const keysPath = new URL(md.jwks_uri!).pathname
    rotating.resetRequestCounts()
    events.length = 0
    const newKid = await rotating.rotateSigningKey()
    const after = await clientCredentials('orders:read', rotating, md)
    expect(decodeProtectedHeader(after).kid).toBe(newKid)
    expect(newKid).not.toBe(oldKid)

    const result = await verifier.verifyAccessToken(after, { scopes: ['orders:read'] })
    expect(result.header?.kid).toBe(newKid)
    expect(rotating.requestCount(keysPath)).toBe(1)
    expect(events).toEqual([
      { type: 'unknown-kid', kid: newKid, refetched: true },
      { type: 'rotation', added: [newKid], removed: [] },
      expect.objectContaining({ type: 'fetch', reason: 'unknown-kid', ok: true, keyCount: 2 }),
    ])

    // The old key is still published: earlier tokens keep verifying, with no further request.
    await expect(verifier.verifyAccessToken(before)).resolves.toMatchObject({
      header: { kid: oldKid },
    })
    await verifier.verifyAccessToken(after)
    expect(rotating.requestCount(keysPath)).toBe(1)
  })

  it('a forged kid costs one refetch, then the negative cache answers', async () => {
    const verifier = createVerifier({ issuer: rotating.issuer, audience: API_AUDIENCE })
    await verifier.ready()
    const token = await clientCredentials('orders:read', rotating, md)
    const [, p, s] = token.split('.') as [string, string, string]
    const header = base64url.encode(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'nope' }))
    const forged = `${header}.${p}.${s}`
    rotating.resetRequestCounts()
    for (let i = 0; i < 3; i++) {
      await expect(verifier.verifyAccessToken(forged)).rejects.toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      })
    }
    expect(rotating.requestCount(md.jwks_uri!)).toBe(1)
    const denied = await verifier.authenticate(bearer(forged))
    expect(denied.ok ? 200 : denied.response.status).toBe(401)
  })
})

describe.each(entries)('introspection fallback ($entry entry)', ({ createVerifier }) => {
  const introspectPath = '/oauth2/default/v1/introspect'
  let options: VerifierOptions
  beforeAll(() => {
    // The resource server introspects as its own confidential client (`post`); the token
    // belongs to `basic`. The harness lets any confidential client introspect any token.
    options = {
      issuer: opaque.issuer,
      audience: API_AUDIENCE,
      introspection: {
        clientId: opaque.clients.post.clientId,
        auth: authOf(opaque.clients.post),
        // oidc-provider's opaque access tokens have no `aud` (no resource indicator).
        requireAudience: false,
      },
    }
  })

  it('an opaque token is active by introspection; after revoke + forget it is inactive', async () => {
    const verifier = createVerifier(options)
    const owner = clientOf(opaqueMetadata, opaque.clients.basic)
    const { accessToken } = await owner.clientCredentials({ scope: 'orders:read' })
    expect(accessToken.split('.')).toHaveLength(1)
    opaque.resetRequestCounts()

    const result = await verifier.verifyAccessToken(accessToken, { scopes: ['orders:read'] })
    expect(result).toMatchObject({
      format: 'introspection',
      issuer: opaque.issuer,
      scopes: ['orders:read'],
      clientId: opaque.clients.basic.clientId,
      claims: { active: true, scope: 'orders:read' },
    })
    expect(result.header).toBeUndefined()
    expect(opaque.requestCount(introspectPath)).toBe(1)

    // The answer is cached: a 403 for a missing scope costs no request.
    const forbidden = await verifier.authenticate(bearer(accessToken), { scopes: ['orders:write'] })
    expect(forbidden.ok ? 200 : forbidden.response.status).toBe(403)
    expect(opaque.requestCount(introspectPath)).toBe(1)

    await owner.revoke(accessToken, { tokenTypeHint: 'access_token' })
    // Still cached as active (up to introspection.cacheTtl, 30 s by default)…
    await expect(verifier.verifyAccessToken(accessToken)).resolves.toBeDefined()
    // …until the verifier is told to forget it.
    verifier.forget(accessToken)
    await expect(verifier.verifyAccessToken(accessToken)).rejects.toMatchObject({
      name: 'TokenValidationError',
      code: 'ERR_TOKEN_INACTIVE',
      reason: 'inactive',
    })
    expect(opaque.requestCount(introspectPath)).toBe(2)
    // The inactive answer is cached too.
    const revoked = await verifier.authenticate(bearer(accessToken))
    if (revoked.ok) throw new Error('expected a failure')
    expect(revoked.response.status).toBe(401)
    expect(revoked.response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    expect(opaque.requestCount(introspectPath)).toBe(2)
  })

  it('a refresh token presented as a bearer token is refused, though the server calls it active', async () => {
    const verifier = createVerifier(options)
    const owner = clientOf(opaqueMetadata, opaque.clients.basic)
    const { refreshToken } = await owner.password({
      username: opaque.user.username,
      password: opaque.user.password,
      scope: 'openid offline_access orders:read',
    })
    expect(refreshToken).toBeTypeOf('string')
    await expect(verifier.verifyAccessToken(refreshToken!)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
      claim: 'token_type',
      reason: 'not_access_token',
    })
  })

  it('a made-up opaque token is inactive; without the fallback it is malformed', async () => {
    const verifier = createVerifier(options)
    await expect(verifier.verifyAccessToken('not-a-real-token-123')).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    })
    const jwtOnly = createVerifier({ issuer: opaque.issuer, audience: API_AUDIENCE })
    await expect(jwtOnly.verifyAccessToken('not-a-real-token-123')).rejects.toMatchObject({
      code: 'ERR_JWT_MALFORMED',
    })
  })
})

describe.each(entries)('several issuers ($entry entry)', ({ createVerifier }) => {
  it('verifies tokens of each trusted issuer with its own keys, and refuses others', async () => {
    const verifier = createVerifier({ issuer: [op.issuer, opaque.issuer], audience: API_AUDIENCE })
    await verifier.ready()
    expect(verifier.jwksCache(op.issuer)?.jwksUri).toBe(metadata.jwks_uri)
    expect(verifier.jwksCache(opaque.issuer)?.jwksUri).toBe(opaqueMetadata.jwks_uri)

    const login = { username: op.user.username, password: op.user.password, scope: 'openid' }
    for (const [provider, md] of [
      [op, metadata],
      [opaque, opaqueMetadata],
    ] as const) {
      const { idToken } = await clientOf(md, provider.clients.basic).password(login)
      await expect(
        verifier.verifyIdToken(idToken!, { clientId: provider.clients.basic.clientId }),
      ).resolves.toMatchObject({ iss: provider.issuer, sub: provider.user.sub })
    }
    const token = await clientCredentials('orders:read')
    await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ issuer: op.issuer })

    const onlyOpaque = createVerifier({ issuer: opaque.issuer, audience: API_AUDIENCE })
    await expect(onlyOpaque.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'iss',
    })
  })
})

describe.each(entries)(
  'trailing-slash issuer against oidc-provider ($entry entry)',
  ({ createVerifier }) => {
    it('a verifier configured with a trailing slash verifies the provider’s tokens', async () => {
      expect(op.issuer.endsWith('/')).toBe(false)
      const verifier = createVerifier({ issuer: `${op.issuer}/`, audience: API_AUDIENCE })
      const token = await clientCredentials('orders:read')
      await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({
        issuer: `${op.issuer}/`,
        scopes: ['orders:read'],
      })
    })
  },
)

/**
 * Issue 14, weakness 6 (key sets): a hostile JWKS endpoint on 127.0.0.1
 * streams an endless body. The cache reads at most `maxResponseBytes`, cuts
 * the connection there (the server sees it close long before it has written
 * everything), fails the fetch with ERR_JWKS_UNAVAILABLE caused by
 * ERR_RESPONSE_TOO_LARGE, and known keys keep verifying (stale-if-error).
 */
describe('an oversized key set', () => {
  const CHUNK = Buffer.alloc(64 * 1024, 0x20) // JSON whitespace
  const TOTAL = 200 * 1024 * 1024
  let server: Server
  let base: string
  let mode: 'good' | 'endless' | 'declared'
  let jwk: Record<string, unknown>
  let privateKey: CryptoKey
  /** Bytes written to the last oversized response before its connection closed. */
  let written: Promise<number>

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true })
    privateKey = pair.privateKey as CryptoKey
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'big-1', alg: 'RS256', use: 'sig' }
    server = createServer((_req, res) => {
      if (mode === 'good') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ keys: [jwk] }))
        return
      }
      if (mode === 'declared') {
        // Announces 200 MB: refused on the header, before the body is read.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': TOTAL })
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }) // chunked, no length
      }
      written = new Promise((resolve) => {
        let sent = 0
        let closed = false
        res.on('close', () => {
          closed = true
          resolve(sent)
        })
        res.write('{"keys":[')
        const pump = () => {
          // Bounded: at most TOTAL bytes, each write waiting for the socket.
          while (!closed && sent < TOTAL) {
            sent += CHUNK.length
            if (!res.write(CHUNK)) {
              res.once('drain', pump)
              return
            }
          }
          if (!closed) res.end(']}')
        }
        pump()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  async function expectTooLarge(promise: Promise<unknown>) {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(JwksError)
    expect(err).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
    const cause = (err as Error).cause
    expect(cause).toBeInstanceOf(InvalidResponseError)
    expect(cause).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', status: 200 })
  }

  it.each([
    { limit: undefined, label: 'the default 1 MiB' },
    { limit: 64 * 1024, label: 'a 64 KiB maxResponseBytes' },
  ])('a streamed body is cut off past $label', async ({ limit }) => {
    mode = 'endless'
    const cache = createJwksCache({
      jwksUri: `${base}/keys`,
      ...(limit !== undefined && { maxResponseBytes: limit }),
    })
    await expectTooLarge(cache.reload())
    const sent = await written
    expect(sent).toBeLessThan(TOTAL / 10)
    expect(sent).toBeGreaterThanOrEqual(limit ?? RESPONSE_LIMITS.jwks)
  })

  it('a declared Content-Length over the limit is refused without reading the body', async () => {
    mode = 'declared'
    const cache = createJwksCache({ jwksUri: `${base}/keys`, maxResponseBytes: 64 * 1024 })
    await expectTooLarge(cache.reload())
    expect(await written).toBeLessThan(TOTAL / 10)
  })

  it.each(entries)(
    'the verifier ($entry) keeps verifying with the keys it holds',
    async ({ createVerifier }) => {
      mode = 'good'
      let clock = Date.now()
      // Resolved by the first stale event: no polling.
      let staleSeen!: (event: JwksCacheEvent) => void
      const firstStale = new Promise<JwksCacheEvent>((resolve) => {
        staleSeen = resolve
      })
      const issuer = `${base}/oauth2/default`
      const verifier = createVerifier({
        issuer,
        audience: API_AUDIENCE,
        jwksUri: `${base}/keys`,
        maxResponseBytes: 64 * 1024,
        now: () => clock,
        jwks: {
          maxAge: 60_000,
          onEvent: (e) => {
            if (e.type === 'stale') staleSeen(e)
          },
        },
      })
      const token = await new SignJWT({ scp: ['orders:read'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'big-1', typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(API_AUDIENCE)
        .setIssuedAt(Math.floor(clock / 1000))
        .setExpirationTime(Math.floor(clock / 1000) + 3600)
        .sign(privateKey)
      await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ issuer })

      // The keys are due for a refresh, and the endpoint now streams an endless body.
      mode = 'endless'
      clock += 120_000
      await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ issuer })
      const stale = await firstStale
      expect(stale).toMatchObject({ type: 'stale', error: { code: 'ERR_JWKS_UNAVAILABLE' } })
      await expectTooLarge(Promise.reject((stale as { error: Error }).error))
      expect(await written).toBeLessThan(TOTAL / 10)
      // Still verifying with the key it holds.
      await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ issuer })
    },
  )
})
