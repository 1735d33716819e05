import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What a hostile server saw of one streamed answer. */
export interface StreamStats {
  /** Bytes of body written before the client went away (or all of them). */
  written: number
  /** Whether the client closed the connection before the whole body was written. */
  cutShort: boolean
  /** Settles when the answer ended, either way. */
  done: Promise<void>
}

/** A server on 127.0.0.1 that answers every request with `answer`; stopped with `close()`. */
export async function startHostileServer(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(answer)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Stream `total` bytes of `head` followed by JSON-safe padding, in 64 KiB
 * chunks that wait for the socket to drain: what a client refuses to read
 * stays unwritten. With `declare`, the Content-Length is sent up front.
 */
export function streamBody(
  res: ServerResponse,
  total: number,
  options: { status?: number; type?: string; head?: string; declare?: boolean } = {},
): StreamStats {
  const head = Buffer.from(options.head ?? '{"padding":"')
  const chunk = Buffer.alloc(64 * 1024, 'a')
  let written = 0
  let finished = false
  let resolveDone!: () => void
  const stats: StreamStats = {
    written: 0,
    cutShort: false,
    done: new Promise<void>((resolve) => {
      resolveDone = resolve
    }),
  }
  res.writeHead(options.status ?? 200, {
    'content-type': options.type ?? 'application/json',
    ...(options.declare && { 'content-length': String(total) }),
  })
  res.on('close', () => {
    stats.written = written
    stats.cutShort = !finished
    resolveDone()
  })
  const pump = () => {
    while (written < total) {
      const piece =
        written === 0 ? head : chunk.subarray(0, Math.min(chunk.length, total - written))
      written += piece.length
      if (!res.write(piece)) {
        res.once('drain', pump)
        return
      }
    }
    finished = true
    res.end()
  }
  pump()
  return stats
}
