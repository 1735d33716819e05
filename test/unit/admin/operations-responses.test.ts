/**
 * What the client does with a response: unknown fields kept, malformed or
 * empty bodies refused with InvalidResponseError, 204s and empty 200s void.
 */
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { InvalidResponseError } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { AUTHORIZATION_SERVER, SERVER_ID } from './fixtures.js'
import { API, rejectionOf, sswsClient } from './helpers.js'

describe('operations: responses', () => {
  it('keeps fields the model does not name, at every depth', async () => {
    const body = {
      ...AUTHORIZATION_SERVER,
      futureField: { nested: [1, 2] },
      credentials: { signing: { ...AUTHORIZATION_SERVER.credentials.signing, hsm: true } },
    }
    server.use(http.get(`${API}/authorizationServers/${SERVER_ID}`, () => HttpResponse.json(body)))
    const got = await sswsClient().authorizationServers.get(SERVER_ID)
    expect(got).toEqual(body)
    // The reference prints these outside `_links`: kept as they came.
    expect(got.metadata).toEqual(AUTHORIZATION_SERVER.metadata)
    expect(got.futureField).toEqual({ nested: [1, 2] })
    expect(got.credentials?.signing?.hsm).toBe(true)
  })

  it.each([
    ['a field of the wrong type', { id: 1, name: 'n', audiences: ['a'] }],
    ['a missing required field', { id: 'aus1', audiences: ['a'] }],
    ['not an object', 'aus1'],
  ])('refuses a response with %s: InvalidResponseError', async (_, body) => {
    server.use(http.get(`${API}/authorizationServers/aus1`, () => HttpResponse.json(body)))
    const err = await rejectionOf(sswsClient().authorizationServers.get('aus1'))
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 200 })
  })

  it('refuses a list answered with an object, and keys without a kid', async () => {
    server.use(
      http.get(`${API}/authorizationServers/aus1/scopes`, () => HttpResponse.json({ items: [] })),
      http.get(`${API}/authorizationServers/aus1/credentials/keys`, () =>
        HttpResponse.json({ keys: [{ status: 'ACTIVE' }] }),
      ),
    )
    const admin = sswsClient()
    expect(await rejectionOf(admin.scopes.list('aus1').all())).toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
    })
    expect(await rejectionOf(admin.keys.list('aus1'))).toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
    })
  })

  it('refuses a 200 whose body is not JSON, or empty where a model is expected', async () => {
    let n = 0
    server.use(
      http.get(`${API}/authorizationServers/aus1`, () =>
        ++n === 1
          ? HttpResponse.text('<html>oops</html>')
          : new HttpResponse(null, { status: 200 }),
      ),
    )
    const admin = sswsClient()
    const notJson = await rejectionOf(admin.authorizationServers.get('aus1'))
    expect(notJson).toBeInstanceOf(InvalidResponseError)
    expect(notJson.message).toMatch(/not JSON/)
    const empty = await rejectionOf(admin.authorizationServers.get('aus1'))
    expect(empty).toMatchObject({ code: 'ERR_INVALID_RESPONSE' })
  })

  it('request() without a schema resolves undefined for an empty 200', async () => {
    server.use(http.post(`${API}/users/00u1/lifecycle/unlock`, () => new HttpResponse(null)))
    await expect(
      sswsClient().request('POST', '/users/00u1/lifecycle/unlock'),
    ).resolves.toBeUndefined()
  })

  it('a 204 resolves void even when a model is expected elsewhere', async () => {
    server.use(
      http.post(
        `${API}/authorizationServers/aus1/lifecycle/activate`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    )
    await expect(sswsClient().authorizationServers.activate('aus1')).resolves.toBeUndefined()
  })
})
