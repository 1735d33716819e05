import { HttpResponse, http } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AdminTokenStore, SharedAdminToken } from '../../../src/admin/index.js'
import { sharedTokenKey } from '../../../src/admin/token-store.js'
import { generateDPoPKeyPair } from '../../../src/index.js'
import { server } from '../msw.js'
import { SERVER_ID } from './fixtures.js'
import {
  API,
  apiCalls,
  CLIENT_ID,
  oauthClient,
  oktaError,
  record,
  type ServiceKey,
  serviceKey,
  tokenCalls,
  tokenEndpoint,
} from './helpers.js'

// Issue 17: `auth.tokenStore` shares the OAuth-for-Okta token between admin
// clients (processes, in production; here two clients and a store in
// memory, the Redis store is tested against a real Redis in test/redis).

const SERVER = { id: SERVER_ID, name: 'n', audiences: ['api://default'] }
const ONE_SERVER = `${API}/authorizationServers/${SERVER_ID}`
const READ = 'okta.authorizationServers.read'

/** A store in memory (one fetch at a time per key, as a lock gives) that records what it is asked. */
function memoryStore() {
  const tokens = new Map<string, SharedAdminToken>()
  const fetching = new Map<string, Promise<SharedAdminToken>>()
  const log: string[] = []
  const store: AdminTokenStore = {
    async getToken(key, fetchToken, { minTtlMs }) {
      log.push(`get ${key}`)
      const held = tokens.get(key)
      if (held && held.expiresAt - minTtlMs > Date.now()) return held
      let pending = fetching.get(key)
      if (!pending) {
        pending = fetchToken().then((fresh) => {
          tokens.set(key, fresh)
          return fresh
        })
        fetching.set(key, pending)
        pending.finally(() => fetching.delete(key)).catch(() => {})
      }
      return pending
    },
    forget(key, accessToken) {
      log.push('forget')
      if (tokens.get(key)?.accessToken === accessToken) tokens.delete(key)
    },
  }
  return { store, tokens, log }
}

let key: ServiceKey
beforeEach(async () => {
  key ??= await serviceKey()
})

describe('auth.tokenStore', () => {
  it('two clients sharing a store make one token request', async () => {
    const { issued } = tokenEndpoint()
    server.use(http.get(ONE_SERVER, () => HttpResponse.json(SERVER)))
    const { store, tokens } = memoryStore()
    const seen = record()
    const a = oauthClient(key, [READ], { auth: { tokenStore: store } })
    const b = oauthClient(key, [READ], { auth: { tokenStore: store } })
    await Promise.all([a, b, a, b].map((c) => c.authorizationServers.get(SERVER_ID)))
    expect(tokenCalls(seen)).toHaveLength(1)
    expect(new Set(apiCalls(seen).map((c) => c.headers.get('authorization')))).toEqual(
      new Set([`Bearer ${issued[0]}`]),
    )
    const [shared] = [...tokens.values()]
    expect(shared).toMatchObject({ accessToken: issued[0], scopes: [READ] })
    expect(shared!.expiresAt).toBeGreaterThan(Date.now() + 3_500_000)
  })

  it('a 401: the store forgets the refused token before the retry fetches a new one', async () => {
    const { issued } = tokenEndpoint()
    let n = 0
    server.use(
      http.get(ONE_SERVER, () =>
        ++n === 1
          ? HttpResponse.json(oktaError('Invalid token provided'), { status: 401 })
          : HttpResponse.json(SERVER),
      ),
    )
    const { store, tokens, log } = memoryStore()
    const seen = record()
    await expect(
      oauthClient(key, [READ], { auth: { tokenStore: store } }).authorizationServers.get(SERVER_ID),
    ).resolves.toEqual(SERVER)
    expect(tokenCalls(seen)).toHaveLength(2)
    expect(log.map((l) => l.split(' ')[0])).toEqual(['get', 'forget', 'get'])
    expect([...tokens.values()].map((t) => t.accessToken)).toEqual([issued[1]])
  })

  it('a store answering something that is not a token is an InvalidResponseError', async () => {
    server.use(http.get(ONE_SERVER, () => HttpResponse.json(SERVER)))
    const store: AdminTokenStore = {
      getToken: async () => ({ accessToken: 'bad value\n', expiresAt: 1, scopes: [] }),
    }
    const err = await oauthClient(key, [READ], { auth: { tokenStore: store } })
      .authorizationServers.get(SERVER_ID)
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'InvalidResponseError' })
    expect(String((err as Error).message)).not.toContain('bad value')
  })

  it('refuses a tokenStore without getToken', () => {
    expect(() =>
      oauthClient(key, [READ], { auth: { tokenStore: {} as unknown as AdminTokenStore } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })

  it('the shared key: the same for the same org, client and scopes (any order); another DPoP key is another token', async () => {
    const org = new URL('https://example.okta.com')
    const base = { type: 'oauth', clientId: CLIENT_ID, privateKey: key.pem } as const
    const one = await sharedTokenKey(org, { ...base, scopes: ['a', 'b'] })
    expect(await sharedTokenKey(org, { ...base, scopes: ['b', 'a'] })).toBe(one)
    expect(one).toMatch(/^[\w-]{43}$/)
    expect(await sharedTokenKey(org, { ...base, scopes: ['a'] })).not.toBe(one)
    expect(await sharedTokenKey(org, { ...base, clientId: 'other', scopes: ['a', 'b'] })).not.toBe(
      one,
    )
    const p1 = await generateDPoPKeyPair()
    const p2 = await generateDPoPKeyPair()
    const d1 = await sharedTokenKey(org, { ...base, scopes: ['a', 'b'], dpop: { keyPair: p1 } })
    expect(d1).not.toBe(one)
    expect(await sharedTokenKey(org, { ...base, scopes: ['a', 'b'], dpop: { keyPair: p1 } })).toBe(
      d1,
    )
    expect(
      await sharedTokenKey(org, { ...base, scopes: ['a', 'b'], dpop: { keyPair: p2 } }),
    ).not.toBe(d1)
  })
})
