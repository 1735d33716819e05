import { isObject, type Json } from '../model/json.js'
import type { ServerAdmin } from '../model/server-admin.js'
import type { Problems } from './input.js'

// The settings of a custom server that today's API (Admin Management API
// 5.1.0) added to the model: `issuerMode` (`ORG_URL`, `CUSTOM_URL`,
// `DYNAMIC`) and access-token encryption (`accessTokenEncryptedResponseAlgorithm`,
// `jwks`, `jwks_uri`). The emulator keeps and answers them; it has no custom
// domain (the issuer stays the org's URL whatever the mode) and does not
// encrypt tokens.

/** @internal Which URL a server's issuer is. */
export type IssuerMode = 'ORG_URL' | 'CUSTOM_URL' | 'DYNAMIC'

const ISSUER_MODES: readonly string[] = ['ORG_URL', 'CUSTOM_URL', 'DYNAMIC']
const ENCRYPTION_ALGORITHMS: readonly string[] = ['RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512']

/** @internal The settings read from a create/update body. */
export interface ServerSettings {
  /** Absent: the server keeps its mode (`ORG_URL` for a new one). */
  issuerMode: IssuerMode | undefined
  accessTokenEncryptedResponseAlgorithm: string | undefined
  jwks: { keys: Json[] } | undefined
  jwksUri: string | undefined
}

/** @internal Read the settings of a body, recording each problem at its field. */
export function readServerSettings(p: Problems, body: Json): ServerSettings {
  // `null` is absent, as for the other settings (serialisers send it for unset fields).
  const mode = body.issuerMode ?? undefined
  if (mode !== undefined && !ISSUER_MODES.includes(mode as string)) {
    p.add('issuerMode', "The issuer mode must be 'ORG_URL', 'CUSTOM_URL' or 'DYNAMIC'.")
  }
  const algorithm = body.accessTokenEncryptedResponseAlgorithm ?? undefined
  if (algorithm !== undefined && !ENCRYPTION_ALGORITHMS.includes(algorithm as string)) {
    p.add(
      'accessTokenEncryptedResponseAlgorithm',
      "The algorithm must be 'RSA-OAEP-256', 'RSA-OAEP-384' or 'RSA-OAEP-512'.",
    )
  }
  const jwksUri = body.jwks_uri ?? undefined
  if (
    jwksUri !== undefined &&
    (typeof jwksUri !== 'string' || !URL.canParse(jwksUri) || !jwksUri.startsWith('https://'))
  ) {
    p.add('jwks_uri', 'The jwks_uri must be an https URL.')
  }
  return {
    issuerMode: mode as IssuerMode | undefined,
    accessTokenEncryptedResponseAlgorithm: algorithm as string | undefined,
    jwks: readJwks(p, body.jwks ?? undefined),
    jwksUri: jwksUri as string | undefined,
  }
}

/** `jwks`: public RSA keys for encryption (`use: enc`), at most one `ACTIVE`. */
function readJwks(p: Problems, value: unknown): { keys: Json[] } | undefined {
  if (value === undefined) return undefined
  if (!isObject(value) || !Array.isArray(value.keys)) {
    p.add('jwks', 'The jwks must be an object with a list of keys.')
    return undefined
  }
  const keys: Json[] = []
  value.keys.forEach((key: unknown, i) => {
    const at = `jwks.keys.${i}`
    if (
      !isObject(key) ||
      key.kty !== 'RSA' ||
      typeof key.e !== 'string' ||
      key.e === '' ||
      typeof key.n !== 'string' ||
      key.n === ''
    ) {
      p.add(at, "A key must be an RSA public key ('kty', 'e' and 'n').")
      return
    }
    if (key.use !== undefined && key.use !== 'enc') p.add(`${at}.use`, "The use must be 'enc'.")
    if (key.status !== undefined && key.status !== 'ACTIVE' && key.status !== 'INACTIVE') {
      p.add(`${at}.status`, "The status must be 'ACTIVE' or 'INACTIVE'.")
    }
    keys.push({
      ...(typeof key.id === 'string' && { id: key.id }),
      ...(typeof key.kid === 'string' && { kid: key.kid }),
      kty: 'RSA',
      use: 'enc',
      e: key.e,
      n: key.n,
      ...(typeof key.status === 'string' && { status: key.status }),
    })
  })
  if (keys.filter((k) => k.status === 'ACTIVE').length > 1) {
    p.add('jwks.keys', 'At most one key can be ACTIVE.')
  }
  return { keys }
}

/** @internal Apply read settings: `issuerMode` kept when absent, encryption replaced (PUT). */
export function applyServerSettings(admin: ServerAdmin, settings: ServerSettings): void {
  if (settings.issuerMode) admin.issuerMode = settings.issuerMode
  admin.accessTokenEncryptedResponseAlgorithm = settings.accessTokenEncryptedResponseAlgorithm
  admin.jwks = settings.jwks
  admin.jwksUri = settings.jwksUri
}

/** @internal The settings' fields of a server's wire shape (encryption only when set). */
export function serverSettingsJson(admin: ServerAdmin): Json {
  return {
    issuerMode: admin.issuerMode,
    ...(admin.accessTokenEncryptedResponseAlgorithm !== undefined && {
      accessTokenEncryptedResponseAlgorithm: admin.accessTokenEncryptedResponseAlgorithm,
    }),
    ...(admin.jwks !== undefined && { jwks: structuredClone(admin.jwks) }),
    ...(admin.jwksUri !== undefined && { jwks_uri: admin.jwksUri }),
  }
}
