import { HttpResponse, http, type JsonBodyType } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  clearDiscoveryCache,
  discover,
  InvalidOptionError,
  InvalidResponseError,
  type ServerMetadata,
} from '../../../src/index.js'
import { JSON_CONTENT_TYPE } from '../../fixtures/reference.js'
import { server } from '../msw.js'
import { CUSTOM_ISSUER, customMetadata, ORG, orgMetadata } from './servers.js'

/** A promise settled by hand: the test decides when the server answers. */
function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** Wait, a microtask turn at a time (bounded), until `ready()` holds. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ready(); i++) await new Promise((r) => setImmediate(r))
  if (!ready()) throw new Error('the condition never held')
}

/** Answer GETs of `url` with `respond` and record every request made to it. */
function serve(url: string, respond: () => Response | Promise<Response>) {
  const requests: Request[] = []
  // msw's path patterns cannot express an IPv6 literal host; match those exactly.
  const matcher = url.includes('[')
    ? new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    : url
  server.use(
    http.get(matcher, async ({ request }) => {
      requests.push(request)
      return respond()
    }),
  )
  return requests
}

const json = (doc: JsonBodyType) =>
  HttpResponse.json(doc, { headers: { 'content-type': JSON_CONTENT_TYPE } })

describe('org server: oidc-api.md "OpenID Connect Discovery Document"', () => {
  it('accepts the document for issuer https://{yourOktaDomain}.com and returns it unchanged', async () => {
    const doc = orgMetadata()
    expect(doc.issuer).toBe(ORG)
    const requests = serve(`${ORG}/.well-known/openid-configuration`, () => json(doc))

    const metadata = await discover(ORG)

    expect(metadata).toEqual(doc)
    expect(metadata.token_endpoint).toBe(`${ORG}/oauth2/v1/token`)
    expect(metadata.end_session_endpoint).toBe(`${ORG}/oauth2/v1/logout`)
    expect(requests).toHaveLength(1)
    expect(requests[0]!.method).toBe('GET')
    expect(requests[0]!.url).toBe(`${ORG}/.well-known/openid-configuration`)
    expect(requests[0]!.headers.get('accept')).toBe('application/json')
  })

  it('ignores a trailing slash on the requested issuer', async () => {
    serve(`${ORG}/.well-known/openid-configuration`, () => json(orgMetadata()))
    await expect(discover(`${ORG}/`)).resolves.toMatchObject({ issuer: ORG })
  })

  it('matches the issuer under the SDK rule: one trailing slash is not significant, nothing else is', async () => {
    // oidc-api.md asks that `iss` match the issuer exactly; the SDK applies
    // one rule to every issuer it compares (discovery, ID tokens, the
    // verifier, the browser): exact, except for a single trailing slash.
    serve(`${ORG}/.well-known/openid-configuration`, () =>
      json({ ...orgMetadata(), issuer: `${ORG}/` }),
    )
    clearDiscoveryCache()
    expect((await discover(ORG)).issuer).toBe(`${ORG}/`)
    for (const issuer of [`${ORG}//`, `${ORG}/x`, ORG.toUpperCase(), `${ORG}:443`]) {
      serve(`${ORG}/.well-known/openid-configuration`, () => json({ ...orgMetadata(), issuer }))
      clearDiscoveryCache()
      const err = await discover(ORG).catch((e) => e)
      expect(err).toBeInstanceOf(InvalidResponseError)
      expect(err.code).toBe('ERR_ISSUER_MISMATCH')
    }
  })

  it('refuses the document of another org', async () => {
    serve(`${ORG}/.well-known/openid-configuration`, () =>
      json({ ...orgMetadata(), issuer: 'https://evil.okta.com' }),
    )
    await expect(discover(ORG)).rejects.toMatchObject({ code: 'ERR_ISSUER_MISMATCH' })
  })
})

describe.each(['openid-configuration', 'oauth-authorization-server'] as const)(
  'custom server: oauth2-api.md %s document',
  (wellKnown) => {
    const url = `${CUSTOM_ISSUER}/.well-known/${wellKnown}`

    it('as printed (issuer = the org URL, served at /oauth2/{id}) is refused: ERR_ISSUER_MISMATCH', async () => {
      // The document says `"issuer": "https://${org}.okta.com"`, but the
      // server's issuer is `https://${org}.okta.com/oauth2/{id}`: the SDK
      // matches exactly, so the example as printed cannot be used.
      const doc = customMetadata(wellKnown, { correctIssuer: false })
      expect(doc.issuer).toBe(ORG)
      const requests = serve(url, () => json(doc))

      const err = await discover(CUSTOM_ISSUER, { wellKnown }).catch((e) => e)

      expect(err).toBeInstanceOf(InvalidResponseError)
      expect(err).toMatchObject({ code: 'ERR_ISSUER_MISMATCH' })
      expect(requests).toHaveLength(1)
    })

    it('with the issuer corrected to /oauth2/{id} is accepted', async () => {
      const doc = customMetadata(wellKnown)
      const requests = serve(url, () => json(doc))

      const metadata = await discover(CUSTOM_ISSUER, { wellKnown })

      expect(metadata).toEqual(doc)
      expect(metadata.token_endpoint).toBe(`${CUSTOM_ISSUER}/v1/token`)
      expect(metadata.jwks_uri).toBe(`${CUSTOM_ISSUER}/v1/keys`)
      expect(requests.map((r) => r.url)).toEqual([url])
    })

    it('is cached per document: the other well-known name is requested separately', async () => {
      const other =
        wellKnown === 'openid-configuration' ? 'oauth-authorization-server' : 'openid-configuration'
      const mine = serve(url, () => json(customMetadata(wellKnown)))
      const theirs = serve(`${CUSTOM_ISSUER}/.well-known/${other}`, () =>
        json(customMetadata(other)),
      )
      const a = await discover(CUSTOM_ISSUER, { wellKnown })
      const b = await discover(CUSTOM_ISSUER, { wellKnown: other })
      expect(a).toEqual(customMetadata(wellKnown))
      expect(b).toEqual(customMetadata(other))
      expect(mine).toHaveLength(1)
      expect(theirs).toHaveLength(1)
    })
  },
)

describe('discovery URL', () => {
  it.each([
    ['openid-configuration', undefined, `${ORG}/.well-known/openid-configuration`],
    ['openid-configuration', 'openid-configuration', `${ORG}/.well-known/openid-configuration`],
    [
      'oauth-authorization-server',
      'oauth-authorization-server',
      `${ORG}/.well-known/oauth-authorization-server`,
    ],
  ] as const)('%s (wellKnown: %s) is read at %s', async (_name, wellKnown, url) => {
    const requests = serve(url, () => json(orgMetadata()))
    await discover(ORG, wellKnown ? { wellKnown } : {})
    expect(requests.map((r) => r.url)).toEqual([url])
  })

  it('appends the well-known path to a custom server issuer (not RFC 8414 §3 insertion)', async () => {
    // Okta serves `/oauth2/{id}/.well-known/oauth-authorization-server`
    // (oauth2-api.md), not `/.well-known/oauth-authorization-server/oauth2/{id}`.
    const url = `${CUSTOM_ISSUER}/.well-known/oauth-authorization-server`
    const requests = serve(url, () => json(customMetadata('oauth-authorization-server')))
    await discover(CUSTOM_ISSUER, { wellKnown: 'oauth-authorization-server' })
    expect(requests.map((r) => r.url)).toEqual([url])
  })

  it('refuses an unknown wellKnown before sending anything', async () => {
    await expect(discover(ORG, { wellKnown: 'webfinger' as never })).rejects.toBeInstanceOf(
      InvalidOptionError,
    )
  })
})

describe('discovery cache', () => {
  const url = `${ORG}/.well-known/openid-configuration`

  it('a second call sends no request', async () => {
    const requests = serve(url, () => json(orgMetadata()))
    const a = await discover(ORG)
    const b = await discover(ORG)
    expect(b).toEqual(a)
    expect(requests).toHaveLength(1)
  })

  it('concurrent calls share one request', async () => {
    const answer = deferred()
    const requests = serve(url, async () => {
      await answer.promise
      return json(orgMetadata())
    })
    const pending = Promise.all([discover(ORG), discover(ORG), discover(`${ORG}/`)])
    await until(() => requests.length === 1)
    answer.resolve()
    const results = await pending
    expect(results.map((m) => m.issuer)).toEqual([ORG, ORG, ORG])
    expect(requests).toHaveLength(1)
  })

  it('a failed call is not cached: the next call asks again', async () => {
    let fail = true
    const requests = serve(url, () =>
      fail ? new HttpResponse('oops', { status: 503 }) : json(orgMetadata()),
    )
    await expect(discover(ORG)).rejects.toMatchObject({ code: 'ERR_INVALID_RESPONSE' })
    fail = false
    await expect(discover(ORG)).resolves.toMatchObject({ issuer: ORG })
    expect(requests).toHaveLength(2)
  })

  it('an issuer mismatch is not cached either', async () => {
    let issuer = 'https://other.okta.com'
    const requests = serve(url, () => json({ ...orgMetadata(), issuer }))
    await expect(discover(ORG)).rejects.toMatchObject({ code: 'ERR_ISSUER_MISMATCH' })
    issuer = ORG
    await expect(discover(ORG)).resolves.toMatchObject({ issuer: ORG })
    expect(requests).toHaveLength(2)
  })

  it("one caller's abort does not fail a concurrent caller that shares its request", async () => {
    // The shared request runs with the timeout only: a caller's signal
    // stops that caller's wait, never the request the others share.
    const answer = deferred()
    const requests = serve(url, async () => {
      await answer.promise
      return json(orgMetadata())
    })
    const controller = new AbortController()
    const a = discover(ORG, { signal: controller.signal }).catch((e) => e)
    const b = discover(ORG).catch((e) => e)
    await until(() => requests.length === 1)
    controller.abort()
    expect(await a).toMatchObject({ code: 'ERR_ABORTED' })
    answer.resolve()
    expect(await b).toMatchObject({ issuer: ORG })
  })

  it('a caller that joins a pending request can still abort its own call', async () => {
    // A cache hit on a pending request still honours this caller's signal.
    const answer = deferred()
    const requests = serve(url, async () => {
      await answer.promise
      return json(orgMetadata())
    })
    const first = discover(ORG)
    const controller = new AbortController()
    const second = discover(ORG, { signal: controller.signal }).catch((e) => e)
    await until(() => requests.length === 1)
    controller.abort()
    // Rejected while the shared request is still unanswered.
    expect(await second).toMatchObject({ code: 'ERR_ABORTED' })
    answer.resolve()
    await expect(first).resolves.toMatchObject({ issuer: ORG })
  })

  it('is bounded (issue 14, weakness 10): at most 100 issuers, the oldest dropped first', async () => {
    // 5,000 issuers once made a 13 MB cache that never shrank.
    const issuers = Array.from({ length: 150 }, (_, i) => `${ORG}/oauth2/aus${i}`)
    const requests = new Map<string, number>()
    server.use(
      http.get(/\/oauth2\/aus\d+\/\.well-known\/openid-configuration$/, ({ request }) => {
        const issuer = request.url.replace('/.well-known/openid-configuration', '')
        requests.set(issuer, (requests.get(issuer) ?? 0) + 1)
        return json({ issuer })
      }),
    )
    for (const issuer of issuers) await discover(issuer)
    // The newest 100 are served from the cache; the 50 oldest were dropped.
    for (const issuer of issuers.slice(50)) await discover(issuer)
    expect(issuers.slice(50).every((i) => requests.get(i) === 1)).toBe(true)
    await discover(issuers[0]!)
    expect(requests.get(issuers[0]!)).toBe(2)
  })

  it('cacheTtl: 0 asks every time', async () => {
    const requests = serve(url, () => json(orgMetadata()))
    await discover(ORG, { cacheTtl: 0 })
    await discover(ORG, { cacheTtl: 0 })
    expect(requests).toHaveLength(2)
  })
})

describe('discovery failures', () => {
  const url = `${ORG}/.well-known/openid-configuration`

  it.each([
    [404, 'text/html', '<html><body>Not Found</body></html>'],
    [500, 'text/html', '<html><body>Internal Server Error</body></html>'],
    [302, 'text/plain', ''],
  ])(
    'HTTP %i → InvalidResponseError ERR_INVALID_RESPONSE with the status',
    async (status, type, body) => {
      serve(url, () =>
        status === 302
          ? new HttpResponse(null, { status, headers: { location: 'https://elsewhere.example/' } })
          : new HttpResponse(body, { status, headers: { 'content-type': type } }),
      )
      const err = await discover(ORG).catch((e) => e)
      expect(err).toBeInstanceOf(InvalidResponseError)
      expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status })
    },
  )

  it.each([
    ['not json', 'application/json'],
    ['not json', 'text/html'],
    ['[1, 2, 3]', 'application/json'],
    [
      '{"authorization_endpoint": "https://example.okta.com/oauth2/v1/authorize"}',
      'application/json',
    ],
  ])('garbage %j (%s) → ERR_INVALID_RESPONSE', async (body, type) => {
    serve(url, () => new HttpResponse(body, { status: 200, headers: { 'content-type': type } }))
    const err = await discover(ORG).catch((e) => e)
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.code).toBe('ERR_INVALID_RESPONSE')
  })
})

describe('discovery: members of the wrong type are the server fault they are (issue 14)', () => {
  const url = `${ORG}/.well-known/openid-configuration`
  it.each([
    ['id_token_signing_alg_values_supported', 0],
    ['response_types_supported', 'code id_token'],
    ['response_modes_supported', { query: true }],
    ['scopes_supported', ['openid', 42]],
    ['authorization_response_iss_parameter_supported', 'true'],
    ['jwks_uri', 'not a url'],
    ['token_endpoint', 'javascript:alert(1)'],
    ['userinfo_endpoint', 'http://example.okta.com/oauth2/v1/userinfo'],
  ])('%s: %j → InvalidResponseError naming it, never a TypeError later', async (name, value) => {
    serve(url, () => json({ ...orgMetadata(), [name]: value }))
    const err = await discover(ORG).catch((e) => e)
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).not.toBeInstanceOf(InvalidOptionError)
    expect(err.code).toBe('ERR_INVALID_RESPONSE')
    expect(err.message).toContain(name)
  })
})

describe('discovery of http: issuers', () => {
  it.each([
    'http://example.okta.com',
    'http://example.okta.com/oauth2/default',
    'http://10.0.0.1:8080',
  ])('refuses %s with InvalidOptionError ERR_INSECURE_URL, sending nothing', async (issuer) => {
    // No handler is installed: a request would fail the test (onUnhandledRequest: 'error').
    const err = await discover(issuer).catch((e) => e)
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(err.code).toBe('ERR_INSECURE_URL')
  })

  it.each(['http://localhost:3000', 'http://127.0.0.1:8080/oauth2/default', 'http://[::1]:9000'])(
    'allows loopback %s',
    async (issuer) => {
      const doc: ServerMetadata = { issuer, token_endpoint: `${issuer}/v1/token` }
      const requests = serve(`${issuer}/.well-known/openid-configuration`, () => json(doc))
      await expect(discover(issuer)).resolves.toEqual(doc)
      expect(requests).toHaveLength(1)
    },
  )

  it('allows a non-loopback http: issuer with allowInsecureRequests', async () => {
    const issuer = 'http://example.okta.com'
    serve(`${issuer}/.well-known/openid-configuration`, () => json({ issuer }))
    await expect(discover(issuer, { allowInsecureRequests: true })).resolves.toEqual({ issuer })
  })
})
