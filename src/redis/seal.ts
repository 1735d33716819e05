import { InvalidOptionError } from '../errors.js'
import { decodeBase64url, encodeBase64url } from '../lib/base64url.js'

// Values the stores keep in Redis are sealed like the cookies of
// `./server`: AES-256-GCM with a key derived from the app's secret
// (HKDF-SHA-256, one key per purpose), bound to the Redis key they sit under
// (additional data), so whoever reads Redis sees no token, PKCE verifier or
// claim, and a value moved to another key does not open.

/** @internal What a sealed value is for: each purpose has its own key. */
export type SealPurpose = 'transaction' | 'session' | 'admin-token'

const SALT = new TextEncoder().encode('okta-oauth-kit/redis v1')
const VERSION = 'v1'

/** @internal The secret's bytes; at least 32 (characters or bytes). */
function secretBytes(secret: unknown): Uint8Array {
  if (typeof secret === 'string' && secret.length >= 32) return new TextEncoder().encode(secret)
  if (secret instanceof Uint8Array && secret.byteLength >= 32) return new Uint8Array(secret)
  throw new InvalidOptionError(
    'secret must be a string of 32+ characters or a Uint8Array of 32+ bytes (it seals the values kept in Redis)',
  )
}

/** @internal Seals and opens the values of one purpose. */
export interface Sealer {
  /** Seal `value` for the Redis key `key`. */
  seal(key: string, value: unknown): Promise<string>
  /** Open what {@link seal} made for `key`; `undefined` when it does not open (other secret, other key, altered). */
  open(key: string, sealed: string): Promise<unknown>
}

/**
 * @internal
 * A sealer for `purpose`, its key derived from `secret` on first use.
 * @throws `InvalidOptionError` for a short or missing secret (at once).
 */
export function sealer(secret: unknown, purpose: SealPurpose): Sealer {
  const bytes = secretBytes(secret)
  let key: Promise<CryptoKey> | undefined
  const derived = () => {
    key ??= (async () => {
      const ikm = await crypto.subtle.importKey('raw', bytes as BufferSource, 'HKDF', false, [
        'deriveKey',
      ])
      return crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: SALT,
          info: new TextEncoder().encode(`okta-oauth-kit/redis ${purpose}`),
        },
        ikm,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      )
    })()
    return key
  }
  const aad = (redisKey: string) => new TextEncoder().encode(`${purpose}\n${redisKey}`)
  return {
    async seal(redisKey, value) {
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const data = new TextEncoder().encode(JSON.stringify(value))
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: aad(redisKey) },
        await derived(),
        data,
      )
      return `${VERSION}.${encodeBase64url(iv)}.${encodeBase64url(new Uint8Array(ciphertext))}`
    },
    async open(redisKey, sealed) {
      const [version, iv, ciphertext, extra] = sealed.split('.')
      if (version !== VERSION || !iv || !ciphertext || extra !== undefined) return undefined
      try {
        const plain = await crypto.subtle.decrypt(
          {
            name: 'AES-GCM',
            iv: decodeBase64url(iv) as BufferSource,
            additionalData: aad(redisKey),
          },
          await derived(),
          decodeBase64url(ciphertext) as BufferSource,
        )
        return JSON.parse(new TextDecoder().decode(plain)) as unknown
      } catch {
        return undefined
      }
    },
  }
}
