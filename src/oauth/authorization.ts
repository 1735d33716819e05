import * as oauth from 'oauth4webapi'
import { withSignal } from '../lib/http.js'
import {
  type AuthorizationRequest,
  type AuthorizationUrl,
  buildAuthorizationUrl,
} from './authorization-request.js'
import type { AuthorizationUrlOptions } from './client-options.js'
import { type ClientContext, endpoint, now, oauthClient, requestOptions } from './context.js'
import { processed } from './responses.js'

/**
 * @internal
 * `Client.authorizationUrl`: the request built and checked, then, with
 * `par`, pushed (RFC 9126) so that only `client_id` and `request_uri` travel
 * through the browser.
 */
export async function authorizationUrl(
  ctx: ClientContext,
  request: AuthorizationRequest,
  options: AuthorizationUrlOptions,
): Promise<AuthorizationUrl> {
  const o = ctx.config.options
  const built = await buildAuthorizationUrl(
    ctx.metadata,
    {
      clientId: ctx.clientId,
      redirectUri: o.redirectUri,
      postMessageForCode: o.postMessageForCode ?? true,
      allowInsecureRequests: o.allowInsecureRequests,
      now: () => now(ctx),
    },
    request,
  )
  if (!options.par) return built
  const url = endpoint(ctx, 'pushed_authorization_request_endpoint')
  const operation = 'pushed authorization request'
  const requestUri = await withSignal(operation, o, options, async (signal) => {
    const client = oauthClient(ctx)
    const response = await oauth.pushedAuthorizationRequest(
      ctx.metadata,
      client,
      await ctx.auth(url.href),
      built.url.searchParams,
      requestOptions(ctx, signal, operation),
    )
    return (
      await processed(operation, response, () =>
        oauth.processPushedAuthorizationResponse(ctx.metadata, client, response),
      )
    ).request_uri
  })
  // Only client_id and request_uri travel through the browser; the rest was pushed.
  const pushed = new URL(ctx.metadata.authorization_endpoint!)
  pushed.search = new URLSearchParams({
    client_id: ctx.clientId,
    request_uri: requestUri,
  }).toString()
  return { url: pushed, transaction: built.transaction }
}
