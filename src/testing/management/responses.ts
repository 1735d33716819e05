import { HttpResponse } from 'msw'
import type { Json } from '../model/json.js'
import { randomId } from '../org.js'
import type { Ctx } from './context.js'

// The management API's answers: Okta's error bodies, JSON and 204 answers,
// the wire's timestamps and links, and paged lists.

/** @internal An Okta error body (`errorCode`, `errorSummary`, `errorId`, `errorCauses`). */
export function apiError(
  status: number,
  errorCode: string,
  errorSummary: string,
  causes: string[] = [],
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json(
    {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: `oae${randomId(22)}`,
      errorCauses: causes.map((c) => ({ errorSummary: c })),
    },
    { status, headers },
  )
}

/** @internal 404 `E0000007` for a resource of a type (`AuthorizationServer`, `Policy`, …). */
export function notFound(id: string, type: string): Response {
  return apiError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`)
}

/** @internal 400 `E0000001`, as Okta reports a request its data model refuses. */
export function invalid(what: string, ...causes: string[]): Response {
  return apiError(400, 'E0000001', `Api validation failed: ${what}`, causes)
}

/** @internal 200 (or `status`) with a JSON body. */
export const ok = (body: unknown, status = 200) => HttpResponse.json(body as Json, { status })
/** @internal 204 without a body. */
export const noContent = () => new HttpResponse(null, { status: 204 })
/** @internal Epoch seconds as the API's ISO 8601 timestamps. */
export const iso = (seconds: number) => new Date(seconds * 1000).toISOString()
/** @internal A `_links` entry with the methods it allows. */
export const link = (href: string, ...allow: string[]) => ({ href, hints: { allow } })

/** @internal One page of a list: `limit` (at most 200; `defaultLimit` when absent) and `after` (an id), with `Link` headers. */
export function page<T extends { id: string }>(
  c: Ctx,
  items: T[],
  toJson: (item: T) => Json,
  defaultLimit = 200,
): Response {
  const query = c.url.searchParams
  let limit = defaultLimit
  const rawLimit = query.get('limit')
  if (rawLimit !== null) {
    const n = Number(rawLimit)
    if (!Number.isInteger(n) || n < 1) {
      return invalid('limit', 'limit: The limit must be a positive integer.')
    }
    limit = Math.min(n, 200)
  }
  const after = query.get('after')
  let start = 0
  if (after) {
    const i = items.findIndex((item) => item.id === after)
    start = i < 0 ? items.length : i + 1
  }
  const slice = items.slice(start, start + limit)
  const links = [`<${c.url.href}>; rel="self"`]
  if (start + limit < items.length && slice.length > 0) {
    const next = new URL(c.url)
    next.searchParams.set('after', slice.at(-1)!.id)
    next.searchParams.set('limit', String(limit))
    links.push(`<${next.href}>; rel="next"`)
  }
  return HttpResponse.json(slice.map(toJson), { headers: { link: links.join(', ') } })
}
