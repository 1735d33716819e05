import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'

// A real redis-server (Debian's `redis-server` package) for the redis
// project: started on 127.0.0.1 and a free port, nothing saved to disk,
// killed after. Missing redis-server fails the tests (never skips them).

/** A redis-server started by {@link startRedis}. */
export interface RunningRedis {
  /** Its port on 127.0.0.1. */
  readonly port: number
  /** `redis://127.0.0.1:{port}`. */
  readonly url: string
  /** Freeze the server (SIGSTOP): connections stay open, commands get no answer. */
  pause(): void
  /** Let a paused server go on (SIGCONT). */
  resume(): void
  /** Stop it and wait for it to exit. */
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

/** Whether redis-server is installed; throws a clear error when it is not. */
export function requireRedisServer(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not installed: the redis tests need a real one (apt-get install -y redis-server; .ci/run installs it)',
    )
  }
}

/** Start a redis-server on 127.0.0.1 and a free port; resolves when it accepts connections. */
export async function startRedis(): Promise<RunningRedis> {
  requireRedisServer()
  let lastOutput = ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const ready = await new Promise<boolean>((resolve) => {
      let output = ''
      const timer = setTimeout(() => resolve(false), 10_000)
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        lastOutput = output.slice(-2000)
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer)
          resolve(true)
        }
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve(false)
      })
    })
    if (ready) return running(child, port)
    child.kill('SIGKILL')
  }
  throw new Error(`redis-server did not start: ${lastOutput}`)
}

function running(child: ChildProcess, port: number): RunningRedis {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGCONT')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
