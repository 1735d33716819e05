import { CallbackError } from '../errors.js'
import type { IdTokenClaims } from '../jwt/id-token.js'
import {
  type AuthorizationTransaction,
  assembleAuthorizationUrl,
  checkMaxAge,
  normaliseResponseType,
  type ResponseMode,
} from '../oauth/authorization-request.js'
import {
  type AuthorizationResponseParameters,
  checkResponse,
} from '../oauth/authorization-response.js'
import type { TokenSet } from '../oauth/token-set.js'
import type { AuthContext } from './context.js'
import type { SignInOptions } from './options.js'
import { DEFAULT_RESPONSE_TYPE, DEFAULT_SCOPE } from './options.js'
import { call, toTokens, verifyIdToken } from './protocol.js'

// What every flow shares: the authorization request of a sign-in, the
// validation of its response (ID tokens, code exchange), and keeping the
// result.

/** An `id_token`-only sign-in: no access token, so nothing is stored. */
export interface IdTokenOnly {
  /** The validated ID token. */
  idToken: string
  /** Its claims. */
  idTokenClaims: IdTokenClaims
  /** Never present: narrow with `result.accessToken !== undefined`. */
  accessToken?: undefined
}

/** The outcome of a sign-in: tokens (stored in the token manager), or an ID token alone. */
export type SignInResult = TokenSet | IdTokenOnly

/** @internal A transaction as the browser stores it: `returnTo` rides along with redirects. */
export interface StoredTransaction extends AuthorizationTransaction {
  returnTo?: string
}

/**
 * @internal
 * Build the authorization URL of one request and its transaction (state,
 * nonce, PKCE) with the core's rules and assembly
 * (`../oauth/authorization-request.ts`): a bad `responseType` or `maxAge`
 * is the same `AuthorizationRequestError` and `rule` as in the core. The
 * browser asks for `openid` always. `mode` undefined: `query` for code,
 * else `fragment` (the core's default).
 */
export async function build(
  ctx: AuthContext,
  request: SignInOptions,
  mode: ResponseMode | undefined,
  redirect: string,
): Promise<{ url: string; transaction: StoredTransaction }> {
  const { options } = ctx
  const m = await ctx.metadata()
  const responseType = normaliseResponseType(
    request.responseType ?? options.responseType ?? DEFAULT_RESPONSE_TYPE,
  )
  checkMaxAge(request.maxAge)
  const scope = `openid ${request.scope ?? options.scope ?? DEFAULT_SCOPE}`
  const { url, transaction } = await assembleAuthorizationUrl(
    new URL(m.authorization_endpoint),
    // The response's `iss` (RFC 9207) is the server's own spelling.
    m.issuer,
    ctx,
    {
      responseType,
      responseMode: mode ?? (responseType === 'code' ? 'query' : 'fragment'),
      redirectUri: redirect,
      scope: [...new Set(scope.split(' ').filter(Boolean))].join(' '),
    },
    request,
  )
  return { url: url.href, transaction }
}

/** @internal Validate a response against its transaction and turn it into tokens. */
export async function complete(
  ctx: AuthContext,
  transaction: AuthorizationTransaction,
  params: URLSearchParams,
): Promise<SignInResult> {
  const { clientId, now, transport, rules } = ctx
  const m = await ctx.metadata()
  const r: AuthorizationResponseParameters = checkResponse(
    params,
    transaction,
    m.authorization_response_iss_parameter_supported === true,
  )
  const idCheck = (idToken: string, extra: { accessToken?: string; code?: string }) =>
    verifyIdToken(idToken, {
      ...rules(m),
      nonce: transaction.nonce,
      ...(transaction.maxAge !== undefined && { maxAge: transaction.maxAge }),
      ...extra,
      ...(extra.code !== undefined && { requireCHash: true }),
      ...(extra.accessToken !== undefined && !r.code && { requireAtHash: true }),
    })
  // The front-channel ID token (implicit, hybrid) first: c_hash binds the code.
  const front = r.idToken
    ? await idCheck(r.idToken, {
        ...(r.code !== undefined && { code: r.code }),
        ...(r.accessToken !== undefined && { accessToken: r.accessToken }),
      })
    : undefined
  let tokens: TokenSet
  if (r.code !== undefined) {
    tokens = toTokens(
      await call(transport, 'the token request', m.token_endpoint, {
        grant_type: 'authorization_code',
        code: r.code,
        redirect_uri: transaction.redirectUri,
        client_id: clientId,
        code_verifier: transaction.codeVerifier ?? '',
      }),
      now(),
    )
    if (tokens.idToken) {
      tokens.idTokenClaims = await idCheck(tokens.idToken, { accessToken: tokens.accessToken })
      if (
        front &&
        (front.sub !== tokens.idTokenClaims.sub || front.iss !== tokens.idTokenClaims.iss)
      ) {
        throw new CallbackError(
          'the ID tokens of the authorization and token responses name different users',
          { code: 'ERR_RESPONSE_TYPE_MISMATCH', parameter: 'id_token' },
        )
      }
    }
  } else if (r.accessToken !== undefined && r.tokenType !== undefined) {
    // The front-channel tokens, read as a token response (checked already).
    tokens = toTokens(
      {
        access_token: r.accessToken,
        token_type: r.tokenType,
        expires_in: r.expiresIn,
        scope: r.scope,
      },
      now(),
    )
  } else {
    return { idToken: r.idToken as string, idTokenClaims: front as IdTokenClaims }
  }
  // No ID token from the token endpoint: the front-channel one (validated above), if any.
  if (front && !tokens.idToken) {
    tokens.idToken = r.idToken
    tokens.idTokenClaims = front
  }
  return tokens
}

/** @internal Keep what a sign-in returned: tokens in the token manager; a sign-in also clears the third-party-cookie suspicion. */
export async function store(ctx: AuthContext, result: SignInResult): Promise<SignInResult> {
  ctx.suspect = undefined
  if (result.accessToken !== undefined) await ctx.tokens.setTokens(result)
  return result
}
