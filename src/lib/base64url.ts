// base64url (RFC 4648 §5, no padding) on `btoa`/`atob`, and random values in
// it: one home for every entry, `./browser` included (no dependency).

/** @internal base64url without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * @internal
 * The bytes of a base64url segment (padding optional). Throws a
 * `DOMException` for characters outside the alphabet: callers map it to their error.
 */
export function decodeBase64url(segment: string): Uint8Array {
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** @internal `bytes` random bytes from the platform's CSPRNG, base64url-encoded. */
export function randomBase64url(bytes = 32): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/**
 * @internal
 * base64url(SHA-256(UTF-8 of `value`)): the PKCE S256 challenge of a
 * verifier (RFC 7636 §4.2), and the server's short names for states.
 */
export async function sha256Base64url(value: string): Promise<string> {
  return encodeBase64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))),
  )
}
