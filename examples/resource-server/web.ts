/**
 * Web-standard flavour: a `fetch(request) → Response` handler, the shape
 * Deno, Bun, Cloudflare Workers and Next.js route handlers use. Node serves
 * it through the tiny `node:http` adapter below.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Verifier } from 'okta-oauth-kit/verifier'
import { ordersBody, READ_SCOPE, REALM, type RunningServer, WRITE_SCOPE } from './shared.js'

/** The API as a fetch handler. */
export function createFetchHandler(verifier: Verifier): (request: Request) => Promise<Response> {
  return async (request) => {
    if (new URL(request.url).pathname !== '/orders') {
      return Response.json({ error: 'not_found' }, { status: 404 })
    }
    const write = request.method === 'POST'
    const auth = await verifier.authenticate(request, {
      scopes: [write ? WRITE_SCOPE : READ_SCOPE],
      realm: REALM,
    })
    if (!auth.ok) return auth.response // 400/401/403/503 with WWW-Authenticate, per RFC 6750
    return Response.json(ordersBody(request.method, auth.token), { status: write ? 201 : 200 })
  }
}

/** Serve a fetch handler with `node:http` (Node 20 has no built-in adapter). */
export async function serveFetch(
  handler: (request: Request) => Promise<Response>,
): Promise<RunningServer> {
  const server = createServer(async (req, res) => {
    try {
      const response = await handler(await toRequest(req))
      res.writeHead(response.status, [...response.headers].flat())
      res.end(Buffer.from(await response.arrayBuffer()))
    } catch {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    }
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function toRequest(req: IncomingMessage): Promise<Request> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, v)
    }
  }
  let body: Uint8Array<ArrayBuffer> | undefined
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    body = new Uint8Array(Buffer.concat(chunks))
  }
  return new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    ...(body && { body }),
  })
}

/** Start this flavour. */
export function startWeb(verifier: Verifier): Promise<RunningServer> {
  return serveFetch(createFetchHandler(verifier))
}
