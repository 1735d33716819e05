import { delay, HttpResponse } from 'msw'
import { type OktaOrgState, type OrgEndpoint, randomId } from './org.js'

// What every route of the emulator, OpenID Connect or management API, does
// around its answer: count the request, play any scripted misbehaviour, and
// answer with a `Response` the route throws. Helpers deep in a route (the
// management API's `find…OrThrow` and body checks, the OAuth endpoints' form
// reader and client authentication, authorize's steps) throw their error
// answer instead of returning it, so no caller has to pass it up.

/** @internal Count the request, apply any scripted misbehaviour, then answer (a thrown `Response` is the answer). */
export async function guarded(
  state: OktaOrgState,
  endpoint: OrgEndpoint,
  answer: () => Promise<Response>,
): Promise<Response> {
  state.requestCounts.set(endpoint, (state.requestCounts.get(endpoint) ?? 0) + 1)
  const list = state.misbehaviours.get(endpoint)
  const m = list?.[0]
  if (m) {
    m.times = (m.times ?? 1) - 1
    if (m.times <= 0) list.shift()
    if (m.delay) await delay(m.delay)
    if (m.status !== undefined) {
      const body = m.body ?? {
        errorCode: 'E0000009',
        errorSummary: 'Internal Server Error',
        errorLink: 'E0000009',
        errorId: `oae${randomId(20)}`,
        errorCauses: [],
      }
      return typeof body === 'string'
        ? new HttpResponse(body, { status: m.status, headers: m.headers ?? {} })
        : HttpResponse.json(body, { status: m.status, headers: m.headers ?? {} })
    }
  }
  try {
    return await answer()
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}
