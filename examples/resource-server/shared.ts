/**
 * What the three flavours share: the API's realm and scopes, its one
 * resource, and how a running server is handed back to the demo.
 */
import type { VerifiedAccessToken } from 'okta-oauth-kit/verifier'

/** The `realm` of every `WWW-Authenticate` challenge. */
export const REALM = 'orders'
/** `GET /orders` needs this scope (`SCOPE` overrides it for a real org). */
export const READ_SCOPE = process.env.SCOPE || 'orders:read'
/** `POST /orders` needs this one. */
export const WRITE_SCOPE = 'orders:write'

/** A server started on 127.0.0.1 with a random port. */
export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** Stop listening and drop kept-alive connections. */
  close(): Promise<void>
}

/** The body of a successful call: what the API knows about the caller, and some orders. */
export function ordersBody(method: string, token: VerifiedAccessToken) {
  const caller = { subject: token.subject, clientId: token.clientId, scopes: token.scopes }
  if (method === 'POST') return { ...caller, created: { id: 'ord_3', item: 'teapot' } }
  return {
    ...caller,
    orders: [
      { id: 'ord_1', item: 'kettle' },
      { id: 'ord_2', item: 'mugs' },
    ],
  }
}
