import { HttpResponse, http, type RequestHandler } from 'msw'
import type { ServerState } from '../model/server-state.js'
import { type OktaOrgState, type OrgEndpoint, randomId } from '../org.js'
import { guarded } from '../route.js'
import { authorize } from './authorize.js'
import { cors, preflight } from './cors.js'
import { introspect } from './introspect.js'
import { keys } from './keys.js'
import { logout } from './logout.js'
import { discovery } from './metadata.js'
import { par } from './par.js'
import { revoke } from './revoke.js'
import { token } from './token.js'
import { userinfo } from './userinfo.js'

// The OpenID Connect and OAuth endpoints of the org authorization server
// (`https://{org}/oauth2/v1/…`, discovery at `https://{org}/.well-known/…`)
// and of custom servers (`https://{org}/oauth2/{id}/v1/…`). Each endpoint is
// one file; this router only finds the server and wraps every answer.

/** @internal The OIDC/OAuth handlers of an emulated org (the management API has its own). */
export function oidcHandlers(state: OktaOrgState): RequestHandler[] {
  const org = state.orgUrl
  const routes: [string, string][] = [
    [`${org}/oauth2/:server`, 'custom'],
    [`${org}/oauth2`, 'org'],
  ]
  // CORS preflights first (before userinfo's `http.all`); they are not counted.
  const handlers: RequestHandler[] = [
    ...[`${org}/oauth2/:server`, org].flatMap((prefix) =>
      ['openid-configuration', 'oauth-authorization-server'].map(
        (doc) => `${prefix}/.well-known/${doc}`,
      ),
    ),
    ...routes.flatMap(([prefix]) =>
      ['keys', 'token', 'userinfo', 'introspect', 'revoke', 'par'].map((e) => `${prefix}/v1/${e}`),
    ),
  ].map((path) => http.options(path, ({ request }) => preflight(state, request)))
  // Discovery lives at the issuer: https://{org}/.well-known/… for the org server.
  for (const [prefix, discoveryBase] of [
    [`${org}/oauth2/:server`, 'custom'],
    [org, 'org'],
  ] as const) {
    for (const doc of ['openid-configuration', 'oauth-authorization-server']) {
      handlers.push(
        http.get(`${prefix}/.well-known/${doc}`, async ({ request, params }) =>
          cors(
            state,
            request,
            'discovery',
            await guarded(state, 'discovery', async () => {
              const server = serverOf(state, discoveryBase === 'org' ? undefined : params.server)
              if (!server) return notFound()
              return discovery(server)
            }),
          ),
        ),
      )
    }
  }
  for (const [prefix, kind] of routes) {
    const server = (params: Record<string, unknown>) =>
      serverOf(state, kind === 'org' ? undefined : params.server)
    // Count, apply misbehaviour, find the server (404 if there is none), answer,
    // then add the CORS headers of a trusted origin.
    const route =
      (endpoint: OrgEndpoint, answer: (s: ServerState, request: Request) => Promise<Response>) =>
      async ({ request, params }: { request: Request; params: Record<string, unknown> }) =>
        cors(
          state,
          request,
          endpoint,
          await guarded(state, endpoint, async () => {
            const s = server(params)
            return s ? answer(s, request) : notFound()
          }),
        )
    handlers.push(
      http.get(
        `${prefix}/v1/keys`,
        route('keys', async (s) => keys(s)),
      ),
      http.get(
        `${prefix}/v1/authorize`,
        route('authorize', async (s, request) =>
          authorize(state, s, new URL(request.url).searchParams),
        ),
      ),
      http.post(
        `${prefix}/v1/par`,
        route('par', async (s, request) => par(state, s, request)),
      ),
      http.post(
        `${prefix}/v1/token`,
        route('token', async (s, request) => token(state, s, request)),
      ),
      http.all(
        `${prefix}/v1/userinfo`,
        route('userinfo', async (s, request) => userinfo(state, s, request)),
      ),
      http.post(
        `${prefix}/v1/introspect`,
        route('introspect', async (s, request) => introspect(state, s, request)),
      ),
      http.post(
        `${prefix}/v1/revoke`,
        route('revoke', async (s, request) => revoke(state, s, request)),
      ),
      http.get(
        `${prefix}/v1/logout`,
        route('logout', async (s, request) => logout(state, s, new URL(request.url).searchParams)),
      ),
    )
  }
  return handlers
}

/** The org authorization server (no id), or the custom server of an id. */
function serverOf(state: OktaOrgState, id: unknown): ServerState | undefined {
  if (id === undefined) return state.servers.get(state.orgUrl)
  return typeof id === 'string' ? state.servers.get(state.issuer(id)) : undefined
}

/** Okta's 404 for an unknown authorization server. */
function notFound(): Response {
  return HttpResponse.json(
    {
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found',
      errorLink: 'E0000007',
      errorId: `oae${randomId(20)}`,
      errorCauses: [],
    },
    { status: 404 },
  )
}
