import {
  AbortError,
  AuthorizationResponseError,
  InvalidOptionError,
  InvalidResponseError,
  NetworkError,
  OAuthResponseError,
  OktaOAuthError,
  TokenValidationError,
  type WWWAuthenticateChallenge,
} from '../errors.js'
import { safeCause } from './cause.js'

// The one boundary where whatever fetch, oauth4webapi or jose throws becomes
// an SDK error. Rules: the SDK's own wording only (a foreign message can quote
// a request or change between versions), causes through `safeCause`, and a
// fault of the server is never reported as a mistake of the caller.

// oauth4webapi error codes, by value (its constants are not needed at runtime).
const O4 = {
  RESPONSE_BODY_ERROR: 'OAUTH_RESPONSE_BODY_ERROR',
  WWW_AUTHENTICATE_CHALLENGE: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE',
  AUTHORIZATION_RESPONSE_ERROR: 'OAUTH_AUTHORIZATION_RESPONSE_ERROR',
  JWT_USERINFO_EXPECTED: 'OAUTH_JWT_USERINFO_EXPECTED',
  PARSE_ERROR: 'OAUTH_PARSE_ERROR',
  INVALID_RESPONSE: 'OAUTH_INVALID_RESPONSE',
  RESPONSE_IS_NOT_JSON: 'OAUTH_RESPONSE_IS_NOT_JSON',
  RESPONSE_IS_NOT_CONFORM: 'OAUTH_RESPONSE_IS_NOT_CONFORM',
  JWT_TIMESTAMP_CHECK: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  JWT_CLAIM_COMPARISON: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  JSON_ATTRIBUTE_COMPARISON: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  KEY_SELECTION: 'OAUTH_KEY_SELECTION_FAILED',
  MISSING_SERVER_METADATA: 'OAUTH_MISSING_SERVER_METADATA',
  INVALID_SERVER_METADATA: 'OAUTH_INVALID_SERVER_METADATA',
  REQUEST_PROTOCOL_FORBIDDEN: 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN',
  HTTP_REQUEST_FORBIDDEN: 'OAUTH_HTTP_REQUEST_FORBIDDEN',
} as const

interface O4Error extends Error {
  code?: string
  cause?: unknown
  status?: number
  error?: string
  error_description?: string
  response?: Response
}

/** Where an error arose: sending the request (the caller's inputs) or reading the answer (the server's). */
export type Stage = 'request' | 'response'

function statusOf(err: O4Error): number | undefined {
  const c = err.cause as { status?: unknown } | undefined
  if (err.cause instanceof Response) return err.cause.status
  if (typeof c?.status === 'number') return c.status
  return err.response?.status
}

/** A member name quoted in an oauth4webapi message (`"response" body "token_type" property …`), if it is a plain name. */
function memberOf(message: string): string | undefined {
  const m = /"response" body "([A-Za-z0-9_]{1,64})"/.exec(message)
  return m?.[1]
}

/**
 * @internal
 * Map anything thrown by fetch, oauth4webapi or jose to an SDK error.
 *
 * @param err - What was thrown.
 * @param operation - The operation, in words (`refresh token grant`, `userinfo`).
 * @param stage - `response` when the error arose while reading the server's
 * answer: oauth4webapi's `UnsupportedOperationError` is then the server's fault
 * (`InvalidResponseError`), not the caller's (`InvalidOptionError`).
 * @param responseStatus - The status of the response being read, when known.
 */
export function toSdkError(
  err: unknown,
  operation: string,
  stage: Stage = 'request',
  responseStatus?: number,
): Error {
  if (err instanceof OktaOAuthError || err instanceof InvalidOptionError) return err
  if (!(err instanceof Error)) {
    // A custom fetch that throws a string or an object: the request did not complete.
    return stage === 'response'
      ? new InvalidResponseError(`${operation}: the response could not be processed`, {
          status: responseStatus,
        })
      : new NetworkError(`${operation} failed: the request did not complete`)
  }
  const e = err as O4Error
  const cause = () => ({ cause: safeCause(e, true) })
  const status = () => statusOf(e) ?? responseStatus
  switch (e.code) {
    case O4.RESPONSE_BODY_ERROR: {
      const body = (e.cause ?? {}) as { error_uri?: unknown }
      return new OAuthResponseError(undefined, {
        error: String(e.error),
        ...(typeof e.error_description === 'string' && { errorDescription: e.error_description }),
        ...(typeof body.error_uri === 'string' && { errorUri: body.error_uri }),
        status: e.status ?? 400,
        ...cause(),
      })
    }
    case O4.WWW_AUTHENTICATE_CHALLENGE: {
      const challenges = ((e.cause ?? []) as WWWAuthenticateChallenge[]).map((c) => ({
        scheme: c.scheme,
        parameters: { ...c.parameters },
      }))
      const first = challenges.find((c) => c.parameters.error) ?? challenges[0]
      return new OAuthResponseError(undefined, {
        error: first?.parameters.error ?? 'invalid_request',
        ...(first?.parameters.error_description !== undefined && {
          errorDescription: first.parameters.error_description,
        }),
        status: e.status ?? e.response?.status ?? 401,
        challenges,
        ...cause(),
      })
    }
    case O4.AUTHORIZATION_RESPONSE_ERROR: {
      const params = e.cause as URLSearchParams | undefined
      return new AuthorizationResponseError(undefined, {
        error: String(e.error),
        ...(e.error_description !== undefined && { errorDescription: e.error_description }),
        ...(params?.get('error_uri') && { errorUri: params.get('error_uri')! }),
        ...cause(),
      })
    }
    case O4.JWT_TIMESTAMP_CHECK:
    case O4.JWT_CLAIM_COMPARISON: {
      // Only signed userinfo responses reach oauth4webapi's claim checks: the
      // SDK validates ID tokens itself, on every flow, before oauth4webapi.
      const claim = (e.cause as { claim?: unknown } | undefined)?.claim
      const name = typeof claim === 'string' && /^[a-z_]{1,32}$/.test(claim) ? claim : 'a claim'
      return new TokenValidationError(`${operation}: the signed response's ${name} check failed`, {
        code: e.code === O4.JWT_TIMESTAMP_CHECK ? 'ERR_JWT_EXPIRED' : 'ERR_JWT_CLAIM_INVALID',
        token: 'jwt',
        reason: e.code === O4.JWT_TIMESTAMP_CHECK ? 'expired' : 'mismatch',
        ...(typeof claim === 'string' && { claim: name }),
        ...cause(),
      })
    }
    case O4.JSON_ATTRIBUTE_COMPARISON: {
      const attribute = (e.cause as { attribute?: string } | undefined)?.attribute
      if (attribute === 'issuer') {
        return new InvalidResponseError(
          'discovery document issuer does not match the requested issuer',
          { code: 'ERR_ISSUER_MISMATCH', ...cause() },
        )
      }
      if (e.message.includes('"sub"')) {
        return new TokenValidationError('userinfo sub does not match the ID token sub', {
          code: 'ERR_SUBJECT_MISMATCH',
          token: 'id_token',
          claim: 'sub',
          reason: 'mismatch',
          ...cause(),
        })
      }
      return new InvalidResponseError(
        `${operation}: a member of the response does not have the expected value`,
        { status: status(), ...cause() },
      )
    }
    case O4.INVALID_RESPONSE: {
      const member = memberOf(e.message)
      return new InvalidResponseError(
        member
          ? `${operation}: the response's ${member} is missing or has the wrong type`
          : `${operation}: the response is not what the protocol requires`,
        { status: status(), ...cause() },
      )
    }
    case O4.RESPONSE_IS_NOT_CONFORM: {
      const code = status()
      return new InvalidResponseError(
        `${operation}: the server answered HTTP ${code ?? 'with an unexpected status'} without an OAuth error body`,
        { status: code, ...cause() },
      )
    }
    case O4.RESPONSE_IS_NOT_JSON:
    case O4.PARSE_ERROR:
      return new InvalidResponseError(`${operation}: the response is not JSON`, {
        status: status(),
        ...cause(),
      })
    case O4.JWT_USERINFO_EXPECTED:
      return new InvalidResponseError(`${operation}: the response must be a signed JWT`, {
        status: status(),
        ...cause(),
      })
    case O4.KEY_SELECTION:
      return new InvalidResponseError(
        `${operation}: no key of the server verifies the signed response`,
        { status: status(), ...cause() },
      )
    case O4.MISSING_SERVER_METADATA:
    case O4.INVALID_SERVER_METADATA: {
      const m = /"as\.([a-z_]{1,64})"/.exec(e.message)
      return new InvalidOptionError(
        `${operation}: the server metadata has no usable ${m?.[1] ?? 'endpoint'}`,
        { code: 'ERR_MISSING_ENDPOINT', ...cause() },
      )
    }
    case O4.REQUEST_PROTOCOL_FORBIDDEN:
    case O4.HTTP_REQUEST_FORBIDDEN:
      return new InvalidOptionError(
        `${operation}: the endpoint must be an https: URL (or allowInsecureRequests)`,
        { code: 'ERR_INSECURE_URL', ...cause() },
      )
  }
  if (e.name === 'OperationProcessingError') {
    return new InvalidResponseError(
      `${operation}: the response is not what the protocol requires`,
      { status: status(), ...cause() },
    )
  }
  if (e.name === 'UnsupportedOperationError') {
    if (stage === 'response') {
      return new InvalidResponseError(
        e.message.includes('token_type')
          ? `${operation}: the response's token_type is neither Bearer nor DPoP`
          : `${operation}: the response uses a feature this client does not support`,
        { status: status(), ...cause() },
      )
    }
    return new InvalidOptionError(
      /key|JWK|CryptoKey|namedCurve|modulusLength/i.test(e.message)
        ? `${operation}: the key is of a type or size this client cannot use`
        : /alg/i.test(e.message)
          ? `${operation}: the algorithm is not supported`
          : `${operation}: the options ask for something this client does not support`,
      { code: 'ERR_INVALID_OPTION', ...cause() },
    )
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    return new AbortError(`${operation} was aborted`, { cause: safeCause(e) })
  }
  if (e instanceof SyntaxError) {
    return new InvalidResponseError(`${operation}: the response is not valid JSON`, {
      cause: safeCause(e),
    })
  }
  if (e instanceof TypeError) {
    // oauth4webapi flags argument errors with ERR_INVALID_ARG_*; anything else
    // a TypeError here comes from fetch itself: the request never completed.
    if (typeof e.code === 'string' && e.code.startsWith('ERR_INVALID_ARG')) {
      const m = /^"([A-Za-z0-9_.]{1,64})"/.exec(e.message)
      return new InvalidOptionError(
        `${operation}: ${m ? `${m[1]} is invalid` : 'an argument is invalid'}`,
        { code: 'ERR_INVALID_OPTION', ...cause() },
      )
    }
    return new NetworkError(`${operation} failed: the request did not complete`, {
      cause: safeCause(e),
    })
  }
  // Anything else (a custom fetch's own error, …): never copy its message.
  if (stage === 'response') {
    return new InvalidResponseError(`${operation}: the response could not be processed`, {
      status: status(),
      cause: safeCause(e),
    })
  }
  return new NetworkError(`${operation} failed: the request did not complete`, {
    cause: safeCause(e),
  })
}
