// The protocol layer's bounded reads: token responses, key sets and discovery
// documents over the response limit are refused without reading them whole.
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { browserJwks, call, discoverServer } from '../../../src/browser/protocol.js'
import { InvalidResponseError, JwksError } from '../../../src/errors.js'
import { RESPONSE_LIMITS } from '../../../src/lib/body.js'
import { server } from '../msw.js'
import {
  ISSUER,
  JWKS_URI,
  rejection,
  signers,
  TOKEN_URI,
  transport,
  useProtocolHarness,
} from './protocol-harness.js'

useProtocolHarness()

describe('bounded reads', () => {
  const MiB = 1024 * 1024

  /** A JSON body of about `bytes` bytes: a token response padded with an extra member. */
  const padded = (bytes: number) =>
    JSON.stringify({ access_token: 'at', token_type: 'Bearer', padding: 'x'.repeat(bytes) })

  /** A body streamed in 64 KiB chunks without Content-Length, up to `total` bytes; counts the chunks pulled. */
  function stream(total: number) {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024))
    const pulled = { chunks: 0 }
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled.chunks * chunk.byteLength >= total) return controller.close()
        pulled.chunks++
        controller.enqueue(chunk)
      },
    })
    return { body, pulled }
  }

  it('refuses a token response over 1 MiB by its Content-Length with ERR_RESPONSE_TOO_LARGE', async () => {
    server.use(http.post(TOKEN_URI, () => new HttpResponse(padded(2 * MiB))))
    const err = await rejection(call(transport(), 'the token request', TOKEN_URI, {}))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', status: 200 })
    expect(err.message).toContain(String(RESPONSE_LIMITS.protocol))
  })

  it('refuses an endless body without Content-Length after the limit, without reading the rest', async () => {
    const { body, pulled } = stream(64 * MiB)
    server.use(http.post(TOKEN_URI, () => new HttpResponse(body, { status: 200 })))
    const err = await rejection(call(transport(), 'the token request', TOKEN_URI, {}))
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    // 1 MiB is 16 chunks; a few more may be in flight, never the 1024 on offer.
    expect(pulled.chunks).toBeLessThan(64)
  })

  it('refuses an oversized error body too (a 500 page), as too large', async () => {
    server.use(
      http.post(TOKEN_URI, () => new HttpResponse('<html>'.repeat(400_000), { status: 500 })),
    )
    expect(await rejection(call(transport(), 'the token request', TOKEN_URI, {}))).toMatchObject({
      code: 'ERR_RESPONSE_TOO_LARGE',
      status: 500,
    })
  })

  it('honours the maxResponseBytes of the transport, both ways', async () => {
    server.use(http.post(TOKEN_URI, () => new HttpResponse(padded(2048))))
    expect(
      await rejection(
        call(transport({ maxResponseBytes: 1024 }), 'the token request', TOKEN_URI, {}),
      ),
    ).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    server.use(http.post(TOKEN_URI, () => new HttpResponse(padded(2 * MiB))))
    const big = (await call(
      transport({ maxResponseBytes: 4 * MiB }),
      'the token request',
      TOKEN_URI,
      {},
    )) as { padding: string }
    expect(big.padding).toHaveLength(2 * MiB)
  })

  it('refuses a key set over 1 MiB: JwksError ERR_JWKS_UNAVAILABLE caused by ERR_RESPONSE_TOO_LARGE', async () => {
    server.use(
      http.get(JWKS_URI, () =>
        HttpResponse.json({ keys: [signers.rs.jwk], padding: 'k'.repeat(RESPONSE_LIMITS.jwks) }),
      ),
    )
    const err = await rejection(
      browserJwks(transport(), async () => JWKS_URI).key(signers.rs.kid, 'RS256'),
    )
    expect(err).toBeInstanceOf(JwksError)
    expect(err).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
    expect(err.cause).toBeInstanceOf(InvalidResponseError)
    expect(err.cause).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
  })

  it('refuses a streamed key set without Content-Length the same way', async () => {
    const { body, pulled } = stream(64 * MiB)
    server.use(http.get(JWKS_URI, () => new HttpResponse(body)))
    const err = await rejection(
      browserJwks(transport(), async () => JWKS_URI).key(signers.rs.kid, 'RS256'),
    )
    expect(err).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' })
    expect(err.cause).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    expect(pulled.chunks).toBeLessThan(64)
  })

  it('refuses a discovery document over the limit', async () => {
    server.use(
      http.get(`${ISSUER}/.well-known/openid-configuration`, () =>
        HttpResponse.json({ issuer: ISSUER, padding: 'd'.repeat(2 * MiB) }),
      ),
    )
    expect(await rejection(discoverServer(transport(), ISSUER))).toMatchObject({
      code: 'ERR_RESPONSE_TOO_LARGE',
    })
  })
})
