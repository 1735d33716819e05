import { AuthorizationResponseError, CallbackError } from '../errors.js'
import { readText } from '../lib/body.js'
import { sameIssuer } from '../lib/issuer.js'
import type { AuthorizationTransaction, ResponseMode } from './authorization-request.js'

/**
 * An `okta_post_message` answer as the page received it: the `MessageEvent`
 * itself (or an object with its `data` and `origin`). The origin is checked:
 * the message must come from the authorization server.
 */
export interface OktaPostMessage {
  /** The payload the authorization server's page posted: the response parameters. */
  readonly data: unknown
  /** The origin of the window that posted it (`MessageEvent.origin`). */
  readonly origin: string
}

/**
 * What arrived at the redirect URI:
 * - the full callback URL (`query` or `fragment` response modes), as a string or `URL`;
 * - a `form_post` body: the `application/x-www-form-urlencoded` string, `URLSearchParams`, or the Web `Request` itself;
 * - an `okta_post_message` answer: the `MessageEvent` (its `data` and `origin`).
 */
export type AuthorizationResponseInput = string | URL | URLSearchParams | Request | OktaPostMessage

/** The parameters of an authorization response, checked and typed. */
export interface AuthorizationResponseParameters {
  /** The authorization code, for response types with `code`. */
  code?: string
  /** The front-channel ID token, for response types with `id_token`. */
  idToken?: string
  /** The front-channel access token, for response types with `token`. */
  accessToken?: string
  /** Its type, with `accessToken`. */
  tokenType?: string
  /** Its lifetime in seconds, with `accessToken`. */
  expiresIn?: number
  /** Granted scopes, with `accessToken`. */
  scope?: string
}

const MAX_PARAMETER = 16 * 1024
const MAX_BODY = 64 * 1024

/**
 * @internal
 * Read the response parameters from whatever arrived, which must be what the
 * transaction's response mode delivers: a URL's query (`query`: a URL, or a
 * GET `Request`), a URL's fragment (`fragment`: a URL), a POST body
 * (`form_post`: a POST `Request`, the urlencoded string, or its
 * `URLSearchParams`), or a message (`okta_post_message`: the `MessageEvent`,
 * whose origin must be one of `serverOrigins`).
 * Anything else is refused: a `form_post` transaction completed from a query
 * string would let a code travel in a URL after all.
 */
export async function readResponse(
  input: AuthorizationResponseInput,
  mode: ResponseMode,
  serverOrigins: readonly string[] = [],
): Promise<URLSearchParams> {
  if (input instanceof URLSearchParams) {
    expectMode(mode, 'form_post', 'URLSearchParams (a parsed form_post body)')
    return input
  }
  if (typeof Request !== 'undefined' && input instanceof Request) return readRequest(input, mode)
  if (input instanceof URL) return fromUrl(input, mode)
  if (typeof input === 'string') {
    if (/^[a-z][a-z0-9+.-]*:/i.test(input)) {
      let url: URL
      try {
        url = new URL(input)
      } catch {
        throw malformed('the callback URL cannot be parsed')
      }
      return fromUrl(url, mode)
    }
    expectMode(mode, 'form_post', 'a urlencoded body')
    if (input.length > MAX_BODY) throw malformed('the form_post body is too large')
    return new URLSearchParams(input)
  }
  if (mode === 'okta_post_message') return readPostMessage(input, serverOrigins)
  return readMessage(input, mode)
}

/**
 * An `okta_post_message` answer: the event (or `{ data, origin }`), whose
 * origin must be one of the authorization server's. A bare payload is
 * refused: without its origin, a message any page could post would pass.
 */
function readPostMessage(input: unknown, serverOrigins: readonly string[]): URLSearchParams {
  const message = input as Partial<OktaPostMessage> | null
  if (typeof message !== 'object' || message === null || typeof message.origin !== 'string') {
    throw malformed(
      'an okta_post_message answer must be handed over as the MessageEvent (or { data, origin }), so that its origin can be checked',
      'origin',
    )
  }
  if (!serverOrigins.includes(message.origin)) {
    throw new CallbackError('the message does not come from the authorization server', {
      code: 'ERR_CALLBACK_ISSUER_MISMATCH',
      parameter: 'origin',
    })
  }
  return readMessage(message.data, 'okta_post_message')
}

/**
 * @internal
 * {@link readResponse} for what is neither a URL, a string nor a form: an
 * okta_post_message payload (an object), or nothing it accepts. `./browser`
 * calls it directly, so its bundle leaves out the form_post readers.
 */
export function readMessage(input: unknown, mode: ResponseMode): URLSearchParams {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    expectMode(mode, 'okta_post_message', 'an object (an okta_post_message payload)')
    // An okta_post_message payload: only string members are parameters.
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined || value === null) continue
      if (typeof value !== 'string')
        throw malformed(`postMessage member ${safeName(name)} is not a string`, 'postMessage')
      params.set(name, value)
    }
    return params
  }
  throw malformed(
    'the callback must be a URL, a form_post body, a Request or a postMessage payload',
  )
}

function expectMode(mode: ResponseMode, wanted: ResponseMode, what: string): void {
  if (mode !== wanted) {
    throw malformed(`${what} is not how a ${safeMode(mode)} response arrives`, 'response_mode')
  }
}

/** The transaction's mode, echoed only when it is one of the known values. */
function safeMode(mode: string): string {
  return ['query', 'fragment', 'form_post', 'okta_post_message'].includes(mode) ? mode : 'this'
}

/** A member name from a hostile payload, echoed only when it looks like a parameter name. */
function safeName(name: string): string {
  return /^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : '(a member)'
}

/** @internal {@link readResponse} for a callback URL: its query or its fragment, as `mode` says. */
export function fromUrl(url: URL, mode: ResponseMode): URLSearchParams {
  if (mode === 'query') return url.searchParams
  if (mode === 'fragment') return new URLSearchParams(url.hash.slice(1))
  throw malformed(`a URL is not how a ${safeMode(mode)} response arrives`, 'response_mode')
}

async function readRequest(request: Request, mode: ResponseMode): Promise<URLSearchParams> {
  if (request.method === 'GET') {
    expectMode(mode, 'query', 'a GET request')
    return new URL(request.url).searchParams
  }
  expectMode(mode, 'form_post', `a ${request.method === 'POST' ? 'POST' : 'non-GET'} request`)
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
  if (request.method !== 'POST' || type !== 'application/x-www-form-urlencoded') {
    throw malformed('a form_post response must be a POST of application/x-www-form-urlencoded')
  }
  let text: string
  try {
    text = await readText(request, MAX_BODY, 'the form_post body')
  } catch (err) {
    throw (err as { code?: unknown }).code === 'ERR_RESPONSE_TOO_LARGE'
      ? malformed('the form_post body is too large')
      : malformed('the form_post body could not be read')
  }
  return new URLSearchParams(text)
}

function malformed(message: string, parameter?: string, cause?: unknown): CallbackError {
  return new CallbackError(message, {
    code: 'ERR_CALLBACK_MALFORMED',
    parameter,
    ...(cause === undefined ? undefined : { cause }),
  })
}

/**
 * @internal
 * Check a response's parameters against its transaction, in the order that
 * fails closed: state, then `error`, then `iss`, then what the response type promises.
 */
export function checkResponse(
  params: URLSearchParams,
  transaction: AuthorizationTransaction,
  issParameterSupported: boolean,
): AuthorizationResponseParameters {
  for (const [name, value] of params) {
    if (value.length > MAX_PARAMETER) {
      throw malformed(`parameter ${safeName(name)} is too long`, safeName(name))
    }
  }
  const single = (name: string): string | undefined => {
    const values = params.getAll(name)
    if (values.length > 1) throw malformed(`parameter ${name} appears more than once`, name)
    return values[0] === '' ? undefined : values[0]
  }
  const state = single('state')
  if (state !== transaction.state) {
    throw new CallbackError(
      state === undefined
        ? 'the response has no state'
        : 'the response state is not the transaction state',
      { code: 'ERR_STATE_MISMATCH', parameter: 'state' },
    )
  }
  const error = single('error')
  if (error !== undefined) {
    const description = single('error_description')
    const uri = single('error_uri')
    throw new AuthorizationResponseError(undefined, {
      error,
      ...(description !== undefined && { errorDescription: description }),
      ...(uri !== undefined && { errorUri: uri }),
    })
  }
  const iss = single('iss')
  const idToken = single('id_token')
  if (iss !== undefined && !sameIssuer(iss, transaction.issuer)) {
    throw new CallbackError('the response iss is not the transaction issuer', {
      code: 'ERR_CALLBACK_ISSUER_MISMATCH',
      parameter: 'iss',
    })
  }
  // RFC 9207: a server that promises `iss` must send it. Responses with an ID
  // token carry the issuer inside it, so servers may omit the parameter then.
  if (iss === undefined && issParameterSupported && idToken === undefined) {
    throw new CallbackError('the response has no iss although the server sends one', {
      code: 'ERR_CALLBACK_ISSUER_MISMATCH',
      parameter: 'iss',
    })
  }

  const wants = new Set(transaction.responseType.split(' '))
  const code = single('code')
  const accessToken = single('access_token')
  const expect = (present: boolean, wanted: boolean, name: string) => {
    if (present && !wanted) {
      throw new CallbackError(
        `the response carries ${name}, which the response type does not ask for`,
        { code: 'ERR_RESPONSE_TYPE_MISMATCH', parameter: name },
      )
    }
    if (!present && wanted) {
      throw new CallbackError(`the response has no ${name}`, {
        code: 'ERR_RESPONSE_TYPE_MISMATCH',
        parameter: name,
      })
    }
  }
  expect(code !== undefined, wants.has('code'), 'code')
  expect(idToken !== undefined, wants.has('id_token'), 'id_token')
  expect(accessToken !== undefined, wants.has('token'), 'access_token')

  const result: AuthorizationResponseParameters = {}
  if (code !== undefined) result.code = code
  if (idToken !== undefined) result.idToken = idToken
  if (accessToken !== undefined) {
    result.accessToken = accessToken
    const tokenType = single('token_type')
    if (tokenType === undefined) {
      throw new CallbackError('the response has an access_token but no token_type', {
        code: 'ERR_RESPONSE_TYPE_MISMATCH',
        parameter: 'token_type',
      })
    }
    result.tokenType = tokenType
    const expiresIn = single('expires_in')
    if (expiresIn !== undefined) {
      const seconds = Number(expiresIn)
      if (!Number.isInteger(seconds) || seconds < 0)
        throw malformed('expires_in is not a number of seconds', 'expires_in')
      result.expiresIn = seconds
    }
    const scope = single('scope')
    if (scope !== undefined) result.scope = scope
  }
  return result
}

/** @internal Is `value` a transaction for this issuer and client? */
export function assertTransaction(
  value: unknown,
  issuer: string,
  clientId: string,
): asserts value is AuthorizationTransaction {
  const t = value as Partial<AuthorizationTransaction> | null
  if (
    typeof t !== 'object' ||
    t === null ||
    typeof t.state !== 'string' ||
    typeof t.nonce !== 'string' ||
    typeof t.redirectUri !== 'string' ||
    typeof t.responseType !== 'string' ||
    typeof t.responseMode !== 'string' ||
    typeof t.createdAt !== 'number'
  ) {
    throw new CallbackError('the transaction is missing or malformed', {
      code: 'ERR_TRANSACTION_INVALID',
      parameter: 'transaction',
    })
  }
  if (t.issuer !== issuer || t.clientId !== clientId) {
    throw new CallbackError('the transaction belongs to another issuer or client', {
      code: 'ERR_TRANSACTION_INVALID',
      parameter: 'transaction',
    })
  }
}

/**
 * @internal
 * A bounded memory of consumed states, so one transaction answers at most one
 * response per client instance (a replayed callback or a double submit is refused).
 */
export class ConsumedStates {
  readonly #states = new Map<string, number>()
  readonly #max: number

  constructor(max = 1000) {
    this.#max = max
  }

  /** Mark `state` used; false if it already was. */
  consume(state: string, expiresAt: number, now: number): boolean {
    for (const [s, until] of this.#states) {
      if (until > now) break
      this.#states.delete(s)
    }
    if (this.#states.has(state)) return false
    if (this.#states.size >= this.#max) {
      const oldest = this.#states.keys().next().value
      if (oldest !== undefined) this.#states.delete(oldest)
    }
    this.#states.set(state, expiresAt)
    return true
  }
}
