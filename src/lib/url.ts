// Where credentials may be sent, one rule for every entry: https:, or http:
// to a loopback host (development), or http: anywhere when the caller allows
// insecure requests explicitly.

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/** @internal Whether `hostname` (as `URL.hostname` gives it) is a loopback host. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname)
}

/** @internal Whether credentials may be sent to `url` under the rule above. */
export function isSecureUrl(url: URL, allowInsecure = false): boolean {
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && (allowInsecure || isLoopbackHost(url.hostname)))
  )
}
