/**
 * The shared harness of the /v1/authorize tests (authorize-*.test.ts): one
 * org for the file (with Alice as a second user and a client that needs
 * consent), signed out before each test, and the steps of an authorization
 * request. Each test file calls `useAuthorizeHarness()` at its top to
 * register the hooks.
 * Not a test file: vitest collects only *.test.ts.
 */
import { beforeEach } from 'vitest'
import type { Client } from '../../../src/index.js'
import {
  DEFAULT_CLIENTS,
  DEFAULT_USERS,
  type OktaOrg,
  type OktaOrgOptions,
} from '../../../src/testing/index.js'
import { ALICE, location, SPA_REDIRECT, sharedOrg, visit } from './helpers.js'

/** A public client that must have the user's consent (consentRequired). */
export const CONSENT = '0oaconsent0000000000'
/** The org's options: also for the tests that need an org of their own. */
export const OPTIONS: OktaOrgOptions = {
  users: [...DEFAULT_USERS, ALICE],
  clients: [
    ...DEFAULT_CLIENTS,
    {
      clientId: CONSENT,
      tokenEndpointAuthMethod: 'none',
      redirectUris: [SPA_REDIRECT],
      consentRequired: true,
    },
  ],
}

/**
 * The org of the current test, set by the hooks of {@link useAuthorizeHarness}:
 * one object, since importers cannot reassign an exported `let`.
 */
export const harness = {} as { org: OktaOrg }

/**
 * The hooks every authorize-*.test.ts file registers at its top: one org for
 * the file (its keys are generated once), with no session left over from the
 * test before.
 */
export function useAuthorizeHarness(): void {
  const shared = sharedOrg(() => OPTIONS)
  beforeEach(() => {
    harness.org = shared()
    harness.org.signOut()
  })
}

/** Send the browser to an authorization URL and hand the redirect to the client. */
export async function roundTrip(
  client: Client,
  request: Parameters<Client['authorizationUrl']>[0],
) {
  const { url, transaction } = await client.authorizationUrl(request)
  const response = await visit(url)
  return {
    response,
    transaction,
    result: () => client.handleCallback(location(response), transaction),
  }
}

/** An authorization URL with some parameters changed (for requests the SDK refuses to build). */
export async function tampered(
  client: Client,
  request: Parameters<Client['authorizationUrl']>[0],
  change: (params: URLSearchParams) => void,
) {
  const { url, transaction } = await client.authorizationUrl(request)
  change(url.searchParams)
  return { url, transaction, response: await visit(url) }
}
