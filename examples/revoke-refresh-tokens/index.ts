/**
 * Sign a user out of an app everywhere: list the app's refresh tokens with
 * the management API, revoke the user's, and see the app's next refresh
 * fail with invalid_grant.
 *
 *   npm run build && npx tsx examples/revoke-refresh-tokens/index.ts   # against the SDK's local org
 *
 * Against your org: ORG_URL=https://{org}.okta.com CLIENT_ID=0oa… PRIVATE_KEY_FILE=key.pem
 * APP_ID=0oa… USER_ID=00u… (the service app needs the okta.apps.read grant,
 * and okta.apps.manage to revoke). It only lists the user's tokens unless
 * ALLOW_WRITES=1, which revokes them.
 */
import { readFile } from 'node:fs/promises'
import { createClient, discover, isOktaOAuthError, OAuthResponseError } from 'okta-oauth-kit'
import { type AdminClient, createAdminClient } from 'okta-oauth-kit/admin'

const SCOPES = ['okta.apps.read', 'okta.apps.manage']

interface Setup {
  admin: AdminClient
  appId: string
  userId: string
  writes: boolean
  /** Signs the user in to the app (local org only): returns a refresh token. */
  signIn?: () => Promise<string>
  /** Uses a refresh token at the token endpoint (local org only). */
  refresh?: (refreshToken: string) => Promise<unknown>
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
      appId: env('APP_ID'),
      userId: env('USER_ID'),
      writes: process.env.ALLOW_WRITES === '1',
      close: async () => {},
    }
  }
  // The local org: its default service app (private_key_jwt, granted every
  // okta.* scope of the admin client) and its generated key.
  const { DEFAULT_CLIENTS, DEFAULT_SERVICE_CLIENT_ID, DEFAULT_USERS, startOktaOrg } = await import(
    'okta-oauth-kit/testing'
  )
  const { org, url, close } = await startOktaOrg()
  const key = await org.clientKey(DEFAULT_SERVICE_CLIENT_ID)
  const web = DEFAULT_CLIENTS.find((c) => c.tokenEndpointAuthMethod === 'client_secret_basic')!
  const user = DEFAULT_USERS[0]!
  const app = createClient(await discover(org.issuer()), {
    clientId: web.clientId,
    auth: { method: 'client_secret_basic', clientSecret: web.clientSecret! },
  })
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
    appId: web.clientId,
    userId: user.id!,
    writes: true,
    signIn: async () => {
      const tokens = await app.password({
        username: user.login,
        password: user.password,
        scope: 'openid offline_access',
      })
      return tokens.refreshToken!
    },
    refresh: (refreshToken) => app.refresh(refreshToken),
    close,
  }
}

const s = await setup()
try {
  // On the local org, the user signs in twice (two devices): two refresh tokens.
  const held = s.signIn ? [await s.signIn(), await s.signIn()] : []

  const tokens = await s.admin.appTokens.list(s.appId, { expand: 'scope' }).all()
  const users = tokens.filter((t) => t.userId === s.userId && t.status === 'ACTIVE')
  console.log(`${tokens.length} refresh token(s) of the app, ${users.length} of the user:`)
  for (const t of users) {
    const scopes = t._embedded?.scopes?.map((scope) => scope.name) ?? t.scopes
    console.log(`  ${t.id}  ${t.issuer}  expires ${t.expiresAt}  ${scopes?.join(' ')}`)
  }

  if (!s.writes) {
    console.log('\nread-only run: set ALLOW_WRITES=1 to revoke them')
  } else {
    for (const t of users) await s.admin.appTokens.revoke(s.appId, t.id)
    console.log(`revoked ${users.length} refresh token(s)`)
    for (const refreshToken of held) {
      const outcome = await s.refresh!(refreshToken).then(
        () => 'still works',
        (err) => (err instanceof OAuthResponseError ? err.error : String(err)),
      )
      console.log('the app refreshes:', outcome) // invalid_grant
      if (outcome !== 'invalid_grant') throw new Error('expected invalid_grant')
    }
  }
  console.log('\ndone')
} catch (err) {
  console.error(isOktaOAuthError(err) ? `${err.code}: ${err.message}` : err)
  process.exitCode = 1
} finally {
  await s.close()
}
