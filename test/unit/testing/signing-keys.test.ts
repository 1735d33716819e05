import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createOktaOrg, DEFAULT_API_TOKEN, type OktaOrg } from '../../../src/testing/index.js'
import { dispatcherOf } from '../../../src/testing/org-factory.js'

// Signing keys get their RSA pair on first use, from a pool shared by the
// process: what must hold whatever order keys are used in.

/** The org's answer to a request, without msw (the routes startOktaOrg serves). */
async function call(org: OktaOrg, path: string, init: RequestInit = {}): Promise<Response> {
  const response = await dispatcherOf(org)(new Request(`${org.orgUrl}${path}`, init))
  if (!response) throw new Error(`no route answered ${path}`)
  return response
}

async function keySet(org: OktaOrg, server = '/oauth2/default'): Promise<JSONWebKeySet> {
  return (await (await call(org, `${server}/v1/keys`)).json()) as JSONWebKeySet
}

/** An access token of the org's default server (password grant of the default web app). */
async function accessToken(org: OktaOrg): Promise<string> {
  const response = await call(org, '/oauth2/default/v1/token', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa('0oaweb0000000000000:web-app-secret-that-is-long-enough-for-hs256')}`,
    },
    body: new URLSearchParams({
      grant_type: 'password',
      username: 'john.doe@example.com',
      password: 'correct horse battery staple',
      scope: 'orders:read',
    }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { access_token: string }).access_token
}

describe('signing keys', () => {
  it('orgs of one process never share a key: a token of one does not verify at another', async () => {
    const orgs = await Promise.all(
      [1, 2, 3].map((i) => createOktaOrg({ orgUrl: `https://org${i}.example.com` })),
    )
    const sets = await Promise.all(orgs.map((org) => keySet(org)))
    const moduli = sets.flatMap((set) => set.keys.map((k) => k.n))
    expect(moduli).toHaveLength(6)
    expect(new Set(moduli).size).toBe(6)
    const [a, b] = orgs as [OktaOrg, OktaOrg]
    const token = await accessToken(a)
    const verified = await jwtVerify(token, createLocalJWKSet(sets[0]!), { algorithms: ['RS256'] })
    expect(verified.protectedHeader.kid).toBe(a.activeKid())
    // Each of the second org's keys, even under the first org's kid, rejects the signature.
    for (const key of sets[1]!.keys) {
      const relabelled = { keys: [{ ...key, kid: a.activeKid() }] }
      await expect(
        jwtVerify(token, createLocalJWKSet(relabelled), { algorithms: ['RS256'] }),
      ).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
    }
    await expect(jwtVerify(token, createLocalJWKSet(sets[1]!))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    expect(b.activeKid()).not.toBe(a.activeKid())
  })

  it('the org server and a custom server of one org have different keys', async () => {
    const org = await createOktaOrg()
    const custom = await keySet(org)
    const own = await keySet(org, '/oauth2')
    const moduli = [...custom.keys, ...own.keys].map((k) => k.n)
    expect(new Set(moduli).size).toBe(4)
  })

  it('a rotation adds a key with a new pair, and the key set shows it at once', async () => {
    const org = await createOktaOrg()
    const before = await keySet(org)
    expect(await keySet(org)).toEqual(before)
    const active = await org.rotateKeys()
    const after = await keySet(org)
    expect(after.keys).toHaveLength(3)
    const added = after.keys.find((k) => !before.keys.some((b) => b.kid === k.kid))!
    expect(before.keys.map((k) => k.n)).not.toContain(added.n)
    // The former NEXT signs now, with the pair it published before the rotation.
    expect(after.keys.find((k) => k.kid === active)?.n).toBe(
      before.keys.find((k) => k.kid === active)?.n,
    )
    const token = await accessToken(org)
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(after))
    expect(protectedHeader.kid).toBe(active)
    await expect(jwtVerify(token, createLocalJWKSet(before))).resolves.toBeTruthy()
  })

  it('the management API lists the keys the key set publishes, and keyRotate adds a new pair', async () => {
    const org = await createOktaOrg()
    const sswsHeaders = { authorization: `SSWS ${DEFAULT_API_TOKEN}` }
    const path = '/api/v1/authorizationServers/default/credentials'
    const listed = (await (await call(org, `${path}/keys`, { headers: sswsHeaders })).json()) as {
      kid: string
      n: string
      status: string
    }[]
    const published = await keySet(org)
    for (const key of listed) {
      expect(published.keys.find((k) => k.kid === key.kid)?.n).toBe(key.n)
    }
    const one = (await (
      await call(org, `${path}/keys/${listed[0]!.kid}`, { headers: sswsHeaders })
    ).json()) as { n: string }
    expect(one.n).toBe(listed[0]!.n)
    const rotated = await call(org, `${path}/lifecycle/keyRotate`, {
      method: 'POST',
      headers: { ...sswsHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ use: 'sig' }),
    })
    expect(rotated.status).toBe(200)
    const after = (await rotated.json()) as { n: string; status: string }[]
    const next = after.find((k) => k.status === 'NEXT')!
    expect(listed.map((k) => k.n)).not.toContain(next.n)
  })
})
