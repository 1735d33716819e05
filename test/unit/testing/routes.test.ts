import { getResponse, HttpResponse } from 'msw'
import { beforeAll, describe, expect, it } from 'vitest'
import { createOktaOrg, DEFAULT_API_TOKEN, type OktaOrg } from '../../../src/testing/index.js'
import { jsonResponse } from '../../../src/testing/oidc/http.js'
import { dispatcherOf } from '../../../src/testing/org-factory.js'

// startOktaOrg serves the org's routes through a matcher of its own rather
// than msw's: for every kind of request, both must pick the same route (or
// none), so the org answers the same over HTTP as in-process.

const ORG = 'http://127.0.0.1:4321'
const SSWS = { authorization: `SSWS ${DEFAULT_API_TOKEN}` }
const FORM = {
  'content-type': 'application/x-www-form-urlencoded',
  authorization: `Basic ${btoa('0oaweb0000000000000:wrong')}`,
}

let org: OktaOrg
beforeAll(async () => {
  org = await createOktaOrg({ orgUrl: ORG })
})

/** Status, headers and body (ids and dates vary between answers). */
async function summary(response: Response | undefined) {
  if (!response) return undefined
  const text = await response.text()
  const headers = Object.fromEntries(
    [...response.headers].filter(([name]) => name !== 'date' && name !== 'x-okta-request-id'),
  )
  return {
    status: response.status,
    headers,
    body: text.replace(/"(errorId|x-okta-request-id)":"[^"]*"/g, '"$1":"…"'),
  }
}

const cases: [string, string, RequestInit?][] = [
  ['discovery of a custom server', '/oauth2/default/.well-known/openid-configuration'],
  ['discovery of the org server', '/.well-known/oauth-authorization-server'],
  ['a trailing slash', '/oauth2/default/v1/keys/'],
  ['another case', '/OAuth2/default/V1/Keys'],
  ['an encoded server id', '/oauth2/%64efault/.well-known/openid-configuration'],
  ['an unknown server', '/oauth2/nope/v1/keys'],
  ['an empty segment', '/oauth2//v1/keys'],
  ['an unknown endpoint', '/oauth2/default/v1/nothing'],
  ['a query string', '/oauth2/default/v1/keys?x=1'],
  ['HEAD of a GET endpoint', '/oauth2/default/v1/keys', { method: 'HEAD' }],
  ['POST to a GET endpoint', '/oauth2/default/v1/keys', { method: 'POST' }],
  [
    'a preflight',
    '/oauth2/default/v1/token',
    {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'POST' },
    },
  ],
  ['userinfo with any method', '/oauth2/v1/userinfo', { method: 'PUT' }],
  [
    'a token request',
    '/oauth2/default/v1/token',
    { method: 'POST', headers: FORM, body: 'grant_type=password' },
  ],
  ['the management API', '/api/v1/authorizationServers/default/scopes', { headers: SSWS }],
  ['an unknown management path', '/api/v1/nothing', { headers: SSWS }],
  ['the management API root', '/api/v1', { headers: SSWS }],
  ['another path', '/elsewhere'],
]

describe('the routes served over HTTP match as msw matches', () => {
  it.each(cases)('%s', async (_name, path, init = {}) => {
    const viaMsw = await summary(
      await getResponse(org.handlers, new Request(`${ORG}${path}`, init)),
    )
    const direct = await summary(await dispatcherOf(org)(new Request(`${ORG}${path}`, init)))
    expect(direct).toEqual(viaMsw)
  })

  it('a malformed escape in a parameter matches no route (msw throws: the server used to answer 500)', async () => {
    const request = () => new Request(`${ORG}/oauth2/%E0%A4%A/v1/keys`)
    await expect(getResponse(org.handlers, request())).rejects.toThrow(URIError)
    expect(await dispatcherOf(org)(request())).toBeUndefined()
  })

  it('another origin matches no route', async () => {
    const request = () => new Request('http://localhost:4321/oauth2/default/v1/keys')
    expect(await getResponse(org.handlers, request())).toBeUndefined()
    expect(await dispatcherOf(org)(request())).toBeUndefined()
  })
})

describe('jsonResponse', () => {
  it("answers as msw's HttpResponse.json: status, headers, body", async () => {
    const body = { error: 'invalid_grant', error_description: 'Ünïcode – and more' }
    const init = { status: 400, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } }
    const ours = jsonResponse(body, init)
    const msw = HttpResponse.json(body, init)
    expect(ours.status).toBe(msw.status)
    expect([...ours.headers]).toEqual([...msw.headers])
    expect(await ours.text()).toBe(await msw.text())
  })
})
