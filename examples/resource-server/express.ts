/**
 * Express 5 flavour: a middleware per route that verifies the bearer token
 * and its scopes, and answers failures per RFC 6750 with `bearerChallenge`.
 */
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import express, { type RequestHandler } from 'express'
import { bearerChallenge, type Verifier } from 'okta-oauth-kit/verifier'
import { ordersBody, READ_SCOPE, REALM, type RunningServer, WRITE_SCOPE } from './shared.js'

/** Express middleware: `res.locals.token` is the verified token, or the request is answered. */
export function requireToken(verifier: Verifier, scopes: string[]): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.token = await verifier.verifyRequest(req, { scopes })
    } catch (error) {
      const { status, headers, body } = bearerChallenge(error, { realm: REALM })
      res.status(status).set(headers).set('cache-control', 'no-store')
      body ? res.json(body) : res.end()
      return
    }
    next()
  }
}

/** The API as an Express app. */
export function createExpressApp(verifier: Verifier): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.get('/orders', requireToken(verifier, [READ_SCOPE]), (_req, res) => {
    res.json(ordersBody('GET', res.locals.token))
  })
  app.post('/orders', requireToken(verifier, [WRITE_SCOPE]), (_req, res) => {
    res.status(201).json(ordersBody('POST', res.locals.token))
  })
  return app
}

/** Start this flavour. */
export async function startExpress(verifier: Verifier): Promise<RunningServer> {
  const server = createExpressApp(verifier).listen(0, '127.0.0.1')
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
