import type { RequestHandler } from 'msw'
import { describe, expectTypeOf, it } from 'vitest'
import type {
  AdminClient,
  OktaApiError as AdminOktaApiError,
  AuthorizationServer,
  PagedList,
  Policy,
} from '../../src/admin/index.js'
import { createAdminClient } from '../../src/admin/index.js'
import type { BrowserAuth, BrowserAuthOptions } from '../../src/browser/index.js'
import { createBrowserAuth } from '../../src/browser/index.js'
import type { OktaApiError, OktaOAuthError } from '../../src/index.js'
import type { ServerAuth, ServerRedirect, Session } from '../../src/server/index.js'
import { createServerAuth, type toHttpResponse } from '../../src/server/index.js'
import type { OktaOrg, RunningOktaOrg } from '../../src/testing/index.js'
import { createOktaOrg, startOktaOrg } from '../../src/testing/index.js'
import type {
  AuthenticationResult,
  IdTokenClaims,
  VerifiedAccessToken,
  Verifier,
} from '../../src/verifier/index.js'
import { createVerifier, extractBearerToken } from '../../src/verifier/index.js'
import { createVerifier as createNodeVerifier } from '../../src/verifier/node.js'

// Type-level tests of each entry's public surface (issue 19): checked by
// `tsc` in `npm test` (typecheck), run as no-ops by vitest. The core's are
// in types.test.ts; the renamed ./browser and ./server names in their own
// names.test.ts.

describe('entry types', () => {
  it('./verifier: both builds make the same Verifier; results are typed', () => {
    expectTypeOf(createVerifier).returns.toEqualTypeOf<Verifier>()
    expectTypeOf(createNodeVerifier).returns.toEqualTypeOf<Verifier>()
    expectTypeOf<
      Verifier['verifyAccessToken']
    >().returns.resolves.toEqualTypeOf<VerifiedAccessToken>()
    expectTypeOf<Verifier['verifyIdToken']>().returns.resolves.toEqualTypeOf<IdTokenClaims>()
    expectTypeOf<Verifier['authenticate']>().returns.resolves.toEqualTypeOf<AuthenticationResult>()
    expectTypeOf<VerifiedAccessToken['scopes']>().toEqualTypeOf<readonly string[]>()
    expectTypeOf(extractBearerToken).returns.toBeString()
  })

  it('./admin: resources page with for await, errors are the shared classes', () => {
    expectTypeOf(createAdminClient).returns.toEqualTypeOf<AdminClient>()
    expectTypeOf<ReturnType<AdminClient['authorizationServers']['list']>>().toEqualTypeOf<
      PagedList<AuthorizationServer>
    >()
    expectTypeOf<AdminClient['policies']['get']>().returns.resolves.toEqualTypeOf<Policy>()
    expectTypeOf<AdminOktaApiError>().toEqualTypeOf<OktaApiError>()
    expectTypeOf<OktaApiError>().toExtend<OktaOAuthError>()
  })

  it('./server: helpers answer with Web Responses and typed sessions', () => {
    expectTypeOf(createServerAuth).returns.toEqualTypeOf<ServerAuth>()
    expectTypeOf<ServerAuth['logout']>().returns.resolves.toEqualTypeOf<ServerRedirect>()
    expectTypeOf<ServerAuth['session']['read']>().returns.resolves.toEqualTypeOf<
      Session | undefined
    >()
    expectTypeOf<ReturnType<typeof toHttpResponse>['response']>().returns.toEqualTypeOf<Response>()
  })

  it('./browser: one factory, options typed', () => {
    expectTypeOf(createBrowserAuth).returns.toEqualTypeOf<BrowserAuth>()
    expectTypeOf(createBrowserAuth).parameter(0).toEqualTypeOf<BrowserAuthOptions>()
  })

  it('./testing: an org is msw handlers, or a server on 127.0.0.1', () => {
    expectTypeOf(createOktaOrg).returns.resolves.toEqualTypeOf<OktaOrg>()
    expectTypeOf<OktaOrg['handlers']>().toEqualTypeOf<RequestHandler[]>()
    expectTypeOf(startOktaOrg).returns.resolves.toEqualTypeOf<RunningOktaOrg>()
    expectTypeOf<RunningOktaOrg['url']>().toBeString()
  })
})
