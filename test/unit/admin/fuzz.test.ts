import fc from 'fast-check'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError, OktaOAuthError } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { SERVER_ID } from './fixtures.js'
import { API, record, sswsClient } from './helpers.js'

const RUNS = 150

/** Characters that matter to paths and URL parsers, and a few that do not. */
const ID_CHARS = [
  '.',
  '.',
  '/',
  '\\',
  '%',
  '2',
  'e',
  'E',
  'f',
  'a',
  '0',
  ' ',
  '?',
  '#',
  ';',
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u00e9',
  '\uff0e',
  '\u2025',
  '\uff0f',
  '\ud800',
  '\udc00',
]

describe('fuzz: ids', () => {
  it('an id is refused before sending, or lands in exactly the one segment it was given', async () => {
    const admin = sswsClient()
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...ID_CHARS), { maxLength: 6 }).map((c) => c.join('')),
        async (policyId) => {
          const seen = record()
          server.use(http.all(`${API}/*`, () => new HttpResponse(null, { status: 204 })))
          let refused: unknown
          try {
            await admin.policies.delete(SERVER_ID, policyId)
          } catch (err) {
            refused = err
          }
          if (refused !== undefined) {
            expect(refused).toBeInstanceOf(InvalidOptionError)
            expect(seen).toHaveLength(0)
            return
          }
          expect(seen).toHaveLength(1)
          const prefix = `/api/v1/authorizationServers/${SERVER_ID}/policies/`
          const { pathname } = seen[0]!.url
          expect(pathname.startsWith(prefix)).toBe(true)
          const segment = pathname.slice(prefix.length)
          expect(segment).not.toContain('/')
          expect(decodeURIComponent(segment)).toBe(policyId)
        },
      ),
      { numRuns: RUNS },
    )
  })
})

/** Prefix every string in a JSON value, to find it in messages later. */
function marked(value: unknown, found: string[]): unknown {
  if (typeof value === 'string') {
    const v = `V~${value}`
    found.push(v)
    return v
  }
  if (Array.isArray(value)) return value.map((v) => marked(v, found))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marked(v, found)]))
  }
  return value
}

describe('fuzz: response bodies', () => {
  it('any page or error body gives a result or an SDK error that quotes no value of it', async () => {
    const admin = sswsClient({ retry: { limit: 0 }, maxResponseBytes: 4096 })
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({
        errorCode: fc.string(),
        errorSummary: fc.string(),
        errorCauses: fc.array(fc.record({ errorSummary: fc.string() })),
      }),
      fc.array(fc.record({ id: fc.string(), name: fc.string(), audiences: fc.array(fc.string()) })),
    )
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom(200, 201, 400, 401, 403, 404, 409, 429, 500, 503),
        fc.boolean(),
        async (json, status, raw) => {
          const values: string[] = []
          const sent = marked(json, values)
          const text = raw ? (values[0] ?? 'not json {') : JSON.stringify(sent)
          server.use(
            http.get(
              `${API}/authorizationServers`,
              () => new HttpResponse(text, { status, headers: { 'retry-after': '0' } }),
            ),
          )
          let error: unknown
          try {
            await admin.authorizationServers.list().all(5)
          } catch (err) {
            error = err
          }
          if (error === undefined) return
          expect(error).toBeInstanceOf(OktaOAuthError)
          // Okta's errorSummary is meant for people and is shown; nothing else is.
          const summary = (sent as { errorSummary?: unknown } | null)?.errorSummary
          const message = (error as Error).message
          for (const v of values) {
            if (v.length >= 6 && v !== summary) expect(message).not.toContain(v)
          }
        },
      ),
      { numRuns: RUNS },
    )
  })
})
