import { InvalidResponseError } from '../errors.js'
import { isSecureUrl } from './url.js'

// A discovery document is checked when it arrives, so that a server that
// publishes a member of the wrong type fails there, as the server fault it
// is (`InvalidResponseError`), and never later as a TypeError or as a
// mistake of the caller. Members are checked by the naming conventions of
// RFC 8414 and OIDC Discovery (no name lists: this ships in the browser
// bundle): `*_endpoint` and `jwks_uri` are URLs, `*s_supported` lists of
// strings (`scopes_supported`, `response_types_supported`, …), any other
// `*_supported` a flag (`request_parameter_supported`, …). Other members are
// kept as they are: servers extend the document.

/**
 * @internal
 * The first member of the wrong type: an endpoint that is not an absolute
 * URL where credentials may go (https:, or http: on loopback or with
 * `allowInsecure`), a list that is not a list of strings, a flag that is not
 * a boolean.
 *
 * @param document - The metadata (its `issuer` is the caller's to check).
 * @param allowInsecure - `allowInsecureRequests`; `undefined` skips the endpoints.
 * @returns The member's name and what it should be, or `undefined`.
 */
export function metadataProblem(
  document: Record<string, unknown>,
  allowInsecure: boolean | undefined,
): [name: string, expected: string] | undefined {
  for (const [name, value] of Object.entries(document)) {
    if (value === undefined) continue
    if (name.endsWith('_endpoint') || name === 'jwks_uri') {
      if (allowInsecure === undefined) continue
      let url: URL | undefined
      try {
        url = typeof value === 'string' ? new URL(value) : undefined
      } catch {
        url = undefined
      }
      if (!url) return [name, 'an absolute URL']
      if (!isSecureUrl(url, allowInsecure)) return [name, 'an https: URL']
    } else if (name.endsWith('s_supported')) {
      if (!(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        return [name, 'a list of strings']
      }
    } else if (name.endsWith('_supported') && typeof value !== 'boolean') {
      return [name, 'true or false']
    }
  }
  return undefined
}

/**
 * @internal
 * {@link metadataProblem} for a document a server sent: `InvalidResponseError` naming the member.
 */
export function checkMetadata(document: Record<string, unknown>, allowInsecure = false): void {
  const problem = metadataProblem(document, allowInsecure)
  if (problem) {
    throw new InvalidResponseError(`discovery: the document's ${problem[0]} is not ${problem[1]}`)
  }
}
