import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { HttpResponse, http } from 'msw'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  AbortError,
  InvalidOptionError,
  InvalidResponseError,
  TimeoutError,
} from '../../../src/admin/index.js'
import { createJwksCache } from '../../../src/index.js'
import { server } from '../msw.js'
import { KID_ACTIVE, KID_NEXT, ROTATED_KEYS_RESPONSE } from './fixtures.js'
import {
  API,
  apiCalls,
  jsonOf,
  ORG,
  oauthClient,
  record,
  rejectionOf,
  SSWS_TOKEN,
  serviceKey,
  sswsClient,
  tokenEndpoint,
} from './helpers.js'

let oldKey: JWK
let newKey: JWK
beforeAll(async () => {
  const publicJwk = async (kid: string) => ({
    ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey)),
    kid,
    alg: 'RS256',
    use: 'sig',
  })
  oldKey = await publicJwk(KID_ACTIVE)
  newKey = await publicJwk(KID_NEXT)
})

let serial = 0

/**
 * A server whose key set shows the new ACTIVE kid only from the
 * `publishedFrom`-th read after the rotation (never, if 0).
 */
function rotatingServer(
  options: { publishedFrom?: number; issuer?: string | null; rotated?: unknown } = {},
) {
  const serverId = `ausRotate${++serial}`
  const issuer =
    options.issuer === null ? undefined : (options.issuer ?? `${ORG}/oauth2/${serverId}`)
  const jwksUri = `${issuer ?? `${ORG}/oauth2/${serverId}`}/v1/keys`
  const state = { rotated: false, readsAfterRotation: 0 }
  const publishedFrom = options.publishedFrom ?? 2
  server.use(
    http.get(`${API}/authorizationServers/${serverId}`, () =>
      HttpResponse.json({
        id: serverId,
        name: 'rotating',
        audiences: ['api://default'],
        ...(issuer !== undefined && { issuer }),
      }),
    ),
    http.post(`${API}/authorizationServers/${serverId}/credentials/lifecycle/keyRotate`, () => {
      state.rotated = true
      return HttpResponse.json(options.rotated ?? ROTATED_KEYS_RESPONSE)
    }),
    http.get(jwksUri, () => {
      if (!state.rotated) return HttpResponse.json({ keys: [oldKey] })
      state.readsAfterRotation++
      const published = publishedFrom > 0 && state.readsAfterRotation >= publishedFrom
      return HttpResponse.json({ keys: published ? [newKey, oldKey] : [oldKey] })
    }),
  )
  return { serverId, jwksUri, state }
}

describe('keys.rotateAndWait', () => {
  it('rotates, polls the key set until the new ACTIVE kid appears, then reloads this process’s caches', async () => {
    const { serverId, jwksUri, state } = rotatingServer({ publishedFrom: 2 })
    // A verifier's cache of that key set, already loaded with the old key.
    const cache = createJwksCache({ jwksUri })
    await cache.reload()
    expect(cache.export()!.jwks.keys.map((k) => k.kid)).toEqual([KID_ACTIVE])

    const seen = record()
    const result = await sswsClient().keys.rotateAndWait(serverId, { interval: 20 })

    expect(result).toEqual({
      kid: KID_NEXT,
      keys: ROTATED_KEYS_RESPONSE.keys,
      jwksUri,
      reloadedCaches: expect.any(Number),
    })
    expect(result.reloadedCaches).toBeGreaterThanOrEqual(1)
    expect(cache.export()!.jwks.keys.map((k) => k.kid)).toContain(KID_NEXT)

    // Server read, rotation, a poll without the kid, a poll with it, the cache's reload.
    expect(seen.map((s) => `${s.method} ${s.url.pathname}`)).toEqual([
      `GET /api/v1/authorizationServers/${serverId}`,
      `POST /api/v1/authorizationServers/${serverId}/credentials/lifecycle/keyRotate`,
      `GET /oauth2/${serverId}/v1/keys`,
      `GET /oauth2/${serverId}/v1/keys`,
      `GET /oauth2/${serverId}/v1/keys`,
    ])
    expect(state.readsAfterRotation).toBe(3)
    expect(await jsonOf(seen[1])).toEqual({ use: 'sig' })
    const polls = seen.filter((s) => s.url.pathname.endsWith('/v1/keys')).slice(0, 2)
    for (const poll of polls) {
      expect(poll.headers.get('cache-control')).toBe('no-cache')
      // The key set is public: the API token is never sent there.
      expect(poll.headers.get('authorization')).toBeNull()
    }
    expect(polls[1]!.at - polls[0]!.at).toBeGreaterThanOrEqual(15)
    for (const call of apiCalls(seen)) {
      expect(call.headers.get('authorization')).toBe(`SSWS ${SSWS_TOKEN}`)
    }
  })

  it('a key that is never published → TimeoutError after publishTimeout', async () => {
    const { serverId, state } = rotatingServer({ publishedFrom: 0 })
    const started = performance.now()
    const err = await rejectionOf(
      sswsClient().keys.rotateAndWait(serverId, { publishTimeout: 300, interval: 50 }),
    )
    const elapsed = performance.now() - started
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 300 })
    expect(err.message).toContain(KID_NEXT)
    expect(elapsed).toBeGreaterThanOrEqual(200)
    expect(elapsed).toBeLessThan(1_500)
    // Bounded polling: about publishTimeout / interval reads.
    expect(state.readsAfterRotation).toBeGreaterThanOrEqual(3)
    expect(state.readsAfterRotation).toBeLessThanOrEqual(7)
  })

  it('keeps polling through key-set errors (500, not JSON)', async () => {
    const { serverId, jwksUri } = rotatingServer({ publishedFrom: 1 })
    let n = 0
    server.use(
      http.get(jwksUri, () => {
        n++
        if (n === 1) return new HttpResponse('oops', { status: 500 })
        if (n === 2) return HttpResponse.text('not json')
        return HttpResponse.json({ keys: [newKey] })
      }),
    )
    const result = await sswsClient().keys.rotateAndWait(serverId, { interval: 10 })
    expect(result.kid).toBe(KID_NEXT)
    expect(n).toBeGreaterThanOrEqual(3)
  })

  it('without an issuer on the server, polls {org}/oauth2/{serverId}/v1/keys', async () => {
    const { serverId, jwksUri } = rotatingServer({ issuer: null, publishedFrom: 1 })
    const result = await sswsClient().keys.rotateAndWait(serverId, { interval: 10 })
    expect(result.jwksUri).toBe(jwksUri)
  })

  it('follows a custom issuer URL (issuerMode CUSTOM_URL)', async () => {
    const { serverId } = rotatingServer({
      issuer: 'https://login.example.com/oauth2/custom',
      publishedFrom: 1,
    })
    const result = await sswsClient().keys.rotateAndWait(serverId, { interval: 10 })
    expect(result.jwksUri).toBe('https://login.example.com/oauth2/custom/v1/keys')
  })

  it('a rotation answer without an ACTIVE key → InvalidResponseError, no polling', async () => {
    const { serverId, state } = rotatingServer({
      rotated: { keys: ROTATED_KEYS_RESPONSE.keys.filter((k) => k.status !== 'ACTIVE') },
    })
    const err = await rejectionOf(sswsClient().keys.rotateAndWait(serverId, { interval: 10 }))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(state.readsAfterRotation).toBe(0)
  })

  it('aborting while waiting for publication rejects with AbortError', async () => {
    const { serverId, state } = rotatingServer({ publishedFrom: 0 })
    const controller = new AbortController()
    const pending = sswsClient().keys.rotateAndWait(serverId, {
      interval: 1_000,
      signal: controller.signal,
    })
    await expect.poll(() => state.readsAfterRotation).toBe(1)
    const started = performance.now()
    controller.abort()
    const err = await rejectionOf(pending)
    expect(err).toBeInstanceOf(AbortError)
    expect(performance.now() - started).toBeLessThan(500)
  })

  it("refuses use 'enc' and bad timings before any request", async () => {
    const seen = record()
    const admin = sswsClient()
    expect(
      await rejectionOf(admin.keys.rotateAndWait('aus1', { body: { use: 'enc' as 'sig' } })),
    ).toMatchObject({ code: 'ERR_INVALID_REQUEST_BODY' })
    for (const options of [{ publishTimeout: 0 }, { interval: -1 }, { interval: Number.NaN }]) {
      expect(await rejectionOf(admin.keys.rotateAndWait('aus1', options))).toBeInstanceOf(
        InvalidOptionError,
      )
    }
    expect(seen).toHaveLength(0)
  })

  it('with OAuth and only the .read scope: ERR_SCOPE_NOT_CONFIGURED before any request', async () => {
    tokenEndpoint()
    const seen = record()
    const err = await rejectionOf(
      oauthClient(await serviceKey(), ['okta.authorizationServers.read']).keys.rotateAndWait(
        'aus1',
      ),
    )
    expect(err).toMatchObject({
      code: 'ERR_SCOPE_NOT_CONFIGURED',
      requiredScope: 'okta.authorizationServers.manage',
    })
    expect(seen).toHaveLength(0)
  })
})
