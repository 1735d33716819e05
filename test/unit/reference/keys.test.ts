import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { JwksError } from '../../../src/index.js'
import { KEYS } from '../../fixtures/reference.js'
import { type ReferenceServer, record, referenceClient, SERVERS } from './servers.js'

const header = (kid?: string) => ({ alg: 'RS256', ...(kid !== undefined && { kid }) })
const token = { payload: '', signature: '' } as never

describe.each(SERVERS)('"Get Keys" of the $name', (kind: ReferenceServer) => {
  const jwksUri = kind.metadata().jwks_uri!
  const serveKeys = () =>
    record('get', jwksUri, () =>
      HttpResponse.json(KEYS.body, { status: KEYS.status, headers: KEYS.headers }),
    )

  it("is read from the discovery document's jwks_uri (/v1/keys), unchanged", async () => {
    const requests = serveKeys()
    const jwks = await referenceClient(kind).jwks.reload()
    expect(jwksUri).toBe(`${kind.base}/v1/keys`)
    expect(jwks).toEqual(KEYS.body)
    expect(requests).toHaveLength(1)
    expect(requests[0]!.method).toBe('GET')
    expect(requests[0]!.url.href).toBe(jwksUri)
  })

  it("served with the example's headers", async () => {
    serveKeys()
    const response = await fetch(jwksUri)
    expect(response.headers.get('cache-control')).toBe('max-age=3832304, must-revalidate')
    expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8')
  })

  it.each(KEYS.body!.keys.map((k) => [k.kid] as const))(
    'key %s resolves to an RSA-2048 public key for its kid',
    async (kid) => {
      serveKeys()
      const key = (await referenceClient(kind).jwks.getKey(header(kid), token)) as CryptoKey
      expect(key.type).toBe('public')
      expect(key.algorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048 })
    },
  )

  it('an unknown kid → JwksError ERR_JWKS_NO_MATCHING_KEY, after one refetch', async () => {
    const requests = serveKeys()
    const jwks = referenceClient(kind).jwks
    await jwks.reload()
    const err = await jwks.getKey(header('not-a-published-kid'), token).catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect(requests).toHaveLength(2)
  })

  it('a header without kid matches three keys → ERR_JWKS_NO_MATCHING_KEY (no guessing)', async () => {
    serveKeys()
    const err = await referenceClient(kind)
      .jwks.getKey(header(), token)
      .catch((e) => e)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
  })

  it('keys are cached: a second lookup sends no request', async () => {
    const requests = serveKeys()
    const client = referenceClient(kind)
    const [a, b] = KEYS.body!.keys
    await client.jwks.getKey(header(a!.kid), token)
    await client.jwks.getKey(header(b!.kid), token)
    expect(requests).toHaveLength(1)
  })
})
