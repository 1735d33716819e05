/**
 * One verifier, three servers: a Web-standard fetch handler, Express 5 and
 * Fastify 5, each protecting `GET /orders` (orders:read) and `POST /orders`
 * (orders:write). The demo calls each one the way clients would, prints a
 * transcript, and exits non-zero if any answer is not the expected one.
 *
 *   npx tsx examples/resource-server/index.ts            # against a local authorization server
 *   ISSUER=https://{org}.okta.com/oauth2/default AUDIENCE=api://default \
 *   CLIENT_ID=… CLIENT_SECRET=… npx tsx examples/resource-server/index.ts   # against your org
 */
import { base64url } from 'jose'
import { createClient, discover, isOktaOAuthError } from 'okta-oauth-kit'
import { createVerifier } from 'okta-oauth-kit/verifier'
import { startExpress } from './express.js'
import { startFastify } from './fastify.js'
import { READ_SCOPE, REALM, type RunningServer, WRITE_SCOPE } from './shared.js'
import { startWeb } from './web.js'

interface Settings {
  issuer: string
  audience: string
  clientId: string
  clientSecret: string
  /** JWKS requests the authorization server has seen (local server only). */
  jwksRequests?: () => number
  close(): Promise<void>
}

async function settings(): Promise<Settings> {
  if (process.env.ISSUER) {
    const env = (name: string) => {
      const value = process.env[name]
      if (!value) throw new Error(`set ${name}`)
      return value
    }
    return {
      issuer: env('ISSUER'),
      audience: env('AUDIENCE'),
      clientId: env('CLIENT_ID'),
      clientSecret: env('CLIENT_SECRET'),
      close: async () => {},
    }
  }
  // No org configured: use the project's local Okta-style server, issuing
  // RFC 9068 JWT access tokens for api://default.
  const { startProvider, API_AUDIENCE } = await import('../../test/integration/harness/provider.js')
  const op = await startProvider({ accessTokenFormat: 'jwt' })
  return {
    issuer: op.issuer,
    audience: API_AUDIENCE,
    clientId: op.clients.basic.clientId,
    clientSecret: op.clients.basic.clientSecret!,
    jwksRequests: () => op.requestCount('/oauth2/default/v1/keys'),
    close: () => op.close(),
  }
}

// Never print a token, not even a prefix: only its shape.
const redact = (token: string) =>
  `[redacted ${token.split('.').length === 3 ? 'JWT' : 'opaque'}, ${token.length} chars]`

/** The same token with `sub` changed: header and signature kept, so the signature no longer matches. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)))
  return `${header}.${base64url.encode(JSON.stringify({ ...claims, sub: 'mallory' }))}.${signature}`
}

interface Check {
  label: string
  method: 'GET' | 'POST'
  authorization?: string
  status: number
  /** The `error` attribute of `WWW-Authenticate`, if one is expected. */
  error?: string
  /** How to show the credentials in the transcript (default: the redacted token). */
  shown?: string
}

const flavours: [string, (v: ReturnType<typeof createVerifier>) => Promise<RunningServer>][] = [
  ['web (fetch handler on node:http)', startWeb],
  ['express 5 (middleware)', startExpress],
  ['fastify 5 (onRequest hook)', startFastify],
]

const s = await settings().catch((err: Error) => {
  console.error(err.message)
  process.exit(1)
})
let failures = 0
let total = 0
try {
  // One verifier for every server: one discovery, one JWKS cache.
  const verifier = createVerifier({ issuer: s.issuer, audience: s.audience, timeout: 5_000 })
  await verifier.ready()
  const client = createClient(await discover(s.issuer), {
    clientId: s.clientId,
    auth: { method: 'client_secret_basic', clientSecret: s.clientSecret },
    timeout: 5_000,
  })
  const { accessToken } = await client.clientCredentials({ scope: READ_SCOPE })
  console.log(`issuer    ${s.issuer}`)
  console.log(`audience  ${s.audience}   verifier: ${verifier.crypto}`)
  console.log(`token     ${redact(accessToken)} (client credentials, scope ${READ_SCOPE})`)

  const checks: Check[] = [
    { label: 'no token', method: 'GET', status: 401 },
    { label: 'good token', method: 'GET', authorization: accessToken, status: 200 },
    {
      label: `token without ${WRITE_SCOPE}`,
      method: 'POST',
      authorization: accessToken,
      status: 403,
      error: 'insufficient_scope',
    },
    {
      label: 'tampered token',
      method: 'GET',
      authorization: tamper(accessToken),
      status: 401,
      error: 'invalid_token',
    },
    {
      label: 'two tokens in the header',
      method: 'GET',
      authorization: `${accessToken} ${accessToken}`,
      status: 400,
      error: 'invalid_request',
      shown: '[redacted JWT] [redacted JWT]',
    },
  ]

  for (const [name, start] of flavours) {
    const server = await start(verifier)
    console.log(`\n${name}  ${server.url}`)
    try {
      for (const check of checks) {
        total++
        const response = await fetch(`${server.url}/orders`, {
          method: check.method,
          headers: check.authorization ? { authorization: `Bearer ${check.authorization}` } : {},
        })
        const challenge = response.headers.get('www-authenticate')
        const body = await response.text()
        const problems: string[] = []
        if (response.status !== check.status) problems.push(`expected ${check.status}`)
        if (check.status >= 400) {
          if (!challenge?.startsWith(`Bearer realm="${REALM}"`)) problems.push('no challenge')
          const error = /error="([^"]+)"/.exec(challenge ?? '')?.[1]
          if (error !== check.error) problems.push(`expected error ${check.error ?? '(none)'}`)
          if (
            check.error === 'insufficient_scope' &&
            !challenge?.includes(`scope="${WRITE_SCOPE}"`)
          )
            problems.push('no scope attribute')
        }
        if (check.authorization && body.includes(check.authorization.split('.')[2] ?? '-'))
          problems.push('the token leaked into the response')
        const shown =
          response.status < 300
            ? summarise(body)
            : `WWW-Authenticate: ${challenge?.replace(/, error_description="[^"]*"/, '')}`
        const who =
          check.shown ?? (check.authorization ? redact(check.authorization) : '(no Authorization)')
        console.log(
          `  ${problems.length ? 'FAIL' : 'ok  '} ${check.method.padEnd(4)} /orders  ${check.label.padEnd(26)} ${who.padEnd(29)} → ${response.status}  ${shown}`,
        )
        if (problems.length) {
          failures++
          console.log(`       ${problems.join('; ')}`)
        }
      }
    } finally {
      await server.close()
    }
  }
  const jwks = s.jwksRequests ? `; JWKS requests seen by the server: ${s.jwksRequests()}` : ''
  console.log(`\n${total - failures}/${total} checks passed${jwks}`)
} catch (err) {
  failures++
  console.error(isOktaOAuthError(err) ? `${err.code}: ${err.message}` : err)
} finally {
  await s.close()
}
process.exitCode = failures === 0 ? 0 : 1

function summarise(body: string): string {
  const json = JSON.parse(body) as { subject?: string; scopes?: string[]; orders?: unknown[] }
  return JSON.stringify({
    subject: json.subject,
    scopes: json.scopes,
    ...(json.orders && { orders: json.orders.length }),
  })
}
