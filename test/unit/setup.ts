import { afterAll, afterEach, beforeAll } from 'vitest'
import { clearDiscoveryCache } from '../../src/index.js'
import { server } from './msw.js'

// One mocking setup for the whole unit suite: a request no handler expects
// fails the test instead of reaching the network.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  clearDiscoveryCache()
})
afterAll(() => server.close())
