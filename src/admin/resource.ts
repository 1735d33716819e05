import * as z from 'zod'
import type { CallOptions } from '../lib/http.js'
import { nextLink, type PagedList, pagedList } from './paginate.js'
import type { ApiPath } from './path.js'
import type { AdminTransport, Operation } from './transport.js'

/** Query parameters of list operations that page with `after` and `limit`. */
export interface ListParams {
  /** Page size. */
  limit?: number
  /** The cursor to start after (from a previous page's `next` link). */
  after?: string
}

/**
 * @internal
 * Build an operation descriptor: its `okta.{area}.{read|manage}` scope
 * (`appGrants` for an app's scope grants, `apps` for an app's tokens).
 */
export function op(
  name: string,
  method: Operation['method'],
  scope: 'authorizationServers' | 'apps' | 'appGrants',
  kind: 'read' | 'manage',
  idempotent = method !== 'POST',
): Operation {
  return { name, method, scope: `okta.${scope}.${kind}`, idempotent }
}

/**
 * @internal
 * A path ({@link ApiPath}: built by `path` from checked ids), or a function
 * building it: built inside the call, so an invalid id rejects the returned
 * promise instead of throwing synchronously.
 */
export type PathOf = ApiPath | (() => ApiPath)

const resolvePath = (path: PathOf) => (typeof path === 'function' ? path() : path)

/** @internal A paged list operation. */
export function list<T>(
  t: AdminTransport,
  operation: Operation,
  path: PathOf,
  schema: z.ZodType<T>,
  searchParams: Record<string, string | number | undefined> = {},
  call?: CallOptions,
): PagedList<T> {
  const arraySchema = z.array(schema)
  return pagedList(async (next) => {
    const { data, response } = await t.send(operation, resolvePath(path), {
      ...call,
      schema: arraySchema,
      ...(next ? { url: next } : { searchParams }),
    })
    const following = nextLink(response.headers, t.orgUrl)
    return following ? { items: data, next: following } : { items: data }
  })
}

/** @internal A call that returns one validated object. */
export async function one<T>(
  t: AdminTransport,
  operation: Operation,
  path: PathOf,
  schema: z.ZodType<T>,
  options: CallOptions & {
    body?: unknown
    inputSchema?: z.ZodType
    searchParams?: Record<string, string | number | undefined>
  } = {},
): Promise<T> {
  return (await t.send(operation, resolvePath(path), { ...options, schema })).data
}

/** @internal A call without a response body (204). */
export async function none(
  t: AdminTransport,
  operation: Operation,
  path: PathOf,
  options: CallOptions & { body?: unknown; inputSchema?: z.ZodType } = {},
): Promise<void> {
  await t.send(operation, resolvePath(path), options)
}
