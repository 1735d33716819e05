/**
 * The management client against a hostile org on 127.0.0.1 that streams
 * bodies far larger than the client reads: a page, an error body, a
 * declared Content-Length, and the key set `keys.rotateAndWait` polls. The
 * client must refuse each with a typed error and stop reading, which the
 * server sees as the connection closing before it wrote everything.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AdminClient,
  createAdminClient,
  InvalidResponseError,
  OktaApiError,
} from '../../src/admin/index.js'
import { rejection } from '../support/rejection.js'

const LIMIT = 64 * 1024
/** What the server would send: 1024 times the limit. */
const TOTAL = 64 * 1024 * 1024
const CHUNK = Buffer.alloc(64 * 1024, 'x')

/** What the server managed to send of one response. */
interface Sent {
  path: string
  written: number
  finished: boolean
  closed: Promise<void>
}

let httpServer: Server
let orgUrl: string
let admin: AdminClient
const sent: Sent[] = []

/** Stream `TOTAL` bytes (chunked, or with a Content-Length), respecting back-pressure. */
async function flood(res: ServerResponse, record: Sent, status: number, declare: boolean) {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(declare && { 'content-length': String(TOTAL) }),
  })
  while (record.written < TOTAL && !res.destroyed) {
    const ok = res.write(CHUNK)
    record.written += CHUNK.length
    if (!ok) {
      await Promise.race([once(res, 'drain'), once(res, 'close')])
    }
  }
  if (!res.destroyed) {
    res.end()
    record.finished = true
  }
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', orgUrl).pathname
  const record: Sent = {
    path,
    written: 0,
    finished: false,
    closed: once(res, 'close').then(() => {}),
  }
  sent.push(record)
  switch (`${req.method} ${path}`) {
    case 'GET /api/v1/authorizationServers':
      return void flood(res, record, 200, false)
    case 'GET /api/v1/authorizationServers/ausMissing':
      return void flood(res, record, 404, false)
    case 'GET /api/v1/authorizationServers/ausDeclared':
      return void flood(res, record, 200, true)
    case 'GET /api/v1/authorizationServers/ausRotate':
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(
        JSON.stringify({
          id: 'ausRotate',
          name: 'r',
          audiences: ['api://r'],
          issuer: `${orgUrl}/oauth2/ausRotate`,
        }),
      )
    case 'POST /api/v1/authorizationServers/ausRotate/credentials/lifecycle/keyRotate':
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(
        JSON.stringify([{ kid: 'k2', status: 'ACTIVE', use: 'sig', alg: 'RS256', kty: 'RSA' }]),
      )
    case 'GET /oauth2/ausRotate/v1/keys':
      return void flood(res, record, 200, false)
    default:
      res.writeHead(404).end()
  }
}

beforeAll(async () => {
  httpServer = createServer(handle)
  httpServer.listen(0, '127.0.0.1')
  await once(httpServer, 'listening')
  orgUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
  admin = createAdminClient({
    orgUrl,
    auth: { type: 'ssws', token: '00ssws-token-for-the-limits-test' },
    maxResponseBytes: LIMIT,
  })
})
afterAll(async () => {
  httpServer.closeAllConnections()
  httpServer.close()
})

/** The last response the server sent for `path`, once its connection has closed. */
async function closedResponse(path: string): Promise<Sent> {
  const record = sent.findLast((s) => s.path === path)
  expect(record).toBeDefined()
  await record!.closed
  return record!
}

describe('admin: responses larger than maxResponseBytes, from a server on 127.0.0.1', () => {
  it('a page: ERR_RESPONSE_TOO_LARGE, and the rest is never read', async () => {
    const err = await rejection(admin.authorizationServers.list().all())
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', status: 200 })
    const response = await closedResponse('/api/v1/authorizationServers')
    expect(response.finished).toBe(false)
    expect(response.written).toBeLessThan(TOTAL / 4)
  })

  it('an error body: the OktaApiError of its status, without body fields, caused by ERR_RESPONSE_TOO_LARGE', async () => {
    const err = await rejection(admin.authorizationServers.get('ausMissing'))
    expect(err).toBeInstanceOf(OktaApiError)
    expect(err).toMatchObject({ code: 'ERR_API_NOT_FOUND', status: 404, errorCauses: [] })
    expect(err.errorCode).toBeUndefined()
    expect(err.cause).toBeInstanceOf(InvalidResponseError)
    expect(err.cause).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', status: 404 })
    const response = await closedResponse('/api/v1/authorizationServers/ausMissing')
    expect(response.finished).toBe(false)
    expect(response.written).toBeLessThan(TOTAL / 4)
  })

  it('a declared Content-Length above the limit is refused before reading', async () => {
    const err = await rejection(admin.authorizationServers.get('ausDeclared'))
    expect(err).toMatchObject({ name: 'InvalidResponseError', code: 'ERR_RESPONSE_TOO_LARGE' })
    const response = await closedResponse('/api/v1/authorizationServers/ausDeclared')
    expect(response.finished).toBe(false)
    expect(response.written).toBeLessThan(TOTAL / 4)
  })

  it('the key set keys.rotateAndWait polls: ERR_RESPONSE_TOO_LARGE at once, not read again and again', async () => {
    const err = await rejection(
      admin.keys.rotateAndWait('ausRotate', { interval: 10, publishTimeout: 5_000 }),
    )
    expect(err).toMatchObject({ name: 'InvalidResponseError', code: 'ERR_RESPONSE_TOO_LARGE' })
    const polls = sent.filter((s) => s.path === '/oauth2/ausRotate/v1/keys')
    expect(polls).toHaveLength(1)
    const response = await closedResponse('/oauth2/ausRotate/v1/keys')
    expect(response.finished).toBe(false)
    expect(response.written).toBeLessThan(TOTAL / 4)
  })
})
