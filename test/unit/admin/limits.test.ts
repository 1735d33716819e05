import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  type AdminClientOptions,
  createAdminClient,
  InvalidOptionError,
  InvalidResponseError,
  NetworkError,
  OktaApiError,
} from '../../../src/admin/index.js'
import { RESPONSE_LIMITS } from '../../../src/lib/body.js'
import { server } from '../msw.js'
import { SERVER_ID } from './fixtures.js'
import {
  API,
  ORG,
  oauthClient,
  rejectionOf,
  SSWS_TOKEN,
  serviceKey,
  sswsClient,
  tokenEndpoint,
} from './helpers.js'

// The bodies the management client reads are bounded by `maxResponseBytes`
// (default 16 MiB). The real-server test (test/integration/admin-limits)
// shows the connection is dropped; these cover the other paths.

const ONE_SERVER = `${API}/authorizationServers/${SERVER_ID}`

/** A body of `size` bytes, streamed in 16 KiB chunks, counting what was pulled. */
function stream(size: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  const chunk = new Uint8Array(16 * 1024).fill(0x20)
  let pulled = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= size) {
        controller.close()
        return
      }
      pulled += chunk.length
      controller.enqueue(chunk)
    },
  })
  return { body, pulled: () => pulled }
}

describe('limits: maxResponseBytes', () => {
  it.each([0, -1, 1.5, Number.NaN, '1024'])('%j → InvalidOptionError at creation', (value) => {
    expect(() =>
      createAdminClient({
        orgUrl: ORG,
        auth: { type: 'ssws', token: SSWS_TOKEN },
        maxResponseBytes: value,
      } as unknown as AdminClientOptions),
    ).toThrow(InvalidOptionError)
  })

  it('defaults to RESPONSE_LIMITS.admin (16 MiB): one byte more is refused from Content-Length', async () => {
    expect(RESPONSE_LIMITS.admin).toBe(16 * 1024 * 1024)
    server.use(
      http.get(
        ONE_SERVER,
        () =>
          new HttpResponse('{}', {
            headers: { 'content-length': String(RESPONSE_LIMITS.admin + 1) },
          }),
      ),
    )
    const err = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', status: 200 })
  })

  it('a page streamed past the limit: ERR_RESPONSE_TOO_LARGE, and reading stops', async () => {
    const { body, pulled } = stream(8 * 1024 * 1024)
    server.use(http.get(`${API}/authorizationServers`, () => new HttpResponse(body)))
    const err = await rejectionOf(
      sswsClient({ maxResponseBytes: 64 * 1024 })
        .authorizationServers.list()
        .all(),
    )
    expect(err).toMatchObject({ name: 'InvalidResponseError', code: 'ERR_RESPONSE_TOO_LARGE' })
    expect(pulled()).toBeLessThan(1024 * 1024)
  })

  it('with OAuth for Okta (through the core client) too', async () => {
    tokenEndpoint()
    const { body, pulled } = stream(8 * 1024 * 1024)
    server.use(http.get(ONE_SERVER, () => new HttpResponse(body)))
    const admin = oauthClient(await serviceKey(), ['okta.authorizationServers.read'], {
      maxResponseBytes: 64 * 1024,
    })
    const err = await rejectionOf(admin.authorizationServers.get(SERVER_ID))
    expect(err).toMatchObject({ name: 'InvalidResponseError', code: 'ERR_RESPONSE_TOO_LARGE' })
    expect(pulled()).toBeLessThan(1024 * 1024)
  })

  it('an error body past the limit: the OktaApiError of the status, caused by ERR_RESPONSE_TOO_LARGE', async () => {
    const { body } = stream(1024 * 1024)
    server.use(
      http.get(
        ONE_SERVER,
        () => new HttpResponse(body, { status: 429, headers: { 'retry-after': '0' } }),
      ),
    )
    const err = await rejectionOf(
      sswsClient({ maxResponseBytes: 1024, retry: { limit: 0 } }).authorizationServers.get(
        SERVER_ID,
      ),
    )
    expect(err).toBeInstanceOf(OktaApiError)
    expect(err).toMatchObject({ code: 'ERR_API_RATE_LIMITED', status: 429, retryAfter: 0 })
    expect(err.cause).toMatchObject({
      name: 'InvalidResponseError',
      code: 'ERR_RESPONSE_TOO_LARGE',
    })
  })

  it('a body within the limit is read as before', async () => {
    const server_ = { id: SERVER_ID, name: 'n', audiences: ['api://default'] }
    server.use(http.get(ONE_SERVER, () => HttpResponse.json(server_)))
    const size = JSON.stringify(server_).length
    await expect(
      sswsClient({ maxResponseBytes: size }).authorizationServers.get(SERVER_ID),
    ).resolves.toEqual(server_)
  })

  it('a body cut off by the network: NetworkError, not a foreign error', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'))
        controller.error(new TypeError(`socket hang up while reading ${SSWS_TOKEN}`))
      },
    })
    server.use(http.get(ONE_SERVER, () => new HttpResponse(body)))
    const err = await rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    expect(err).toBeInstanceOf(NetworkError)
    expect(err.code).toBe('ERR_NETWORK')
    expect(String(err.message)).not.toContain(SSWS_TOKEN)
    expect(String((err.cause as Error).message)).not.toContain(SSWS_TOKEN)
  })
})
