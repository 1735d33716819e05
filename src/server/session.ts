import { decodeJwt } from 'jose/jwt/decode'
import { InvalidOptionError } from '../errors.js'
import type { IdTokenClaims } from '../jwt/id-token.js'
import { randomBase64url } from '../lib/base64url.js'
import type { CallOptions } from '../lib/http.js'
import type { Client } from '../oauth/client.js'
import type { TokenSet } from '../oauth/token-set.js'
import { readCookies, type ServerRequest, serializeCookie } from './http.js'
import type { ServerSettings } from './options.js'
import { seal, unseal } from './seal.js'

// The signed-in user's session: the tokens, sealed into one cookie, or kept
// in the app's store with only a sealed id in the cookie; read, refreshed
// near expiry, cleared.

/** What a session holds: the tokens of the signed-in user. Times are epoch seconds. */
export interface SessionData {
  /** The access token. */
  accessToken: string
  /** `Bearer` or `DPoP`. */
  tokenType: string
  /** When the access token expires, epoch seconds. */
  expiresAt?: number
  /** The granted scopes. */
  scope?: string
  /** The refresh token, with `offline_access`. */
  refreshToken?: string
  /** The ID token (validated at sign-in). */
  idToken?: string
}

/** A session as {@link ServerSession.read} returns it: the tokens and the ID token's claims. */
export interface Session extends SessionData {
  /** The ID token's claims (validated at sign-in or refresh, read back from the sealed cookie). */
  idTokenClaims?: IdTokenClaims
}

/**
 * Where sessions live when they do not fit in a cookie (large ID tokens,
 * many claims) or must be revocable server side. The cookie then holds only
 * a sealed, random session id: {@link ServerAuth.logout} (and a refresh,
 * which moves the session to a new id) deletes the stored session, so a copy
 * of the old cookie reads as signed out everywhere.
 *
 * @example
 * ```ts
 * import type { SessionData, SessionStore } from 'okta-oauth-kit/server'
 * declare const redis: {
 *   get(k: string): Promise<string | null>
 *   set(k: string, v: string, o: { PX: number }): Promise<unknown>
 *   del(k: string): Promise<unknown>
 * }
 * const sessions: SessionStore = {
 *   get: async (id) => {
 *     const value = await redis.get(`session:${id}`)
 *     return value === null ? undefined : (JSON.parse(value) as SessionData)
 *   },
 *   set: async (id, data, ttlMs) => void (await redis.set(`session:${id}`, JSON.stringify(data), { PX: ttlMs })),
 *   delete: async (id) => void (await redis.del(`session:${id}`)),
 * }
 * ```
 */
export interface SessionStore {
  /** The session under `id`, or `undefined`. */
  get(id: string): Promise<SessionData | undefined> | SessionData | undefined
  /** Keep `data` under `id` for `ttlMs` milliseconds. */
  set(id: string, data: SessionData, ttlMs: number): Promise<void> | void
  /** Forget the session: a cookie naming `id` is dead from now on. */
  delete(id: string): Promise<void> | void
}

/** What {@link ServerSession.refresh} and {@link ServerAuth.password} resolve to. */
export interface SessionUpdate {
  /** The session, possibly refreshed. */
  session: Session
  /** Whether new tokens were fetched. */
  refreshed: boolean
  /** `Set-Cookie` values to send (empty when nothing changed). */
  cookies: string[]
}

/** Options of {@link ServerSession.refresh}. */
export interface RefreshSessionOptions extends CallOptions {
  /** Refresh even if the access token is not near its expiry. */
  force?: boolean
}

/** Session helpers of {@link ServerAuth}. */
export interface ServerSession {
  /**
   * Read the signed-in user's session from the request's cookie.
   *
   * @param request - A Web `Request`, a Node request, or a `Cookie` header value.
   * @returns The session, or `undefined` when there is none or the cookie is expired or not ours.
   */
  read(request: ServerRequest | string): Promise<Session | undefined>
  /**
   * Refresh the session's tokens when the access token is within
   * `refreshMargin` of its expiry (or with `force`), and re-seal the cookie.
   * Without a refresh token the session is returned unchanged.
   *
   * @param request - A Web `Request`, a Node request, or a `Cookie` header value.
   * @param options - `force`, signal and timeout.
   * @returns The session and cookies to send, or `undefined` without a session.
   * Rejects like `Client.refresh`: `invalid_grant` means the user must sign in again.
   */
  refresh(
    request: ServerRequest | string,
    options?: RefreshSessionOptions,
  ): Promise<SessionUpdate | undefined>
  /**
   * `Set-Cookie` values that delete the session cookie (and its stored session, with a {@link SessionStore}).
   *
   * @param request - The request, to find a stored session to delete.
   * @returns The cookies to send.
   */
  clear(request?: ServerRequest | string): Promise<string[]>
}

/** Browsers refuse cookies larger than this (name, value and attributes). */
const MAX_COOKIE = 4096

/** @internal The session side of the helpers. */
export interface ServerSessions {
  /** Seal `data` (or store it and seal its id) into the session cookie; throws `ERR_SESSION_TOO_LARGE`. */
  writeSession(data: SessionData): Promise<string[]>
  /** The session of the request's cookie, with its store id; `undefined` without a valid one. */
  readSession(
    request: ServerRequest | string,
  ): Promise<{ data: SessionData; sid?: string } | undefined>
  /** The public session helpers. */
  session: ServerSession
}

/** @internal The sessions of one {@link createServerAuth}. */
export function serverSessions(settings: ServerSettings, client: Client): ServerSessions {
  const { keys, now, sessionName, sessionAttrs, sessionTtl, refreshMargin, sessionStore } = settings

  async function writeSession(data: SessionData): Promise<string[]> {
    const { session: key } = await keys()
    const t = now()
    let payload: Record<string, unknown>
    if (sessionStore) {
      const id = randomBase64url(16)
      await sessionStore.set(id, data, sessionTtl)
      payload = { sid: id }
    } else {
      payload = { s: data }
    }
    const value = await seal(payload, key, 'session', t, t + sessionTtl)
    const cookie = serializeCookie(sessionName, value, sessionAttrs)
    if (new TextEncoder().encode(cookie).byteLength > MAX_COOKIE) {
      throw new InvalidOptionError(
        'the sealed session is larger than a browser keeps in one cookie (4 KB): pass a sessionStore',
        { code: 'ERR_SESSION_TOO_LARGE' },
      )
    }
    return [cookie]
  }

  async function readSession(
    request: ServerRequest | string,
  ): Promise<{ data: SessionData; sid?: string } | undefined> {
    const value = readCookies(request).get(sessionName)
    if (!value) return undefined
    const { session: key } = await keys()
    const opened = await unseal(value, key, 'session', now())
    if (!opened.ok) return undefined
    const { sid, s } = opened.payload as { sid?: unknown; s?: unknown }
    if (sessionStore) {
      if (typeof sid !== 'string') return undefined
      const data = await sessionStore.get(sid)
      return isSessionData(data) ? { data, sid } : undefined
    }
    return isSessionData(s) ? { data: s } : undefined
  }

  const session: ServerSession = {
    async read(request) {
      const found = await readSession(request)
      return found && toSession(found.data)
    },
    async refresh(request, refreshOptions = {}) {
      const found = await readSession(request)
      if (!found) return undefined
      const { data } = found
      const { force = false, ...call } = refreshOptions
      const due =
        data.expiresAt === undefined || data.expiresAt * 1000 - now() <= refreshMargin || force
      if (!due || data.refreshToken === undefined) {
        return { session: toSession(data), refreshed: false, cookies: [] }
      }
      const current = toSession(data)
      const sub = current.idTokenClaims?.sub
      const fresh = await client.refresh(
        data.refreshToken,
        sub !== undefined ? { expectedSubject: sub } : {},
        call,
      )
      const next: SessionData = {
        ...toSessionData(fresh),
        ...(fresh.refreshToken === undefined && { refreshToken: data.refreshToken }),
        ...(fresh.idToken === undefined && data.idToken !== undefined && { idToken: data.idToken }),
      }
      if (found.sid !== undefined) await sessionStore?.delete(found.sid)
      const cookies = await writeSession(next)
      return { session: toSession(next), refreshed: true, cookies }
    },
    async clear(request) {
      if (request !== undefined && sessionStore) {
        const found = await readSession(request)
        if (found?.sid !== undefined) await sessionStore.delete(found.sid)
      }
      return [serializeCookie(sessionName, '', { ...sessionAttrs, maxAge: 0 })]
    },
  }

  return { writeSession, readSession, session }
}

/** @internal The tokens a session keeps. */
export function toSessionData(tokens: TokenSet): SessionData {
  const data: SessionData = { accessToken: tokens.accessToken, tokenType: tokens.tokenType }
  if (tokens.expiresAt !== undefined) data.expiresAt = tokens.expiresAt
  if (tokens.scope !== undefined) data.scope = tokens.scope
  if (tokens.refreshToken !== undefined) data.refreshToken = tokens.refreshToken
  if (tokens.idToken !== undefined) data.idToken = tokens.idToken
  return data
}

/** @internal A session with its ID token's claims read back. */
export function toSession(data: SessionData): Session {
  const session: Session = { ...data }
  if (data.idToken !== undefined) {
    // Validated when it was issued; the sealed cookie (or the store) vouches for it since.
    session.idTokenClaims = decodeJwt(data.idToken) as IdTokenClaims
  }
  return session
}

function isSessionData(value: unknown): value is SessionData {
  const v = value as Partial<SessionData> | null | undefined
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.accessToken === 'string' &&
    typeof v.tokenType === 'string'
  )
}
