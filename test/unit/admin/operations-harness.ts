/**
 * The table-driven operation tests: each case is one call of the admin
 * client, the request it must send and the answer it gets. `operations-*.test.ts`
 * hold the cases, one resource group per file; {@link describeOperations}
 * runs them.
 */
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import type { AdminClient } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { POLICY_ID, SERVER_ID } from './fixtures.js'
import { API, apiCalls, jsonOf, record, SSWS_TOKEN, sswsClient } from './helpers.js'

/** One operation: how to call it, what must be sent, what the server answers. */
export interface Case {
  name: string
  call: (admin: AdminClient) => Promise<unknown>
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The path after `/api/v1`, as sent (encoded). */
  path: string
  query?: Record<string, string>
  /** The JSON body that must be sent; absent: no body. */
  body?: unknown
  /** The JSON the server answers; absent: 204 No Content. */
  response?: unknown
  /** What the call resolves to. Default: `response` (undefined for 204). */
  result?: unknown
}

export const AS = `/authorizationServers/${SERVER_ID}`
export const POL = `${AS}/policies/${POLICY_ID}`
export const RULES = `${POL}/rules`

/**
 * One `operations: <resource>` describe per entry, one test per case: the
 * call sends exactly one request (method, path, query, SSWS authorization,
 * JSON accept, the body or none) and resolves to the expected result.
 */
export function describeOperations(cases: Record<string, Case[]>): void {
  for (const [resource, list] of Object.entries(cases)) {
    describe(`operations: ${resource}`, () => {
      for (const c of list) {
        it(`${c.name}: ${c.method} ${c.path}`, async () => {
          const seen = record()
          server.use(
            http.all(`${API}/*`, () =>
              c.response === undefined
                ? new HttpResponse(null, { status: 204 })
                : HttpResponse.json(c.response as object),
            ),
          )
          const result = await c.call(sswsClient())

          const calls = apiCalls(seen)
          expect(calls).toHaveLength(1)
          const [sent] = calls
          expect(sent!.method).toBe(c.method)
          expect(sent!.url.origin + sent!.url.pathname).toBe(`${API}${c.path}`)
          if (c.query) expect(Object.fromEntries(sent!.url.searchParams)).toEqual(c.query)
          expect(sent!.headers.get('authorization')).toBe(`SSWS ${SSWS_TOKEN}`)
          expect(sent!.headers.get('accept')).toBe('application/json')
          if (c.body === undefined) {
            expect(await sent!.text).toBe('')
          } else {
            expect(sent!.headers.get('content-type')).toMatch(/^application\/json/)
            expect(await jsonOf(sent)).toEqual(c.body)
          }
          expect(result).toEqual('result' in c ? c.result : c.response)
        })
      }
    })
  }
}
