// /v1/authorize sign-in: who is signed in (login_hint, sessionToken, the
// browser session) and when a new login is needed (prompt, max_age,
// consent). The org and helpers are in authorize-harness.ts.
import { describe, expect, it } from 'vitest'
import { AuthorizationResponseError, InvalidOptionError } from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { CONSENT, harness, OPTIONS, roundTrip, useAuthorizeHarness } from './authorize-harness.js'
import {
  ALICE,
  clientOf,
  orgClock,
  redirectParams,
  SPA_REDIRECT,
  spa,
  USER_ID,
  useOrg,
} from './helpers.js'

useAuthorizeHarness()

describe('/v1/authorize sign-in', () => {
  it('login_hint chooses another user when there is no session', async () => {
    const client = await spa(harness.org)
    const { result } = await roundTrip(client, { scope: 'openid email', loginHint: ALICE.login })
    const tokens = await result()
    expect(tokens.idTokenClaims).toMatchObject({ sub: ALICE.id, email: ALICE.login })
    expect(harness.org.sessionUserId).toBe(ALICE.id)
  })

  it('login_hint for an unknown user is access_denied', async () => {
    const client = await spa(harness.org)
    const { result } = await roundTrip(client, { scope: 'openid', loginHint: 'nobody@example.com' })
    await expect(result()).rejects.toMatchObject({ error: 'access_denied' })
  })

  it('a sessionToken signs its user in, once', async () => {
    const client = await spa(harness.org)
    harness.org.signIn()
    const token = harness.org.createSessionToken(ALICE.login, ALICE.password)
    const { result } = await roundTrip(client, { scope: 'openid', sessionToken: token })
    expect((await result()).idTokenClaims?.sub).toBe(ALICE.id)
    expect(harness.org.sessionUserId).toBe(ALICE.id)
    const second = await roundTrip(client, { scope: 'openid', sessionToken: token })
    const err = await rejection(second.result())
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'access_denied' })
  })

  it('createSessionToken refuses wrong credentials', () => {
    expect(() => harness.org.createSessionToken(ALICE.login, 'wrong')).toThrow(InvalidOptionError)
    expect(() => harness.org.createSessionToken('nobody@example.com', 'x')).toThrow(
      InvalidOptionError,
    )
  })

  it('prompt=none: login_required without a session (state kept), the session user with one', async () => {
    const client = await spa(harness.org)
    const denied = await roundTrip(client, { scope: 'openid', prompt: 'none' })
    const params = redirectParams(denied.response)
    expect(params.get('error')).toBe('login_required')
    expect(params.get('state')).toBe(denied.transaction.state)
    await expect(denied.result()).rejects.toBeInstanceOf(AuthorizationResponseError)
    harness.org.signIn(ALICE.login)
    const ok = await roundTrip(client, { scope: 'openid', prompt: 'none' })
    expect((await ok.result()).idTokenClaims?.sub).toBe(ALICE.id)
  })

  it('an existing session is reused without a prompt; prompt=login signs in again', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await spa(fresh, orgClock(fresh))
    fresh.signIn()
    const signedInAt = fresh.session!.authTime
    fresh.advanceClock(100)
    const reused = await (await roundTrip(client, { scope: 'openid' })).result()
    expect(reused.idTokenClaims?.auth_time).toBe(signedInAt)
    const again = await (
      await roundTrip(client, { scope: 'openid', prompt: 'login', loginHint: ALICE.login })
    ).result()
    expect(again.idTokenClaims?.sub).toBe(ALICE.id)
    expect(again.idTokenClaims?.auth_time).toBeGreaterThanOrEqual(signedInAt + 100)
    expect(fresh.sessionUserId).toBe(ALICE.id)
  })

  it('max_age: a recent session is reused; an old one forces a new login', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await spa(fresh, orgClock(fresh))
    fresh.signIn()
    const signedInAt = fresh.session!.authTime
    const recent = await (await roundTrip(client, { scope: 'openid', maxAge: 60 })).result()
    expect(recent.idTokenClaims?.auth_time).toBe(signedInAt)
    fresh.advanceClock(120)
    const relogin = await (await roundTrip(client, { scope: 'openid', maxAge: 60 })).result()
    expect(relogin.idTokenClaims?.auth_time).toBeGreaterThanOrEqual(signedInAt + 120)
  })

  it('prompt=none with max_age exceeded is login_required', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await spa(fresh, orgClock(fresh))
    fresh.signIn()
    fresh.advanceClock(120)
    const { response, transaction } = await roundTrip(client, {
      scope: 'openid',
      prompt: 'none',
      maxAge: 60,
    })
    const params = redirectParams(response)
    expect(params.get('error')).toBe('login_required')
    expect(params.get('state')).toBe(transaction.state)
    // The session itself is still there.
    expect(fresh.sessionUserId).toBe(USER_ID)
  })

  it('consentRequired: consent_required with prompt=none until the user consented once', async () => {
    const fresh = await useOrg(OPTIONS)
    const client = await clientOf(fresh, { clientId: CONSENT, redirectUri: SPA_REDIRECT })
    fresh.signIn()
    const silent = await roundTrip(client, { scope: 'openid', prompt: 'none' })
    const err = await rejection(silent.result())
    expect(err).toBeInstanceOf(AuthorizationResponseError)
    expect(err).toMatchObject({ error: 'consent_required' })
    // An interactive request records the consent …
    await (await roundTrip(client, { scope: 'openid' })).result()
    // … then prompt=none succeeds.
    await expect(
      (await roundTrip(client, { scope: 'openid', prompt: 'none' })).result(),
    ).resolves.toMatchObject({ idTokenClaims: { sub: USER_ID } })
  })
})
