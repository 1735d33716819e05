import { describe, expect, it } from 'vitest'
import { createVerifier } from '../../../src/verifier/node.js'
import { clientOf, useOrg, WEB, WEB_SECRET } from './helpers.js'

describe('org.clock: the org’s time for the SDK objects of a test', () => {
  it('is the org’s clock in ms, moved by advanceClock', async () => {
    const org = await useOrg()
    const { clock } = org // bound: passed around as is
    expect(Math.abs(clock() - Date.now())).toBeLessThan(1_000)
    expect(Math.floor(clock() / 1000)).toBeLessThanOrEqual(org.now())
    org.advanceClock(3_600)
    expect(Math.abs(clock() - (Date.now() + 3_600_000))).toBeLessThan(1_000)
  })

  it('expires tokens for a verifier given now: org.clock, and only for it', async () => {
    const org = await useOrg()
    const client = await clientOf(org, {
      clientId: WEB,
      auth: { method: 'client_secret_basic', clientSecret: WEB_SECRET },
    })
    const { accessToken } = await client.clientCredentials({ scope: 'orders:read' })
    const options = { issuer: org.issuer(), audience: 'api://default' }
    const withOrg = createVerifier({ ...options, now: org.clock })
    const withoutOrg = createVerifier(options)
    await expect(withOrg.verifyAccessToken(accessToken)).resolves.toBeDefined()
    org.advanceClock(3_600 + 31)
    await expect(withOrg.verifyAccessToken(accessToken)).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    })
    // What the README warned about before: without the org's clock the token still looks fresh.
    await expect(withoutOrg.verifyAccessToken(accessToken)).resolves.toBeDefined()
  })
})
