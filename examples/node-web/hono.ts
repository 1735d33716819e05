/** The app on Hono 4: Web-standard handlers, so `callback(c.req.raw)` takes the `Request`. */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { toHttpResponse } from 'okta-oauth-kit/server'
import { type AppContext, homePage, htmlEscape, type RunningApp, SIGNED_OUT } from './shared.js'

/** A 302 carrying every Set-Cookie (Hono's `c.redirect` keeps appended headers). */
function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' })
  for (const cookie of cookies) headers.append('set-cookie', cookie)
  return new Response(null, { status: 302, headers })
}

export function honoApp(ctx: AppContext): Hono {
  const app = new Hono()
  app.get('/', async (c) => {
    const update = await ctx.auth.session.refresh(c.req.raw)
    if (!update) return c.html(SIGNED_OUT)
    for (const cookie of update.cookies) c.header('set-cookie', cookie, { append: true })
    return c.html(await homePage(ctx, update))
  })
  app.get('/login', async (c) => {
    // With the request, sign-ins this browser left pending are bounded (oldest deleted).
    const login = await ctx.auth.login(c.req.raw, { returnTo: c.req.query('returnTo') ?? '/' })
    return redirect(login.url.href, login.cookies)
  })
  app.all('/callback', async (c) => {
    const { returnTo, cookies } = await ctx.auth.callback(c.req.raw)
    return redirect(returnTo, cookies)
  })
  app.post('/refresh', async (c) => {
    const update = await ctx.auth.session.refresh(c.req.raw, { force: true })
    return redirect(update ? '/' : '/login', update?.cookies ?? [])
  })
  app.post('/logout', async (c) => {
    const { url, cookies } = await ctx.auth.logout(c.req.raw)
    return redirect(url.href, cookies)
  })
  app.onError((err, c) => {
    const { status, message } = toHttpResponse(err)
    if (status === 500) console.error(err)
    c.header('cache-control', 'no-store')
    return c.html(htmlEscape(message), status as 400)
  })
  return app
}

/** Serve the Hono app on node:http (what @hono/node-server does, in a few lines). */
export async function startHono(ctx: AppContext): Promise<RunningApp> {
  const app = honoApp(ctx)
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v)
      else if (value !== undefined) headers.set(name, value)
    }
    const method = req.method ?? 'GET'
    const response = await app.fetch(
      new Request(`http://${req.headers.host}${req.url}`, {
        method,
        headers,
        ...(method !== 'GET' && method !== 'HEAD' && { body: Buffer.concat(chunks) }),
      }),
    )
    const out: Record<string, string | string[]> = {}
    response.headers.forEach((value, name) => {
      out[name] = value
    })
    const cookies = response.headers.getSetCookie()
    if (cookies.length > 0) out['set-cookie'] = cookies
    res.writeHead(response.status, out)
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
