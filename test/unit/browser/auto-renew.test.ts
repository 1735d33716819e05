import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createEmitter,
  createTokenManager,
  type TokenManager,
  type TokenManagerEvents,
} from '../../../src/browser/index.js'
import {
  type Client,
  clearDiscoveryCache,
  createClient,
  discover,
  type TokenSet,
} from '../../../src/index.js'
import { createOktaOrg, type OktaOrg } from '../../../src/testing/index.js'
import { server } from '../msw.js'

let org: OktaOrg
let client: Client
const managers: TokenManager[] = []

beforeAll(async () => {
  org = await createOktaOrg()
})

beforeEach(async () => {
  clearDiscoveryCache()
  server.use(...org.handlers)
  org.requestCounts.clear()
  client = createClient(await discover(org.issuer()), {
    clientId: '0oaspa0000000000000',
    redirectUri: 'http://localhost:8080/callback',
  })
})

afterEach(() => {
  for (const m of managers.splice(0)) m.dispose()
  vi.useRealTimers()
})

async function signIn(): Promise<TokenSet> {
  const { url, transaction } = await client.authorizationUrl({
    scope: 'openid profile offline_access',
  })
  const response = await fetch(url, { redirect: 'manual' })
  return (await client.handleCallback(response.headers.get('location')!, transaction)) as TokenSet
}

function manager(options: Partial<Parameters<typeof createTokenManager>[0]> = {}) {
  const m = createTokenManager({ client, autoRenew: true, ...options })
  managers.push(m)
  return m
}

function next<K extends keyof TokenManagerEvents>(m: TokenManager, type: K) {
  return new Promise<TokenManagerEvents[K]>((resolve) => {
    const off = m.events.on(type, (payload) => {
      off()
      resolve(payload)
    })
  })
}

describe('autoRenew', () => {
  it('renews when the access token enters the margin, without a read', async () => {
    const tokens = await signIn()
    const before = org.requestCount('token')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    // 3600 s tokens, a 3595 s margin: the timer is due in about 5 s.
    const m = manager({ renewMargin: 3595 })
    await m.setTokens(tokens)
    const changed = next(m, 'tokensChanged')
    await vi.advanceTimersByTimeAsync(3_000)
    expect(org.requestCount('token')).toBe(before)
    await vi.advanceTimersByTimeAsync(3_000)
    const { tokens: fresh } = await changed
    expect(org.requestCount('token')).toBe(before + 1)
    expect(fresh?.accessToken).not.toBe(tokens.accessToken)
    expect(fresh?.refreshToken).not.toBe(tokens.refreshToken)
  })

  it('does not loop on tokens that arrive inside the margin; they renew on read', async () => {
    const tokens = await signIn()
    const before = org.requestCount('token')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const m = manager({ renewMargin: 7200 })
    await m.setTokens(tokens)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(org.requestCount('token')).toBe(before)
    await m.getAccessToken()
    expect(org.requestCount('token')).toBe(before + 1)
  })

  it('emits expired when the token expires without a way to renew', async () => {
    const { refreshToken: _, ...tokens } = await signIn()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const m = manager({ renewMargin: 60 })
    await m.setTokens(tokens)
    const expired = next(m, 'expired')
    await vi.advanceTimersByTimeAsync(3_601_000)
    expect(await expired).toEqual({ expiresAt: tokens.expiresAt })
  })

  it('stops its timers on clear and dispose', async () => {
    const tokens = await signIn()
    const before = org.requestCount('token')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const m = manager({ renewMargin: 3595 })
    await m.setTokens(tokens)
    await m.clear()
    await vi.advanceTimersByTimeAsync(10_000)
    const other = manager({ renewMargin: 3595 })
    await other.setTokens(tokens)
    other.dispose()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(org.requestCount('token')).toBe(before)
  })
})

describe('createEmitter', () => {
  it('calls listeners in order, isolates a throwing one, and unsubscribes', () => {
    const e = createEmitter<{ ping: number }>()
    const seen: string[] = []
    const off = e.on('ping', (n) => seen.push(`a${n}`))
    e.on('ping', () => {
      throw new Error('listener bug')
    })
    const b = (n: number) => seen.push(`b${n}`)
    e.on('ping', b)
    e.emit('ping', 1)
    off()
    e.off('ping', b)
    e.emit('ping', 2)
    expect(seen).toEqual(['a1', 'b1'])
  })

  it('lets a listener remove itself while an event is dispatched', () => {
    const e = createEmitter<{ ping: number }>()
    const seen: number[] = []
    const off = e.on('ping', (n) => {
      seen.push(n)
      off()
    })
    e.on('ping', (n) => seen.push(n * 10))
    e.emit('ping', 1)
    e.emit('ping', 2)
    expect(seen).toEqual([1, 10, 20])
  })
})
