// One rule for issuer identifiers, everywhere (discovery, ID tokens, the
// verifier, the browser entry): a single trailing slash is not significant.
// `https://example.okta.com/` and `https://example.okta.com` name the same
// server (URL parsing adds the slash to a bare origin); nothing else is folded.

/** @internal The issuer without one trailing slash. */
export function normalizeIssuer(issuer: string): string {
  return issuer.endsWith('/') ? issuer.slice(0, -1) : issuer
}

/** @internal Whether two issuer identifiers name the same issuer under the rule above. */
export function sameIssuer(a: string, b: string): boolean {
  return normalizeIssuer(a) === normalizeIssuer(b)
}
