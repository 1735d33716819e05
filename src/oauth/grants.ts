import * as oauth from 'oauth4webapi'
import { InvalidResponseError } from '../errors.js'
import type { IdTokenClaims } from '../jwt/types.js'
import { type CallOptions, withSignal } from '../lib/http.js'
import { requireString } from './client-options.js'
import type {
  ClientCredentialsParameters,
  CodeExchange,
  PasswordParameters,
  RefreshParameters,
} from './client-types.js'
import {
  type ClientContext,
  checkIdToken,
  endpoint,
  now,
  oauthClient,
  requestOptions,
  withDpopRetry,
} from './context.js'
import { detachIdToken, processed } from './responses.js'
import { type TokenSet, toTokenSet } from './token-set.js'

// The token endpoint: one function sends any grant and reads its answer, one
// function per grant says what to send and how oauth4webapi reads the rest.

type Process = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  response: Response,
) => Promise<oauth.TokenEndpointResponse>

interface Validation {
  nonce?: string
  maxAge?: number
  expectedSubject?: string
  requireIdToken?: boolean
}

/** Send a grant, read the answer (ID token on the SDK's one path), build the token set. */
async function grant(
  ctx: ClientContext,
  operation: string,
  grantType: string,
  parameters: Record<string, string>,
  process: Process,
  validation: Validation,
  call: CallOptions | undefined,
): Promise<TokenSet> {
  const url = endpoint(ctx, 'token_endpoint')
  return withSignal(operation, ctx.config.options, call, async (signal) => {
    const client = oauthClient(ctx)
    const sentAt = Math.floor(now(ctx) / 1000)
    let idToken: unknown
    const result = await withDpopRetry(ctx, async () => {
      const response = await oauth.genericTokenEndpointRequest(
        ctx.metadata,
        client,
        await ctx.auth(url.href),
        grantType,
        parameters,
        requestOptions(ctx, signal, operation),
      )
      // One validation path for ID tokens on every flow: the SDK's own
      // (signature, then every claim). oauth4webapi processes the rest of
      // the response without it, so a defect gets the same error here as
      // on the implicit and hybrid flows.
      const detached = await detachIdToken(response)
      idToken = detached.idToken
      return processed(operation, detached.response, () =>
        process(ctx.metadata, client, detached.response),
      )
    })
    let claims: IdTokenClaims | undefined
    if (idToken !== undefined) {
      if (typeof idToken !== 'string') {
        throw new InvalidResponseError(`${operation}: the response's id_token is not a string`)
      }
      claims = await checkIdToken(ctx, idToken, {
        nonce: validation.nonce,
        maxAge: validation.maxAge,
        expectedSubject: validation.expectedSubject,
        accessToken: result.access_token,
      })
    } else if (validation.requireIdToken) {
      throw new InvalidResponseError(
        `${operation}: the response has no id_token although the request was an OpenID Connect one`,
      )
    }
    const tokens = toTokenSet(
      idToken === undefined ? result : { ...result, id_token: idToken as string },
      sentAt,
      claims,
    )
    for (const [member, value] of [
      ['access_token', tokens.accessToken],
      ['refresh_token', tokens.refreshToken],
    ] as const) {
      // A token is sent in headers and forms later: refuse one that cannot be, now.
      if (value !== undefined && !/^[\x21-\x7e]+$/.test(value)) {
        throw new InvalidResponseError(
          `${operation}: the response's ${member} holds characters a token cannot have`,
        )
      }
    }
    return tokens
  })
}

/** @internal `Client.exchangeCode`. */
export function exchangeCode(
  ctx: ClientContext,
  params: CodeExchange,
  options?: CallOptions,
): Promise<TokenSet> {
  requireString(params?.code, 'code')
  requireString(params.codeVerifier, 'codeVerifier')
  const redirectUri = params.redirectUri ?? ctx.config.options.redirectUri
  requireString(redirectUri, 'redirectUri')
  const { nonce, maxAge, expectedSubject } = params
  return grant(
    ctx,
    'authorization code exchange',
    'authorization_code',
    { code: params.code, code_verifier: params.codeVerifier, redirect_uri: redirectUri },
    // The ID token is detached before this runs (see grant): the SDK validates it.
    (as, client, response) =>
      oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: oauth.expectNoNonce,
        maxAge: oauth.skipAuthTimeCheck,
      }),
    {
      requireIdToken: nonce !== undefined,
      ...(nonce !== undefined && { nonce }),
      ...(maxAge !== undefined && { maxAge }),
      ...(expectedSubject !== undefined && { expectedSubject }),
    },
    options,
  )
}

/** @internal `Client.refresh`. */
export function refresh(
  ctx: ClientContext,
  refreshToken: string,
  params: RefreshParameters = {},
  options?: CallOptions,
): Promise<TokenSet> {
  requireString(refreshToken, 'refreshToken')
  const parameters: Record<string, string> = { refresh_token: refreshToken }
  if (params.scope !== undefined) parameters.scope = params.scope
  return grant(
    ctx,
    'refresh token grant',
    'refresh_token',
    parameters,
    (as, client, response) => oauth.processRefreshTokenResponse(as, client, response),
    params.expectedSubject !== undefined ? { expectedSubject: params.expectedSubject } : {},
    options,
  )
}

/** @internal `Client.password`. */
export function password(
  ctx: ClientContext,
  params: PasswordParameters,
  options?: CallOptions,
): Promise<TokenSet> {
  requireString(params?.username, 'username')
  requireString(params.password, 'password')
  requireString(params.scope, 'scope')
  return grant(
    ctx,
    'password grant',
    'password',
    { username: params.username, password: params.password, scope: params.scope },
    (as, client, response) => oauth.processGenericTokenEndpointResponse(as, client, response),
    {},
    options,
  )
}

/** @internal `Client.clientCredentials`. */
export function clientCredentials(
  ctx: ClientContext,
  params: ClientCredentialsParameters = {},
  options?: CallOptions,
): Promise<TokenSet> {
  const parameters: Record<string, string> = { ...params.extra }
  if (params.scope !== undefined) parameters.scope = params.scope
  return grant(
    ctx,
    'client credentials grant',
    'client_credentials',
    parameters,
    (as, client, response) => oauth.processClientCredentialsResponse(as, client, response),
    {},
    options,
  )
}
