import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url))

/** Type-check a user project of test/consumers against the built package; tsc's diagnostics. */
async function typeCheck(config: string): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', `test/consumers/${config}`], {
      cwd: root,
    })
    return ''
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err)
  }
}

describe('user projects type-check against the built declarations', () => {
  it('ESM with the newest @types/node, Express 5, Fastify 5 and Hono 4 (skipLibCheck off)', async () => {
    // IncomingMessage, Express's req and Fastify's request are accepted by ./server.
    expect(await typeCheck('tsconfig.esm.json')).toBe('')
  }, 60_000)
})
