/**
 * What the `auth-*.test.ts` files share: one authorization server to read,
 * the two authorization-server scopes, the service app's key, and the
 * hooks each file registers by calling {@link useAuthHooks} at its top.
 */
import { HttpResponse, http } from 'msw'
import { afterEach, vi } from 'vitest'
import { server } from '../msw.js'
import { SERVER_ID } from './fixtures.js'
import { API, type ServiceKey, serviceKey } from './helpers.js'

export const SERVER = { id: SERVER_ID, name: 'n', audiences: ['api://default'] }
export const ONE_SERVER = `${API}/authorizationServers/${SERVER_ID}`
export const MANAGE = 'okta.authorizationServers.manage'
export const READ = 'okta.authorizationServers.read'

/** The service app's private_key_jwt key: generated once per test file (RSA is slow). */
export const key: ServiceKey = await serviceKey()

/** Register the shared hooks: spies (`vi.spyOn(Date, 'now')`) are undone after each test. */
export function useAuthHooks(): void {
  afterEach(() => {
    vi.restoreAllMocks()
  })
}

/** The API answers {@link ONE_SERVER} with {@link SERVER}. */
export const serverOk = () => server.use(http.get(ONE_SERVER, () => HttpResponse.json(SERVER)))
