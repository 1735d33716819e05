/**
 * Password grant, userinfo, introspect and revoke with a confidential client.
 *
 *   npx tsx examples/node-password/index.ts            # against the SDK's local org
 *   ISSUER=https://{org}.okta.com/oauth2/default CLIENT_ID=… CLIENT_SECRET=… \
 *   USERNAME=… PASSWORD=… npx tsx examples/node-password/index.ts   # against your org
 *
 * The password grant is legacy: use it for trusted first-party back ends and
 * test tooling only. Prefer the authorization code flow for users.
 */
import { createClient, discover, isOktaOAuthError } from 'okta-oauth-kit'

async function settings() {
  if (process.env.ISSUER) {
    const env = (name: string) => {
      const value = process.env[name]
      if (!value) throw new Error(`set ${name}`)
      return value
    }
    return {
      issuer: env('ISSUER'),
      clientId: env('CLIENT_ID'),
      clientSecret: env('CLIENT_SECRET'),
      username: env('USERNAME'),
      password: env('PASSWORD'),
      close: async () => {},
    }
  }
  // No org configured: start the SDK's local Okta-style org on 127.0.0.1.
  const { DEFAULT_CLIENTS, DEFAULT_USERS, startOktaOrg } = await import('okta-oauth-kit/testing')
  const { org, close } = await startOktaOrg()
  const web = DEFAULT_CLIENTS.find((c) => c.tokenEndpointAuthMethod === 'client_secret_basic')!
  const user = DEFAULT_USERS[0]!
  return {
    issuer: org.issuer(),
    clientId: web.clientId,
    clientSecret: web.clientSecret!,
    username: user.login,
    password: user.password,
    close,
  }
}

const s = await settings()
try {
  const client = createClient(await discover(s.issuer), {
    clientId: s.clientId,
    auth: { method: 'client_secret_basic', clientSecret: s.clientSecret },
    timeout: 5_000,
  })
  const tokens = await client.password({
    username: s.username,
    password: s.password,
    scope: 'openid profile email',
  })
  console.log('signed in as', tokens.idTokenClaims?.sub, 'scopes:', tokens.scope)
  console.log('userinfo:', await client.userinfo(tokens))
  console.log(
    'introspect:',
    (await client.introspect(tokens.accessToken)).active ? 'active' : 'inactive',
  )
  await client.revoke(tokens.accessToken, { tokenTypeHint: 'access_token' })
  console.log(
    'after revoke:',
    (await client.introspect(tokens.accessToken)).active ? 'active' : 'inactive',
  )
} catch (err) {
  console.error(isOktaOAuthError(err) ? `${err.code}: ${err.message}` : err)
  process.exitCode = 1
} finally {
  await s.close()
}
