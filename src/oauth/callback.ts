import { CallbackError } from '../errors.js'
import type { IdTokenClaims } from '../jwt/types.js'
import type { CallOptions } from '../lib/http.js'
import type { AuthorizationTransaction } from './authorization-request.js'
import {
  type AuthorizationResponseInput,
  assertTransaction,
  checkResponse,
  readResponse,
} from './authorization-response.js'
import type { CallbackResult } from './client-types.js'
import { type ClientContext, checkIdToken, now as clock } from './context.js'
import { exchangeCode } from './grants.js'
import type { TokenSet } from './token-set.js'

/**
 * The origins an `okta_post_message` answer may come from: the page that
 * posts it is the authorization endpoint's (Okta serves it from the
 * issuer's origin).
 */
function serverOrigins(ctx: ClientContext): string[] {
  const origins = new Set<string>()
  for (const url of [ctx.metadata.authorization_endpoint, ctx.metadata.issuer]) {
    if (typeof url !== 'string') continue
    try {
      origins.add(new URL(url).origin)
    } catch {
      // Not a URL: no origin to accept.
    }
  }
  return [...origins]
}

/**
 * @internal
 * `Client.handleCallback`: the transaction (this client's, not expired, used
 * once), then the response's checks, then the flow's work — front-channel ID
 * token, code exchange with the PKCE verifier, hybrid subject binding.
 */
export async function handleCallback(
  ctx: ClientContext,
  input: AuthorizationResponseInput,
  transaction: AuthorizationTransaction,
  options?: CallOptions,
): Promise<CallbackResult> {
  assertTransaction(transaction, ctx.metadata.issuer, ctx.clientId)
  const now = clock(ctx)
  const ttl = ctx.config.transactionTtl
  if (now - transaction.createdAt > ttl || transaction.createdAt > now + 60_000) {
    throw new CallbackError('the transaction has expired', {
      code: 'ERR_TRANSACTION_EXPIRED',
      parameter: 'transaction',
    })
  }
  const params = await readResponse(input, transaction.responseMode, serverOrigins(ctx))
  // One response per transaction: consume the state as soon as it matches.
  if (
    params.get('state') === transaction.state &&
    !ctx.consumed.consume(transaction.state, transaction.createdAt + ttl, now)
  ) {
    throw new CallbackError('the transaction was already used', {
      code: 'ERR_TRANSACTION_REUSED',
      parameter: 'state',
    })
  }
  const response = checkResponse(
    params,
    transaction,
    ctx.metadata.authorization_response_iss_parameter_supported === true,
  )
  const maxAge = transaction.maxAge
  let front: IdTokenClaims | undefined
  if (response.idToken !== undefined) {
    front = await checkIdToken(ctx, response.idToken, {
      nonce: transaction.nonce,
      ...(maxAge !== undefined && { maxAge }),
      ...(response.accessToken !== undefined && {
        accessToken: response.accessToken,
        requireAtHash: true,
      }),
      ...(response.code !== undefined && { code: response.code, requireCHash: true }),
    })
  }
  if (response.code !== undefined) {
    if (typeof transaction.codeVerifier !== 'string') {
      throw new CallbackError('the transaction has no PKCE verifier', {
        code: 'ERR_TRANSACTION_INVALID',
        parameter: 'transaction',
      })
    }
    const tokens = await exchangeCode(
      ctx,
      {
        code: response.code,
        codeVerifier: transaction.codeVerifier,
        redirectUri: transaction.redirectUri,
        nonce: transaction.nonce,
        ...(maxAge !== undefined && { maxAge }),
        ...(front && { expectedSubject: front.sub }),
      },
      options,
    )
    if (front && tokens.idToken === undefined)
      return { ...tokens, idToken: response.idToken!, idTokenClaims: front }
    return tokens
  }
  if (response.accessToken !== undefined) {
    const tokens: TokenSet = { accessToken: response.accessToken, tokenType: response.tokenType! }
    if (response.expiresIn !== undefined) {
      tokens.expiresIn = response.expiresIn
      tokens.expiresAt = Math.floor(now / 1000) + response.expiresIn
    }
    if (response.scope !== undefined) tokens.scope = response.scope
    if (front) Object.assign(tokens, { idToken: response.idToken!, idTokenClaims: front })
    return tokens
  }
  return { idToken: response.idToken!, idTokenClaims: front! }
}
