import { HttpResponse, http, passthrough } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createOktaOrg,
  InvalidOptionError,
  type OktaOrg,
  startOktaOrg,
} from '../../../src/testing/index.js'
import { server } from '../msw.js'
import { basic, postForm, SPA, sharedOrg, USER, useOrg, WEB, WEB_SECRET } from './helpers.js'

/** An origin of the default clients' redirect URIs (the SPA's). */
const TRUSTED = 'http://localhost:8080'
/** The origin of a dev server no client redirects to. */
const UNTRUSTED = 'http://127.0.0.1:5173'

const shared = sharedOrg()
let org: OktaOrg
beforeEach(() => {
  org = shared()
  org.behave()
})

function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers })
}

function preflightOf(
  url: string,
  origin: string,
  method = 'POST',
  requestHeaders = 'authorization, content-type, dpop',
): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': requestHeaders,
    },
  })
}

/** A password grant of the web app (a form the SPA would never send, but a real token). */
function passwordGrant(o: OktaOrg, origin?: string, password = USER.password): Promise<Response> {
  return postForm(
    `${o.issuer()}/v1/token`,
    { grant_type: 'password', username: USER.username, password, scope: 'openid profile' },
    { ...basic(WEB, WEB_SECRET), ...(origin && { origin }) },
  )
}

async function accessToken(o: OktaOrg): Promise<string> {
  const res = await passwordGrant(o)
  expect(res.status).toBe(200)
  return ((await res.json()) as { access_token: string }).access_token
}

/** The CORS headers a trusted origin gets, and nothing for the others. */
function expectAllowed(res: Response, origin: string): void {
  expect(res.headers.get('access-control-allow-origin')).toBe(origin)
  expect(res.headers.get('vary')).toBe('Origin')
  expect(res.headers.get('access-control-allow-credentials')).toBeNull()
}

function expectNoCors(res: Response): void {
  for (const name of [
    'access-control-allow-origin',
    'access-control-allow-methods',
    'access-control-allow-headers',
    'access-control-expose-headers',
    'access-control-max-age',
    'access-control-allow-credentials',
    'vary',
  ]) {
    expect(res.headers.get(name), name).toBeNull()
  }
}

describe('trusted origins', () => {
  it('default to the origins of every client redirect and post-logout redirect URI', () => {
    expect([...org.trustedOrigins].sort()).toEqual([
      'http://127.0.0.1:3000',
      'http://127.0.0.1:7777',
      'http://127.0.0.1:8080',
      'http://localhost:3000',
      'http://localhost:7777',
      'http://localhost:8080',
    ])
  })

  it('come from the clients given, skipping URIs without an origin', async () => {
    const o = await createOktaOrg({
      clients: [
        {
          clientId: '0oanative00000000000',
          redirectUris: ['com.example.app:/callback', 'https://app.example.com:8443/cb'],
          postLogoutRedirectUris: ['https://logout.example.com/bye'],
        },
      ],
    })
    expect([...o.trustedOrigins].sort()).toEqual([
      'https://app.example.com:8443',
      'https://logout.example.com',
    ])
  })

  it('the option replaces the default; URLs are reduced to their origin', async () => {
    const o = await createOktaOrg({ trustedOrigins: ['http://127.0.0.1:5173/', 'https://a.test'] })
    expect([...o.trustedOrigins].sort()).toEqual(['http://127.0.0.1:5173', 'https://a.test'])
    const none = await createOktaOrg({ trustedOrigins: [] })
    expect(none.trustedOrigins.size).toBe(0)
  })

  it('an entry that is not an origin is an invalid option', async () => {
    await expect(createOktaOrg({ trustedOrigins: ['localhost:5173'] })).rejects.toThrow(
      InvalidOptionError,
    )
    await expect(createOktaOrg({ trustedOrigins: ['not a url'] })).rejects.toThrow(
      InvalidOptionError,
    )
  })

  it('an origin added later is trusted at once', async () => {
    const o = await useOrg()
    const before = await get(`${o.issuer()}/v1/keys`, { origin: UNTRUSTED })
    expectNoCors(before)
    o.trustedOrigins.add(UNTRUSTED)
    expectAllowed(await get(`${o.issuer()}/v1/keys`, { origin: UNTRUSTED }), UNTRUSTED)
    expect((await preflightOf(`${o.issuer()}/v1/token`, UNTRUSTED)).status).toBe(204)
    o.trustedOrigins.delete(UNTRUSTED)
    expectNoCors(await get(`${o.issuer()}/v1/keys`, { origin: UNTRUSTED }))
  })
})

describe('CORS responses for a trusted origin', () => {
  it('discovery, at custom and org issuers, both documents', async () => {
    for (const issuer of [org.issuer(), org.orgIssuer]) {
      for (const doc of ['openid-configuration', 'oauth-authorization-server']) {
        const res = await get(`${issuer}/.well-known/${doc}`, { origin: TRUSTED })
        expect(res.status).toBe(200)
        expectAllowed(res, TRUSTED)
        expect(res.headers.get('access-control-expose-headers')).toBeNull()
        expect(((await res.json()) as { issuer: string }).issuer).toBe(issuer)
      }
    }
  })

  it('a discovery 404 of an unknown server too', async () => {
    const res = await get(`${org.orgUrl}/oauth2/nope/.well-known/openid-configuration`, {
      origin: TRUSTED,
    })
    expect(res.status).toBe(404)
    expectAllowed(res, TRUSTED)
  })

  it('keys, of the custom and the org server', async () => {
    for (const base of [org.issuer(), `${org.orgUrl}/oauth2`]) {
      const res = await get(`${base}/v1/keys`, { origin: TRUSTED })
      expect(res.status).toBe(200)
      expectAllowed(res, TRUSTED)
      expect(res.headers.get('cache-control')).toBe('max-age=3832304, must-revalidate')
    }
  })

  it('token: a success exposes Date and DPoP-Nonce', async () => {
    const res = await passwordGrant(org, TRUSTED)
    expect(res.status).toBe(200)
    expectAllowed(res, TRUSTED)
    expect(res.headers.get('access-control-expose-headers')).toBe('Date, DPoP-Nonce')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(((await res.json()) as { token_type: string }).token_type).toBe('Bearer')
  })

  it('token: a 400 invalid_grant is readable', async () => {
    const res = await passwordGrant(org, TRUSTED, 'wrong')
    expect(res.status).toBe(400)
    expectAllowed(res, TRUSTED)
    expect(res.headers.get('access-control-expose-headers')).toBe('Date, DPoP-Nonce')
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant')
  })

  it('token: a scripted misbehaviour is readable, with its own headers kept', async () => {
    org.misbehave('token', { status: 503, headers: { 'retry-after': '3', vary: 'Accept' } })
    const res = await passwordGrant(org, TRUSTED)
    expect(res.status).toBe(503)
    expect(res.headers.get('access-control-allow-origin')).toBe(TRUSTED)
    expect(res.headers.get('vary')).toBe('Accept, Origin')
    expect(res.headers.get('retry-after')).toBe('3')
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000009')
  })

  it('revoke', async () => {
    const token = await accessToken(org)
    const res = await postForm(
      `${org.issuer()}/v1/revoke`,
      { token, client_id: SPA },
      { origin: TRUSTED },
    )
    expect(res.status).toBe(200)
    expectAllowed(res, TRUSTED)
  })

  it('userinfo: the claims, and a 401 whose WWW-Authenticate is exposed', async () => {
    const token = await accessToken(org)
    const ok = await get(`${org.issuer()}/v1/userinfo`, {
      origin: TRUSTED,
      authorization: `Bearer ${token}`,
    })
    expect(ok.status).toBe(200)
    expectAllowed(ok, TRUSTED)
    expect(ok.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate')
    expect(((await ok.json()) as { sub: string }).sub).toBe('00uid4BxXw6I6TV4m0g3')

    const denied = await get(`${org.issuer()}/v1/userinfo`, { origin: TRUSTED })
    expect(denied.status).toBe(401)
    expectAllowed(denied, TRUSTED)
    expect(denied.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate')
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
  })

  it('introspect and par', async () => {
    const token = await accessToken(org)
    const introspected = await postForm(
      `${org.issuer()}/v1/introspect`,
      { token },
      { ...basic(WEB, WEB_SECRET), origin: TRUSTED },
    )
    expect(introspected.status).toBe(200)
    expectAllowed(introspected, TRUSTED)
    expect(((await introspected.json()) as { active: boolean }).active).toBe(true)

    const pushed = await postForm(
      `${org.issuer()}/v1/par`,
      {
        response_type: 'code',
        redirect_uri: 'http://localhost:3000/callback',
        scope: 'openid',
        state: 's',
      },
      { ...basic(WEB, WEB_SECRET), origin: TRUSTED },
    )
    expect(pushed.status).toBe(201)
    expectAllowed(pushed, TRUSTED)
  })

  it('not the authorize navigation', async () => {
    const url = new URL(`${org.issuer()}/v1/authorize`)
    url.search = new URLSearchParams({ client_id: SPA, response_type: 'code' }).toString()
    const res = await fetch(url, { redirect: 'manual', headers: { origin: TRUSTED } })
    expectNoCors(res)
  })
})

describe('no CORS headers for an untrusted or missing origin', () => {
  for (const [label, headers] of [
    ['untrusted', { origin: UNTRUSTED }],
    ['a near miss (trailing slash)', { origin: `${TRUSTED}/` }],
    ['a near miss (other scheme)', { origin: 'https://localhost:8080' }],
    ['"null"', { origin: 'null' }],
    ['missing', {}],
  ] as const) {
    it(label, async () => {
      const h: Record<string, string> = { ...headers }
      const discovery = await get(`${org.issuer()}/.well-known/openid-configuration`, h)
      expect(discovery.status).toBe(200)
      expectNoCors(discovery)
      expectNoCors(await get(`${org.issuer()}/v1/keys`, h))
      const token = await postForm(
        `${org.issuer()}/v1/token`,
        { grant_type: 'password', username: USER.username, password: 'wrong', scope: 'openid' },
        { ...basic(WEB, WEB_SECRET), ...h },
      )
      expect(token.status).toBe(400)
      expectNoCors(token)
      const userinfo = await get(`${org.issuer()}/v1/userinfo`, h)
      expect(userinfo.status).toBe(401)
      expectNoCors(userinfo)
    })
  }
})

describe('preflight', () => {
  it('a trusted origin gets 204 with the allowed methods and headers', async () => {
    const paths = [
      `${org.issuer()}/.well-known/openid-configuration`,
      `${org.orgIssuer}/.well-known/oauth-authorization-server`,
      ...['keys', 'token', 'userinfo', 'introspect', 'revoke', 'par'].flatMap((e) => [
        `${org.issuer()}/v1/${e}`,
        `${org.orgUrl}/oauth2/v1/${e}`,
      ]),
    ]
    for (const path of paths) {
      const res = await preflightOf(path, TRUSTED)
      expect(res.status, path).toBe(204)
      expectAllowed(res, TRUSTED)
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS')
      expect(res.headers.get('access-control-allow-headers')).toBe(
        'Authorization, Content-Type, DPoP, Accept',
      )
      expect(res.headers.get('access-control-max-age')).toBe('600')
      expect(await res.text()).toBe('')
    }
  })

  it('an untrusted origin is refused with 403 and no CORS headers', async () => {
    for (const e of ['token', 'userinfo', 'keys']) {
      const res = await preflightOf(`${org.issuer()}/v1/${e}`, UNTRUSTED)
      expect(res.status).toBe(403)
      expectNoCors(res)
    }
  })

  it('is not counted as a request of the endpoint', async () => {
    const o = await useOrg()
    await preflightOf(`${o.issuer()}/v1/token`, TRUSTED)
    await preflightOf(`${o.issuer()}/v1/token`, UNTRUSTED)
    await preflightOf(`${o.issuer()}/v1/userinfo`, TRUSTED, 'GET', 'authorization')
    await preflightOf(`${o.issuer()}/.well-known/openid-configuration`, TRUSTED, 'GET', 'accept')
    expect(o.requestCount('token')).toBe(0)
    expect(o.requestCount('userinfo')).toBe(0)
    expect(o.requestCount('discovery')).toBe(0)
    await passwordGrant(o, TRUSTED)
    expect(o.requestCount('token')).toBe(1)
  })

  it('an OPTIONS that is not a preflight is answered as before', async () => {
    const o = await useOrg()
    // userinfo answers every method: a plain OPTIONS is a userinfo request.
    const res = await fetch(`${o.issuer()}/v1/userinfo`, { method: 'OPTIONS' })
    expect(res.status).toBe(401)
    expect(o.requestCount('userinfo')).toBe(1)
    // Elsewhere, it is not handled by the org (here: the next handler).
    server.use(http.options(/\/v1\/keys$/, () => new HttpResponse('fallback', { status: 418 })))
    server.use(...o.handlers)
    const keys = await fetch(`${o.issuer()}/v1/keys`, {
      method: 'OPTIONS',
      headers: { origin: TRUSTED },
    })
    expect(keys.status).toBe(418)
    expect(o.requestCount('keys')).toBe(0)
  })
})

describe('over real HTTP', () => {
  it('a harness trusts its app origin once it knows the port; Date is sent and exposed', async () => {
    server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()))
    const running = await startOktaOrg({ trustedOrigins: [] })
    try {
      const app = 'http://127.0.0.1:5173'
      const token = `${running.org.issuer()}/v1/token`
      expect((await preflightOf(token, app)).status).toBe(403)
      running.org.trustedOrigins.add(app)
      const pre = await preflightOf(token, app)
      expect(pre.status).toBe(204)
      expectAllowed(pre, app)
      const res = await passwordGrant(running.org, app)
      expect(res.status).toBe(200)
      expectAllowed(res, app)
      expect(res.headers.get('access-control-expose-headers')).toBe('Date, DPoP-Nonce')
      expect(Number.isNaN(Date.parse(res.headers.get('date') ?? ''))).toBe(false)
      expect(running.org.requestCount('token')).toBe(1)
    } finally {
      await running.close()
    }
  })
})
