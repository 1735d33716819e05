import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { HttpResponse, http } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createJwksCache,
  InvalidOptionError,
  type JwksCacheOptions,
  type JwksSnapshot,
} from '../../../src/index.js'
import { createVerifier } from '../../../src/verifier/index.js'
import { server } from '../msw.js'

// The JWKS durations are in ms and carry jose's names (cacheMaxAge,
// cooldownDuration, …); the old names (maxAge, …) still work, deprecated,
// and giving both is refused.

const JWKS_URI = 'https://example.okta.com/oauth2/default/v1/keys'
const ISSUER = 'https://example.okta.com/oauth2/default'
const T0 = 1_700_000_000_000

let jwk: JWK
let hits: number
let cacheControl: string | undefined
beforeAll(async () => {
  const { publicKey } = await generateKeyPair('RS256', { extractable: true })
  jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
})
beforeEach(() => {
  hits = 0
  cacheControl = undefined
  server.use(
    http.get(JWKS_URI, () => {
      hits++
      return HttpResponse.json(
        { keys: [jwk] },
        cacheControl === undefined ? {} : { headers: { 'cache-control': cacheControl } },
      )
    }),
  )
})

type Tuning = Pick<
  JwksCacheOptions,
  'cacheMaxAge' | 'cacheMinAge' | 'cacheMaxStale' | 'cooldownDuration'
>

/** Each current name, its deprecated name, and a check that a value of it took effect. */
const PAIRS: [keyof Tuning, keyof JwksCacheOptions, (options: Tuning) => Promise<void>][] = [
  [
    'cacheMaxAge',
    'maxAge',
    async (options) => {
      const cache = createJwksCache({ jwksUri: JWKS_URI, now: () => T0, ...options })
      await cache.reload()
      const { fetchedAt, expiresAt } = cache.export()!
      expect(expiresAt - fetchedAt).toBe(90_000)
    },
  ],
  [
    'cacheMinAge',
    'minAge',
    async (options) => {
      cacheControl = 'max-age=1'
      const cache = createJwksCache({ jwksUri: JWKS_URI, now: () => T0, ...options })
      await cache.reload()
      const { fetchedAt, expiresAt } = cache.export()!
      expect(expiresAt - fetchedAt).toBe(90_000)
    },
  ],
  [
    'cacheMaxStale',
    'maxStale',
    async (options) => {
      const snapshot: JwksSnapshot = {
        version: 1,
        jwksUri: JWKS_URI,
        jwks: { keys: [jwk] },
        fetchedAt: T0 - 700_000,
        expiresAt: T0 - 100_000,
      }
      // 100 s past its refresh time: beyond a stale limit of 90 s (the default is a day).
      const cache = createJwksCache({ jwksUri: JWKS_URI, now: () => T0, ...options })
      expect(cache.import(snapshot)).toBe(false)
      expect(createJwksCache({ jwksUri: JWKS_URI, now: () => T0 }).import(snapshot)).toBe(true)
    },
  ],
  [
    'cooldownDuration',
    'cooldown',
    async (options) => {
      const clock = { t: T0 }
      const cache = createJwksCache({ jwksUri: JWKS_URI, now: () => clock.t, ...options })
      await cache.resolve({ alg: 'RS256', kid: 'k1' })
      await expect(cache.resolve({ alg: 'RS256', kid: 'x1' })).rejects.toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      })
      expect(hits).toBe(2)
      // Past a 90 s cooldown (the default is 30 s, so both would refetch at 30 s).
      clock.t = T0 + 89_999
      await expect(cache.resolve({ alg: 'RS256', kid: 'x2' })).rejects.toThrow()
      expect(hits).toBe(2)
      clock.t = T0 + 90_000
      await expect(cache.resolve({ alg: 'RS256', kid: 'x3' })).rejects.toThrow()
      expect(hits).toBe(3)
    },
  ],
]

describe.each(PAIRS)('%s (deprecated name %s)', (name, old, check) => {
  it(`${name} sets it`, async () => {
    await check({ [name]: 90_000 })
  })

  it(`the deprecated ${old} still sets it`, async () => {
    await check({ [old]: 90_000 } as Tuning)
  })

  it('giving both is an InvalidOptionError, from createJwksCache and from createVerifier', () => {
    const both = { [name]: 90_000, [old]: 90_000 }
    for (const make of [
      () => createJwksCache({ jwksUri: JWKS_URI, ...both }),
      () => createVerifier({ issuer: ISSUER, audience: 'api://default', jwks: both }),
      () =>
        createVerifier({
          issuer: ISSUER,
          audience: 'api://default',
          jwksUri: JWKS_URI,
          jwks: both,
        }),
    ]) {
      const error = (() => {
        try {
          make()
        } catch (e) {
          return e
        }
        return undefined
      })()
      expect(error).toBeInstanceOf(InvalidOptionError)
      expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION' })
    }
    expect(hits).toBe(0)
  })
})

describe('a verifier passes the JWKS names on', () => {
  it.each([
    ['cacheMaxAge', { cacheMaxAge: 90_000 }],
    ['maxAge (deprecated)', { maxAge: 90_000 }],
  ] as const)('jwks: { %s } bounds the freshness of its keys', async (_, jwks) => {
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: 'api://default',
      jwksUri: JWKS_URI,
      now: () => T0,
      jwks,
    })
    await verifier.ready()
    const { fetchedAt, expiresAt } = verifier.jwksCache()!.export()!
    expect(expiresAt - fetchedAt).toBe(90_000)
    expect(hits).toBe(1)
  })
})
