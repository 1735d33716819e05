import { z } from 'zod'
import { InvalidResponseError, TimeoutError } from '../errors.js'
import { isJwks, reloadCachesOf } from '../jwks/cache.js'
import type { CallOptions } from '../lib/http.js'
import { resolveFetch } from '../lib/http.js'
import {
  type AuthorizationServerKey,
  type KeyRotationInput,
  KeyRotationInputSchema,
  KeySchema,
} from './models.js'
import { one, op, seg } from './resource.js'
import type { AdminClientOptions, AdminTransport } from './transport.js'

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
  const base = (s: string) => `/authorizationServers/${seg(s, 'serverId')}/credentials`
  const fetchImpl = resolveFetch(options)
  const api: Keys = {
    list: (s, call) =>
      one(
        t,
        op('keys.list', 'GET', 'authorizationServers', 'read'),
        `${base(s)}/keys`,
        KeyListSchema,
        call,
      ),
    rotate: (s, body = { use: 'sig' }, call) =>
      one(
        t,
        op('keys.rotate', 'POST', 'authorizationServers', 'manage'),
        `${base(s)}/lifecycle/keyRotate`,
        KeyListSchema,
        { ...call, body, inputSchema: KeyRotationInputSchema },
      ),
    async rotateAndWait(s, call = {}) {
      const { body, publishTimeout = 60_000, interval = 1_000, ...rest } = call
      const server = await one(
        t,
        op('keys.rotateAndWait', 'GET', 'authorizationServers', 'read'),
        `/authorizationServers/${seg(s, 'serverId')}`,
        z.looseObject({ issuer: z.optional(z.string()) }),
        rest,
      )
      const rotated = await api.rotate(s, body ?? { use: 'sig' }, rest)
      const active = rotated.find((k) => k.status === 'ACTIVE')
      if (!active) throw new InvalidResponseError('keys.rotate: no ACTIVE key in the response')
      const issuer = server.issuer ?? new URL(`/oauth2/${s}`, t.orgUrl).href
      const jwksUri = `${issuer.replace(/\/$/, '')}/v1/keys`
      const deadline = Date.now() + publishTimeout
      for (;;) {
        if (await published(fetchImpl, jwksUri, active.kid, rest.signal)) break
        if (Date.now() + interval > deadline) {
          throw new TimeoutError(
            `the new key ${active.kid} was not published at ${jwksUri} within ${publishTimeout} ms`,
            publishTimeout,
          )
        }
        await new Promise((r) => setTimeout(r, interval))
      }
      const reloadedCaches = await reloadCachesOf(jwksUri)
      return { kid: active.kid, keys: rotated, jwksUri, reloadedCaches }
    },
  }
  return api
}

async function published(
  fetchImpl: ReturnType<typeof resolveFetch>,
  jwksUri: string,
  kid: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  try {
    const response = await fetchImpl(jwksUri, {
      headers: { accept: 'application/json', 'cache-control': 'no-cache' },
      ...(signal && { signal }),
    })
    if (!response.ok) return false
    const body: unknown = await response.json()
    return isJwks(body) && body.keys.some((k) => k.kid === kid)
  } catch (err) {
    if (signal?.aborted) throw err
    return false
  }
}
