import { MIN_RSA_BITS, rsaModulusBits } from '../../lib/algorithms.js'
import type { Json } from '../model/json.js'
import type { ResourceKeyRecord } from '../model/records.js'
import type { ServerAdmin } from '../model/server-admin.js'
import { AS, type Ctx, newId, type Route, route } from './context.js'
import { invalid, iso, link, noContent, notFound, ok, page } from './responses.js'
import { findServerOrThrow } from './servers.js'

// The resource-server credential keys of a custom server (public RSA keys
// for encrypting the tokens it mints):
// `/api/v1/authorizationServers/{id}/resourceservercredentials/keys[/{keyId}]`
// and their lifecycle, with the rules and error bodies of today's spec: a
// key is added INACTIVE, at most 5 keys, unique `kid`s, RSA keys of at
// least 2,048 bits; one key is ACTIVE at a time (activating one deactivates
// the other); the ACTIVE key cannot be deleted, nor deactivated while the
// server encrypts access tokens.

/** @internal The routes of resource-server credential keys. */
export const resourceKeyRoutes: Route[] = [
  route(`${AS}/resourceservercredentials/keys`, { GET: listKeys, POST: addKey }),
  route(`${AS}/resourceservercredentials/keys/:key`, { GET: getKey, DELETE: deleteKey }),
  route(`${AS}/resourceservercredentials/keys/:key/lifecycle/:action`, { POST: keyLifecycle }),
]

/** "You have reached the maximum number of keys allowed (5)." */
const MAX_KEYS = 5
const BASE64URL = /^[A-Za-z0-9_-]+$/

/** Refusals of a JSON Web Key: 400 `E0000001` "Api validation failed: JsonWebKey". */
const refused = (...causes: string[]) => invalid('JsonWebKey', ...causes)

function keyJson(c: Ctx, key: ResourceKeyRecord): Json {
  const self = `${c.state.orgUrl}/api/v1/authorizationServers/${c.params.as}/resourceservercredentials/keys/${key.id}`
  return {
    id: key.id,
    kid: key.kid,
    kty: key.kty,
    use: key.use,
    e: key.e,
    n: key.n,
    status: key.status,
    created: iso(key.created),
    lastUpdated: iso(key.lastUpdated),
    _links: {
      self: link(self, 'GET'),
      ...(key.status === 'ACTIVE'
        ? { deactivate: link(`${self}/lifecycle/deactivate`, 'POST') }
        : {
            activate: link(`${self}/lifecycle/activate`, 'POST'),
            delete: link(self, 'DELETE'),
          }),
    },
  }
}

/** The key of the path's `:key`, by `id` (or by `kid`, as the spec's links use); throws the 404 answer. */
function findKeyOrThrow(c: Ctx): { admin: ServerAdmin; key: ResourceKeyRecord } {
  const { admin } = findServerOrThrow(c)
  const id = c.params.key!
  const key =
    admin.resourceKeys.get(id) ?? [...admin.resourceKeys.values()].find((k) => k.kid === id)
  if (!key) throw notFound(id, 'JsonWebKey')
  return { admin, key }
}

function listKeys(c: Ctx): Response {
  const { admin } = findServerOrThrow(c)
  return page(c, [...admin.resourceKeys.values()], (k) => keyJson(c, k))
}

function addKey(c: Ctx): Response {
  const { admin } = findServerOrThrow(c)
  const { kid, kty, use, e, n, status } = c.body
  const causes: string[] = []
  if (kty !== 'RSA') causes.push("kty: Okta supports only 'RSA' keys.")
  if (use !== undefined && use !== 'enc') causes.push("use: The key use must be 'enc'.")
  if (typeof e !== 'string' || !BASE64URL.test(e)) {
    causes.push('e: The exponent must be base64url.')
  }
  if (typeof n !== 'string' || !BASE64URL.test(n)) {
    causes.push('n: The modulus must be base64url.')
  } else if (rsaModulusBits(n) < MIN_RSA_BITS) {
    causes.push("RSA key length in the 'jwks' is less than '2,048' bits for the given key.")
  }
  if (status === 'ACTIVE') {
    causes.push(
      "Keys cannot be created with an 'ACTIVE' status. Create an 'INACTIVE' key and then activate it.",
    )
  } else if (status !== undefined && status !== 'INACTIVE') {
    causes.push("status: The status must be 'ACTIVE' or 'INACTIVE'.")
  }
  if (kid !== undefined && kid !== null && (typeof kid !== 'string' || kid === '')) {
    causes.push('kid: The kid must be a non-empty string.')
  }
  const keys = [...admin.resourceKeys.values()]
  if (typeof kid === 'string' && keys.some((k) => k.kid === kid)) {
    causes.push("Each key must have a unique 'kid'.")
  }
  if (keys.some((k) => k.kid === null)) {
    causes.push("A key cannot be added while an existing key has no 'kid'.")
  }
  if (keys.length >= MAX_KEYS) {
    causes.push(
      `You can't create a new key. You have reached the maximum number of keys allowed (${MAX_KEYS}). To add another key, you must first delete an existing one.`,
    )
  }
  if (causes.length > 0) return refused(...causes)
  const now = c.state.now()
  const key: ResourceKeyRecord = {
    id: newId('apk', (x) => admin.resourceKeys.has(x)),
    kid: typeof kid === 'string' ? kid : null,
    kty: 'RSA',
    use: 'enc',
    e: e as string,
    n: n as string,
    status: 'INACTIVE',
    created: now,
    lastUpdated: now,
  }
  admin.resourceKeys.set(key.id, key)
  return ok(keyJson(c, key), 201)
}

function getKey(c: Ctx): Response {
  return ok(keyJson(c, findKeyOrThrow(c).key))
}

function deleteKey(c: Ctx): Response {
  const { admin, key } = findKeyOrThrow(c)
  if (key.status === 'ACTIVE') {
    return refused(
      "'ACTIVE' keys cannot be deleted. Activate another key before deleting this one.",
    )
  }
  admin.resourceKeys.delete(key.id)
  return noContent()
}

function keyLifecycle(c: Ctx): Response {
  const { admin, key } = findKeyOrThrow(c)
  const now = c.state.now()
  const action = c.params.action!
  if (action === 'activate') {
    // One active key at a time: the current one becomes inactive.
    for (const other of admin.resourceKeys.values()) {
      if (other !== key && other.status === 'ACTIVE') {
        other.status = 'INACTIVE'
        other.lastUpdated = now
      }
    }
    if (key.status !== 'ACTIVE') {
      key.status = 'ACTIVE'
      key.lastUpdated = now
    }
    return ok(keyJson(c, key))
  }
  if (action === 'deactivate') {
    if (key.status === 'ACTIVE' && admin.accessTokenEncryptedResponseAlgorithm !== undefined) {
      return refused(
        'You cannot deactivate the active key when access token encryption is enabled.',
      )
    }
    if (key.status !== 'INACTIVE') {
      key.status = 'INACTIVE'
      key.lastUpdated = now
    }
    return ok(keyJson(c, key))
  }
  return notFound(action, 'Lifecycle')
}
