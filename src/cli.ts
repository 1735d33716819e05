#!/usr/bin/env node
/// <reference types="node" />
/**
 * `npx okta-oauth-kit dev-server [--port 8787] [--key-file <path>]`: serve
 * the local Okta-style org on 127.0.0.1 until interrupted.
 * @internal
 * @module
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const HELP = `usage: okta-oauth-kit dev-server [--port <port>] [--key-file <path>]

Serves a local Okta-style org on http://127.0.0.1:<port> until interrupted:
the org authorization server and the \`default\` custom server (discovery,
authorize, token, keys, userinfo, introspect, revoke, logout), and the
management API of authorization servers and apps (SSWS or okta.* tokens).

  --port, -p <port>    the port (default 8787; 0 picks a free one)
  --key-file <path>    where to write the service client's private key, as
                       PKCS #8 PEM, and beside it <path>.jwk.json (mode 0600;
                       default ${join(tmpdir(), 'okta-oauth-kit', 'service-key.pem')})
  --help, -h           this text

Needs msw (an optional peer dependency): npm install --save-dev msw`

interface Args {
  port: number
  keyFile: string
}

/** Parse the arguments; a number is the exit code (usage printed). */
function parse(argv: string[]): Args | number {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  if (command !== 'dev-server') {
    process.stderr.write(`unknown command ${command}\n${HELP}\n`)
    return 2
  }
  let port = 8787
  let keyFile = join(tmpdir(), 'okta-oauth-kit', 'service-key.pem')
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg]
    const value = (): string | undefined => inline ?? rest[++i]
    if (name === '--help' || name === '-h') {
      process.stdout.write(`${HELP}\n`)
      return 0
    } else if (name === '--port' || name === '-p') {
      const v = value()
      port = v !== undefined && /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN
    } else if (name === '--key-file') {
      const v = value()
      if (v === undefined || v === '') {
        process.stderr.write('--key-file needs a path\n')
        return 2
      }
      keyFile = resolve(v)
    } else {
      process.stderr.write(`unknown option ${arg}\n${HELP}\n`)
      return 2
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be an integer between 0 and 65535\n')
    return 2
  }
  return { port, keyFile }
}

/** Load `./testing`, which needs msw; `undefined` (and a hint printed) when msw is missing. */
async function loadTesting(): Promise<typeof import('./testing/index.js') | undefined> {
  try {
    return await import('./testing/index.js')
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code
    if (
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      /\bmsw\b/.test(String((err as Error).message))
    ) {
      process.stderr.write(
        'The dev server needs msw, an optional peer dependency of okta-oauth-kit.\n' +
          'Install it next to okta-oauth-kit:  npm install --save-dev msw\n',
      )
      return undefined
    }
    throw err
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv)
  if (typeof args === 'number') return args
  const testing = await loadTesting()
  if (!testing) return 1
  const { DEFAULT_API_TOKEN, DEFAULT_SERVICE_CLIENT_ID, startOktaOrg } = testing
  let running: Awaited<ReturnType<typeof startOktaOrg>>
  try {
    running = await startOktaOrg({ port: args.port })
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(
        `port ${args.port} on 127.0.0.1 is ${code === 'EADDRINUSE' ? 'in use' : 'not allowed'}; pick another with --port (0 for any free one)\n`,
      )
      return 1
    }
    throw err
  }
  const { url, org, close } = running
  const key = await org.clientKey(DEFAULT_SERVICE_CLIENT_ID)
  const jwkFile = `${args.keyFile}.jwk.json`
  await mkdir(dirname(args.keyFile), { recursive: true, mode: 0o700 })
  await writeFile(args.keyFile, key.privatePem, { mode: 0o600 })
  await writeFile(jwkFile, `${JSON.stringify(key.privateJwk, null, 2)}\n`, { mode: 0o600 })
  // An existing file keeps its mode through writeFile: set it.
  await Promise.all([chmod(args.keyFile, 0o600), chmod(jwkFile, 0o600)])
  process.stdout.write(`${banner(testing, url, org, args.keyFile, jwkFile, DEFAULT_API_TOKEN)}\n`)
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  await close()
  return 0
}

/** Everything a user needs to start: issuers, users, clients, the API token, the key files. */
function banner(
  testing: typeof import('./testing/index.js'),
  url: string,
  org: import('./testing/index.js').OktaOrg,
  keyFile: string,
  jwkFile: string,
  apiToken: string,
): string {
  const { DEFAULT_SERVICE_CLIENT_ID } = testing
  const lines = [
    `Local Okta-style org at ${url}`,
    '',
    'Authorization servers',
    `  org       ${org.orgIssuer}    (okta.* scopes for the management API)`,
    `  default   ${org.issuer()}    (audience api://default, scopes orders:read orders:write)`,
    '',
    'Users (password grant, sign-in)',
    ...[...org.users.values()].map((u) => `  ${u.login} / ${u.password}`),
    '',
    'Clients',
  ]
  for (const c of org.clients.values()) {
    const method = c.tokenEndpointAuthMethod ?? (c.clientSecret ? 'client_secret_basic' : 'none')
    lines.push(`  ${c.clientId}  ${method}`)
    if (c.clientSecret) lines.push(`      secret     ${c.clientSecret}`)
    if (c.clientId === DEFAULT_SERVICE_CLIENT_ID) {
      lines.push(`      key        ${keyFile}  (PEM; JWK: ${jwkFile})`)
    }
    if (c.grantTypes) lines.push(`      grants     ${c.grantTypes.join(' ')}`)
    if (c.redirectUris?.length) lines.push(`      redirects  ${c.redirectUris.join(' ')}`)
    if (c.oktaScopes?.length) lines.push(`      okta.*     ${c.oktaScopes.join(' ')}`)
  }
  lines.push(
    '',
    'Management API',
    `  ${url}/api/v1/authorizationServers`,
    `  Authorization: SSWS ${apiToken}`,
    `  or OAuth for Okta: client ${DEFAULT_SERVICE_CLIENT_ID}, private_key_jwt with the key above, scopes okta.authorizationServers.read …`,
    '',
    'Trusted origins (CORS)',
    `  ${[...org.trustedOrigins].join(' ')}`,
    '',
    'Press Ctrl+C to stop.',
  )
  return lines.join('\n')
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`dev-server failed: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  },
)
