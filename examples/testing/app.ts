/**
 * A small app under test: a service that signs in to Okta with client
 * credentials and an API handler that verifies bearer tokens. Nothing here
 * knows about the emulator; the tests point it at one.
 */
import { createClient, discover } from 'okta-oauth-kit'
import { createVerifier, type Verifier } from 'okta-oauth-kit/verifier'

export interface AppConfig {
  issuer: string
  clientId: string
  clientSecret: string
  audience: string
}

/** Get an access token for the orders API (client credentials). */
export async function serviceToken(config: AppConfig, scope: string): Promise<string> {
  const client = createClient(await discover(config.issuer), {
    clientId: config.clientId,
    auth: { method: 'client_secret_basic', clientSecret: config.clientSecret },
  })
  const tokens = await client.clientCredentials({ scope })
  return tokens.accessToken
}

/** The orders API: GET needs orders:read, POST needs orders:write. */
export function ordersApi(config: AppConfig): {
  verifier: Verifier
  handle(request: Request): Promise<Response>
} {
  const verifier = createVerifier({ issuer: config.issuer, audience: config.audience })
  return {
    verifier,
    async handle(request) {
      const scope = request.method === 'GET' ? 'orders:read' : 'orders:write'
      const auth = await verifier.authenticate(request, { scopes: [scope], realm: 'orders' })
      if (!auth.ok) return auth.response
      return Response.json({ client: auth.token.clientId, orders: [] })
    },
  }
}
