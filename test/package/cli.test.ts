import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

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
})
