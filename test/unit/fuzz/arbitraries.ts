// Hostile, structured inputs for the property-based tests over every parser
// that reads network input: marker values, nasty strings and numbers, JSON
// objects and bodies, and whole HTTP responses (status, type, headers, body).
import fc from 'fast-check'

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')

/**
 * A distinctive value: `MARK` and 12 to 20 base64url characters. Placed in
 * tokens, codes, claims, headers, body members and cookies; no error may print one.
 */
export const marker: fc.Arbitrary<string> = fc
  .string({ unit: fc.constantFrom(...B64URL), minLength: 12, maxLength: 20 })
  .map((s) => `MARK${s}`)

/** Text that can never contain `MARK` (for members the SDK deliberately echoes, such as `error`). */
export const unmarked: fc.Arbitrary<string> = fc
  .string({ maxLength: 40 })
  .map((s) => s.replace(/MARK/gi, 'm_a_r_k'))

/** Mostly `good`, sometimes one of `bad`. */
export function mostly<T>(good: fc.Arbitrary<T>, ...bad: fc.Arbitrary<T>[]): fc.Arbitrary<T> {
  const weighted: fc.WeightedArbitrary<T>[] = [
    { arbitrary: good, weight: 12 },
    ...bad.map((arbitrary) => ({ arbitrary, weight: 1 })),
  ]
  return fc.oneof(...weighted)
}

/** A string of the kinds servers get wrong: empty, control characters, Unicode, long, a marker. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  marker,
  fc.constantFrom('', ' ', '\u0000', '\r\n', '\t', '\u2028', '\ufeff', '\ud800', '😀', '%00'),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `MARK${s}MARK`),
  marker.map((m) => `${m}\u0000\n${m}`),
  marker.map((m) => m.repeat(50)),
)

/** Numbers as JSON text, including ones JSON.parse turns into Infinity or -0. */
export const nastyNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', '-0', '0.5', '1.5', '1e308', '1e400', '-1e400', '9007199254740993'),
  fc.constantFrom('3600.0000001', '-3600', '1E3', '2147483648', '1e-7', '123456789012345678901'),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
)

/** Any JSON value as text: of every type, with markers inside. */
export const anyJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  nastyString.map((s) => JSON.stringify(s)),
  nastyNumberText,
  fc.constantFrom('true', 'false', 'null', '[]', '{}', '""'),
  marker.map((m) => `{"${m}":"${m}"}`),
  marker.map((m) => `["${m}",1,null]`),
  marker.map((m) => `{"__proto__":{"polluted":"${m}"},"constructor":{"prototype":"${m}"}}`),
)

/** {@link anyJsonText} without markers (for members an error deliberately echoes). */
export const unmarkedJsonText: fc.Arbitrary<string> = anyJsonText.map((t) =>
  t.replace(/MARK/g, 'm_a_r_k'),
)

/** A member: its name and its value as JSON text. */
export type Member = readonly [string, string]

/**
 * A JSON object as text, from members in order (duplicated names allowed:
 * JSON.parse keeps the last). Text, so that `__proto__` stays an own member.
 */
export function objectText(members: readonly Member[]): string {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`
}

/**
 * Members of a response object: each wanted member is absent, well formed
 * (`good`), or any JSON value; then hostile extras (marker names, `__proto__`,
 * `constructor`, a duplicate of a wanted member with a hostile value).
 */
export function members(
  wanted: Record<string, fc.Arbitrary<string>>,
  options: { extraNames?: readonly string[]; echoed?: readonly string[] } = {},
): fc.Arbitrary<Member[]> {
  const names = Object.keys(wanted)
  const echoed = new Set(options.echoed ?? [])
  // Members the SDK echoes by design get hostile values without markers.
  const anyFor = (name: string) => (echoed.has(name) ? unmarkedJsonText : anyJsonText)
  const one = (name: string) =>
    fc.oneof(
      { arbitrary: wanted[name]!.map((v): Member | undefined => [name, v]), weight: 20 },
      { arbitrary: anyFor(name).map((v): Member | undefined => [name, v]), weight: 1 },
      { arbitrary: fc.constant<Member | undefined>(undefined), weight: 1 },
    )
  const extra: fc.Arbitrary<Member> = fc.oneof(
    fc.tuple(marker, anyJsonText),
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), anyJsonText),
    fc
      .constantFrom(...names, ...(options.extraNames ?? []), 'x')
      .chain((name) => fc.tuple(fc.constant(name), anyFor(name))),
  )
  return fc
    .tuple(
      fc.tuple(...names.map(one)),
      fc.oneof(
        { arbitrary: fc.constant([]), weight: 2 },
        { arbitrary: fc.array(extra, { minLength: 1, maxLength: 3 }), weight: 1 },
      ),
    )
    .map(([ms, extras]) => [...ms.filter((m): m is Member => m !== undefined), ...extras])
}

/** JSON text of a string value. */
export const str = (a: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  a.map((s) => JSON.stringify(s))

/**
 * A response body around an object's text: mostly the object itself, else
 * what a broken server sends instead (an array, a primitive, nothing, a
 * truncated or padded document, text before the document, bytes that are not
 * UTF-8, a form, a page).
 */
export function bodyAround(object: fc.Arbitrary<string>): fc.Arbitrary<string | Uint8Array> {
  const variants: fc.WeightedArbitrary<string | Uint8Array>[] = [
    { arbitrary: object, weight: 30 },
    { arbitrary: object.map((o) => `[${o}]`), weight: 1 },
    { arbitrary: anyJsonText, weight: 1 },
    { arbitrary: fc.constantFrom('', ' ', 'null', '"MARKstringBodyValue01"'), weight: 1 },
    {
      arbitrary: fc.tuple(object, fc.nat()).map(([o, n]) => o.slice(0, n % Math.max(1, o.length))),
      weight: 1,
    },
    { arbitrary: object.map((o) => `\ufeff${o}`), weight: 1 },
    { arbitrary: object.map((o) => `${o}MARKtrailingGarbage0`), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }), weight: 1 },
    { arbitrary: marker.map((m) => `access_token=${m}&token_type=Bearer`), weight: 1 },
    { arbitrary: marker.map((m) => `<html><body>${m}</body></html>`), weight: 1 },
    // JSON.parse's SyntaxError quotes the start of such a body.
    { arbitrary: fc.tuple(marker, object).map(([m, o]) => `${m}${o}`), weight: 1 },
  ]
  return fc.oneof(...variants)
}

/** What a fake server answers: status, content type, extra headers and body. */
export interface ResponseSpec {
  status: number
  contentType: string | undefined
  headers: readonly (readonly [string, string])[]
  body: string | Uint8Array
  /** Send the start of the body, then never finish it. */
  stall?: boolean
}

/** Statuses: mostly the expected one, then every class the fetch API can deliver (2xx–5xx). */
export function statusArb(expected = 200): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.constant(expected), weight: 8 },
    {
      arbitrary: fc.constantFrom(200, 201, 202, 203, 204, 206, 301, 302, 303, 304, 307, 308),
      weight: 1,
    },
    { arbitrary: fc.constantFrom(400, 401, 403, 404, 405, 409, 413, 429, 431), weight: 1 },
    { arbitrary: fc.constantFrom(500, 501, 502, 503, 504, 599), weight: 1 },
    { arbitrary: fc.integer({ min: 200, max: 599 }), weight: 1 },
  )
}

/** Content types: the right one in its spellings, and wrong ones. */
export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json;charset=latin1',
      'application/jwk-set+json',
      'application/problem+json',
      'text/json',
      'text/html',
      'text/plain',
      'application/jwt',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=MARKboundaryValue0',
      'application/json; MARKparameter=MARKvalue00000',
      'application/octet-stream',
      '',
      undefined,
    ),
    weight: 3,
  },
)

/** A value that is safe in an HTTP header (visible ASCII, spaces, Latin-1), possibly with markers. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  marker,
  fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~az09AZ'.split('')) }),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)) }),
  marker.map((m) => `"${m}", ${m};${m}=${m}`),
)

/** A full response spec around a body arbitrary. */
export function responseSpec(
  body: fc.Arbitrary<string | Uint8Array>,
  options: { expected?: number; headers?: fc.Arbitrary<(readonly [string, string])[]> } = {},
): fc.Arbitrary<ResponseSpec> {
  return fc.record({
    status: statusArb(options.expected),
    contentType: contentTypeArb,
    headers:
      options.headers ??
      fc.array(
        fc.tuple(
          fc.constantFrom('x-request-id', 'location', 'cache-control', 'date', 'content-length'),
          headerValue,
        ),
        { maxLength: 2 },
      ),
    body,
    stall: fc.oneof(
      { arbitrary: fc.constant(false), weight: 30 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
  })
}

const NULL_BODY = new Set([101, 103, 204, 205, 304])

/** Build the `Response` a spec describes (a stalled one never finishes its body). */
export function toResponse(spec: ResponseSpec): Response {
  const headers = new Headers()
  for (const [name, value] of spec.headers) {
    try {
      headers.append(name, value)
    } catch {
      // A value the platform cannot send cannot arrive either.
    }
  }
  if (spec.contentType !== undefined) headers.set('content-type', spec.contentType)
  if (NULL_BODY.has(spec.status)) return new Response(null, { status: spec.status, headers })
  const bytes = typeof spec.body === 'string' ? new TextEncoder().encode(spec.body) : spec.body
  if (spec.stall) {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, Math.ceil(bytes.length / 2)))
        // Never closed: the rest never comes.
      },
    })
    return new Response(stream, { status: spec.status, headers })
  }
  return new Response(bytes as BodyInit, { status: spec.status, headers })
}
