import { InvalidOptionError } from '../errors.js'

// Every path the management client requests is built here, and the
// transport takes nothing else (`ApiPath`): an id must never change which
// resource an operation acts on. `encodeURIComponent` alone is not enough:
// it leaves `.` and `..` as they are, and URL resolution then climbs a level
// (`policies.delete(serverId, '..')` would delete the server).

declare const checked: unique symbol

/**
 * @internal
 * A path under `/api/v1` that is safe to request: built by {@link path}
 * (every id checked and encoded into one segment) or by {@link callerPath}
 * (the path given to `request()`, checked). A plain string is not one, so a
 * resource cannot send a path it assembled by hand.
 */
export type ApiPath = string & { readonly [checked]: true }

/**
 * @internal
 * One id interpolated into a {@link path}, named after its parameter:
 * `${{ serverId }}`. The name goes into the error; the value never does.
 */
export type PathId = Readonly<Record<string, string>>

/**
 * What an id must never contain: `/` and `\` (a URL parser takes both as
 * separators), `%` (an id that is already encoded, or a server or proxy that
 * decodes twice, would turn `%2e%2e` into `..`), and control characters (URL
 * parsers drop TAB, LF and CR, so `.\t.` becomes `..`).
 */
const FORBIDDEN = /[/\\%\p{Cc}]/u
const DOT_SEGMENT = /^\.\.?$/
// A lone surrogate cannot be encoded (`encodeURIComponent` throws a URIError).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Whether `value` can be one path segment whatever reads it: checked as
 * given and in its NFKC form, so that compatibility characters (`．`, `‥`,
 * `／`, `％`) do not become dots, separators or `%` on a server that
 * normalises Unicode.
 */
function isSegment(value: string): boolean {
  if (value.length === 0 || LONE_SURROGATE.test(value)) return false
  const folded = value.normalize('NFKC')
  return !(
    DOT_SEGMENT.test(value) ||
    FORBIDDEN.test(value) ||
    DOT_SEGMENT.test(folded) ||
    FORBIDDEN.test(folded)
  )
}

/**
 * @internal
 * Check one id and encode it as a single path segment.
 * @param name - The parameter's name (`serverId`), for the error.
 * @param value - The id.
 * @returns The encoded segment.
 * @throws `InvalidOptionError` (`ERR_INVALID_OPTION`) naming the parameter, never its value,
 * when the id is not a string, is empty, `.` or `..`, or holds `/`, `\`, `%`,
 * a control character or a lone surrogate.
 */
export function segment(name: string, value: unknown): string {
  if (typeof value !== 'string' || !isSegment(value)) {
    throw new InvalidOptionError(
      `${name} must be an id: a non-empty string, not "." or "..", without "/", "\\", "%" or control characters`,
    )
  }
  return encodeURIComponent(value)
}

/**
 * @internal
 * Build a path from ids, each checked and encoded into one whole segment:
 * `` path`/authorizationServers/${{ serverId }}/policies/${{ policyId }}` ``.
 * Call it inside the operation's promise, so a bad id rejects it.
 * @returns The path.
 * @throws `InvalidOptionError` for a bad id (see {@link segment}).
 */
export function path(strings: TemplateStringsArray, ...ids: PathId[]): ApiPath {
  let out = strings[0]!
  if (!out.startsWith('/')) throw new TypeError('path: a path starts with /')
  for (let i = 0; i < ids.length; i++) {
    const after = strings[i + 1]!
    const entries = Object.entries(ids[i] ?? {})
    // A template mistake in the SDK, not a caller's: each id fills a whole segment, by name.
    if (entries.length !== 1 || !out.endsWith('/') || !(after === '' || after.startsWith('/'))) {
      throw new TypeError('path: interpolate one { name: id } per whole segment')
    }
    const [name, value] = entries[0]!
    out += segment(name, value) + after
  }
  return out as ApiPath
}

// `.` or `..` as a segment, also percent-encoded (`%2e`), with `\` as a separator too.
const DOTS = /(^|[/\\])(\.|%2e){1,2}([/\\?#]|$)/i

/**
 * @internal
 * The path given to `request()`, relative to `/api/v1` (a leading `/api/v1`
 * is dropped), refused when it could leave `/api/v1` or resolve to another
 * path than written: dot segments (also `%2e`), backslashes, control
 * characters (which URL parsers drop).
 * @param value - The caller's path.
 * @param origin - The org URL.
 * @returns The path under `/api/v1`.
 * @throws `InvalidOptionError` (`ERR_INVALID_OPTION`), without quoting the path.
 */
export function callerPath(value: unknown, origin: URL): ApiPath {
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new InvalidOptionError('path must start with / (e.g. /users/me)')
  }
  const relative = value.startsWith('/api/v1/') ? value.slice('/api/v1'.length) : value
  const target = new URL(`/api/v1${relative}`, origin)
  if (
    DOTS.test(relative) ||
    relative.includes('\\') ||
    /\p{Cc}/u.test(relative) ||
    target.origin !== origin.origin ||
    !target.pathname.startsWith('/api/v1/')
  ) {
    throw new InvalidOptionError(
      'path must stay under /api/v1, without dot segments, backslashes or control characters',
    )
  }
  return relative as ApiPath
}
