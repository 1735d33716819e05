import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { WorkerRequest } from '../fleet/worker.js'

// Child Node processes of a fleet (test/redis/fleet/worker.ts run with tsx),
// driven over IPC: each is one instance of the app, with its own memory.

const WORKER = fileURLToPath(new URL('../fleet/worker.ts', import.meta.url))

/** One forked instance. */
export interface Worker {
  readonly pid: number
  /** Send a request; resolves with its result, rejects with `{ name, code, message }` of its error. */
  call<T = Record<string, unknown>>(request: WorkerRequest): Promise<T>
  /** Kill it and wait for it to exit. */
  stop(): Promise<void>
}

/** Fork a worker and wait until it listens. */
export async function startWorker(): Promise<Worker> {
  const child: ChildProcess = fork(WORKER, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: unknown) => void }>()
  let next = 0
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker did not start in 30 s')), 30_000)
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)))
    child.on(
      'message',
      (message: { ready?: true; id?: number; ok?: boolean; result?: never; error?: unknown }) => {
        if (message.ready) {
          clearTimeout(timer)
          resolve()
          return
        }
        const waiter = pending.get(message.id!)
        if (!waiter) return
        pending.delete(message.id!)
        if (message.ok) waiter.resolve(message.result!)
        else waiter.reject(message.error)
      },
    )
  })
  return {
    pid: child.pid!,
    call: <T>(request: WorkerRequest) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next
        pending.set(id, { resolve: resolve as (v: never) => void, reject })
        child.send({ id, request })
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }
}
