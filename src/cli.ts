#!/usr/bin/env node
/// <reference types="node" />
/**
 * `npx okta-oauth-kit dev-server [--port 8787]`: serve the local Okta-style
 * org on 127.0.0.1 until interrupted.
 * @internal
 * @module
 */
import { DEFAULT_CLIENTS, DEFAULT_USERS, startOktaOrg } from './testing/index.js'

const HELP = `usage: okta-oauth-kit dev-server [--port <port>]

Serves a local Okta-style org (discovery, authorize, token, keys, userinfo,
introspect, revoke, logout) on http://127.0.0.1:<port> until interrupted.`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command !== 'dev-server') {
    process.stderr.write(`${HELP}\n`)
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2
  }
  let port = 8787
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    if (arg === '--port' || arg === '-p') {
      port = Number(rest[++i])
    } else if (arg?.startsWith('--port=')) {
      port = Number(arg.slice(7))
    } else {
      process.stderr.write(`unknown option ${arg}\n${HELP}\n`)
      return 2
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be an integer between 0 and 65535\n')
    return 2
  }
  const { url, org, close } = await startOktaOrg({ port })
  const lines = [
    `Local Okta-style org at ${url}`,
    `  org authorization server  ${org.orgIssuer}`,
    `  default custom server     ${org.issuer()}`,
    `  users                     ${DEFAULT_USERS.map((u) => `${u.login} / ${u.password}`).join(', ')}`,
    ...DEFAULT_CLIENTS.map(
      (c) =>
        `  client ${c.clientId}  ${c.tokenEndpointAuthMethod}${c.clientSecret ? ` secret ${c.clientSecret}` : ''}  redirect ${c.redirectUris?.join(' ')}`,
    ),
    'Press Ctrl+C to stop.',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await close()
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`dev-server failed: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  },
)
