/**
 * Fastify 5 flavour: an `onRequest` hook per route that verifies the bearer
 * token and its scopes, and answers failures per RFC 6750 with `bearerChallenge`.
 */
import Fastify, { type FastifyInstance, type onRequestHookHandler } from 'fastify'
import { bearerChallenge, type VerifiedAccessToken, type Verifier } from 'okta-oauth-kit/verifier'
import { ordersBody, READ_SCOPE, REALM, type RunningServer, WRITE_SCOPE } from './shared.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token, set by {@link requireToken}. */
    auth: VerifiedAccessToken | null
  }
}

/** Fastify hook: `request.auth` is the verified token, or the request is answered. */
export function requireToken(verifier: Verifier, scopes: string[]): onRequestHookHandler {
  return async (request, reply) => {
    try {
      request.auth = await verifier.verifyRequest(request.headers, { scopes })
    } catch (error) {
      const { status, headers, body } = bearerChallenge(error, { realm: REALM })
      return reply
        .code(status)
        .headers({ ...headers, 'cache-control': 'no-store' })
        .send(body)
    }
  }
}

/** The API as a Fastify instance. */
export function createFastifyApp(verifier: Verifier): FastifyInstance {
  const app = Fastify()
  app.decorateRequest('auth', null)
  app.get('/orders', { onRequest: requireToken(verifier, [READ_SCOPE]) }, async (request) =>
    ordersBody('GET', request.auth!),
  )
  app.post(
    '/orders',
    { onRequest: requireToken(verifier, [WRITE_SCOPE]) },
    async (request, reply) => reply.code(201).send(ordersBody('POST', request.auth!)),
  )
  return app
}

/** Start this flavour. */
export async function startFastify(verifier: Verifier): Promise<RunningServer> {
  const app = createFastifyApp(verifier)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close() }
}
