/**
 * The shared harness of the ServerAuth tests (server-auth-*.test.ts): one
 * emulated org shared by a file's tests (its handlers installed and its
 * sign-ins cleared before each test), a confidential web client for it, and
 * a clock the test moves. The org, client and clock live in `harness`; each
 * test file calls `useServerAuthHarness()` at its top to register the hooks
 * that reset them. The org's clients, cookies and forms are in helpers.ts.
 */
import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import { beforeAll, beforeEach } from 'vitest'
import type { Client } from '../../../src/index.js'
import {
  createServerAuth,
  type ServerAuth,
  type ServerAuthOptions,
} from '../../../src/server/index.js'
import type { OktaOrg } from '../../../src/testing/index.js'
import { server } from '../msw.js'
import { HTTP_REDIRECT, makeOrg, SECRET, webClient } from './helpers.js'

/**
 * What each test starts from, reset before each test: the org (the file's
 * shared one unless a test installs its own), a web client for it, and the
 * `now` of every ServerAuth from `makeAuth` (ms; tests move it forward).
 */
export const harness = {
  org: undefined as unknown as OktaOrg,
  client: undefined as unknown as Client,
  clock: 0,
}

/** Register the hooks: one org for the file, and a clean org, client and clock before each test. */
export function useServerAuthHarness(): void {
  let shared: OktaOrg
  beforeAll(async () => {
    shared = await makeOrg()
  })
  beforeEach(async () => {
    harness.org = shared
    harness.org.signOut()
    server.use(...harness.org.handlers)
    harness.client = await webClient(harness.org)
    harness.clock = Date.now()
  })
}

/** A ServerAuth on the harness's client and clock; `options` override the defaults. */
export function makeAuth(options: Partial<ServerAuthOptions> = {}): ServerAuth {
  return createServerAuth(harness.client, {
    secret: SECRET,
    redirectUri: HTTP_REDIRECT,
    postLogoutRedirectUri: 'http://localhost:3000/',
    now: () => harness.clock,
    ...options,
  })
}

/** Every error message seen (in this test file), to check that none leaks a secret value. */
export const messages: string[] = []
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise
  } catch (err) {
    messages.push((err as Error).message)
    return err as Error & { code?: string }
  }
  throw new Error('expected a rejection')
}

/** A Node IncomingMessage for /callback carrying `body` and `headers`. */
export function nodeRequest(
  body: string | Buffer,
  headers: Record<string, string>,
  method = 'POST',
): IncomingMessage {
  const req = new IncomingMessage(new Socket())
  req.method = method
  req.url = '/callback'
  req.headers = headers
  req.push(body)
  req.push(null)
  return req
}
