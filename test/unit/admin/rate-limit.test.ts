import { HttpResponse, http } from 'msw'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { OktaApiError } from '../../../src/admin/index.js'
import { parseHttpDate, retryDelay } from '../../../src/admin/rate-limit.js'
import { server } from '../msw.js'
import { SERVER_ID } from './fixtures.js'
import { API, rejectionOf, sswsClient } from './helpers.js'

const ONE_SERVER = `${API}/authorizationServers/${SERVER_ID}`
const DATE = new Date('2030-01-01T00:00:00Z')
const EPOCH = DATE.getTime() / 1000
const HTTP_DATE = DATE.toUTCString()
const inSeconds = (s: number) => new Date(DATE.getTime() + s * 1000).toUTCString()

describe('retryDelay: what a 429 asks for', () => {
  it.each([
    ['X-Rate-Limit-Reset 3 s after Date', { 'x-rate-limit-reset': String(EPOCH + 3) }, 3_100],
    ['X-Rate-Limit-Reset equal to Date', { 'x-rate-limit-reset': String(EPOCH) }, 100],
    ['Retry-After in seconds', { 'retry-after': '7' }, 7_000],
    ['Retry-After: 0 (retry now, as the server says)', { 'retry-after': '0' }, 0],
    ['Retry-After as an IMF-fixdate', { 'retry-after': inSeconds(5) }, 5_000],
    ['Retry-After as an RFC 850 date', { 'retry-after': 'Tuesday, 01-Jan-30 00:00:09 GMT' }, 9_000],
    ['Retry-After as an asctime date', { 'retry-after': 'Tue Jan  1 00:00:04 2030' }, 4_000],
    [
      'a usable reset wins over Retry-After',
      { 'x-rate-limit-reset': String(EPOCH + 2), 'retry-after': '30' },
      2_100,
    ],
    [
      'an unusable reset falls back to Retry-After',
      { 'x-rate-limit-reset': '0', 'retry-after': '6' },
      6_000,
    ],
  ])('%s → %i ms', (_, headers, expected) => {
    const h = new Headers({ date: HTTP_DATE, ...headers })
    expect(retryDelay(h, 0)).toBe(expected)
    expect(retryDelay(h, 2)).toBe(expected)
  })

  // Each of these was read as "retry now" (Number(null) === 0, Number('') === 0, …).
  it.each([
    ['no header at all', {}],
    ['X-Rate-Limit-Reset: 0', { 'x-rate-limit-reset': '0' }],
    ['a negative reset', { 'x-rate-limit-reset': '-5' }],
    ['a reset in the past of Date', { 'x-rate-limit-reset': String(EPOCH - 1) }],
    ['an empty reset', { 'x-rate-limit-reset': '' }],
    ['a non-numeric reset', { 'x-rate-limit-reset': 'soon' }],
    ['a hexadecimal reset', { 'x-rate-limit-reset': '0x10' }],
    ['an exponent', { 'x-rate-limit-reset': '1e400' }],
    ['a fractional reset', { 'x-rate-limit-reset': `${EPOCH + 1}.5` }],
    ['a reset two days away (absurd)', { 'x-rate-limit-reset': String(EPOCH + 2 * 86_400) }],
    ['a reset of 10^15 seconds', { 'x-rate-limit-reset': '999999999999999' }],
    ['a non-numeric Retry-After', { 'retry-after': 'soon' }],
    ['a negative Retry-After', { 'retry-after': '-1' }],
    ['a fractional Retry-After', { 'retry-after': '1.5' }],
    ['an empty Retry-After', { 'retry-after': '' }],
    ['a Retry-After date in the past', { 'retry-after': inSeconds(-60) }],
    ['a Retry-After date two days away', { 'retry-after': inSeconds(2 * 86_400) }],
    ['a Retry-After date that does not exist', { 'retry-after': 'Thu, 31 Feb 2030 00:00:00 GMT' }],
    ['a Retry-After date in local time', { 'retry-after': 'Tue, 01 Jan 2030 00:00:05 +0100' }],
  ])('%s → the backoff: 1 s, 2 s, 4 s', (_, headers) => {
    const h = new Headers({ date: HTTP_DATE, ...headers })
    expect([0, 1, 2].map((attempt) => retryDelay(h, attempt))).toEqual([1_000, 2_000, 4_000])
  })

  it('without Date, this clock is used', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: DATE })
    try {
      expect(retryDelay(new Headers({ 'x-rate-limit-reset': String(EPOCH + 2) }), 0)).toBe(2_100)
      expect(retryDelay(new Headers({ 'retry-after': inSeconds(3) }), 0)).toBe(3_000)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('parseHttpDate', () => {
  it('reads the three forms RFC 9110 §5.6.7 requires', () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37)
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(t)
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(t)
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(t)
  })

  it.each([
    null,
    '',
    '5',
    '2030-01-01T00:00:00Z',
    'Sun, 06 Nov 1994 08:49:37 +0000',
    'Sun, 06 Nov 1994 25:49:37 GMT',
    'Sun, 6 Nov 1994 08:49:37 GMT',
    'tomorrow',
  ])('refuses %j', (value) => {
    expect(parseHttpDate(value)).toBeUndefined()
  })
})

describe('transport: a 429 without a usable wait backs off', () => {
  // The first request of a process loads ky (a dynamic import: real I/O, which
  // faked timers do not wait for); one request with real timers goes first.
  beforeAll(async () => {
    server.use(
      http.get(ONE_SERVER, () => HttpResponse.json({ id: SERVER_ID, name: 'n', audiences: [] })),
    )
    await sswsClient().authorizationServers.get(SERVER_ID)
    server.resetHandlers()
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it.each([
    ['no Retry-After or X-Rate-Limit-Reset', () => ({})],
    ['X-Rate-Limit-Reset: -1', () => ({ 'x-rate-limit-reset': '-1' })],
    ['X-Rate-Limit-Reset: 0', () => ({ 'x-rate-limit-reset': '0' })],
    [
      'an X-Rate-Limit-Reset in the past',
      () => ({ 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) - 30) }),
    ],
    ['a non-numeric Retry-After', () => ({ 'retry-after': 'later' })],
  ])('%s: the server sees requests 1 s, 2 s and 4 s apart', async (_, headers) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const seenAt: number[] = []
    server.use(
      http.get(ONE_SERVER, () => {
        seenAt.push(Date.now())
        return HttpResponse.json(
          { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit' },
          { status: 429, headers: { date: new Date().toUTCString(), ...headers() } },
        )
      }),
    )
    const pending = rejectionOf(sswsClient().authorizationServers.get(SERVER_ID))
    // Nothing is sent again before the backoff is over.
    await vi.advanceTimersByTimeAsync(999)
    expect(seenAt).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(7_001)
    const err = await pending
    expect(err).toBeInstanceOf(OktaApiError)
    // The default 3 retries; the next one would have waited 8 s.
    expect(err).toMatchObject({ code: 'ERR_API_RATE_LIMITED', status: 429, retryAfter: 8_000 })
    expect(seenAt).toHaveLength(4)
    expect(seenAt.slice(1).map((t, i) => t - seenAt[i]!)).toEqual([1_000, 2_000, 4_000])
  })

  it('a Retry-After HTTP date is waited for, measured against Date', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const seenAt: number[] = []
    server.use(
      http.get(ONE_SERVER, () => {
        seenAt.push(Date.now())
        if (seenAt.length > 1) return HttpResponse.json({ id: SERVER_ID, name: 'n', audiences: [] })
        // The server's clock is an hour ahead: only the difference counts.
        const serverNow = Math.floor(Date.now() / 1000) * 1000 + 3_600_000
        return new HttpResponse(null, {
          status: 429,
          headers: {
            date: new Date(serverNow).toUTCString(),
            'retry-after': new Date(serverNow + 3_000).toUTCString(),
          },
        })
      }),
    )
    const pending = sswsClient().authorizationServers.get(SERVER_ID)
    await vi.advanceTimersByTimeAsync(2_999)
    expect(seenAt).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await expect(pending).resolves.toMatchObject({ id: SERVER_ID })
    expect(seenAt.map((t) => t - seenAt[0]!)).toEqual([0, 3_000])
  })
})
