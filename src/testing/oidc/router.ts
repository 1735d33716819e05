import { HttpResponse } from 'msw'
import type { ServerState } from '../model/server-state.js'
import { type OktaOrgState, type OrgEndpoint, randomId } from '../org.js'
import { guarded } from '../route.js'
import type { OrgRoute, RouteMethod } from '../routes.js'
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
// The paths are relative to the org URL (see routes.ts).

/** @internal The OIDC/OAuth routes of an emulated org (the management API has its own). */
export function oidcRoutes(state: OktaOrgState): OrgRoute[] {
  const routes: [string, string][] = [
    ['/oauth2/:server', 'custom'],
    ['/oauth2', 'org'],
  ]
  // CORS preflights first (before userinfo's any-method route); they are not counted.
  const all: OrgRoute[] = [
    ...['/oauth2/:server', ''].flatMap((prefix) =>
      ['openid-configuration', 'oauth-authorization-server'].map(
        (doc) => `${prefix}/.well-known/${doc}`,
      ),
    ),
    ...routes.flatMap(([prefix]) =>
      ['keys', 'token', 'userinfo', 'introspect', 'revoke', 'par'].map((e) => `${prefix}/v1/${e}`),
    ),
  ].map((path) => ({
    method: 'OPTIONS',
    path,
    answer: async (request) => preflight(state, request),
  }))
  // Discovery lives at the issuer: https://{org}/.well-known/… for the org server.
  for (const [prefix, discoveryBase] of [
    ['/oauth2/:server', 'custom'],
    ['', 'org'],
  ] as const) {
    for (const doc of ['openid-configuration', 'oauth-authorization-server']) {
      all.push({
        method: 'GET',
        path: `${prefix}/.well-known/${doc}`,
        answer: async (request, params) =>
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
      })
    }
  }
  for (const [prefix, kind] of routes) {
    // Count, apply misbehaviour, find the server (404 if there is none), answer,
    // then add the CORS headers of a trusted origin.
    const route = (
      method: RouteMethod,
      endpoint: OrgEndpoint,
      answer: (s: ServerState, request: Request) => Promise<Response>,
    ): OrgRoute => ({
      method,
      path: `${prefix}/v1/${endpoint}`,
      answer: async (request, params) =>
        cors(
          state,
          request,
          endpoint,
          await guarded(state, endpoint, async () => {
            const s = serverOf(state, kind === 'org' ? undefined : params.server)
            return s ? answer(s, request) : notFound()
          }),
        ),
    })
    all.push(
      route('GET', 'keys', async (s) => keys(s)),
      route('GET', 'authorize', async (s, request) =>
        authorize(state, s, new URL(request.url).searchParams),
      ),
      route('POST', 'par', async (s, request) => par(state, s, request)),
      route('POST', 'token', async (s, request) => token(state, s, request)),
      route('*', 'userinfo', async (s, request) => userinfo(state, s, request)),
      route('POST', 'introspect', async (s, request) => introspect(state, s, request)),
      route('POST', 'revoke', async (s, request) => revoke(state, s, request)),
      route('GET', 'logout', async (s, request) =>
        logout(state, s, new URL(request.url).searchParams),
      ),
    )
  }
  return all
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
