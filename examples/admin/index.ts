/**
 * Manage an authorization server with scoped okta.* tokens (OAuth for Okta,
 * client credentials + private_key_jwt), then verify a token across a key
 * rotation.
 *
 *   npx tsx examples/admin/index.ts      # against the SDK's local org
 *
 * Against your org: ORG_URL=https://{org}.okta.com CLIENT_ID=0oa… PRIVATE_KEY_FILE=key.pem
 * (the service app needs the okta.authorizationServers.manage grant). It only
 * lists servers unless ALLOW_WRITES=1, which creates, rotates and deletes a
 * throwaway server named "okta-oauth-kit example".
 */
import { readFile } from 'node:fs/promises'
import { createClient, discover, isOktaOAuthError } from 'okta-oauth-kit'
import { type AdminClient, createAdminClient } from 'okta-oauth-kit/admin'
import { createVerifier } from 'okta-oauth-kit/verifier'

const SCOPES = ['okta.authorizationServers.manage', 'okta.authorizationServers.read']

interface Setup {
  admin: AdminClient
  orgUrl: string
  writes: boolean
  /** A client that can get tokens from the new server (local org only). */
  tokenClient?: { clientId: string; clientSecret: string }
  close(): Promise<void>
}

async function setup(): Promise<Setup> {
  if (process.env.ORG_URL) {
    const env = (name: string) => {
      const value = process.env[name]
      if (!value) throw new Error(`set ${name}`)
      return value
    }
    return {
      admin: createAdminClient({
        orgUrl: env('ORG_URL'),
        auth: {
          type: 'oauth',
          clientId: env('CLIENT_ID'),
          privateKey: await readFile(env('PRIVATE_KEY_FILE'), 'utf8'),
          scopes: SCOPES,
        },
      }),
      orgUrl: env('ORG_URL'),
      writes: process.env.ALLOW_WRITES === '1',
      close: async () => {},
    }
  }
  // The local org: its default service app (private_key_jwt, granted every
  // okta.* scope of the admin client) and the key the org generated for it.
  // Its management API is rate-limited as Okta's is, so the X-Rate-Limit-*
  // headers are there to read.
  const { DEFAULT_CLIENTS, DEFAULT_SERVICE_CLIENT_ID, startOktaOrg } = await import(
    'okta-oauth-kit/testing'
  )
  const { org, url, close } = await startOktaOrg({ rateLimit: { limit: 600 } })
  const key = await org.clientKey(DEFAULT_SERVICE_CLIENT_ID)
  const web = DEFAULT_CLIENTS.find((c) => c.clientSecret)!
  return {
    admin: createAdminClient({
      orgUrl: url,
      auth: {
        type: 'oauth',
        clientId: DEFAULT_SERVICE_CLIENT_ID,
        privateKey: key.privatePem,
        kid: key.kid,
        scopes: SCOPES,
      },
    }),
    orgUrl: url,
    writes: true,
    tokenClient: { clientId: web.clientId, clientSecret: web.clientSecret! },
    close,
  }
}

const step = (title: string) => console.log(`\n${title}`)
const show = (label: string, value: unknown) =>
  console.log(`  ${label.padEnd(20)} ${typeof value === 'string' ? value : JSON.stringify(value)}`)

const s = await setup()
try {
  step('Authorization servers in the org')
  for await (const server of s.admin.authorizationServers.list()) {
    show(server.id, `${server.name} (${server.status}) ${server.issuer ?? ''}`)
  }
  if (!s.writes) {
    console.log('\nread-only run: set ALLOW_WRITES=1 to create, rotate and delete a test server')
  } else {
    step('Create a server, a scope, a claim, a policy and a rule')
    const server = await s.admin.authorizationServers.create({
      name: 'okta-oauth-kit example',
      description: 'created by examples/admin',
      audiences: ['api://orders'],
    })
    show('server', { id: server.id, issuer: server.issuer })
    const scope = await s.admin.scopes.create(server.id, {
      name: 'orders:read',
      description: 'Read orders',
    })
    show('scope', scope.name)
    const claim = await s.admin.claims.create(server.id, {
      name: 'tenant',
      status: 'ACTIVE',
      claimType: 'RESOURCE',
      valueType: 'EXPRESSION',
      value: '"acme"',
      conditions: { scopes: ['orders:read'] },
    })
    show('claim', claim.name)
    const policy = await s.admin.policies.create(server.id, {
      type: 'OAUTH_AUTHORIZATION_POLICY',
      name: 'Orders API',
      description: 'Service access to the orders API',
      priority: 1,
      conditions: { clients: { include: ['ALL_CLIENTS'] } },
    })
    const rule = await s.admin.policyRules.create(server.id, policy.id, {
      type: 'RESOURCE_ACCESS',
      name: 'Client credentials',
      conditions: {
        grantTypes: { include: ['client_credentials'] },
        scopes: { include: ['orders:read'] },
        people: { groups: { include: ['EVERYONE'] } },
      },
      actions: { token: { accessTokenLifetimeMinutes: 60, refreshTokenWindowMinutes: 10080 } },
    })
    show('policy / rule', `${policy.name} / ${rule.name}`)

    const refused = await s.admin.policyRules
      .create(server.id, policy.id, {
        name: 'Too long',
        conditions: { scopes: { include: ['orders:read'] } },
        actions: { token: { accessTokenLifetimeMinutes: 2_000 } },
      })
      .catch((e) => e)
    if (refused?.code !== 'ERR_INVALID_REQUEST_BODY') throw new Error('expected a refusal')
    show(
      'limits checked',
      `a 2,000-minute access token is refused before sending (${refused.code})`,
    )

    if (s.tokenClient && server.issuer) {
      step('A resource server verifies tokens of the new server across a key rotation')
      const client = createClient(await discover(server.issuer), {
        clientId: s.tokenClient.clientId,
        auth: { method: 'client_secret_basic', clientSecret: s.tokenClient.clientSecret },
      })
      const verifier = createVerifier({ issuer: server.issuer, audience: 'api://orders' })
      const before = await client.clientCredentials({ scope: 'orders:read' })
      show('before rotation', (await verifier.verifyAccessToken(before.accessToken)).scopes)
      const rotated = await s.admin.keys.rotateAndWait(server.id, { interval: 100 })
      show(
        'rotated',
        `new kid ${rotated.kid.slice(0, 8)}…, ${rotated.reloadedCaches} cache(s) reloaded`,
      )
      const after = await client.clientCredentials({ scope: 'orders:read' })
      const verified = await verifier.verifyAccessToken(after.accessToken, {
        scopes: ['orders:read'],
      })
      if (verified.header?.kid !== rotated.kid) throw new Error('expected the new key')
      show('after rotation', `verified with ${verified.header.kid.slice(0, 8)}…`)
    }

    step('Clean up')
    await s.admin.authorizationServers.deactivate(server.id)
    await s.admin.authorizationServers.delete(server.id)
    const gone = await s.admin.authorizationServers.get(server.id).catch((e) => e)
    if (gone?.code !== 'ERR_API_NOT_FOUND') throw new Error('expected the server to be gone')
    show('deleted', `${server.id} is gone (a get now answers 404 ${gone.code}, as expected)`)
  }
  const rate = s.admin.rateLimit
  show(
    'rate limit',
    rate?.remaining !== undefined && rate.limit !== undefined
      ? `${rate.remaining} of ${rate.limit} requests left in this window` +
          (rate.reset === undefined ? '' : `, until ${new Date(rate.reset * 1000).toISOString()}`)
      : 'the org sent no X-Rate-Limit-* headers on the last answer',
  )
  console.log('\ndone')
} catch (err) {
  console.error(isOktaOAuthError(err) ? `${err.code}: ${err.message}` : err)
  process.exitCode = 1
} finally {
  await s.close()
}
