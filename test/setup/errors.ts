import { inspect } from 'node:util'
import { afterAll } from 'vitest'
import { printable } from '../../src/lib/printable.js'

// Issue 14: "a test that serialises every error the suite produces and finds
// no token, code, secret, assertion, verifier or claim value in it".
//
// Every SDK error class extends the global `Error` or `TypeError`, looked up
// when its module is evaluated. This setup file runs before any test file
// imports the SDK and puts a transparent Proxy in their place whose only
// addition is to remember each SDK error constructed. After each test file,
// every error it produced is serialised the three ways a log does it
// (`String`, `JSON.stringify`, `util.inspect` with the whole cause chain) and
// searched for anything secret.

const MARK = Symbol.for('okta-oauth-kit.test.error-recorder')
type Recorder = { errors: Error[] }
const g = globalThis as unknown as Record<symbol, Recorder | undefined> & {
  Error: ErrorConstructor
  TypeError: TypeErrorConstructor
}

const SDK_ROOTS = new Set(['OktaOAuthError', 'InvalidOptionError'])

function isSdkClass(ctor: unknown): boolean {
  for (let c = ctor; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (SDK_ROOTS.has((c as { name: string }).name)) return true
  }
  return false
}

if (!g[MARK]) {
  const recorder: Recorder = { errors: [] }
  g[MARK] = recorder
  const watch = <T extends ErrorConstructor | TypeErrorConstructor>(base: T): T =>
    new Proxy(base, {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target, args, newTarget) as Error
        if (newTarget !== target && isSdkClass(newTarget)) recorder.errors.push(made)
        return made
      },
    })
  g.Error = watch(g.Error)
  g.TypeError = watch(g.TypeError)
}
const recorder = g[MARK]!

/** Values that must never appear in an error: the emulator's and the fixtures' secrets and claims. */
const SECRETS = [
  'web-app-secret-that-is-long-enough-for-hs256', // the emulator's web client secret
  'correct horse battery staple', // the emulator's user password
  '00okta-oauth-kit-emulator-api-token-00000', // the emulator's SSWS token
  '00uid4BxXw6I6TV4m0g3', // the reference and emulator user's sub
  'john.doe@example.com', // the emulator user's email claim
  'webmaster@clouditude.net', // the reference ID token's email claim
]

const PATTERNS: [string, RegExp][] = [
  // A JWS (ID token, access token, client assertion, DPoP proof, logout token).
  ['a JWT', /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\./],
  // A compact JWE with the `dir` key management the sealed cookies use.
  ['a sealed cookie', /eyJ[A-Za-z0-9_-]{4,}\.\.[A-Za-z0-9_-]{8,}\./],
  // A PKCE verifier, state, nonce, code or opaque token: 43+ base64url characters.
  ['a verifier, code or opaque token', /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43,}(?![A-Za-z0-9_-])/],
]

// Text the other party wrote and the SDK shows by design: an OAuth error's
// `error` and `error_description`, Okta's error body, a token's `iss`.
const SHOWN_BY_DESIGN = [
  'error',
  'errorDescription',
  'errorUri',
  'errorSummary',
  'errorCode',
  'errorLink',
  'errorId',
  'actual',
]

/** The values of an error's fields that hold the other party's text. */
function shownByDesign(err: Error): string[] {
  const fields = err as unknown as Record<string, unknown>
  const values = SHOWN_BY_DESIGN.map((name) => fields[name])
  if (Array.isArray(fields.errorCauses)) {
    for (const cause of fields.errorCauses)
      values.push((cause as { errorSummary?: unknown })?.errorSummary)
  }
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 8)
}

/** What a log line shows of an error: its string, its JSON, and its inspection with every cause. */
function printed(err: Error): string {
  const parts = [String(err), inspect(err, { depth: 10 })]
  try {
    parts.push(JSON.stringify(err))
  } catch {
    // A cycle: inspect() above prints it.
  }
  let text = parts
    .join('\n')
    .split('\n')
    // Stack frames are file paths, not data.
    .filter((line) => !/^\s+at\s/.test(line))
    .join('\n')
  for (const value of shownByDesign(err)) {
    for (const form of [
      value,
      JSON.stringify(value).slice(1, -1),
      printable(value),
      printable(value, 64),
    ]) {
      text = text.split(form.replace(/…$/, '')).join('[shown by design]')
    }
  }
  return text
}

/** @internal The leaks among the errors recorded so far; clears the record. */
export function takeLeaks(): string[] {
  const leaks: string[] = []
  for (const err of recorder.errors.splice(0)) {
    const found = new Set<string>()
    const text = printed(err)
    for (const secret of SECRETS) {
      if (text.includes(secret))
        found.add(
          `${err.name} (${(err as { code?: string }).code}) shows a secret: ${secret.slice(0, 6)}…`,
        )
    }
    for (const [what, pattern] of PATTERNS) {
      for (const m of text.matchAll(new RegExp(pattern.source, 'g'))) {
        // Key ids are public (every JWKS lists them) and may be that long.
        const before = text.slice(Math.max(0, m.index - 8), m.index)
        if (/\b(?:key|kid)[:=]? ?["']?$/.test(before)) continue
        // A snake_case name (a metadata member, a parameter) is no secret.
        if (/^[a-z_]+$/.test(m[0])) continue
        const code = (err as { code?: string }).code
        found.add(`${err.name} (${code}) shows ${what}: ${m[0].slice(0, 12)}…`)
      }
    }
    leaks.push(...found)
  }
  return leaks
}

afterAll(() => {
  const leaks = takeLeaks()
  if (leaks.length > 0) {
    throw new Error(`SDK errors printed secrets (issue 14):\n${[...new Set(leaks)].join('\n')}`)
  }
})
