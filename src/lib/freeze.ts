// What a cache hands out is shared by every caller that gets it: it is frozen
// once, when it enters the cache, so that one caller cannot change what
// another one reads (a scope pushed onto a cached result, a header's `kid`).

/**
 * @internal
 * Freeze `value` and every object and array reachable from it, once (objects
 * already frozen are not walked again). Iterative, so a deeply nested value
 * (a hostile server's JSON) cannot exhaust the stack.
 * @param value - JSON-like data: plain objects, arrays, primitives.
 * @returns `value` itself.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  const pending: object[] = [value]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    Object.freeze(next)
    if (Array.isArray(next)) {
      for (let i = 0; i < next.length; i++) {
        const v: unknown = next[i]
        if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) pending.push(v)
      }
    } else {
      for (const key in next) {
        const v: unknown = (next as Record<string, unknown>)[key]
        if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) pending.push(v)
      }
    }
  }
  return value
}
