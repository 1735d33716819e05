/** The app on Fastify 5. */
import Fastify from 'fastify'
import { isOktaOAuthError, toHttpResponse } from 'okta-oauth-kit/server'
import { type AppContext, homePage, htmlEscape, type RunningApp, SIGNED_OUT } from './shared.js'

export async function startFastify(ctx: AppContext): Promise<RunningApp> {
  const app = Fastify()
  // Fastify parses no forms by default: keep the body as a string (same limit as
  // callback()'s maxBodyBytes); callback() accepts the request with that body.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, done) => done(null, body),
  )
  app.get('/', async (request, reply) => {
    const update = await ctx.auth.session.refresh(request.raw)
    reply.type('text/html; charset=utf-8')
    if (!update) return SIGNED_OUT
    return reply.header('set-cookie', update.cookies).send(await homePage(ctx, update))
  })
  app.get<{ Querystring: { returnTo?: string } }>('/login', async (request, reply) => {
    // With the request, sign-ins this browser left pending are bounded (oldest deleted).
    const login = await ctx.auth.login(request.raw, { returnTo: request.query.returnTo ?? '/' })
    return reply.header('set-cookie', login.cookies).redirect(login.url.href)
  })
  app.all('/callback', async (request, reply) => {
    const { returnTo, cookies } = await ctx.auth.callback(request)
    return reply.header('set-cookie', cookies).redirect(returnTo)
  })
  app.post('/refresh', async (request, reply) => {
    const update = await ctx.auth.session.refresh(request.raw, { force: true })
    return reply.header('set-cookie', update?.cookies ?? []).redirect(update ? '/' : '/login')
  })
  app.post('/logout', async (request, reply) => {
    const { url, cookies } = await ctx.auth.logout(request.raw)
    return reply.header('set-cookie', cookies).redirect(url.href)
  })
  app.setErrorHandler((err, _request, reply) => {
    // Fastify's own 4xx (its body limit, an unparsable content type) keep their status.
    const { statusCode, code } = err as { statusCode?: number; code?: string }
    const own = !isOktaOAuthError(err) && statusCode !== undefined && statusCode < 500
    const { status, message } = own
      ? { status: statusCode, message: code ?? 'bad request' }
      : toHttpResponse(err)
    if (status === 500) console.error(err)
    return reply.code(status).header('cache-control', 'no-store').send(htmlEscape(message))
  })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close() }
}
