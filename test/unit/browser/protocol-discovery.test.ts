// The protocol layer's discovery: the OpenID configuration of the issuer,
// checked for its issuer and required members.
import { http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { discoverServer } from '../../../src/browser/protocol.js'
import { InvalidResponseError } from '../../../src/errors.js'
import { server } from '../msw.js'
import {
  ISSUER,
  JWKS_URI,
  rejection,
  TOKEN_URI,
  transport,
  useProtocolHarness,
} from './protocol-harness.js'

useProtocolHarness()

describe('discoverServer', () => {
  const document = (overrides: Record<string, unknown> = {}) => ({
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/v1/authorize`,
    token_endpoint: TOKEN_URI,
    jwks_uri: JWKS_URI,
    end_session_endpoint: `${ISSUER}/v1/logout`,
    ...overrides,
  })

  function serveDiscovery(issuer: string, body: unknown, status = 200) {
    const hits: string[] = []
    server.use(
      http.get(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, ({ request }) => {
        hits.push(request.url)
        return Response.json(body, { status })
      }),
    )
    return hits
  }

  it('returns the document at {issuer}/.well-known/openid-configuration', async () => {
    const hits = serveDiscovery(ISSUER, document())
    const m = await discoverServer(transport(), ISSUER)
    expect(m).toMatchObject(document())
    expect(hits).toEqual([`${ISSUER}/.well-known/openid-configuration`])
  })

  it('refuses a document for another issuer with ERR_ISSUER_MISMATCH', async () => {
    serveDiscovery(ISSUER, document({ issuer: 'https://evil.example.com/oauth2/default' }))
    const err = await rejection(discoverServer(transport(), ISSUER))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.code).toBe('ERR_ISSUER_MISMATCH')
  })

  it.each(['authorization_endpoint', 'token_endpoint', 'jwks_uri'])(
    'refuses a document without %s',
    async (member) => {
      serveDiscovery(ISSUER, document({ [member]: undefined }))
      const err = await rejection(discoverServer(transport(), ISSUER))
      expect(err).toBeInstanceOf(InvalidResponseError)
      expect(err.code).toBe('ERR_INVALID_RESPONSE')
      expect(err.message).toContain(member)
    },
  )

  it('refuses a document whose token_endpoint is not a string', async () => {
    serveDiscovery(ISSUER, document({ token_endpoint: 42 }))
    expect(await rejection(discoverServer(transport(), ISSUER))).toBeInstanceOf(
      InvalidResponseError,
    )
  })

  it.each([[['an', 'array']], ['a string'], [null]])(
    'refuses a body that is not a JSON object: %j',
    async (body) => {
      serveDiscovery(ISSUER, body)
      const err = await rejection(discoverServer(transport(), ISSUER))
      expect(err).toBeInstanceOf(InvalidResponseError)
    },
  )

  it('reports a 404 as InvalidResponseError with the status', async () => {
    serveDiscovery(ISSUER, { errorCode: 'E0000007' }, 404)
    expect(await rejection(discoverServer(transport(), ISSUER))).toMatchObject({ status: 404 })
  })

  it('trailing slash: one slash in the URL, and not significant on either side (one issuer rule)', async () => {
    // The configured issuer ends with a slash, the document's too: one slash in the path.
    const slashed = 'https://idp.example.com/'
    const hits = serveDiscovery(slashed, document({ issuer: slashed }))
    expect((await discoverServer(transport(), slashed)).issuer).toBe(slashed)
    expect(hits).toEqual(['https://idp.example.com/.well-known/openid-configuration'])
    // Configured with a slash, published without: the same issuer; the published one is kept.
    const withSlash = serveDiscovery(`${ISSUER}/`, document())
    expect((await discoverServer(transport(), `${ISSUER}/`)).issuer).toBe(ISSUER)
    expect(withSlash).toEqual([`${ISSUER}/.well-known/openid-configuration`])
    // And the other way round.
    serveDiscovery(ISSUER, document({ issuer: `${ISSUER}/` }))
    expect((await discoverServer(transport(), ISSUER)).issuer).toBe(`${ISSUER}/`)
    // Nothing else is folded: two slashes, another path, another case.
    for (const other of [
      `${ISSUER}//`,
      `${ISSUER}/x`,
      ISSUER.toUpperCase().replace('HTTPS', 'https'),
    ]) {
      serveDiscovery(ISSUER, document({ issuer: other }))
      expect(await rejection(discoverServer(transport(), ISSUER)), other).toMatchObject({
        code: 'ERR_ISSUER_MISMATCH',
      })
    }
    serveDiscovery(ISSUER, document({ issuer: 42 }))
    expect(await rejection(discoverServer(transport(), ISSUER))).toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
    })
  })

  it('refuses an insecure issuer before any request', async () => {
    const fetch = vi.fn(async () => Response.json(document()))
    const err = await rejection(
      discoverServer(transport({ fetch }), 'http://idp.example.com/oauth2/default'),
    )
    expect(err).toMatchObject({ code: 'ERR_INSECURE_URL' })
    expect(fetch).not.toHaveBeenCalled()
  })
})
