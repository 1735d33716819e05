// No imports: errors.ts uses it, and every entry ships errors.ts.

/**
 * @internal
 * Text another party chose (a server's `error_description`, the `error` of a
 * callback URL anyone can craft, a token's `iss`), fit for a one-line log
 * message: escaped like the inside of a JSON string, plus DEL, C1 controls
 * and the Unicode line separators, and at most `max` characters (then `…`).
 * The error's fields keep the value as sent.
 */
export function printable(text: string, max = 200): string {
  const value = String(text)
  const cut = value.length > max
  const json = JSON.stringify(cut ? value.slice(0, max) : value).slice(1, -1)
  const escaped = json.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return cut ? `${escaped}…` : escaped
}
