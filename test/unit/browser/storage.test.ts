import { describe, expect, it } from 'vitest'
import { type KeyValueStore, memoryStore, webStorage } from '../../../src/browser/index.js'
import { fakeStorage } from './fake-storage.js'

function contract(name: string, make: () => KeyValueStore) {
  describe(name, () => {
    it('gets, sets, removes and lists JSON values', async () => {
      const store = make()
      expect(await store.get('a')).toBeUndefined()
      await store.set('a', { n: 1, list: ['x'] })
      await store.set('b', 'two')
      expect(await store.get('a')).toEqual({ n: 1, list: ['x'] })
      expect((await store.keys?.())?.sort()).toEqual(['a', 'b'])
      await store.remove('a')
      await store.remove('missing')
      expect(await store.get('a')).toBeUndefined()
      expect(await store.keys?.()).toEqual(['b'])
    })

    it('hands out copies, not the stored object', async () => {
      const store = make()
      const value = { n: 1 }
      await store.set('a', value)
      value.n = 2
      const read = (await store.get('a')) as { n: number }
      read.n = 3
      expect(await store.get('a')).toEqual({ n: 1 })
    })
  })
}

contract('memoryStore', memoryStore)
contract('webStorage', () => webStorage(fakeStorage()))

describe('webStorage', () => {
  it('namespaces keys and leaves the app’s own entries alone', async () => {
    const storage = fakeStorage()
    storage.setItem('theme', 'dark')
    const store = webStorage(storage, { prefix: 'app:' })
    await store.set('tokens', { accessToken: 'at' })
    expect(storage.getItem('app:tokens')).toBe('{"accessToken":"at"}')
    expect(await store.keys?.()).toEqual(['tokens'])
    expect(await webStorage(storage).get('tokens')).toBeUndefined()
    expect(storage.getItem('theme')).toBe('dark')
  })

  it('treats an unparsable value as absent and removes it', async () => {
    const storage = fakeStorage()
    storage.setItem('okta-oauth-kit:tokens', '{not json')
    const store = webStorage(storage)
    expect(await store.get('tokens')).toBeUndefined()
    expect(storage.map.has('okta-oauth-kit:tokens')).toBe(false)
  })

  it('accepts a custom async store through the same interface', async () => {
    const backing = new Map<string, string>()
    const custom: KeyValueStore = {
      get: async (key) => {
        await Promise.resolve()
        const raw = backing.get(key)
        return raw === undefined ? undefined : JSON.parse(raw)
      },
      set: async (key, value) => {
        backing.set(key, JSON.stringify(value))
      },
      remove: async (key) => {
        backing.delete(key)
      },
    }
    await custom.set('k', [1, 2])
    expect(await custom.get('k')).toEqual([1, 2])
  })
})
