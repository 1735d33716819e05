// Type-checks every ```ts example in the TSDoc of src/ against the package's
// own entries (`okta-oauth-kit`, `okta-oauth-kit/verifier`, …, mapped to
// their sources), so that an example a user copies compiles. Each example is
// its own module (top-level await allowed), written to .doc-examples/
// (git-ignored) and checked by one tsc run. Exits non-zero, naming the source
// line of each failing example.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const out = join(root, '.doc-examples')

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

interface Example {
  /** Where the example starts: `src/file.ts:line`. */
  where: string
  code: string
}

/** The ```ts blocks inside the doc comments of one file. */
function examplesOf(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const found: Example[] = []
  let inComment = false
  let block: { start: number; lines: string[] } | undefined
  lines.forEach((line, i) => {
    const trimmed = line.trim()
    if (trimmed.startsWith('/**')) inComment = true
    if (inComment) {
      const text = trimmed.replace(/^\/\*\*\s?|^\*\/|^\*\s?/, '')
      if (block) {
        if (text.startsWith('```')) {
          found.push({
            where: `${relative(root, file)}:${block.start}`,
            code: block.lines.join('\n'),
          })
          block = undefined
        } else {
          // Keep the indentation after the ` * ` prefix.
          block.lines.push(line.replace(/^\s*\*\s?/, ''))
        }
      } else if (/^```(ts|typescript)\s*$/.test(text)) {
        block = { start: i + 2, lines: [] }
      }
    }
    if (trimmed.endsWith('*/')) inComment = false
  })
  return found
}

const examples = sources(join(root, 'src')).flatMap(examplesOf)
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const index: Record<string, string> = {}
examples.forEach((example, i) => {
  const name = `example-${String(i).padStart(3, '0')}.ts`
  index[name] = example.where
  // `export {}` makes each file a module: its names are its own, top-level await works.
  writeFileSync(join(out, name), `// ${example.where}\n${example.code}\nexport {}\n`)
})

const entries: Record<string, string[]> = {
  'okta-oauth-kit': ['../src/index.ts'],
  'okta-oauth-kit/browser': ['../src/browser/index.ts'],
  'okta-oauth-kit/server': ['../src/server/index.ts'],
  'okta-oauth-kit/verifier': ['../src/verifier/index.ts'],
  'okta-oauth-kit/admin': ['../src/admin/index.ts'],
  'okta-oauth-kit/redis': ['../src/redis/index.ts'],
  'okta-oauth-kit/testing': ['../src/testing/index.ts'],
}
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '../tsconfig.json',
      compilerOptions: {
        noEmit: true,
        noUnusedLocals: false,
        noUnusedParameters: false,
        baseUrl: '.',
        paths: entries,
      },
      include: ['./*.ts'],
    },
    null,
    2,
  ),
)

try {
  execFileSync(
    process.execPath,
    [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', out],
    {
      cwd: root,
      stdio: 'pipe',
    },
  )
  console.log(`doc examples: ${examples.length} compile`)
} catch (err) {
  const output = String((err as { stdout?: Buffer }).stdout ?? err)
  const failing = new Set<string>()
  for (const line of output.split('\n')) {
    const m = /(example-\d{3}\.ts)\((\d+),\d+\): (error .*)/.exec(line)
    if (!m) continue
    // Line 1 of each file is the `// where` comment.
    const [file, where] = [m[1]!, index[m[1]!]!]
    const [path, start] = where.split(':')
    failing.add(`${path}:${Number(start) + Number(m[2]) - 2} (${file}): ${m[3]}`)
  }
  console.error(`doc examples that do not compile:\n${[...failing].join('\n') || output}`)
  process.exit(1)
}
