import { InvalidOptionError, InvalidResponseError } from '../errors.js'

/** One page of a list. */
export interface Page<T> {
  /** The items of this page. */
  items: T[]
  /** The URL of the next page (`Link: <…>; rel="next"`), if any. */
  next?: string
}

/**
 * A list that follows `Link: <…>; rel="next"` across pages, one page in
 * memory at a time: iterate items with `for await`, or pages with
 * {@link PagedList.pages}.
 */
export interface PagedList<T> extends AsyncIterable<T> {
  /** Iterate page by page. */
  pages(): AsyncIterable<Page<T>>
  /**
   * Collect every item (loads all pages: for small lists).
   * @param limit - Stop after this many items. Default: 10 000.
   * @returns The items.
   */
  all(limit?: number): Promise<T[]>
}

/** Empty pages in a row that may still link on before the list is refused. */
const MAX_EMPTY_PAGES = 3

/**
 * @internal
 * A paged list over `fetchPage` (undefined: the first page; otherwise the
 * next page's URL). Each iteration starts again from the first page.
 */
export function pagedList<T>(fetchPage: (next?: string) => Promise<Page<T>>): PagedList<T> {
  async function* pages(): AsyncGenerator<Page<T>> {
    let page = await fetchPage()
    const seen = new Set<string>()
    let empty = 0
    for (;;) {
      yield page
      if (!page.next) return
      // Empty pages that keep linking on would never end a collection.
      empty = page.items.length === 0 ? empty + 1 : 0
      if (empty > MAX_EMPTY_PAGES) {
        throw new InvalidResponseError(
          `pagination: ${empty} empty pages in a row still link to a next page`,
        )
      }
      // A server that links back to a page it already sent would loop forever.
      if (seen.has(page.next)) {
        throw new InvalidResponseError('pagination: the next link repeats a page already read')
      }
      seen.add(page.next)
      page = await fetchPage(page.next)
    }
  }
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items
    },
    async all(limit = 10_000) {
      if (!Number.isInteger(limit) || limit < 0) {
        throw new InvalidOptionError('limit must be a non-negative integer')
      }
      const out: T[] = []
      if (limit === 0) return out
      for await (const page of pages()) {
        for (const item of page.items) {
          out.push(item)
          // Stop here: reading on would fetch a page only to drop it.
          if (out.length >= limit) return out
        }
      }
      return out
    },
  }
}

/**
 * @internal
 * The `rel="next"` target of `Link` headers, accepted only on `origin` under
 * `/api/v1/` so the token is never sent elsewhere.
 */
export function nextLink(headers: Headers, origin: URL): string | undefined {
  const value = headers.get('link')
  if (!value) return undefined
  for (const m of value.matchAll(/<([^>]*)>\s*((?:;\s*[^,;]+)*)/g)) {
    // `rel` is one relation or a quoted, space-separated list (RFC 8288 §3.3).
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2] ?? '')
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
    if (!relations.includes('next')) continue
    let url: URL
    try {
      url = new URL(m[1]!, origin)
    } catch {
      throw new InvalidResponseError('pagination: the next link is not a URL')
    }
    if (url.origin !== origin.origin || !url.pathname.startsWith('/api/v1/')) {
      throw new InvalidResponseError(
        `pagination: the next link points outside ${origin.origin}/api/v1/; not followed`,
      )
    }
    return url.href
  }
  return undefined
}
