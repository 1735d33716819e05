/** The app on plain `node:http`. */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { toHttpResponse } from 'okta-oauth-kit/server'
import { type AppContext, homePage, htmlEscape, type RunningApp, SIGNED_OUT } from './shared.js'

function send(res: ServerResponse, status: number, body: string, cookies: string[] = []) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...(cookies.length > 0 && { 'set-cookie': cookies }),
  })
  res.end(body)
}

function redirect(res: ServerResponse, location: string, cookies: string[]) {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'set-cookie': cookies })
  res.end()
}

async function route(ctx: AppContext, req: IncomingMessage, res: ServerResponse) {
  const { auth } = ctx
  const url = new URL(req.url ?? '/', 'http://localhost')
  const key = `${req.method} ${url.pathname}`
  if (key === 'GET /') {
    // Refreshes only when the access token is about to expire.
    const update = await auth.session.refresh(req)
    if (!update) return send(res, 200, SIGNED_OUT)
    return send(res, 200, await homePage(ctx, update), update.cookies)
  }
  if (key === 'GET /login') {
    // With the request, sign-ins this browser left pending are bounded (oldest deleted).
    const login = await auth.login(req, { returnTo: url.searchParams.get('returnTo') ?? '/' })
    return redirect(res, login.url.href, login.cookies)
  }
  if (url.pathname === '/callback') {
    // Any method: callback() answers anything but a form POST with a typed 405/415.
    const { returnTo, cookies } = await auth.callback(req)
    return redirect(res, returnTo, cookies)
  }
  if (key === 'POST /refresh') {
    const update = await auth.session.refresh(req, { force: true })
    return redirect(res, update ? '/' : '/login', update?.cookies ?? [])
  }
  if (key === 'POST /logout') {
    const { url: logoutUrl, cookies } = await auth.logout(req)
    return redirect(res, logoutUrl.href, cookies)
  }
  send(res, 404, 'not found')
}

export async function startNode(ctx: AppContext): Promise<RunningApp> {
  const server = createServer((req, res) => {
    route(ctx, req, res).catch((err: unknown) => {
      // Typed errors become a safe status and message; nothing secret is echoed.
      const answer = toHttpResponse(err)
      if (answer.status === 500) console.error(err)
      if (!res.headersSent) send(res, answer.status, htmlEscape(answer.message))
      else res.destroy()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
