import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createAdminClient } from '../../src/admin/index.js'
import { DEFAULT_API_TOKEN, DEFAULT_CLIENTS, DEFAULT_USERS } from '../../src/testing/index.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Run the built CLI to its end; its exit code, stdout and stderr. */
async function run(
  args: string[],
  cwd = root,
  cli = 'dist/cli.js',
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [cli, ...args], { cwd })
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString()
  })
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, out, err }
}

describe('npx okta-oauth-kit dev-server (the built bin)', () => {
  it('serves the local org on 127.0.0.1 and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['dist/cli.js', 'dev-server', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 10_000)
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
          if (m) {
            clearTimeout(timer)
            resolve(m[1]!)
          }
        })
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)))
      })
      const doc = (await (
        await fetch(`${url}/oauth2/default/.well-known/openid-configuration`)
      ).json()) as { issuer: string; jwks_uri: string }
      expect(doc.issuer).toBe(`${url}/oauth2/default`)
      const keys = (await (await fetch(doc.jwks_uri)).json()) as { keys: unknown[] }
      expect(keys.keys.length).toBeGreaterThanOrEqual(2)
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      expect(await exited).toBe(0)
    }
  })

  it('prints everything a user needs, and the service key works for OAuth for Okta', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-key-'))
    const keyFile = join(dir, 'nested', 'service.pem')
    const child = spawn(
      process.execPath,
      ['dist/cli.js', 'dev-server', '--port=0', '--key-file', keyFile],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = ''
        const timer = setTimeout(() => reject(new Error(`no banner: ${text}`)), 10_000)
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          if (text.includes('Press Ctrl+C')) {
            clearTimeout(timer)
            resolve(text)
          }
        })
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)))
      })
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!
      // The four default clients, their secrets and redirects, the users, the SSWS token.
      expect(DEFAULT_CLIENTS.map((c) => c.clientId)).toHaveLength(4)
      for (const c of DEFAULT_CLIENTS) {
        expect(out).toContain(c.clientId)
        if (c.clientSecret) expect(out).toContain(c.clientSecret)
        for (const uri of c.redirectUris ?? []) expect(out).toContain(uri)
      }
      for (const u of DEFAULT_USERS) expect(out).toContain(`${u.login} / ${u.password}`)
      expect(out).toContain(`SSWS ${DEFAULT_API_TOKEN}`)
      expect(out).toContain(`${url}/oauth2/default`)
      expect(out).toContain(keyFile)
      // The private key files are the user's alone.
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
      expect((await stat(`${keyFile}.jwk.json`)).mode & 0o777).toBe(0o600)
      const pem = await readFile(keyFile, 'utf8')
      expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
      const jwk = JSON.parse(await readFile(`${keyFile}.jwk.json`, 'utf8')) as { kid: string }
      // The service client signs in with private_key_jwt (PEM and JWK) and
      // calls the management API with okta.* scopes.
      for (const privateKey of [pem, jwk]) {
        const admin = createAdminClient({
          orgUrl: url,
          auth: {
            type: 'oauth',
            clientId: '0oaservice000000000',
            privateKey,
            kid: jwk.kid,
            scopes: ['okta.authorizationServers.read'],
          },
        })
        const ids: string[] = []
        for await (const server of admin.authorizationServers.list()) ids.push(server.id)
        expect(ids).toContain('default')
      }
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('answers --help with usage and exit 0, and a bad port or option with exit 2', async () => {
    for (const args of [['--help'], ['-h'], [], ['dev-server', '--help']]) {
      const { code, out } = await run(args)
      expect(code).toBe(0)
      expect(out).toContain('usage: okta-oauth-kit dev-server')
    }
    for (const args of [
      ['dev-server', '--port', 'x'],
      ['dev-server', '--port', '70000'],
      ['dev-server', '--key-file'],
      ['dev-server', '--nope'],
    ]) {
      expect((await run(args)).code).toBe(2)
    }
  })

  it('without msw installed: --help works, dev-server says what to install', async () => {
    // An app with okta-oauth-kit and its dependencies, but not the optional msw peer.
    const app = await mkdtemp(join(tmpdir(), 'cli-no-msw-'))
    try {
      const pkg = join(app, 'node_modules', 'okta-oauth-kit')
      await mkdir(pkg, { recursive: true })
      await cp(join(root, 'dist'), join(pkg, 'dist'), { recursive: true })
      await cp(join(root, 'package.json'), join(pkg, 'package.json'))
      for (const dep of ['jose', 'oauth4webapi', 'ky', 'zod']) {
        await symlink(join(root, 'node_modules', dep), join(app, 'node_modules', dep), 'dir')
      }
      await writeFile(join(app, 'package.json'), '{"type":"module"}')
      const cli = join(pkg, 'dist', 'cli.js')
      const help = await run(['--help'], app, cli)
      expect(help.code).toBe(0)
      expect(help.out).toContain('usage: okta-oauth-kit dev-server')
      expect(help.err).toBe('')
      const dev = await run(['dev-server', '--port', '0'], app, cli)
      expect(dev.code).toBe(1)
      expect(dev.err).toContain('npm install --save-dev msw')
      expect(dev.err).not.toMatch(/\n\s+at /) // no stack trace
    } finally {
      await rm(app, { recursive: true, force: true })
    }
  })

  it('prints usage and exits 2 for an unknown command', async () => {
    const child = spawn(process.execPath, ['dist/cli.js', 'nope'], { cwd: root })
    let err = ''
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString()
    })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(2)
    expect(err).toContain('usage: okta-oauth-kit dev-server')
  })

  it('reports a port in use in one line, without a stack', async () => {
    const { createServer } = await import('node:net')
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = busy.address() as { port: number }
      const { code, err } = await run(['dev-server', '--port', String(port)])
      expect(code).toBe(1)
      expect(err).toContain(`port ${port} on 127.0.0.1 is in use`)
      expect(err).not.toMatch(/\n\s+at /)
    } finally {
      busy.close()
    }
  })
})
