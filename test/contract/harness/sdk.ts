import { Client, OktaApiError } from '@okta/okta-sdk-nodejs'
import { expect } from 'vitest'
import { counted } from './calls.js'
import { API_TOKEN, type ContractOrg, SERVICE_APP } from './org.js'

// okta-sdk-nodejs clients for the contract org, configured as its README
// says: an SSWS API token, or OAuth for Okta (`authorizationMode:
// 'PrivateKey'`) with the service app's key as a PEM string or as a JWK.

/** How okta-sdk-nodejs authenticates. */
export type AuthMode = 'SSWS' | 'OAuth, PEM key' | 'OAuth, JWK key'

export const AUTH_MODES: readonly AuthMode[] = ['SSWS', 'OAuth, PEM key', 'OAuth, JWK key']

/** The API objects a test uses, each counted (see calls.ts). */
export interface OktaSdk {
  readonly client: Client
  readonly authorizationServers: Client['authorizationServerApi']
  readonly applications: Client['applicationApi']
  readonly resourceServerKeys: Client['oauth2ResourceServerCredentialsKeysApi']
}

/**
 * An okta-sdk-nodejs client.
 * @param org - The contract org.
 * @param mode - SSWS or OAuth for Okta with a PEM or JWK key.
 * @param scopes - The `okta.*` scopes an OAuth client asks for (one token for all of them).
 */
export function oktaSdk(org: ContractOrg, mode: AuthMode, scopes: readonly string[]): OktaSdk {
  const client =
    mode === 'SSWS'
      ? new Client({ orgUrl: org.url, token: API_TOKEN })
      : new Client({
          orgUrl: org.url,
          authorizationMode: 'PrivateKey',
          clientId: SERVICE_APP,
          scopes: [...scopes],
          // A PEM carries no key id: okta-sdk-nodejs then takes `keyId`.
          ...(mode === 'OAuth, PEM key'
            ? { privateKey: org.pemKey, keyId: 'pem-key' }
            : { privateKey: { ...org.jwkKey } }),
        })
  return {
    client,
    authorizationServers: counted(`okta-sdk-nodejs (${mode})`, client.authorizationServerApi),
    applications: counted(`okta-sdk-nodejs (${mode})`, client.applicationApi),
    resourceServerKeys: counted(
      `okta-sdk-nodejs (${mode})`,
      client.oauth2ResourceServerCredentialsKeysApi,
    ),
  }
}

/**
 * Every item of an okta-sdk-nodejs `Collection` (it follows `Link: next`).
 * @param collection - What a `list…` call resolved to.
 * @param max - A bound, so a pagination loop cannot run forever.
 */
export async function all<T>(collection: AsyncIterable<T | null>, max = 1_000): Promise<T[]> {
  const items: T[] = []
  for await (const item of collection) {
    // Its iterator's type allows null; it yields none before it is done.
    if (item === null) throw new Error('okta-sdk-nodejs yielded null')
    items.push(item)
    if (items.length > max) throw new Error(`more than ${max} items: a pagination loop?`)
  }
  return items
}

/** The scopes OAuth for Okta asks for to read and manage authorization servers. */
export const SERVER_SCOPES = ['okta.authorizationServers.read', 'okta.authorizationServers.manage']

/** What a rejected okta-sdk-nodejs call threw, to assert Okta's error body on it. */
export async function refusal(promise: Promise<unknown>): Promise<OktaApiError> {
  const err = await promise.then(
    () => expect.unreachable('the call should have been refused'),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(OktaApiError)
  return err as OktaApiError
}

/** A server of its own for a test, created with okta-sdk-nodejs; its id. */
export async function newServer(sdk: OktaSdk, name: string): Promise<string> {
  const server = await sdk.authorizationServers.createAuthorizationServer({
    authorizationServer: {
      name,
      description: name,
      audiences: [`api://${name.replace(/\W+/g, '-')}`],
    },
  })
  return server.id!
}

/** What {@link openPolicy} creates: one policy for some clients, one rule for some grant types. */
export interface OpenPolicy {
  /** The policy's clients: `ALL_CLIENTS` or client ids. */
  clients: string[]
  /** The rule's grant types. */
  grantTypes: string[]
  /** The policy's and rule's names. */
  name: string
  /** The policy's description, when it has one (today's API needs none). */
  description?: string
  /** Default: 60. */
  accessTokenLifetimeMinutes?: number
}

/**
 * A policy and a rule, created with okta-sdk-nodejs, so that a server
 * issues tokens: every person, every scope, refresh tokens for a week.
 * @returns The policy's id.
 */
export async function openPolicy(
  api: OktaSdk['authorizationServers'],
  authServerId: string,
  p: OpenPolicy,
): Promise<string> {
  const policy = await api.createAuthorizationServerPolicy({
    authServerId,
    policy: {
      type: 'OAUTH_AUTHORIZATION_POLICY',
      name: p.name,
      ...(p.description !== undefined && { description: p.description }),
      priority: 1,
      conditions: { clients: { include: p.clients } },
    },
  })
  await api.createAuthorizationServerPolicyRule({
    authServerId,
    policyId: policy.id!,
    policyRule: {
      type: 'RESOURCE_ACCESS',
      name: p.name,
      priority: 1,
      conditions: {
        people: { groups: { include: ['EVERYONE'] } },
        grantTypes: { include: p.grantTypes },
        scopes: { include: ['*'] },
      },
      actions: {
        token: {
          accessTokenLifetimeMinutes: p.accessTokenLifetimeMinutes ?? 60,
          refreshTokenLifetimeMinutes: 0,
          refreshTokenWindowMinutes: 10_080,
        },
      },
    },
  })
  return policy.id!
}
