/**
 * Runs the smoke flows (`smoke.ts`) in each runtime as a child process,
 * against a local org this (Node) process serves on 127.0.0.1. Node, Deno and
 * Bun run `main.ts` with their own resolvers; workerd runs `worker.ts`,
 * bundled by esbuild with Cloudflare's conditions, through miniflare.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import {
  DEFAULT_CLIENTS,
  DEFAULT_SERVICE_CLIENT_ID,
  DEFAULT_USERS,
  type RunningOktaOrg,
  startOktaOrg,
} from '../../src/testing/index.js'
import type { SmokeConfig } from './smoke.js'

export const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = (name: string) => `${root}node_modules/.bin/${name}`

/** A runtime's answer: the flows' results, plus which dist file each entry resolved to. */
export interface SmokeRun {
  result: Record<string, unknown> & { resolved: Record<string, string> }
  /** Wall-clock milliseconds of the child process (or the Worker's request). */
  ms: number
}

/** Start a fresh org (one per runtime, so their writes never meet) and describe it. */
export async function startSmokeOrg(): Promise<{ running: RunningOktaOrg; config: SmokeConfig }> {
  const running = await startOktaOrg()
  const web = DEFAULT_CLIENTS.find((c) => c.tokenEndpointAuthMethod === 'client_secret_basic')
  const user = DEFAULT_USERS[0]
  if (!web?.clientSecret || !user?.password) throw new Error('the default org changed')
  const key = await running.org.clientKey(DEFAULT_SERVICE_CLIENT_ID)
  return {
    running,
    config: {
      orgUrl: running.url,
      issuer: running.org.issuer(),
      web: {
        clientId: web.clientId,
        clientSecret: web.clientSecret,
        redirectUri: 'http://localhost:3000/callback',
      },
      user: { login: user.login, password: user.password },
      service: { clientId: DEFAULT_SERVICE_CLIENT_ID, privatePem: key.privatePem, kid: key.kid },
      cookieSecret: 'runtime-smoke-cookie-secret-at-least-32-chars',
    },
  }
}

function spawn(file: string, args: string[], config: SmokeConfig): Promise<SmokeRun> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: root,
        timeout: 40_000,
        maxBuffer: 1 << 20,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          SMOKE_CONFIG: JSON.stringify(config),
          // Closed network: no update checks, no prompts, no telemetry.
          DENO_NO_UPDATE_CHECK: '1',
          DENO_NO_PROMPT: '1',
          DO_NOT_TRACK: '1',
          NO_COLOR: '1',
        },
      },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`${file} failed: ${err.message}\n${stderr}`))
          return
        }
        const line = stdout.trim().split('\n').at(-1) ?? ''
        try {
          resolve({ result: JSON.parse(line), ms: performance.now() - started })
        } catch {
          reject(new Error(`${file} printed no JSON:\n${stdout}\n${stderr}`))
        }
      },
    )
  })
}

const MAIN = 'test/runtimes/main.ts'

/** Each runtime: how to start it on `main.ts`, or the Worker path. */
export const RUNTIMES = {
  // Node 20 cannot strip types: tsx does, and leaves resolution to Node.
  node: (config: SmokeConfig) => spawn(process.execPath, ['--import', 'tsx', MAIN], config),
  deno: (config: SmokeConfig) =>
    spawn(
      bin('deno'),
      [
        'run',
        '--no-lock',
        '--allow-net=127.0.0.1',
        '--allow-env=SMOKE_CONFIG',
        `--allow-read=${root}`,
        MAIN,
      ],
      config,
    ),
  bun: (config: SmokeConfig) => spawn(bin('bun'), ['run', MAIN], config),
  workerd: runWorker,
} as const

/** The conditions Cloudflare's bundler (wrangler) resolves with. */
export const WORKER_CONDITIONS = ['workerd', 'worker', 'browser']

/** Bundle `worker.ts` as wrangler would; returns the code and the dist files it took. */
export async function bundleWorker(): Promise<{ code: string; distFiles: string[] }> {
  const out = await build({
    entryPoints: [`${root}test/runtimes/worker.ts`],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: WORKER_CONDITIONS,
    mainFields: ['browser', 'module', 'main'],
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  })
  const distFiles = Object.keys(out.metafile.inputs)
    .filter((f) => f.startsWith('dist/'))
    .map((f) => f.slice('dist/'.length))
    .sort()
  return { code: out.outputFiles[0]?.text ?? '', distFiles }
}

async function runWorker(config: SmokeConfig): Promise<SmokeRun> {
  const started = performance.now()
  const { code, distFiles } = await bundleWorker()
  const mf = new Miniflare({
    modules: true,
    script: code,
    compatibilityDate: '2026-04-01',
    bindings: { SMOKE_CONFIG: JSON.stringify(config) },
  })
  try {
    const response = await mf.dispatchFetch('http://worker.local/')
    const text = await response.text()
    if (response.status !== 200) throw new Error(`worker answered ${response.status}: ${text}`)
    const entry = (name: string) => distFiles.filter((f) => f.startsWith(name)).join(',')
    return {
      result: {
        ...JSON.parse(text),
        resolved: { verifier: entry('verifier') },
        distFiles,
      },
      ms: performance.now() - started,
    }
  } finally {
    await mf.dispose()
  }
}

/** True when `npm run build` has run (the runtimes import the package by name: dist/). */
export const built = () => existsSync(`${root}dist/verifier.js`)
