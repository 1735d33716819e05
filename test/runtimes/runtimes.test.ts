// Every runtime, for real: Node, Deno, Bun (their own binaries, from npm dev
// dependencies) and Cloudflare's workerd (through miniflare) each run the
// same flows against a local org on 127.0.0.1 — discovery, the password
// grant with its ID token's signature checked, refresh, userinfo,
// introspection, revocation; `./verifier`; `./admin`; `./server` with Web
// `Request`/`Response` — importing the built package by its name, so each
// runtime's resolver (or wrangler's conditions, for workerd) picks the files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { built, bundleWorker, RUNTIMES, type SmokeRun, startSmokeOrg } from './harness.js'

type Runtime = keyof typeof RUNTIMES
const runs = new Map<Runtime, SmokeRun>()
const closers: (() => Promise<void>)[] = []

// Start all four at once (each with its own org): the suite takes as long as the slowest.
const pending = new Map<Runtime, Promise<SmokeRun>>()
beforeAll(async () => {
  if (!built()) throw new Error('dist/ is missing: run `npm run build` first')
  for (const name of Object.keys(RUNTIMES) as Runtime[]) {
    const { running, config } = await startSmokeOrg()
    closers.push(() => running.close())
    const run = RUNTIMES[name](config)
    run.catch(() => {}) // reported by the runtime's own test
    pending.set(name, run)
  }
}, 10_000)
afterAll(async () => {
  await Promise.allSettled(pending.values())
  await Promise.all(closers.map((close) => close()))
  const times = [...runs].map(([name, run]) => `${name} ${Math.round(run.ms)} ms`)
  if (times.length > 0) console.log(`runtime smoke runs: ${times.join(', ')}`)
})

async function result(name: Runtime): Promise<Record<string, Record<string, unknown>>> {
  const run = await pending.get(name)!
  runs.set(name, run)
  return run.result as Record<string, Record<string, unknown>>
}

const RUNTIME_NAME: Record<Runtime, RegExp> = {
  node: /^node 2\d\./,
  deno: /^deno 2\./,
  bun: /^bun 1\./,
  workerd: /^workerd$/,
}

/** What the verifier section answers with either build: values and error codes. */
const VERIFIED = {
  sub: 'john.doe@example.com',
  cid: '0oaweb0000000000000',
  scopes: ['email', 'offline_access', 'openid', 'profile'],
  kid: true,
  tampered: 'ERR_JWT_SIGNATURE_INVALID',
  missingScope: 'ERR_INSUFFICIENT_SCOPE',
  wrongAudience: 'ERR_JWT_CLAIM_INVALID',
  sharedErrors: true,
}

// Which build of `./verifier` each runtime gets, and how it reports itself.
const VERIFIER_BUILD: Record<Runtime, { file: string; crypto: string }> = {
  node: { file: 'dist/verifier-node.js', crypto: 'node:crypto' },
  bun: { file: 'dist/verifier-node.js', crypto: 'node:crypto' },
  deno: { file: 'dist/verifier.js', crypto: 'webcrypto' },
  workerd: { file: 'verifier.js', crypto: 'webcrypto' },
}

describe.each(Object.keys(RUNTIMES) as Runtime[])('%s', (name) => {
  it('runs the core: discovery, password grant + ID token, refresh, userinfo, introspect, revoke', async () => {
    const r = await result(name)
    expect(r.runtime).toMatch(RUNTIME_NAME[name])
    expect(r.core).toEqual({
      discoveredIssuer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/default$/),
      tokenEndpoint: expect.stringMatching(/\/oauth2\/default\/v1\/token$/),
      idTokenSub: '00uid4BxXw6I6TV4m0g3',
      idTokenAud: '0oaweb0000000000000',
      scope: 'openid profile email offline_access',
      hasRefreshToken: true,
      refreshedSub: '00uid4BxXw6I6TV4m0g3',
      refreshedNewAccessToken: true,
      userinfoEmail: 'john.doe@example.com',
      activeBeforeRevoke: true,
      activeAfterRevoke: false,
      tamperedIdToken: 'ERR_JWT_SIGNATURE_INVALID',
      wrongPassword: 'ERR_OAUTH_RESPONSE invalid_grant',
    })
  })

  it('verifies access tokens with ./verifier, on the build its export conditions pick', async () => {
    const r = await result(name)
    expect(r.verifier).toEqual({ crypto: VERIFIER_BUILD[name].crypto, ...VERIFIED })
    const resolved = r.resolved as Record<string, string>
    expect(resolved['okta-oauth-kit/verifier'] ?? resolved.verifier).toBe(VERIFIER_BUILD[name].file)
  })

  // workerd's `./verifier` is the WebCrypto build already (the test above).
  if (name !== 'workerd') {
    it('verifies access tokens with the WebCrypto build of ./verifier too, imported by its file', async () => {
      const r = await result(name)
      expect(r.verifierWebCrypto).toEqual({ crypto: 'webcrypto', ...VERIFIED })
    })
  }

  it('manages an authorization server with ./admin (OAuth for Okta, private_key_jwt)', async () => {
    const r = await result(name)
    expect(r.admin).toEqual({
      servers: ['default'],
      createdAudiences: ['api://smoke'],
      createdIssuerUnderOrg: true,
      scope: 'smoke:read',
      gone: 'ERR_API_NOT_FOUND',
      missingScope: 'ERR_SCOPE_NOT_CONFIGURED',
      sharedErrors: true,
    })
  })

  it('signs a user in with ./server on Web Request/Response (form_post, sealed cookies)', async () => {
    const r = await result(name)
    expect(r.server).toEqual({
      loginStatus: 302,
      authorizeOrigin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      responseMode: 'form_post',
      formStatus: 200,
      formFields: ['code', 'state'],
      refusedCode: 'ERR_CALLBACK_MALFORMED',
      refusedStatus: 405,
      callbackStatus: 302,
      callbackLocation: '/orders',
      sessionSub: '00uid4BxXw6I6TV4m0g3',
      noSession: true,
      sharedErrors: true,
    })
  })

  if (name !== 'workerd') {
    it('resolves every entry to its ESM build', async () => {
      const r = await result(name)
      expect(r.resolved).toEqual({
        'okta-oauth-kit': 'dist/index.js',
        'okta-oauth-kit/verifier': VERIFIER_BUILD[name].file,
        'okta-oauth-kit/admin': 'dist/admin.js',
        'okta-oauth-kit/server': 'dist/server.js',
      })
    })
  }
})

describe('the Worker bundle (wrangler’s conditions: workerd, worker, browser)', () => {
  it('takes the WebCrypto verifier and no node:crypto build', async () => {
    const { code, distFiles } = await bundleWorker()
    expect(distFiles).toEqual(
      expect.arrayContaining(['index.js', 'verifier.js', 'admin.js', 'server.js']),
    )
    expect(distFiles).not.toContain('verifier-node.js')
    expect(distFiles.some((f) => f.endsWith('.cjs'))).toBe(false)
    // Nothing in it asks for a Node built-in, so no nodejs_compat flag is needed.
    expect(code).not.toMatch(/from\s*["'](node:)?(crypto|http|fs|buffer)["']/)
  })
})
