import { CallbackError, InvalidOptionError } from '../errors.js'
import type { IdTokenClaims } from '../jwt/id-token.js'
import { sha256Base64url } from '../lib/base64url.js'
import type { AuthorizationTransaction } from '../oauth/authorization-request.js'
import {
  type AuthorizationResponseParameters,
  checkResponse,
} from '../oauth/authorization-response.js'
import type { TokenSet } from '../oauth/token-set.js'
import type { AuthContext } from './context.js'
import type { SignInOptions } from './options.js'
import { call, random, toTokens, verifyIdToken } from './protocol.js'

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

/** @internal Build the authorization URL of one request and its transaction (state, nonce, PKCE). */
export async function build(
  ctx: AuthContext,
  request: SignInOptions,
  mode: AuthorizationTransaction['responseMode'],
  redirect: string,
): Promise<{ url: string; transaction: StoredTransaction }> {
  const { options, clientId, now } = ctx
  const m = await ctx.metadata()
  const responseType = request.responseType ?? options.responseType ?? 'code'
  const types = new Set(responseType.split(' '))
  if (
    !/^(code|id_token|id_token token|code id_token|code token|code id_token token)$/.test(
      responseType,
    )
  ) {
    throw new InvalidOptionError(`responseType ${responseType} is not supported`)
  }
  const scopes = new Set([
    'openid',
    ...(request.scope ?? options.scope ?? 'openid profile email').split(' '),
  ])
  scopes.delete('')
  const transaction: StoredTransaction = {
    // The response's `iss` (RFC 9207) is the server's own spelling.
    issuer: m.issuer,
    clientId,
    state: random(),
    nonce: random(),
    redirectUri: redirect,
    responseType,
    responseMode: mode,
    scope: [...scopes].join(' '),
    createdAt: now(),
  }
  const url = new URL(m.authorization_endpoint)
  const p = url.searchParams
  for (const [name, value] of Object.entries(request.extra ?? {})) p.set(name, value)
  p.set('client_id', clientId)
  p.set('response_type', responseType)
  p.set('response_mode', mode)
  p.set('redirect_uri', redirect)
  p.set('scope', transaction.scope)
  p.set('state', transaction.state)
  p.set('nonce', transaction.nonce)
  if (types.has('code')) {
    transaction.codeVerifier = random()
    transaction.codeChallengeMethod = 'S256'
    p.set('code_challenge', await sha256Base64url(transaction.codeVerifier))
    p.set('code_challenge_method', 'S256')
  }
  if (request.maxAge !== undefined) {
    if (!Number.isInteger(request.maxAge) || request.maxAge < 0) {
      throw new InvalidOptionError('maxAge must be a non-negative integer of seconds')
    }
    transaction.maxAge = request.maxAge
    p.set('max_age', String(request.maxAge))
  }
  for (const [name, value] of [
    ['prompt', request.prompt],
    ['login_hint', request.loginHint],
    ['idp', request.idp],
    ['acr_values', request.acrValues],
    ['sessionToken', request.sessionToken],
  ] as const) {
    if (value !== undefined) p.set(name, value)
  }
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
  if (r.code !== undefined) {
    const tokens = toTokens(
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
    } else if (front && r.idToken) {
      tokens.idToken = r.idToken
      tokens.idTokenClaims = front
    }
    return tokens
  }
  if (r.accessToken !== undefined && r.tokenType !== undefined) {
    const tokens: TokenSet = { accessToken: r.accessToken, tokenType: r.tokenType }
    if (r.expiresIn !== undefined) {
      tokens.expiresIn = r.expiresIn
      tokens.expiresAt = Math.floor(now() / 1000) + r.expiresIn
    }
    if (r.scope !== undefined) tokens.scope = r.scope
    if (r.idToken && front) {
      tokens.idToken = r.idToken
      tokens.idTokenClaims = front
    }
    return tokens
  }
  return { idToken: r.idToken as string, idTokenClaims: front as IdTokenClaims }
}

/** @internal Keep what a sign-in returned: tokens in the token manager; a sign-in also clears the third-party-cookie suspicion. */
export async function store(ctx: AuthContext, result: SignInResult): Promise<SignInResult> {
  ctx.suspect = undefined
  if (result.accessToken !== undefined) await ctx.tokens.setTokens(result)
  return result
}
