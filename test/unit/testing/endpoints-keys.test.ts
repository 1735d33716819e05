// /v1/keys: the ACTIVE and NEXT keys each server publishes, key rotation per
// server, and discovery pointing at the keys. The org and helpers are in
// endpoints-harness.ts.
import { describe, expect, it } from 'vitest'
import { discover } from '../../../src/index.js'
import type { OktaOrg } from '../../../src/testing/index.js'
import { harness, keysOf, useEndpointsHarness } from './endpoints-harness.js'
import { useOrg } from './helpers.js'

useEndpointsHarness()

async function kids(o: OktaOrg, server?: string): Promise<string[]> {
  const body = (await (await keysOf(o, server)).json()) as { keys: { kid: string }[] }
  return body.keys.map((k) => k.kid)
}

describe('/v1/keys', () => {
  it('publishes the ACTIVE and the NEXT key before any rotation, public parts only', async () => {
    const fresh = await useOrg()
    const response = await keysOf(fresh)
    expect(response.headers.get('cache-control')).toBe('max-age=3832304, must-revalidate')
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(keys).toHaveLength(2)
    expect(keys.map((k) => k.kid)).toContain(fresh.activeKid())
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' })
      expect(key.n).toBeTypeOf('string')
      expect(key.d).toBeUndefined()
      expect(key.p).toBeUndefined()
    }
    expect(fresh.requestCount('keys')).toBe(1)
  })

  it('rotation: the NEXT key becomes ACTIVE, the old ACTIVE stays published, a second rotation drops it', async () => {
    const fresh = await useOrg()
    const first = fresh.activeKid()
    const [next] = (await kids(fresh)).filter((k) => k !== first)
    const second = await fresh.rotateKeys()
    expect(second).toBe(next)
    expect(fresh.activeKid()).toBe(next)
    const afterOne = await kids(fresh)
    expect(afterOne).toHaveLength(3)
    expect(afterOne).toContain(first)
    expect(afterOne).toContain(second)
    const [newNext] = afterOne.filter((k) => k !== first && k !== second)
    const third = await fresh.rotateKeys()
    expect(third).toBe(newNext)
    const afterTwo = await kids(fresh)
    expect(afterTwo).toHaveLength(3)
    expect(afterTwo).not.toContain(first)
    expect(afterTwo).toContain(second)
    expect(afterTwo).toContain(third)
  })

  it('the org server and each custom server have their own keys, rotated separately', async () => {
    const fresh = await useOrg()
    const custom = await kids(fresh)
    const orgKeys = await kids(fresh, `${fresh.orgUrl}/oauth2`)
    expect(orgKeys).toContain(fresh.activeKid('org'))
    expect(orgKeys.filter((k) => custom.includes(k))).toEqual([])
    const before = fresh.activeKid()
    const orgBefore = fresh.activeKid('org')
    const rotated = await fresh.rotateKeys('org')
    expect(rotated).not.toBe(orgBefore)
    expect(orgKeys).toContain(rotated)
    expect(fresh.activeKid('org')).toBe(rotated)
    expect(fresh.activeKid()).toBe(before)
    expect(await kids(fresh)).toEqual(custom)
  })

  it('rotateKeys and activeKid refuse an unknown server', async () => {
    await expect(harness.org.rotateKeys('nope')).rejects.toThrow(/no authorization server/)
    expect(() => harness.org.activeKid('nope')).toThrow(/no authorization server/)
  })

  it('discovery points at the keys', async () => {
    const metadata = await discover(harness.org.issuer())
    expect(metadata.jwks_uri).toBe(`${harness.org.issuer()}/v1/keys`)
    expect(metadata.end_session_endpoint).toBe(`${harness.org.issuer()}/v1/logout`)
    const response = await fetch(`${harness.org.issuer()}/.well-known/oauth-authorization-server`)
    expect(response.headers.get('cache-control')).toBe('max-age=86400')
    expect((await response.json()).issuer).toBe(harness.org.issuer())
  })
})
