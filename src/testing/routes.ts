import { http, type RequestHandler } from 'msw'

// The org's endpoints as one list of routes, served two ways: as msw request
// handlers (createOktaOrg), and by startOktaOrg's HTTP server through a
// matcher compiled once, which skips msw's per-handler work on every request
// (compiling each handler's path, parsing cookies). Both match the same way:
// msw's rules (path-to-regexp's defaults), restated here for these paths.

/** @internal The method a route answers; `*` is any. */
export type RouteMethod = 'GET' | 'POST' | 'OPTIONS' | '*'

/** @internal One endpoint of the org. */
export interface OrgRoute {
  readonly method: RouteMethod
  /** The path after the org URL: literal segments, `:name` for one segment, a final `*` for the rest. */
  readonly path: string
  /** The answer, or `undefined` to let the next route (or msw handler) answer. */
  answer(request: Request, params: Readonly<Record<string, string>>): Promise<Response | undefined>
}

/** @internal The routes as msw request handlers, in the same order. */
export function routeHandlers(orgUrl: string, routes: readonly OrgRoute[]): RequestHandler[] {
  const on = { '*': http.all, GET: http.get, POST: http.post, OPTIONS: http.options }
  return routes.map((route) =>
    on[route.method](`${orgUrl}${route.path}`, ({ request, params }) =>
      route.answer(request, params as Record<string, string>),
    ),
  )
}

/** @internal Answer a request with the first route that matches it and answers, as msw would. */
export type RouteDispatcher = (request: Request) => Promise<Response | undefined>

/** @internal Compile the routes once into a dispatcher. */
export function routeDispatcher(orgUrl: string, routes: readonly OrgRoute[]): RouteDispatcher {
  const compiled = routes.map((route) => ({ route, ...compile(`${orgUrl}${route.path}`) }))
  return async (request) => {
    const url = new URL(request.url)
    const target = `${url.origin}${url.pathname}`
    const method = request.method.toUpperCase()
    for (const { route, pattern, names } of compiled) {
      if (route.method !== '*' && route.method !== method) continue
      const found = pattern.exec(target)
      if (!found) continue
      const params: Record<string, string> = {}
      try {
        names.forEach((name, i) => {
          params[name] = decodeURIComponent(found[i + 1]!)
        })
      } catch {
        continue
      }
      const response = await route.answer(request, params)
      if (response) return response
    }
    return undefined
  }
}

/**
 * path-to-regexp's reading of a path, as msw uses it: case-insensitive, an
 * optional trailing slash, `:name` one non-empty segment, `*` anything
 * (msw names it `0`).
 */
function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = []
  let source = ''
  for (const part of path.split(/(:[A-Za-z_]\w*|\*)/)) {
    if (part === '*') {
      names.push(String(names.length))
      source += '(.*)'
    } else if (part.startsWith(':')) {
      names.push(part.slice(1))
      source += '([^\\/#\\?]+?)'
    } else source += part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return { pattern: new RegExp(`^${source}[\\/#\\?]?$`, 'i'), names }
}
