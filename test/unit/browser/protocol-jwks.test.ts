// The protocol layer's key set: one fetch shared, lazy URI, refetch for an
// unknown kid within a cooldown, rotation, failures, and which keys fit.
import { base64url } from 'jose'
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { browserJwks, verifyIdToken } from '../../../src/browser/protocol.js'
import { JwksError, NetworkError } from '../../../src/errors.js'
import { server } from '../msw.js'
import {
  JWKS_URI,
  mint,
  options,
  rejection,
  SUB,
  serveJwks,
  signers,
  transport,
  useProtocolHarness,
} from './protocol-harness.js'

useProtocolHarness()

describe('browserJwks', () => {
  it('shares one fetch among concurrent lookups and one imported key per kid and alg', async () => {
    const hits = serveJwks(() => ({ keys: [signers.rs.jwk, signers.es.jwk] }))
    const jwks = browserJwks(transport(), async () => JWKS_URI)
    const keys = await Promise.all([
      jwks.key(signers.rs.kid, 'RS256'),
      jwks.key(signers.rs.kid, 'RS256'),
      jwks.key(signers.es.kid, 'ES256'),
      jwks.key(signers.rs.kid, 'RS256'),
    ])
    expect(hits.count).toBe(1)
    expect(keys[0]).toBe(keys[1])
    expect(keys[0]).toBe(keys[3])
    expect(keys[0]?.algorithm.name).toBe('RSASSA-PKCS1-v1_5')
    expect(keys[2]?.algorithm.name).toBe('ECDSA')
    expect(keys[0]?.usages).toEqual(['verify'])
    expect(keys[0]?.extractable).toBe(false)
    expect(await jwks.key(signers.rs.kid, 'RS256')).toBe(keys[0])
    expect(hits.count).toBe(1)
  })

  it('resolves the JWKS URI lazily, once per fetch', async () => {
    const hits = serveJwks(() => ({ keys: [signers.rs.jwk] }))
    const uri = vi.fn(async () => JWKS_URI)
    const jwks = browserJwks(transport(), uri)
    expect(uri).not.toHaveBeenCalled()
    await jwks.key(signers.rs.kid, 'RS256')
    expect(uri).toHaveBeenCalledTimes(1)
    expect(hits.count).toBe(1)
  })

  it('refetches once for an unknown kid, not again within the cooldown, and picks up a rotated key', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_700_000_000_000 })
    let published = [signers.rs.jwk]
    const hits = serveJwks(() => ({ keys: published }))
    const jwks = browserJwks(transport(), async () => JWKS_URI, 1_000)
    await jwks.key(signers.rs.kid, 'RS256')
    expect(hits.count).toBe(1)
    // Unknown right after the first fetch: within the cooldown, no refetch.
    expect(await rejection(jwks.key('unknown', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    expect(hits.count).toBe(1)
    // After the cooldown: exactly one refetch, then none within the next cooldown.
    vi.setSystemTime(Date.now() + 1_500)
    expect(await rejection(jwks.key('unknown', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    expect(hits.count).toBe(2)
    expect(await rejection(jwks.key('unknown-2', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    vi.setSystemTime(Date.now() + 500)
    expect(await rejection(jwks.key('unknown', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    expect(hits.count).toBe(2)
    // The server rotates: the new kid is found after the cooldown, with one fetch shared by concurrent lookups.
    published = [signers.rsOther.jwk, signers.rs.jwk]
    vi.setSystemTime(Date.now() + 1_000)
    const [a, b] = await Promise.all([
      jwks.key(signers.rsOther.kid, 'RS256'),
      jwks.key(signers.rsOther.kid, 'RS256'),
    ])
    expect(hits.count).toBe(3)
    expect(a).toBe(b)
    // A known kid never refetches.
    vi.setSystemTime(Date.now() + 60_000)
    await jwks.key(signers.rs.kid, 'RS256')
    expect(hits.count).toBe(3)
  })

  it('verifies tokens from a rotated key set end to end', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let published = [signers.rs.jwk]
    const hits = serveJwks(() => ({ keys: published }))
    const jwks = browserJwks(transport(), async () => JWKS_URI, 1_000)
    await expect(verifyIdToken(await mint(), options(jwks))).resolves.toBeTruthy()
    published = [signers.rsOther.jwk]
    const rotated = await mint({}, { by: signers.rsOther })
    expect(await rejection(verifyIdToken(rotated, options(jwks)))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    vi.setSystemTime(Date.now() + 1_001)
    await expect(verifyIdToken(rotated, options(jwks, { now: Date.now() }))).resolves.toBeTruthy()
    expect(hits.count).toBe(2)
  })

  it.each([
    ['a 500', () => new HttpResponse('<html>oops</html>', { status: 500 })],
    ['a 503 JSON', () => HttpResponse.json({ errorCode: 'E0000009' }, { status: 503 })],
    ['a network error', () => HttpResponse.error()],
    ['a body without keys', () => HttpResponse.json({ nokeys: [] })],
    ['garbage', () => new HttpResponse('{', { status: 200 })],
  ])(
    'reports %s as ERR_JWKS_UNAVAILABLE, and retries on the next lookup',
    async (_name, answer) => {
      let down = true
      let count = 0
      server.use(
        http.get(JWKS_URI, () => {
          count++
          return down ? answer() : HttpResponse.json({ keys: [signers.rs.jwk] })
        }),
      )
      const jwks = browserJwks(transport(), async () => JWKS_URI)
      const err = await rejection(jwks.key(signers.rs.kid, 'RS256'))
      expect(err).toBeInstanceOf(JwksError)
      expect(err.code).toBe('ERR_JWKS_UNAVAILABLE')
      expect(err.cause).toBeInstanceOf(Error)
      down = false
      await expect(jwks.key(signers.rs.kid, 'RS256')).resolves.toBeTruthy()
      expect(count).toBe(2)
    },
  )

  it('reports a failing JWKS URI resolution (discovery down) as ERR_JWKS_UNAVAILABLE', async () => {
    const jwks = browserJwks(transport(), async () => {
      throw new NetworkError('discovery failed')
    })
    expect(await rejection(jwks.key('x', 'RS256'))).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
  })

  it('uses a key without kid when exactly one key fits the algorithm', async () => {
    const { kid: _drop, ...bare } = signers.rs.jwk
    const { kid: _drop2, ...bareEc } = signers.es.jwk
    serveJwks(() => ({ keys: [bare, bareEc] }))
    const jwks = browserJwks(transport(), async () => JWKS_URI)
    const token = await mint({}, { header: { kid: undefined } })
    expect(
      JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[0] as string))),
    ).not.toHaveProperty('kid')
    await expect(verifyIdToken(token, options(jwks))).resolves.toMatchObject({ sub: SUB })
    // A token naming a kid finds no kid-less key.
    expect(await rejection(jwks.key('rs-1', 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  it('refuses to guess among several kid-less keys', async () => {
    const { kid: _a, ...one } = signers.rs.jwk
    const { kid: _b, ...two } = signers.rsOther.jwk
    serveJwks(() => ({ keys: [one, two] }))
    const jwks = browserJwks(transport(), async () => JWKS_URI)
    expect(await rejection(jwks.key(undefined, 'RS256'))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  it('skips encryption keys, keys pinned to another alg, and keys of another type', async () => {
    serveJwks(() => ({
      keys: [
        { ...signers.rs.jwk, kid: 'enc', use: 'enc' },
        { ...signers.rs.jwk, kid: 'pinned', alg: 'RS512' },
        { ...signers.es.jwk, kid: 'ec' },
        null,
        'junk',
        { ...signers.rs.jwk, kid: 'ok', alg: undefined, use: undefined },
      ],
    }))
    const jwks = browserJwks(transport(), async () => JWKS_URI)
    for (const kid of ['enc', 'pinned', 'ec']) {
      expect(await rejection(jwks.key(kid, 'RS256')), kid).toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      })
    }
    await expect(jwks.key('ok', 'RS256')).resolves.toBeTruthy()
    // An RSA key with no alg serves PS256 too (the JWS header picks the algorithm).
    await expect(jwks.key('ok', 'PS256')).resolves.toMatchObject({ algorithm: { name: 'RSA-PSS' } })
  })
})
