// Issue 19, "one authorization-request builder": ./browser builds its
// authorization requests with the core's rules, so the same bad request is
// refused the same way in both entries: same class, code, rule and message.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { localCoordinator } from '../../../src/browser/coordinator.js'
import { type BrowserAuth, createBrowserAuth, memoryStore } from '../../../src/browser/index.js'
import { type AuthorizationRequest, AuthorizationRequestError } from '../../../src/index.js'
import { rejection } from '../../support/rejection.js'
import { SPA, useOrgClient } from './helpers.js'

const REDIRECT = 'http://localhost:8080/callback'
const setup = useOrgClient(() => ({ redirectUri: REDIRECT }))
const auths: BrowserAuth[] = []
afterEach(() => {
  for (const auth of auths.splice(0)) auth.dispose()
})

function browserAuth(): BrowserAuth {
  const auth = createBrowserAuth({
    issuer: setup.org.issuer(),
    clientId: SPA,
    redirectUri: REDIRECT,
    transactionStorage: memoryStore(),
    coordinator: localCoordinator(),
    silentRenew: false,
  })
  auths.push(auth)
  return auth
}

/** What a test can compare across entries. */
function shape(err: unknown) {
  expect(err).toBeInstanceOf(AuthorizationRequestError)
  const { name, code, rule, message } = err as AuthorizationRequestError
  return { name, code, rule, message }
}

const BAD: [string, Pick<AuthorizationRequest, 'maxAge' | 'responseType'>, string][] = [
  ['a negative maxAge', { maxAge: -1 }, 'max_age'],
  ['a fractional maxAge', { maxAge: 1.5 }, 'max_age'],
  ['a NaN maxAge', { maxAge: Number.NaN }, 'max_age'],
  ['a repeated response type', { responseType: 'code code' }, 'response_type'],
  ['an unknown response type', { responseType: 'code banana' }, 'response_type'],
  ['an empty response type', { responseType: '' }, 'response_type'],
]

describe('the same bad authorization request in the core and in ./browser', () => {
  it.each(BAD)(
    '%s: the same AuthorizationRequestError, code and rule',
    async (_name, bad, rule) => {
      const core = shape(await rejection(setup.client.authorizationUrl(bad)))
      const navigate = vi.fn()
      const browser = shape(
        await rejection(
          browserAuth().signInWithRedirect({
            returnTo: '/',
            navigate,
            ...(bad as { responseType?: 'code' }),
          }),
        ),
      )
      expect(core).toEqual({
        name: 'AuthorizationRequestError',
        code: 'ERR_INVALID_AUTHORIZATION_REQUEST',
        rule,
        message: expect.any(String),
      })
      expect(browser).toEqual(core)
      expect(navigate).not.toHaveBeenCalled()
    },
  )
})
