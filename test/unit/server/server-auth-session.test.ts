// The session after sign-in: transaction and session stores, reading,
// refreshing and logging out (with and without a session store), and the
// legacy password sign-in. The harness is in server-auth-harness.ts.
import { describe, expect, it } from 'vitest'
import {
  type ServerAuth,
  type ServerTransaction,
  type SessionData,
  toHttpResponse,
} from '../../../src/server/index.js'
import { authorize, cookieHeader, formPost, USER, useOrg, webClient } from './helpers.js'
import {
  harness,
  makeAuth,
  nodeRequest,
  rejection,
  useServerAuthHarness,
} from './server-auth-harness.js'

useServerAuthHarness()

describe('stores', () => {
  it('a transaction store keeps the transaction; take() makes it one-use', async () => {
    const map = new Map<string, ServerTransaction>()
    const auth = makeAuth({
      transactionStore: {
        set: (key, txn) => void map.set(key, txn),
        take: (key) => {
          const txn = map.get(key)
          map.delete(key)
          return txn
        },
      },
    })
    const { action, fields, cookie, login } = await authorize(auth, '/stored')
    expect(map.size).toBe(1)
    expect(login.cookies[0]!.length).toBeLessThan(400)
    // A second process (a new ServerAuth on the same store) gets it once.
    const other = makeAuth({
      transactionStore: {
        set: () => {},
        take: (key) => {
          const txn = map.get(key)
          map.delete(key)
          return txn
        },
      },
    })
    expect((await other.callback(formPost(action, fields, cookie))).returnTo).toBe('/stored')
    expect(await rejection(auth.callback(formPost(action, fields, cookie)))).toMatchObject({
      code: 'ERR_TRANSACTION_REUSED',
    })
  })

  it('a session too large for a cookie throws ERR_SESSION_TOO_LARGE; a session store fixes it', async () => {
    const big = { ...USER, profile: { ...USER.profile, name: 'N'.repeat(3000) } }
    harness.org = await useOrg([big])
    harness.client = await webClient(harness.org)
    const plain = makeAuth()
    const a = await authorize(plain)
    expect(await rejection(plain.callback(formPost(a.action, a.fields, a.cookie)))).toMatchObject({
      code: 'ERR_SESSION_TOO_LARGE',
    })

    const sessions = new Map<string, SessionData>()
    const stored = makeAuth({
      sessionStore: {
        get: (id) => sessions.get(id),
        set: (id, data) => void sessions.set(id, data),
        delete: (id) => void sessions.delete(id),
      },
    })
    const b = await authorize(stored)
    const outcome = await stored.callback(formPost(b.action, b.fields, b.cookie))
    expect(sessions.size).toBe(1)
    expect(outcome.cookies[1]!.length).toBeLessThan(400)
    const cookie = cookieHeader(outcome.cookies)
    expect((await stored.session.read(cookie))?.idTokenClaims?.name).toHaveLength(3000)
    const refreshed = await stored.session.refresh(cookie, { force: true })
    expect(refreshed?.refreshed).toBe(true)
    expect(sessions.size).toBe(1)
    const out = await stored.logout(cookieHeader(refreshed!.cookies))
    expect(sessions.size).toBe(0)
    expect(out.cookies[0]).toContain('Max-Age=0')
  })
})

describe('session', () => {
  async function signedIn(auth: ServerAuth) {
    const { action, fields, cookie } = await authorize(auth)
    const outcome = await auth.callback(formPost(action, fields, cookie))
    return { outcome, cookie: cookieHeader(outcome.cookies) }
  }

  it('reads nothing without a cookie, with a foreign or expired cookie', async () => {
    const auth = makeAuth({ sessionTtl: 60_000 })
    expect(await auth.session.read(new Request('http://localhost:3000/'))).toBeUndefined()
    const { cookie } = await signedIn(auth)
    expect(await auth.session.read(cookie)).toBeDefined()
    const other = makeAuth({ secret: 'another-secret-of-at-least-32-characters!!' })
    expect(await other.session.read(cookie)).toBeUndefined()
    harness.clock += 61_000
    expect(await auth.session.read(cookie)).toBeUndefined()
    expect(await auth.session.refresh(cookie)).toBeUndefined()
  })

  it('reads the session from a Node request', async () => {
    const auth = makeAuth()
    const { cookie, outcome } = await signedIn(auth)
    const req = nodeRequest('', { cookie }, 'GET')
    expect((await auth.session.read(req))?.refreshToken).toBe(outcome.tokens.refreshToken)
  })

  it('refreshes only near expiry (or when forced), rotating the refresh token', async () => {
    const auth = makeAuth()
    const { cookie, outcome } = await signedIn(auth)
    const early = await auth.session.refresh(cookie)
    expect(early).toMatchObject({ refreshed: false, cookies: [] })
    harness.clock = outcome.tokens.expiresAt! * 1000 - 30_000
    const late = await auth.session.refresh(cookie)
    expect(late?.refreshed).toBe(true)
    expect(late?.session.refreshToken).not.toBe(outcome.tokens.refreshToken)
    expect(late?.session.accessToken).not.toBe(outcome.tokens.accessToken)
    expect(late?.session.idTokenClaims?.sub).toBe(USER.id)
    expect(late?.cookies[0]).toMatch(/^okta-session=/)
    const reread = await auth.session.read(cookieHeader(late!.cookies))
    expect(reread?.refreshToken).toBe(late?.session.refreshToken)
  })

  it('logout revokes the tokens, clears the cookie and redirects to the logout endpoint', async () => {
    const auth = makeAuth()
    const { cookie, outcome } = await signedIn(auth)
    expect((await harness.client.introspect(outcome.tokens.accessToken)).active).toBe(true)
    const out = await auth.logout(cookie, { state: 'bye' })
    expect(out.url.origin + out.url.pathname).toBe(`${harness.org.issuer()}/v1/logout`)
    expect(out.url.searchParams.get('id_token_hint')).toBe(outcome.tokens.idToken)
    expect(out.url.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:3000/')
    expect(out.url.searchParams.get('state')).toBe('bye')
    expect(out.cookies).toEqual(['okta-session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax'])
    expect(out.response().status).toBe(302)
    expect((await harness.client.introspect(outcome.tokens.accessToken)).active).toBe(false)
    expect((await harness.client.introspect(outcome.tokens.refreshToken!)).active).toBe(false)
    const end = await fetch(out.url, { redirect: 'manual' })
    expect(end.headers.get('location')).toBe('http://localhost:3000/?state=bye')
  })

  it('logout without a session goes to the post-logout URL; revocation failures are ignored', async () => {
    const auth = makeAuth()
    const none = await auth.logout(new Request('http://localhost:3000/logout'))
    expect(none.url.href).toBe('http://localhost:3000/')
    const { cookie } = await signedIn(auth)
    harness.org.misbehave('revoke', { status: 503 })
    const out = await auth.logout(cookie)
    expect(out.url.pathname).toBe('/oauth2/default/v1/logout')
  })

  it('with a sessionStore, a session cookie captured before logout is dead after it (read and refresh)', async () => {
    const sessions = new Map<string, SessionData>()
    const auth = makeAuth({
      sessionStore: {
        get: (id) => sessions.get(id),
        set: (id, data) => void sessions.set(id, data),
        delete: (id) => void sessions.delete(id),
      },
    })
    const { cookie } = await signedIn(auth)
    // Another copy from before a refresh (refresh moves the session to a new id).
    const refreshed = await auth.session.refresh(cookie, { force: true })
    const current = cookieHeader(refreshed!.cookies)
    expect(await auth.session.read(cookie)).toBeUndefined()
    expect(await auth.session.read(current)).toBeDefined()
    const captured = current
    const out = await auth.logout(current)
    expect(out.cookies).toEqual(['okta-session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax'])
    expect(sessions.size).toBe(0)
    // The attacker replays the captured cookie.
    expect(await auth.session.read(captured)).toBeUndefined()
    expect(await auth.session.refresh(captured)).toBeUndefined()
    expect(await auth.session.refresh(captured, { force: true })).toBeUndefined()
    expect(
      await auth.session.read(
        new Request('http://localhost:3000/', { headers: { cookie: captured } }),
      ),
    ).toBeUndefined()
    // A second logout with it finds nothing to end.
    expect((await auth.logout(captured)).url.href).toBe('http://localhost:3000/')
  })

  it('without a sessionStore (the documented trade-off), a captured cookie still reads after logout, but its tokens are revoked', async () => {
    const auth = makeAuth()
    const { cookie } = await signedIn(auth)
    await auth.logout(cookie)
    const replayed = await auth.session.read(cookie)
    expect(replayed).toBeDefined()
    expect((await harness.client.introspect(replayed!.accessToken)).active).toBe(false)
    const err = await rejection(auth.session.refresh(cookie, { force: true }))
    expect(err).toMatchObject({ error: 'invalid_grant' })
  })

  it('password sign-in (legacy) makes a session', async () => {
    const auth = makeAuth()
    const result = await auth.password({ username: USER.login, password: USER.password })
    expect(result.session.idTokenClaims?.sub).toBe(USER.id)
    const read = await auth.session.read(cookieHeader(result.cookies))
    expect(read?.accessToken).toBe(result.session.accessToken)
    const err = await rejection(auth.password({ username: USER.login, password: 'wrong' }))
    expect(err).toMatchObject({ error: 'invalid_grant' })
    expect(toHttpResponse(err).status).toBe(401)
    expect(err.message).not.toContain('wrong')
  })
})
