import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEmitter } from '../../../src/browser/index.js'
import type { TokenSet } from '../../../src/index.js'
import { next, signIn, useManagers, useOrgClient } from './helpers.js'

const env = useOrgClient()

afterEach(() => {
  vi.useRealTimers()
})

const manager = useManagers(() => ({ client: env.client, autoRenew: true }))

/**
 * Fake timers from now on (after the sign-in, which needs real ones), and a
 * manager with `renewMargin` (seconds) that holds `tokens`.
 */
async function holding(tokens: TokenSet, renewMargin: number) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const m = manager({ renewMargin })
  await m.setTokens(tokens)
  return m
}

describe('autoRenew', () => {
  it('renews when the access token enters the margin, without a read', async () => {
    const tokens = await signIn(env.client)
    const before = env.org.requestCount('token')
    // 3600 s tokens, a 3595 s margin: the timer is due in about 5 s.
    const m = await holding(tokens, 3595)
    const changed = next(m, 'tokensChanged')
    await vi.advanceTimersByTimeAsync(3_000)
    expect(env.org.requestCount('token')).toBe(before)
    await vi.advanceTimersByTimeAsync(3_000)
    const { tokens: fresh } = await changed
    expect(env.org.requestCount('token')).toBe(before + 1)
    expect(fresh?.accessToken).not.toBe(tokens.accessToken)
    expect(fresh?.refreshToken).not.toBe(tokens.refreshToken)
  })

  it('does not loop on tokens that arrive inside the margin; they renew on read', async () => {
    const tokens = await signIn(env.client)
    const before = env.org.requestCount('token')
    const m = await holding(tokens, 7200)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(env.org.requestCount('token')).toBe(before)
    await m.getAccessToken()
    expect(env.org.requestCount('token')).toBe(before + 1)
  })

  it('emits expired when the token expires without a way to renew', async () => {
    const { refreshToken: _, ...tokens } = await signIn(env.client)
    const m = await holding(tokens, 60)
    const expired = next(m, 'expired')
    await vi.advanceTimersByTimeAsync(3_601_000)
    expect(await expired).toEqual({ expiresAt: tokens.expiresAt })
  })

  it('stops its timers on clear and dispose', async () => {
    const tokens = await signIn(env.client)
    const before = env.org.requestCount('token')
    const m = await holding(tokens, 3595)
    await m.clear()
    await vi.advanceTimersByTimeAsync(10_000)
    const other = manager({ renewMargin: 3595 })
    await other.setTokens(tokens)
    other.dispose()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(env.org.requestCount('token')).toBe(before)
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
