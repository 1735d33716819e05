// Shared by the token-manager tests: the emulated org, a public client of it,
// a code + PKCE sign-in, token managers disposed after each test, and their events.
import { afterEach, beforeAll, beforeEach } from 'vitest'
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerEvents,
  type TokenManagerOptions,
} from '../../../src/browser/index.js'
import {
  type Client,
  type ClientOptions,
  clearDiscoveryCache,
  createClient,
  discover,
  type TokenSet,
} from '../../../src/index.js'
import { createOktaOrg, type OktaOrg } from '../../../src/testing/index.js'
import { server } from '../msw.js'

export const SPA = '0oaspa0000000000000'

/** The org and a client of it, as the hooks of {@link useOrgClient} leave them for a test. */
export interface OrgClient {
  readonly org: OktaOrg
  readonly client: Client
}

/**
 * One org for the file (its keys take a while to generate); before each test
 * its handlers are installed, its request counts cleared, and a new SPA client
 * is made from its discovery document with `clientOptions()` on top.
 */
export function useOrgClient(clientOptions: () => Partial<ClientOptions> = () => ({})): OrgClient {
  let org: OktaOrg | undefined
  let client: Client | undefined
  beforeAll(async () => {
    org = await createOktaOrg()
  })
  beforeEach(async () => {
    clearDiscoveryCache()
    server.use(...org!.handlers)
    org!.requestCounts.clear()
    client = createClient(await discover(org!.issuer()), {
      clientId: SPA,
      redirectUri: 'http://localhost:8080/callback',
      ...clientOptions(),
    })
  })
  return {
    get org() {
      return org!
    },
    get client() {
      return client!
    },
  }
}

/** A token manager factory with per-test `defaults`; every manager is disposed after its test. */
export function useManagers(
  defaults: () => Partial<TokenManagerOptions> & Pick<TokenManagerOptions, 'client'>,
) {
  const managers: TokenManager[] = []
  afterEach(() => {
    for (const manager of managers.splice(0)) manager.dispose()
  })
  return (options: Partial<TokenManagerOptions> = {}): TokenManager => {
    const m = createTokenManager({ ...defaults(), ...options })
    managers.push(m)
    return m
  }
}

/** Sign in through code + PKCE: tokens with a refresh token, expiring in an hour. */
export async function signIn(client: Client): Promise<TokenSet> {
  const { url, transaction } = await client.authorizationUrl({
    scope: 'openid profile offline_access',
  })
  const response = await fetch(url, { redirect: 'manual' })
  const tokens = await client.handleCallback(response.headers.get('location')!, transaction)
  if (tokens.accessToken === undefined) throw new Error('no access token')
  return tokens as TokenSet
}

/** Every `type` event of `m` from now on, in order. */
export function record<K extends keyof TokenManagerEvents>(m: TokenManager, type: K) {
  const seen: TokenManagerEvents[K][] = []
  m.events.on(type, (payload) => seen.push(payload))
  return seen
}

/** The next `type` event of `m`. */
export function next<K extends keyof TokenManagerEvents>(m: TokenManager, type: K) {
  return new Promise<TokenManagerEvents[K]>((resolve) => {
    const off = m.events.on(type, (payload) => {
      off()
      resolve(payload)
    })
  })
}
