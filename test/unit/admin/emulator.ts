import { expect } from 'vitest'
import { type AdminClient, createAdminClient, OktaApiError } from '../../../src/admin/index.js'
import { type Client, createClient, discover, type TokenSet } from '../../../src/index.js'
import {
  createOktaOrg,
  DEFAULT_API_TOKEN,
  DEFAULT_CLIENTS,
  type OktaOrg,
  type OktaOrgOptions,
} from '../../../src/testing/index.js'
import { server } from '../msw.js'
import { CLIENT_ID, ORG, oauthClient, type ServiceKey, serviceKey } from './helpers.js'

// The admin client against the local org (msw): the emulator's handlers in
// front of the shared msw server, a service app for OAuth for Okta, and
// users' tokens from the org's token endpoints, so a test sees both sides of
// an operation: what the client sends and checks, and what the org does.

/** Every scope the service app is granted. */
export const ALL_SCOPES = [
  'okta.authorizationServers.read',
  'okta.authorizationServers.manage',
  'okta.apps.read',
  'okta.apps.manage',
]

/** The default web app (client_secret_basic) and the default user. */
export const WEB = '0oaweb0000000000000'
export const WEB_SECRET = 'web-app-secret-that-is-long-enough-for-hs256'
export const USER_ID = '00uid4BxXw6I6TV4m0g3'
const USER = { username: 'john.doe@example.com', password: 'correct horse battery staple' }

/** An emulated org with a service app for the admin client. */
export interface EmulatedOrg {
  org: OktaOrg
  key: ServiceKey
  /** An SSWS client with the org's API token. */
  admin: AdminClient
  /** An OAuth-for-Okta client configured with `scopes` (the app is granted {@link ALL_SCOPES}). */
  oauth(scopes: readonly string[]): AdminClient
  /** Put the org's handlers in front of the msw server (again, after a reset). */
  use(): void
}

/** Create an org whose service app ({@link CLIENT_ID}) may use every authorization-server and app scope. */
export async function emulatedOrg(options: OktaOrgOptions = {}): Promise<EmulatedOrg> {
  const key = await serviceKey()
  const org = await createOktaOrg({
    ...options,
    clients: [
      ...(options.clients ?? DEFAULT_CLIENTS),
      {
        clientId: CLIENT_ID,
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [{ ...key.publicJwk, alg: 'RS256', use: 'sig' }] },
        oktaScopes: ALL_SCOPES,
      },
    ],
  })
  const use = () => server.use(...org.handlers)
  use()
  return {
    org,
    key,
    admin: createAdminClient({ orgUrl: ORG, auth: { type: 'ssws', token: DEFAULT_API_TOKEN } }),
    oauth: (scopes) => oauthClient(key, scopes),
    use,
  }
}

/** The default web app, as a client of one of the org's servers (default: `default`). */
export async function webApp(org: OktaOrg, issuer = org.issuer()): Promise<Client> {
  return createClient(await discover(issuer, { cacheTtl: 0 }), {
    clientId: WEB,
    auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
  })
}

/** Tokens of the default user for the web app, with a refresh token (password grant). */
export async function userTokens(
  client: Client,
  scope = 'openid offline_access',
): Promise<TokenSet & { refreshToken: string }> {
  const tokens = await client.password({ ...USER, scope })
  expect(tokens.refreshToken).toBeTruthy()
  return tokens as TokenSet & { refreshToken: string }
}

/** Expect an Okta error body, as the org answers it, on an `OktaApiError`. */
export function expectOktaError(
  err: unknown,
  status: number,
  errorCode: string,
  fields: { errorSummary?: string | RegExp; causes?: string[] } = {},
): void {
  expect(err).toBeInstanceOf(OktaApiError)
  const e = err as OktaApiError
  expect(e).toMatchObject({ status, errorCode, errorLink: errorCode })
  expect(e.errorId).toMatch(/^oae\w{22}$/)
  if (fields.errorSummary !== undefined) {
    if (typeof fields.errorSummary === 'string') expect(e.errorSummary).toBe(fields.errorSummary)
    else expect(e.errorSummary).toMatch(fields.errorSummary)
  }
  if (fields.causes !== undefined) {
    expect(e.errorCauses.map((c) => c.errorSummary)).toEqual(fields.causes)
  }
}
