import { HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AbortError,
  type CallOptions,
  createClient,
  discover,
  type FetchLike,
  InvalidResponseError,
  isOktaOAuthError,
  NetworkError,
  TimeoutError,
} from '../../../src/index.js'
import { USERINFO_RESPONSE } from '../../fixtures/reference.js'
import { CLIENT_ID, createFakeIssuer, type Recorded } from '../fake-issuer.js'
import { dump, ORG, orgMetadata, record } from './servers.js'

// Every secret the calls send carries this marker: no error may show it.
const CANARY = 'LEAKCANARY'
const SECRETS = {
  clientSecret: `${CANARY}-client-secret-0b9d4`,
  code: `${CANARY}-authorization-code-77e1`,
  codeVerifier: `${CANARY}-code-verifier-${'k'.repeat(40)}`,
  refreshToken: `${CANARY}-refresh-token-a9VpZDRCeFh3`,
  accessToken: `${CANARY}-access-token-eyJhbGciOiJSUzI1NiJ9`,
  password: `${CANARY}-password-hunter2`,
}

const metadata = orgMetadata()
const SUB = USERINFO_RESPONSE.sub

type Http = { fetch?: FetchLike; timeout?: number }

const client = (http: Http = {}) =>
  createClient(metadata, {
    clientId: CLIENT_ID,
    redirectUri: 'https://app.example.com/callback',
    auth: { method: 'client_secret_post', clientSecret: SECRETS.clientSecret },
    ...http,
  })

interface Operation {
  name: string
  method: 'get' | 'post'
  url: string
  /** A good response. */
  ok: () => Response
  /** Whether a 200 with a garbage body is an error (revocation ignores the body). */
  garbageFails: boolean
  call: (http: Http, options: CallOptions) => Promise<unknown>
}

const tokenOk = () =>
  HttpResponse.json({ access_token: 'at', token_type: 'Bearer', expires_in: 3600 })

const OPERATIONS: Operation[] = [
  {
    name: 'token endpoint (authorization_code)',
    method: 'post',
    url: metadata.token_endpoint!,
    ok: tokenOk,
    garbageFails: true,
    call: (http, o) =>
      client(http).exchangeCode({ code: SECRETS.code, codeVerifier: SECRETS.codeVerifier }, o),
  },
  {
    name: 'token endpoint (refresh_token)',
    method: 'post',
    url: metadata.token_endpoint!,
    ok: tokenOk,
    garbageFails: true,
    call: (http, o) => client(http).refresh(SECRETS.refreshToken, {}, o),
  },
  {
    name: 'token endpoint (password)',
    method: 'post',
    url: metadata.token_endpoint!,
    ok: tokenOk,
    garbageFails: true,
    call: (http, o) =>
      client(http).password(
        { username: 'dolores.abernathy@example.com', password: SECRETS.password, scope: 'openid' },
        o,
      ),
  },
  {
    name: 'token endpoint (client_credentials)',
    method: 'post',
    url: metadata.token_endpoint!,
    ok: tokenOk,
    garbageFails: true,
    call: (http, o) => client(http).clientCredentials({ scope: 'openid' }, o),
  },
  {
    name: 'introspection',
    method: 'post',
    url: metadata.introspection_endpoint!,
    ok: () => HttpResponse.json({ active: false }),
    garbageFails: true,
    call: (http, o) =>
      client(http).introspect(SECRETS.accessToken, { tokenTypeHint: 'access_token' }, o),
  },
  {
    name: 'revocation',
    method: 'post',
    url: metadata.revocation_endpoint!,
    ok: () => new HttpResponse(null, { status: 200 }),
    garbageFails: false,
    call: (http, o) =>
      client(http).revoke(SECRETS.refreshToken, { tokenTypeHint: 'refresh_token' }, o),
  },
  {
    name: 'userinfo',
    method: 'get',
    url: metadata.userinfo_endpoint!,
    ok: () => HttpResponse.json(USERINFO_RESPONSE),
    garbageFails: true,
    call: (http, o) => client(http).userinfo(SECRETS.accessToken, { expectedSubject: SUB, ...o }),
  },
  {
    name: 'discovery',
    method: 'get',
    url: `${ORG}/.well-known/openid-configuration`,
    ok: () => HttpResponse.json(metadata),
    garbageFails: true,
    call: (http, o) => discover(ORG, { ...http, ...o, cacheTtl: 0 }),
  },
]

/** What a careless server might echo back: the credentials and the form it got. */
function echo(request: Request, form: URLSearchParams): string {
  return `authorization=${request.headers.get('authorization') ?? ''}; body=${form.toString()}`
}

/** Run `op` against `respond`; return the error (or the value) and the requests seen. */
async function attempt(
  op: Operation,
  respond: (request: Request, form: URLSearchParams) => Response | Promise<Response>,
  http: Http = {},
  options: CallOptions = {},
): Promise<{ err: any; requests: Recorded[] }> {
  const requests = record(op.method, op.url, respond)
  const err = await op.call(http, options).then(
    (value) => ({ resolved: value }),
    (e) => e,
  )
  return { err, requests }
}

function expectNoSecrets(err: unknown) {
  const text = dump(err)
  expect(text).not.toContain(CANARY)
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret)
}

describe.each(OPERATIONS)('$name', (op) => {
  it('sanity: a good response resolves', async () => {
    const { err, requests } = await attempt(op, op.ok)
    expect(err).toHaveProperty('resolved')
    expect(requests).toHaveLength(1)
  })

  it('500 with an HTML body → InvalidResponseError ERR_INVALID_RESPONSE, status 500', async () => {
    const { err } = await attempt(
      op,
      (request, form) =>
        new HttpResponse(
          `<html><body><h1>500</h1><pre>${echo(request, form)}</pre></body></html>`,
          {
            status: 500,
            headers: { 'content-type': 'text/html;charset=utf-8' },
          },
        ),
    )
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 500 })
    expectNoSecrets(err)
  })

  it.each([['application/json'], ['text/plain']])(
    '200 with a garbage body (%s) → ERR_INVALID_RESPONSE (revocation: ignored)',
    async (type) => {
      const { err } = await attempt(
        op,
        () => new HttpResponse('not json', { status: 200, headers: { 'content-type': type } }),
      )
      if (!op.garbageFails) {
        // RFC 7009 §2.2: the client ignores the body of a 200 revocation response.
        expect(err).toEqual({ resolved: undefined })
        return
      }
      expect(err).toBeInstanceOf(InvalidResponseError)
      expect(err.code).toBe('ERR_INVALID_RESPONSE')
      expectNoSecrets(err)
    },
  )

  it.each([
    [
      "Okta's rate-limit JSON (E0000047)",
      () =>
        HttpResponse.json(
          {
            errorCode: 'E0000047',
            errorSummary: 'API call exceeded rate limit due to too many requests.',
            errorLink: 'E0000047',
            errorId: 'oaeXXXX',
            errorCauses: [],
          },
          {
            status: 429,
            headers: {
              'x-rate-limit-limit': '600',
              'x-rate-limit-remaining': '0',
              'x-rate-limit-reset': '1609459200',
              'retry-after': '30',
            },
          },
        ),
    ],
    [
      'a text body',
      () => new HttpResponse('Too Many Requests', { status: 429, headers: { 'retry-after': '1' } }),
    ],
  ])('429 with %s → an SDK error with status 429', async (_what, respond) => {
    const { err } = await attempt(op, respond)
    expect(isOktaOAuthError(err)).toBe(true)
    expect(err.status).toBe(429)
    // Today: InvalidResponseError ERR_INVALID_RESPONSE (there is no rate-limit code).
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.code).toBe('ERR_INVALID_RESPONSE')
    expectNoSecrets(err)
  })

  it('a network failure → NetworkError ERR_NETWORK', async () => {
    const { err, requests } = await attempt(op, () => HttpResponse.error())
    expect(err).toBeInstanceOf(NetworkError)
    expect(err.code).toBe('ERR_NETWORK')
    expect(requests).toHaveLength(1)
    expectNoSecrets(err)
  })

  it('a response slower than the timeout → TimeoutError ERR_TIMEOUT, timeout 50', async () => {
    const { err, requests } = await attempt(
      op,
      // Never answers: only the timeout or the signal can end the call.
      () => new Promise<Response>(() => {}),
      {},
      { timeout: 50 },
    )
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
    expect(requests).toHaveLength(1)
    expectNoSecrets(err)
  })

  it("the client's (or discover's) default timeout applies too", async () => {
    const { err } = await attempt(
      op,
      // Never answers: only the timeout or the signal can end the call.
      () => new Promise<Response>(() => {}),
      { timeout: 50 },
    )
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
  })

  it('an already-aborted signal → AbortError ERR_ABORTED, nothing sent', async () => {
    const controller = new AbortController()
    controller.abort()
    const { err, requests } = await attempt(op, op.ok, {}, { signal: controller.signal })
    expect(err).toBeInstanceOf(AbortError)
    expect(err.code).toBe('ERR_ABORTED')
    expect(requests).toHaveLength(0)
    expectNoSecrets(err)
  })

  it('a signal aborted mid-flight → AbortError ERR_ABORTED', async () => {
    const controller = new AbortController()
    const pending = attempt(
      op,
      // Never answers: only the timeout or the signal can end the call.
      () => new Promise<Response>(() => {}),
      {},
      { signal: controller.signal },
    )
    setTimeout(() => controller.abort(), 20)
    const { err, requests } = await pending
    expect(err).toBeInstanceOf(AbortError)
    expect(err.code).toBe('ERR_ABORTED')
    expect(requests).toHaveLength(1)
    expectNoSecrets(err)
  })

  describe('a custom fetch', () => {
    afterEach(() => {
      vi.restoreAllMocks()
    })

    it('is used instead of the global one', async () => {
      const global = vi.spyOn(globalThis, 'fetch')
      const calls: { url: string; method: string | undefined }[] = []
      const custom: FetchLike = async (input, init) => {
        calls.push({
          url: String(input instanceof Request ? input.url : input),
          method: init?.method,
        })
        return op.ok()
      }
      // No msw handler is installed: the global fetch would fail the test.
      const result = await op.call({ fetch: custom }, {})
      if (op.garbageFails) expect(result).toBeDefined()
      expect(calls).toEqual([{ url: op.url, method: op.method.toUpperCase() }])
      expect(global).not.toHaveBeenCalled()
    })

    it("its failures are mapped like the global one's", async () => {
      const custom: FetchLike = async () => {
        throw new TypeError('fetch failed')
      }
      const err = await op.call({ fetch: custom }, {}).catch((e) => e)
      expect(err).toBeInstanceOf(NetworkError)
      expectNoSecrets(err)
    })
  })
})

describe('a custom fetch for the whole client', () => {
  it('is also used for the JWKS of ID token validation', async () => {
    const fake = await createFakeIssuer(`${ORG}/oauth2`)
    const idToken = await fake.idToken({ iss: ORG })
    fake.on('/v1/token', () =>
      HttpResponse.json({ access_token: 'at', token_type: 'Bearer', id_token: idToken }),
    )
    const seen: string[] = []
    const custom: FetchLike = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input))
      return globalThis.fetch(input, init)
    }
    const tokens = await client({ fetch: custom }).refresh('rt')
    expect(tokens.idToken).toBe(idToken)
    expect(seen).toEqual([metadata.token_endpoint, metadata.jwks_uri])
  })
})

describe('timeout with a custom fetch that ignores the signal', () => {
  it('still fails with TimeoutError after `timeout` ms, not when the response finally arrives', async () => {
    // A fetch that does not honour `init.signal` (many wrappers forget to
    // forward it) cannot make the call outlive its timeout: withSignal races
    // the work against the signal too.
    // It never answers: the call can only end by its own timeout.
    const ignoresSignal: FetchLike = () => new Promise<Response>(() => {})
    const err = await client({ fetch: ignoresSignal })
      .clientCredentials({}, { timeout: 50 })
      .catch((e) => e)
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 50 })
  })
})
