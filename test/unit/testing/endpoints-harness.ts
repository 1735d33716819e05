/**
 * The shared harness of the tests of the org's endpoints other than
 * /v1/authorize and /v1/token (endpoints-*.test.ts): one org for the file
 * (with Alice as a second user), signed out and behaving again before each
 * test, and the helpers several files use. Each test file calls
 * `useEndpointsHarness()` at its top to register the hooks.
 * Not a test file: vitest collects only *.test.ts.
 */
import { beforeEach } from 'vitest'
import { DEFAULT_USERS, type OktaOrg } from '../../../src/testing/index.js'
import { ALICE, sharedOrg } from './helpers.js'

/**
 * The org of the current test, set by the hooks of {@link useEndpointsHarness}:
 * one object, since importers cannot reassign an exported `let`.
 */
export const harness = {} as { org: OktaOrg }

/**
 * The hooks every endpoints-*.test.ts file registers at its top: one org for
 * the file (its keys are generated once), with no session and no
 * misbehaviour left over from the test before.
 */
export function useEndpointsHarness(): void {
  const shared = sharedOrg(() => ({ users: [...DEFAULT_USERS, ALICE] }))
  beforeEach(() => {
    harness.org = shared()
    harness.org.signOut()
    harness.org.behave()
  })
}

/** GET the JWKS of a server of the org (default: the `default` custom server). */
export async function keysOf(o: OktaOrg, server = o.issuer()): Promise<Response> {
  return fetch(`${server}/v1/keys`)
}
