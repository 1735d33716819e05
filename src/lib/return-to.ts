import { InvalidOptionError } from '../errors.js'

// One rule for "where to go after sign-in", shared by `./browser`
// (signInWithRedirect, and again when handleRedirect reads the stored value)
// and `./server` (login). A prefix test alone is not enough: URL parsers drop
// TAB, LF and CR anywhere, so `/\t/evil.example` becomes `//evil.example`, a
// link to another origin. So: no control characters at all, a path that
// starts with one `/`, the same for the value with its ASCII percent-escapes
// decoded (an app or proxy that decodes once must not turn `/%09/` or `/%2F`
// into a host), and the value resolved against the app's origin must keep
// that origin. No dependencies: this ships in the browser bundle.

/** The longest `returnTo` accepted, in characters. */
export const MAX_RETURN_TO = 2048

// C0, DEL, C1, and the Unicode line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
// A path-absolute reference: one `/`, then not a second `/` or a `\` (both start a host).
const PATH = /^\/(?![/\\])/
// Percent-escapes of ASCII only: the bytes the checks above are about.
const ASCII_ESCAPE = /%[0-7][0-9a-f]/gi
// Decoding rounds before a value is refused as too deeply encoded.
const ROUNDS = 4

/**
 * @internal
 * Whether `value` is a path that stays on `origin`: a string of at most
 * {@link MAX_RETURN_TO} characters, without control characters or `\`,
 * starting with a single `/`, that still resolves to `origin`; and the same
 * holds after its ASCII percent-escapes are decoded (up to four times).
 *
 * @param value - the candidate, e.g. `/orders?page=2#top`.
 * @param origin - the app's origin (or any URL of it), e.g. `https://app.example.com`.
 * @returns true when it is safe to navigate to `value` from a page of `origin`.
 */
export function isSameOriginPath(value: unknown, origin: string): value is string {
  if (typeof value !== 'string' || value.length > MAX_RETURN_TO) return false
  let base: URL
  try {
    base = new URL(origin)
  } catch {
    return false
  }
  let layer = value
  for (let round = 0; round < ROUNDS; round++) {
    if (CONTROL.test(layer) || layer.includes('\\') || !PATH.test(layer)) return false
    try {
      if (new URL(layer, base).origin !== base.origin) return false
    } catch {
      return false
    }
    const decoded = layer.replace(ASCII_ESCAPE, (e) =>
      String.fromCharCode(Number.parseInt(e.slice(1), 16)),
    )
    if (decoded === layer) return true
    layer = decoded
  }
  return false
}

/**
 * @internal
 * {@link isSameOriginPath}, or an `InvalidOptionError` (`ERR_INVALID_OPTION`)
 * that does not quote the value.
 *
 * @param value - the `returnTo` given by the caller.
 * @param origin - the app's origin.
 * @returns `value`, unchanged.
 */
export function checkReturnTo(value: unknown, origin: string): string {
  if (!isSameOriginPath(value, origin)) {
    throw new InvalidOptionError('returnTo must be a same-origin path such as /orders')
  }
  return value
}
