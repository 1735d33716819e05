/**
 * The shared harness of the JWKS cache feature tests (cache-*.test.ts): one
 * fake JWKS endpoint driven by `jwks`, signing keys in `keyring`, fake timers,
 * and a cache on a clock the test moves. Each test file calls
 * `useJwksHarness()` at its top to register the hooks that reset all of it.
 */
import { decodeProtectedHeader, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { delay, HttpResponse, http } from 'msw'
import { afterEach, beforeAll, beforeEach, expect, vi } from 'vitest'
import {
  createJwksCache,
  type JwksCache,
  type JwksCacheEvent,
  type JwksCacheOptions,
  type JwksFetchEvent,
} from '../../../src/index.js'
import { server } from '../msw.js'

export const JWKS_URI = 'https://example.okta.com/oauth2/default/v1/keys'
export const T0 = 1_700_000_000_000

export interface Key {
  kid: string
  privateKey: CryptoKey
  jwk: JWK
}

/** A fresh RS256 key named `kid`, its public JWK published with `alg` and `use`. */
export async function makeKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return {
    kid,
    privateKey: privateKey as CryptoKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  }
}

export function sign(key: Key, kid = key.kid) {
  return new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid }).sign(key.privateKey)
}

export function signWithoutKid(key: Key) {
  return new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256' }).sign(key.privateKey)
}

// jose's key resolver takes the header and the flattened token.
export async function resolve(cache: JwksCache, token: string) {
  const [protectedHeader, payload, signature] = token.split('.') as [string, string, string]
  return cache.getKey(decodeProtectedHeader(token), {
    protected: protectedHeader,
    payload,
    signature,
  })
}

export interface Deferred {
  promise: Promise<void>
  release: () => void
}

export function deferred(): Deferred {
  let release!: () => void
  const promise = new Promise<void>((r) => {
    release = r
  })
  return { promise, release }
}

export type Mode = 'ok' | 'down' | 'garbage' | 'slow' | 'refused'

/**
 * What the fake endpoint at JWKS_URI does, reset before each test: the keys it
 * publishes, how it behaves (`mode`), the Cache-Control header it sends, and a
 * gate every request waits on while set. `hits` counts the requests it got.
 */
export const jwks = {
  published: [] as JWK[],
  hits: 0,
  mode: 'ok' as Mode,
  cacheControl: undefined as string | undefined,
  gate: undefined as Deferred | undefined,
}

/** Three RS256 signing keys and a P-256 public JWK, made once per test file. */
export const keyring = {} as { k1: Key; k2: Key; k3: Key; ec: JWK }

/** Let every promise that can settle without time passing settle. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Let `ms` of fake time pass, firing the timers due, then let the process run. */
export async function elapse(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
  await tick()
}

/** Run fake time from timer to timer until `promise` settles (no further); hand it back. */
export async function settle<T>(promise: Promise<T>): Promise<T> {
  let settled = false
  promise.then(
    () => {
      settled = true
    },
    () => {
      settled = true
    },
  )
  for (;;) {
    await tick()
    if (settled || vi.getTimerCount() === 0) return promise
    await vi.advanceTimersToNextTimerAsync()
  }
}

/**
 * Register this harness's hooks in the calling test file: fake timers, the
 * reset of `jwks` and its endpoint before each test, and `keyring`.
 */
export function useJwksHarness(): void {
  // Time is fake: timeouts, the slow endpoint's 1 s and the waits that check
  // nothing more happened run on vitest's clock (Date stays real; the caches
  // get their own clock). setImmediate stays real, to let the process run.
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
    })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  beforeEach(() => {
    jwks.published = []
    jwks.hits = 0
    jwks.mode = 'ok'
    jwks.cacheControl = undefined
    jwks.gate = undefined
    server.use(
      http.get(JWKS_URI, async () => {
        jwks.hits++
        if (jwks.gate) await jwks.gate.promise
        if (jwks.mode === 'down')
          return HttpResponse.json({ errorCode: 'E0000009' }, { status: 503 })
        if (jwks.mode === 'garbage')
          return new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } })
        if (jwks.mode === 'refused') return HttpResponse.error()
        if (jwks.mode === 'slow') await delay(1_000)
        return HttpResponse.json(
          { keys: jwks.published },
          jwks.cacheControl === undefined
            ? {}
            : { headers: { 'cache-control': jwks.cacheControl } },
        )
      }),
    )
  })

  beforeAll(async () => {
    ;[keyring.k1, keyring.k2, keyring.k3] = await Promise.all([
      makeKey('k1'),
      makeKey('k2'),
      makeKey('k3'),
    ])
    const { publicKey } = await generateKeyPair('ES256', { extractable: true })
    keyring.ec = { ...(await exportJWK(publicKey)), kid: 'ec1', alg: 'ES256', use: 'sig' }
  })
}

/** A cache on a clock the test moves, recording its events. */
export function setup(options: Partial<JwksCacheOptions> = {}) {
  const clock = { t: T0 }
  const events: JwksCacheEvent[] = []
  const cache = createJwksCache({
    jwksUri: JWKS_URI,
    now: () => clock.t,
    onEvent: (event) => events.push(event),
    ...options,
  })
  const ofType = <T extends JwksCacheEvent['type']>(type: T) =>
    events.filter((e): e is Extract<JwksCacheEvent, { type: T }> => e.type === type)
  return { cache, clock, events, ofType, fetches: () => ofType('fetch') }
}

/** Wait until `n` fetches have completed (each one reports a fetch event, ok or not). */
export async function fetchesSettled(fetches: () => JwksFetchEvent[], n: number): Promise<void> {
  for (let i = 0; i < 1_000 && fetches().length < n; i++) {
    await tick()
    if (fetches().length < n && vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync()
  }
  expect(fetches()).toHaveLength(n)
}

export const rs = (kid: string) => ({ alg: 'RS256', kid })
export const noMatch = { code: 'ERR_JWKS_NO_MATCHING_KEY' }
export const unavailable = { code: 'ERR_JWKS_UNAVAILABLE' }
