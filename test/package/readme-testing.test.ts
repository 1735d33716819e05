import { execFile } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The README's code block after the paragraph that starts with `heading`. */
async function readmeBlock(heading: string): Promise<string> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
  const at = readme.indexOf(heading)
  expect(at).toBeGreaterThan(0)
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at))
  return block![1]!
}

describe("the README's local-org testing snippet, run as written", () => {
  it('signs in through form_post headlessly; advanceClock expires the token for the verifier', async () => {
    const snippet = await readmeBlock('**Testing your callback route**')
    // Two additions, both outside the README's lines: msw in front of fetch
    // (the README's comment says so), and the last line's outcome printed.
    const listen = 'const org = await createOktaOrg() // + setupServer(...org.handlers).listen()'
    expect(snippet).toContain(listen)
    const lines = snippet.trimEnd().split('\n')
    const last = lines.pop()!.replace(/\/\/.*$/, '')
    expect(last).toContain('verifier.verifyAccessToken(tokens.accessToken)')
    const program = [
      ...lines.map((l) =>
        l === listen
          ? `${l}\nconst { setupServer } = await import('msw/node')\nconst msw = setupServer(...org.handlers)\nmsw.listen({ onUnhandledRequest: 'error' })`
          : l,
      ),
      "console.log('returnTo', returnTo)",
      `try { ${last}; console.log('still valid') } catch (e) { console.log('expired', (e as { code?: string }).code) }`,
      'msw.close()',
    ].join('\n')
    const file = fileURLToPath(new URL('./readme-testing.tmp.mts', import.meta.url))
    await writeFile(file, program)
    try {
      const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url))
      const { stdout } = await promisify(execFile)(process.execPath, [tsx, file], { cwd: root })
      expect(stdout.trim().split('\n')).toEqual(['returnTo /orders', 'expired ERR_JWT_EXPIRED'])
    } finally {
      await rm(file, { force: true })
    }
  }, 60_000)
})
