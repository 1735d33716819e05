/** The app on Express 5. */
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { type ErrorRequestHandler } from 'express'
import { toHttpResponse } from 'okta-oauth-kit/server'
import { type AppContext, homePage, htmlEscape, type RunningApp, SIGNED_OUT } from './shared.js'

export async function startExpress(ctx: AppContext): Promise<RunningApp> {
  const app = express()
  // No body parser is needed on /callback: callback() reads the stream with its
  // own size limit (an express.urlencoded() body is accepted too).
  app.get('/', async (req, res) => {
    const update = await ctx.auth.session.refresh(req)
    if (!update) return void res.send(SIGNED_OUT)
    res.set('set-cookie', update.cookies).send(await homePage(ctx, update))
  })
  app.get('/login', async (req, res) => {
    const returnTo = typeof req.query.returnTo === 'string' ? req.query.returnTo : '/'
    // With the request, sign-ins this browser left pending are bounded (oldest deleted).
    const login = await ctx.auth.login(req, { returnTo })
    res.set('set-cookie', login.cookies).redirect(login.url.href)
  })
  app.all('/callback', async (req, res) => {
    const { returnTo, cookies } = await ctx.auth.callback(req)
    res.set('set-cookie', cookies).redirect(returnTo)
  })
  app.post('/refresh', async (req, res) => {
    const update = await ctx.auth.session.refresh(req, { force: true })
    res.set('set-cookie', update?.cookies ?? []).redirect(update ? '/' : '/login')
  })
  app.post('/logout', async (req, res) => {
    const { url, cookies } = await ctx.auth.logout(req)
    res.set('set-cookie', cookies).redirect(url.href)
  })
  // Express 5 passes rejected promises here.
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const { status, message } = toHttpResponse(err)
    if (status === 500) console.error(err)
    res.status(status).set('cache-control', 'no-store').send(htmlEscape(message))
  }
  app.use(onError)
  const server: Server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
