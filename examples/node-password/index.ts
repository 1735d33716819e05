/**
 * Password grant, userinfo, introspect and revoke with a confidential client.
 *
 *   npx tsx examples/node-password/index.ts            # against a local authorization server
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
  // No org configured: use the project's local Okta-style server.
  const { startProvider } = await import('../../test/integration/harness/provider.js')
  const op = await startProvider()
  return {
    issuer: op.issuer,
    clientId: op.clients.basic.clientId,
    clientSecret: op.clients.basic.clientSecret!,
    username: op.user.username,
    password: op.user.password,
    close: () => op.close(),
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
