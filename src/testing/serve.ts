/// <reference types="node" />
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { getResponse, type RequestHandler } from 'msw'
import { InvalidOptionError } from '../errors.js'
import { apiError } from './management/responses.js'
import type { OktaOrgOptions } from './options.js'
import { createOktaOrg, dispatcherOf, type OktaOrg } from './org-factory.js'
import type { RouteDispatcher } from './routes.js'

/** Options of {@link startOktaOrg}. */
export interface StartOktaOrgOptions extends Omit<OktaOrgOptions, 'orgUrl'> {
  /** The port on 127.0.0.1. Default: `0` (any free port). */
  port?: number
  /** Extra msw handlers, consulted before the org's own (to stub other APIs next to it). */
  handlers?: RequestHandler[]
}

/** A local org served over HTTP; see {@link startOktaOrg}. */
export interface RunningOktaOrg {
  /** The org's base URL, `http://127.0.0.1:{port}`. */
  readonly url: string
  /** The emulated org: issuers, users, clients, and the controls for tests. */
  readonly org: OktaOrg
  /** Stop the server. */
  close(): Promise<void>
}

/**
 * Serve an emulated org over real HTTP on 127.0.0.1, for examples, demos,
 * browser tests and apps that cannot use msw in-process. The same handlers
 * as {@link createOktaOrg}; Node only.
 *
 * @param options - Port and org options.
 * @returns The running org; `close()` it when done.
 * @example
 * ```ts
 * import { startOktaOrg } from 'okta-oauth-kit/testing'
 * const { url, org, close } = await startOktaOrg()
 * console.log(org.issuer()) // http://127.0.0.1:PORT/oauth2/default
 * await close()
 * ```
 */
export async function startOktaOrg(options: StartOktaOrgOptions = {}): Promise<RunningOktaOrg> {
  const http = (
    globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
  ).process?.getBuiltinModule?.('node:http') as typeof import('node:http') | undefined
  if (!http) throw new InvalidOptionError('startOktaOrg needs Node.js 20.16 or later')
  const { port = 0, handlers: extra = [], ...orgOptions } = options
  let answer: (request: Request) => Promise<Response | undefined> = async () => undefined
  const server: Server = http.createServer((req, res) => {
    serve(req, res, answer).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  const url = `http://127.0.0.1:${address.port}`
  const org = await createOktaOrg({ ...orgOptions, orgUrl: url })
  answer = answerer(extra, dispatcherOf(org))
  return {
    url,
    org,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * The extra handlers first (through msw), then the org's own routes,
 * matched as msw would but without going through msw (see routes.ts).
 */
function answerer(
  extra: RequestHandler[],
  org: RouteDispatcher,
): (request: Request) => Promise<Response | undefined> {
  if (extra.length === 0) return org
  return async (request) => (await getResponse(extra, request)) ?? org(request)
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  answer: (request: Request) => Promise<Response | undefined>,
): Promise<void> {
  const body = await readBody(req)
  if (body === undefined) {
    res.writeHead(413).end()
    return
  }
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  const method = req.method ?? 'GET'
  const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
    method,
    headers,
    ...(method !== 'GET' && method !== 'HEAD' && { body }),
  })
  const response = (await answer(request)) ?? notFound(request)
  const out: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    out[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) out['set-cookie'] = cookies
  res.writeHead(response.status, out)
  res.end(Buffer.from(await response.arrayBuffer()))
}

/**
 * What no handler answers: under `/api/v1/`, Okta's JSON 404 (`E0000007`,
 * the spec's generic "Not found"), so an official client reads an Okta
 * error; elsewhere a plain 404. (With msw, the org's handlers let such
 * requests through to yours.)
 */
function notFound(request: Request): Response {
  if (new URL(request.url).pathname.startsWith('/api/v1/')) {
    return apiError(404, 'E0000007', 'Not found: Resource not found')
  }
  return new Response('Not found', { status: 404 })
}

const MAX_BODY = 1_048_576

/**
 * The request body, or `undefined` once it exceeds {@link MAX_BODY}. An
 * oversized body is then discarded as it arrives rather than the connection
 * being destroyed, so the client still reads the 413.
 */
function readBody(req: IncomingMessage): Promise<ReturnType<typeof Buffer.concat> | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) {
        chunks.push(chunk)
        return
      }
      req.off('data', onData)
      req.resume()
      chunks.length = 0
      resolve(undefined)
    }
    req.on('data', onData)
    req.once('end', () => resolve(size <= MAX_BODY ? Buffer.concat(chunks) : undefined))
    req.once('error', reject)
    // A client gone before the end of its body: nothing to answer.
    req.once('close', () => {
      if (!req.complete) reject(new Error('request aborted'))
    })
  })
}
