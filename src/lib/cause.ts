// What an SDK error may keep as its `cause`. A logged error prints its cause
// chain (`util.inspect`), so a cause must never carry a token, a claim, a
// request or a response body: jose's errors carry the JWT payload,
// oauth4webapi's carry response bodies and claims, and a `Headers` TypeError
// or a custom fetch's error may quote the request.

// Messages of platform fetch failures that say nothing about the request.
const GENERIC = new Set([
  'fetch failed',
  'Failed to fetch',
  'Load failed',
  'NetworkError when attempting to fetch resource.',
  'terminated',
  'other side closed',
])

/**
 * @internal
 * A copy of `err` that is safe to keep as a cause: its name, a string `code`
 * and, when it cannot quote the request, its message (system errors such as
 * `connect ECONNREFUSED 127.0.0.1:8080`, generic fetch failures, or errors the
 * caller marks `trusted` because their messages never hold values: jose's and
 * oauth4webapi's). Nested error causes are kept the same way, three deep;
 * other causes (bodies, claims, responses) are dropped.
 */
export function safeCause(err: unknown, trusted = false, depth = 3): Error {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown
    message?: unknown
    code?: unknown
    syscall?: unknown
    errno?: unknown
    cause?: unknown
  }
  const message = typeof e.message === 'string' ? e.message : ''
  const keep =
    trusted ||
    GENERIC.has(message) ||
    typeof e.syscall === 'string' ||
    typeof e.errno === 'number' ||
    typeof e.errno === 'string'
  const copy = new Error(keep ? message : 'message withheld: it may quote the request')
  copy.name = typeof e.name === 'string' ? e.name : 'Error'
  if (typeof e.code === 'string' || typeof e.code === 'number') {
    Object.assign(copy, { code: e.code })
  }
  // Only error-like causes are kept: oauth4webapi's are response bodies and claims.
  if (depth > 1 && e.cause instanceof Error) {
    Object.assign(copy, { cause: safeCause(e.cause, false, depth - 1) })
  }
  // A plain stack from here: the original's first line repeats its message.
  copy.stack = `${copy.name}: ${copy.message}`
  return copy
}
