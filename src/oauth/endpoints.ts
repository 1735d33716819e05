import * as oauth from 'oauth4webapi'
import { InvalidOptionError } from '../errors.js'
import {
  assertHeaderValue,
  assertSecureUrl,
  type CallOptions,
  parseUrl,
  withSignal,
} from '../lib/http.js'
import { requireString } from './client-options.js'
import type {
  IntrospectionResponse,
  LogoutParameters,
  TokenTypeHint,
  UserInfo,
  UserInfoOptions,
} from './client-types.js'
import {
  type ClientContext,
  endpoint,
  oauthClient,
  requestOptions,
  withDpopRetry,
} from './context.js'
import { processed } from './responses.js'
import type { TokenSet } from './token-set.js'

// The endpoints a client calls with a token it holds: introspection,
// revocation, userinfo, a resource server, and the logout URL.

/** @internal `Client.introspect`. */
export function introspect(
  ctx: ClientContext,

  token: string,
  params: { tokenTypeHint?: TokenTypeHint } = {},
  options?: CallOptions,
): Promise<IntrospectionResponse> {
  requireString(token, 'token')
  const url = endpoint(ctx, 'introspection_endpoint')
  return withSignal('introspection', ctx.config.options, options, async (signal) => {
    const client = oauthClient(ctx)
    const response = await oauth.introspectionRequest(
      ctx.metadata,
      client,
      await ctx.auth(url.href),
      token,
      {
        ...requestOptions(ctx, signal, 'introspection'),
        ...(params.tokenTypeHint && {
          additionalParameters: { token_type_hint: params.tokenTypeHint },
        }),
      },
    )
    return (await processed('introspection', response, () =>
      oauth.processIntrospectionResponse(ctx.metadata, client, response),
    )) as IntrospectionResponse
  })
}

/** @internal `Client.revoke`. */
export function revoke(
  ctx: ClientContext,

  token: string,
  params: { tokenTypeHint?: Exclude<TokenTypeHint, 'id_token'> } = {},
  options?: CallOptions,
): Promise<void> {
  requireString(token, 'token')
  const url = endpoint(ctx, 'revocation_endpoint')
  return withSignal('revocation', ctx.config.options, options, async (signal) => {
    const response = await oauth.revocationRequest(
      ctx.metadata,
      oauthClient(ctx),
      await ctx.auth(url.href),
      token,
      {
        ...requestOptions(ctx, signal, 'revocation'),
        ...(params.tokenTypeHint && {
          additionalParameters: { token_type_hint: params.tokenTypeHint },
        }),
      },
    )
    await processed('revocation', response, () => oauth.processRevocationResponse(response))
  })
}

/** @internal `Client.userinfo`. */
export function userinfo(
  ctx: ClientContext,
  tokens: TokenSet | string,
  options: UserInfoOptions = {},
): Promise<UserInfo> {
  const accessToken = typeof tokens === 'string' ? tokens : tokens?.accessToken
  requireString(accessToken, 'accessToken')
  assertHeaderValue(accessToken, 'accessToken')
  const expected =
    options.expectedSubject ?? (typeof tokens === 'string' ? undefined : tokens.idTokenClaims?.sub)
  if (expected === undefined && !options.skipSubjectCheck) {
    throw new InvalidOptionError(
      'userinfo needs the ID token subject: pass the TokenSet, expectedSubject, or skipSubjectCheck: true',
    )
  }
  endpoint(ctx, 'userinfo_endpoint')
  return withSignal('userinfo', ctx.config.options, options, async (signal) => {
    const client = oauthClient(ctx)
    const response = await oauth.userInfoRequest(
      ctx.metadata,
      client,
      accessToken,
      requestOptions(ctx, signal, 'userinfo'),
    )
    return (await processed('userinfo', response, () =>
      oauth.processUserInfoResponse(
        ctx.metadata,
        client,
        expected ?? oauth.skipSubjectCheck,
        response,
      ),
    )) as UserInfo
  })
}

/** @internal `Client.fetchProtected`. */
export function fetchProtected(
  ctx: ClientContext,

  accessToken: string | Pick<TokenSet, 'accessToken'>,
  url: string | URL,
  init: { method?: string; headers?: HeadersInit; body?: BodyInit | null } & CallOptions = {},
): Promise<Response> {
  const token = typeof accessToken === 'string' ? accessToken : accessToken?.accessToken
  requireString(token, 'accessToken')
  assertHeaderValue(token, 'accessToken')
  const target = parseUrl(url, 'url')
  assertSecureUrl(target, 'url', ctx.config.options.allowInsecureRequests)
  let headers: Headers
  try {
    headers = new Headers(init.headers)
  } catch {
    // Headers' own message quotes the offending value.
    throw new InvalidOptionError('init.headers holds a header name or value that cannot be sent')
  }
  return withSignal('protected resource request', ctx.config.options, init, (signal) =>
    withDpopRetry(ctx, async () =>
      oauth.protectedResourceRequest(
        token,
        init.method ?? 'GET',
        target,
        headers,
        (init.body ?? null) as oauth.ProtectedResourceRequestBody,
        // Same options as every call; only the fetch's body type is declared narrower there.
        requestOptions(ctx, signal) as oauth.ProtectedResourceRequestOptions,
      ),
    ),
  )
}

/** @internal `Client.logoutUrl`. */
export function logoutUrl(ctx: ClientContext, params: LogoutParameters): URL {
  requireString(params?.idTokenHint, 'idTokenHint')
  const url = new URL(endpoint(ctx, 'end_session_endpoint'))
  for (const [name, value] of Object.entries(params.extra ?? {})) url.searchParams.set(name, value)
  url.searchParams.set('id_token_hint', params.idTokenHint)
  const redirect = params.postLogoutRedirectUri ?? ctx.config.options.postLogoutRedirectUri
  if (redirect !== undefined) {
    parseUrl(redirect, 'postLogoutRedirectUri')
    // Sent verbatim: the server compares it with the registered value as a string.
    url.searchParams.set('post_logout_redirect_uri', redirect)
  }
  if (params.state !== undefined) url.searchParams.set('state', params.state)
  return url
}
