import { beforeEach, describe, expect, it } from 'vitest'
import { discover } from '../../../src/index.js'
import { createOktaOrg, InvalidOptionError, type OktaOrg } from '../../../src/testing/index.js'
import { createVerifier } from '../../../src/verifier/node.js'
import { basic, clientOf, jwt, postForm, sharedOrg, useOrg, WEB, WEB_SECRET } from './helpers.js'
import {
  ADMIN_APP,
  API,
  allowAll,
  api,
  bearer,
  createServer,
  expectOktaError,
  OPTIONS,
  ORG,
  orgToken,
  unique,
} from './management-helpers.js'

describe('keys', () => {
  it("lists the keys in rotation with status and links, as a bare array (today's API)", async () => {
    const org = await useOrg(OPTIONS)
    const answer = await api('GET', '/authorizationServers/default/credentials/keys')
    expect(answer.status).toBe(200)
    expect(Array.isArray(answer.body)).toBe(true)
    expect(answer.body.map((k: { status: string }) => k.status)).toEqual(['ACTIVE', 'NEXT'])
    const [active] = answer.body
    expect(active).toMatchObject({
      status: 'ACTIVE',
      alg: 'RS256',
      kty: 'RSA',
      use: 'sig',
      e: 'AQAB',
      kid: org.activeKid(),
      _links: {
        self: {
          href: `${API}/authorizationServers/default/credentials/keys/${org.activeKid()}`,
          hints: { allow: ['GET'] },
        },
      },
    })
    expect(active.d).toBeUndefined()
    expect(
      (await api('GET', `/authorizationServers/default/credentials/keys/${active.kid}`)).body,
    ).toEqual(active)
  })

  it('rotates like org.rotateKeys and refuses a use other than sig', async () => {
    const org = await useOrg(OPTIONS)
    const before = (await api('GET', '/authorizationServers/default/credentials/keys')).body
    const rotated = await api(
      'POST',
      '/authorizationServers/default/credentials/lifecycle/keyRotate',
      {
        use: 'sig',
      },
    )
    expect(rotated.status).toBe(200)
    // A bare array, as today's API answers (Okta's Node SDK iterates it).
    expect(Array.isArray(rotated.body)).toBe(true)
    const keys = rotated.body as { kid: string; status: string }[]
    expect(keys.map((k) => k.status)).toEqual(['ACTIVE', 'NEXT', 'EXPIRED'])
    expect(keys[0]!.kid).toBe(before[1].kid)
    expect(keys[2]!.kid).toBe(before[0].kid)
    expect(org.activeKid()).toBe(before[1].kid)
    const published = (await (await fetch(`${org.issuer()}/v1/keys`)).json()) as {
      keys: { kid: string }[]
    }
    expect(published.keys.map((k) => k.kid).sort()).toEqual(keys.map((k) => k.kid).sort())
    const server = (await api('GET', '/authorizationServers/default')).body
    expect(server.credentials.signing.kid).toBe(before[1].kid)
    // Without a body too; the oldest expired key is dropped.
    const again = await api('POST', '/authorizationServers/default/credentials/lifecycle/keyRotate')
    expect(again.body.map((k: { kid: string }) => k.kid)).not.toContain(before[0].kid)

    const refused = await api(
      'POST',
      '/authorizationServers/default/credentials/lifecycle/keyRotate',
      {
        use: 'enc',
      },
    )
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: rotateKeys',
      errorLink: 'E0000001',
      errorCauses: [{ errorSummary: "Invalid value specified for key 'use' parameter." }],
    })
    expect(org.activeKid()).toBe(again.body[0].kid)
  })
})

describe('app grants', () => {
  const shared = sharedOrg(() => OPTIONS)
  let org: OktaOrg
  beforeEach(() => {
    org = shared()
  })

  it("lists an app's grants, grants a scope the app can then request, and revokes it", async () => {
    const app = ADMIN_APP.clientId
    const base = `/apps/${app}/grants`
    const list = await api('GET', base)
    expect(list.body.map((g: { scopeId: string }) => g.scopeId)).toEqual(ADMIN_APP.oktaScopes)
    expect(list.body[0]).toMatchObject({
      id: expect.stringMatching(/^oag[A-Za-z0-9]{17}$/),
      issuer: ORG,
      clientId: app,
      status: 'ACTIVE',
      _links: { self: { href: `${API}${base}/${list.body[0].id}` } },
    })
    // Ids are stable.
    expect((await api('GET', base)).body[0].id).toBe(list.body[0].id)

    const refused = await postForm(
      `${ORG}/oauth2/v1/token`,
      { grant_type: 'client_credentials', scope: 'okta.users.read' },
      basic(app, ADMIN_APP.clientSecret!),
    )
    expect(refused.status).toBe(400)

    const granted = await api('POST', base, { scopeId: 'okta.users.read', issuer: ORG })
    expect(granted.status).toBe(201)
    expect(granted.body).toMatchObject({
      scopeId: 'okta.users.read',
      issuer: ORG,
      clientId: app,
      source: 'ADMIN',
      // As today's API embeds it.
      _embedded: { scope: { id: 'okta.users.read' } },
    })
    expect((await api('GET', `${base}/${granted.body.id}`)).body).toEqual(granted.body)
    expect(org.clients.get(app)!.oktaScopes).toContain('okta.users.read')
    const token = await orgToken(ADMIN_APP, 'okta.users.read')
    expect(jwt(token).claims.scp).toEqual(['okta.users.read'])

    expectOktaError(
      await api('POST', base, { scopeId: 'okta.users.read', issuer: ORG }),
      400,
      'E0000001',
    )
    expect((await api('DELETE', `${base}/${granted.body.id}`)).status).toBe(204)
    expect(org.clients.get(app)!.oktaScopes).not.toContain('okta.users.read')
    expectOktaError(await api('GET', `${base}/${granted.body.id}`), 404, 'E0000007')
    const after = await postForm(
      `${ORG}/oauth2/v1/token`,
      { grant_type: 'client_credentials', scope: 'okta.users.read' },
      basic(app, ADMIN_APP.clientSecret!),
    )
    expect(after.status).toBe(400)
  })

  it("validates grants and needs okta.appGrants scopes (today's API), not okta.apps", async () => {
    const base = `/apps/${WEB}/grants`
    for (const [body, field] of [
      [{ scopeId: 'okta.users.read', issuer: 'https://other.okta.com' }, 'issuer'],
      [{ scopeId: 'orders:read', issuer: ORG }, 'scopeId'],
      [{ issuer: ORG }, 'scopeId'],
    ] as const) {
      const answer = await api('POST', base, body)
      expectOktaError(answer, 400, 'E0000001')
      expect(answer.body.errorSummary).toBe(`Api validation failed: ${field}`)
    }
    expect((await api('GET', base)).body).toEqual([])
    expectOktaError(
      await api('POST', '/apps/0oanosuch/grants', { scopeId: 'okta.users.read', issuer: ORG }),
      404,
      'E0000007',
    )
    const read = await orgToken(ADMIN_APP, 'okta.appGrants.read')
    expect((await api('GET', base, undefined, bearer(read))).status).toBe(200)
    expectOktaError(
      await api('POST', base, { scopeId: 'okta.users.read', issuer: ORG }, bearer(read)),
      403,
      'E0000006',
    )
    // okta.apps.* is for apps and their tokens: it does not cover grants.
    const apps = await orgToken(ADMIN_APP, 'okta.apps.manage')
    const denied = await api('GET', base, undefined, bearer(apps))
    expectOktaError(denied, 403, 'E0000006')
    expect(denied.headers.get('www-authenticate')).toContain('scope="okta.appGrants.read"')
    const manage = await orgToken(ADMIN_APP, 'okta.appGrants.manage')
    const granted = await api(
      'POST',
      base,
      { scopeId: 'okta.users.read', issuer: ORG },
      bearer(manage),
    )
    expect(granted.status).toBe(201)
    expect(
      (await api('DELETE', `${base}/${granted.body.id}`, undefined, bearer(manage))).status,
    ).toBe(204)
  })
})

describe('rate limiting and misbehaviour', () => {
  it('is off by default, but every answer has a Date on the org clock', async () => {
    const org = await useOrg(OPTIONS)
    org.advanceClock(3_600)
    const answer = await api('GET', '/authorizationServers')
    expect(answer.headers.get('x-rate-limit-limit')).toBeNull()
    const date = Date.parse(answer.headers.get('date')!)
    expect(Math.abs(date / 1000 - org.now())).toBeLessThanOrEqual(1)
    expect(answer.headers.get('x-okta-request-id')).toBeTruthy()
  })

  it('sends the rate-limit headers and answers 429 E0000047 beyond the limit', async () => {
    const org = await useOrg({ ...OPTIONS, rateLimit: { limit: 3, windowSeconds: 60 } })
    const start = org.now()
    const remaining: (string | null)[] = []
    const resets = new Set<string | null>()
    for (let i = 0; i < 3; i++) {
      const answer = await api('GET', '/authorizationServers/default')
      expect(answer.status).toBe(200)
      expect(answer.headers.get('x-rate-limit-limit')).toBe('3')
      resets.add(answer.headers.get('x-rate-limit-reset'))
      remaining.push(answer.headers.get('x-rate-limit-remaining'))
    }
    // The window starts at its first request, on the org's clock.
    expect(resets.size).toBe(1)
    const [reset] = resets
    expect(Number(reset) - start).toBeGreaterThanOrEqual(60)
    expect(Number(reset) - start).toBeLessThanOrEqual(61)
    expect(remaining).toEqual(['2', '1', '0'])
    // Errors count too, and carry the headers.
    const limited = await api('GET', '/authorizationServers', undefined, {})
    expectOktaError(limited, 429, 'E0000047')
    expect(limited.body.errorSummary).toBe('API call exceeded rate limit due to too many requests.')
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0')
    expect(limited.headers.get('x-rate-limit-reset')).toBe(reset)
    expect(Date.parse(limited.headers.get('date')!) / 1000).toBeLessThanOrEqual(Number(reset))

    org.advanceClock(61)
    const before = org.now()
    const next = await api('GET', '/authorizationServers')
    expect(next.status).toBe(200)
    expect(next.headers.get('x-rate-limit-remaining')).toBe('2')
    expect(Number(next.headers.get('x-rate-limit-reset')) - before).toBeGreaterThanOrEqual(60)
    expect(Number(next.headers.get('x-rate-limit-reset')) - before).toBeLessThanOrEqual(61)
    expect(org.requestCount('api')).toBe(5)
    await expect(createOktaOrg({ rateLimit: { limit: 0 } })).rejects.toBeInstanceOf(
      InvalidOptionError,
    )
  })

  it('honours misbehave("api") and counts requests', async () => {
    const org = await useOrg(OPTIONS)
    org.misbehave('api', {
      status: 429,
      headers: { 'x-rate-limit-reset': '12345' },
      body: { errorCode: 'E0000047', errorSummary: 'scripted' },
    })
    const scripted = await api('GET', '/authorizationServers')
    expect(scripted.status).toBe(429)
    expect(scripted.body.errorSummary).toBe('scripted')
    expect(scripted.headers.get('x-rate-limit-reset')).toBe('12345')
    expect((await api('GET', '/authorizationServers')).status).toBe(200)
    expect(org.requestCount('api')).toBe(2)
    // Other endpoints' counts are not touched.
    expect(org.requestCount('token')).toBe(0)
  })
})

describe('a server created through the API, end to end', () => {
  it('issues tokens the verifier accepts, before and after keyRotate', async () => {
    const org = await useOrg(OPTIONS)
    const created = await createServer(unique('E2E'), ['api://e2e'])
    const { id, issuer } = created.body
    await allowAll(id)
    await api('POST', `/authorizationServers/${id}/scopes`, { name: 'e2e:read' })

    const metadata = await discover(issuer)
    expect(metadata.issuer).toBe(issuer)
    const client = await clientOf(
      org,
      { clientId: WEB, auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET } },
      issuer,
    )
    const verifier = createVerifier({ issuer, audience: 'api://e2e' })
    const first = await client.clientCredentials({ scope: 'e2e:read' })
    const verified = await verifier.verifyAccessToken(first.accessToken!, { scopes: ['e2e:read'] })
    expect(verified).toMatchObject({ issuer, clientId: WEB, scopes: ['e2e:read'] })
    expect(verified.header?.kid).toBe(org.activeKid(id))

    const rotated = await api(
      'POST',
      `/authorizationServers/${id}/credentials/lifecycle/keyRotate`,
      {
        use: 'sig',
      },
    )
    const newKid = rotated.body[0].kid
    expect(newKid).toBe(org.activeKid(id))
    const second = await client.clientCredentials({ scope: 'e2e:read' })
    expect(jwt(second.accessToken!).header.kid).toBe(newKid)
    expect((await verifier.verifyAccessToken(second.accessToken!)).header?.kid).toBe(newKid)
    // Tokens of the now EXPIRED key still verify while it is published.
    expect((await verifier.verifyAccessToken(first.accessToken!)).clientId).toBe(WEB)
  })
})
