import * as z from 'zod'
import { AbortError, InvalidOptionError, InvalidResponseError, TimeoutError } from '../errors.js'
import { isJwks } from '../jwks/key-set.js'
import { reloadCachesOf } from '../jwks/registry.js'
import { readText } from '../lib/body.js'
import { type CallOptions, type FetchLike, resolveFetch } from '../lib/http.js'
import {
  type AuthorizationServerKey,
  type KeyRotationInput,
  KeyRotationInputSchema,
  KeySchema,
} from './models/key.js'
import type { AdminClientOptions } from './options.js'
import { path, segment } from './path.js'
import { one, op } from './resource.js'
import { validate } from './responses.js'
import type { AdminTransport } from './transport.js'
import { sleep } from './waiting.js'

// The reference shows `{ "keys": [...] }`; the API also answers with a bare array.
const KeyListSchema = z
  .union([z.array(KeySchema), z.looseObject({ keys: z.array(KeySchema) })])
  .transform((v) => (Array.isArray(v) ? v : v.keys))

/** Options of {@link Keys.rotateAndWait}. */
export interface RotateAndWaitOptions extends CallOptions {
  /** The rotation body. Default: `{ use: 'sig' }`. */
  body?: KeyRotationInput
  /** How long to wait for the new key to be published, in ms. Default: 60 000. */
  publishTimeout?: number
  /** How often to read the public key set meanwhile, in ms. Default: 1 000. */
  interval?: number
}

/** What {@link Keys.rotateAndWait} resolves to. */
export interface RotationResult {
  /** The new active `kid`. */
  kid: string
  /** The server's keys after the rotation (ACTIVE, NEXT, EXPIRED). */
  keys: AuthorizationServerKey[]
  /** The public key set the new key was seen in. */
  jwksUri: string
  /** How many JWKS caches of this process (clients, verifiers) were told to reload. */
  reloadedCaches: number
}

/** Signing keys of an authorization server: `/api/v1/authorizationServers/{serverId}/credentials`. */
export interface Keys {
  /**
   * The keys in rotation: `ACTIVE` (signs tokens), `NEXT`, `EXPIRED`.
   * @param serverId - The authorization server.
   * @param options - signal and timeout.
   * @returns The keys.
   */
  list(serverId: string, options?: CallOptions): Promise<AuthorizationServerKey[]>
  /**
   * One signing key of a server by its `kid`, whatever its status.
   * @param serverId - The authorization server.
   * @param keyId - The key's `kid`.
   * @param options - signal and timeout.
   * @returns The key. Rejects with `OktaApiError` (`ERR_API_NOT_FOUND`) for an unknown server or key.
   * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerKeys/#tag/AuthorizationServerKeys/operation/getAuthorizationServerKey | getAuthorizationServerKey}
   * @example
   * ```ts
   * import type { AdminClient } from 'okta-oauth-kit/admin'
   * declare const admin: AdminClient
   * const key = await admin.keys.get('aus5m9r1o4AsDJLe50g4', 'RQ8DuhdxCczyMvy7GNJb4Ka3lQ99vrSo3oFBUiZjzzc')
   * console.log(key.status) // ACTIVE, NEXT or EXPIRED
   * ```
   */
  get(serverId: string, keyId: string, options?: CallOptions): Promise<AuthorizationServerKey>
  /**
   * Rotate: `ACTIVE` becomes `EXPIRED`, `NEXT` becomes `ACTIVE`, and tokens
   * are signed with it at once. Not retried after a 429 (not idempotent).
   * @param serverId - The authorization server.
   * @param body - `{ use: 'sig' }` (the only value allowed).
   * @param options - signal and timeout.
   * @returns The keys after the rotation.
   */
  rotate(
    serverId: string,
    body?: KeyRotationInput,
    options?: CallOptions,
  ): Promise<AuthorizationServerKey[]>
  /**
   * Rotate, wait until the new active `kid` is published at the server's
   * `/v1/keys`, then tell every JWKS cache of that key set in this process
   * (clients, verifiers) to reload, so the next token verifies without a miss.
   * @param serverId - The authorization server.
   * @param options - Rotation body, publish timeout, polling interval.
   * @returns The new kid, the keys, and how many caches reloaded.
   */
  rotateAndWait(serverId: string, options?: RotateAndWaitOptions): Promise<RotationResult>
}

/** @internal */
export function keys(t: AdminTransport, options: AdminClientOptions): Keys {
  const fetchImpl = resolveFetch(options)
  const api: Keys = {
    list: (serverId, call) =>
      one(
        t,
        op('keys.list', 'GET', 'authorizationServers', 'read'),
        () => path`/authorizationServers/${{ serverId }}/credentials/keys`,
        KeyListSchema,
        call,
      ),
    get: (serverId, keyId, call) =>
      one(
        t,
        op('keys.get', 'GET', 'authorizationServers', 'read'),
        () => path`/authorizationServers/${{ serverId }}/credentials/keys/${{ keyId }}`,
        KeySchema,
        call,
      ),
    rotate: (serverId, body = { use: 'sig' }, call) =>
      one(
        t,
        op('keys.rotate', 'POST', 'authorizationServers', 'manage'),
        () => path`/authorizationServers/${{ serverId }}/credentials/lifecycle/keyRotate`,
        KeyListSchema,
        { ...call, body, inputSchema: KeyRotationInputSchema },
      ),
    async rotateAndWait(serverId, call = {}) {
      const { body, publishTimeout = 60_000, interval = 1_000, ...rest } = call
      for (const [name, value] of [
        ['publishTimeout', publishTimeout],
        ['interval', interval],
      ] as const) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
          throw new InvalidOptionError(`${name} must be a positive number of milliseconds`)
        }
      }
      // The whole operation rotates: it needs .manage, and a valid body, before any request.
      const operation = op('keys.rotateAndWait', 'GET', 'authorizationServers', 'manage')
      const rotation = body ?? { use: 'sig' }
      validate(operation, KeyRotationInputSchema, rotation)
      const server = await one(
        t,
        operation,
        () => path`/authorizationServers/${{ serverId }}`,
        z.looseObject({ issuer: z.optional(z.string()) }),
        rest,
      )
      const rotated = await api.rotate(serverId, rotation, rest)
      const active = rotated.find((k) => k.status === 'ACTIVE')
      if (!active) throw new InvalidResponseError('keys.rotate: no ACTIVE key in the response')
      const issuer =
        server.issuer ?? new URL(`/oauth2/${segment('serverId', serverId)}`, t.orgUrl).href
      let jwksUri: string
      try {
        // Normalised like a JWKS cache's own `jwksUri`, so the caches are found.
        jwksUri = new URL(`${issuer.replace(/\/$/, '')}/v1/keys`).href
      } catch {
        throw new InvalidResponseError(`keys.rotateAndWait: the server's issuer is not a URL`)
      }
      const deadline = Date.now() + publishTimeout
      // Bounded: every round waits `interval` ms, and the deadline ends the loop.
      for (;;) {
        const left = deadline - Date.now()
        const seen = left > 0 && (await published(fetchImpl, jwksUri, active.kid, left, t, rest))
        if (seen) break
        if (Date.now() + interval > deadline) {
          throw new TimeoutError(
            `the new key ${active.kid} was not published at ${jwksUri} within ${publishTimeout} ms`,
            { timeout: publishTimeout },
          )
        }
        await sleep(interval, rest.signal, 'keys.rotateAndWait')
      }
      const reloadedCaches = await reloadCachesOf(jwksUri)
      return { kid: active.kid, keys: rotated, jwksUri, reloadedCaches }
    },
  }
  return api
}

/**
 * Whether the key set at `jwksUri` lists `kid`; one read, at most `timeout`
 * ms and `t.maxResponseBytes` bytes (a larger key set rejects with
 * `ERR_RESPONSE_TOO_LARGE` instead of being read again and again).
 */
async function published(
  fetchImpl: FetchLike,
  jwksUri: string,
  kid: string,
  timeout: number,
  t: AdminTransport,
  { signal }: CallOptions,
): Promise<boolean> {
  const timer = AbortSignal.timeout(timeout)
  try {
    const response = await fetchImpl(jwksUri, {
      headers: { accept: 'application/json', 'cache-control': 'no-cache' },
      signal: signal ? AbortSignal.any([signal, timer]) : timer,
    })
    if (!response.ok) {
      response.body?.cancel().catch(() => {})
      return false
    }
    const body: unknown = JSON.parse(
      await readText(response, t.maxResponseBytes, 'keys.rotateAndWait: the key set'),
    )
    return isJwks(body) && body.keys.some((k) => k.kid === kid)
  } catch (err) {
    if (signal?.aborted) {
      throw new AbortError('keys.rotateAndWait was aborted', { cause: signal.reason })
    }
    if (err instanceof InvalidResponseError && err.code === 'ERR_RESPONSE_TOO_LARGE') throw err
    // Unreachable, slow or malformed this time: the next round reads again.
    return false
  }
}
