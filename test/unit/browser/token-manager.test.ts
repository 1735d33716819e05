import { beforeEach, describe, expect, it } from 'vitest'
import { broadcastCoordinator, memoryStore, webStorage } from '../../../src/browser/index.js'
import type { TokenSet } from '../../../src/index.js'
import { fakeStorage } from './fake-storage.js'
import { next, record, signIn, useManagers, useOrgClient } from './helpers.js'

// The client follows the org's clock; the managers' clock runs `offset` seconds ahead of both.
let offset = 0
const orgNow = () => {
  const orgSeconds = env.org.now()
  const t = Date.now()
  return t + (orgSeconds - Math.floor(t / 1000)) * 1000
}
const now = () => orgNow() + offset * 1000
const env = useOrgClient(() => ({ now: orgNow }))
const manager = useManagers(() => ({ client: env.client, now }))

beforeEach(() => {
  offset = 0
})

describe('createTokenManager', () => {
  it('returns the stored access token while it is fresh, without a request', async () => {
    const tokens = await signIn(env.client)
    const m = manager()
    expect(await m.getAccessToken()).toBeUndefined()
    const changed = record(m, 'tokensChanged')
    await m.setTokens(tokens)
    expect(changed).toEqual([{ tokens }])
    const before = env.org.requestCount('token')
    expect(await m.getAccessToken()).toBe(tokens.accessToken)
    expect(env.org.requestCount('token')).toBe(before)
  })

  it('loads tokens from storage on first use and ignores garbage', async () => {
    const tokens = await signIn(env.client)
    const raw = fakeStorage()
    await webStorage(raw).set('tokens', tokens)
    expect(await manager({ storage: webStorage(raw) }).getAccessToken()).toBe(tokens.accessToken)
    raw.setItem('okta-oauth-kit:tokens', '"not a token set"')
    expect(await manager({ storage: webStorage(raw) }).getTokens()).toBeUndefined()
  })

  it('renews on read within the margin, with the refresh token, and emits expiring', async () => {
    const tokens = await signIn(env.client)
    const storage = memoryStore()
    const m = manager({ storage, renewMargin: 120 })
    await m.setTokens(tokens)
    const expiring = record(m, 'expiring')
    offset = 3600 - 150
    expect(await m.getAccessToken()).toBe(tokens.accessToken)
    expect(env.org.requestCount('token')).toBe(1)
    offset = 3600 - 100
    const fresh = await m.getAccessToken()
    expect(fresh).not.toBe(tokens.accessToken)
    expect(env.org.requestCount('token')).toBe(2)
    expect(expiring).toEqual([{ expiresAt: tokens.expiresAt }])
    const stored = (await storage.get('tokens')) as TokenSet
    expect(stored.accessToken).toBe(fresh)
    expect(stored.idTokenClaims?.sub).toBe(tokens.idTokenClaims?.sub)
  })

  it('applies the clock skew on top of the margin', async () => {
    const tokens = await signIn(env.client)
    const m = manager({ renewMargin: 60, clockSkew: 120 })
    await m.setTokens(tokens)
    offset = 3600 - 170
    expect(await m.getAccessToken()).not.toBe(tokens.accessToken)
  })

  it('shares one refresh among 20 concurrent callers', async () => {
    const tokens = await signIn(env.client)
    const m = manager()
    await m.setTokens(tokens)
    const before = env.org.requestCount('token')
    offset = 3600 - 30
    const results = await Promise.all(Array.from({ length: 20 }, () => m.getAccessToken()))
    expect(env.org.requestCount('token')).toBe(before + 1)
    expect(new Set(results).size).toBe(1)
    expect(results[0]).not.toBe(tokens.accessToken)
  })

  it('uses the rotated refresh token and never the old one again', async () => {
    const tokens = await signIn(env.client)
    const m = manager()
    await m.setTokens(tokens)
    offset = 3600 - 30
    await m.getAccessToken()
    const first = await m.getTokens()
    expect(first?.refreshToken).toBeTypeOf('string')
    expect(first?.refreshToken).not.toBe(tokens.refreshToken)
    // The emulator refuses reuse: the old token is dead, and the manager must not send it.
    await expect(env.client.refresh(tokens.refreshToken!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    const failed = record(m, 'renewFailed')
    offset = 2 * 3600
    const second = await m.renew()
    expect(failed).toEqual([])
    expect(second?.refreshToken).not.toBe(first?.refreshToken)
    expect(second?.accessToken).not.toBe(first?.accessToken)
  })

  it('emits renewFailed with the error only, keeps a still-valid token, then expires', async () => {
    const tokens = await signIn(env.client)
    const m = manager()
    await m.setTokens({ ...tokens, refreshToken: 'rt-that-the-server-does-not-know' })
    const failed = record(m, 'renewFailed')
    const expired = record(m, 'expired')
    offset = 3600 - 30
    expect(await m.getAccessToken()).toBe(tokens.accessToken)
    expect(failed).toHaveLength(1)
    expect(Object.keys(failed[0]!)).toEqual(['error'])
    expect(failed[0]!.error).toMatchObject({ error: 'invalid_grant' })
    const text = `${JSON.stringify(failed[0])} ${String(failed[0]!.error)}`
    expect(text).not.toContain('rt-that-the-server-does-not-know')
    expect(text).not.toContain(tokens.accessToken)
    expect(expired).toEqual([])
    offset = 3600 + 10
    expect(await m.getAccessToken()).toBeUndefined()
    expect(failed).toHaveLength(2)
    expect(expired).toEqual([{ expiresAt: tokens.expiresAt }])
  })

  it('without a refresh token, uses the renew hook, or expires', async () => {
    const { refreshToken: _, ...tokens } = await signIn(env.client)
    const plain = manager()
    await plain.setTokens(tokens)
    const expired = record(plain, 'expired')
    offset = 3600 - 30
    expect(await plain.getAccessToken()).toBe(tokens.accessToken)
    offset = 3601
    expect(await plain.getAccessToken()).toBeUndefined()
    expect(expired).toEqual([{ expiresAt: tokens.expiresAt }])

    const calls: TokenSet[] = []
    const hooked = manager({
      renew: async (current) => {
        calls.push(current)
        return { ...current, accessToken: 'from-iframe', expiresAt: current.expiresAt! + 3600 }
      },
    })
    await hooked.setTokens(tokens)
    const results = await Promise.all([hooked.getAccessToken(), hooked.getAccessToken()])
    expect(results).toEqual(['from-iframe', 'from-iframe'])
    expect(calls).toHaveLength(1)
    expect((await hooked.getTokens())?.idToken).toBe(tokens.idToken)
  })

  it('clear forgets the tokens, emits signedOut and discards a renewal under way', async () => {
    const tokens = await signIn(env.client)
    const storage = memoryStore()
    const m = manager({ storage })
    await m.setTokens(tokens)
    const signedOut = record(m, 'signedOut')
    const changed = record(m, 'tokensChanged')
    offset = 3600 - 30
    const pending = m.getAccessToken()
    await m.clear()
    await pending
    expect(await m.getTokens()).toBeUndefined()
    expect(await m.getAccessToken()).toBeUndefined()
    expect(await storage.get('tokens')).toBeUndefined()
    expect(signedOut).toEqual([{ remote: false }])
    expect(changed).toEqual([{ tokens: undefined }])
  })
})

describe('broadcastCoordinator', () => {
  let channel = 0
  const name = () => `okta-oauth-kit-test-${process.pid}-${++channel}`

  it('sends renewed tokens to the other tab, which then needs no request', async () => {
    const tokens = await signIn(env.client)
    const shared = name()
    const a = manager({ coordinator: broadcastCoordinator({ name: shared }) })
    const b = manager({ coordinator: broadcastCoordinator({ name: shared }) })
    const received = next(b, 'tokensChanged')
    await a.setTokens(tokens)
    expect((await received).tokens?.accessToken).toBe(tokens.accessToken)

    const before = env.org.requestCount('token')
    offset = 3600 - 30
    const renewed = next(b, 'tokensChanged')
    const fresh = await a.getAccessToken()
    expect(env.org.requestCount('token')).toBe(before + 1)
    expect((await renewed).tokens?.accessToken).toBe(fresh)
    offset = 0
    expect(await b.getAccessToken()).toBe(fresh)
    expect((await b.getTokens())?.refreshToken).toBe((await a.getTokens())?.refreshToken)
    expect(env.org.requestCount('token')).toBe(before + 1)

    const signedOut = next(b, 'signedOut')
    await a.clear()
    expect(await signedOut).toEqual({ remote: true })
    expect(await b.getAccessToken()).toBeUndefined()
  })

  it('with a lock and shared storage, two tabs renewing at once send one request', async () => {
    const tokens = await signIn(env.client)
    const shared = name()
    let tail: Promise<unknown> = Promise.resolve()
    const locks = {
      request: (_name: string, task: () => Promise<unknown>) => {
        const run = tail.then(task)
        tail = run.catch(() => undefined)
        return run
      },
    } as unknown as LockManager
    const storage = webStorage(fakeStorage())
    const a = manager({ storage, coordinator: broadcastCoordinator({ name: shared, locks }) })
    const b = manager({ storage, coordinator: broadcastCoordinator({ name: shared, locks }) })
    const received = next(b, 'tokensChanged')
    await a.setTokens(tokens)
    await received
    const before = env.org.requestCount('token')
    // Move every clock: the renewed tokens are fresh for both tabs.
    env.org.advanceClock(3600 - 30)
    const failed = record(b, 'renewFailed')
    const [fromA, fromB] = await Promise.all([a.getAccessToken(), b.getAccessToken()])
    expect(env.org.requestCount('token')).toBe(before + 1)
    expect(failed).toEqual([])
    expect(fromB).toBe(fromA)
    expect(fromA).not.toBe(tokens.accessToken)
  })
})
