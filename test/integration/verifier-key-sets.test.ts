/**
 * The resource-server verifier's key sets over HTTP. A signing-key rotation
 * at a real oidc-provider on 127.0.0.1 in JWT mode (one provider per entry,
 * started here, since rotating it would disturb other tests): a new kid costs
 * exactly one JWKS request; a forged kid costs one, then the negative cache
 * answers. And an oversized key set from a hostile endpoint (below). The
 * helpers are in verifier-harness.ts.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { base64url, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createJwksCache,
  discover,
  InvalidResponseError,
  type JwksCacheEvent,
  JwksError,
  type ServerMetadata,
} from '../../src/index.js'
import { RESPONSE_LIMITS } from '../../src/lib/body.js'
import { API_AUDIENCE, type StartedProvider, startProvider } from './harness/provider.js'
import { bearer, clientCredentials, entries } from './verifier-harness.js'

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
