/**
 * Cold-import time of every entry of the built package (through its
 * `exports`, so `npm run build` first) beside the libraries people would
 * otherwise load: `jose` (the baseline), `oauth4webapi`, `@okta/okta-auth-js`
 * and `@okta/jwt-verifier`; and `zod` and `ky`, of which `./admin` is made.
 *
 *   npm run bench:cold                  measure, print, rewrite bench/results/cold-import.md
 *   npx tsx bench/cold-import.ts --rounds 5 --no-write   a quick look
 *
 * Each measurement is a fresh `node` process (no loader, no flags, no
 * NODE_OPTIONS) running `cold-import/child.mjs`, which times
 * `await import(specifier)` with `performance.now()`; the process start-up is
 * not included. In every round each specifier is measured once, in a shuffled
 * order, so drift and load hit everyone alike; a ratio is, per round, the
 * entry's time divided by `import('jose')` of the same round, and the median
 * of those. Every child has a 20 s bound; the whole run takes about a minute.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem, type } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { fmt, median, table } from './common.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const child = join(root, 'bench', 'cold-import', 'child.mjs')
const resultsFile = join(root, 'bench', 'results', 'cold-import.md')

/** One thing imported. */
interface Subject {
  /** Row label. */
  name: string
  /** What `child.mjs` passes to `import()`. */
  specifier: string
  /** Ours (from `dist/`) or a library beside it. */
  ours: boolean
  /** Package whose version is reported (ours: our package.json). */
  pkg: string
}

const SUBJECTS: Subject[] = [
  { name: 'jose (baseline)', specifier: 'jose', ours: false, pkg: 'jose' },
  { name: 'okta-oauth-kit', specifier: 'okta-oauth-kit', ours: true, pkg: '.' },
  { name: 'okta-oauth-kit/browser', specifier: 'okta-oauth-kit/browser', ours: true, pkg: '.' },
  { name: 'okta-oauth-kit/server', specifier: 'okta-oauth-kit/server', ours: true, pkg: '.' },
  {
    name: 'okta-oauth-kit/verifier (node build)',
    specifier: 'okta-oauth-kit/verifier',
    ours: true,
    pkg: '.',
  },
  {
    name: 'okta-oauth-kit/verifier (WebCrypto build)',
    specifier: pathToFileURL(join(root, 'dist', 'verifier.js')).href,
    ours: true,
    pkg: '.',
  },
  { name: 'okta-oauth-kit/admin', specifier: 'okta-oauth-kit/admin', ours: true, pkg: '.' },
  { name: 'okta-oauth-kit/testing', specifier: 'okta-oauth-kit/testing', ours: true, pkg: '.' },
  { name: 'oauth4webapi', specifier: 'oauth4webapi', ours: false, pkg: 'oauth4webapi' },
  {
    name: '@okta/okta-auth-js',
    specifier: '@okta/okta-auth-js',
    ours: false,
    pkg: '@okta/okta-auth-js',
  },
  {
    name: '@okta/jwt-verifier',
    specifier: '@okta/jwt-verifier',
    ours: false,
    pkg: '@okta/jwt-verifier',
  },
  // What ./admin is made of, to read its row: zod is loaded with the entry
  // (its schemas are exported), ky at the first request.
  { name: 'zod (for reading the admin row)', specifier: 'zod', ours: false, pkg: 'zod' },
  { name: 'ky (for reading the admin row)', specifier: 'ky', ours: false, pkg: 'ky' },
]

/** Targets of issue 16, checked on the medians of this run. */
const TARGETS = [
  { name: 'okta-oauth-kit/admin', what: 'admin ≤ 60 ms', check: (ms: number) => ms <= 60 },
  {
    name: 'okta-oauth-kit/verifier (node build)',
    what: 'verifier (node build) ≤ jose',
    check: (_ms: number, ratio: number) => ratio <= 1,
  },
] as const

/** Tuning of {@link runColdImport}. */
export interface ColdImportOptions {
  /** Rounds; each subject is imported once per round. Default 15. */
  rounds?: number
  /** Progress lines. */
  log?: (line: string) => void
}

/** One measured subject. */
export interface ColdImportRow {
  subject: Subject
  /** Milliseconds of each round. */
  runs: number[]
  median: number
  p90: number
  /** Median CPU milliseconds (user + system). */
  cpuMedian: number
  /** Median over rounds of (this ÷ jose of the same round). */
  ratio: number
  minRatio: number
  maxRatio: number
}

/** One import: wall-clock and CPU (user + system, all threads) milliseconds. */
interface Sample {
  ms: number
  cpuMs: number
}

/** Import `specifier` in a fresh process. */
function importOnce(specifier: string): Promise<Sample> {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [child, specifier],
      { cwd: root, env, timeout: 20_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        let sample: Sample | undefined
        try {
          sample = JSON.parse(stdout) as Sample
        } catch {
          sample = undefined
        }
        if (error || !sample || !Number.isFinite(sample.ms) || !Number.isFinite(sample.cpuMs)) {
          reject(new Error(`import('${specifier}') failed: ${error?.message ?? ''} ${stderr}`))
        } else {
          resolve(sample)
        }
      },
    )
  })
}

/** A small seeded PRNG (mulberry32), so a run's orders can be reproduced. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function versionOf(pkg: string): Promise<string> {
  const path =
    pkg === '.' ? join(root, 'package.json') : join(root, 'node_modules', pkg, 'package.json')
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version
}

/** Measure every subject; returns the rows and the Markdown of the results. */
export async function runColdImport(options: ColdImportOptions = {}): Promise<{
  rows: ColdImportRow[]
  markdown: string
}> {
  const rounds = options.rounds ?? 15
  const log = options.log ?? (() => {})
  if (!existsSync(join(root, 'dist', 'admin.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first')
  }
  const random = prng(16)
  const runs = new Map<Subject, Sample[]>(SUBJECTS.map((s) => [s, []]))
  const loadBefore = loadavg()
  // One untimed import of each, so the file-system cache is warm for every round alike.
  for (const subject of SUBJECTS) await importOnce(subject.specifier)
  for (let round = 0; round < rounds; round++) {
    for (const subject of shuffled(SUBJECTS, random)) {
      runs.get(subject)!.push(await importOnce(subject.specifier))
    }
    log(`round ${round + 1}/${rounds}`)
  }
  const loadAfter = loadavg()
  const jose = runs.get(SUBJECTS[0]!)!
  const rows = SUBJECTS.map((subject): ColdImportRow => {
    const samples = runs.get(subject)!
    const ms = samples.map((s) => s.ms)
    const ratios = samples.map((s, i) => s.ms / jose[i]!.ms)
    return {
      subject,
      runs: ms,
      median: median(ms),
      p90: percentile(ms, 90),
      cpuMedian: median(samples.map((s) => s.cpuMs)),
      ratio: median(ratios),
      minRatio: Math.min(...ratios),
      maxRatio: Math.max(...ratios),
    }
  })

  const versions = await Promise.all(SUBJECTS.map((s) => versionOf(s.pkg)))
  const body = table(
    ['Import', 'Version', 'Median (ms)', 'p90 (ms)', 'min–max (ms)', 'CPU (ms)', '× jose (range)'],
    rows.map((row, i) => [
      row.subject.ours ? `**${row.subject.name}**` : row.subject.name,
      versions[i]!,
      fmt(row.median, 1),
      fmt(row.p90, 1),
      `${fmt(Math.min(...row.runs), 1)}–${fmt(Math.max(...row.runs), 1)}`,
      fmt(row.cpuMedian, 1),
      `**${fmt(row.ratio, 2)}×** (${fmt(row.minRatio, 2)}–${fmt(row.maxRatio, 2)})`,
    ]),
  )
  const verdicts = table(
    ['Target (issue 16)', 'Median', '× jose', 'Verdict'],
    TARGETS.map((target) => {
      const row = rows.find((r) => r.subject.name === target.name)!
      return [
        target.what,
        `${fmt(row.median, 1)} ms`,
        `${fmt(row.ratio, 2)}×`,
        target.check(row.median, row.ratio) ? 'met' : '**not met**',
      ]
    }),
  )
  const cpu = cpus()
  const busy = Math.max(loadBefore[0]!, loadAfter[0]!) > cpu.length / 2
  const markdown = [
    '# Cold import',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Node: ${process.version}, ${type()} ${process.arch}`,
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length} logical cores; ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `- Load average (1 min) before / after: ${fmt(loadBefore[0]!, 2)} / ${fmt(loadAfter[0]!, 2)}${busy ? ' — the machine was busy (other processes running): absolute times are inflated; read the ratios' : ''}`,
    '- Command: `npm run build && npm run bench:cold` (see `bench/README.md`)',
    '',
    `${rounds} rounds; in each, every import runs once in a fresh \`node\` process, in a shuffled order. Times are \`await import(specifier)\` inside the process (start-up excluded), through the package's \`exports\` from \`dist/\` (the WebCrypto verifier build by its file, since Node always picks the \`node\` condition). "CPU" is the median user + system time of the process during the import (all threads), which load from other processes inflates much less than wall-clock time. "× jose" is the median over rounds of (import ÷ \`import('jose')\` of the same round, wall-clock), with the range.`,
    '',
    body,
    '',
    verdicts,
    '',
  ].join('\n')
  return { rows, markdown }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const roundsArg = args.indexOf('--rounds')
  const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : undefined
  const started = performance.now()
  const { markdown } = await runColdImport({
    rounds,
    log: (line) => console.error(`  ${line}`),
  })
  console.log(markdown)
  if (!args.includes('--no-write')) {
    await writeFile(resultsFile, markdown)
    console.error(`wrote ${resultsFile}`)
  }
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}
