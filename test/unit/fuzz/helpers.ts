import { inspect } from 'node:util'
import fc from 'fast-check'
import { base64url } from 'jose'
import { afterAll } from 'vitest'
import { isOktaOAuthError } from '../../../src/index.js'

// Shared pieces of the property-based tests over every parser that reads
// network input: hostile, structured inputs carrying marker values, and the
// three properties every outcome must have (only SDK errors, bounded time,
// no input value in what an error prints).

/** Runs per property: bounded, so the folder stays well under a minute on two cores. */
export const RUNS = 120

/** Per-test timeout (ms) for vitest: generous, the properties themselves are bounded. */
export const TEST_TIMEOUT = 60_000

/** The SDK's own timeout for each call (ms): small, so a stalled answer ends quickly. */
export const SDK_TIMEOUT = 1_500

/** The SDK timeout (ms) for calls whose answer stalls: the bound is proven without a long wait. */
export const STALL_TIMEOUT = 60

/** The test-side bound (ms): a call still pending after this fails the property as a hang. */
export const HANG_MS = 6_000

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')

/**
 * A distinctive value: `MARK` and 12 to 20 base64url characters. Placed in
 * tokens, codes, claims, headers, body members and cookies; no error may print one.
 */
export const marker: fc.Arbitrary<string> = fc
  .string({ unit: fc.constantFrom(...B64URL), minLength: 12, maxLength: 20 })
  .map((s) => `MARK${s}`)

const MARK_RE = /MARK/

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

/** How a bounded call ended. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

/**
 * Run `work` (sync throws included) and wait for it at most `ms`: a call still
 * pending then fails the property as a hang.
 */
export async function settle<T>(work: () => Promise<T> | T, ms = HANG_MS): Promise<Outcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), ms)
  })
  const run = Promise.resolve()
    .then(work)
    .then(
      (value): Outcome<T> => ({ ok: true, value }),
      (error: unknown): Outcome<T> => ({ ok: false, error }),
    )
  try {
    const result = await Promise.race([run, hang])
    if (result === 'hang') throw new Error(`the call did not settle within ${ms} ms`)
    return result
  } finally {
    clearTimeout(timer)
  }
}

const stats = process.env.FUZZ_STATS ? new Map<string, Map<string, number>>() : undefined

/**
 * With `FUZZ_STATS=1`, count how runs ended (resolved, or the error's code)
 * per property and print the counts after each file (`FUZZ_STATS=messages`
 * adds the messages): a check that the inputs reach past the first refusal.
 */
export function tally(property: string, outcome: Outcome<unknown>): void {
  if (!stats) return
  const key = outcome.ok
    ? 'resolved'
    : String((outcome.error as { code?: unknown })?.code ?? (outcome.error as Error)?.name) +
      (process.env.FUZZ_STATS === 'messages' ? ` ${(outcome.error as Error)?.message}` : '')
  let counts = stats.get(property)
  if (!counts) {
    counts = new Map()
    stats.set(property, counts)
  }
  counts.set(key, (counts.get(key) ?? 0) + 1)
}

afterAll(() => {
  for (const [property, counts] of stats ?? []) {
    console.log(
      `${property}: ${JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])))}`,
    )
  }
  stats?.clear()
})

/** Every printed form of an error and of its cause chain. */
export function printed(err: unknown): string[] {
  const out: string[] = [inspect(err, { depth: 10 })]
  let e: unknown = err
  for (let i = 0; i < 6 && e !== undefined && e !== null; i++) {
    out.push(String(e))
    if (typeof e === 'object') {
      const { message, stack } = e as { message?: unknown; stack?: unknown }
      out.push(String(message), String(stack))
      try {
        out.push(JSON.stringify(e) ?? '')
      } catch {
        // Not serialisable (a BigInt, a cycle): inspect still covers it.
      }
    }
    e = (e as { cause?: unknown })?.cause
  }
  return out
}

/** One line describing any thrown value, for failure messages. */
function describe(err: unknown): string {
  if (err instanceof Error) {
    return `${err.constructor.name} ${err.name} (code ${String((err as { code?: unknown }).code)}): ${err.message}\n${err.stack?.split('\n').slice(1, 6).join('\n')}`
  }
  return `${typeof err}: ${inspect(err)}`
}

/** Options of {@link expectSafe}. */
export interface SafeOptions {
  /** Exact values (tokens, cookie values) that must not appear either, at least 8 characters long. */
  secrets?: readonly string[]
  /**
   * Own properties of the error that deliberately keep server data (e.g. an
   * `OAuthResponseError`'s parsed `challenges`): masked before printing.
   */
  allow?: readonly string[]
  /** Count the outcome under this name (see {@link tally}). */
  label?: string
}

/**
 * The properties every failure must have: it is an SDK error
 * (`isOktaOAuthError`), and no marker or secret appears in its message, its
 * string, its JSON or `util.inspect` (with the whole `cause` chain).
 */
export function expectSafeError(err: unknown, options: SafeOptions = {}): void {
  if (!isOktaOAuthError(err)) {
    throw new Error(`not an SDK error: ${describe(err)}`)
  }
  const masked: [string, PropertyDescriptor][] = []
  for (const name of options.allow ?? []) {
    const d = Object.getOwnPropertyDescriptor(err, name)
    if (d) {
      masked.push([name, d])
      Object.defineProperty(err, name, { ...d, value: '[allowed]' })
    }
  }
  try {
    for (const text of printed(err)) {
      const hit = MARK_RE.exec(text)
      if (hit) {
        const at = hit.index
        throw new Error(
          `a marker appears in the error: …${text.slice(Math.max(0, at - 120), at + 60)}…\n${describe(err)}`,
        )
      }
      for (const secret of options.secrets ?? []) {
        if (secret.length >= 8 && text.includes(secret)) {
          throw new Error(`a secret value appears in the error\n${describe(err)}`)
        }
      }
    }
  } finally {
    for (const [name, d] of masked) Object.defineProperty(err, name, d)
  }
}

/** {@link expectSafeError} for a failed outcome; a resolved one passes. */
export function expectSafe(outcome: Outcome<unknown>, options: SafeOptions = {}): void {
  if (options.label !== undefined) tally(options.label, outcome)
  if (!outcome.ok) expectSafeError(outcome.error, options)
}

/**
 * A fault of the server must not read as the caller's mistake or a transport
 * failure: no `InvalidOptionError` (a `TypeError`), no `ERR_NETWORK`.
 */
export function expectServerFault(outcome: Outcome<unknown>): void {
  if (outcome.ok) return
  const err = outcome.error as { name?: string; code?: string }
  if (err instanceof TypeError || err.code === 'ERR_NETWORK' || err.code === 'ERR_ABORTED') {
    throw new Error(`a server's answer was reported as ${describe(err)}`)
  }
}

/** base64url of a JSON value. */
export function b64json(value: unknown): string {
  return base64url.encode(JSON.stringify(value))
}

/** Sign any header and payload with an RS256 key (jose would refuse some of these headers). */
export async function signRaw(key: CryptoKey, header: unknown, payload: unknown): Promise<string> {
  const input = `${typeof header === 'string' ? header : b64json(header)}.${b64json(payload)}`
  const sig = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(input))
  return `${input}.${base64url.encode(new Uint8Array(sig))}`
}

/**
 * A JWS header as an ID token might carry it, hostile in every member. A
 * `crit` naming a marked, unknown parameter only comes with `critMarkers`:
 * jose quotes that name in its message, which the core keeps in causes
 * (reported under issue 14, with a property of its own in `jwks.test.ts`).
 */
export function jwsHeader(
  kid: string,
  options: { critMarkers?: boolean } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const hostile = fc
    .record(
      {
        alg: mostly(
          fc.constant('RS256'),
          fc.constantFrom('none', 'HS256', 'ES256', 'RS512', 'PS256', 'EdDSA', 'rs256', ''),
          marker,
        ),
        kid: mostly<unknown>(fc.constant(kid), marker, fc.integer()),
        typ: fc.oneof(fc.constantFrom('JWT', 'at+jwt', 'dpop+jwt'), marker),
        crit: options.critMarkers
          ? marker.map((m) => [m])
          : fc.constantFrom(['exp'], [], ['b64'], 'b64', [1]),
        b64: fc.boolean(),
        jku: marker.map((m) => `https://evil.example/${m}`),
        jwk: marker.map((m) => ({ kty: 'RSA', n: m, e: 'AQAB' })),
        x5u: marker,
        MARKheaderMemberName: marker,
      },
      { requiredKeys: options.critMarkers ? ['crit'] : [] },
    )
    .map((h) => ({ alg: 'RS256', kid, ...h }))
  if (options.critMarkers) return hostile
  return fc.oneof(
    { arbitrary: fc.constant({ alg: 'RS256', kid }), weight: 3 },
    { arbitrary: hostile, weight: 2 },
  )
}

/**
 * ID token claims for `issuer`/`clientId`, with markers and wrong types here
 * and there; `nonce` is used most of the time, so validation goes past it.
 */
export function idTokenClaims(
  issuer: string,
  clientId: string,
  nowS: number,
  nonce: string,
): fc.Arbitrary<Record<string, unknown>> {
  const claim = fc.oneof(marker, fc.jsonValue({ maxDepth: 1 }), fc.integer())
  const time = (around: number) =>
    mostly(
      fc.integer({ min: around - 60, max: around + 10 }),
      fc.constantFrom(0, -1, 1e308, 2 ** 53, 1.5),
      claim,
    )
  const base = fc.record({
    iss: mostly(fc.constant(issuer), claim),
    sub: mostly(marker, claim),
    aud: mostly<unknown>(
      fc.constant(clientId),
      fc.constant([clientId, 'MARKotherAudience00']),
      claim,
    ),
    exp: time(nowS + 3600),
    iat: time(nowS),
    nonce: mostly(fc.constant(nonce), claim),
    email: marker,
  })
  const extra = fc.record(
    {
      azp: mostly(fc.constant(clientId), marker),
      nbf: time(nowS),
      at_hash: marker,
      c_hash: marker,
      name: marker,
      MARKclaimName000000: claim,
    },
    { requiredKeys: [] },
  )
  return fc.tuple(base, mostly(fc.constant({}), extra)).map(([b, e]) => ({ ...b, ...e }))
}

/** How a hostile server spells an ID token (built by {@link buildIdToken}). */
export type IdTokenRecipe =
  | { kind: 'signed'; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { kind: 'unsigned'; claims: Record<string, unknown>; signature: string }
  | { kind: 'truncated'; claims: Record<string, unknown>; at: number }
  | { kind: 'hs256'; claims: Record<string, unknown>; signature: string }
  | { kind: 'raw'; value: string }

/**
 * ID tokens: signed (with the real key) under hostile headers and claims,
 * unsigned (`alg: none`), truncated, HS256 with a made-up MAC, or not a JWT.
 */
export function idTokenRecipe(
  kid: string,
  claims: fc.Arbitrary<Record<string, unknown>>,
  options: { critMarkers?: boolean } = {},
): fc.Arbitrary<IdTokenRecipe> {
  return fc.oneof(
    {
      arbitrary: fc
        .record({ header: jwsHeader(kid, options), claims })
        .map((r): IdTokenRecipe => ({ kind: 'signed', ...r })),
      weight: options.critMarkers ? 100 : 6,
    },
    fc
      .record({ claims, signature: fc.constantFrom('', 'MARKsignatureValue0000') })
      .map((r): IdTokenRecipe => ({ kind: 'unsigned', ...r })),
    fc.record({ claims, at: fc.nat() }).map((r): IdTokenRecipe => ({ kind: 'truncated', ...r })),
    fc.record({ claims, signature: marker }).map((r): IdTokenRecipe => ({ kind: 'hs256', ...r })),
    fc
      .oneof(
        marker,
        marker.map((m) => `${m}.${m}.${m}`),
        marker.map((m) => `${m}.${m}.${m}.${m}.${m}`),
        marker.map((m) => `${b64json({ alg: 'RS256', kid })}.${m}.${m}`),
      )
      .map((value): IdTokenRecipe => ({ kind: 'raw', value })),
  )
}

/**
 * Build the ID token a recipe describes, signing with `key`; `fill` replaces
 * placeholders in claim values (e.g. a nonce known only at run time).
 */
export async function buildIdToken(
  recipe: IdTokenRecipe,
  key: CryptoKey,
  kid: string,
  fill: Record<string, string> = {},
): Promise<string> {
  if (recipe.kind === 'raw') return recipe.value
  let text = JSON.stringify(recipe.claims)
  for (const [slot, value] of Object.entries(fill)) text = text.replaceAll(slot, value)
  const claims = JSON.parse(text) as Record<string, unknown>
  switch (recipe.kind) {
    case 'signed':
      return signRaw(key, recipe.header, claims)
    case 'unsigned':
      return `${b64json({ alg: 'none' })}.${b64json(claims)}.${recipe.signature}`
    case 'hs256':
      return `${b64json({ alg: 'HS256', kid })}.${b64json(claims)}.${recipe.signature}`
    case 'truncated': {
      const token = await signRaw(key, { alg: 'RS256', kid }, claims)
      return token.slice(0, recipe.at % token.length)
    }
  }
}
