import { describe, expect, it } from 'vitest'
import { createTransactionStore, memoryStore, webStorage } from '../../../src/browser/index.js'
import type { AuthorizationTransaction } from '../../../src/index.js'
import { fakeStorage } from './fake-storage.js'

function txn(state: string, createdAt: number): AuthorizationTransaction {
  return {
    issuer: 'https://example.okta.com/oauth2/default',
    clientId: '0oaspa0000000000000',
    state,
    nonce: `nonce-${state}`,
    codeVerifier: `verifier-${state}`,
    codeChallengeMethod: 'S256',
    redirectUri: 'http://localhost:8080/callback',
    responseType: 'code',
    responseMode: 'query',
    scope: 'openid',
    createdAt,
  }
}

describe('createTransactionStore', () => {
  it('keeps one transaction per state, each usable once', async () => {
    let now = 1_000_000
    const store = createTransactionStore({ now: () => now })
    await store.save(txn('tab-1', now))
    await store.save(txn('tab-2', now))
    now += 1000
    expect(await store.take('tab-2')).toMatchObject({ state: 'tab-2', nonce: 'nonce-tab-2' })
    expect(await store.take('tab-2')).toBeUndefined()
    expect(await store.take('tab-1')).toMatchObject({ state: 'tab-1' })
    expect(await store.take('unknown')).toBeUndefined()
  })

  it('refuses and removes an expired transaction', async () => {
    let now = 1_000_000
    const storage = memoryStore()
    const store = createTransactionStore({ storage, ttl: 60_000, now: () => now })
    await store.save(txn('old', now))
    now += 60_001
    expect(await store.take('old')).toBeUndefined()
    expect(await storage.keys?.()).toEqual([])
  })

  it('refuses a transaction created in the future', async () => {
    const now = 1_000_000
    const store = createTransactionStore({ now: () => now })
    await store.save(txn('future', now + 120_000))
    expect(await store.take('future')).toBeUndefined()
  })

  it('refuses a value stored under another state or that is not a transaction', async () => {
    const storage = memoryStore()
    const store = createTransactionStore({ storage })
    await storage.set('txn:a', txn('b', Date.now()))
    await storage.set('txn:c', 'garbage')
    expect(await store.take('a')).toBeUndefined()
    expect(await store.take('c')).toBeUndefined()
    expect(await storage.keys?.()).toEqual([])
  })

  it('sweeps expired and garbage entries, keeps live ones and foreign keys', async () => {
    let now = 1_000_000
    const raw = fakeStorage()
    const storage = webStorage(raw)
    const store = createTransactionStore({ storage, ttl: 60_000, now: () => now })
    await store.save(txn('old', now - 59_000))
    await store.save(txn('new', now))
    await storage.set('tokens', { accessToken: 'at' })
    raw.setItem('okta-oauth-kit:txn:broken', '{')
    now += 2000
    expect(await store.sweep()).toBe(1)
    expect((await storage.keys?.())?.sort()).toEqual(['tokens', 'txn:new'])
    expect(await store.take('new')).toMatchObject({ state: 'new' })
  })

  it('sweeps nothing with a store that cannot list its keys', async () => {
    const inner = memoryStore()
    const store = createTransactionStore({
      storage: { get: inner.get, set: inner.set, remove: inner.remove },
      ttl: 1,
      now: () => 10_000_000,
    })
    await store.save(txn('x', 0))
    expect(await store.sweep()).toBe(0)
  })
})
