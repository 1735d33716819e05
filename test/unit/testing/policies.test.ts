import { beforeEach, describe, expect, it } from 'vitest'
import { OAuthResponseError } from '../../../src/index.js'
import { DEFAULT_CLIENTS, DEFAULT_USERS, type OktaOrg } from '../../../src/testing/index.js'
import {
  ALICE,
  type ApiAnswer,
  basic,
  jwt,
  managementApi,
  postForm,
  redirectParams,
  SPA,
  SPA_REDIRECT,
  USER,
  useOrg,
  visit,
  WEB,
  WEB_SECRET,
  web,
} from './helpers.js'

// Access policies of custom authorization servers, evaluated by the emulator
// the way Okta does: policies by priority (clients), then rules by priority
// (grant type, scopes, people); the first match applies its token lifetimes;
// no match is "Policy evaluation failed".

const DENIED = 'Policy evaluation failed for this request, please check the policy configurations.'
const GRANTS = ['client_credentials', 'authorization_code', 'implicit', 'password']

/** A management API call that must succeed; its JSON body. */
async function api(method: string, path: string, body?: unknown): Promise<ApiAnswer['body']> {
  const answer = await managementApi(method, path, body)
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300)
  return answer.body
}

interface RuleSpec {
  name?: string
  grantTypes?: string[]
  scopes?: string[]
  people?: {
    users?: { include?: string[]; exclude?: string[] }
    groups?: { include?: string[]; exclude?: string[] }
  }
  token?: Record<string, number>
  priority?: number
}

async function policy(
  serverId: string,
  clients: { include: string[]; exclude?: string[] } = { include: ['ALL_CLIENTS'] },
  priority?: number,
): Promise<string> {
  const created = await api('POST', `/authorizationServers/${serverId}/policies`, {
    type: 'OAUTH_AUTHORIZATION_POLICY',
    name: `Policy for ${clients.include.join(', ')}`,
    description: 'test policy',
    conditions: { clients },
    ...(priority !== undefined && { priority }),
  })
  return created.id
}

async function rule(serverId: string, policyId: string, spec: RuleSpec = {}): Promise<string> {
  const created = await api(
    'POST',
    `/authorizationServers/${serverId}/policies/${policyId}/rules`,
    {
      type: 'RESOURCE_ACCESS',
      name: spec.name ?? 'rule',
      conditions: {
        people: spec.people ?? { groups: { include: ['EVERYONE'] } },
        grantTypes: { include: spec.grantTypes ?? GRANTS },
        scopes: { include: spec.scopes ?? ['*'] },
      },
      ...(spec.token && { actions: { token: spec.token } }),
      ...(spec.priority !== undefined && { priority: spec.priority }),
    },
  )
  return created.id
}

/** A server created through the API, with the given scopes (and no policy yet). */
async function newServer(...scopes: string[]): Promise<{ id: string; issuer: string }> {
  const server = await api('POST', '/authorizationServers', {
    name: `Policies ${Math.random().toString(36).slice(2)}`,
    description: 'policy evaluation',
    audiences: ['api://policies'],
  })
  for (const name of scopes)
    await api('POST', `/authorizationServers/${server.id}/scopes`, { name })
  return { id: server.id, issuer: server.issuer }
}

interface TokenAnswer {
  status: number
  body: {
    access_token?: string
    refresh_token?: string
    expires_in?: number
    error?: string
    error_description?: string
  }
}

async function token(
  issuer: string,
  form: Record<string, string>,
  clientId = WEB,
  secret = WEB_SECRET,
): Promise<TokenAnswer> {
  const response = await postForm(`${issuer}/v1/token`, form, basic(clientId, secret))
  return { status: response.status, body: await response.json() }
}

const credentials = (issuer: string, scope: string, clientId?: string, secret?: string) =>
  token(issuer, { grant_type: 'client_credentials', scope }, clientId, secret)
const password = (
  issuer: string,
  scope: string,
  user: { username: string; password: string } = USER,
) => token(issuer, { grant_type: 'password', scope, ...user })

/** The lifetime of an access token from its claims. */
const lifetimeOf = (accessToken: string) => {
  const { exp, iat } = jwt(accessToken).claims as { exp: number; iat: number }
  return exp - iat
}

function expectDenied(answer: TokenAnswer): void {
  expect(answer.status).toBe(400)
  expect(answer.body).toEqual({ error: 'access_denied', error_description: DENIED })
}

/** A second confidential client with every grant. */
const OTHER = {
  clientId: '0oaother000000000000',
  clientSecret: 'other-secret-that-is-long-enough-for-hs256',
}

let org: OktaOrg
beforeEach(async () => {
  org = await useOrg({
    clients: [
      ...DEFAULT_CLIENTS,
      { ...OTHER, grantTypes: ['client_credentials', 'password', 'refresh_token'] },
    ],
    users: [...DEFAULT_USERS, ALICE],
    tokenLifetime: 120,
  })
})

describe('a server created through the API', () => {
  it('has no policy: every grant is refused with access_denied until one is added', async () => {
    const { id, issuer } = await newServer('orders:read')
    expect(await api('GET', `/authorizationServers/${id}/policies`)).toEqual([])
    expectDenied(await credentials(issuer, 'orders:read'))
    expectDenied(await password(issuer, 'openid orders:read'))

    // The authorization endpoint answers through the redirect, with the state.
    const url = new URL(`${issuer}/v1/authorize`)
    url.search = new URLSearchParams({
      client_id: SPA,
      redirect_uri: SPA_REDIRECT,
      response_type: 'code',
      scope: 'openid orders:read',
      state: 'st-1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString()
    const params = redirectParams(await visit(url))
    expect(Object.fromEntries(params)).toEqual({
      error: 'access_denied',
      error_description: DENIED,
      state: 'st-1',
    })
    // The SDK surfaces it as a typed error.
    const client = await web(org, {}, issuer)
    const error = await client.clientCredentials({ scope: 'orders:read' }).catch((e) => e)
    expect(error).toBeInstanceOf(OAuthResponseError)
    expect(error).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', error: 'access_denied', status: 400 })

    const p = await policy(id)
    await rule(id, p)
    expect((await credentials(issuer, 'orders:read')).status).toBe(200)
    const url2 = new URL(url)
    url2.searchParams.set('state', 'st-2')
    expect(redirectParams(await visit(url2)).get('code')).toBeTruthy()
  })
})

describe('policies: which clients', () => {
  it('a policy applies to the clients it includes, not to excluded ones', async () => {
    const { id, issuer } = await newServer('orders:read')
    await rule(id, await policy(id, { include: [OTHER.clientId] }))
    expectDenied(await credentials(issuer, 'orders:read'))
    expect(
      (await credentials(issuer, 'orders:read', OTHER.clientId, OTHER.clientSecret)).status,
    ).toBe(200)

    await rule(id, await policy(id, { include: ['ALL_CLIENTS'], exclude: [WEB] }))
    expectDenied(await credentials(issuer, 'orders:read'))
  })

  it('inactive policies and rules are skipped; evaluation moves on to the next', async () => {
    const { id, issuer } = await newServer('orders:read')
    const first = await policy(id)
    const firstRule = await rule(id, first, { token: { accessTokenLifetimeMinutes: 5 } })
    const second = await policy(id)
    await rule(id, second, { token: { accessTokenLifetimeMinutes: 30 } })
    const lifetime = async () => {
      const answer = await credentials(issuer, 'orders:read')
      expect(answer.status).toBe(200)
      return lifetimeOf(answer.body.access_token!)
    }
    expect(await lifetime()).toBe(300)
    await api(
      'POST',
      `/authorizationServers/${id}/policies/${first}/rules/${firstRule}/lifecycle/deactivate`,
    )
    expect(await lifetime()).toBe(1800)
    await api(
      'POST',
      `/authorizationServers/${id}/policies/${first}/rules/${firstRule}/lifecycle/activate`,
    )
    await api('POST', `/authorizationServers/${id}/policies/${first}/lifecycle/deactivate`)
    expect(await lifetime()).toBe(1800)
    await api('POST', `/authorizationServers/${id}/policies/${second}/lifecycle/deactivate`)
    expectDenied(await credentials(issuer, 'orders:read'))
  })

  it('policies, and rules within a policy, are evaluated in priority order, whatever the creation order', async () => {
    const { id, issuer } = await newServer('orders:read')
    await rule(id, await policy(id), { token: { accessTokenLifetimeMinutes: 30 } })
    await rule(id, await policy(id, undefined, 1), { token: { accessTokenLifetimeMinutes: 10 } })
    const answer = await credentials(issuer, 'orders:read')
    expect(answer.body.expires_in).toBe(600)
    expect(lifetimeOf(answer.body.access_token!)).toBe(600)

    // And rules within a policy.
    const { id: id2, issuer: issuer2 } = await newServer('orders:read')
    const p = await policy(id2)
    await rule(id2, p, { name: 'second', token: { accessTokenLifetimeMinutes: 20 } })
    await rule(id2, p, { name: 'first', priority: 1, token: { accessTokenLifetimeMinutes: 6 } })
    expect((await credentials(issuer2, 'orders:read')).body.expires_in).toBe(360)
  })
})

describe('rules: grant types, scopes and people', () => {
  it('a rule covers only its grant types', async () => {
    const { id, issuer } = await newServer('orders:read')
    await rule(id, await policy(id), { grantTypes: ['client_credentials'] })
    expect((await credentials(issuer, 'orders:read')).status).toBe(200)
    expectDenied(await password(issuer, 'openid orders:read'))
  })

  it('a rule matches only when it covers every requested scope; the next rule is tried', async () => {
    const { id, issuer } = await newServer('orders:read', 'orders:write')
    const p = await policy(id)
    await rule(id, p, {
      name: 'read',
      scopes: ['orders:read'],
      token: { accessTokenLifetimeMinutes: 5 },
    })
    expectDenied(await credentials(issuer, 'orders:read orders:write'))
    expect(lifetimeOf((await credentials(issuer, 'orders:read')).body.access_token!)).toBe(300)

    await rule(id, p, { name: 'any', token: { accessTokenLifetimeMinutes: 15 } })
    const both = await credentials(issuer, 'orders:read orders:write')
    expect(both.status).toBe(200)
    expect(lifetimeOf(both.body.access_token!)).toBe(900)
    // Scope entries may be objects, as Okta lists them.
    const { id: id2, issuer: issuer2 } = await newServer('orders:read')
    const created = await api(
      'POST',
      `/authorizationServers/${id2}/policies/${await policy(id2)}/rules`,
      {
        name: 'objects',
        conditions: {
          grantTypes: { include: ['client_credentials'] },
          scopes: { include: [{ name: 'orders:read', access: 'ALLOW' }] },
        },
      },
    )
    expect(created.conditions.scopes.include).toEqual([{ name: 'orders:read', access: 'ALLOW' }])
    expect((await credentials(issuer2, 'orders:read')).status).toBe(200)
  })

  it('people: groups and users included or excluded; client credentials ignore people', async () => {
    const { id, issuer } = await newServer('orders:read')
    const alice = { username: ALICE.login, password: ALICE.password }
    const p = await policy(id)
    await rule(id, p, { people: { groups: { include: ['Admins'] } } })
    expect((await password(issuer, 'openid orders:read', alice)).status).toBe(200)
    expectDenied(await password(issuer, 'openid orders:read'))
    // No user: the people condition does not apply.
    expect((await credentials(issuer, 'orders:read')).status).toBe(200)

    const { id: id2, issuer: issuer2 } = await newServer('orders:read')
    await rule(id2, await policy(id2), {
      people: { users: { include: [USER.username] }, groups: { include: [], exclude: [] } },
    })
    expect((await password(issuer2, 'openid orders:read')).status).toBe(200)
    expectDenied(await password(issuer2, 'openid orders:read', alice))

    const { id: id3, issuer: issuer3 } = await newServer('orders:read')
    await rule(id3, await policy(id3), {
      people: { users: { include: [], exclude: [ALICE.id] }, groups: { include: ['EVERYONE'] } },
    })
    expect((await password(issuer3, 'openid orders:read')).status).toBe(200)
    expectDenied(await password(issuer3, 'openid orders:read', alice))
  })
})

describe('token lifetimes', () => {
  it('the matched rule sets the access token lifetime for every grant, the ID token stays at the org default', async () => {
    const { id, issuer } = await newServer('orders:read')
    await rule(id, await policy(id), { token: { accessTokenLifetimeMinutes: 7 } })
    const cc = await credentials(issuer, 'orders:read')
    expect(cc.body.expires_in).toBe(420)
    const pw = await password(issuer, 'openid orders:read')
    expect(pw.body.expires_in).toBe(420)
    expect(lifetimeOf(pw.body.access_token!)).toBe(420)
    expect(lifetimeOf((pw.body as { id_token: string }).id_token)).toBe(120)

    // Implicit: the fragment carries the rule's lifetime.
    const url = new URL(`${issuer}/v1/authorize`)
    url.search = new URLSearchParams({
      client_id: SPA,
      redirect_uri: SPA_REDIRECT,
      response_type: 'id_token token',
      scope: 'openid orders:read',
      state: 'st',
      nonce: 'n-1',
    }).toString()
    const params = redirectParams(await visit(url))
    expect(params.get('expires_in')).toBe('420')
    expect(lifetimeOf(params.get('access_token')!)).toBe(420)
  })

  it('the refresh token idle window and absolute lifetime come from the rule', async () => {
    const { id, issuer } = await newServer('orders:read')
    await rule(id, await policy(id), {
      token: {
        accessTokenLifetimeMinutes: 5,
        refreshTokenLifetimeMinutes: 60,
        refreshTokenWindowMinutes: 20,
      },
    })
    const first = await password(issuer, 'openid offline_access orders:read')
    let refresh = first.body.refresh_token!
    expect(refresh).toBeTruthy()
    const use = async () => token(issuer, { grant_type: 'refresh_token', refresh_token: refresh })
    // Used within its window twice (rotated each time): still valid at 38 minutes.
    for (const _ of [1, 2]) {
      org.advanceClock(19 * 60)
      const answer = await use()
      expect(answer.status).toBe(200)
      expect(answer.body.expires_in).toBe(300)
      refresh = answer.body.refresh_token!
    }
    // Idle for 21 minutes: expired.
    org.advanceClock(21 * 60)
    expect((await use()).body.error).toBe('invalid_grant')

    // The absolute lifetime: 60 minutes from the first token, however often it is used.
    refresh = (await password(issuer, 'openid offline_access orders:read')).body.refresh_token!
    for (const _ of [1, 2, 3]) {
      org.advanceClock(19 * 60)
      const answer = await use()
      expect(answer.status).toBe(200)
      refresh = answer.body.refresh_token!
    }
    org.advanceClock(4 * 60)
    expect((await use()).body.error).toBe('invalid_grant')
  })

  it('a refresh is evaluated again, for the grant the tokens came from', async () => {
    const { id, issuer } = await newServer('orders:read')
    const p = await policy(id)
    const r = await rule(id, p, { grantTypes: ['password'] })
    const first = await password(issuer, 'openid offline_access orders:read')
    const refresh = first.body.refresh_token!
    const answer = await token(issuer, { grant_type: 'refresh_token', refresh_token: refresh })
    expect(answer.status).toBe(200)
    await api('POST', `/authorizationServers/${id}/policies/${p}/rules/${r}/lifecycle/deactivate`)
    expectDenied(
      await token(issuer, {
        grant_type: 'refresh_token',
        refresh_token: answer.body.refresh_token!,
      }),
    )
  })

  it("configured servers keep the org's lifetimes under the built-in rule until it is updated", async () => {
    const before = await password(org.issuer(), 'openid')
    expect(before.body.expires_in).toBe(120)
    const [defaultPolicy] = await api('GET', '/authorizationServers/default/policies')
    const [builtIn] = await api(
      'GET',
      `/authorizationServers/default/policies/${defaultPolicy.id}/rules`,
    )
    await api(
      'PUT',
      `/authorizationServers/default/policies/${defaultPolicy.id}/rules/${builtIn.id}`,
      {
        name: builtIn.name,
        conditions: builtIn.conditions,
        actions: { token: { accessTokenLifetimeMinutes: 10 } },
      },
    )
    const after = await password(org.issuer(), 'openid')
    expect(after.body.expires_in).toBe(600)
  })
})
