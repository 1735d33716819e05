import type { JWTPayload } from 'jose'
import * as errors from 'jose/errors'
import { jwtDecrypt } from 'jose/jwt/decrypt'
import { EncryptJWT } from 'jose/jwt/encrypt'
import { InvalidOptionError } from '../errors.js'

/** @internal The two purposes a key is derived for. */
export type KeyPurpose = 'transaction' | 'session'

const SALT = new TextEncoder().encode('okta-oauth-kit/server v1')

/** @internal Check the app secret and return its bytes. */
export function secretBytes(secret: unknown): Uint8Array {
  if (typeof secret === 'string') {
    if (secret.length < 32) {
      throw new InvalidOptionError('secret must be at least 32 characters (use 32 random bytes)')
    }
    return new TextEncoder().encode(secret)
  }
  if (secret instanceof Uint8Array) {
    if (secret.byteLength < 32) throw new InvalidOptionError('secret must be at least 32 bytes')
    return new Uint8Array(secret)
  }
  throw new InvalidOptionError(
    'secret must be a string of 32+ characters or a Uint8Array of 32+ bytes',
  )
}

/** @internal Derive one 256-bit key per purpose with HKDF-SHA-256 (WebCrypto). */
export function deriveKeys(secret: Uint8Array): () => Promise<Record<KeyPurpose, Uint8Array>> {
  let keys: Promise<Record<KeyPurpose, Uint8Array>> | undefined
  return () => {
    keys ??= (async () => {
      const ikm = await crypto.subtle.importKey('raw', secret as BufferSource, 'HKDF', false, [
        'deriveBits',
      ])
      const derive = async (purpose: KeyPurpose) =>
        new Uint8Array(
          await crypto.subtle.deriveBits(
            {
              name: 'HKDF',
              hash: 'SHA-256',
              salt: SALT,
              info: new TextEncoder().encode(`okta-oauth-kit/server ${purpose} cookie`),
            },
            ikm,
            256,
          ),
        )
      return { transaction: await derive('transaction'), session: await derive('session') }
    })()
    return keys
  }
}

/** @internal Seal a payload as a compact JWE (`dir`, `A256GCM`) that expires at `expiresAt` (ms). */
export function seal(
  payload: JWTPayload,
  key: Uint8Array,
  purpose: KeyPurpose,
  nowMs: number,
  expiresAtMs: number,
): Promise<string> {
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', typ: `okta-${purpose}` })
    .setIssuedAt(Math.floor(nowMs / 1000))
    .setExpirationTime(Math.ceil(expiresAtMs / 1000))
    .encrypt(key)
}

/** @internal What unsealing found. */
export type Unsealed =
  | { ok: true; payload: JWTPayload }
  | { ok: false; reason: 'expired' | 'invalid' }

/** @internal Open a sealed value; never throws, never echoes the value. */
export async function unseal(
  value: string,
  key: Uint8Array,
  purpose: KeyPurpose,
  nowMs: number,
): Promise<Unsealed> {
  try {
    const { payload, protectedHeader } = await jwtDecrypt(value, key, {
      currentDate: new Date(nowMs),
      clockTolerance: 0,
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      requiredClaims: ['exp'],
    })
    if (protectedHeader.typ !== `okta-${purpose}`) return { ok: false, reason: 'invalid' }
    return { ok: true, payload }
  } catch (err) {
    return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' }
  }
}
