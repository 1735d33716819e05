/**
 * @internal
 * The lifetime a `Cache-Control` header gives a response, in ms: its
 * `max-age`, `0` for `no-cache` or `no-store`, `undefined` when it says
 * neither (the cache then uses its own `cacheMaxAge`).
 */
export function cacheControlMaxAge(value: string | null): number | undefined {
  if (!value) return undefined
  const directives = value.toLowerCase().split(',')
  let maxAge: number | undefined
  for (const d of directives) {
    const directive = d.trim()
    if (directive === 'no-cache' || directive === 'no-store') return 0
    const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(directive)
    if (m) maxAge = Number(m[1]) * 1000
  }
  return maxAge
}
