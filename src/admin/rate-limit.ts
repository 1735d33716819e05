import type { RateLimitInfo } from '../errors.js'

// How long to wait before retrying a 429. Every header is read strictly: a
// lenient `Number()` turns an absent header (`null`), an empty one or `-1`
// into "retry now", and a client that retries at once only adds to the load
// it was asked to take away.

/** The first retry's wait when the server gives no usable one, in ms; each further retry doubles it. */
const BACKOFF_MS = 1_000

/**
 * The longest wait a header is believed for, in ms. Okta's rate-limit
 * windows are a minute long; a reset a day or more away is a broken clock
 * or a hostile value, not a window.
 */
const MAX_SERVER_WAIT_MS = 24 * 60 * 60 * 1_000

/** A little past the reset second, which is itself allowed again. */
const PAST_RESET_MS = 100

/** @internal The exponential backoff: 1 s, 2 s, 4 s… for attempts 0, 1, 2… */
export function backoff(attempt: number): number {
  return BACKOFF_MS * 2 ** attempt
}

/**
 * @internal
 * How long to wait before retry number `attempt + 1` of a 429, in ms:
 * - `X-Rate-Limit-Reset` (epoch seconds of the server's clock), measured
 *   against the response's `Date` rather than this machine's clock, plus 100 ms;
 * - else `Retry-After`, in seconds or as an HTTP date (RFC 9110 §10.2.3);
 * - else, or when those are malformed, already past, or a day or more away:
 *   {@link backoff} (1 s, 2 s, 4 s…).
 * @param headers - The 429's headers.
 * @param attempt - Retries already made (0 for the first).
 * @returns The wait in ms, never NaN or negative.
 */
export function retryDelay(headers: Headers, attempt: number): number {
  return serverWait(headers) ?? backoff(attempt)
}

/** The wait the headers ask for, when they are well-formed and believable. */
function serverWait(headers: Headers): number | undefined {
  const now = parseHttpDate(headers.get('date')) ?? Date.now()
  const believable = (wait: number) => wait >= 0 && wait < MAX_SERVER_WAIT_MS
  const reset = integer(headers.get('x-rate-limit-reset'))
  if (reset !== undefined) {
    // Until the end of the reset second the window is still current.
    const wait = reset * 1_000 - now
    if (believable(wait + 999)) return Math.max(0, wait) + PAST_RESET_MS
  }
  const retryAfter = headers.get('retry-after')
  const seconds = integer(retryAfter)
  if (seconds !== undefined) {
    return believable(seconds * 1_000) ? seconds * 1_000 : undefined
  }
  const at = parseHttpDate(retryAfter)
  return at !== undefined && believable(at - now) ? at - now : undefined
}

/** A header holding only decimal digits (no sign, fraction, exponent or hex), as a number. */
function integer(value: string | null): number | undefined {
  const v = value?.trim()
  return v && /^\d{1,15}$/.test(v) ? Number(v) : undefined
}

const DAYS = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
const LONG_DAYS = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)'
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTH = `(${MONTHS.join('|')})`
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'
/** `Sun, 06 Nov 1994 08:49:37 GMT` (the preferred form). */
const IMF_FIXDATE = new RegExp(`^${DAYS}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`)
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete, still to be accepted). */
const RFC850_DATE = new RegExp(`^${LONG_DAYS}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`)
/** `Sun Nov  6 08:49:37 1994` (obsolete, still to be accepted). */
const ASCTIME_DATE = new RegExp(`^${DAYS} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`)

/**
 * @internal
 * An HTTP date in any of the three forms a recipient must accept
 * (RFC 9110 §5.6.7), as epoch ms; undefined for anything else (`Date.parse`
 * takes far more, and reads the asctime form in local time).
 * @param value - The header value.
 * @returns The time, or undefined.
 */
export function parseHttpDate(value: string | null): number | undefined {
  const parts = dateParts(value?.trim() ?? '')
  if (!parts) return undefined
  const [day, month, year, h, m, sec] = parts
  const monthIndex = MONTHS.indexOf(month)
  const time = Date.UTC(year, monthIndex, day, h, m, sec)
  const date = new Date(time)
  // Refuse what Date.UTC would roll over: 31 Feb, 25:00, 61 seconds.
  const same =
    date.getUTCDate() === day &&
    date.getUTCMonth() === monthIndex &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === m &&
    date.getUTCSeconds() === sec
  return same ? time : undefined
}

type DateParts = [day: number, month: string, year: number, h: number, m: number, s: number]

function dateParts(v: string): DateParts | undefined {
  const imf = IMF_FIXDATE.exec(v)
  if (imf) {
    const [, day, month, year, h, m, s] = imf
    return [Number(day), month!, Number(year), Number(h), Number(m), Number(s)]
  }
  const rfc850 = RFC850_DATE.exec(v)
  if (rfc850) {
    const [, day, month, yy, h, m, s] = rfc850
    // A two-digit year more than 50 years ahead is in the past century (RFC 9110 §5.6.7).
    const thisYear = new Date().getUTCFullYear()
    let year = Math.floor(thisYear / 100) * 100 + Number(yy)
    if (year > thisYear + 50) year -= 100
    return [Number(day), month!, year, Number(h), Number(m), Number(s)]
  }
  const asctime = ASCTIME_DATE.exec(v)
  if (asctime) {
    const [, month, day, h, m, s, year] = asctime
    return [Number(day!.trim()), month!, Number(year), Number(h), Number(m), Number(s)]
  }
  return undefined
}

/** @internal The `X-Rate-Limit-*` headers of a response, when it has any. */
export function readRateLimit(headers: Headers): RateLimitInfo | undefined {
  const num = (name: string) => {
    const v = headers.get(name)
    const n = v === null ? Number.NaN : Number(v)
    return Number.isFinite(n) ? n : undefined
  }
  const info: RateLimitInfo = {}
  const limit = num('x-rate-limit-limit')
  const remaining = num('x-rate-limit-remaining')
  const reset = num('x-rate-limit-reset')
  if (limit !== undefined) info.limit = limit
  if (remaining !== undefined) info.remaining = remaining
  if (reset !== undefined) info.reset = reset
  return Object.keys(info).length > 0 ? info : undefined
}
